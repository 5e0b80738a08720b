import { isUnreadable } from '../../src/baseline/regression.js'
import { onlyDefaults, recommendSlos, slosInForce, withSloRecommendations, type InForceLimit } from '../../src/analyst/slo-recommendations.js'
import type { ResultsFile, SloRecommendations } from '../../src/results/schema.js'
import { ResultsFileSchema } from '../../src/results/schema.js'
import { results, sli } from '../baseline/results-builder.js'
import { FIXTURE_SHAPE, history } from './history-fixtures.js'

/** The defaults the recorded runs ran under, as their slo_checks record them (no config line). */
function defaultsInForce(): InForceLimit[] {
  const newest = history('steady').entries.find((e): e is ResultsFile => !isUnreadable(e))!
  return slosInForce(newest.slo_checks)
}

function proposed(rec: SloRecommendations): Record<string, Record<string, number>> {
  return Object.fromEntries(rec.endpoints.map((e) => [e.endpoint, Object.fromEntries(e.limits.map((l) => [l.limit, l.value]))]))
}

function limitOf(rec: SloRecommendations, endpoint: string, limit: string) {
  return rec.endpoints.find((e) => e.endpoint === endpoint)!.limits.find((l) => l.limit === limit)!
}

describe('recommendSlos on a recorded history of 8 steady runs', () => {
  const rec = recommendSlos({ history: history('steady'), loadShape: FIXTURE_SHAPE, inForce: defaultsInForce() })

  it('says how many runs it used, and proposes p95, p99 and error-rate limits a person would write', () => {
    expect(rec.status).toBe('ok')
    expect(rec.runs_used).toBe(8)
    expect(rec.runs_needed).toBe(5)
    expect(rec.headline).toMatch(/^SLOs proposed for 5 endpoints from 8 runs of folder /)
    expect(proposed(rec)).toEqual({
      'GET /health': { p95: 6, p99: 10, 'error-rate': 0.5 },
      'GET /inventory/flaky': { p95: 30, p99: 50, 'error-rate': 8 },
      'GET /products': { p95: 80, p99: 150, 'error-rate': 0.5 },
      'GET /products/{id}': { p95: 1500, p99: 2000, 'error-rate': 0.5 },
      // 40 requests a run: 3 failed requests are 7.5 %, so the error-rate limit is at least that.
      'GET /reports/slow': { p95: 500, 'error-rate': 8 },
    })
  })

  it('puts the limit at the 95 % prediction bound of the log latencies × 1.2, rounded up', () => {
    const products = limitOf(rec, 'GET /products', 'p95')
    // p95s 47…60 ms: mean of logs 3.9251, s 0.0790; t(0.95; 7) = 1.8946 from the tables.
    const logs = [48, 52, 50, 55, 47, 51, 60, 49].map(Math.log)
    const mean = logs.reduce((a, b) => a + b, 0) / 8
    const sd = Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / 7)
    expect(products.bound).toBeCloseTo(Math.exp(mean + 1.894579 * sd * Math.sqrt(1 + 1 / 8)), 3)
    expect(products.bound).toBeCloseTo(60.27, 2)
    expect(products.value).toBe(80) // 60.27 × 1.2 = 72.3 → 80
  })

  it('backtests every limit: none would have failed a run of this history, and each says the smallest regression it catches', () => {
    const rows = rec.endpoints.flatMap((e) => e.limits.map((l) => [e.endpoint, l.limit, l.failed_runs, l.runs, Number(l.smallest_caught.toFixed(3))]))
    expect(rows).toEqual([
      ['GET /health', 'p95', 0, 8, 1.412],
      ['GET /health', 'p99', 0, 8, 1.493],
      ['GET /health', 'error-rate', 0, 8, 0.5],
      ['GET /inventory/flaky', 'p95', 0, 8, 1.432],
      ['GET /inventory/flaky', 'p99', 0, 8, 1.582],
      ['GET /inventory/flaky', 'error-rate', 0, 8, 2.75],
      ['GET /products', 'p95', 0, 8, 1.584],
      ['GET /products', 'p99', 0, 8, 1.775],
      ['GET /products', 'error-rate', 0, 8, 0.5],
      ['GET /products/{id}', 'p95', 0, 8, 1.579],
      ['GET /products/{id}', 'p99', 0, 8, 1.619],
      ['GET /products/{id}', 'error-rate', 0, 8, 0.5],
      ['GET /reports/slow', 'p95', 0, 8, 1.595],
      ['GET /reports/slow', 'error-rate', 0, 8, 8],
    ])
  })

  it('leaves out a percentile too few runs could measure, and says why', () => {
    expect(rec.endpoints.find((e) => e.endpoint === 'GET /reports/slow')!.notes).toEqual([
      'p99: measured in 0 of 8 runs, 5 needed (a run with too few samples for it leaves it out)',
    ])
  })

  it('flags the defaults in force that flap or catch nothing', () => {
    const flags = rec.gates_in_force.map((g) => [g.endpoint, g.limit, g.kind, g.failed_runs, g.runs])
    expect(flags).toEqual([
      ['GET /health', 'p95', 'catches-nothing', 0, 8],
      ['GET /products', 'p95', 'catches-nothing', 0, 8],
      // 1010 and 1050 ms against 1 s: 2 of 8 runs, 25 %.
      ['GET /products/{id}', 'p95', 'flapping', 2, 8],
      ['GET /inventory/flaky', 'p95', 'catches-nothing', 0, 8],
      ['GET /inventory/flaky', 'error-rate', 'flapping', 8, 8],
      ['GET /reports/slow', 'p95', 'catches-nothing', 0, 8],
    ])
    expect(rec.gates_in_force.find((g) => g.kind === 'flapping')!.reason).toBe('p95 1 s failed in 2 of 8 base-branch runs (25%): it flaps on unchanged code')
    expect(rec.gates_in_force[0].reason).toBe("p95 1 s is 235× the history's median 4.25 ms: even a doubling (8.5 ms) would pass")
  })

  it('takes another margin', () => {
    const tight = recommendSlos({ history: history('steady'), loadShape: FIXTURE_SHAPE, inForce: [], margin: 1 })
    expect(limitOf(tight, 'GET /products', 'p95').value).toBe(80) // 60.27 → 80 either way
    expect(limitOf(tight, 'GET /health', 'p95').value).toBe(5) // 4.93 → 5
    expect(limitOf(tight, 'GET /health', 'p95').failed_runs).toBe(0)
  })
})

