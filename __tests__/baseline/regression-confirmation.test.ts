/**
 * The second step of the comparison: candidates for a confirmation re-run, judging on several
 * current runs, and which metrics gate.
 */
import {
  candidatesForConfirmation,
  compareWithBaseline,
  REGRESSION_DEFAULTS,
  toResultsRegressions,
  type CurrentSli,
  type HistoryEntry,
  type RegressionOptions,
} from '../../src/baseline/regression.js'
import { tQuantile } from '../../src/stats/distributions.js'
import { results, sli, type Sli } from './results-builder.js'

const QUIET_5 = [118, 120, 122, 119, 121]

/** Five base-branch runs; each endpoint gets the values given for it, or the defaults. */
function history(perEndpoint: Record<string, Array<Partial<Sli>>>, runs = 5): HistoryEntry[] {
  return Array.from({ length: runs }, (_, i) =>
    results(
      Object.entries(perEndpoint).map(([endpoint, values]) => sli(endpoint, values[i] ?? {})),
      { id: `base-${i}` },
    ),
  )
}
const p95s = (values: number[]) => values.map((p95_ms) => ({ p95_ms }))

function only(current: Partial<Sli>, confirmation: RegressionOptions['confirmation'], options: RegressionOptions = {}) {
  return compareWithBaseline([sli('GET /items', current)], history({ 'GET /items': p95s(QUIET_5) }), { metrics: ['p95_ms'], ...options, confirmation })
}

