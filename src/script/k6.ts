/**
 * Script stage: TestPlan → k6 JavaScript, rendered from templates/k6-script.js.hbs.
 * One k6 scenario per endpoint category present (src/plan/category-scenarios.ts), each with an
 * exported function of its name that sends only its category's operations, weighted among
 * themselves, then sleeps the category's think time.
 * Deterministic (same plan, same bytes) so golden files pin it, and every value reaches the
 * JavaScript through the `json` helper, so no spec or config text can break out of a literal.
 */
import type { LatencyLimit } from '../slo-config.js'
import { identifierHelper, templateRenderer } from './templates.js'
import type { TestPlan } from '../plan/plan.js'
import type { PlannedEndpoint } from '../plan/planned-endpoint.js'
import { categoryScenarios, SCENARIO_NAMES, type CategoryScenario } from '../plan/category-scenarios.js'
import { datasetScriptView, operationDataView, type DatasetBinding } from '../plan/dataset.js'
import { describeExecutor, weightedSchedule, type Executor } from '../plan/profiles.js'
import { requestTimeoutMs } from '../plan/run-bounds.js'
import type { RequestBase } from '../plan/servers.js'
import { declaresRedirect } from '../spec/model.js'
import { isJsonBody } from '../spec/request.js'
import { REDIRECT_METRICS } from '../sli.js'
import { harvestedPath, valuesBesideDataset, type HarvestSource } from '../plan/values.js'
import {
  FAILURE_COUNTS_MAX_ENDPOINTS,
  FAILURE_OPERATION_TAG,
  FAILURE_KINDS,
  FAILURE_METRIC_PREFIX,
  NETWORK_ERROR_KINDS,
  RETRY_AFTER_KINDS,
  RETRY_AFTER_SUFFIX,
  STATUS_CLASS_KINDS,
  STATUS_SUFFIX,
} from '../analyst/failure-counts.js'

/** Percentiles k6 must keep for the SLIs: p50 is k6's "med". */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'] as const

export interface ScriptMeta {
  title: string
  source: string
  scriptName: string
  /** The script's options.cloud (name, projectID, distribution) for the Grafana Cloud k6 runners; absent for local runs. */
  cloud?: Record<string, unknown>
}

/** A k6 threshold expression, or one that stops the test when crossed (breakpoint). */
export type ThresholdExpression = string | { threshold: string; abortOnFail: true; delayAbortEval: string }

export interface Threshold {
  metric: string
  expressions: ThresholdExpression[]
}

const K6_AGGREGATE: Record<LatencyLimit, string> = { p50: 'med', p90: 'p(90)', p95: 'p(95)', p99: 'p(99)', max: 'max' }

/**
 * Plans of more endpoints than this carry no per-endpoint thresholds: k6's end-of-test summary
 * grows faster than its sub-metrics (measured with k6 1.8.1, a 5 s run: 100 endpoints 0.9 s after
 * the load, 200 2.4 s, 300 4.5 s, 1,000 18 s, 11,000 past its 120 s limit), so their SLIs come from
 * k6's streamed samples instead (src/k6/stream-slis.ts). docs/large-plans.md gives the trade-off.
 */
export const PER_ENDPOINT_THRESHOLDS_MAX = 200

/** Whether the plan's SLIs come from k6's summary (per-endpoint thresholds) rather than its streamed samples. */
export function hasPerEndpointThresholds(plan: Pick<TestPlan, 'endpoints'>): boolean {
  return plan.endpoints.length <= PER_ENDPOINT_THRESHOLDS_MAX
}

/**
 * Per-endpoint thresholds: the SLO where one is set, else an expression that always holds,
 * which still makes k6 report the endpoint's own sub-metric in its summary. With `abort` (the
 * breakpoint profile) the latency and error-rate SLOs stop k6 when crossed; min-rps cannot, since
 * a ramp starts below any rate.
 */
