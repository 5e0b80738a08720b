/**
 * Analysis: what kind of operation each endpoint is, and which load and SLO the planning model
 * gives that kind. Pure: endpoints (and the optional `categories:` config block) in, one
 * EndpointAnalysis per endpoint out, in the spec's order. Every decision carries the words or
 * signals that made it, so the plan table can show why.
 *
 * Heuristics (documented here because users will question them):
 *  - read/write: GET, HEAD and OPTIONS read; every other method writes (the same split as
 *    allow-writes, so the two never disagree; a POST /search is a write here).
 *  - Words come from four fields: the path's literal segments (not its {parameters}), the
 *    operationId, the tags and the summary (not the description: too long, too many false hits).
 *    Each field is split into words at non-letters, camelCase humps and letter/digit borders
 *    ("listProducts" → list, products; "OAuth2Token" → o, auth, 2, token), and adjacent words are
 *    also tried joined ("sign-in", "signIn" → signin; "check out" → checkout). A keyword matches
 *    whole words only, in the forms listed in CRITICAL_WORDS and DATA_INTENSIVE_WORDS: "list"
 *    matches "list", "lists", "listing", never "playlist"; "file" never matches "profile".
 *  - data-intensive also by shape: a multipart or binary (non-text) request body, a body that is
 *    a top-level array (a bulk write by shape), an array of 10 or more items anywhere in the
 *    sample body, or a sample body of 8 KiB or more. (The model has no response media types, so a
 *    binary download is only recognised by its words.)
 *  - When both apply, data-intensive wins: its SLO must fit the payload, and a critical 500 ms
 *    p95 on an export would fail for the wrong reason. The critical words still show in "why".
 *  - authentication required: the operation declares security and no alternative of it is empty
 *    (an empty alternative makes authentication optional).
 *  - complexity: score = parameters + path segments + 2 × body nesting depth
 *    + ⌈log2(1 + body bytes / 128)⌉; low ≤ 4 < medium ≤ 10 < high.
 *  - The `categories:` config block forces endpoints into a category by selector (most specific
 *    selector wins, as for SLOs; a tie between categories goes to critical, then data-intensive,
 *    then standard, with a warning) and overrides each category's defaults; `detect: false`
 *    turns the word and shape heuristics off, so only forced endpoints leave standard.
 */
import { DEFAULTS, type SloRule } from '../config/schema.js'
import type { SloLimits } from '../slo-config.js'
import { SAFE_METHODS, type Endpoint, type HttpMethod } from '../spec/model.js'
import { describeDataRequest, type DatasetBinding } from './dataset.js'
import { describeSource, describeValue, valuesBesideDataset } from './values.js'
import type { CategoryLoad, CategoryScenario } from './category-scenarios.js'
import type { PlannedEndpoint, ResolvedSlo, SkippedEndpoint } from './planned-endpoint.js'
import { peakTarget, peakVus } from './profiles.js'
import { matchesSelector, selectorSpecificity, unmatchedSelectors } from './selector.js'
import type { CategoriesConfig } from './categories-config.js'
import { ENDPOINT_CATEGORIES, SKIPPED_LISTED_MAX, type EndpointCategory, type PlanSection } from '../results/schema.js'

export { ENDPOINT_CATEGORIES, PlanSectionSchema, SKIPPED_LISTED_MAX, type EndpointCategory, type PlanSection } from '../results/schema.js'

/** What the planning model gives each category. */
export interface CategoryDefaults {
  /**
   * Virtual users the planning model gives an endpoint of this category on its own. The run's
   * VUs are shared among the categories in proportion to this × their endpoints' weights
   * (src/plan/category-scenarios.ts), so it is also the category's share of the traffic.
   */
  vus: number
  /** Pause after each request of this category; 0 leaves the config's think-time in charge. */
  thinkTimeMs: number
  /** Recommended SLO: applied below every SLO the user writes (see withCategoryDefaults). */
  slo: SloLimits
}

