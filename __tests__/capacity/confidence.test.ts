import { NO_MODEL_CONFIDENCE, capacityConfidence, precisionFactor, reachFactor } from '../../src/capacity/confidence.js'
import type { Interval, UslFit } from '../../src/capacity/measurements.js'

const around = (value: number, relativeHalfWidth: number): Interval => ({ value, low: value * (1 - relativeHalfWidth), high: value * (1 + relativeHalfWidth) })

function fit(rSquared: number, relativeHalfWidth = 0.1): UslFit {
  return {
    lambda: around(100, relativeHalfWidth),
    sigma: around(0.02, relativeHalfWidth),
    kappa: around(0.0005, relativeHalfWidth),
    rSquared,
    peakConcurrency: 44,
    ceilingRps: 1568,
    onBound: [],
    converged: true,
    iterations: 10,
    points: 7,
  }
}

describe('confidence = fit × precision × reach', () => {
  test('grows with R², all else equal', () => {
    const values = [0.5, 0.8, 0.95, 0.999].map((r2) => capacityConfidence(fit(r2), 64, 1000, 1500).value)
    expect([...values].sort((a, b) => a - b)).toEqual(values)
    expect(new Set(values).size).toBe(values.length)
  })

  test('falls as the target lies further beyond the measured throughput, and is whole within it', () => {
    const values = [1000, 1500, 3000, 15000, 150000].map((target) => capacityConfidence(fit(0.99), 64, target, 1500).value)
    expect(values[0]).toBe(values[1])
    for (let i = 2; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1])
    expect(reachFactor(3000, 1500)).toBeCloseTo(1 / (1 + Math.log(2)), 12)
    expect(reachFactor(15000, 1500)).toBeCloseTo(1 / (1 + Math.log(10)), 12)
  })

  test('falls as the intervals widen', () => {
    const values = [0.01, 0.1, 0.5, 1].map((w) => precisionFactor(fit(0.99, w), 64))
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1])
    // λ's interval ±10 % counts as its relative width 0.2; σ's and κ's as their effect on X at N = 64.
    const d = 1 + 0.02 * 63 + 0.0005 * 64 * 63
    expect(precisionFactor(fit(0.99, 0.1), 64)).toBeCloseTo(1 / (1 + 0.2 + (0.004 * 63) / d + (0.0001 * 64 * 63) / d), 12)
  })

  test('stays within 0..1, a negative R² counting as 0', () => {
    const c = capacityConfidence(fit(-0.3), 64, 1000, 1500)
    expect(c).toMatchObject({ value: 0, fit: 0 })
    expect(capacityConfidence(fit(1, 0), 64, 1000, 1500).value).toBe(1)
  })

  test('without a model: fit and precision unknown, a quarter of the reach', () => {
    expect(capacityConfidence(null, 64, 3000, 1500)).toEqual({
      value: NO_MODEL_CONFIDENCE * reachFactor(3000, 1500),
      fit: null,
      precision: null,
      reach: reachFactor(3000, 1500),
    })
  })
})
