/**
 * What every exported load test (Locust, JMeter) sends, taken from the TestPlan the same way the
 * k6 script takes it (src/script/k6.ts): one request per planned endpoint, the spec's sampled
 * headers, cookies and body, the configured auth, and the statuses that count as success; grouped
 * as k6's scenarios are, one per endpoint category, each with its share of the load and its think
 * time (src/plan/category-scenarios.ts).
 * Pure data; each format's renderer decides only how to write it down.
 */
import type { SloLimits } from '../slo-config.js'
import type { EndpointCategory } from '../results/schema.js'
import { categoryScenarios, type CategoryScenario } from '../plan/category-scenarios.js'
import type { TestPlan } from '../plan/plan.js'
import type { PlannedEndpoint } from '../plan/planned-endpoint.js'
import { weightedSchedule } from '../plan/profiles.js'
import type { RequestBase } from '../plan/servers.js'
import { isJsonBody } from '../spec/request.js'
import { exportLoad, type ExportLoad } from './load-shape.js'

export interface ExportOperation {
  /** "METHOD /path/template", as in k6's `name` tag and the SLO selectors. */
  key: string
  method: string
  /** The path template as written in the spec: Locust's request name. */
  pathTemplate: string
  /** Filled path with its query string, e.g. /products?limit=20&offset=0. */
  path: string
  /** Where the path goes: after the base URL, after the base URL's origin, or after a server of its own. */
  server: RequestBase
  category: EndpointCategory
  summary?: string
  operationId?: string
  /** Request headers in k6's order: the spec's header parameters, then Content-Type. */
  headers: Array<[string, string]>
  /**
   * Whether `headers` has a Content-Type (the body's, or a header parameter's). Without one the
   * request goes without that header, as k6 sends it: a tool must not add one of its own (a body
   * the spec declares no media type for, or a POST, PUT, PATCH or DELETE without a body).
   */
  hasContentType: boolean
  /** Spec cookie parameters, in order. */
  cookies: Array<[string, string]>
  /**
   * The body as sent; `json` is its parsed value when it is JSON (src/spec/request.ts
   * `isJsonBody`: by the body's media type, so also when that is sent without a Content-Type).
   */
  body?: { text: string; json?: unknown }
  /** Whether the configured auth goes with this request. */
  authenticated: boolean
  /**
   * The endpoint's whole number of turns in one round of its category's operations: the weights
   * reduced to the smallest whole counts with the same ratios, exactly as k6's script schedules them.
   */
  weight: number
  /** Statuses that count as success; empty means any 2xx or 3xx, as in the k6 script. */
  successStatuses: number[]
  slo: SloLimits
}

/** The weight of one endpoint: a positive number. */
export function weightOf(planned: PlannedEndpoint): number {
  const weight = planned.weight
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
    throw new Error(`${planned.endpoint.key}: weight must be a positive number, got ${String(weight)}`)
  }
  return weight
}

/** Whole turns per endpoint with the weights' ratios, from the schedule k6's script uses. */
export function wholeWeights(endpoints: readonly PlannedEndpoint[]): number[] {
  const weights = endpoints.map(weightOf)
  const counts = weights.map(() => 0)
  for (const index of weightedSchedule(weights)) counts[index]! += 1
  return counts
}

/** One category's scenario for an export: its operations, and its load in users over time. */
export interface ExportScenario {
  scenario: CategoryScenario
  /** Its operations, in the plan's order. */
  operations: ExportOperation[]
  /** Its share of the profile as users (paced users in the open model), with its think time. */
  load: ExportLoad
}

/** The plan's scenarios (one per category present, as in the k6 script) with their operations. */
export function exportScenarios(plan: TestPlan): ExportScenario[] {
  const operations = exportOperations(plan)
  return categoryScenarios(plan).map((scenario) => ({
    scenario,
    operations: scenario.endpoints.map((i) => operations[i]!),
    load: exportLoad(scenario.executor, scenario.thinkTimeMs),
  }))
}

export function exportOperations(plan: TestPlan): ExportOperation[] {
  // Whole turns within each category, as each k6 scenario schedules its own operations.
  const weights: number[] = []
  for (const category of new Set(plan.endpoints.map((p) => p.category))) {
    const indexes = plan.endpoints.flatMap((p, i) => (p.category === category ? [i] : []))
    const whole = wholeWeights(indexes.map((i) => plan.endpoints[i]!))
    indexes.forEach((i, k) => (weights[i] = whole[k]!))
  }
  return plan.endpoints.map((planned, index) => {
    const { request, endpoint } = planned
    const hasBody = request.body !== undefined
    const setsType = hasBody && request.contentType !== undefined
    // As in k6, the body's Content-Type replaces a Content-Type header parameter.
    const headers: Array<[string, string]> = Object.entries(request.headers).filter(([name]) => !(setsType && name.toLowerCase() === 'content-type'))
    if (setsType) headers.push(['Content-Type', request.contentType as string])
    // The same decision as the k6 script's: a body the spec declares no media type for is JSON too.
    const isJson = hasBody && endpoint.body !== undefined && isJsonBody(endpoint.body)
    return {
      key: endpoint.key,
      method: endpoint.method,
      pathTemplate: endpoint.path,
      path: request.path,
      server: planned.server,
      category: planned.category,
      summary: endpoint.summary,
      operationId: endpoint.operationId,
      headers,
      hasContentType: headers.some(([name]) => name.toLowerCase() === 'content-type'),
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