export function thresholdsFor(planned: PlannedEndpoint, abort?: Executor['abortOnFail']): Threshold[] {
  const { limits } = planned.slo
  const tag = `{name:${planned.metricName}}`
  const latency = (Object.keys(K6_AGGREGATE) as LatencyLimit[])
    .filter((name) => limits[name] !== undefined)
    .map((name) => `${K6_AGGREGATE[name]}<${limits[name]}`)
  const errorRate = limits['error-rate']
  const minRps = limits['min-rps']
  const stop = (threshold: string): ThresholdExpression =>
    abort ? { threshold, abortOnFail: true, delayAbortEval: k6Duration(abort.delayAbortEvalMs) } : threshold
  return [
    { metric: `http_req_duration${tag}`, expressions: latency.length > 0 ? latency.map(stop) : ['max>=0'] },
    { metric: `http_req_failed${tag}`, expressions: [errorRate !== undefined ? stop(`rate<${round(errorRate / 100)}`) : 'rate>=0'] },
    { metric: `http_reqs${tag}`, expressions: [minRps !== undefined ? `rate>=${minRps}` : 'count>=0'] },
    ...(followsRedirects(planned.endpoint.successStatuses)
      ? [
          { metric: `${REDIRECT_METRICS.hops}${tag}`, expressions: ['count>=0'] },
          { metric: `${REDIRECT_METRICS.duration}${tag}`, expressions: ['max>=0'] },
        ]
      : []),
  ]
}

/**
 * The thresholds of a plan above PER_ENDPOINT_THRESHOLDS_MAX: none, except for a profile that stops
 * at the first SLO crossed (breakpoint), which gets one set per scenario (k6's `scenario` tag) with,
 * per limit, the loosest value among the scenario's endpoints, and only limits every one of them
 * has. A mix of endpoints can only cross the loosest of their limits when one of them crosses its
 * own, so k6 never stops early; it may stop later than on the first endpoint alone.
 */
export function scenarioAbortThresholds(plan: TestPlan): Threshold[] {
  const abort = plan.executor.abortOnFail
  if (!abort) return []
  const stop = (threshold: string): ThresholdExpression => ({ threshold, abortOnFail: true, delayAbortEval: k6Duration(abort.delayAbortEvalMs) })
  return categoryScenarios(plan).flatMap((scenario) => {
    const limits = scenario.endpoints.map((i) => plan.endpoints[i]!.slo.limits)
    const loosest = (name: LatencyLimit | 'error-rate'): number | undefined => {
      const values = limits.map((l) => l[name])
      return values.every((v): v is number => v !== undefined) ? Math.max(...values) : undefined
    }
    const tag = `{scenario:${scenario.name}}`
    const latency = (Object.keys(K6_AGGREGATE) as LatencyLimit[]).flatMap((name) => {
      const value = loosest(name)
      return value === undefined ? [] : [stop(`${K6_AGGREGATE[name]}<${value}`)]
    })
    const errorRate = loosest('error-rate')
    const out: Threshold[] = []
    if (latency.length > 0) out.push({ metric: `http_req_duration${tag}`, expressions: latency })
    if (errorRate !== undefined) out.push({ metric: `http_req_failed${tag}`, expressions: [stop(`rate<${round(errorRate / 100)}`)] })
    return out
  })
}

/**
 * What the script counts as success for an operation: the statuses its spec declares, any 2xx or
 * 3xx when it declares none. An operation that declares no redirect has the redirects it meets
 * followed by the script (followRedirects in the template), so the statuses it follows are no
 * failure on their own: the last answer of the call is judged.
 */
function expectedStatuses(declared: readonly number[]): Array<number | { min: number; max: number }> {
  if (declared.length === 0) return [{ min: 200, max: 399 }]
  return followsRedirects(declared) ? [...declared, ...FOLLOWED_REDIRECTS] : [...declared]
}

/** The redirects a call follows (as browsers and k6 do): the others (300, 304, 305) are answers. */
export const FOLLOWED_REDIRECTS = [301, 302, 303, 307, 308] as const

/** An operation whose spec declares no 3xx follows the redirects it meets and is judged on the last answer. */
export function followsRedirects(declared: readonly number[]): boolean {
  return !declaresRedirect(declared)
}

