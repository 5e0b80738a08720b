/**
 * SLI stage: k6's summary → per-endpoint service level indicators, plus the whole run.
 * A statistic k6 did not report stays null: an SLO on it is judged "no data", never guessed; a
 * percentile from too few samples is null too, and named in too_few_samples.
 */
import type { K6Summary, MetricValues } from './k6/summary.js'
import { withSampleMinimums, type Percentile } from './sample-minimums.js'

export interface Sli {
  requests: number
  rps: number | null
  avg_ms: number | null
  p50_ms: number | null
  p90_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  max_ms: number | null
  error_rate_pct: number | null
  /** Percentiles left out (null above) for too few samples (src/sample-minimums.ts); absent when none. */
  too_few_samples?: Percentile[]
}

export interface EndpointSli extends Sli {
  /** "GET /users/{id}", the endpoint key. */
  endpoint: string
  method: string
}

export interface RunSli extends Sli {
  vus_max: number | null
}

export interface SliInput {
  key: string
  method: string
  metricName: string
}

export function computeSlis(summary: K6Summary, endpoints: readonly SliInput[], wallTimeMs: number): { endpoints: EndpointSli[]; total: RunSli } {
  const durationSec = (summary.durationMs ?? wallTimeMs) / 1000
  const sliOf = (filter: string): Sli => {
    const duration = summary.metrics[`http_req_duration${filter}`] ?? {}
    const reqs = summary.metrics[`http_reqs${filter}`] ?? {}
    const failed = summary.metrics[`http_req_failed${filter}`] ?? {}
    const requests = reqs.count ?? duration.count ?? failed.total ?? 0
    const sli: Sli = {
      requests,
      rps: reqs.rate ?? (durationSec > 0 ? requests / durationSec : null),
      avg_ms: ms(duration.avg),
      p50_ms: ms(duration.p50),
      p90_ms: ms(duration.p90),
      p95_ms: ms(duration.p95),
      p99_ms: ms(duration.p99),
      max_ms: ms(duration.max),
      error_rate_pct: errorRatePct(failed),
    }
    return withSampleMinimums(sli, duration.count ?? requests)
  }
  return {
    endpoints: endpoints.map((e) => ({ endpoint: e.key, method: e.method, ...emptyIfNoRequests(sliOf(`{name:${e.metricName}}`)) })),
    total: { ...sliOf(''), vus_max: summary.metrics.vus_max?.max ?? summary.metrics.vus_max?.value ?? null },
  }
}

/** With no requests, k6's zeros are not measurements. */
function emptyIfNoRequests(sli: Sli): Sli {
  if (sli.requests > 0) return sli
  return { requests: 0, rps: 0, avg_ms: null, p50_ms: null, p90_ms: null, p95_ms: null, p99_ms: null, max_ms: null, error_rate_pct: null }
}

function errorRatePct(failed: MetricValues): number | null {
  if (failed.rate !== undefined) return round(failed.rate * 100)
  if (failed.value !== undefined) return round(failed.value * 100)
  return null
}

function ms(value: number | undefined): number | null {
  return value === undefined ? null : round(value)
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
