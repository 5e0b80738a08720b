/**
 * The diagnosis from recorded figures: the SLIs below were measured by real k6 runs of the sample
 * API (diagnosis-k6.test.ts: GET /reports/slow at 20 ms then 60 ms, GET /inventory/flaky failing
 * 30 % with 503, GET /capacity with 64 slots then 1 slot and a queue of 1); the tail-only case is
 * the issue's own example. Each test says what a reader of the comment would see.
 */
import { diagnoseEndpoints, errorLabel, type DiagnosisInput, type EndpointTraits } from '../../src/analyst/diagnosis.js'
import { failuresFromSummary } from '../../src/analyst/failure-counts.js'
import { results, sli, type Sli } from '../baseline/results-builder.js'
import type { ResultsFile } from '../../src/results/schema.js'

const BASE = {
  health: sli('GET /health', { requests: 5918, rps: 1882.97, avg_ms: 0.202, p50_ms: 0.143, p95_ms: 0.289, p99_ms: 1.598, error_rate_pct: 0 }),
  flaky: sli('GET /inventory/flaky', { requests: 5836, rps: 1856.88, avg_ms: 0.203, p50_ms: 0.146, p95_ms: 0.313, p99_ms: 1.374, error_rate_pct: 0 }),
  slow: sli('GET /reports/slow', { requests: 154, rps: 49.0, avg_ms: 20.314, p50_ms: 19.992, p95_ms: 22.371, p99_ms: 23.396, error_rate_pct: 0 }),
  capacity: sli('GET /capacity', { requests: 295, rps: 93.75, avg_ms: 20.939, p50_ms: 20.694, p95_ms: 23.026, p99_ms: 25.79, error_rate_pct: 0 }),
}
const NOW = {
  health: sli('GET /health', { requests: 6415, rps: 1985.35, avg_ms: 0.179, p50_ms: 0.138, p95_ms: 0.241, p99_ms: 1.404, error_rate_pct: 0 }),
  flaky: sli('GET /inventory/flaky', { requests: 6166, rps: 1908.29, avg_ms: 0.191, p50_ms: 0.141, p95_ms: 0.253, p99_ms: 1.511, error_rate_pct: 30.117 }),
  slow: sli('GET /reports/slow', { requests: 53, rps: 16.4, avg_ms: 60.712, p50_ms: 60.027, p95_ms: 64.365, p99_ms: null, error_rate_pct: 0 }),
  capacity: sli('GET /capacity', { requests: 311, rps: 95.1, avg_ms: 19.862, p50_ms: 20.539, p95_ms: 42.755, p99_ms: 47.607, error_rate_pct: 49.518 }),
}

function regressed(endpoint: string, metric = 'p95_ms') {
  return { endpoint, metric, current: null, baseline: null, change: null, reason: 'regressed' }
}

function input(now: Sli[], before: Sli[], flagged: string[], extra: Partial<DiagnosisInput> = {}): DiagnosisInput {
  const run = { ...results(now), regressions: flagged.map((e) => regressed(e)) }
  return {
    results: run,
    history: [results(before, { id: 'main-1' }), results(before, { id: 'main-2' }), results(before, { id: 'main-3' })],
    failures: [],
    ...extra,
  }
}

