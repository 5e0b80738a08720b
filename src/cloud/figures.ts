/**
 * A Grafana Cloud k6 run's figures → SLIs: the aggregates the v5 metrics API computes over the
 * whole run (percentiles and mean of http_req_duration, the increase of http_reqs, the ratio of
 * http_req_failed), per `name` tag (the generated script tags each operation) and for the run.
 * Grafana reports no maximum: max_ms stays null, and an SLO on it is judged "no data".
 */
import type { RunSli, SliInput } from '../sli.js'
import type { EndpointSli, Sli } from '../results/schema.js'
import { withSampleMinimums } from '../sample-minimums.js'

export type FigureKey = 'p50' | 'p90' | 'p95' | 'p99' | 'avg' | 'requests' | 'failed'

/** What is asked of the metrics API, per figure: the metric and the aggregation (Grafana's query language). */
export const CLOUD_FIGURES: ReadonlyArray<{ key: FigureKey; metric: string; query: string }> = [
  { key: 'p50', metric: 'http_req_duration', query: 'histogram_quantile(0.50)' },
  { key: 'p90', metric: 'http_req_duration', query: 'histogram_quantile(0.90)' },
  { key: 'p95', metric: 'http_req_duration', query: 'histogram_quantile(0.95)' },
  { key: 'p99', metric: 'http_req_duration', query: 'histogram_quantile(0.99)' },
  { key: 'avg', metric: 'http_req_duration', query: 'histogram_avg' },
  { key: 'requests', metric: 'http_reqs', query: 'increase' },
  { key: 'failed', metric: 'http_req_failed', query: 'ratio' },
]

/** The query per endpoint: the same aggregation, one series per `name` tag. */
export function byName(query: string): string {
  return `${query} by (name)`
}

/** Each figure: per `name` tag, and for the whole run. */
export type CloudFigures = Record<FigureKey, { byName: ReadonlyMap<string, number | null>; total: number | null }>

export function cloudSlis(figures: CloudFigures, endpoints: readonly SliInput[], durationMs: number): { endpoints: EndpointSli[]; total: RunSli } {
  const seconds = durationMs / 1000
  const sliOf = (pick: (key: FigureKey) => number | null | undefined): Sli => {
    const requests = Math.round(pick('requests') ?? 0)
    if (requests === 0) return { requests: 0, rps: 0, avg_ms: null, p50_ms: null, p90_ms: null, p95_ms: null, p99_ms: null, max_ms: null, error_rate_pct: null }
    const failed = pick('failed')
    const sli: Sli = {
      requests,
      rps: seconds > 0 ? round(requests / seconds) : null,
      avg_ms: ms(pick('avg')),
      p50_ms: ms(pick('p50')),
      p90_ms: ms(pick('p90')),
      p95_ms: ms(pick('p95')),
      p99_ms: ms(pick('p99')),
      max_ms: null,
      error_rate_pct: failed === null || failed === undefined ? null : round(failed * 100),
    }
    return withSampleMinimums(sli, requests)
  }
  return {
    endpoints: endpoints.map((e) => ({ endpoint: e.key, method: e.method, ...sliOf((key) => figures[key].byName.get(e.metricName)) })),
    total: { ...sliOf((key) => figures[key].total), vus_max: null },
  }
}

function ms(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : round(value)
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
