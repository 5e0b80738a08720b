import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { mannKendall, mannKendallToward, sensSlope, type TrendMethod } from '../../src/stats/mann-kendall.js'

/**
 * pyMannKendall's own test values (repository mmhs013/pyMannKendall, tests/test_pymannkendall.py at
 * commit 4b62f505fcb2920798c7d4ebcbde6d30ec3e5845): the source is cited inside the fixture.
 */
interface Expected {
  lag?: number
  trend: string
  p: number
  z: number
  tau: number
  s: number
  var_s: number
}
const fixture = JSON.parse(
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/mann-kendall/pymannkendall-arbitrary-1d.json'), 'utf8'),
) as {
  series: Array<number | null>
  sens_slope: { slope: number; intercept: number }
} & Record<'original' | 'hamed_rao' | 'hamed_rao_lag3' | 'yue_wang' | 'yue_wang_lag1', Expected>

/** Relative difference: p-values go through jstat's normal CDF, not scipy's, and differ past the 11th digit. */
function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected)
}

describe("Sen's slope", () => {
  test("a series with missing values gives pyMannKendall's slope and intercept to the last digit", () => {
    expect(sensSlope(fixture.series)).toEqual(fixture.sens_slope)
  })

  test('a straight line has its own slope; a flat one none', () => {
    expect(sensSlope(Array.from({ length: 360 }, (_, i) => i)).slope).toBe(1)
    expect(sensSlope(new Array(360).fill(7)).slope).toBe(0)
  })

  test('an even number of pairs takes the mean of the two middle slopes', () => {
    // Pairs of [0, 1, 3, 4]: 1, 1.5, 1.33, 2, 1.5, 1 → middle two 1.33 and 1.5.
    expect(sensSlope([0, 1, 3, 4]).slope).toBeCloseTo((4 / 3 + 1.5) / 2, 14)
  })
})

describe('Mann–Kendall test against the reference', () => {
  test.each<{ name: keyof typeof fixture & string; method: TrendMethod; exact: boolean }>([
    { name: 'original', method: 'original', exact: true },
    { name: 'hamed_rao', method: 'hamed-rao', exact: true },
    { name: 'hamed_rao_lag3', method: 'hamed-rao', exact: true },
    // The reference itself checks Yue–Wang only to a relative 1e-7 (assert_allclose).
    { name: 'yue_wang', method: 'yue-wang', exact: false },
    { name: 'yue_wang_lag1', method: 'yue-wang', exact: false },
  ])('$name: the same score, tau, variance, z, p and trend', ({ name, method, exact }) => {
    const expected = fixture[name] as Expected
    const result = mannKendall(fixture.series, { method, lag: expected.lag })
    expect(result.s).toBe(expected.s)
    expect(result.tau).toBe(expected.tau)
    expect(result.trend).toBe(expected.trend)
    expect(result.slope).toBe(fixture.sens_slope.slope)
    if (exact) {
      expect(result.varS).toBe(expected.var_s)
      expect(result.z).toBe(expected.z)
    } else {
      expect(relative(result.varS, expected.var_s)).toBeLessThan(1e-7)
      expect(relative(result.z, expected.z)).toBeLessThan(1e-7)
    }
    expect(relative(result.p, expected.p)).toBeLessThan(1e-11)
  })

  test.each<TrendMethod>(['original', 'hamed-rao', 'yue-wang'])('%s: a constant series has no trend, p = 1 (the reference asserts it)', (method) => {
    const result = mannKendall(new Array(360).fill(4), { method })
    expect(result).toMatchObject({ trend: 'no trend', p: 1, z: 0, tau: 0, s: 0 })
  })

  test.each<TrendMethod>(['original', 'hamed-rao', 'yue-wang'])('%s: a rising series is increasing, p = 0, tau = 1, S = 64620', (method) => {
    const result = mannKendall(
      Array.from({ length: 360 }, (_, i) => i),
      { method },
    )
    expect(result).toMatchObject({ trend: 'increasing', p: 0, tau: 1, s: 64620, slope: 1 })
  })
})