describe('the shape of a latency change', () => {
  it('calls a slowed endpoint a move of the whole distribution, with p50 before and after, and not saturation', () => {
    const [slow] = diagnoseEndpoints(input([NOW.slow], [BASE.slow], ['GET /reports/slow'])).endpoints
    expect(slow).toMatchObject({ endpoint: 'GET /reports/slow', flagged: ['regressed'], shape: 'whole-distribution', errors: [] })
    expect(slow!.latency.p50).toEqual({ before: 19.992, after: 60.027, change: 2.003 })
    // Three times the wait, a third of the requests: the VUs waited, the service was not full.
    expect(slow!.saturation).toBeUndefined()
    expect(slow!.headline).toBe('whole distribution +188%: p50 20 ms → 60 ms; no errors')
  })

  it('calls p95 and p99 up with p50 flat a change of the tail only', () => {
    const before = sli('GET /reports/slow', { p50_ms: 150, p95_ms: 160, p99_ms: 170, avg_ms: 152 })
    const now = sli('GET /reports/slow', { p50_ms: 152, p95_ms: 310, p99_ms: 335, avg_ms: 160 })
    const [d] = diagnoseEndpoints(input([now], [before], ['GET /reports/slow'])).endpoints
    expect(d!.shape).toBe('tail')
    expect(d!.headline).toBe('tail only: p95 160 ms → 310 ms (+94%), p99 +97%, p50 flat at 152 ms; no errors')
  })

  it('calls p50 up with p95 and p99 flat a change of the median only, not of the whole distribution', () => {
    const before = sli('GET /reports/slow', { p50_ms: 100, p95_ms: 300, p99_ms: 400, avg_ms: 140 })
    const now = sli('GET /reports/slow', { p50_ms: 140, p95_ms: 306, p99_ms: 404, avg_ms: 170 })
    const [d] = diagnoseEndpoints(input([now], [before], ['GET /reports/slow'])).endpoints
    expect(d!.shape).toBe('median')
    expect(d!.headline).toBe('median +40%: p50 100 ms → 140 ms, tail unchanged (p95 +2%); no errors')
  })

  it('calls p50 and p95 up together the whole distribution, p99 unmeasured', () => {
    const before = sli('GET /reports/slow', { p50_ms: 100, p95_ms: 120, p99_ms: 130, avg_ms: 104 })
    const now = sli('GET /reports/slow', { p50_ms: 150, p95_ms: 180, p99_ms: null, avg_ms: 155 })
    const [d] = diagnoseEndpoints(input([now], [before], ['GET /reports/slow'])).endpoints
    expect(d!.shape).toBe('whole-distribution')
    expect(d!.headline).toBe('whole distribution +50%: p50 100 ms → 150 ms; no errors')
  })

  it('says p50 went down when refusals answered at once pull it below the served answers', () => {
    // A real overloaded GET /capacity run (the CLI, by hand): half its answers were 503s in under a millisecond.
    const before = sli('GET /capacity', { p50_ms: 21.5, p95_ms: 25.8, p99_ms: 30.9, avg_ms: 21.9, rps: 91.5 })
    const now = sli('GET /capacity', { p50_ms: 5.18, p95_ms: 50, p99_ms: 56.8, avg_ms: 19, rps: 101, error_rate_pct: 57.98 })
    const [d] = diagnoseEndpoints(input([now], [before], ['GET /capacity'])).endpoints
    expect(d!.shape).toBe('tail')
    expect(d!.headline).toMatch(/^tail only: p95 25\.8 ms → 50 ms \(\+94%\), p99 \+84%, p50 down 21\.5 ms → 5\.18 ms; saturation: /)
  })

  it('reads the issue example as the whole distribution: p50 150 → 301 ms, p99 +97 %', () => {
    const before = sli('GET /reports/slow', { p50_ms: 150, p95_ms: 160, p99_ms: 170, avg_ms: 152, rps: 50 })
    const now = sli('GET /reports/slow', { p50_ms: 301, p95_ms: 312, p99_ms: 335, avg_ms: 303, rps: 25 })
    const [d] = diagnoseEndpoints(input([now], [before], ['GET /reports/slow'])).endpoints
    expect(d!.headline).toBe('whole distribution +95%: p50 150 ms → 301 ms, p99 +97%; no errors')
  })

  it('says the error rate moved instead of latency, with each code counted and labelled', () => {
    const failures = [{ endpoint: 'GET /inventory/flaky', errors: [{ code: '503', count: 1857, retry_after: 0 }] }]
    const [flaky] = diagnoseEndpoints(input([NOW.flaky], [BASE.flaky], ['GET /inventory/flaky'], { failures })).endpoints
    expect(flaky!.shape).toBe('errors')
    expect(flaky!.errors).toEqual([{ code: '503', count: 1857, label: 'unavailable', retry_after: 0, new: true }])
    expect(flaky!.headline).toBe('errors instead of latency: error rate 0% → 30.1%, p95 −19%; errors: 503 × 1,857 (unavailable)')
  })

  it('without base-branch figures gives the figures as they are, no shape', () => {
    const run = { ...results([NOW.slow]), slo_breaches: [{ endpoint: 'GET /reports/slow', limit: 'p95', threshold: 50, actual: 64.365 }] }
    const [d] = diagnoseEndpoints({ results: run, history: [], failures: [] }).endpoints
    expect(d).toMatchObject({ flagged: ['breached'], shape: 'no-baseline' })
    expect(d!.headline).toBe('no baseline: p50 60 ms, p95 64.4 ms, p99 –; no errors')
  })

  it('diagnoses only breached or regressed endpoints', () => {
    const d = diagnoseEndpoints(input([NOW.health, NOW.slow], [BASE.health, BASE.slow], ['GET /reports/slow']))
    expect(d.endpoints.map((e) => e.endpoint)).toEqual(['GET /reports/slow'])
  })
})

