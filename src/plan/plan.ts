/**
 * Plan stage: which endpoints run, with which request, under which SLO and load profile.
 * Pure: Config + ApiSpec in, TestPlan out; every decision the user might question is recorded.
 */
import type { Config } from '../config/schema.js'
import type { Auth } from '../spec/auth-config.js'
import type { SloLimits } from '../slo-config.js'
import { UserError } from '../errors.js'
import { SAFE_METHODS, type ApiSpec, type Endpoint } from '../spec/model.js'
import { buildRequestSample } from '../spec/request.js'
import { chooseSecurity, type SecurityChoice } from '../spec/security.js'
import { analyzeEndpoints, categoryConfigWarnings, type EndpointAnalysis } from './analysis.js'
import { categoryLoads, userSloRules, withCategoryDefaults } from './category-defaults.js'
import type { EndpointCategory } from '../results/schema.js'
import { categoryScenarios, fitExecutorToCategories, presentCategories, type CategoryLoad, type CategoryScenario } from './category-scenarios.js'
import { sampleWarnings } from './sample-bounds.js'
import { checkAllowedHost, resolveWeights, toProfileOverrides, weightWarnings } from './profile-config.js'
import { buildExecutor, peakVus, type Executor } from './profiles.js'
import { matchesSelector, selectorSpecificity, unmatchedSelectors } from './selector.js'
import { operationServer, type RequestBase } from './servers.js'
import { bodyWarnings, unsatisfiableBodyReason, unsatisfiableParameterReason } from '../spec/satisfiable.js'
import { planValues } from './values.js'
import type { PlannedEndpoint, ResolvedSlo, SkippedEndpoint } from './planned-endpoint.js'

export interface TestPlan {
  baseUrl: string
  profile: Config['profile']
  /** The profile's load as a whole: its peak is what vus, max-vus and the reports mean. */
  executor: Executor
  /** Each category's VUs per endpoint and think time, as the config resolves them. */
  categoryLoad: Record<EndpointCategory, CategoryLoad>
  /** One k6 scenario per category present: its endpoints, share of the executor and think time. */
  scenarios: CategoryScenario[]
  /** request-timeout from the config: every endpoint's k6 timeout instead of its SLO's (src/plan/run-bounds.ts). */
  requestTimeoutMs?: number
  auth: Auth
  endpoints: PlannedEndpoint[]
  skipped: SkippedEndpoint[]
  /** Things worth telling the user that do not stop the run. */
  warnings: string[]
  /** Every endpoint of the spec (planned or skipped): category, why, complexity. */
  analysis: EndpointAnalysis[]
  /**
   * The planned endpoints setup() harvests values from: kept apart so a plan narrowed to a few
   * endpoints (a confirmation run) still reaches them.
   */
  harvestSources?: PlannedEndpoint[]
}