/**
 * The planning model Perf-Xi inherits: standard load 10 VUs, p95 < 1 s, errors < 1 %; critical
 * path 20 VUs, p95 < 500 ms, errors < 0.5 %; data-intensive 5 VUs, 3 s think time, p95 < 5 s,
 * errors < 2 %. (The model's 60 s with a 30 s ramp-up is a run's shape, which the profile gives
 * every category alike.)
 */
export const CATEGORY_DEFAULTS: Readonly<Record<EndpointCategory, Readonly<CategoryDefaults>>> = Object.freeze({
  standard: Object.freeze({ vus: 10, thinkTimeMs: 0, slo: Object.freeze({ p95: 1000, 'error-rate': 1 }) }),
  critical: Object.freeze({ vus: 20, thinkTimeMs: 0, slo: Object.freeze({ p95: 500, 'error-rate': 0.5 }) }),
  'data-intensive': Object.freeze({ vus: 5, thinkTimeMs: 3000, slo: Object.freeze({ p95: 5000, 'error-rate': 2 }) }),
})

/** Keyword → the whole words that count as it (plural and verb forms, joined two-word forms). */
export const CRITICAL_WORDS: Readonly<Record<string, readonly string[]>> = {
  auth: ['auth', 'authn', 'authenticate', 'authentication', 'authorize', 'authorise', 'authorization', 'oauth', 'oidc', 'sso', 'token', 'tokens'],
  login: ['login', 'logins', 'logon', 'signin'],
  payment: ['payment', 'payments', 'pay', 'charge', 'charges', 'billing', 'refund', 'refunds'],
  checkout: ['checkout', 'checkouts', 'cart', 'carts', 'basket', 'baskets'],
  order: ['order', 'orders', 'purchase', 'purchases'],
  search: ['search', 'searches', 'find', 'finds', 'lookup', 'autocomplete'],
  dashboard: ['dashboard', 'dashboards', 'overview'],
  list: ['list', 'lists', 'listing', 'listings', 'browse'],
  feed: ['feed', 'feeds', 'timeline', 'timelines'],
}

export const DATA_INTENSIVE_WORDS: Readonly<Record<string, readonly string[]>> = {
  upload: ['upload', 'uploads'],
  download: ['download', 'downloads'],
  export: ['export', 'exports'],
  import: ['import', 'imports'],
  bulk: ['bulk'],
  batch: ['batch', 'batches'],
  file: ['file', 'files', 'attachment', 'attachments', 'blob', 'blobs'],
  report: ['report', 'reports', 'reporting'],
}

/** Shape thresholds for data-intensive bodies. */
export const LARGE_ARRAY_ITEMS = 10
export const LARGE_BODY_BYTES = 8 * 1024

export type MatchField = 'path' | 'operationId' | 'tag' | 'summary'

export interface KeywordMatch {
  keyword: string
  /** Where it was found, in the order path, operationId, tag, summary. */
  fields: MatchField[]
}

export interface Complexity {
  score: number
  level: 'low' | 'medium' | 'high'
  params: number
  pathDepth: number
  bodyBytes: number
  bodyDepth: number
}

export interface EndpointAnalysis {
  key: string
  method: HttpMethod
  path: string
  access: 'read' | 'write'
  category: EndpointCategory
  /** The selector of the `categories:` block that forced the category, if one did. */
  forcedBy?: string
  critical: KeywordMatch[]
  dataIntensive: KeywordMatch[]
  /** Shape signals for data-intensive, e.g. "multipart body", "array body". */
  dataSignals: string[]
  /** One line: why this category, e.g. "search (path, tag); list (operationId)". */
  why: string
  authRequired: boolean
  complexity: Complexity
  /** The category's defaults after the config's overrides. */
  defaults: CategoryDefaults
}

/** A category's defaults with the config's overrides applied. */
export function categoryDefaults(category: EndpointCategory, config?: CategoriesConfig): CategoryDefaults {
  const base = CATEGORY_DEFAULTS[category]
  const o = config?.[category]
  return {
    vus: o?.vus ?? base.vus,
    thinkTimeMs: o?.['think-time'] ?? base.thinkTimeMs,
    // A category's slo replaces its recommended limits as a whole: `slo: { p99: 2s }` means exactly that.
    slo: { ...(o?.slo ?? base.slo) },
  }
}