/** With `dataset` (src/plan/dataset.ts), the script reads perf-xi-data.json, which must be written next to it. */
export function renderK6Script(plan: TestPlan, meta: ScriptMeta, dataset?: DatasetBinding): string {
  return renderScript(scriptView(plan, meta, dataset))
}

function scriptView(plan: TestPlan, meta: ScriptMeta, dataset?: DatasetBinding) {
  const auth = authView(plan)
  const names = new Set<string>()
  // Harvest sources outside the plan's endpoints (a narrowed plan) become requests setup() alone sends, after the rest.
  const setupOnly = (plan.harvestSources ?? []).filter((source) => !plan.endpoints.some((p) => p.endpoint.key === source.endpoint.key))
  // Up to FAILURE_COUNTS_MAX_ENDPOINTS, counters per operation; beyond, while k6's summary still reports
  // per endpoint (per-endpoint thresholds), tagged counters; a streamed plan reads k6's own tags instead.
  const failureCounting = failureCountingOf(plan)
  const countsFailures = failureCounting !== undefined
  const operations = [...plan.endpoints, ...setupOnly].map((planned, index) => {
    const { request, endpoint } = planned
    const useAuth = planned.authenticated
    // The configured credentials win over a spec parameter of the same name (a required
    // Authorization header parameter, an api-key header or cookie the spec also lists).
    const authHeaderNames = useAuth ? auth.headerNames : []
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) if (!authHeaderNames.includes(name.toLowerCase())) headers[name] = value
    if (request.contentType && request.body !== undefined) headers['Content-Type'] = request.contentType
    const cookies: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.cookies)) if (!(useAuth && auth.cookie?.name === name)) cookies[name] = value
    // JSON by the body's own media type: one the spec declares no media type for is JSON too, sent
    // without a Content-Type (request.contentType is then undefined).
    const isJson = request.body !== undefined && endpoint.body !== undefined && isJsonBody(endpoint.body)
    const base = urlBase(planned.server)
    return {
      key: endpoint.key,
      summary: endpoint.summary,
      setupOnly: index >= plan.endpoints.length,
      data: operationDataView(planned, dataset),
      variable: uniqueIdentifier(endpoint.operationId ?? `${endpoint.method.toLowerCase()} ${endpoint.path}`, names),
      method: endpoint.method,
      urlVariable: base.variable,
      urlPrefix: base.text,
      url: base.text + request.path,
      authQueryJoin: useAuth && auth.apiKeyQuery ? (request.path.includes('?') ? '&' : '?') : undefined,
      jsonBody: isJson ? JSON.parse(request.body as string) : undefined,
      body: isJson ? undefined : (request.body ?? null),
      metricName: planned.metricName,
      authHeaders: useAuth && auth.hasHeaders,
      headers,
      headerCount: Object.keys(headers).length,
      showHeaders: (useAuth && auth.hasHeaders) || Object.keys(headers).length > 0,
      cookies,
      cookieCount: Object.keys(cookies).length,
      authCookies: useAuth && auth.cookie !== undefined,
      showCookies: (useAuth && auth.cookie !== undefined) || Object.keys(cookies).length > 0,
      expectedStatuses: expectedStatuses(endpoint.successStatuses),
      timeout: requestTimeoutMs(planned.slo.limits, plan.requestTimeoutMs),
      answersWithRedirect: declaresRedirect(endpoint.successStatuses),
      followsRedirects: followsRedirects(endpoint.successStatuses),
      // Its failure counters are named by its index (src/analyst/failure-counts.ts).
      countsFailures: countsFailures && index < plan.endpoints.length,
      failedTag: String(index),
      index,
    }
  })
  const harvests = harvestViews(plan, operations, dataset)
  const split = categoryScenarios(plan)
  const scenarios = split.map((scenario) => ({
    ...scenarioView(scenario, plan.endpoints, operations),
    usesData: scenario.endpoints.some((i) => operations[i]!.data !== undefined),
    usesHarvest: scenario.endpoints.some((i) => harvests.byOperation.has(i)),
  }))
  const datasetView = datasetScriptView(dataset)
  return {
    title: meta.title,
    source: meta.source,
    scriptName: meta.scriptName,
    profile: plan.profile,
    baseUrl: plan.baseUrl,
    usesOrigin: operations.some((op) => op.urlVariable === 'BASE_ORIGIN'),
    auth,
    load: loadNotes(plan.executor),
    scenarios,
    summaryTrendStats: SUMMARY_TREND_STATS,
    cloud: meta.cloud,
    ...thresholdsView(plan),
    operations: operations.map((op, i) => ({ ...op, harvested: harvests.byOperation.get(i) })),
    followsRedirects: operations.some((op) => op.followsRedirects && !op.setupOnly),
    redirectMetrics: REDIRECT_METRICS,
    failureCounts: countsFailures
      ? {
          prefix: FAILURE_METRIC_PREFIX,
          kinds: [...FAILURE_KINDS, ...RETRY_AFTER_KINDS.map((k) => `${k}${RETRY_AFTER_SUFFIX}`)],
          statusTrends: STATUS_CLASS_KINDS.map((k) => `${k}${STATUS_SUFFIX}`),
          networkErrors: NETWORK_ERROR_KINDS,
          tagged: failureCounting === 'tagged',
          tag: FAILURE_OPERATION_TAG,
          operations: plan.endpoints.length,
        }
      : undefined,
    harvests: harvests.sources,
    dataset: datasetView === undefined ? undefined : { ...datasetView, vus: Math.max(1, maxVusOf(split)) },
    closedModel: scenarios.some((s) => s.closedModel),
    sleeps: scenarios.some((s) => s.thinkTimeSeconds !== undefined),
  }
}