describe('Mann–Kendall test on load-test windows', () => {
  /** A reproducible AR(1) series: each value leans on the one before, as neighbouring windows of a run do. */
  function autocorrelated(n: number, phi: number, seed: number): number[] {
    let state = seed
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31
    const out: number[] = []
    let previous = 0
    for (let i = 0; i < n; i++) {
      // Box–Muller from two uniforms.
      const noise = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
      previous = phi * previous + noise
      out.push(100 + previous)
    }
    return out
  }

  test('windows that wander together are no trend for Hamed–Rao where the original test sees one more often', () => {
    let original = 0
    let corrected = 0
    for (let seed = 1; seed <= 40; seed++) {
      const series = autocorrelated(120, 0.8, seed)
      if (mannKendall(series, { method: 'original' }).p < 0.05) original++
      if (mannKendall(series, { method: 'hamed-rao' }).p < 0.05) corrected++
    }
    // Independent windows would give about 2 of 40 at 5 %; the uncorrected test is fooled far more.
    expect(original).toBeGreaterThan(corrected)
    expect(corrected).toBeLessThanOrEqual(8)
  })

  test('missing windows are left out of the score but keep their place in time for the slope', () => {
    const result = mannKendall([10, null, 12, Number.NaN, 14, 15, 16, 17, 18, 19])
    expect(result.n).toBe(8)
    expect(result.slope).toBe(1)
    expect(result.trend).toBe('increasing')
  })

  test('fewer than three values: no trend and no error', () => {
    expect(mannKendall([1, 2]).trend).toBe('no trend')
    expect(mannKendall([]).p).toBe(1)
  })
})

describe("Sen's slope without listing every pair", () => {
  /** Every pairwise slope of the present values, sorted: the definition, to check the fast route against. */
  function medianOfAllSlopes(series: Array<number | null>): number {
    const slopes: number[] = []
    for (let i = 0; i < series.length; i++)
      for (let j = i + 1; j < series.length; j++) if (series[i] !== null && series[j] !== null) slopes.push((series[j]! - series[i]!) / (j - i))
    slopes.sort((a, b) => a - b)
    const mid = slopes.length >> 1
    return slopes.length % 2 === 1 ? slopes[mid]! : (slopes[mid - 1]! + slopes[mid]!) / 2
  }

  test.each([
    { kind: 'noise', at: (_: number, r: number) => r },
    { kind: 'a trend in noise', at: (i: number, r: number) => i * 0.01 + r },
    { kind: 'few distinct values (many tied slopes)', at: (_: number, r: number) => Math.round(r * 3) },
    { kind: 'mostly zero, as error rates are', at: (_: number, r: number) => (r < 0.8 ? 0 : r) },
    { kind: 'constant', at: () => 5 },
    { kind: 'windows missing here and there', at: (i: number, r: number) => (r < 0.1 ? null : i * 0.002 + r) },
  ])('gives exactly the median of all pairwise slopes: $kind', ({ at }) => {
    let state = 12345
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    // 50 and 361 values have an odd number of pairs (one middle slope); 49, 120 and 360 an even one.
    for (const n of [49, 50, 120, 360, 361]) {
      const series = Array.from({ length: n }, (_, i) => at(i, random()))
      expect(sensSlope(series).slope).toBe(medianOfAllSlopes(series))
    }
  })
})

describe('a trend test one way', () => {
  let state = 99
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const rising = Array.from({ length: 200 }, (_, i) => i * 0.02 + random())
  const falling = rising.map((v) => -v)
  const noise = Array.from({ length: 200 }, () => random())

  test('gives the full test, figure for figure, when the score points the way asked', () => {
    expect(mannKendallToward(rising, 'increasing', { lag: 50 })).toEqual(mannKendall(rising, { lag: 50 }))
    expect(mannKendallToward(falling, 'decreasing', { lag: 50 })).toEqual(mannKendall(falling, { lag: 50 }))
  })

  test('gives nothing when the series moves the other way, which no correction can turn into the way asked', () => {
    expect(mannKendallToward(rising, 'decreasing')).toBeNull()
    expect(mannKendallToward(falling, 'increasing')).toBeNull()
    expect(mannKendallToward(new Array(50).fill(3), 'increasing')).toBeNull()
    // Noise goes one way or the other by a little: exactly one of the two directions gets a test.
    const up = mannKendallToward(noise, 'increasing')
    const down = mannKendallToward(noise, 'decreasing')
    expect([up, down].filter((t) => t !== null)).toHaveLength(1)
    expect((up ?? down)!.trend).toBe(mannKendall(noise).trend)
  })
})
