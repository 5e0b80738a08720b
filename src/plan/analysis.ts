/**
 * Analysis: what kind of operation each endpoint is (standard, critical, data-intensive), read or
 * write, whether it needs authentication, how complex it is. Pure: endpoints (and the optional
 * `categories:` config block) in, one EndpointAnalysis per endpoint out, in the spec's order, each
 * with its category's defaults (category-defaults.ts). Every decision carries the words or signals
 * that made it, so the plan table can show why. The heuristics (words: CRITICAL_WORDS,
 * DATA_INTENSIVE_WORDS; shapes: LARGE_ARRAY_ITEMS, LARGE_BODY_BYTES; complexity: COMPLEXITY_LEVEL_MAX)
 * and why: docs/planning.md ("Endpoint analysis").
 */
import { SAFE_METHODS, type Endpoint, type HttpMethod } from '../spec/model.js'
import { categoryDefaults, type CategoryDefaults } from './category-defaults.js'
import type { PlannedEndpoint } from './planned-endpoint.js'
import { matchesSelector, selectorSpecificity, unmatchedSelectors } from './selector.js'
import type { CategoriesConfig } from './categories-config.js'
import { ENDPOINT_CATEGORIES, type EndpointCategory } from '../results/schema.js'

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

/** Complexity: body bytes count as ⌈log2(1 + bytes / this)⌉; a score up to `low` is low, up to `medium` medium, above that high. */
export const COMPLEXITY_BODY_BYTES_UNIT = 128
export const COMPLEXITY_LEVEL_MAX = Object.freeze({ low: 4, medium: 10 })

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
  const score = params + pathDepth + 2 * depth + (bytes > 0 ? Math.ceil(Math.log2(1 + bytes / COMPLEXITY_BODY_BYTES_UNIT)) : 0)
  return {
    score,
    level: score <= COMPLEXITY_LEVEL_MAX.low ? 'low' : score <= COMPLEXITY_LEVEL_MAX.medium ? 'medium' : 'high',
    params,
    pathDepth,
    bodyBytes: bytes,
    bodyDepth: depth,
  }
}

function forcedCategory(endpoint: Endpoint, config: CategoriesConfig | undefined): { category: EndpointCategory; selector: string } | undefined {
  const candidates = forcingCandidates(endpoint, config)
  return candidates[0]
}

/** Every forcing selector matching the endpoint, the winner first. */
function forcingCandidates(
  endpoint: Endpoint,
  config: CategoriesConfig | undefined,
): Array<{ category: EndpointCategory; selector: string; specificity: number }> {
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

/** The analyses of the planned endpoints, in the plan's order (planned endpoints always come from the spec). */
export function analysesFor(plan: { endpoints: readonly PlannedEndpoint[] }, analysis: readonly EndpointAnalysis[]): EndpointAnalysis[] {
  const byKey = new Map(analysis.map((a) => [a.key, a]))
  return plan.endpoints.map((p) => {
    const found = byKey.get(p.endpoint.key)
    if (!found) throw new Error(`no analysis for planned endpoint ${p.endpoint.key}`)
    return found
  })
}
