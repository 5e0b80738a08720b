/**
 * SLI stage: k6's summary → per-endpoint service level indicators, plus the whole run.
 * A statistic k6 did not report stays null: an SLO on it is judged "no data", never guessed; a
 * percentile from too few samples is null too, and named in too_few_samples.
 */
import type { K6Summary, MetricValues } from './k6/summary.js'
import type { TestPlan } from './plan/plan.js'
import type { EndpointSli, Sli } from './results/schema.js'
import { withSampleMinimums } from './sample-minimums.js'

export interface RunSli extends Sli {
  vus_max: number | null
}

/**
 * The script's own metrics for calls of an operation that met a redirect its spec does not declare
 * (templates/k6-script.js.hbs, followRedirects): k6 counts each hop as a request of the operation,
 * these say how many of its requests were hops and how long each such call kept the client waiting
 * (all its hops). A call is one request, judged on its last answer; its latency is that wait.
 */
export const REDIRECT_METRICS = { hops: 'perf_xi_redirect_hops', duration: 'perf_xi_redirected_duration' } as const

/** Requests k6 counted less the redirect hops among them: the calls, one per operation sent. */
export function callsOf(requests: number, hops: number): number {
  return Math.max(0, requests - hops)
}

export interface SliInput {
  key: string
  method: string
  metricName: string
}

/** The plan's endpoints as their SLIs are read: by method and the `name` tag the script gives them. */
export function sliInputs(plan: Pick<TestPlan, 'endpoints'>): SliInput[] {
  return plan.endpoints.map((p) => ({ key: p.endpoint.key, method: p.endpoint.method, metricName: p.metricName }))
}

export function computeSlis(summary: K6Summary, endpoints: readonly SliInput[], wallTimeMs: number): { endpoints: EndpointSli[]; total: RunSli } {
  const durationSec = (summary.durationMs ?? wallTimeMs) / 1000
  const sliOf = (filter: string): Sli => {
    const duration = summary.metrics[`http_req_duration${filter}`] ?? {}
    const reqs = summary.metrics[`http_reqs${filter}`] ?? {}
    const failed = summary.metrics[`http_req_failed${filter}`] ?? {}
    const sent = reqs.count ?? duration.count ?? failed.total ?? 0
    const hops = summary.metrics[`${REDIRECT_METRICS.hops}${filter}`]?.count ?? 0
    if (hops > 0) {
      const redirected = summary.metrics[`${REDIRECT_METRICS.duration}${filter}`] ?? {}
      const calls = callsOf(sent, hops)
      // The latency figures come from the calls' waits when every call redirected, else from k6's per-hop samples.
      const latencySamples = redirected.count === calls ? calls : (duration.count ?? calls)
      return withSampleMinimums(redirectedSli(sent, hops, reqs, failed, redirected, duration), latencySamples)
    }
    const sli: Sli = {
      requests: sent,
      rps: reqs.rate ?? (durationSec > 0 ? sent / durationSec : null),
      ...latency(duration),
      error_rate_pct: errorRatePct(failed),
    }
    return withSampleMinimums(sli, duration.count ?? sent)
  }
  return {
    endpoints: endpoints.map((e) => ({ endpoint: e.key, method: e.method, ...emptyIfNoRequests(sliOf(`{name:${e.metricName}}`)) })),
    total: { ...sliOf(''), vus_max: summary.metrics.vus_max?.max ?? summary.metrics.vus_max?.value ?? null },
  }
}

/**
 * An endpoint (or run) some of whose calls met redirects: the hops are no requests of their own and
 * were never failures (the script counts the statuses it follows as expected), so the calls are
 * k6's requests less the hops and the failed ones are k6's failures. When every call redirected,
 * latency is the wait of each whole call; when only some did, k6's figures over all answers, hops
 * included, are the closest the summary holds (docs/redirects.md).
 */
function redirectedSli(sent: number, hops: number, reqs: MetricValues, failed: MetricValues, redirected: MetricValues, duration: MetricValues): Sli {
  const requests = callsOf(sent, hops)
  const failures = failed.matches ?? (failed.rate ?? failed.value ?? 0) * (failed.total ?? sent)
  return {
    requests,
    rps: reqs.rate === undefined || sent === 0 ? null : round((reqs.rate * requests) / sent),
    ...latency(redirected.count === requests ? redirected : duration),
    error_rate_pct:
      requests > 0 && (failed.matches !== undefined || failed.rate !== undefined || failed.value !== undefined) ? round((failures / requests) * 100) : null,
  }
}

function latency(values: MetricValues): Pick<Sli, 'avg_ms' | 'p50_ms' | 'p90_ms' | 'p95_ms' | 'p99_ms' | 'max_ms'> {
  return { avg_ms: ms(values.avg), p50_ms: ms(values.p50), p90_ms: ms(values.p90), p95_ms: ms(values.p95), p99_ms: ms(values.p99), max_ms: ms(values.max) }
}

/** An endpoint or run that sent no request: no figure is a measurement. */
export const NO_REQUESTS: Sli = {
  requests: 0,
  rps: 0,
  avg_ms: null,
  p50_ms: null,
  p90_ms: null,
  p95_ms: null,
  p99_ms: null,
  max_ms: null,
  error_rate_pct: null,
}

/** With no requests, k6's zeros are not measurements. */
function emptyIfNoRequests(sli: Sli): Sli {
  return sli.requests > 0 ? sli : NO_REQUESTS
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