// ---------------------------------------------------------------------------
// Analysis
// ---------------------------------------------------------------------------

const FIELD_ORDER: readonly MatchField[] = ['path', 'operationId', 'tag', 'summary']
/** Tie-break when one endpoint is forced into several categories by equally specific selectors. */
const FORCE_PRIORITY: readonly EndpointCategory[] = ['critical', 'data-intensive', 'standard']

export function analyzeEndpoints(endpoints: readonly Endpoint[], config?: CategoriesConfig): EndpointAnalysis[] {
  const defaults = Object.fromEntries(ENDPOINT_CATEGORIES.map((c) => [c, categoryDefaults(c, config)])) as Record<EndpointCategory, CategoryDefaults>
  return endpoints.map((endpoint) => analyzeOne(endpoint, config, defaults))
}

function analyzeOne(endpoint: Endpoint, config: CategoriesConfig | undefined, defaults: Record<EndpointCategory, CategoryDefaults>): EndpointAnalysis {
  const words = endpointWords(endpoint)
  const critical = matchKeywords(words, CRITICAL_WORDS)
  const dataIntensive = matchKeywords(words, DATA_INTENSIVE_WORDS)
  const dataSignals = bodySignals(endpoint)
  const forced = forcedCategory(endpoint, config)
  const detect = config?.detect ?? true

  let category: EndpointCategory
  if (forced) category = forced.category
  else if (detect && (dataIntensive.length > 0 || dataSignals.length > 0)) category = 'data-intensive'
  else if (detect && critical.length > 0) category = 'critical'
  else category = 'standard'

  const found = [...dataIntensive.map(describeMatch), ...dataSignals, ...critical.map(describeMatch)]
  const why = forced
    ? `forced by categories.${forced.category}.endpoints ${JSON.stringify(forced.selector)}`
    : !detect
      ? 'detection off (categories.detect: false)'
      : found.length === 0
        ? 'no critical or data-intensive words'
        : found.join('; ')

  return {
    key: endpoint.key,
    method: endpoint.method,
    path: endpoint.path,
    access: SAFE_METHODS.includes(endpoint.method) ? 'read' : 'write',
    category,
    ...(forced ? { forcedBy: forced.selector } : {}),
    critical,
    dataIntensive,
    dataSignals,
    why,
    authRequired: endpoint.security.length > 0 && !endpoint.security.some((alternative) => alternative.length === 0),
    complexity: complexityOf(endpoint),
    defaults: defaults[category],
  }
}

function describeMatch(match: KeywordMatch): string {
  return `${match.keyword} (${match.fields.join(', ')})`
}

/**
 * Splits text into lower-case words at non-letters, camelCase humps and letter/digit borders.
 * "listProducts" → list, products; "HTTPFile" → http, file; "OAuth2" → o, auth, 2.
 */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase())
}

function endpointWords(endpoint: Endpoint): Array<{ field: MatchField; words: string[] }> {
  // Literal path segments only: /files/{fileId} is about files, /users/{fileId} is not.
  const literalPath = endpoint.path.replace(/\{[^}]*\}/g, ' ')
  return [
    { field: 'path', words: splitWords(literalPath) },
    { field: 'operationId', words: splitWords(endpoint.operationId ?? '') },
    ...endpoint.tags.map((tag) => ({ field: 'tag' as const, words: splitWords(tag) })),
    { field: 'summary', words: splitWords(endpoint.summary ?? '') },
  ]
}