export function buildPlan(config: Config, spec: ApiSpec): TestPlan {
  const warnings: string[] = [...spec.warnings]
  const baseUrl = resolveBaseUrl(config, spec)
  const hostProblem = checkAllowedHost(baseUrl, config.load.allowedHosts)
  if (hostProblem) throw new UserError(hostProblem)
  const executor = buildExecutor(config.profile, toProfileOverrides(config.load, { vus: config.vus, durationMs: config.durationMs, maxVus: config.maxVus }))
  const peak = peakVus(executor)
  if (peak > config.maxVus) {
    throw new UserError(`profile ${config.profile} needs ${peak} virtual users, above the cap of ${config.maxVus}; lower vus or raise max-vus`)
  }

  warnings.push(...(spec.warnings ?? []).map((w) => `${spec.source}: ${w}`))
  warnings.push(...weightWarnings(spec.endpoints, config.load.weights))
  for (const selector of unmatchedSelectors(spec.endpoints, config.include))
    warnings.push(`include ${JSON.stringify(selector)} matches no endpoint of the spec`)
  for (const selector of unmatchedSelectors(spec.endpoints, config.exclude))
    warnings.push(`exclude ${JSON.stringify(selector)} matches no endpoint of the spec`)
  for (const rule of config.slos) {
    if (unmatchedSelectors(spec.endpoints, [rule.selector]).length > 0) {
      warnings.push(`SLO ${JSON.stringify(rule.selector)}${rule.line ? ` (${config.configFile}:${rule.line})` : ''} matches no endpoint of the spec`)
    }
  }

  const specUsesSecurity = spec.endpoints.some((e) => e.security.length > 0)
  const serverContext = { baseUrl, baseUrlFromInput: Boolean(config.baseUrl), specServers: spec.servers, allowedHosts: config.load.allowedHosts }
  const weights = resolveWeights(spec.endpoints, config.load.weights)
  const analysis = analyzeEndpoints(spec.endpoints, config.categories)
  warnings.push(...categoryConfigWarnings(spec.endpoints, config.categories))
  const sloRules = userSloRules(config.slos)
  const endpoints: PlannedEndpoint[] = []
  const skipped: SkippedEndpoint[] = []
  for (const [index, endpoint] of spec.endpoints.entries()) {
    // A spec that declares no security at all gets the configured auth everywhere; otherwise each
    // operation gets it only where it satisfies one of the operation's alternatives.
    const security = specUsesSecurity ? chooseSecurity(endpoint.security, spec.securitySchemes, config.auth.type === 'none' ? [] : [config.auth]) : undefined
    const reason = skipReason(endpoint, config, security)
    const server = reason ? undefined : operationServer(endpoint, serverContext)
    if (reason || (server && 'skip' in server)) {
      skipped.push({ key: endpoint.key, reason: reason ?? (server as { skip: string }).skip })
      continue
    }
    if (server?.note) warnings.push(`${endpoint.key} is ${server.note}`)
    warnings.push(...bodyWarnings(endpoint))
    endpoints.push({
      endpoint,
      metricName: metricNameFor(endpoint.key),
      request: buildRequestSample(endpoint),
      // The user's SLOs first; the endpoint's category fills in limits no rule sets.
      slo: withCategoryDefaults(resolveSlo(endpoint, sloRules), analysis[index]),
      authenticated: security ? security.kind === 'satisfied' : config.auth.type !== 'none',
      weight: weights[index],
      category: analysis[index].category,
      server: (server as { base: RequestBase }).base,
    })
  }
  // The first reason per key, as a search from the front finds it, without one search per endpoint.
  const skippedWhy = new Map([...skipped].reverse().map((s) => [s.key, s.reason]))
  const candidates = spec.endpoints.map((endpoint) => ({ endpoint, skipped: skippedWhy.get(endpoint.key) }))
  const sourceKeys = new Set<string>()
  for (const planned of endpoints) {
    const values = planValues(planned.endpoint, candidates)
    if (values.length > 0) planned.values = values
    for (const v of values) if (v.origin.kind === 'harvested') sourceKeys.add(v.origin.source.from)
  }
  const harvestSources = endpoints.filter((p) => sourceKeys.has(p.endpoint.key))
  if (endpoints.length === 0) {
    const why = skipped.length === 0 ? 'the spec declares no operations' : `all ${skipped.length} were skipped (${skipped[0].key}: ${skipped[0].reason})`
    throw new UserError(`nothing to test: ${why}`)
  }

  // Each category present runs as its own scenario, which needs at least 1 VU (1 iteration/s) at the peak.
  const categories = presentCategories(endpoints)
  const fitted = fitExecutorToCategories(executor, categories.length)
  if (fitted.raised.length > 0) {
    warnings.push(
      `the planned endpoints fall into ${categories.length} categories (${categories.join(', ')}), each run as its own k6 scenario ` +
        `with at least 1 VU at the peak: raised ${fitted.raised.join(' and ')}; give the profile a peak of at least ${categories.length} ` +
        `(vus, rate or the stages' targets) to set the load yourself`,
    )
    const raisedPeak = peakVus(fitted.executor)
    if (raisedPeak > config.maxVus) {
      throw new UserError(
        `the ${categories.length} endpoint categories need at least ${raisedPeak} virtual users, above the cap of ${config.maxVus}; raise max-vus or include fewer endpoints`,
      )
    }
  }
  const categoryLoad = categoryLoads(config.categories, config.thinkTimeMs)
  const requestTimeoutMs = config.load.requestTimeoutMs
  const scenarios = categoryScenarios({ executor: fitted.executor, endpoints, categoryLoad, requestTimeoutMs })
  warnings.push(...sampleWarnings(scenarios, endpoints))
  return {
    baseUrl,
    profile: config.profile,
    executor: fitted.executor,
    categoryLoad,
    scenarios,
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    auth: config.auth,
    endpoints,
    skipped,
    warnings,
    analysis,
    ...(harvestSources.length > 0 ? { harvestSources } : {}),
  }
}