describe('an overloaded service', () => {
  it('shows saturation and 503 over_capacity with Retry-After when fewer answers succeed and the tail grows', () => {
    const failures = [{ endpoint: 'GET /capacity', errors: [{ code: '503', count: 154, retry_after: 154 }] }]
    const [d] = diagnoseEndpoints(input([NOW.capacity], [BASE.capacity], ['GET /capacity'], { failures })).endpoints
    expect(d!.saturation).toEqual({ rps_before: 93.75, rps_after: 48.008, rps_change: -0.488, p95_change: 0.857 })
    expect(d!.errors).toEqual([{ code: '503', count: 154, label: 'over_capacity', retry_after: 154, new: true }])
    expect(d!.headline).toBe(
      'tail only: p95 23 ms → 42.8 ms (+86%), p99 +85%, p50 flat at 20.5 ms; saturation: throughput −49% (94 → 48 ok/s); errors: 503 × 154 (over_capacity), retry-after present',
    )
  })

  it('labels rate limiting, timeouts and refused connections', () => {
    expect(errorLabel({ code: '429', count: 10, retry_after: 10 })).toBe('rate_limited')
    expect(errorLabel({ code: '503', count: 10, retry_after: 2 })).toBe('unavailable')
    expect(errorLabel({ code: 'timeout', count: 3, retry_after: 0 })).toBe('timeout')
    expect(errorLabel({ code: 'connection-refused', count: 3, retry_after: 0 })).toBe('connection_refused')
    expect(errorLabel({ code: '5xx', count: 3, retry_after: 0 })).toBe('server_error')
    expect(errorLabel({ code: '405', count: 3, retry_after: 0 })).toBe('method_not_allowed')
    expect(errorLabel({ code: '418', count: 3, retry_after: 0 })).toBe('client_error')
  })
})

describe('statuses the script counts only by class', () => {
  it('names a status exactly when it was the only one, else its class with the range seen', () => {
    const failures = [
      {
        endpoint: 'GET /inventory/flaky',
        errors: [
          { code: '4xx', count: 12, codes: { min: 405, max: 418 }, retry_after: 0 },
          { code: '501', count: 3, retry_after: 0 },
        ],
      },
    ]
    const [d] = diagnoseEndpoints(input([NOW.flaky], [BASE.flaky], ['GET /inventory/flaky'], { failures })).endpoints
    expect(d!.errors).toEqual([
      { code: '4xx', count: 12, codes: { min: 405, max: 418 }, label: 'client_error', retry_after: 0, new: true },
      { code: '501', count: 3, label: 'not_implemented', retry_after: 0, new: true },
    ])
    expect(d!.headline).toMatch(/; errors: 4xx × 12 \(codes 405–418\), 501 × 3 \(not_implemented\)$/)
  })
})

describe('new error codes', () => {
  it('calls a code new only when no base-branch run recorded it on that endpoint', () => {
    const before: ResultsFile = {
      ...results([BASE.flaky]),
      diagnosis: { endpoints: [], shared: [], failures: [{ endpoint: 'GET /inventory/flaky', errors: [{ code: '500', count: 12, retry_after: 0 }] }] },
    }
    const failures = [
      {
        endpoint: 'GET /inventory/flaky',
        errors: [
          { code: '500', count: 900, retry_after: 0 },
          { code: 'timeout', count: 4, retry_after: 0 },
        ],
      },
    ]
    const run = { ...results([NOW.flaky]), regressions: [regressed('GET /inventory/flaky', 'error_rate_pct')] }
    const [d] = diagnoseEndpoints({ results: run, history: [before], failures }).endpoints
    expect(d!.errors.map((e) => [e.code, e.new])).toEqual([
      ['500', false],
      ['timeout', true],
    ])
    expect(d!.headline).toMatch(/; errors: timeout × 4 \(timeout\)$/)
  })

  it('says "no new errors" when every code was seen before', () => {
    const before: ResultsFile = {
      ...results([BASE.flaky]),
      diagnosis: { endpoints: [], shared: [], failures: [{ endpoint: 'GET /inventory/flaky', errors: [{ code: '500', count: 12, retry_after: 0 }] }] },
    }
    const failures = [{ endpoint: 'GET /inventory/flaky', errors: [{ code: '500', count: 900, retry_after: 0 }] }]
    const run = { ...results([NOW.flaky]), regressions: [regressed('GET /inventory/flaky', 'error_rate_pct')] }
    const [d] = diagnoseEndpoints({ results: run, history: [before], failures }).endpoints
    expect(d!.headline).toMatch(/; no new errors \(as before: 500 × 900 \(server_error\)\)$/)
  })

  it('keeps every endpoint’s failures, flagged or not, for the next run to compare with', () => {
    const failures = [
      { endpoint: 'GET /health', errors: [{ code: '404', count: 2, retry_after: 0 }] },
      { endpoint: 'GET /reports/slow', errors: [] },
    ]
    const d = diagnoseEndpoints(input([NOW.health, NOW.slow], [BASE.health, BASE.slow], ['GET /reports/slow'], { failures }))
    expect(d.failures).toEqual([{ endpoint: 'GET /health', errors: [{ code: '404', count: 2, retry_after: 0 }] }])
  })
})