function thresholdsView(plan: TestPlan): { thresholds: Threshold[]; thresholdsNote: string } {
  if (hasPerEndpointThresholds(plan)) {
    return {
      thresholds: plan.endpoints.flatMap((planned) => thresholdsFor(planned, plan.executor.abortOnFail)),
      thresholdsNote: 'One set per endpoint: the SLOs, or limits that always hold, so the summary reports every endpoint.',
    }
  }
  return {
    thresholds: scenarioAbortThresholds(plan),
    thresholdsNote: plan.executor.abortOnFail
      ? `${plan.endpoints.length} endpoints: Perf-Xi reads their SLIs from k6's samples; k6 stops at a scenario's loosest SLO crossed.`
      : `${plan.endpoints.length} endpoints: Perf-Xi reads their SLIs from k6's samples (--out json), not from per-endpoint thresholds.`,
  }
}

/** A value list setup() fills: where it is read and what is sent when that finds nothing. */
interface HarvestView {
  name: string
  from: string
  for: string
  sourceVariable: string
  urlVariable?: string
  url: string
  authQueryJoin?: string
  path: string[]
  field?: string
  fallback: string[]
}

type UrlTerm = { text: string } | { harvested: string }

/**
 * The values setup() harvests (one list per source, parameter and sample) and, for each operation
 * that uses some, its URL as terms to join per request. setup() sends the source operation's
 * hoisted params, so the auth and headers are the load's own.
 */
function harvestViews(
  plan: TestPlan,
  operations: ReadonlyArray<{ key: string; variable: string; urlVariable?: string; url: string; urlPrefix: string; authQueryJoin?: string }>,
  dataset?: DatasetBinding,
) {
  const sources = new Map<string, HarvestView>()
  const taken = new Set<string>()
  const byOperation = new Map<number, { terms: UrlTerm[] }>()
  // Looked up once per harvested value: a map, not a search of every operation each time.
  const operationAt = new Map<string, number>()
  operations.forEach((op, i) => operationAt.set(op.key, operationAt.get(op.key) ?? i))
  plan.endpoints.forEach((planned, index) => {
    const names = new Map<string, string>()
    for (const value of valuesBesideDataset(planned.values, dataset?.endpoints[planned.endpoint.key] ?? [])) {
      if (value.origin.kind !== 'harvested' || value.in !== 'path') continue
      const source: HarvestSource = value.origin.source
      const sourceIndex = operationAt.get(source.from)
      if (sourceIndex === undefined) continue
      const fallback = encodeURIComponent(String(value.sample))
      const id = JSON.stringify([source, value.name, fallback])
      let view = sources.get(id)
      if (!view) {
        const op = operations[sourceIndex]!
        view = {
          name: uniqueIdentifier(`${value.name} values`, taken),
          from: source.from,
          for: `{${value.name}} of ${planned.endpoint.key}`,
          sourceVariable: op.variable,
          urlVariable: op.urlVariable,
          url: op.url,
          authQueryJoin: op.authQueryJoin,
          path: source.path,
          field: source.field,
          fallback: [fallback],
        }
        sources.set(id, view)
      }
      names.set(value.name, view.name)
    }
    if (names.size === 0) return
    const op = operations[index]!
    const terms: UrlTerm[] = harvestedPath(planned.endpoint, names).map((part) => ('text' in part ? { text: part.text } : { harvested: part.harvested }))
    if (op.urlPrefix !== '') terms.unshift({ text: op.urlPrefix })
    byOperation.set(index, { terms: mergeText(terms) })
  })
  return { sources: [...sources.values()], byOperation }
}