function matchKeywords(fields: Array<{ field: MatchField; words: string[] }>, table: Readonly<Record<string, readonly string[]>>): KeywordMatch[] {
  const byKeyword = new Map<string, Set<MatchField>>()
  for (const { field, words } of fields) {
    // Each word, and each pair of adjacent words joined ("sign in" → signin).
    const candidates = new Set(words)
    for (let i = 0; i + 1 < words.length; i++) candidates.add(words[i] + words[i + 1])
    for (const [keyword, forms] of Object.entries(table)) {
      if (forms.some((form) => candidates.has(form))) {
        const set = byKeyword.get(keyword) ?? new Set<MatchField>()
        set.add(field)
        byKeyword.set(keyword, set)
      }
    }
  }
  return Object.keys(table)
    .filter((keyword) => byKeyword.has(keyword))
    .map((keyword) => ({ keyword, fields: FIELD_ORDER.filter((f) => byKeyword.get(keyword)!.has(f)) }))
}

const TEXT_TYPES = /^(text\/|application\/(json|[\w.-]+\+json|xml|[\w.-]+\+xml|x-www-form-urlencoded|graphql|x-ndjson|yaml|x-yaml|javascript)$)/

function bodySignals(endpoint: Endpoint): string[] {
  const body = endpoint.body
  if (!body) return []
  const signals: string[] = []
  const type = body.contentType.split(';')[0]!.trim().toLowerCase()
  if (type === 'multipart/form-data' || type.startsWith('multipart/')) signals.push(`multipart body (${type})`)
  else if (type !== '' && !TEXT_TYPES.test(type)) signals.push(`binary body (${type})`)
  if (Array.isArray(body.value)) signals.push('array body (a bulk write by shape)')
  const longest = longestArray(body.value)
  if (longest >= LARGE_ARRAY_ITEMS) signals.push(`array of ${longest} items in the body`)
  const bytes = bodyBytes(body.value)
  if (bytes >= LARGE_BODY_BYTES) signals.push(`large body (${Math.round(bytes / 1024)} KiB)`)
  return signals
}

function longestArray(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestArray))
  if (value !== null && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestArray))
  return 0
}

function bodyBytes(value: unknown): number {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
  return Buffer.byteLength(text, 'utf8')
}

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf))
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf))
  return 0
}

export function complexityOf(endpoint: Endpoint): Complexity {
  const params = endpoint.parameters.length
  const pathDepth = endpoint.path.split('/').filter((s) => s !== '').length
  const bytes = endpoint.body ? bodyBytes(endpoint.body.value) : 0
  const depth = endpoint.body ? depthOf(endpoint.body.value) : 0
  const score = params + pathDepth + 2 * depth + (bytes > 0 ? Math.ceil(Math.log2(1 + bytes / 128)) : 0)
  return { score, level: score <= 4 ? 'low' : score <= 10 ? 'medium' : 'high', params, pathDepth, bodyBytes: bytes, bodyDepth: depth }
}

function forcedCategory(endpoint: Endpoint, config: CategoriesConfig | undefined): { category: EndpointCategory; selector: string } | undefined {
  const candidates = forcingCandidates(endpoint, config)
  return candidates[0]
}

/** Every forcing selector matching the endpoint, the winner first. */
function forcingCandidates(endpoint: Endpoint, config: CategoriesConfig | undefined): Array<{ category: EndpointCategory; selector: string; specificity: number }> {
  if (!config) return []
  const candidates: Array<{ category: EndpointCategory; selector: string; specificity: number }> = []
  for (const category of FORCE_PRIORITY) {
    for (const selector of config[category]?.endpoints ?? []) {
      if (matchesSelector(endpoint, selector)) candidates.push({ category, selector, specificity: selectorSpecificity(selector) })
    }
  }
  // Stable sort: among equally specific selectors the FORCE_PRIORITY order stands.
  return candidates.sort((a, b) => b.specificity - a.specificity)
}

/**
 * Things to tell the user about the categories block: selectors that match no endpoint of the
 * spec (typos), and endpoints forced into two categories by equally specific selectors.
 */
export function categoryConfigWarnings(endpoints: readonly Endpoint[], config: CategoriesConfig | undefined): string[] {
  if (!config) return []
  const warnings: string[] = []
  for (const category of ENDPOINT_CATEGORIES) {
    for (const selector of unmatchedSelectors(endpoints, config[category]?.endpoints ?? [])) {
      warnings.push(`categories.${category}.endpoints ${JSON.stringify(selector)} matches no endpoint of the spec`)
    }
  }
  for (const endpoint of endpoints) {
    const [first, second] = forcingCandidates(endpoint, config)
    if (first && second && first.specificity === second.specificity && first.category !== second.category) {
      warnings.push(
        `${endpoint.key} is forced into both ${first.category} (${JSON.stringify(first.selector)}) and ${second.category} (${JSON.stringify(second.selector)}); ${first.category} wins, use a more specific selector to choose`,
      )
    }
  }
  return warnings
}