describe('what flagged endpoints share', () => {
  const traits: EndpointTraits[] = [
    { endpoint: 'GET /reports/slow', path: '/reports/slow', tags: ['reports'], category: 'data-intensive', server: 'http://127.0.0.1:8080' },
    { endpoint: 'GET /reports/{id}', path: '/reports/{id}', tags: ['reports'], category: 'standard', server: 'http://127.0.0.1:8080' },
    { endpoint: 'GET /health', path: '/health', tags: ['catalog'], category: 'standard', server: 'http://127.0.0.1:8080' },
  ]
  it('names a path prefix and a tag two regressed endpoints have, not the server every endpoint has', () => {
    const other = sli('GET /reports/{id}', { p50_ms: 40, p95_ms: 90 })
    const d = diagnoseEndpoints(
      input(
        [NOW.slow, other, NOW.health],
        [BASE.slow, sli('GET /reports/{id}', { p50_ms: 20, p95_ms: 45 }), BASE.health],
        ['GET /reports/slow', 'GET /reports/{id}'],
        { traits },
      ),
    )
    expect(d.shared).toEqual([
      { kind: 'path-prefix', value: '/reports', endpoints: ['GET /reports/slow', 'GET /reports/{id}'] },
      { kind: 'tag', value: 'reports', endpoints: ['GET /reports/slow', 'GET /reports/{id}'] },
    ])
    expect(d.endpoints[0]!.shared).toEqual(['path /reports/*', 'tag reports'])
  })

  it('names the server when every endpoint regressed', () => {
    const flagged = traits.map((t) => t.endpoint)
    const d = diagnoseEndpoints(
      input([NOW.slow, sli('GET /reports/{id}'), NOW.health], [BASE.slow, sli('GET /reports/{id}'), BASE.health], flagged, { traits }),
    )
    expect(d.shared).toContainEqual({ kind: 'server', value: 'http://127.0.0.1:8080', endpoints: flagged })
  })
})

describe('failure counts from k6’s summary', () => {
  it('reads the script’s counters by operation index, with Retry-After, leaving out endpoints without failures', () => {
    const summary = {
      metrics: {
        perf_xi_failed_1_503: { count: 154 },
        perf_xi_failed_1_503_retry_after: { count: 150 },
        perf_xi_failed_1_connection_refused: { count: 3 },
        perf_xi_failed_0_200: { count: 9 },
      },
    }
    expect(failuresFromSummary(summary, ['GET /health', 'GET /capacity', 'GET /reports/slow'])).toEqual([
      {
        endpoint: 'GET /capacity',
        errors: [
          { code: '503', count: 154, retry_after: 150 },
          { code: 'connection-refused', count: 3, retry_after: 0 },
        ],
      },
    ])
  })

  it('names a status counted by class from its trend: one status exactly, several as a range', () => {
    // As src/k6/summary.ts reads k6’s export (a trend carries each of summaryTrendStats’ statistics).
    const trend = (min: number, max: number, count: number) => ({ avg: (min + max) / 2, min, p50: min, max, p90: max, p95: max, p99: max, count })
    const summary = {
      metrics: {
        perf_xi_failed_0_4xx: { count: 12 },
        perf_xi_failed_0_4xx_status: trend(405, 405, 12),
        perf_xi_failed_0_5xx: { count: 4 },
        perf_xi_failed_0_5xx_status: trend(501, 505, 4),
        // A plan of over 50 endpoints: one trend per class, read per operation through its tag.
        perf_xi_failed_4xx: { count: 7 },
        'perf_xi_failed_4xx{perf_xi_op:1}': { count: 7 },
        perf_xi_failed_4xx_status: trend(410, 410, 7),
        'perf_xi_failed_4xx_status{perf_xi_op:1}': trend(410, 410, 7),
        // A script written before the trends: the class alone.
        perf_xi_failed_2_5xx: { count: 2 },
      },
    }
    expect(failuresFromSummary(summary, ['GET /a', 'GET /b', 'GET /c'])).toEqual([
      {
        endpoint: 'GET /a',
        errors: [
          { code: '405', count: 12, retry_after: 0 },
          { code: '5xx', count: 4, codes: { min: 501, max: 505 }, retry_after: 0 },
        ],
      },
      { endpoint: 'GET /b', errors: [{ code: '410', count: 7, retry_after: 0 }] },
      { endpoint: 'GET /c', errors: [{ code: '5xx', count: 2, retry_after: 0 }] },
    ])
  })
})