describe('recommendSlos backtest on a history with one slow outlier', () => {
  // Seven runs at 100 ms and one at 1200 ms: the bound (797 ms) × 1.2 rounds to 1 s, which that run breaches.
  const runs = [100, 100, 100, 100, 100, 100, 100, 1200].map((p95, i) =>
    results([sli('GET /orders', { p95_ms: p95, p99_ms: p95 * 2 })], { id: `run-${i}`, finishedAt: `2026-11-0${i + 1}T10:00:00.000Z` }),
  )
  const rec = recommendSlos({ history: { entries: runs, source: 'test', branch: 'main', notes: [] }, loadShape: null, inForce: [] })

  it('counts the run the proposed limit would have failed, and the smallest regression it still catches', () => {
    const p95 = limitOf(rec, 'GET /orders', 'p95')
    expect(p95.bound).toBeCloseTo(797.3, 1)
    expect(p95.value).toBe(1000)
    expect(p95.failed_runs).toBe(1)
    expect(p95.runs).toBe(8)
    expect(p95.median).toBe(100)
    expect(p95.smallest_caught).toBe(10)
  })
})

describe('recommendSlos: histories it cannot recommend from', () => {
  it('a history too short: says how many runs are needed and how many there are', () => {
    const rec = recommendSlos({ history: history('short'), loadShape: FIXTURE_SHAPE, inForce: [] })
    expect(rec.status).toBe('too-few-runs')
    expect(rec.endpoints).toEqual([])
    expect(rec.headline).toMatch(/^SLO recommendations need at least 5 base-branch runs of the same load shape; folder \S+ has 3$/)
  })

  it('unreadable entries, another load shape and a run that did not run are left out, each named, and do not count', () => {
    const rec = recommendSlos({ history: history('steady', 'damaged'), loadShape: FIXTURE_SHAPE, inForce: [] })
    expect(rec.runs_used).toBe(8)
    expect(rec.left_out).toEqual([
      { run_id: '120021-1', kind: 'did-not-run', reason: 'the test did not run properly (verdict error)' },
      {
        run_id: '120020-1',
        kind: 'other-shape',
        reason: `another load shape (9d41be07a3c2f580, not ${FIXTURE_SHAPE}): profile, VUs, duration, endpoints or target differ`,
      },
      { run_id: '2026-11-22T09-00-30-000Z', kind: 'unreadable', reason: expect.stringMatching(/^2026-11-22T09-00-30-000Z\.json is not valid JSON \(/) },
      { run_id: 'k6-summary', kind: 'unreadable', reason: expect.stringMatching(/^k6-summary\.json is not a Perf-Xi results file/) },
    ])
    // The same proposals as from the steady runs alone.
    expect(proposed(rec)).toEqual(proposed(recommendSlos({ history: history('steady'), loadShape: FIXTURE_SHAPE, inForce: [] })))
  })

  it('a short history with damaged entries: the runs left out counted, each unreadable entry named, in one line', () => {
    const rec = recommendSlos({ history: history('short', 'damaged'), loadShape: FIXTURE_SHAPE, inForce: [] })
    expect(rec.headline).toMatch(
      new RegExp(
        '^SLO recommendations need at least 5 base-branch runs of the same load shape; folder \\S+ has 3 ' +
          '\\(1 run of another load shape and 1 run that did not run properly left out; unreadable, left out: ' +
          '2026-11-22T09-00-30-000Z\\.json is not valid JSON \\([^)]*\\); k6-summary\\.json is not a Perf-Xi results file \\(.*\\)\\)$',
      ),
    )
  })
})

describe('withSloRecommendations: the gate section', () => {
  const current = (checks: ResultsFile['slo_checks']) =>
    ResultsFileSchema.parse({ ...results([sli('GET /health'), sli('GET /products')], { id: 'pr-run' }), slo_checks: checks })
  const check = (endpoint: string, line: number | null) => ({
    endpoint,
    limit: 'p95',
    threshold: 1000,
    actual: 5,
    status: 'pass' as const,
    selector: line === null ? 'category:standard' : '*',
    line,
  })

  it('proposes SLOs, for this run’s endpoints, when the SLOs in force are only defaults', () => {
    const out = withSloRecommendations(current([check('GET /health', null), check('GET /products', null)]), history('steady'))
    expect(out.slo_recommendations?.only_defaults).toBe(true)
    expect(out.slo_recommendations?.endpoints.map((e) => e.endpoint)).toEqual(['GET /health', 'GET /products'])
    expect(ResultsFileSchema.parse(out).slo_recommendations).toEqual(out.slo_recommendations)
  })

  it('leaves the results as they are when a config line sets any SLO', () => {
    const run = current([check('GET /health', null), check('GET /products', 12)])
    expect(withSloRecommendations(run, history('steady'))).toBe(run)
    expect(onlyDefaults(slosInForce(run.slo_checks))).toBe(false)
  })
})