// ---------------------------------------------------------------------------
// Wiring into the plan: SLO defaults and load
// ---------------------------------------------------------------------------

/** The selector recorded as the source of a limit that came from a category's defaults. */
export function categorySelector(category: EndpointCategory): string {
  return `category:${category}`
}

/**
 * The endpoint's category SLO at the lowest precedence: each limit the user's SLO rules set
 * (any selector, "*" included) stays; limits no user rule sets come from the category, with
 * source `category:<name>`. User SLOs always win, limit by limit, as rules do among themselves.
 */
export function withCategoryDefaults(resolved: ResolvedSlo, analysis: Pick<EndpointAnalysis, 'category' | 'defaults'>): ResolvedSlo {
  const limits: Record<string, number> = { ...(resolved.limits as Record<string, number>) }
  const sources: ResolvedSlo['sources'] = { ...resolved.sources }
  for (const [name, value] of Object.entries(analysis.defaults.slo) as Array<[keyof SloLimits, number | undefined]>) {
    if (value === undefined || limits[name] !== undefined) continue
    limits[name] = value
    sources[name] = { selector: categorySelector(analysis.category) }
  }
  return { limits: limits as SloLimits, sources }
}

/**
 * The user's own SLO rules: resolveConfig adds `"*": { p95: 1s, error-rate: 1% }` (without a
 * line) when the config file sets no SLO; that built-in rule is the standard category's SLO, and
 * with categories it must not override the critical and data-intensive defaults, so it is dropped.
 * A "*" the user writes always has a line and is kept.
 */
export function userSloRules(rules: readonly SloRule[]): SloRule[] {
  return rules.filter((rule) => !isBuiltInDefaultRule(rule))
}

function isBuiltInDefaultRule(rule: SloRule): boolean {
  if (rule.selector !== '*' || rule.line !== undefined || rule.limitLines !== undefined) return false
  const limits = rule.limits as Record<string, number | undefined>
  const builtIn = DEFAULTS.slo as Record<string, number>
  const set = Object.keys(limits).filter((k) => limits[k] !== undefined)
  return set.length === Object.keys(builtIn).length && set.every((k) => limits[k] === builtIn[k])
}

/**
 * Each category's load settings. Think time: the category's own `think-time` when the config sets
 * one (0 included); else its default when that is not 0 (data-intensive's 3 s: large payloads are
 * not requested back to back); else the config's `think-time`, as before categories existed.
 */
export function categoryLoads(config: CategoriesConfig | undefined, thinkTimeMs: number): Record<EndpointCategory, CategoryLoad> {
  const load = (category: EndpointCategory): CategoryLoad => ({
    vusPerEndpoint: config?.[category]?.vus ?? CATEGORY_DEFAULTS[category].vus,
    thinkTimeMs: config?.[category]?.['think-time'] ?? (CATEGORY_DEFAULTS[category].thinkTimeMs || thinkTimeMs),
  })
  return { standard: load('standard'), critical: load('critical'), 'data-intensive': load('data-intensive') }
}

/** The analyses of the planned endpoints, in the plan's order (planned endpoints always come from the spec). */
export function analysesFor(plan: { endpoints: readonly PlannedEndpoint[] }, analysis: readonly EndpointAnalysis[]): EndpointAnalysis[] {
  const byKey = new Map(analysis.map((a) => [a.key, a]))
  return plan.endpoints.map((p) => {
    const found = byKey.get(p.endpoint.key)
    if (!found) throw new Error(`no analysis for planned endpoint ${p.endpoint.key}`)
    return found
  })
}