describe('judging an endpoint on its first run and a confirmation re-run together', () => {
  it('combines the runs as the mean of their logs, and says so', () => {
    const first = only({ p95_ms: 145 }, undefined)
    expect(first.comparisons[0]).toMatchObject({ state: 'unchanged', currentRuns: 1 })
    expect(candidatesForConfirmation(first)).toEqual(['GET /items'])

    const both = only({ p95_ms: 145 }, [sli('GET /items', { p95_ms: 150 })])
    const c = both.comparisons[0]
    expect(c).toMatchObject({ state: 'regressed', currentValues: [145, 150], currentRuns: 2 })
    expect(c.current).toBeCloseTo(Math.sqrt(145 * 150), 9)
    expect(c.reason).toBe('p95 147 ms over 2 runs (145 ms, 150 ms) vs 120 ms baseline (+23%, beyond the ±18% run-to-run noise of 5 runs, for a mean of 2 runs)')
    expect(both.summary.remeasured).toEqual(['GET /items'])
    expect(both.summary.headline).toBe('1 regression beyond run-to-run noise; worst: GET /items p95 +23% (confirmed over 2 runs); 1 endpoint re-measured')
    // Already re-measured: the procedure re-runs once.
    expect(candidatesForConfirmation(both)).toEqual([])
  })

  it('narrows the band as √(1/m + 1/n): t(confidence; w + n − 1) · σ · √(1/m + 1/n)', () => {
    const { sigma, weight } = REGRESSION_DEFAULTS.noisePrior
    const t = tQuantile(REGRESSION_DEFAULTS.confidence, weight + 4)
    const band = (m: number) => {
      const confirmation = Array.from({ length: m - 1 }, () => [sli('GET /items', { p95_ms: 120 })])
      const c = compareWithBaseline([sli('GET /items')], history({ 'GET /items': Array(5).fill({}) }), { metrics: ['p95_ms'], confirmation }).comparisons[0]
      expect(c.currentRuns).toBe(m)
      return c.noise!.tolerance
    }
    // Five identical runs: s = 0, so σ² = w·σ0² / (w + n − 1).
    const sigmaUsed = Math.sqrt((weight * sigma ** 2) / (weight + 4))
    for (const m of [1, 2, 3]) expect(band(m)).toBeCloseTo(Math.expm1(t * sigmaUsed * Math.sqrt(1 / m + 1 / 5)), 12)
    expect(band(2)).toBeLessThan(band(1))
  })

  it('clears an endpoint whose re-run does not repeat the rise', () => {
    const first = only({ p95_ms: 160 }, undefined)
    expect(first.comparisons[0].state).toBe('regressed')
    expect(first.summary.candidates).toEqual(['GET /items'])
    const both = only({ p95_ms: 160 }, [sli('GET /items', { p95_ms: 121 })])
    expect(both.comparisons[0]).toMatchObject({ state: 'unchanged', currentRuns: 2 })
    expect(both.summary.headline).toBe(
      'no regression beyond run-to-run noise across 1 judged metric, 5 base-branch runs; 1 endpoint re-measured, none confirmed',
    )
  })

  it('takes several confirmation runs, and endpoints the re-run did not measure keep their first-run judgement', () => {
    const h = history({ 'GET /a': p95s(QUIET_5), 'GET /b': p95s(QUIET_5) })
    const report = compareWithBaseline([sli('GET /a', { p95_ms: 140 }), sli('GET /b', { p95_ms: 125 })], h, {
      metrics: ['p95_ms'],
      confirmation: [[sli('GET /a', { p95_ms: 142 })], [sli('GET /a', { p95_ms: 139 }), sli('GET /new', { p95_ms: 50 })]],
    })
    expect(report.comparisons.map((c) => [c.endpoint, c.currentRuns, c.state])).toEqual([
      ['GET /a', 3, 'regressed'],
      ['GET /b', 1, 'unchanged'],
      ['GET /new', 1, 'no-baseline'],
    ])
    expect(report.summary.remeasured).toEqual(['GET /a'])
  })

  it('pools the error rate over the runs: failures ÷ requests, and the requests count together', () => {
    const zeros = history({ 'GET /items': Array(5).fill({ error_rate_pct: 0, requests: 150 }) })
    const opts = { metrics: ['error_rate_pct'] } as const
    // 2 of 150 failed: past the 0.5 pp floor, but too few to rule out chance: a candidate, not a regression.
    const first = compareWithBaseline([sli('GET /items', { error_rate_pct: (2 / 150) * 100, requests: 150 })], zeros, opts)
    expect(first.comparisons[0].state).toBe('unchanged')
    expect(first.comparisons[0].barRatio).toBeGreaterThan(1)
    expect(candidatesForConfirmation(first)).toEqual(['GET /items'])
    const both = compareWithBaseline([sli('GET /items', { error_rate_pct: (2 / 150) * 100, requests: 150 })], zeros, {
      ...opts,
      confirmation: [sli('GET /items', { error_rate_pct: 2, requests: 150 })],
    })
    expect(both.comparisons[0]).toMatchObject({ state: 'regressed', currentRuns: 2 })
    expect(both.comparisons[0].current).toBeCloseTo((5 / 300) * 100, 9)
    expect(both.comparisons[0].reason).toBe('errors 1.67% over 2 runs (1.33%, 2%) vs 0% baseline (+1.67 pp, beyond the 0.5 pp floor; 5 of 300 requests failed)')
    // 60 requests alone are too few to judge; 60 + 60 are enough.
    const few = (n: number) => sli('GET /items', { error_rate_pct: 0, requests: n })
    expect(compareWithBaseline([few(60)], zeros, opts).comparisons[0].state).toBe('no-data')
    expect(compareWithBaseline([few(60)], zeros, { ...opts, confirmation: [few(60)] }).comparisons[0].state).toBe('unchanged')
  })
})

