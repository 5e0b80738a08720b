import {
  compareWithBaseline,
  toResultsRegressions,
  type HistoryEntry,
  type MetricComparison,
  type RegressionOptions,
  type UnreadableHistoryEntry,
} from '../../src/baseline/regression.js'
import { results, sli, type Sli } from './results-builder.js'

/** One base-branch run per value set: `runs([{ p95_ms: 118 }, …], 'GET /items')`. */
function runs(values: Array<Partial<Sli>>, endpoint = 'GET /items'): HistoryEntry[] {
  return values.map((v, i) => results([sli(endpoint, v)], { id: `base-${i}` }))
}
const steady = (metric: keyof Sli, values: number[], endpoint = 'GET /items') =>
  runs(
    values.map((v) => ({ [metric]: v })),
    endpoint,
  )
const unreadable = (runId: string, reason = 'results.json: schema perf-xi/results@0 is not perf-xi/results@1'): UnreadableHistoryEntry => ({
  unreadable: true,
  reason,
  runId,
})

function judge(current: Partial<Sli>, history: HistoryEntry[], options: RegressionOptions = {}): MetricComparison {
  const metric = options.metrics?.[0] ?? 'p95_ms'
  const report = compareWithBaseline([sli('GET /items', current)], history, { ...options, metrics: [metric] })
  return report.comparisons[0]
}

const QUIET_5 = [118, 120, 122, 119, 121]

describe('latency: regressed only beyond both the threshold and the run-to-run noise', () => {
  it.each([
    { what: 'a large rise over a quiet history regresses', current: 182, history: QUIET_5, expected: 'regressed' },
    { what: 'a rise inside the noise is unchanged', current: 131, history: QUIET_5, expected: 'unchanged' },
    { what: 'a large fall improves', current: 80, history: QUIET_5, expected: 'improved' },
    { what: 'the same rise over a noisy history is unchanged', current: 182, history: [80, 160, 120, 100, 150], expected: 'unchanged' },
    { what: '+12 % over 100 flat runs regresses: the threshold is the bar', current: 134.4, history: Array(100).fill(120), expected: 'regressed' },
    { what: '+9 % over 100 flat runs is under the 10 % threshold', current: 130.8, history: Array(100).fill(120), expected: 'unchanged' },
    { what: '+100 % over 2 runs is not judged', current: 240, history: [120, 121], expected: 'insufficient-history' },
    { what: 'a single run is not judged either', current: 240, history: [120], expected: 'insufficient-history' },
    { what: 'an empty history is no baseline', current: 240, history: [], expected: 'no-baseline' },
  ])('$what', ({ current, history, expected }) => {
    expect(judge({ p95_ms: current }, steady('p95_ms', history)).state).toBe(expected)
  })

  it('explains a regression in one line: values, change, and the noise it beat', () => {
    const c = judge({ p95_ms: 182 }, steady('p95_ms', QUIET_5))
    expect(c).toMatchObject({ current: 182, currentValues: [182], currentRuns: 1, historyRuns: 5, gating: true })
    expect(c.baseline).toBeCloseTo(120, 1) // geometric mean of the history
    expect(c.relativeChange).toBeCloseTo(0.5168, 3)
    expect(c.absoluteChange).toBeCloseTo(62, 1)
    expect(c.reason).toBe('p95 182 ms vs 120 ms baseline (+52%, beyond the ±24% run-to-run noise of 5 runs)')
    expect(c.noise!.tolerance).toBeCloseTo(0.238, 3)
    expect(c.severity).toBeGreaterThan(1)
    expect(c.barRatio).toBe(c.severity)
  })

  it.each([
    { what: 'within noise', current: 131, history: QUIET_5, reason: 'p95 131 ms vs 120 ms baseline (+9.2%, within the ±24% run-to-run noise of 5 runs)' },
    {
      what: 'under the threshold',
      current: 130.8,
      history: Array(100).fill(120),
      reason: 'p95 131 ms vs 120 ms baseline (+9%, under the 10% threshold; noise ±7% over 100 runs)',
    },
    {
      what: 'beyond a threshold that is above the noise',
      current: 134.4,
      history: Array(100).fill(120),
      reason: 'p95 134 ms vs 120 ms baseline (+12%, beyond the 10% threshold and the ±7% run-to-run noise of 100 runs)',
    },
    {
      what: 'too little history',
      current: 240,
      history: [120, 121],
      reason: 'p95 240 ms vs 120 ms over 2 runs (+99%): 3 base-branch runs are needed to judge run-to-run noise, so this is not called a regression',
    },
    { what: 'no baseline', current: 240, history: [], reason: 'p95 240 ms: no base-branch run measured this endpoint' },
  ])('says why when $what', ({ current, history, reason }) => {
    expect(judge({ p95_ms: current }, steady('p95_ms', history)).reason).toBe(reason)
  })

  it('does not trust a few lucky, identical runs: the noise prior fades as history grows', () => {
    const band = (n: number) => judge({ p95_ms: 120 }, steady('p95_ms', Array(n).fill(120))).noise!.tolerance
    expect(band(3)).toBeCloseTo(0.276, 3)
    expect(band(5)).toBeCloseTo(0.237, 3)
    expect(band(10)).toBeCloseTo(0.19, 3)
    expect(band(50)).toBeCloseTo(0.098, 3)
  })

  it('ignores sub-millisecond jitter on a fast endpoint (1 ms floor)', () => {
    const c = judge({ p95_ms: 2.8 }, steady('p95_ms', [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]))
    expect(c.state).toBe('unchanged')
    expect(c.reason).toBe('p95 2.8 ms vs 2 ms baseline (+40%, but only 0.8 ms, under the 1 ms floor)')
    expect(judge({ p95_ms: 2.8 }, steady('p95_ms', Array(10).fill(2)), { absoluteFloors: { p95_ms: 0.5 } }).state).toBe('regressed')
  })

  it('takes per-metric thresholds over the global one', () => {
    const history = steady('p99_ms', Array(10).fill(200))
    expect(judge({ p99_ms: 260 }, history, { metrics: ['p99_ms'] }).state).toBe('regressed')
    expect(judge({ p99_ms: 260 }, history, { metrics: ['p99_ms'], thresholds: { p99_ms: 0.5 } }).state).toBe('unchanged')
    expect(judge({ p99_ms: 260 }, history, { metrics: ['p99_ms'], relativeThreshold: 0.5 }).state).toBe('unchanged')
  })

  it('honours min-history', () => {
    const history = steady('p95_ms', QUIET_5)
    expect(judge({ p95_ms: 182 }, history, { minHistory: 6 }).state).toBe('insufficient-history')
    expect(judge({ p95_ms: 182 }, history.slice(0, 2), { minHistory: 2 }).state).toBe('regressed')
  })

  it('one wild base-branch run widens the band rather than raising an alarm, in either direction', () => {
    // The geometric mean moves with an outlier run, but the spread moves far more: the safe direction.
    const slowOutlier = judge({ p95_ms: 182 }, steady('p95_ms', [118, 120, 600, 119, 121]))
    expect(slowOutlier.baseline).toBeCloseTo(165, 0)
    expect(slowOutlier.state).toBe('unchanged')
    const fastOutlier = judge({ p95_ms: 120 }, steady('p95_ms', [118, 120, 20, 119, 121]))
    expect(fastOutlier.baseline).toBeCloseTo(83.6, 1)
    expect(fastOutlier).toMatchObject({ state: 'unchanged', reason: 'p95 120 ms vs 83.6 ms baseline (+44%, within the ±204% run-to-run noise of 5 runs)' })
  })
})

