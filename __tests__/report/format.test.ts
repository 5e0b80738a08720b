import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { verdictHeadline } from '../../src/report/format.js'
import { ResultsFileSchema } from '../../src/results/schema.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')

describe('the headline of a run whose API stopped answering', () => {
  const results = (findings: Array<{ kind: 'silence' | 'collapse' | 'dropped'; endpoint: string | null }>, breaches = 0) =>
    ResultsFileSchema.parse({
      ...JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')),
      verdict: 'fail',
      slo_breaches: Array.from({ length: breaches }, () => ({ endpoint: 'GET /a', limit: 'error-rate', threshold: 1, actual: 30 })),
      liveness: {
        measured_duration_ms: 6000,
        samples: 12,
        per_endpoint: true,
        dropped_iterations: 0,
        findings: findings.map((f) => ({ ...f, status: 'fail', reason: 'x' })),
      },
    })

  it.each([
    {
      what: 'two silent endpoints, no breach',
      findings: [
        { kind: 'silence', endpoint: 'GET /a' },
        { kind: 'silence', endpoint: 'GET /b' },
      ],
      breaches: 0,
      expected: 'Perf-Xi: FAIL — 2 endpoints stopped answering',
    },
    {
      what: 'the run as a whole, and a breach',
      findings: [{ kind: 'silence', endpoint: null }],
      breaches: 1,
      expected: 'Perf-Xi: FAIL — the API stopped answering, 1 SLO breach',
    },
    { what: 'a collapse', findings: [{ kind: 'collapse', endpoint: null }], breaches: 0, expected: 'Perf-Xi: FAIL — answers collapsed (1 finding)' },
    { what: 'unsent requests', findings: [{ kind: 'dropped', endpoint: null }], breaches: 0, expected: 'Perf-Xi: FAIL — requests k6 could not send' },
  ] as const)('$what', ({ findings, breaches, expected }) => {
    expect(verdictHeadline(results([...findings], breaches))).toBe(expected)
  })
})

describe('the headline says what happened, and never counts zero', () => {
  const sample = () => ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')))
  const passing = () => ({
    ...sample(),
    verdict: 'pass' as const,
    reasons: ['all 24 SLO limits held'],
    slo_breaches: [],
    slo_checks: sample().slo_checks.map((c) => ({ ...c, status: 'pass' as const })),
    ci_gate: 'pass' as const,
  })
  const regression = { endpoint: 'GET /reports/slow', metric: 'p95_ms', current: 153, baseline: 110, change: 0.39, reason: 'p95 153 ms vs 110 ms' }

  it.each([
    {
      what: 'a regression that only warns (fail-on slo)',
      results: { ...passing(), verdict: 'warn' as const, regressions: [regression] },
      expected: 'Perf-Xi: WARN — 1 regression against the baseline',
    },
    {
      what: 'a regression that fails (fail-on regression)',
      results: { ...passing(), verdict: 'fail' as const, regressions: [regression, { ...regression, endpoint: 'GET /a' }] },
      expected: 'Perf-Xi: FAIL — 2 regressions against the baseline',
    },
    {
      what: 'a breach and a regression',
      results: { ...sample(), regressions: [regression] },
      expected: 'Perf-Xi: FAIL — 1 SLO breach, 1 regression against the baseline',
    },
    {
      what: 'a near-breach',
      results: { ...passing(), verdict: 'warn' as const, slo_checks: [{ ...sample().slo_checks[0]!, status: 'warn' as const }] },
      expected: 'Perf-Xi: WARN — 1 SLO limit within 10% of breaching',
    },
    {
      what: 'a pass judged against a baseline',
      results: {
        ...passing(),
        baseline: {
          status: 'ok' as const,
          source: 'artifact',
          branch: 'main',
          history_runs: 5,
          unreadable: [],
          notes: [],
          headline: 'no regression',
          confirmed_with_rerun: [],
          comparisons: [],
        },
      },
      expected: 'Perf-Xi: PASS — 8 endpoints within their SLOs, no regression against the baseline',
    },
    { what: 'a pass with no baseline', results: passing(), expected: 'Perf-Xi: PASS — 8 endpoints within their SLOs' },
  ])('$what', ({ results, expected }) => {
    expect(verdictHeadline(results)).toBe(expected)
    expect(verdictHeadline(results)).not.toMatch(/\b0 /)
  })
})