function mergeText(terms: UrlTerm[]): UrlTerm[] {
  const out: UrlTerm[] = []
  for (const term of terms) {
    const last = out[out.length - 1]
    if ('text' in term && last && 'text' in last) out[out.length - 1] = { text: last.text + term.text }
    else out.push(term)
  }
  return out
}

/**
 * The start of an operation's URL as script text: a variable the script computes from
 * PERF_XI_BASE_URL (so the variable retargets every operation that follows the base URL) and
 * literal text after it, or literal text alone for a server of its own.
 */
function urlBase(server: RequestBase): { variable?: 'BASE_URL' | 'BASE_ORIGIN'; text: string } {
  switch (server.kind) {
    case 'base-url':
      return { variable: 'BASE_URL', text: server.prefix }
    case 'base-origin':
      return { variable: 'BASE_ORIGIN', text: server.prefix }
    case 'absolute':
      return { text: server.url }
  }
}

/** How the configured auth reaches a generated script, by variable names only (shared with the Locust export). */
export function authView(plan: Pick<TestPlan, 'auth'>) {
  const auth = plan.auth
  const view = {
    bearer: auth.type === 'bearer' ? { tokenEnv: auth['token-env'] } : undefined,
    basic: auth.type === 'basic' ? { usernameEnv: auth['username-env'], passwordEnv: auth['password-env'] } : undefined,
    apiKeyHeader: auth.type === 'api-key' && auth.in === 'header' ? { name: auth.name, valueEnv: auth['value-env'] } : undefined,
    apiKeyQuery: auth.type === 'api-key' && auth.in === 'query' ? { prefix: `${encodeURIComponent(auth.name)}=`, valueEnv: auth['value-env'] } : undefined,
    cookie: auth.type === 'cookie' ? { name: auth.name, prefix: `${auth.name}=`, valueEnv: auth['value-env'] } : undefined,
    envNames: authEnvNames(auth),
  }
  const headerNames = view.bearer || view.basic ? ['authorization'] : view.apiKeyHeader ? [view.apiKeyHeader.name.toLowerCase()] : []
  return { ...view, hasHeaders: headerNames.length > 0, headerNames }
}

/** The environment variables that hold the configured auth's secrets. */
export function authEnvNames(auth: TestPlan['auth']): string[] {
  switch (auth.type) {
    case 'none':
      return []
    case 'bearer':
      return [auth['token-env']]
    case 'basic':
      return [auth['username-env'], auth['password-env']]
    case 'api-key':
    case 'cookie':
      return [auth['value-env']]
  }
}