describe('direction: latency and errors regress upward, throughput downward', () => {
  it.each([
    { what: 'throughput down 30 % regresses', metric: 'rps', current: 70, expected: 'regressed' },
    { what: 'throughput up 30 % improves', metric: 'rps', current: 130, expected: 'improved' },
    { what: 'throughput down 5 % is unchanged', metric: 'rps', current: 95, expected: 'unchanged' },
    { what: 'p99 down 30 % improves', metric: 'p99_ms', current: 70, expected: 'improved' },
    { what: 'p99 up 30 % regresses', metric: 'p99_ms', current: 130, expected: 'regressed' },
  ] as const)('$what', ({ metric, current, expected }) => {
    const c = judge({ [metric]: current }, steady(metric, [99, 100, 101, 100, 99]), { metrics: [metric] })
    expect(c.state).toBe(expected)
  })

  it('words a throughput drop as a drop', () => {
    const c = judge({ rps: 70 }, steady('rps', [99, 100, 101, 100, 99]), { metrics: ['rps'] })
    expect(c.reason).toMatch(/^throughput 70 req\/s vs 99\.8 req\/s baseline \(-30%, beyond the ±\d+% run-to-run noise of 5 runs\)$/)
    expect(c.severity).toBeGreaterThan(1)
  })
})

