import { analyseCapacity } from '../../src/capacity/answers.js'
import type { CapacityTargets } from '../../src/capacity/measurements.js'
import type { LevelsSpec } from '../support/capacity-levels.js'
import { uslLevels } from '../support/capacity-levels.js'

const targets: CapacityTargets = { targetRps: 2000, targetP95Ms: 200, replicas: 1, headroom: 0.3, thinkTimeMs: 0, errorRateLimit: 0.01 }
const VUS = [1, 2, 4, 8, 16, 32, 64]

function rules(spec: Partial<LevelsSpec>): string[] {
  const a = analyseCapacity(uslLevels({ lambda: 100, sigma: 0.02, kappa: 0.0005, vus: VUS, ...spec }), targets)
  return a.recommendations.map((r) => r.rule)
}

function recommendation(spec: Partial<LevelsSpec>, rule: string) {
  const a = analyseCapacity(uslLevels({ lambda: 100, sigma: 0.02, kappa: 0.0005, vus: VUS, ...spec }), targets)
  return a.recommendations.find((r) => r.rule === rule)
}

describe('recommendations from the shape of the curve', () => {
  test('σ dominant: contention (serialised sections, locks, pools)', () => {
    expect(rules({ sigma: 0.08, kappa: 0.00001 })).toEqual(['contention'])
    const r = recommendation({ sigma: 0.08, kappa: 0.00001 }, 'contention')
    expect(r?.text).toMatch(/locks .* connection or worker pools/)
    expect(r?.evidence.join(' ')).toMatch(/σ = 0.08 \(95 % interval/)
    expect(r?.evidence.join(' ')).toMatch(/at 64 VUs the contention term σ\(N−1\) = 5.04 and the coherency term κN\(N−1\) = 0.0403/)
  })

  test('κ dominant: coherency (shared caches, cross-node chatter), with the peak and the measured fall', () => {
    expect(rules({ sigma: 0.005, kappa: 0.001 })).toEqual(['coherency'])
    const evidence = recommendation({ sigma: 0.005, kappa: 0.001 }, 'coherency')?.evidence.join(' ')
    expect(evidence).toMatch(/throughput peaks near 32 VUs \(N\*\)/)
    expect(evidence).toMatch(/measured throughput fell from 1\d{3} req\/s at 32 VUs to \d+ req\/s at 64 VUs/)
  })

  test('κ dominant but throughput flat past N*: a fixed limit (a pool), not coherency', () => {
    // 4 slots of 20 ms: 50 req/s per VU up to 200 req/s, then flat.
    const levels = uslLevels({ lambda: 50, sigma: 0, kappa: 0, vus: [1, 2, 3, 4, 6, 8, 12, 16] }).map((l) => {
      const throughputRps = Math.min(l.throughputRps, 200)
      return { ...l, throughputRps, meanMs: (l.vus / throughputRps) * 1000, p95Ms: (l.vus / throughputRps) * 1000 * 1.2 }
    })
    const a = analyseCapacity(levels, targets)
    expect(a.model.kind === 'usl' && a.model.fit.kappa.value).toBeGreaterThan(0)
    expect(a.recommendations.map((r) => r.rule)).toEqual(['contention'])
    expect(a.recommendations[0].text).toMatch(/^Throughput levels off at a fixed limit/)
    expect(a.recommendations[0].evidence[0]).toBe('measured throughput levelled off near 200 req/s from 4 VUs and stayed within 5 % of it up to 16 VUs')
  })

  test('nearly linear: the run did not reach the limit', () => {
    expect(rules({ sigma: 0.0005, kappa: 0.000001 })).toEqual(['near-linear'])
  })
})

describe('recommendations from errors, by status', () => {
  test.each<{ statuses: Record<string, number>; rule: string }>([
    { statuses: { '429': 1 }, rule: 'rate-limited' },
    { statuses: { '503': 1 }, rule: 'over-capacity' },
    { statuses: { '0': 0.5, '504': 0.5 }, rule: 'timeouts' },
    { statuses: { '500': 1 }, rule: 'server-errors' },
  ])('$rule from the level where errors pass the limit', ({ statuses, rule }) => {
    const spec = { sigma: 0.08, kappa: 0.00001, errors: { fromLevel: 5, rate: 0.05, statuses } }
    expect(rules(spec)).toEqual(['contention', rule])
    expect(recommendation(spec, rule)?.evidence[0]).toMatch(/^at level 5 \(16 VUs\) 5% of requests failed, above the 1% limit: /)
    expect(recommendation(spec, rule)?.text).toMatch(/level 5 \(16 VUs\)/)
  })

  test('several kinds at once each speak once', () => {
    expect(rules({ sigma: 0.08, kappa: 0.00001, errors: { fromLevel: 5, rate: 0.05, statuses: { '429': 0.5, '503': 0.5 } } })).toEqual([
      'contention',
      'rate-limited',
      'over-capacity',
    ])
  })

  test('errors within the limit recommend nothing', () => {
    expect(rules({ sigma: 0.08, kappa: 0.00001, errors: { fromLevel: 5, rate: 0.005, statuses: { '503': 1 } } })).toEqual(['contention'])
  })
})

describe('an endpoint that dominates latency', () => {
  test('a data-intensive endpoint taking most of the request time', () => {
    const endpoints = [
      { name: 'GET /items', weight: 4, meanFactor: 1 },
      { name: 'GET /export', weight: 1, meanFactor: 10 },
      { name: 'GET /users', weight: 4, meanFactor: 1 },
    ]
    const r = recommendation({ sigma: 0.08, kappa: 0.00001, endpoints }, 'dominant-endpoint')
    expect(r?.text).toMatch(/^GET \/export dominates the request time: a data-intensive operation/)
    expect(r?.evidence[0]).toMatch(/^56% of request time at 64 VUs/)
  })

  test('endpoints sharing the time evenly: no such advice', () => {
    const endpoints = [
      { name: 'GET /items', weight: 1, meanFactor: 1 },
      { name: 'GET /users', weight: 1, meanFactor: 1.5 },
    ]
    expect(rules({ sigma: 0.08, kappa: 0.00001, endpoints })).toEqual(['contention'])
  })
})
