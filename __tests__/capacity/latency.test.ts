import { concurrencyForThroughput, latencyChecks, littleMeanMs, modelCurve, p95ToMeanRatio, projectP95 } from '../../src/capacity/latency.js'
import { uslThroughput } from '../../src/capacity/usl.js'
import { uslLevels } from '../support/capacity-levels.js'

const CURVE = { lambda: 100, sigma: 0.02, kappa: 0.0005 }

describe("Little's law", () => {
  test('R = N / X − Z: 10 VUs at 200 req/s with 20 ms think time spend 30 ms per request', () => {
    expect(littleMeanMs(10, 200, 20)).toBeCloseTo(30, 12)
  })

  test('each level is checked against the model and against its own throughput', () => {
    const levels = uslLevels({ ...CURVE, vus: [1, 4, 16], thinkTimeMs: 5 })
    const checks = latencyChecks(levels, CURVE, 5)
    for (const [i, check] of checks.entries()) {
      expect(check.measuredMeanMs).toBe(levels[i].meanMs)
      expect(check.modelMeanMs).toBeCloseTo(levels[i].meanMs, 9)
      expect(check.littleMeanMs).toBeCloseTo(levels[i].meanMs, 9)
      expect(check.agrees).toBe(true)
    }
  })

  test('without a model the run is checked against itself, and a level 50 % off disagrees', () => {
    const levels = uslLevels({ ...CURVE, vus: [1, 4, 16] })
    levels[1] = { ...levels[1], meanMs: levels[1].meanMs * 1.5 }
    const checks = latencyChecks(levels, null, 0)
    expect(checks.map((c) => c.modelMeanMs)).toEqual([null, null, null])
    expect(checks.map((c) => c.agrees)).toEqual([true, false, true])
    expect(checks[1].relativeError).toBeCloseTo(1 / 1.5 - 1, 9)
  })
})

describe('concurrency for a throughput on the rising branch of the curve', () => {
  test.each([50, 500, 1200, 1500])('X(N(%p)) gives the throughput back', (x) => {
    const n = concurrencyForThroughput(CURVE, x) as number
    expect(uslThroughput(CURVE, n)).toBeCloseTo(x, 6)
    expect(n).toBeLessThanOrEqual(Math.sqrt((1 - CURVE.sigma) / CURVE.kappa))
  })

  test('without coherency (κ = 0) it is Amdahl’s closed form', () => {
    const c = { lambda: 100, sigma: 0.05, kappa: 0 }
    expect(uslThroughput(c, concurrencyForThroughput(c, 1500) as number)).toBeCloseTo(1500, 9)
  })

  test('a throughput above the ceiling has no concurrency', () => {
    expect(concurrencyForThroughput(CURVE, 1600)).toBeNull()
    expect(concurrencyForThroughput({ lambda: 100, sigma: 0.05, kappa: 0 }, 2000)).toBeNull()
  })
})

describe('projected p95', () => {
  const levels = uslLevels({ ...CURVE, vus: [1, 2, 4, 8], p95Ratio: 2.5 })

  test('the tail ratio is the most loaded level’s p95 ÷ mean', () => {
    expect(p95ToMeanRatio(levels)).toBeCloseTo(2.5, 12)
    expect(p95ToMeanRatio([])).toBeNull()
  })

  test('beyond the measured levels: the modelled mean × the tail ratio, never inside the measured range', () => {
    const p = projectP95(CURVE, levels, 2400, 2, 0)
    expect(p).toMatchObject({ projected: true, replicas: 2, atRps: 1200, withinMeasuredRange: false, p95ToMeanRatio: expect.closeTo(2.5, 9) })
    expect(p?.p95Ms).toBeCloseTo(((p?.vus as number) / 1200) * 1000 * 2.5, 6)
  })

  test('none beyond the ceiling', () => {
    expect(projectP95(CURVE, levels, 1600, 1, 0)).toBeNull()
  })
})

describe('the modelled curve', () => {
  test('every measured concurrency, then six steps beyond, up to 1.5 N* when that lies past twice the last level', () => {
    const levels = uslLevels({ ...CURVE, vus: [1, 2, 4, 8] })
    const curve = modelCurve(CURVE, levels, 0)
    expect(curve.slice(0, 4).map((p) => [p.vus, p.projected])).toEqual([
      [1, false],
      [2, false],
      [4, false],
      [8, false],
    ])
    const beyond = curve.filter((p) => p.projected)
    expect(beyond).toHaveLength(6)
    expect(beyond[beyond.length - 1].vus).toBe(32) // N* ≈ 44, 1.5 N* ≈ 66, capped at 4 × 8
    for (const p of curve) expect(p.throughputRps).toBeCloseTo(uslThroughput(CURVE, p.vus), 9)
  })
})