describe('error rate: percentage points with a floor, not a relative change of a near-zero rate', () => {
  const zeros = (requests = 1000) => runs(Array.from({ length: 5 }, () => ({ error_rate_pct: 0, requests })))
  const opts = { metrics: ['error_rate_pct'] } as const

  it.each([
    { what: '0 % → 0.3 % is under the 0.5 pp floor', current: { error_rate_pct: 0.3 }, history: zeros(), expected: 'unchanged' },
    { what: '0 % → 2 % of 1000 requests regresses', current: { error_rate_pct: 2 }, history: zeros(), expected: 'regressed' },
    { what: '0 % → 0.6 % (6 of 1000) regresses: past the floor and not chance', current: { error_rate_pct: 0.6 }, history: zeros(), expected: 'regressed' },
    {
      what: '1 failure of 150 (0.67 %) is past the floor but could be chance',
      current: { error_rate_pct: (1 / 150) * 100, requests: 150 },
      history: zeros(150),
      expected: 'unchanged',
    },
    { what: 'fewer requests than min-requests cannot be judged', current: { error_rate_pct: 4, requests: 50 }, history: zeros(), expected: 'no-data' },
    {
      what: 'a flaky endpoint within its usual spread is unchanged',
      current: { error_rate_pct: 3.5 },
      history: steady('error_rate_pct', [0, 3, 0, 4, 1]),
      expected: 'unchanged',
    },
    {
      what: '20 % → 21 % is under 10 % of the baseline rate',
      current: { error_rate_pct: 21 },
      history: steady('error_rate_pct', [20, 20, 20, 20, 20]),
      expected: 'unchanged',
    },
    { what: '20 % → 30 % regresses', current: { error_rate_pct: 30 }, history: steady('error_rate_pct', [20, 20.5, 19.5, 20, 20]), expected: 'regressed' },
    { what: '5 % → 0 % improves', current: { error_rate_pct: 0 }, history: steady('error_rate_pct', [5, 5.2, 4.8, 5, 5.1]), expected: 'improved' },
  ])('$what', ({ current, history, expected }) => {
    expect(judge(current, history, opts).state).toBe(expected)
  })

  it('reports the change in percentage points and the failed requests', () => {
    const c = judge({ error_rate_pct: 2 }, zeros(), opts)
    expect(c.relativeChange).toBeNull()
    expect(c.absoluteChange).toBe(2)
    expect(c.reason).toBe('errors 2% vs 0% baseline (+2 pp, beyond the 0.5 pp floor; 20 of 1000 requests failed)')
  })

  it('says when a change past the floor could still be chance', () => {
    const c = judge({ error_rate_pct: (1 / 150) * 100, requests: 150 }, zeros(150), opts)
    expect(c.reason).toBe("errors 0.67% vs 0% baseline (+0.67 pp, 1 of 150 requests failed, too few to rule out chance against the baseline's 0 of 750)")
  })

  it('says why it cannot judge a run with few requests', () => {
    expect(judge({ error_rate_pct: 4, requests: 50 }, zeros(), opts).reason).toBe(
      'errors 4%: only 50 requests, fewer than the 100 needed to judge an error rate',
    )
  })
})

describe('missing data on either side', () => {
  it('a metric this run did not measure is no-data, not a regression', () => {
    expect(judge({ p99_ms: null }, steady('p99_ms', [200, 200, 200]), { metrics: ['p99_ms'] })).toMatchObject({
      state: 'no-data',
      reason: 'p99: k6 did not report it in this run',
    })
    expect(judge({ requests: 0, p95_ms: null }, steady('p95_ms', QUIET_5)).reason).toBe('p95: no requests were measured in this run')
  })

  it('a metric the base branch never measured is no-baseline, and says so', () => {
    expect(judge({ p99_ms: 250 }, steady('p99_ms', [null, null, null] as unknown as number[]), { metrics: ['p99_ms'] })).toMatchObject({
      state: 'no-baseline',
      reason: 'p99 250 ms: the base-branch runs did not measure p99 for this endpoint',
    })
  })

  it('history runs that missed the metric do not count toward min-history', () => {
    const history = steady('p95_ms', [120, 121, 119]).concat(runs([{ p95_ms: null, requests: 0 }]))
    expect(judge({ p95_ms: 182 }, history).historyRuns).toBe(3)
  })

  it('new endpoints have no baseline; removed ones are listed', () => {
    const history = [0, 1, 2].map((i) => results([sli('GET /a'), sli('GET /gone')], { id: `base-${i}` }))
    const report = compareWithBaseline([sli('GET /a'), sli('GET /new', { p95_ms: 900 })], history)
    const states = report.comparisons.map((c) => `${c.endpoint} ${c.metric} ${c.state}`)
    expect(states).toEqual([
      'GET /a p95_ms unchanged',
      'GET /a p99_ms unchanged',
      'GET /a error_rate_pct unchanged',
      'GET /a rps unchanged',
      'GET /new p95_ms no-baseline',
      'GET /new p99_ms no-baseline',
      'GET /new error_rate_pct no-baseline',
      'GET /new rps no-baseline',
    ])
    expect(report.summary.missingEndpoints).toEqual(['GET /gone'])
  })
})

