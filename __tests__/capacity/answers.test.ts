import { analyseCapacity } from '../../src/capacity/answers.js'
import type { CapacityLevel, CapacityTargets } from '../../src/capacity/measurements.js'
import { uslThroughput } from '../../src/capacity/usl.js'
import { uslLevels } from '../support/capacity-levels.js'

const targets = (over: Partial<CapacityTargets> = {}): CapacityTargets => ({
  targetRps: 5000,
  targetP95Ms: 40,
  replicas: 1,
  headroom: 0.3,
  thinkTimeMs: 0,
  errorRateLimit: 0.01,
  ...over,
})

/** λ 100 req/s per VU, σ 0.02, κ 0.0005: p95 = 1.8 × mean passes 40 ms between 16 and 32 VUs. */
const CURVE = { lambda: 100, sigma: 0.02, kappa: 0.0005 }
const VUS = [1, 2, 4, 8, 16, 32, 64]

function levelAt(levels: CapacityLevel[], vus: number): CapacityLevel {
  return levels.find((l) => l.vus === vus) as CapacityLevel
}

describe('current capacity: the highest throughput within the p95 target and the error limit', () => {
  test('interpolated linearly between the last level within the target and the first beyond it', () => {
    const levels = uslLevels({ ...CURVE, vus: VUS })
    const a = analyseCapacity(levels, targets({ targetP95Ms: 30 }))
    const [below, above] = [levelAt(levels, 16), levelAt(levels, 32)]
    const t = (30 - below.p95Ms) / (above.p95Ms - below.p95Ms)
    expect(a.capacity.method).toBe('interpolated')
    expect(a.capacity.limitedBy).toBe('p95')
    expect(a.currentCapacityRps).toBeCloseTo(below.throughputRps + t * (above.throughputRps - below.throughputRps), 9)
    expect(a.capacity.vus).toBeCloseTo(16 + t * 16, 9)
    expect(a.capacity.reason).toMatch(/between 16 and 32 VUs/)
  })

  test('the measured level itself when throughput fell at the level beyond the target (retrograde)', () => {
    const levels = uslLevels({ ...CURVE, vus: VUS })
    const a = analyseCapacity(levels, targets({ targetP95Ms: 40 }))
    expect(levelAt(levels, 64).throughputRps).toBeLessThan(levelAt(levels, 32).throughputRps)
    expect(a.capacity.method).toBe('measured')
    expect(a.currentCapacityRps).toBe(levelAt(levels, 32).throughputRps)
    expect(a.capacity.isLowerBound).toBe(false)
  })

  test('errors crossing their limit end the served range even when p95 stays within the target', () => {
    const levels = uslLevels({ ...CURVE, vus: VUS, errors: { fromLevel: 5, rate: 0.03, statuses: { '503': 1 } } })
    const a = analyseCapacity(levels, targets({ targetP95Ms: 1000, errorRateLimit: 0.01 }))
    const [below, above] = [levelAt(levels, 8), levelAt(levels, 16)]
    const t = 0.01 / above.errorRate
    expect(a.capacity.limitedBy).toBe('errors')
    expect(a.currentCapacityRps).toBeCloseTo(below.throughputRps + t * (above.throughputRps - below.throughputRps), 6)
  })

  test('a target that errors at every level: capacity 0, and why', () => {
    const levels = uslLevels({ ...CURVE, vus: VUS, errors: { fromLevel: 1, rate: 0.5, statuses: { '500': 1 } } })
    const a = analyseCapacity(levels, targets())
    expect(a.currentCapacityRps).toBe(0)
    expect(a.capacity).toMatchObject({ method: 'below-first-level', limitedBy: 'errors', vus: null })
    expect(a.capacity.reason).toMatch(/every level had errors above the 1% limit/)
    expect(a.scalingFactor).toBeNull()
    expect(a.replicasNeeded).toBeNull()
    expect(a.targetMetWithCurrentReplicas).toBe(false)
    // What was measured is still there: the model and the per-level checks.
    expect(a.model.kind).toBe('usl')
    expect(a.latencyChecks).toHaveLength(VUS.length)
  })

  test('a first level already slower than the target: capacity 0, below the first level', () => {
    const a = analyseCapacity(uslLevels({ ...CURVE, vus: VUS }), targets({ targetP95Ms: 5 }))
    expect(a.currentCapacityRps).toBe(0)
    expect(a.capacity).toMatchObject({ method: 'below-first-level', limitedBy: 'p95' })
    expect(a.capacity.reason).toMatch(/first level \(1 VUs\) already had a p95 of 18 ms, above the 5 ms target/)
  })

  test('every level within the target: the model carries it further, labelled as a projection', () => {
    const levels = uslLevels({ ...CURVE, vus: [1, 2, 4, 8, 16] })
    const a = analyseCapacity(levels, targets({ targetP95Ms: 30 }))
    expect(a.capacity.method).toBe('above-last-level-extrapolated')
    expect(a.capacity.vus as number).toBeGreaterThan(16)
    expect(a.capacity.vus as number).toBeLessThanOrEqual(32)
    // The p95 target reached on the model's curve: (N/X(N)) × 1.8 = 30 ms.
    const n = a.capacity.vus as number
    expect((n / uslThroughput(CURVE, n)) * 1000 * 1.8).toBeCloseTo(30, 4)
    expect(a.currentCapacityRps).toBeCloseTo(uslThroughput(CURVE, n), 6)
    expect(a.notes.join(' ')).toMatch(/projection, not a measurement/)
  })

  test('every level within the target and no model: the last level, as a lower bound', () => {
    const levels = uslLevels({ ...CURVE, vus: [1, 2, 4] })
    const a = analyseCapacity(levels, targets({ targetP95Ms: 1000 }))
    expect(a.capacity).toMatchObject({ method: 'measured', isLowerBound: true, limitedBy: 'none' })
    expect(a.currentCapacityRps).toBe(levels[2].throughputRps)
    expect(a.notes.join(' ')).toMatch(/lower bound/)
  })
})

