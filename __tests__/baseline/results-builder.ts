/**
 * Builds schema-valid results files for the baseline tests, shaped like a real smoke run's
 * (.perf-xi/demo/results.json): only the numbers each test cares about are given.
 */
import { RESULTS_SCHEMA, ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'

export type Sli = ResultsFile['slis'][number]

export function sli(endpoint: string, values: Partial<Sli> = {}): Sli {
  return {
    endpoint,
    method: endpoint.split(' ')[0],
    requests: 1000,
    rps: 100,
    avg_ms: 80,
    p50_ms: 70,
    p90_ms: 110,
    p95_ms: 120,
    p99_ms: 200,
    max_ms: 400,
    error_rate_pct: 0,
    slo_status: 'pass',
    ...values,
  }
}

export interface RunShape {
  id?: string
  finishedAt?: string
  durationMs?: number
  requestsTotal?: number
  errorRatePct?: number | null
  verdict?: ResultsFile['verdict']
  profile?: string
}

export function results(slis: Sli[], shape: RunShape = {}): ResultsFile {
  const finished = shape.finishedAt ?? '2026-11-22T18:18:45.032Z'
  const durationMs = shape.durationMs ?? 10_000
  const verdict = shape.verdict ?? 'pass'
  const requests = shape.requestsTotal ?? slis.reduce((sum, s) => sum + s.requests, 0)
  // Parsed, so fields the schema defaults (added after these tests were written) are filled in.
  return ResultsFileSchema.parse({
    schema: RESULTS_SCHEMA,
    run: {
      id: shape.id ?? 'run-1',
      repo: 'octo/shop',
      sha: 'abc123',
      ref: 'refs/heads/main',
      pr: null,
      url: null,
      event: 'push',
      started_at: new Date(Date.parse(finished) - durationMs).toISOString(),
      finished_at: finished,
      k6_version: '1.3.0',
      k6_exit_code: verdict === 'fail' ? 99 : 0,
      profile: shape.profile ?? 'smoke',
      base_url: 'http://127.0.0.1:8080',
      spec: 'examples/sample-api/openapi.yaml',
    },
    summary: {
      vus_max: 5,
      duration_ms: durationMs,
      planned_duration_ms: durationMs,
      requests_total: requests,
      rps_avg: requests / (durationMs / 1000),
      p95_ms: 120,
      error_rate_pct: shape.errorRatePct === undefined ? 0 : shape.errorRatePct,
    },
    slis,
    slo_checks: [],
    slo_breaches: [],
    regressions: [],
    skipped: [],
    verdict,
    reasons: [],
    ci_gate: verdict === 'fail' || verdict === 'error' ? 'fail' : 'pass',
  })
}

/** Checked once, so a schema change breaks these tests loudly rather than silently. */
ResultsFileSchema.parse(results([sli('GET /a')]))