/** Comments over the scenarios: the profile as a whole, the open model and breakpoint stops. */
function loadNotes(executor: Executor): string[] {
  const notes = [
    `The profile as a whole: ${describeExecutor(executor)}. Each endpoint category runs as its own scenario`,
    "on a share of it: VUs per endpoint of the category × its endpoints' weights, over all categories.",
    "gracefulStop (and gracefulRampDown) outlast the requests' timeout: a request in flight when the load",
    'ends (or its VU is ramped down) completes or times out while k6 still counts it, so a hung API is measured.',
  ]
  if (executor.type.endsWith('arrival-rate')) {
    notes.push('Open model: iterations start at the scheduled rate (per second) however slow the API gets;')
    notes.push('k6 adds VUs up to maxVUs to keep up, and counts iterations it could not start as dropped_iterations.')
  }
  if (executor.abortOnFail) {
    notes.push(
      `Breakpoint: k6 stops the test at the first SLO threshold crossed (abortOnFail, not before ${k6Duration(executor.abortOnFail.delayAbortEvalMs)});`,
    )
    notes.push('it then exits 99, and the arrival rate reached by then is the breaking point.')
  }
  return notes
}

/**
 * One scenario: its settings in k6's names and order, its operations and how they share it.
 * VU-based executors (closed model): every operation gets its weight's share of each VU's time,
 * several requests an iteration (templates/k6-script.js.hbs says why). Arrival-rate executors
 * (open model): one request an iteration, the operations taking turns, or, when their weights
 * differ, following a fixed cycle of indexes into them (in rows, for reading).
 */
function scenarioView(scenario: CategoryScenario, endpoints: readonly PlannedEndpoint[], operations: ReadonlyArray<{ variable: string }>) {
  const constant = scenario.name.toUpperCase()
  const weights = scenario.endpoints.map((i) => endpoints[i]!.weight)
  const weighted = weights.some((w) => w !== weights[0])
  const closedModel = !isOpenModel(scenario.executor)
  const operationOrder = scenario.endpoints.map((i, k) => ({ variable: operations[i]!.variable, weight: weighted ? weights[k] : undefined }))
  let schedule: { length: number; rows: number[][] } | undefined
  if (weighted && !closedModel) {
    const cycle = weightedSchedule(weights)
    const rows: number[][] = []
    for (let i = 0; i < cycle.length; i += 32) rows.push(cycle.slice(i, i + 32))
    schedule = { length: cycle.length, rows }
  }
  const think = scenario.thinkTimeMs > 0 ? `${k6Duration(scenario.thinkTimeMs)} think time` : 'no think time'
  const count = scenario.endpoints.length
  return {
    name: scenario.name,
    category: scenario.category,
    description:
      `${count} endpoint${count === 1 ? '' : 's'} × ${scenario.vusPerEndpoint} VUs` +
      `${weighted ? ' (weighted)' : ''}: ${percent(scenario.share)} of the load, ${describeExecutor(scenario.executor)}; ${think}`,
    ...executorSettings(scenario.executor, scenario.gracefulStopMs),
    closedModel,
    operationsConstant: `${constant}_OPERATIONS`,
    scheduleConstant: `${constant}_SCHEDULE`,
    weightsConstant: `${constant}_WEIGHTS`,
    ...scenarioVariables(scenario.name),
    operationOrder,
    weights: weighted && closedModel ? weights : undefined,
    weightTotal: round(weights.reduce((a, b) => a + b, 0)),
    schedule,
    thinkTimeSeconds: scenario.thinkTimeMs > 0 ? scenario.thinkTimeMs / 1000 : undefined,
  }
}

/** The VU-local variables of a scenario's exec function (also kept out of operation names). */
function scenarioVariables(name: string) {
  const base = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
  return { spentVariable: `${base}Spent`, spentTotalVariable: `${base}SpentTotal`, nextVariable: `${base}Next`, turnVariable: `${base}Turn` }
}

function isOpenModel(executor: Executor): boolean {
  return executor.type === 'constant-arrival-rate' || executor.type === 'ramping-arrival-rate'
}

/** VU ids k6 may hand out: every scenario's most VUs, added up (the dataset spreads VUs over its rows by them). */
function maxVusOf(scenarios: readonly CategoryScenario[]): number {
  return scenarios.reduce((sum, { executor }) => {
    switch (executor.type) {
      case 'constant-vus':
        return sum + executor.vus
      case 'ramping-vus':
        return sum + Math.max(executor.startVus, ...executor.stages.map((s) => s.target))
      default:
        return sum + executor.maxVus
    }
  }, 0)
}

