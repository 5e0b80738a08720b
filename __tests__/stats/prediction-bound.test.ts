import { logNormalUpperPredictionBound, upperPredictionBound } from '../../src/stats/prediction-bound.js'

/** Student's t quantiles from the printed tables (one-sided 95 %), independent of the code under test. */
const T95 = { 4: 2.131847, 7: 1.894579 } as const

function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return { mean, sd: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) }
}

/** Deterministic normal draws (Box–Muller over a linear congruential generator). */
function normals(seed: number): () => number {
  let state = seed
  const uniform = () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32
    return (state + 0.5) / 2 ** 32
  }
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
}

describe('upperPredictionBound', () => {
  it('is mean + t(0.95; n − 1) · s · √(1 + 1/n), as the tables give it', () => {
    const values = [10, 12, 11, 13, 9]
    const { mean, sd } = meanAndSd(values)
    expect(upperPredictionBound(values, 0.95)).toBeCloseTo(mean + T95[4] * sd * Math.sqrt(1 + 1 / 5), 5)
  })

  it('is the mean itself when every run measured the same', () => {
    expect(upperPredictionBound([5, 5, 5, 5, 5], 0.95)).toBe(5)
  })

  it('keeps the next draw under it 95 % of the time with only 5 earlier runs (simulated, fixed seed)', () => {
    const draw = normals(7)
    let under = 0
    const trials = 4000
    for (let i = 0; i < trials; i++) {
      const history = Array.from({ length: 5 }, () => 100 + 10 * draw())
      if (100 + 10 * draw() < upperPredictionBound(history, 0.95)) under++
    }
    expect(under / trials).toBeGreaterThan(0.935)
    expect(under / trials).toBeLessThan(0.965)
  })

  it('refuses fewer than 2 values and a confidence outside (0.5, 1)', () => {
    expect(() => upperPredictionBound([1], 0.95)).toThrow(/at least 2 values, got 1/)
    expect(() => upperPredictionBound([1, 2], 1)).toThrow(/confidence/)
  })
})

describe('logNormalUpperPredictionBound', () => {
  it('is the bound on ln(value), returned as a value: exp(mean + t · s · √(1 + 1/n)) of the logs', () => {
    const p95s = [48, 52, 50, 55, 47, 51, 60, 49]
    const { mean, sd } = meanAndSd(p95s.map(Math.log))
    expect(logNormalUpperPredictionBound(p95s, 0.95)).toBeCloseTo(Math.exp(mean + T95[7] * sd * Math.sqrt(1 + 1 / 8)), 4)
  })

  it('refuses a zero or negative latency', () => {
    expect(() => logNormalUpperPredictionBound([10, 0, 12], 0.95)).toThrow(/positive/)
  })
})
