/**
 * Results files for the report's layout, judged by the real verdict and baseline stages: a first
 * run (no baseline), the sample API's run against five base-branch runs (a p95 and an error-rate
 * regression, throughput up), and a run of 20 endpoints with long paths, one of them 100 times
 * slower than the rest, against five base-branch runs.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { judge } from '../../src/baseline/judge.js'
import { compareWithBaseline, type HistoryEntry } from '../../src/baseline/regression.js'
import type { SloLimits } from '../../src/slo-config.js'
import type { ResolvedSlo } from '../../src/plan/planned-endpoint.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'
import { evaluateSlos } from '../../src/verdict.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')
/** A failed smoke run of the sample API (8 endpoints, GET /reports/slow over its p95 limit). */
export const sampleRun = (): ResultsFile => ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')))

type Sli = ResultsFile['slis'][number]

/** Base-branch runs like `run`, each endpoint's figures changed by `before` and wobbling ±3 % from run to run. */
function history(run: ResultsFile, before: (sli: Sli) => Partial<Sli>, runs = 5): HistoryEntry[] {
  return Array.from({ length: runs }, (_, i) => {
    const wobble = 1 + ((i % 3) - 1) * 0.03
    return {
      ...run,
      run: { ...run.run, id: `base-${i}`, finished_at: new Date(Date.parse(run.run.finished_at) - (i + 1) * 3_600_000).toISOString() },
      verdict: 'pass' as const,
      slis: run.slis.map((s) => {
        const b = { ...s, ...before(s) }
        const scale = (v: number | null) => (v === null ? null : v * wobble)
        return { ...b, p95_ms: scale(b.p95_ms), p99_ms: scale(b.p99_ms), rps: scale(b.rps) }
      }),
    }
  })
}

function judged(run: ResultsFile, entries: HistoryEntry[]): ResultsFile {
  const report = compareWithBaseline(run.slis, entries)
  return judge(run, { baseline: { report, source: 'artifact perf-xi-results', branch: 'main', notes: [], confirmedWithRerun: [] }, failOn: 'both' })
}

/** The sample run on a repository whose base branch never left results. */
export function firstRun(): ResultsFile {
  return judged(sampleRun(), [])
}

/** The sample run against five base-branch runs: GET /reports/slow was 110 ms, GET /inventory/flaky failed 0.3 %, GET /search served 24 req/s. */
export function sampleWithRegressions(): ResultsFile {
  const run = sampleRun()
  return judged(
    run,
    history(run, (s) =>
      s.endpoint === 'GET /reports/slow'
        ? { p95_ms: 110 }
        : s.endpoint === 'GET /inventory/flaky'
          ? { error_rate_pct: 0.3 }
          : s.endpoint === 'GET /search'
            ? { rps: 24 }
            : {},
    ),
  )
}

/** Twenty endpoints as a real API names them (Kinto's long paths among them). */
export const TWENTY_ENDPOINTS = [
  'GET /buckets/{bucket_id}/collections/{collection_id}/records/{id}',
  'GET /reports/annual/export',
  'GET /buckets/{bucket_id}/collections/{collection_id}/records',
  'POST /buckets/{bucket_id}/collections/{collection_id}/records',
  'GET /buckets/{bucket_id}/groups/{group_id}',
  'PATCH /buckets/{bucket_id}/collections/{collection_id}',
  'GET /buckets',
  'GET /buckets/{bucket_id}',
  'GET /buckets/{bucket_id}/collections',
  'GET /buckets/{bucket_id}/groups',
  'GET /accounts',
  'GET /accounts/{user_id}',
  'GET /__heartbeat__',
  'GET /__lbheartbeat__',
  'GET /__version__',
  'GET /',
  'GET /permissions',
  'GET /buckets/{bucket_id}/history',
  'GET /contribute.json',
  'POST /batch',
]

/**
 * A load run of TWENTY_ENDPOINTS judged on its SLOs and against five base-branch runs (or, with
 * `baseline: false`, none): the export takes 2.4 s (limit 5 s), one record read breached its 250 ms
 * p95, the record list regressed, the batch endpoint got faster and serves more.
 */
export function twentyEndpoints(opts: { baseline?: boolean } = {}): ResultsFile {
  const base = sampleRun()
  const slis: Sli[] = TWENTY_ENDPOINTS.map((endpoint, i) => {
    const slow = endpoint === 'GET /reports/annual/export'
    const p95 = slow ? 2400 : endpoint.startsWith('GET /buckets/{bucket_id}/collections/{collection_id}/records/') ? 262 : 8 + ((i * 37) % 90)
    return {
      endpoint,
      method: endpoint.split(' ')[0]!,
      requests: slow ? 140 : 1200 + i * 10,
      rps: slow ? 2.3 : 20 + (i % 7),
      avg_ms: p95 / 2,
      p50_ms: p95 / 2.5,
      p90_ms: p95 * 0.9,
      p95_ms: p95,
      p99_ms: p95 * 1.4,
      max_ms: p95 * 2,
      error_rate_pct: endpoint === 'POST /batch' ? 0.4 : 0,
      slo_status: 'pass',
    }
  })
  const limits = (endpoint: string): SloLimits =>
    endpoint === 'GET /reports/annual/export'
      ? { p95: 5000, 'error-rate': 2 }
      : endpoint.includes('/records/')
        ? { p95: 250, p99: 600, 'error-rate': 1 }
        : { p95: 500, p99: 1000, 'error-rate': 1 }
  const slos = new Map<string, ResolvedSlo>(slis.map((s) => [s.endpoint, { limits: limits(s.endpoint), sources: {} }]))
  const total = {
    requests: slis.reduce((n, s) => n + s.requests, 0),
    rps: 480,
    avg_ms: 30,
    p50_ms: 20,
    p90_ms: 90,
    p95_ms: 130,
    p99_ms: 2500,
    max_ms: 5200,
    error_rate_pct: 0.02,
    vus_max: 50,
  }
  const verdict = evaluateSlos({ slis, total, slos })
  const run: ResultsFile = {
    ...base,
    run: { ...base.run, profile: 'load' },
    summary: {
      vus_max: 50,
      duration_ms: 300_000,
      planned_duration_ms: 300_000,
      requests_total: total.requests,
      rps_avg: total.rps,
      p95_ms: total.p95_ms,
      error_rate_pct: total.error_rate_pct,
    },
    slis: slis.map((s) => ({ ...s, slo_status: verdict.endpointStatus[s.endpoint] ?? 'pass' })),
    slo_checks: verdict.checks.map((c) => ({
      endpoint: c.endpoint,
      limit: c.limit,
      threshold: c.threshold,
      actual: c.actual,
      status: c.status,
      selector: null,
      line: null,
    })),
    slo_breaches: verdict.checks
      .filter((c) => c.status === 'fail')
      .map((c) => ({ endpoint: c.endpoint, limit: c.limit, threshold: c.threshold, actual: c.actual })),
    verdict: verdict.status === 'error' ? 'error' : verdict.status,
    reasons: verdict.reasons,
    ci_gate: verdict.status === 'fail' ? 'fail' : 'pass',
  }
  if (opts.baseline === false) return judged(run, [])
  return judged(
    run,
    history(run, (s) =>
      s.endpoint === 'GET /buckets/{bucket_id}/collections/{collection_id}/records'
        ? { p95_ms: (s.p95_ms ?? 0) / 1.6 }
        : s.endpoint === 'POST /batch'
          ? { p95_ms: (s.p95_ms ?? 0) * 1.5, rps: (s.rps ?? 0) / 1.4 }
          : {},
    ),
  )
}
