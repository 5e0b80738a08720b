/**
 * What every exported load test (Locust, JMeter) sends, taken from the TestPlan the same way the
 * k6 script takes it (src/script/k6.ts): one request per planned endpoint, the spec's sampled
 * headers, cookies and body, the configured auth, and the statuses that count as success.
 * Pure data; each format's renderer decides only how to write it down.
 */
import type { SloLimits } from '../config/schema.js'
import type { PlannedEndpoint, TestPlan } from '../plan/plan.js'
import { weightedSchedule } from '../plan/profiles.js'

/** A planned endpoint with its share of the requests (a positive number; 1 when unset). */
export type WeightedEndpoint = PlannedEndpoint & { weight?: number }

/** A TestPlan whose endpoints may carry weights. */
export type ExportPlan = Omit<TestPlan, 'endpoints'> & { endpoints: WeightedEndpoint[] }

export interface ExportOperation {
  /** "METHOD /path/template", as in k6's `name` tag and the SLO selectors. */
  key: string
  method: string
  /** The path template as written in the spec: Locust's request name. */
  pathTemplate: string
  /** Filled path with its query string, e.g. /products?limit=20&offset=0. */
  path: string
  summary?: string
  operationId?: string
  /** Request headers in k6's order: the spec's header parameters, then Content-Type. */
  headers: Array<[string, string]>
  /** Spec cookie parameters, in order. */
  cookies: Array<[string, string]>
  /** The body as sent; `json` is its parsed value when the content type is JSON. */
  body?: { text: string; json?: unknown }
  /** Whether the configured auth goes with this request. */
  authenticated: boolean
  /**
   * The endpoint's whole number of turns in one round of all operations: the weights reduced to
   * the smallest whole counts with the same ratios, exactly as k6's script schedules them.
   */
  weight: number
  /** Statuses that count as success; empty means any 2xx or 3xx, as in the k6 script. */
  successStatuses: number[]
  slo: SloLimits
}

/** The weight of one endpoint: a positive number, 1 when the plan sets none. */
export function weightOf(planned: WeightedEndpoint): number {
  const weight = planned.weight ?? 1
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
    throw new Error(`${planned.endpoint.key}: weight must be a positive number, got ${String(weight)}`)
  }
  return weight
}

/** Whole turns per endpoint with the weights' ratios, from the schedule k6's script uses. */
export function wholeWeights(endpoints: readonly WeightedEndpoint[]): number[] {
  const weights = endpoints.map(weightOf)
  const counts = weights.map(() => 0)
  for (const index of weightedSchedule(weights)) counts[index]! += 1
  return counts
}

export function exportOperations(plan: ExportPlan): ExportOperation[] {
  const weights = wholeWeights(plan.endpoints)
  return plan.endpoints.map((planned, index) => {
    const { request, endpoint } = planned
    const hasBody = request.body !== undefined
    const setsType = hasBody && request.contentType !== undefined
    // As in k6, the body's Content-Type replaces a Content-Type header parameter.
    const headers: Array<[string, string]> = Object.entries(request.headers).filter(([name]) => !(setsType && name.toLowerCase() === 'content-type'))
    if (setsType) headers.push(['Content-Type', request.contentType as string])
    const isJson = hasBody && request.contentType !== undefined && /[/+]json\b/i.test(request.contentType)
    return {
      key: endpoint.key,
      method: endpoint.method,
      pathTemplate: endpoint.path,
      path: request.path,
      summary: endpoint.summary,
      operationId: endpoint.operationId,
      headers,
      cookies: Object.entries(request.cookies),
      body: hasBody ? { text: request.body as string, json: isJson ? JSON.parse(request.body as string) : undefined } : undefined,
      authenticated: planned.authenticated && plan.auth.type !== 'none',
      weight: weights[index]!,
      successStatuses: [...endpoint.successStatuses],
      slo: { ...planned.slo.limits },
    }
  })
}

/** Seconds with at most millisecond precision, for durations written into a test file. */
export function seconds(ms: number): number {
  return Math.round(ms) / 1000
}