describe('scaling, replicas and cost', () => {
  const levels = uslLevels({ ...CURVE, vus: VUS })

  test('scaling factor = target ÷ current; replicas = ⌈target ÷ (current per replica × (1 − headroom))⌉; cost of the difference', () => {
    const a = analyseCapacity(levels, targets({ targetRps: 5000, replicas: 2, replicaCost: { amount: 52.5, currency: 'USD' } }))
    const current = a.currentCapacityRps
    expect(a.scalingFactor).toBeCloseTo(5000 / current, 12)
    expect(a.replicasNeeded).toBe(Math.ceil(5000 / ((current / 2) * 0.7)))
    expect(a.estimatedCostDelta).toEqual({ amount: ((a.replicasNeeded as number) - 2) * 52.5, currency: 'USD' })
    expect(a.targetMetWithCurrentReplicas).toBe(false)
    expect(a.notes.join(' ')).toMatch(/2 instances behind the base URL scale horizontally: each serves 756 req\/s, of which 70% is planned \(30% headroom\)/)
  })

  test('a target the current replicas serve with headroom: fewer replicas needed, a negative cost delta', () => {
    const a = analyseCapacity(levels, targets({ targetRps: 300, replicas: 3, replicaCost: { amount: 10, currency: 'EUR' } }))
    expect(a.replicasNeeded).toBe(1)
    expect(a.targetMetWithCurrentReplicas).toBe(true)
    expect(a.estimatedCostDelta).toEqual({ amount: -20, currency: 'EUR' })
  })

  test('exactly at the planned capacity needs no extra replica (no rounding up of a whole number)', () => {
    const current = analyseCapacity(levels, targets()).currentCapacityRps
    const a = analyseCapacity(levels, targets({ targetRps: current * 0.7 * 3, replicas: 1 }))
    expect(a.replicasNeeded).toBe(3)
  })

  test('no replica cost given: no cost delta', () => {
    expect(analyseCapacity(levels, targets()).estimatedCostDelta).toBeNull()
  })
})