/** An executor's settings in k6's names and order. */
function executorSettings(executor: Executor, gracefulStopMs: number) {
  const settings: Array<{ name: string; value: unknown }> = []
  let stages: Array<{ duration: string; target: number }> | undefined
  const set = (name: string, value: unknown) => settings.push({ name, value })
  switch (executor.type) {
    case 'constant-vus':
      set('vus', executor.vus)
      set('duration', k6Duration(executor.durationMs))
      break
    case 'ramping-vus':
      set('startVUs', executor.startVus)
      stages = executor.stages.map((s) => ({ duration: k6Duration(s.durationMs), target: s.target }))
      break
    case 'constant-arrival-rate':
      set('rate', executor.rate)
      set('timeUnit', '1s')
      set('duration', k6Duration(executor.durationMs))
      set('preAllocatedVUs', executor.preAllocatedVus)
      set('maxVUs', executor.maxVus)
      break
    case 'ramping-arrival-rate':
      set('startRate', executor.startRate)
      set('timeUnit', '1s')
      set('preAllocatedVUs', executor.preAllocatedVus)
      set('maxVUs', executor.maxVus)
      stages = executor.stages.map((s) => ({ duration: k6Duration(s.durationMs), target: s.target }))
      break
  }
  set('gracefulStop', k6Duration(gracefulStopMs))
  if (executor.type === 'ramping-vus') set('gracefulRampDown', k6Duration(gracefulStopMs))
  return { executor: executor.type, settings, stages }
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`
}

export function k6Duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof let new null return super switch this throw true try typeof var void while with yield await static ' +
    'http exec sleep encoding options requireEnv BASE_URL BASE_ORIGIN AUTH_HEADERS AUTH_QUERY AUTH_COOKIES JSON __ENV __VU __ITER ' +
    'open SharedArray DATA DATA_START dataRow ROUND_MS Date standard critical data_intensive ' +
    Object.values(SCENARIO_NAMES)
      .flatMap((name) => Object.values(scenarioVariables(name)))
      .join(' ') +
    ' ' +
    'setup harvest HARVESTS HARVESTED MAX_HARVESTED'
  ).split(' '),
)

/** A readable camelCase identifier from an operationId or "method path", unique within the script. */
function uniqueIdentifier(source: string, taken: Set<string>): string {
  const words = source.split(/[^A-Za-z0-9]+/).filter(Boolean)
  let base = words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join('') || 'operation'
  if (/^[0-9]/.test(base)) base = `op${base}`
  if (RESERVED.has(base)) base = `${base}Op`
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`
  taken.add(name)
  return name
}

function round(value: number): number {
  return Number(value.toPrecision(12))
}

/** JavaScript destinations: values as JSON literals (valid, escaped JavaScript), text in // comments, bare names. */
const renderScript = templateRenderer('k6-script.js.hbs', {
  // The optional indent nests a value readably.
  json: (value, ...rest) => {
    const indent = typeof rest[0] === 'number' ? rest[0] : 0
    // U+2028/2029 end a line in JavaScript, so inside a // comment they would let text escape into code.
    const text = JSON.stringify(value ?? null, null, indent > 0 ? 2 : undefined)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029')
    return indent > 0 ? text.replace(/\n/g, `\n${' '.repeat(indent)}`) : text
  },
  // The items of an array, each a JSON literal, for long lists wrapped over several lines.
  jsonItems: (values) => (values as unknown[]).map((v) => JSON.stringify(v ?? null)).join(', '),
  // Text in a // comment can only escape into code through a line terminator.
  comment: (value) => String(value ?? '').replace(/[\r\n\u2028\u2029]+/g, ' '),
  ident: identifierHelper(/^[A-Za-z_$][\w$]*$/, 'JavaScript'),
})

/** How the script counts failed answers by kind: per operation, tagged, or not at all (a streamed plan: k6's tags). */
function failureCountingOf(plan: TestPlan): 'per-operation' | 'tagged' | undefined {
  if (plan.endpoints.length <= FAILURE_COUNTS_MAX_ENDPOINTS) return 'per-operation'
  return hasPerEndpointThresholds(plan) ? 'tagged' : undefined
}