describe('no history, unreadable history and too little history stay distinct', () => {
  const current = [sli('GET /items', { p95_ms: 182 })]

  it.each([
    {
      what: 'no history at all',
      history: [] as HistoryEntry[],
      status: 'none',
      headline: 'no base-branch results to compare with: every endpoint is new to the baseline',
    },
    {
      what: 'every entry unreadable',
      history: [unreadable('41'), unreadable('40')],
      status: 'unreadable',
      headline: 'no usable baseline: 2 base-branch results could not be read (results.json: schema perf-xi/results@0 is not perf-xi/results@1)',
    },
    {
      what: 'two readable runs',
      history: steady('p95_ms', [120, 121]),
      status: 'too-few',
      headline: 'only 2 usable base-branch runs, 3 needed to judge run-to-run noise: changes are shown, not judged',
    },
  ])('$what', ({ history, status, headline }) => {
    const report = compareWithBaseline(current, history)
    expect(report.summary.historyStatus).toBe(status)
    expect(report.summary.headline).toBe(headline)
    expect(report.summary.regressions).toEqual([])
  })

  it('unreadable entries are reported and never counted as history', () => {
    const history = [unreadable('44', 'artifact expired'), ...steady('p95_ms', QUIET_5.slice(0, 3)), unreadable('40', 'not JSON')]
    const report = compareWithBaseline(current, history)
    expect(report.summary.historyRuns).toBe(3)
    expect(report.summary.unreadable.map((u) => u.runId)).toEqual(['44', '40'])
    expect(report.comparisons[0]).toMatchObject({ state: 'regressed', historyRuns: 3 })
    expect(report.summary.headline).toMatch(/; 2 base-branch results could not be read \(artifact expired\)$/)
  })

  it('runs of another profile, and runs whose test did not run properly, are excluded and listed', () => {
    const history = [
      ...steady('p95_ms', QUIET_5.slice(0, 3)),
      results([sli('GET /items', { p95_ms: 900 })], { id: 'load-run', profile: 'load' }),
      results([sli('GET /items', { p95_ms: 5 })], { id: 'broken', verdict: 'error' }),
    ]
    const report = compareWithBaseline(current, history, { profile: 'smoke' })
    expect(report.summary.historyRuns).toBe(3)
    expect(report.summary.excluded).toEqual([
      { runId: 'load-run', reason: 'load profile load, not smoke' },
      { runId: 'broken', reason: 'the test did not run properly (verdict error), so its numbers are no baseline' },
    ])
    expect(report.comparisons[0].baseline).toBeCloseTo(120, 1)
  })
})

describe('the summary', () => {
  it('counts states and lists the worst regression first', () => {
    const history = [0, 1, 2, 3, 4].map((i) =>
      results([sli('GET /a', { p95_ms: 100 + i }), sli('GET /b', { p95_ms: 100 + i }), sli('GET /c', { p95_ms: 100 + i })], { id: `base-${i}` }),
    )
    const report = compareWithBaseline([sli('GET /a', { p95_ms: 150 }), sli('GET /b', { p95_ms: 300 }), sli('GET /c', { p95_ms: 60 })], history, {
      metrics: ['p95_ms'],
    })
    expect(report.summary.counts).toEqual({ regressed: 2, improved: 1, unchanged: 0, 'insufficient-history': 0, 'no-baseline': 0, 'no-data': 0 })
    expect(report.summary.regressions.map((r) => r.endpoint)).toEqual(['GET /b', 'GET /a'])
    expect(report.summary.improvements.map((r) => r.endpoint)).toEqual(['GET /c'])
    expect(report.summary.headline).toBe('2 regressions beyond run-to-run noise; worst: GET /b p95 +194%')
    expect(toResultsRegressions(report)[0]).toMatchObject({ endpoint: 'GET /b', metric: 'p95_ms', current: 300 })
    expect(toResultsRegressions(report)[0].baseline).toBeCloseTo(102, 1)
  })

  it('says plainly when nothing regressed', () => {
    const report = compareWithBaseline([sli('GET /items')], runs([{}, {}, {}]))
    expect(report.summary.headline).toBe('no regression beyond run-to-run noise across 4 judged metrics, 3 base-branch runs')
  })
})

describe('options', () => {
  it.each([
    { what: 'a negative threshold', options: { relativeThreshold: -0.1 }, message: /threshold for p50_ms must be a non-negative fraction/ },
    { what: 'a confidence of 1', options: { confidence: 1 }, message: /confidence must be between 0.5 and 1, got 1/ },
  ])('rejects $what', ({ options, message }) => {
    expect(() => compareWithBaseline([], [], options)).toThrow(message)
  })
})