describe('the model behind the answers', () => {
  test('fewer than 4 levels: no model, the measured points and why', () => {
    const a = analyseCapacity(uslLevels({ ...CURVE, vus: [1, 2, 4] }), targets())
    expect(a.model).toMatchObject({ kind: 'none', reason: 'too-few-levels', fit: null })
    expect(a.model.kind === 'none' && a.model.detail).toMatch(/3 levels with throughput measured: the USL needs at least 4/)
    expect(a.curve).toEqual([])
    expect(a.projectedP95AtTarget).toBeNull()
    expect(a.latencyChecks.map((c) => c.modelMeanMs)).toEqual([null, null, null])
    expect(a.confidence.fit).toBeNull()
  })

  test('a fit that does not converge: no model, the attempt kept, the measured capacity still given', () => {
    const levels = uslLevels({ ...CURVE, vus: VUS, noise: [1, 1.03, 0.97, 1.02, 0.98, 1.01, 0.99] })
    const a = analyseCapacity(levels, targets(), { fitIterations: 1 })
    expect(a.model).toMatchObject({ kind: 'none', reason: 'did-not-converge' })
    expect(a.model.kind === 'none' && a.model.fit?.converged).toBe(false)
    expect(a.currentCapacityRps).toBeGreaterThan(0)
    expect(a.notes.join(' ')).toMatch(/No model: the fit did not converge/)
  })

  test('κ on its bound: the model stands, and the note says there is no peak', () => {
    const a = analyseCapacity(uslLevels({ lambda: 100, sigma: 0.05, kappa: 0, vus: VUS }), targets())
    expect(a.model.kind).toBe('usl')
    expect(a.model.kind === 'usl' && a.model.fit.onBound).toEqual(['kappa'])
    expect(a.notes.join(' ')).toMatch(/κ landed on its bound 0/)
  })

  test("Little's law: the modelled mean matches a measured mean that follows it, and flags one that does not", () => {
    const levels = uslLevels({ ...CURVE, vus: VUS })
    levels[3] = { ...levels[3], meanMs: levels[3].meanMs * 2 }
    const a = analyseCapacity(levels, targets())
    const byVus = new Map(a.latencyChecks.map((c) => [c.vus, c]))
    expect(byVus.get(16)?.agrees).toBe(true)
    expect(byVus.get(16)?.modelMeanMs).toBeCloseTo(levelAt(levels, 16).meanMs, 3)
    expect(byVus.get(8)?.agrees).toBe(false)
    expect(a.notes.join(' ')).toMatch(/differ by more than 25 % at 8 VUs/)
  })

  test('the p95 at the target is projected from the model and the measured tail ratio, and says so', () => {
    const a = analyseCapacity(uslLevels({ ...CURVE, vus: VUS }), targets({ targetRps: 1000 }))
    const p = a.projectedP95AtTarget
    expect(p).toMatchObject({ projected: true, replicas: 1, atRps: 1000, withinMeasuredRange: true })
    expect(uslThroughput(CURVE, p?.vus as number)).toBeCloseTo(1000, 6)
    expect(p?.p95Ms).toBeCloseTo(((p?.vus as number) / 1000) * 1000 * 1.8, 6)
  })

  test('a target beyond what the current replicas can serve is projected for the replicas needed', () => {
    const a = analyseCapacity(uslLevels({ ...CURVE, vus: VUS }), targets({ targetRps: 5000 }))
    expect(a.projectedP95AtTarget?.replicas).toBe(a.replicasNeeded)
    expect(a.notes.join(' ')).toMatch(/target per current replica \(5000 req\/s\) lies beyond what the model says one replica can serve \(1568 req\/s\)/)
  })

  test('the curve covers the measured levels and labels the points beyond them as projected', () => {
    const a = analyseCapacity(uslLevels({ ...CURVE, vus: VUS }), targets())
    expect(a.curve.filter((p) => !p.projected).map((p) => p.vus)).toEqual(VUS)
    expect(a.curve.filter((p) => p.projected).every((p) => p.vus > 64)).toBe(true)
    expect(a.curve.some((p) => p.projected)).toBe(true)
  })
})