describe('candidates for confirmation', () => {
  const h = history({
    'GET /regressed': p95s(QUIET_5),
    'GET /close': p95s(QUIET_5),
    'GET /steady': p95s(QUIET_5),
    'GET /p99-only': QUIET_5.map((v) => ({ p99_ms: v * 2 })),
    'GET /errors-close': Array(5).fill({ error_rate_pct: 0 }),
  })
  const current: CurrentSli[] = [
    sli('GET /regressed', { p95_ms: 180 }),
    sli('GET /close', { p95_ms: 135 }),
    sli('GET /steady', { p95_ms: 125 }),
    sli('GET /p99-only', { p99_ms: 400 }),
    sli('GET /errors-close', { error_rate_pct: 0.4 }),
  ]

  it('lists endpoints that regressed or came close on a gating metric, in this run’s order', () => {
    const report = compareWithBaseline(current, h)
    const barRatio = (endpoint: string, metric: string) => report.comparisons.find((c) => c.endpoint === endpoint && c.metric === metric)!.barRatio!
    expect(barRatio('GET /close', 'p95_ms')).toBeGreaterThan(REGRESSION_DEFAULTS.candidateBarRatio)
    expect(barRatio('GET /steady', 'p95_ms')).toBeLessThan(REGRESSION_DEFAULTS.candidateBarRatio)
    // 0.4 pp is most of the way to the 0.5 pp floor, but a few failures more or less is Poisson jitter.
    expect(barRatio('GET /errors-close', 'error_rate_pct')).toBeCloseTo(0.8, 9)
    expect(report.comparisons.find((c) => c.endpoint === 'GET /p99-only' && c.metric === 'p99_ms')!.state).toBe('regressed')
    expect(candidatesForConfirmation(report)).toEqual(['GET /regressed', 'GET /close'])
  })

  it('follows candidateBarRatio and gatingMetrics', () => {
    expect(candidatesForConfirmation(compareWithBaseline(current, h, { candidateBarRatio: 1 }))).toEqual(['GET /regressed'])
    expect(candidatesForConfirmation(compareWithBaseline(current, h, { gatingMetrics: ['p99_ms'] }))).toEqual(['GET /p99-only'])
  })
})

describe('gating metrics', () => {
  const h = history({ 'GET /items': QUIET_5.map((v) => ({ p95_ms: v, p99_ms: v * 2 })) })

  it('p95 and the error rate gate by default; p99 and throughput are reported only', () => {
    expect(REGRESSION_DEFAULTS.gatingMetrics).toEqual(['p95_ms', 'error_rate_pct'])
    const report = compareWithBaseline([sli('GET /items', { p95_ms: 121, p99_ms: 400 })], h)
    expect(report.comparisons.map((c) => [c.metric, c.gating, c.state])).toEqual([
      ['p95_ms', true, 'unchanged'],
      ['p99_ms', false, 'regressed'],
      ['error_rate_pct', true, 'unchanged'],
      ['rps', false, 'unchanged'],
    ])
    expect(report.summary.regressions.map((c) => c.metric)).toEqual(['p99_ms'])
    expect(report.summary.gatingRegressions).toEqual([])
    expect(toResultsRegressions(report)).toEqual([])
    expect(report.summary.headline).toBe('no regression on a gating metric; 1 regression on non-gating metrics, reported only; worst: GET /items p99 +67%')
  })

  it('a gating regression leads the headline, and the others are counted', () => {
    const report = compareWithBaseline([sli('GET /items', { p95_ms: 200, p99_ms: 400 })], h)
    expect(report.summary.gatingRegressions.map((c) => c.metric)).toEqual(['p95_ms'])
    expect(toResultsRegressions(report).map((r) => r.metric)).toEqual(['p95_ms'])
    expect(report.summary.headline).toBe('1 regression beyond run-to-run noise; worst: GET /items p95 +67%; 1 more on non-gating metrics')
  })

  it.each([
    { what: 'a candidateBarRatio above 1', options: { candidateBarRatio: 1.5 }, message: /candidateBarRatio must be between 0 and 1, got 1.5/ },
    { what: 'an unknown gating metric', options: { gatingMetrics: ['p42_ms'] } as unknown as RegressionOptions, message: /gating metric p42_ms is not one of/ },
  ])('rejects $what', ({ options, message }) => {
    expect(() => compareWithBaseline([], [], options)).toThrow(message)
  })
})