// ---------------------------------------------------------------------------
// The results file's `plan` section
// ---------------------------------------------------------------------------


export interface PlanSectionOptions {
  categories?: CategoriesConfig
  dataset?: DatasetBinding
}

export function buildPlanSection(
  plan: { endpoints: readonly PlannedEndpoint[]; skipped: readonly SkippedEndpoint[]; scenarios: readonly CategoryScenario[] },
  analysis: readonly EndpointAnalysis[],
  opts: PlanSectionOptions = {},
): PlanSection {
  const planned = new Map(plan.endpoints.map((p) => [p.endpoint.key, p]))
  const skipped = new Map(plan.skipped.map((s) => [s.key, s.reason]))
  // Every planned endpoint is listed; skipped ones up to a cap, in the spec's order.
  let skippedListed = 0
  const listed = analysis.filter((a) => planned.has(a.key) || ++skippedListed <= SKIPPED_LISTED_MAX)
  const defaults = (c: EndpointCategory) => {
    const d = categoryDefaults(c, opts.categories)
    return { vus: d.vus, think_time_ms: d.thinkTimeMs, slo: definedLimits(d.slo) }
  }
  return {
    categories: { standard: defaults('standard'), critical: defaults('critical'), 'data-intensive': defaults('data-intensive') },
    scenarios: plan.scenarios.map((s) => {
      const open = s.executor.type.endsWith('arrival-rate')
      return {
        name: s.name,
        category: s.category,
        endpoints: s.endpoints.map((i) => plan.endpoints[i]!.endpoint.key),
        vus_per_endpoint: s.vusPerEndpoint,
        demand: s.demand,
        share: Number(s.share.toPrecision(6)),
        executor: s.executor.type,
        peak_vus: peakVus(s.executor),
        peak_rate: open ? peakTarget(s.executor) : null,
        think_time_ms: s.thinkTimeMs,
      }
    }),
    endpoints: listed.map((a) => {
      const p = planned.get(a.key)
      return {
        endpoint: a.key,
        method: a.method,
        path: a.path,
        category: a.category,
        forced_by: a.forcedBy ?? null,
        why: a.why,
        access: a.access,
        critical: a.critical.map((m) => `${m.keyword} (${m.fields.join(', ')})`),
        data_intensive: [...a.dataIntensive.map((m) => `${m.keyword} (${m.fields.join(', ')})`), ...a.dataSignals],
        auth_required: a.authRequired,
        complexity: {
          score: a.complexity.score,
          level: a.complexity.level,
          params: a.complexity.params,
          path_depth: a.complexity.pathDepth,
          body_bytes: a.complexity.bodyBytes,
          body_depth: a.complexity.bodyDepth,
        },
        weight: p?.weight ?? null,
        planned: p !== undefined,
        skipped_reason: p ? null : (skipped.get(a.key) ?? 'not planned'),
        auth_sent: p?.authenticated ?? false,
        slo: p ? definedLimits(p.slo.limits) : null,
        slo_from: p ? Object.fromEntries(Object.entries(p.slo.sources).map(([limit, source]) => [limit, source!.selector])) : null,
        request: p ? describeDataRequest(p, opts.dataset) : null,
        data: (opts.dataset?.endpoints[a.key] ?? []).map((v) => ({ name: v.name, in: v.in, column: v.column })),
        values: valuesBesideDataset(p?.values, opts.dataset?.endpoints[a.key] ?? []).map((v) => ({
          name: v.name,
          in: v.in,
          source: v.origin.kind,
          from: v.origin.kind === 'harvested' ? describeSource(v.origin.source) : null,
          why: v.origin.kind === 'invented' ? v.origin.why : null,
          note: describeValue(a.key, v),
        })),
      }
    }),
    dataset: opts.dataset
      ? { file: opts.dataset.file, format: opts.dataset.format, rows: opts.dataset.rowCount, columns: opts.dataset.columns, unused_columns: opts.dataset.unusedColumns }
      : null,
    skipped_not_listed: analysis.length - listed.length,
  }
}

function definedLimits(limits: SloLimits): Record<string, number> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Record<string, number>
}