function skipReason(endpoint: Endpoint, config: Config, security: SecurityChoice | undefined): string | undefined {
  if (config.include.length > 0 && !config.include.some((s) => matchesSelector(endpoint, s))) return 'not matched by include'
  const excludedBy = config.exclude.find((s) => matchesSelector(endpoint, s))
  if (excludedBy) return `excluded by ${JSON.stringify(excludedBy)}`
  if (endpoint.unusable) return endpoint.unusable
  if (!SAFE_METHODS.includes(endpoint.method) && !config.allowWrites) return 'changes data; set allow-writes: true to load-test it'
  if (security?.kind === 'unsatisfiable') {
    // Sending it without the credentials it needs would only measure 401s and turn the verdict red for the wrong reason.
    return `${security.reason}; configure auth that satisfies it`
  }
  // A required body or parameter no value satisfies gets only 4xx answers: nothing to measure.
  return unsatisfiableBodyReason(endpoint) ?? unsatisfiableParameterReason(endpoint)
}

export function resolveSlo(endpoint: Endpoint, rules: Config['slos']): ResolvedSlo {
  return mergeSloRules(rules, (rule) => matchesSelector(endpoint, rule.selector))
}

/** For each limit, the most specific matching SLO rule that sets it wins; later rules win ties. */
export function mergeSloRules(rules: Config['slos'], matches: (rule: Config['slos'][number], index: number) => boolean): ResolvedSlo {
  const matching = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule, index }) => matches(rule, index))
    .sort((a, b) => selectorSpecificity(a.rule.selector) - selectorSpecificity(b.rule.selector) || a.index - b.index)
  const limits: Record<string, number> = {}
  const sources: ResolvedSlo['sources'] = {}
  for (const { rule } of matching) {
    for (const [name, value] of Object.entries(rule.limits) as Array<[keyof SloLimits, number | undefined]>) {
      if (value === undefined) continue
      limits[name] = value
      sources[name] = { selector: rule.selector, line: rule.limitLines?.[name] ?? rule.line }
    }
  }
  return { limits: limits as SloLimits, sources }
}

/** k6 splits threshold tag filters on commas, so a comma in a path would break the run. */
export function metricNameFor(key: string): string {
  return key.replace(/,/g, '%2C')
}

function resolveBaseUrl(config: Config, spec: ApiSpec): string {
  if (config.baseUrl) return config.baseUrl
  const server = spec.servers.find((s) => /^https?:\/\//i.test(s))
  if (server) return server.replace(/\/+$/, '')
  // A protocol-relative server (//kubernetes.local) takes its scheme from the spec's URL, and a local file has none.
  const hostOnly = spec.servers.find((s) => s.startsWith('//'))
  if (hostOnly) {
    throw new UserError(
      `no base URL: ${spec.source} names its server ${hostOnly} without a scheme; set the base-url input (its scheme is used), or load the spec from its URL`,
    )
  }
  const relative = spec.servers.length > 0 ? ` (its servers are relative: ${spec.servers.join(', ')})` : ''
  throw new UserError(`no base URL: set the base-url input, or declare an absolute server URL in ${spec.source}${relative}`)
}
