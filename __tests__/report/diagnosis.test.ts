/**
 * The diagnosis in the reports: one line per flagged endpoint in the comment, the breakdown in the
 * job summary, a line per endpoint on the console; text from a results file is escaped.
 */
import { diagnoseEndpoints } from '../../src/analyst/diagnosis.js'
import { renderPrComment } from '../../src/report/comment.js'
import { renderDiagnosisDetails, renderDiagnosisLines } from '../../src/report/diagnosis.js'
import { renderConsoleReport, renderSummaryMarkdown } from '../../src/report/summary.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { results, sli } from '../baseline/results-builder.js'

/** GET /capacity as a real k6 run measured it, with 64 slots and then 1 (diagnosis-k6.test.ts). */
function overloaded(): ResultsFile {
  const base = results([sli('GET /capacity', { requests: 295, rps: 93.75, avg_ms: 20.939, p50_ms: 20.694, p95_ms: 23.026, p99_ms: 25.79 })])
  const now = sli('GET /capacity', { requests: 311, rps: 95.1, avg_ms: 19.862, p50_ms: 20.539, p95_ms: 42.755, p99_ms: 47.607, error_rate_pct: 49.518 })
  const run: ResultsFile = {
    ...results([now], { verdict: 'fail' }),
    regressions: [{ endpoint: 'GET /capacity', metric: 'p95_ms', current: 42.755, baseline: 23.026, change: 0.857, reason: 'p95 +86%' }],
  }
  const diagnosis = diagnoseEndpoints({
    results: run,
    history: [base, base, base],
    failures: [{ endpoint: 'GET /capacity', errors: [{ code: '503', count: 154, retry_after: 154 }] }],
  })
  return { ...run, diagnosis }
}

describe('the diagnosis in the pull-request comment', () => {
  it('gives one line per diagnosed endpoint, its headline', () => {
    const results = overloaded()
    const comment = renderPrComment(results)
    expect(comment).toContain('**Why** (from the figures, no model):')
    expect(comment).toContain(
      '- GET /capacity: tail only: p95 23 ms → 42.8 ms (+86%), p99 +85%, p50 flat at 20.5 ms; saturation: throughput −49% (94 → 48 ok/s); errors: 503 × 154 (over\\_capacity), retry-after present',
    )
  })

  it('shows nothing when no endpoint was diagnosed or the file has no diagnosis', () => {
    const plain = results([sli('GET /health')])
    expect(renderDiagnosisLines(plain)).toEqual([])
    expect(renderDiagnosisLines({ ...plain, diagnosis: { endpoints: [], shared: [], failures: [] } })).toEqual([])
    expect(renderPrComment(plain)).not.toContain('**Why**')
  })

  it('escapes what a results file says, so a fork cannot plant links or mentions', () => {
    const results = overloaded()
    const [d] = results.diagnosis!.endpoints
    const planted = { ...results, diagnosis: { ...results.diagnosis!, endpoints: [{ ...d!, headline: '<img src=x> @octocat [x](https://evil.example)' }] } }
    const lines = renderDiagnosisLines(planted).join('\n')
    expect(lines).not.toContain('<img')
    expect(lines).not.toContain('](https://')
    expect(lines).not.toMatch(/(^|[^`\\])@octocat/)
  })
})

describe('the diagnosis in the job summary and on the console', () => {
  it('breaks each endpoint down: percentiles before and after, failed answers by kind, saturation', () => {
    const details = renderDiagnosisDetails(overloaded()).join('\n')
    expect(details).toContain('**GET /capacity** (regressed): tail only: p95 23 ms → 42.8 ms (+86%)')
    expect(details).toContain('| p95 | 23 ms | 42.8 ms | +86% |')
    expect(details).toContain('| errors | 0% | 49.52% | +49.52 pp |')
    expect(details).toContain('Saturation: successful answers per second 93.8 → 48 (−49%) while latency rose +86%.')
    expect(details).toContain('| 503 | 154 | over\\_capacity | 154 | yes |')
    expect(renderSummaryMarkdown(overloaded())).toContain('### Why these endpoints')
  })

  it('gives a status class the range of statuses it counted', () => {
    const run = overloaded()
    const [d] = run.diagnosis!.endpoints
    const errors = [{ code: '4xx', count: 12, codes: { min: 405, max: 418 }, label: 'client_error', retry_after: 0, new: true }]
    const details = renderDiagnosisDetails({ ...run, diagnosis: { ...run.diagnosis!, endpoints: [{ ...d!, errors }] } }).join('\n')
    expect(details).toContain('| 4xx (codes 405–418) | 12 | client\\_error | 0 | yes |')
  })

  it('prints one line of why per endpoint in the console report', () => {
    expect(renderConsoleReport(overloaded())).toMatch(/^ {2}why GET \/capacity: tail only: p95 23 ms → 42\.8 ms/m)
  })
})
