/**
 * A local stand-in for the GitHub REST API (api.github.com or a GHES `/api/v3`), for tests.
 *
 * It is not a stub: every request is checked against GitHub's published REST description
 * (`@octokit/openapi`, generated/api.github.com.json) — route, path and query parameters, JSON
 * body, Authorization and User-Agent headers — and anything GitHub would not accept is answered
 * the way GitHub answers it (404 / 401 / 422 / 400) AND recorded in `server.violations`. The
 * operations the action uses keep real state (issue comments, workflow runs, artifacts with real
 * zip downloads, pull requests, the repository) and answer with GitHub's shapes, pagination
 * `Link` headers and rate-limit headers. Faults (403/404/422/429/5xx, delays) are injected with
 * `server.inject()`. See __tests__/support/README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import v8 from 'node:v8'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { strToU8, zipSync } from 'fflate'

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface TokenGrant {
  /** Login of the token's owner. Default `github-actions[bot]`. */
  login?: string
  /** `read` simulates a fork PR's read-only GITHUB_TOKEN: every write answers 403. Default `write`. */
  permission?: 'read' | 'write'
}

export interface GitHubApiServerOptions {
  /** Owner of the one simulated repository. Default `octo-org`. */
  owner?: string
  /** Name of the one simulated repository. Default `perf-xi-demo`. */
  repo?: string
  /** Default branch of the repository. Default `main`. */
  defaultBranch?: string
  /** API path prefix: `''` like api.github.com (default) or `'/api/v3'` like GitHub Enterprise Server. */
  pathPrefix?: string
  /**
   * Accepted tokens. Default: any non-empty token is accepted with write permission as
   * `github-actions[bot]`. When given, any other token is answered 401 "Bad credentials".
   */
  tokens?: Record<string, TokenGrant>
  /**
   * Validate every JSON response the server produces against the operation's response schema and
   * record mismatches as `kind: 'response'` violations. Default true (costs ~0.1-0.3 s per test
   * file for the first compile of large schemas such as pull-request).
   */
  validateResponses?: boolean
  /** Primary rate limit per token: requests per window. Default 5000 per 3600 s. */
  rateLimit?: { limit?: number; windowSeconds?: number }
}

export type ViolationKind =
  | 'unknown-route' // no operation in the description for this method and path
  | 'auth' // Authorization header missing or malformed
  | 'header' // User-Agent missing, an unsupported X-GitHub-Api-Version, or a content type the operation does not take
  | 'path' // a path parameter does not match its schema
  | 'query' // a query parameter unknown or not matching its schema
  | 'body' // unparsable JSON, a missing/unexpected body, or a body not matching its schema
  | 'rule' // a documented GitHub rule outside the schema (e.g. comment body over 65,536 characters)
  | 'unimplemented' // a described operation this server does not simulate (add it with server.route)
  | 'response' // validateResponses: the server's own response does not match the description
  | 'internal' // the test server itself threw (a bug in a handler)

export interface ViolationDetail {
  /** Where: `path`, `query`, `body`, `header` or `response`. */
  in: string
  /** Dotted location, e.g. `per_page` or `body.body`. */
  field: string
  message: string
}

export interface Violation {
  kind: ViolationKind
  method: string
  path: string
  operationId?: string
  message: string
  details?: ViolationDetail[]
}

export interface RecordedRequest {
  method: string
  /** Path without the API prefix and without the query string (e.g. `/repos/o/r/issues/1/comments`). */
  path: string
  /** The matched path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  template?: string
  operationId?: string
  query: Record<string, string | string[]>
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body: unknown
  /** Lower-cased request headers, without `authorization`. */
  headers: Record<string, string>
  /** Status the server answered with (0 while the answer is pending). */
  status: number
}

export type FaultStatus = 403 | 404 | 410 | 422 | 429 | 500 | 502 | 503

export interface FaultSpec {
  /** HTTP method to match (any when omitted). */
  method?: string
  /**
   * What to match (any when omitted): a path template from the description
   * (`/repos/{owner}/{repo}/issues/{issue_number}/comments`), a concrete path without the prefix
   * (`/repos/o/r/issues/7/comments`), or a RegExp tested against the concrete path.
   */
  path?: string | RegExp
  /** Status to answer with. When omitted (only with delayMs), the request is slowed, then served. */
  status?: FaultStatus
  /** How many matching requests this fault answers. Default 1; `Infinity` for all. */
  times?: number
  /** Extra or overriding response headers. */
  headers?: Record<string, string>
  /** Response body. Default: GitHub's body for the status. */
  body?: unknown
  /** Wait this long before answering. */
  delayMs?: number
  /**
   * For 403/429: shape the answer as GitHub's primary rate limit (`x-ratelimit-remaining: 0`,
   * `x-ratelimit-reset`) or secondary rate limit (`retry-after`, "secondary rate limit" message).
   * Default for 429: `secondary`; for 403: none (a permission error, which must not be retried).
   */
  rateLimit?: 'primary' | 'secondary'
  /** Seconds until the rate limit clears (retry-after / x-ratelimit-reset). Default 1. */
  retryAfterSeconds?: number
}

export interface InjectedFault {
  /** Requests this fault has answered so far. */
  readonly hits: number
  /** Requests it will still answer. */
  readonly remaining: number
  cancel(): void
}

export interface HandlerRequest {
  method: string
  path: string
  template: string
  operationId: string
  /** Path parameters, typed by their schema (e.g. issue_number is a number). */
  params: Record<string, unknown>
  /** Query parameters, typed by their schema, defaults applied. */
  query: Record<string, unknown>
  body: unknown
  headers: Record<string, string>
  user: UserRecord
  permission: 'read' | 'write'
  state: GitHubState
  /** The page of `items` asked for by `per_page`/`page`; sets the `Link` header. */
  paginate<T>(items: readonly T[]): T[]
}

export interface HandlerResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type Handler = (req: HandlerRequest) => HandlerResult | Promise<HandlerResult>

export interface GitHubApiServer {
  /** Base URL for clients: `GITHUB_API_URL`, `getOctokit(token, { baseUrl: server.url })`. */
  readonly url: string
  /** `http://127.0.0.1:<port>`, also used as the web URL (`GITHUB_SERVER_URL`). */
  readonly origin: string
  readonly owner: string
  readonly repo: string
  readonly requests: RecordedRequest[]
  readonly violations: Violation[]
  readonly state: GitHubState
  /** Answer the next matching request(s) with a fault. Faults are matched in the order added. */
  inject(fault: FaultSpec): InjectedFault
  /** Serve a described operation this server does not simulate (or override one). Throws for a template not in the description. */
  route(method: string, template: string, handler: Handler): void
  /** `GITHUB_API_URL`, `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` for this server. */
  env(): Record<string, string>
  /** Forget recorded requests and violations and pending faults (state is kept). */
  clearLog(): void
  /** Stop listening and close keep-alive sockets at once. */
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// The description: load once, index once
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface DescribedParam {
  name: string
  in: string
  required: boolean
  schema: JsonObject
}

interface DescribedOperation {
  operationId: string
  method: string
  template: string
  docsUrl: string
  params: DescribedParam[]
  body?: { required: boolean; content: Record<string, JsonObject | undefined> }
  responses: Record<string, JsonObject | undefined>
}

interface DescribedPath {
  template: string
  regex: RegExp
  paramNames: string[]
  /** Per segment: 2 literal, 1 parameter, 0 multi-segment parameter. Higher wins. */
  rank: number[]
  operations: Map<string, DescribedOperation>
}

interface Description {
  doc: { components: JsonObject }
  paths: DescribedPath[]
  /** REST API versions: 2022-11-28 plus those named by `x-github-breaking-changes`. */
  apiVersions: Set<string>
  loadMs: number
}

const require = createRequire(import.meta.url)
const DESCRIPTION_FILE = require.resolve('@octokit/openapi/generated/api.github.com.json')
const SCHEMA_BASE = 'https://perf-xi.test/github-rest/components/schemas/'
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const

/**
 * Jest evaluates this module once per test file; the parsed description (plain JSON data) is
 * stashed on a Node built-in module object, which jest shares across the files a worker runs, so
 * the 13 MB file is read and indexed once per process.
 */
const CACHE_KEY = Symbol.for('perf-xi.github-api-server.description')
const processCache = v8 as unknown as Record<symbol, Description | undefined>

/** Milliseconds the process took to read, parse and index the description (measured once). */
export function descriptionLoadMs(): number {
  return loadDescription().loadMs
}

function loadDescription(): Description {
  const cached = processCache[CACHE_KEY]
  if (cached) return cached
  const started = performance.now()
  const doc = JSON.parse(readFileSync(DESCRIPTION_FILE, 'utf8')) as {
    paths: Record<string, Record<string, JsonObject>>
    components: JsonObject
  }
  const components = doc.components as Record<string, Record<string, JsonObject>>
  const resolve = (node: JsonObject): JsonObject => {
    const ref = node.$ref
    if (typeof ref !== 'string') return node
    const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? []
    const target = section && name ? components[section]?.[name] : undefined
    if (!target) throw new Error(`@octokit/openapi: cannot resolve ${ref}`)
    return resolve(target)
  }

  const paths: DescribedPath[] = []
  const apiVersions = new Set<string>(['2022-11-28'])
  for (const [template, item] of Object.entries(doc.paths)) {
    const operations = new Map<string, DescribedOperation>()
    const multiSegment = new Set<string>()
    for (const method of HTTP_METHODS) {
      const op = item[method]
      if (!op) continue
      for (const change of (op['x-github-breaking-changes'] as JsonObject[] | undefined) ?? []) {
        if (typeof change.version === 'string') apiVersions.add(change.version)
      }
      const params = [...((item.parameters as unknown as Json[] | undefined) ?? []), ...((op.parameters as Json[] | undefined) ?? [])]
        .map((p) => resolve(p as JsonObject))
        .map((p): DescribedParam => {
          if (p['x-multi-segment'] === true) multiSegment.add(String(p.name))
          return {
            name: String(p.name),
            in: String(p.in),
            required: p.required === true || p.in === 'path',
            schema: overlayParamSchema(String(p.name), String(p.in), (p.schema as JsonObject | undefined) ?? {}),
          }
        })
      const requestBody = op.requestBody ? resolve(op.requestBody as JsonObject) : undefined
      const responses: Record<string, JsonObject | undefined> = {}
      for (const [status, response] of Object.entries((op.responses as JsonObject | undefined) ?? {})) {
        const content = resolve(response as JsonObject).content as Record<string, JsonObject> | undefined
        responses[status] = content?.['application/json']?.schema as JsonObject | undefined
      }
      const described: DescribedOperation = {
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        template,
        docsUrl: String((op.externalDocs as JsonObject | undefined)?.url ?? 'https://docs.github.com/rest'),
        params,
        body: requestBody
          ? {
              required: requestBody.required === true,
              content: Object.fromEntries(
                Object.entries((requestBody.content as Record<string, JsonObject> | undefined) ?? {}).map(([type, media]) => [
                  type,
                  media.schema as JsonObject | undefined,
                ]),
              ),
            }
          : undefined,
        responses,
      }
      operations.set(described.method, described)
    }
    const paramNames: string[] = []
    const rank: number[] = []
    const pattern = template
      .split('/')
      .map((segment) => {
        if (!segment.includes('{')) {
          rank.push(2)
          return escapeRegExp(segment)
        }
        rank.push(segment.startsWith('{') && segment.endsWith('}') ? 1 : 1.5)
        return segment
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1]
            if (!name) return escapeRegExp(part)
            paramNames.push(name)
            if (multiSegment.has(name)) {
              rank[rank.length - 1] = 0
              return '(.+)'
            }
            return '([^/]+)'
          })
          .join('')
      })
      .join('/')
    paths.push({ template, regex: new RegExp(`^${pattern}$`), paramNames, rank, operations })
  }
  const description: Description = { doc, paths, apiVersions, loadMs: 0 }
  description.loadMs = Math.round(performance.now() - started)
  processCache[CACHE_KEY] = description
  return description
}

/**
 * Rules GitHub documents in prose rather than in the parameter schemas. `per_page` says "(max
 * 100)"; real GitHub silently clamps larger values, this server reports them, because a client
 * asking for 200 per page believes it gets 200. `archive_format` "must be `zip`". `created` takes
 * GitHub's search syntax (`>=2024-01-01`, `a..b`), not only a date-time.
 */
function overlayParamSchema(name: string, location: string, schema: JsonObject): JsonObject {
  if (location === 'query' && name === 'per_page') return { ...schema, minimum: 1, maximum: 100 }
  if (location === 'query' && name === 'page') return { ...schema, minimum: 1 }
  if (location === 'query' && name === 'created') return { type: 'string' }
  if (location === 'path' && name === 'archive_format') return { type: 'string', enum: ['zip'] }
  return schema
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function matchRoute(description: Description, path: string): { described: DescribedPath; params: Record<string, string> } | undefined {
  let best: { described: DescribedPath; match: RegExpExecArray } | undefined
  for (const described of description.paths) {
    const match = described.regex.exec(path)
    if (!match) continue
    if (!best || compareRank(described.rank, best.described.rank) > 0) best = { described, match }
  }
  if (!best) return undefined
  const params: Record<string, string> = {}
  best.described.paramNames.forEach((name, i) => {
    const raw = best.match[i + 1] ?? ''
    try {
      params[name] = decodeURIComponent(raw)
    } catch {
      params[name] = raw
    }
  })
  return { described: best.described, params }
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1)
    if (d !== 0) return d
  }
  return 0
}

// ---------------------------------------------------------------------------------------------
// Validation with ajv (compiled lazily per operation, per module instance)
// ---------------------------------------------------------------------------------------------

interface Validators {
  ajv: Ajv
  /** Component schemas registered with ajv so far (each once, compiled once, shared by all operations). */
  registered: Set<string>
  cache: Map<string, ValidateFunction>
}

let validators: Validators | undefined

/**
 * One ajv per module instance, with the formats the description uses. Component schemas are
 * registered lazily (only those an operation reaches), each compiled once with `inlineRefs: false`
 * so that large shared schemas (repository, simple-user) are not inlined into every user: this
 * keeps the first compile of e.g. pull-request near 0.1 s instead of 0.4 s.
 */
function getValidators(): Validators {
  if (validators) return validators
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false, inlineRefs: false })
  const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv) => Ajv
  addFormats(ajv) // date-time, date, uri, uri-template, email, int32, int64, double, binary, …
  ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/)
  ajv.addFormat('timestamp', true)
  validators = { ajv, registered: new Set(), cache: new Map() }
  return validators
}

/**
 * A copy of a schema from the description in the dialect ajv (draft-07) validates:
 * - `#/components/schemas/X` refs point to X registered under SCHEMA_BASE (registered on demand);
 * - OpenAPI 3.0's `nullable: true` without a `type` (135 places, on allOf/oneOf/anyOf) becomes
 *   `anyOf: [{type: null}, …]`; ajv handles `nullable` next to a `type` itself;
 * - annotations (description, example(s), x-*) are dropped, so schemas compile faster.
 */
function toAjv(description: Description, node: Json): Json {
  if (Array.isArray(node)) return node.map((item) => toAjv(description, item))
  if (node === null || typeof node !== 'object') return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'example' || key === 'examples' || key.startsWith('x-')) continue
    if (key === '$ref' && typeof value === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(value)?.[1]
      if (!name) throw new Error(`@octokit/openapi: unsupported schema $ref ${value}`)
      registerComponent(description, name)
      out.$ref = SCHEMA_BASE + encodeURIComponent(name)
      continue
    }
    out[key] =
      key === 'properties' || key === 'patternProperties' || key === 'definitions' ? mapValues(value, (v) => toAjv(description, v)) : toAjv(description, value)
  }
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable
    return { anyOf: [{ type: 'null' }, out] }
  }
  return out
}

function mapValues(value: Json, fn: (v: Json) => Json): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]))
}

function registerComponent(description: Description, name: string): void {
  const v = getValidators()
  if (v.registered.has(name)) return
  v.registered.add(name)
  const schema = (description.doc.components.schemas as JsonObject | undefined)?.[name]
  if (schema === undefined) throw new Error(`@octokit/openapi: no component schema ${name}`)
  const copy = toAjv(description, schema)
  v.ajv.addSchema(
    typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? { ...copy, $id: SCHEMA_BASE + encodeURIComponent(name) } : (copy as boolean),
    SCHEMA_BASE + encodeURIComponent(name),
  )
}

function compiled(description: Description, key: string, build: () => Json): ValidateFunction {
  const v = getValidators()
  let fn = v.cache.get(key)
  if (!fn) {
    fn = v.ajv.compile(toAjv(description, build()) as JsonObject)
    v.cache.set(key, fn)
  }
  return fn
}

function ajvDetails(where: string, errors: ErrorObject[] | null | undefined): ViolationDetail[] {
  return (errors ?? []).map((e) => {
    const segments = e.instancePath
      .split('/')
      .filter(Boolean)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    if (e.keyword === 'required') segments.push(String((e.params as { missingProperty?: string }).missingProperty))
    if (e.keyword === 'additionalProperties') segments.push(String((e.params as { additionalProperty?: string }).additionalProperty))
    const field = segments.join('.') || `(${where})`
    const allowed = e.keyword === 'enum' ? `: ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}` : ''
    return { in: where, field, message: `${e.message ?? 'is invalid'}${allowed}` }
  })
}

/** A query/path string turned into the type its schema asks for (so `"2"` validates as an integer). */
function coerceParam(value: string | string[], schema: JsonObject): unknown {
  const type = schema.type
  if (type === 'array') return (Array.isArray(value) ? value : value.split(',')).map((v) => coerceParam(v, (schema.items as JsonObject | undefined) ?? {}))
  const text = Array.isArray(value) ? (value[value.length - 1] ?? '') : value
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text)
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true'
  return text
}

interface CheckedRequest {
  params: Record<string, unknown>
  query: Record<string, unknown>
  details: { kind: ViolationKind; detail: ViolationDetail }[]
}

function checkParameters(
  description: Description,
  op: DescribedOperation,
  rawParams: Record<string, string>,
  rawQuery: Record<string, string | string[]>,
): CheckedRequest {
  const details: CheckedRequest['details'] = []
  const result: Record<'path' | 'query', Record<string, unknown>> = { path: {}, query: {} }
  for (const location of ['path', 'query'] as const) {
    const described = op.params.filter((p) => p.in === location)
    const raw = location === 'path' ? rawParams : rawQuery
    const values = result[location]
    for (const p of described) {
      const value = raw[p.name]
      if (value !== undefined) values[p.name] = coerceParam(value, p.schema)
    }
    if (location === 'query') {
      for (const name of Object.keys(rawQuery)) {
        if (!described.some((p) => p.name === name)) {
          details.push({ kind: 'query', detail: { in: 'query', field: name, message: `is not a parameter of ${op.operationId}` } })
        }
      }
    }
    const validate = compiled(description, `${op.operationId}#${location}`, () => ({
      type: 'object',
      properties: Object.fromEntries(described.map((p) => [p.name, p.schema])),
      required: described.filter((p) => p.required).map((p) => p.name),
    }))
    if (!validate(values)) {
      for (const detail of ajvDetails(location, validate.errors)) details.push({ kind: location, detail })
    }
    for (const p of described) {
      const fallback = p.schema.default
      if (values[p.name] === undefined && fallback !== undefined) values[p.name] = fallback
    }
  }
  return { params: result.path, query: result.query, details }
}

function checkBody(
  description: Description,
  op: DescribedOperation,
  contentType: string,
  raw: string,
  parsed: { ok: boolean; value: unknown },
): ViolationDetail[] {
  const empty = raw.trim() === ''
  if (!op.body) {
    if (empty || (parsed.ok && isEmptyObject(parsed.value))) return []
    return [{ in: 'body', field: '(body)', message: `${op.operationId} takes no request body` }]
  }
  if (empty) return op.body.required ? [{ in: 'body', field: '(body)', message: 'a request body is required' }] : []
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? ''
  const described = Object.keys(op.body.content)
  if (!described.includes(mediaType) && !(mediaType === '' && described.includes('application/json'))) {
    return [{ in: 'header', field: 'content-type', message: `"${contentType}" is not one of ${JSON.stringify(described)}` }]
  }
  if (mediaType !== 'application/json' && mediaType !== '') return []
  if (!parsed.ok) return [{ in: 'body', field: '(body)', message: 'Problems parsing JSON' }]
  const schema = op.body.content['application/json']
  if (!schema) return []
  const validate = compiled(description, `${op.operationId}#body`, () => schema)
  return validate(parsed.value) ? [] : ajvDetails('body', validate.errors)
}

function checkResponse(description: Description, op: DescribedOperation, status: number, body: unknown): ViolationDetail[] {
  const key = String(status)
  if (!(key in op.responses)) {
    if (status < 400) return [{ in: 'response', field: 'status', message: `${status} is not a described response of ${op.operationId}` }]
    return []
  }
  const schema = op.responses[key]
  if (!schema || body === undefined) return []
  const validate = compiled(description, `${op.operationId}#response${key}`, () => schema)
  return validate(body) ? [] : ajvDetails('response', validate.errors)
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export interface UserRecord {
  login: string
  id: number
  type: 'User' | 'Bot' | 'Organization'
}

export interface IssueRecord {
  number: number
  title: string
  user: UserRecord
  createdAt: Date
}

export interface CommentRecord {
  id: number
  issueNumber: number
  body: string
  user: UserRecord
  createdAt: Date
  updatedAt: Date
}

export interface PullRequestSeed {
  number: number
  title?: string
  body?: string | null
  state?: 'open' | 'closed'
  draft?: boolean
  headRef?: string
  headSha?: string
  baseRef?: string
  baseSha?: string
  /** The head branch lives in a fork (owner `fork-contributor`); its GITHUB_TOKEN would be read-only. */
  fromFork?: boolean
  /** Author login. Default `octocat`. */
  login?: string
  /** The files it changes, listed by GET /repos/{owner}/{repo}/pulls/{pull_number}/files. Default none. */
  files?: ChangedFileSeed[]
}

export interface ChangedFileSeed {
  filename: string
  /** Default `modified`. */
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  additions: number
  deletions: number
  patch?: string
  previousFilename?: string
}

export interface PullRequestRecord extends Required<Omit<PullRequestSeed, 'login' | 'body'>> {
  id: number
  body: string | null
  user: UserRecord
  createdAt: Date
}

export interface WorkflowRecord {
  id: number
  name: string
  /** `.github/workflows/<file>` */
  path: string
}

export interface WorkflowRunSeed {
  /** Numeric workflow id, or its file name (`perf.yml`): a workflow is created on first use. */
  workflowId: number | string
  branch?: string
  headSha?: string
  event?: string
  /** Default `completed`. */
  status?: 'completed' | 'in_progress' | 'queued' | 'requested' | 'waiting' | 'pending'
  /** Default `success` when completed, else null. */
  conclusion?: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'stale' | null
  createdAt?: Date | string
  /** Pull requests the run belongs to (runs of fork PRs list none, like GitHub). */
  pullRequests?: number[]
  /** Login of the actor. Default `octocat`. */
  actor?: string
}

export interface WorkflowRunRecord {
  id: number
  workflow: WorkflowRecord
  runNumber: number
  branch: string
  headSha: string
  event: string
  status: string
  conclusion: string | null
  createdAt: Date
  updatedAt: Date
  pullRequests: number[]
  actor: UserRecord
  checkSuiteId: number
}

export interface ArtifactRecord {
  id: number
  runId: number
  name: string
  files: Record<string, Uint8Array>
  zip: Uint8Array
  digest: string
  expired: boolean
  createdAt: Date
  expiresAt: Date
}

const KNOWN_USERS: Record<string, UserRecord> = {
  'github-actions[bot]': { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
  'dependabot[bot]': { login: 'dependabot[bot]', id: 49699333, type: 'Bot' },
  octocat: { login: 'octocat', id: 583231, type: 'User' },
}

/** The simulated repository's data. Seed it in tests; read it to assert what the client did. */
export class GitHubState {
  readonly repositoryId = 812345678
  readonly defaultBranch: string
  private readonly users = new Map<string, UserRecord>()
  private readonly issueMap = new Map<number, IssueRecord>()
  private readonly commentList: CommentRecord[] = []
  private readonly pullMap = new Map<number, PullRequestRecord>()
  private readonly workflowList: WorkflowRecord[] = []
  private readonly runList: WorkflowRunRecord[] = []
  private readonly artifactList: ArtifactRecord[] = []
  private nextCommentId = 2_500_000_001
  private nextRunId = 16_000_000_001
  private nextArtifactId = 3_100_000_001
  private nextWorkflowId = 71_000_001
  private nextPullId = 1_900_000_001
  private nextCheckSuiteId = 38_000_000_001

  constructor(
    readonly owner: string,
    readonly repo: string,
    defaultBranch: string,
  ) {
    this.defaultBranch = defaultBranch
  }

  user(login: string): UserRecord {
    const known = KNOWN_USERS[login] ?? this.users.get(login)
    if (known) return known
    const type = login.endsWith('[bot]') ? 'Bot' : login === this.owner ? 'Organization' : 'User'
    const created: UserRecord = { login, id: 7_000_001 + this.users.size, type }
    this.users.set(login, created)
    return created
  }

  /** Creates issue `number` (a no-op when it exists). Issues and pull requests share numbers. */
  addIssue(number: number, opts: { title?: string; login?: string } = {}): IssueRecord {
    const existing = this.issueMap.get(number)
    if (existing) return existing
    const issue: IssueRecord = {
      number,
      title: opts.title ?? `Issue ${number}`,
      user: this.user(opts.login ?? 'octocat'),
      createdAt: new Date(Date.now() - 86_400_000),
    }
    this.issueMap.set(number, issue)
    return issue
  }

  issue(number: number): IssueRecord | undefined {
    return this.issueMap.get(number)
  }

  issueCount(): number {
    return this.issueMap.size
  }

  /** Seeds comments on issue/PR `issueNumber` (creating the issue), oldest first, one second apart. */
  addComments(issueNumber: number, bodies: readonly string[], opts: { login?: string } = {}): CommentRecord[] {
    this.addIssue(issueNumber)
    const user = this.user(opts.login ?? 'octocat')
    const start = Date.now() - bodies.length * 1000
    return bodies.map((body, i) => this.insertComment(issueNumber, body, user, new Date(start + i * 1000)))
  }

  insertComment(issueNumber: number, body: string, user: UserRecord, at = new Date()): CommentRecord {
    const comment: CommentRecord = { id: this.nextCommentId++, issueNumber, body, user, createdAt: at, updatedAt: at }
    this.commentList.push(comment)
    return comment
  }

  /** Comments on one issue, ascending id (GitHub's order). */
  comments(issueNumber: number): CommentRecord[] {
    return this.commentList.filter((c) => c.issueNumber === issueNumber)
  }

  comment(id: number): CommentRecord | undefined {
    return this.commentList.find((c) => c.id === id)
  }

  removeComment(id: number): boolean {
    const index = this.commentList.findIndex((c) => c.id === id)
    if (index >= 0) this.commentList.splice(index, 1)
    return index >= 0
  }

  addPullRequest(seed: PullRequestSeed): PullRequestRecord {
    const user = this.user(seed.login ?? 'octocat')
    this.addIssue(seed.number, { title: seed.title, login: user.login })
    const pr: PullRequestRecord = {
      number: seed.number,
      id: this.nextPullId++,
      title: seed.title ?? `Pull request ${seed.number}`,
      body: seed.body === undefined ? null : seed.body,
      state: seed.state ?? 'open',
      draft: seed.draft ?? false,
      headRef: seed.headRef ?? `feature-${seed.number}`,
      headSha: seed.headSha ?? fakeSha(`head-${seed.number}`),
      baseRef: seed.baseRef ?? this.defaultBranch,
      baseSha: seed.baseSha ?? fakeSha(`base-${seed.number}`),
      fromFork: seed.fromFork ?? false,
      files: seed.files ?? [],
      user,
      createdAt: new Date(Date.now() - 3_600_000),
    }
    this.pullMap.set(pr.number, pr)
    return pr
  }

  pullRequest(number: number): PullRequestRecord | undefined {
    return this.pullMap.get(number)
  }

  /** The workflow with this id or file name (`perf.yml`), created on first use when `create`. */
  workflow(idOrFile: number | string, create = false): WorkflowRecord | undefined {
    const byId = typeof idOrFile === 'number' || /^\d+$/.test(idOrFile)
    const found = this.workflowList.find((w) => (byId ? w.id === Number(idOrFile) : w.path === `.github/workflows/${idOrFile}`))
    if (found || !create) return found
    const id = byId ? Number(idOrFile) : this.nextWorkflowId++
    const file = byId ? `workflow-${id}.yml` : String(idOrFile)
    const workflow: WorkflowRecord = { id, name: file.replace(/\.ya?ml$/, ''), path: `.github/workflows/${file}` }
    this.workflowList.push(workflow)
    return workflow
  }

  addWorkflowRun(seed: WorkflowRunSeed): WorkflowRunRecord {
    const workflow = this.workflow(seed.workflowId, true) as WorkflowRecord
    const createdAt = seed.createdAt === undefined ? new Date() : new Date(seed.createdAt)
    if (Number.isNaN(createdAt.getTime())) throw new Error(`addWorkflowRun: createdAt ${String(seed.createdAt)} is not a date`)
    const status = seed.status ?? 'completed'
    const run: WorkflowRunRecord = {
      id: this.nextRunId++,
      workflow,
      runNumber: this.runList.filter((r) => r.workflow.id === workflow.id).length + 1,
      branch: seed.branch ?? this.defaultBranch,
      headSha: seed.headSha ?? fakeSha(`run-${this.nextRunId}`),
      event: seed.event ?? 'push',
      status,
      conclusion: seed.conclusion !== undefined ? seed.conclusion : status === 'completed' ? 'success' : null,
      createdAt,
      updatedAt: new Date(createdAt.getTime() + 60_000),
      pullRequests: seed.pullRequests ?? [],
      actor: this.user(seed.actor ?? 'octocat'),
      checkSuiteId: this.nextCheckSuiteId++,
    }
    this.runList.push(run)
    return run
  }

  workflowRuns(): WorkflowRunRecord[] {
    return [...this.runList]
  }

  workflowRun(id: number): WorkflowRunRecord | undefined {
    return this.runList.find((r) => r.id === id)
  }

  /** Uploads an artifact to run `runId`: `files` are zipped as the artifact's archive. */
  addArtifact(
    runId: number,
    name: string,
    files: Record<string, string | Uint8Array>,
    opts: { expired?: boolean; createdAt?: Date | string } = {},
  ): ArtifactRecord {
    const run = this.workflowRun(runId)
    if (!run) throw new Error(`addArtifact: no workflow run ${runId}; seed it with addWorkflowRun first`)
    const bytes: Record<string, Uint8Array> = {}
    for (const [file, content] of Object.entries(files)) bytes[file] = typeof content === 'string' ? strToU8(content) : new Uint8Array(content)
    const zip = zipSync(bytes, { level: 6, mtime: new Date('2024-01-01T00:00:00Z') })
    const createdAt = opts.createdAt === undefined ? new Date(Math.max(Date.now() - 1000, run.createdAt.getTime())) : new Date(opts.createdAt)
    const expired = opts.expired ?? false
    const artifact: ArtifactRecord = {
      id: this.nextArtifactId++,
      runId,
      name,
      files: bytes,
      zip,
      digest: `sha256:${createHash('sha256').update(zip).digest('hex')}`,
      expired,
      createdAt,
      expiresAt: expired ? new Date(Date.now() - 86_400_000) : new Date(createdAt.getTime() + 90 * 86_400_000),
    }
    this.artifactList.push(artifact)
    return artifact
  }

  artifacts(): ArtifactRecord[] {
    return [...this.artifactList]
  }

  artifact(id: number): ArtifactRecord | undefined {
    return this.artifactList.find((a) => a.id === id)
  }
}

function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex')
}

// ---------------------------------------------------------------------------------------------
// Response shapes (GitHub's, checked against the description when validateResponses is on)
// ---------------------------------------------------------------------------------------------

interface Urls {
  api: string
  web: string
  host: string
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(`0:${id}`).toString('base64url')}`
}

function userJson(u: Urls, user: UserRecord): JsonObject {
  const login = encodeURIComponent(user.login)
  const api = `${u.api}/users/${login}`
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'BOT' : user.type === 'Organization' ? 'O' : 'U', user.id),
    avatar_url: `${u.web}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: user.type === 'Bot' ? `${u.web}/apps/${login.replace(/%5Bbot%5D$/, '')}` : `${u.web}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  }
}

function repositoryJson(
  u: Urls,
  s: GitHubState,
  owner: UserRecord,
  name: string,
  extra: { fork?: boolean; id?: number; permission?: 'read' | 'write' } = {},
): JsonObject {
  const full = `${owner.login}/${name}`
  const r = `${u.api}/repos/${full}`
  const created = '2024-01-02T03:04:05Z'
  const openIssues = extra.fork ? 0 : s.issueCount()
  const repo: JsonObject = {
    id: extra.id ?? s.repositoryId,
    node_id: nodeId('R', extra.id ?? s.repositoryId),
    name,
    full_name: full,
    private: false,
    owner: userJson(u, owner),
    html_url: `${u.web}/${full}`,
    description: 'Perf-Xi test repository',
    fork: extra.fork ?? false,
    url: r,
    forks_url: `${r}/forks`,
    keys_url: `${r}/keys{/key_id}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    teams_url: `${r}/teams`,
    hooks_url: `${r}/hooks`,
    issue_events_url: `${r}/issues/events{/number}`,
    events_url: `${r}/events`,
    assignees_url: `${r}/assignees{/user}`,
    branches_url: `${r}/branches{/branch}`,
    tags_url: `${r}/tags`,
    blobs_url: `${r}/git/blobs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    trees_url: `${r}/git/trees{/sha}`,
    statuses_url: `${r}/statuses/{sha}`,
    languages_url: `${r}/languages`,
    stargazers_url: `${r}/stargazers`,
    contributors_url: `${r}/contributors`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    commits_url: `${r}/commits{/sha}`,
    git_commits_url: `${r}/git/commits{/sha}`,
    comments_url: `${r}/comments{/number}`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    contents_url: `${r}/contents/{+path}`,
    compare_url: `${r}/compare/{base}...{head}`,
    merges_url: `${r}/merges`,
    archive_url: `${r}/{archive_format}{/ref}`,
    downloads_url: `${r}/downloads`,
    issues_url: `${r}/issues{/number}`,
    pulls_url: `${r}/pulls{/number}`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    labels_url: `${r}/labels{/name}`,
    releases_url: `${r}/releases{/id}`,
    deployments_url: `${r}/deployments`,
    created_at: created,
    updated_at: created,
    pushed_at: created,
    git_url: `git://${u.host}/${full}.git`,
    ssh_url: `git@${u.host}:${full}.git`,
    clone_url: `${u.web}/${full}.git`,
    svn_url: `${u.web}/${full}`,
    homepage: null,
    size: 108,
    stargazers_count: 0,
    watchers_count: 0,
    language: 'TypeScript',
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: 'public',
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: s.defaultBranch,
    network_count: 0,
    subscribers_count: 0,
  }
  if (extra.permission) {
    const write = extra.permission === 'write'
    repo.permissions = { admin: false, maintain: false, push: write, triage: write, pull: true }
  }
  return repo
}

function commentJson(u: Urls, s: GitHubState, c: CommentRecord, mediaType: string): JsonObject {
  const isPull = s.pullRequest(c.issueNumber) !== undefined
  const json: JsonObject = {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url: `${u.api}/repos/${s.owner}/${s.repo}/issues/comments/${c.id}`,
    html_url: `${u.web}/${s.owner}/${s.repo}/${isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${u.api}/repos/${s.owner}/${s.repo}/issues/${c.issueNumber}`,
    user: userJson(u, c.user),
    created_at: isoSeconds(c.createdAt),
    updated_at: isoSeconds(c.updatedAt),
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
    reactions: {
      url: `${u.api}/repos/${s.owner}/${s.repo}/issues/comments/${c.id}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
  }
  // Media types: raw (default) → body; text → body_text; html → body_html; full → all three.
  const kind = /application\/vnd\.github(?:\.v3)?\.(raw|text|html|full)\+json/.exec(mediaType)?.[1] ?? 'raw'
  if (kind === 'raw' || kind === 'full') json.body = c.body
  if (kind === 'text' || kind === 'full') json.body_text = c.body
  if (kind === 'html' || kind === 'full') json.body_html = `<p>${escapeHtml(c.body)}</p>`
  return json
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch)
}

function forkOwner(s: GitHubState): UserRecord {
  return s.user('fork-contributor')
}

function pullRequestJson(u: Urls, s: GitHubState, pr: PullRequestRecord): JsonObject {
  const owner = s.user(s.owner)
  const base = `${u.api}/repos/${s.owner}/${s.repo}`
  const self = `${base}/pulls/${pr.number}`
  const web = `${u.web}/${s.owner}/${s.repo}/pull/${pr.number}`
  const headOwner = pr.fromFork ? forkOwner(s) : owner
  const headRepo = pr.fromFork ? repositoryJson(u, s, headOwner, s.repo, { fork: true, id: s.repositoryId + 1 }) : repositoryJson(u, s, owner, s.repo)
  const link = (href: string): JsonObject => ({ href })
  return {
    url: self,
    id: pr.id,
    node_id: nodeId('PR', pr.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: `${base}/issues/${pr.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${base}/pulls/comments{/number}`,
    comments_url: `${base}/issues/${pr.number}/comments`,
    statuses_url: `${base}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(u, pr.user),
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: isoSeconds(pr.createdAt),
    updated_at: isoSeconds(pr.createdAt),
    closed_at: pr.state === 'closed' ? isoSeconds(pr.createdAt) : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${headOwner.login}:${pr.headRef}`, ref: pr.headRef, sha: pr.headSha, user: userJson(u, headOwner), repo: headRepo },
    base: { label: `${s.owner}:${pr.baseRef}`, ref: pr.baseRef, sha: pr.baseSha, user: userJson(u, owner), repo: repositoryJson(u, s, owner, s.repo) },
    _links: {
      self: link(self),
      html: link(web),
      issue: link(`${base}/issues/${pr.number}`),
      comments: link(`${base}/issues/${pr.number}/comments`),
      review_comments: link(`${self}/comments`),
      review_comment: link(`${base}/pulls/comments{/number}`),
      commits: link(`${self}/commits`),
      statuses: link(`${base}/statuses/${pr.headSha}`),
    },
    author_association: pr.fromFork ? 'CONTRIBUTOR' : 'MEMBER',
    auto_merge: null,
    draft: pr.draft,
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: s.comments(pr.number).length,
    review_comments: 0,
    maintainer_can_modify: pr.fromFork,
    commits: 1,
    additions: 10,
    deletions: 2,
    changed_files: 1,
  }
}

function workflowRunJson(u: Urls, s: GitHubState, run: WorkflowRunRecord, excludePullRequests: boolean): JsonObject {
  const owner = s.user(s.owner)
  const r = `${u.api}/repos/${s.owner}/${s.repo}`
  const url = `${r}/actions/runs/${run.id}`
  const pulls = run.pullRequests.map((n) => s.pullRequest(n)).filter((pr): pr is PullRequestRecord => pr !== undefined)
  const fromFork = pulls.some((pr) => pr.fromFork)
  const repo = repositoryJson(u, s, owner, s.repo)
  const headRepo = fromFork ? repositoryJson(u, s, forkOwner(s), s.repo, { fork: true, id: s.repositoryId + 1 }) : repo
  const repoRef = (id: number): JsonObject => ({ id, url: r, name: s.repo })
  return {
    id: run.id,
    name: run.workflow.name,
    node_id: nodeId('WFR', run.id),
    head_branch: run.branch,
    head_sha: run.headSha,
    path: run.workflow.path,
    display_title: `Run ${run.runNumber} of ${run.workflow.name}`,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflow.id,
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: nodeId('CS', run.checkSuiteId),
    url,
    html_url: `${u.web}/${s.owner}/${s.repo}/actions/runs/${run.id}`,
    // GitHub lists no pull requests for runs whose head is in a fork.
    pull_requests: excludePullRequests
      ? []
      : pulls
          .filter((pr) => !pr.fromFork)
          .map((pr) => ({
            id: pr.id,
            number: pr.number,
            url: `${r}/pulls/${pr.number}`,
            head: { ref: pr.headRef, sha: pr.headSha, repo: repoRef(s.repositoryId) },
            base: { ref: pr.baseRef, sha: pr.baseSha, repo: repoRef(s.repositoryId) },
          })),
    created_at: isoSeconds(run.createdAt),
    updated_at: isoSeconds(run.updatedAt),
    actor: userJson(u, run.actor),
    triggering_actor: userJson(u, run.actor),
    run_attempt: 1,
    referenced_workflows: [],
    run_started_at: isoSeconds(run.createdAt),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${r}/check-suites/${run.checkSuiteId}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${r}/actions/workflows/${run.workflow.id}`,
    head_commit: {
      id: run.headSha,
      tree_id: fakeSha(`tree-${run.headSha}`),
      message: `Commit ${run.headSha.slice(0, 7)}`,
      timestamp: isoSeconds(run.createdAt),
      author: { name: run.actor.login, email: `${run.actor.id}+${run.actor.login}@users.noreply.github.com` },
      committer: { name: 'GitHub', email: 'noreply@github.com' },
    },
    repository: repo,
    head_repository: headRepo,
    head_repository_id: Number(headRepo.id),
  }
}

function artifactJson(u: Urls, s: GitHubState, a: ArtifactRecord): JsonObject {
  const r = `${u.api}/repos/${s.owner}/${s.repo}`
  const run = s.workflowRun(a.runId)
  return {
    id: a.id,
    node_id: nodeId('MDg6QXJ0aWZhY3Q', a.id),
    name: a.name,
    size_in_bytes: a.zip.byteLength,
    url: `${r}/actions/artifacts/${a.id}`,
    archive_download_url: `${r}/actions/artifacts/${a.id}/zip`,
    expired: a.expired,
    created_at: isoSeconds(a.createdAt),
    updated_at: isoSeconds(a.createdAt),
    expires_at: isoSeconds(a.expiresAt),
    digest: a.digest,
    workflow_run: run
      ? { id: run.id, repository_id: s.repositoryId, head_repository_id: s.repositoryId, head_branch: run.branch, head_sha: run.headSha }
      : null,
  }
}

// ---------------------------------------------------------------------------------------------
// Built-in operations
// ---------------------------------------------------------------------------------------------

interface BuiltinContext extends HandlerRequest {
  urls: Urls
  /** Records a `rule` violation: GitHub refuses the request for a documented rule outside the schema. */
  rule(message: string): void
  /** Signed, short-lived URL on this server that serves an artifact's zip. */
  blobUrl(artifact: ArtifactRecord): string
}

type BuiltinHandler = (ctx: BuiltinContext) => HandlerResult

const COMMENT_BODY_MAX = 65_536

function notFound(docsUrl = 'https://docs.github.com/rest'): HandlerResult {
  return { status: 404, body: { message: 'Not Found', documentation_url: docsUrl, status: '404' } }
}

function validationFailed(docsUrl: string, resource: string, field: string, code: string, message?: string): HandlerResult {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource, code, field, ...(message ? { message } : {}) }],
      documentation_url: docsUrl,
      status: '422',
    },
  }
}

/** GitHub's rules for a comment body beyond the schema's `type: string`. */
function commentBodyProblem(body: string): { code: string; message: string } | undefined {
  if (body.trim() === '') return { code: 'custom', message: 'body cannot be blank' }
  if (body.length > COMMENT_BODY_MAX) return { code: 'custom', message: `body is too long (maximum is ${COMMENT_BODY_MAX} characters)` }
  return undefined
}

/** `created` filter in GitHub's search syntax: `>=D`, `>D`, `<=D`, `<D`, `A..B`, or a date. */
function createdMatcher(expr: string): (d: Date) => boolean {
  const range = /^(.+)\.\.(.+)$/.exec(expr)
  if (range) {
    const from = range[1] === '*' ? -Infinity : Date.parse(range[1] ?? '')
    const to = range[2] === '*' ? Infinity : endOf(range[2] ?? '')
    return (d) => d.getTime() >= from && d.getTime() <= to
  }
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(expr)
  if (cmp) {
    const op = cmp[1]
    const value = cmp[2] ?? ''
    if (op === '>=') return (d) => d.getTime() >= Date.parse(value)
    if (op === '>') return (d) => d.getTime() > endOf(value)
    if (op === '<=') return (d) => d.getTime() <= endOf(value)
    return (d) => d.getTime() < Date.parse(value)
  }
  return (d) => d.getTime() >= Date.parse(expr) && d.getTime() <= endOf(expr)
}

function endOf(value: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(value) + 86_400_000 - 1 : Date.parse(value)
}

const RUN_STATUSES = new Set(['completed', 'in_progress', 'queued', 'requested', 'waiting', 'pending'])

function listRuns(ctx: BuiltinContext, runs: WorkflowRunRecord[]): HandlerResult {
  const q = ctx.query
  let selected = runs
  const searchBacked = ['actor', 'branch', 'check_suite_id', 'created', 'event', 'head_sha', 'status'].some((k) => q[k] !== undefined)
  if (q.actor !== undefined) selected = selected.filter((r) => r.actor.login === q.actor)
  if (q.branch !== undefined) selected = selected.filter((r) => r.branch === q.branch)
  if (q.event !== undefined) selected = selected.filter((r) => r.event === q.event)
  if (q.head_sha !== undefined) selected = selected.filter((r) => r.headSha === q.head_sha)
  if (q.check_suite_id !== undefined) selected = selected.filter((r) => r.checkSuiteId === q.check_suite_id)
  if (typeof q.status === 'string') {
    const status = q.status
    selected = selected.filter((r) => (RUN_STATUSES.has(status) ? r.status === status : r.conclusion === status))
  }
  if (typeof q.created === 'string') {
    const matches = createdMatcher(q.created)
    selected = selected.filter((r) => matches(r.createdAt))
  }
  selected = [...selected].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
  // "This endpoint will return up to 1,000 results for each search when using the following parameters: actor, branch, …"
  if (searchBacked) selected = selected.slice(0, 1000)
  const exclude = q.exclude_pull_requests === true
  return {
    status: 200,
    body: { total_count: selected.length, workflow_runs: ctx.paginate(selected).map((r) => workflowRunJson(ctx.urls, ctx.state, r, exclude)) },
  }
}

function listArtifacts(ctx: BuiltinContext, artifacts: ArtifactRecord[], direction: 'asc' | 'desc'): HandlerResult {
  let selected = artifacts
  if (typeof ctx.query.name === 'string') selected = selected.filter((a) => a.name === ctx.query.name)
  selected = [...selected].sort((a, b) => (direction === 'asc' ? a.id - b.id : b.id - a.id))
  return { status: 200, body: { total_count: selected.length, artifacts: ctx.paginate(selected).map((a) => artifactJson(ctx.urls, ctx.state, a)) } }
}

const BUILTINS: Record<string, BuiltinHandler> = {
  'repos/get': (ctx) => ({
    status: 200,
    body: repositoryJson(ctx.urls, ctx.state, ctx.state.user(ctx.state.owner), ctx.state.repo, { permission: ctx.permission }),
  }),

  // A personal access token learns its account here; an installation token (GITHUB_TOKEN, a bot) is refused, as GitHub does.
  'users/get-authenticated': (ctx) => {
    if (ctx.user.type === 'Bot') {
      return {
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
          status: '403',
        },
      }
    }
    const created = isoSeconds(new Date(Date.UTC(2015, 0, 1)))
    return {
      status: 200,
      body: {
        ...userJson(ctx.urls, ctx.user),
        name: null,
        company: null,
        blog: '',
        location: null,
        email: null,
        hireable: null,
        bio: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: created,
        updated_at: created,
      },
    }
  },

  'pulls/get': (ctx) => {
    const pr = ctx.state.pullRequest(Number(ctx.params.pull_number))
    return pr ? { status: 200, body: pullRequestJson(ctx.urls, ctx.state, pr) } : notFound('https://docs.github.com/rest/pulls/pulls#get-a-pull-request')
  },

  'pulls/list-files': (ctx) => {
    const pr = ctx.state.pullRequest(Number(ctx.params.pull_number))
    if (!pr) return notFound('https://docs.github.com/rest/pulls/pulls#list-pull-requests-files')
    const repoUrl = `${ctx.urls.web}/${ctx.state.owner}/${ctx.state.repo}`
    return {
      status: 200,
      body: ctx.paginate(pr.files).map((f) => {
        const sha = fakeSha(`${pr.headSha}:${f.filename}`)
        const file = encodeURIComponent(f.filename).replace(/%2F/g, '/')
        return {
          sha,
          filename: f.filename,
          status: f.status ?? 'modified',
          additions: f.additions,
          deletions: f.deletions,
          changes: f.additions + f.deletions,
          blob_url: `${repoUrl}/blob/${pr.headSha}/${file}`,
          raw_url: `${repoUrl}/raw/${pr.headSha}/${file}`,
          contents_url: `${ctx.urls.api}/repos/${ctx.state.owner}/${ctx.state.repo}/contents/${file}?ref=${pr.headSha}`,
          ...(f.patch !== undefined ? { patch: f.patch } : {}),
          ...(f.previousFilename !== undefined ? { previous_filename: f.previousFilename } : {}),
        }
      }),
    }
  },

  'issues/list-comments': (ctx) => {
    if (!ctx.state.issue(Number(ctx.params.issue_number))) return notFound('https://docs.github.com/rest/issues/comments#list-issue-comments')
    let comments = ctx.state.comments(Number(ctx.params.issue_number))
    if (typeof ctx.query.since === 'string') {
      const since = Date.parse(ctx.query.since)
      comments = comments.filter((c) => c.updatedAt.getTime() >= since)
    }
    return { status: 200, body: ctx.paginate(comments).map((c) => commentJson(ctx.urls, ctx.state, c, ctx.headers.accept ?? '')) }
  },

  'issues/get-comment': (ctx) => {
    const comment = ctx.state.comment(Number(ctx.params.comment_id))
    return comment ? { status: 200, body: commentJson(ctx.urls, ctx.state, comment, ctx.headers.accept ?? '') } : notFound()
  },

  'issues/create-comment': (ctx) => {
    const docs = 'https://docs.github.com/rest/issues/comments#create-an-issue-comment'
    const issueNumber = Number(ctx.params.issue_number)
    if (!ctx.state.issue(issueNumber)) return notFound(docs)
    const body = String((ctx.body as { body: string }).body)
    const problem = commentBodyProblem(body)
    if (problem) {
      ctx.rule(`comment ${problem.message}`)
      return validationFailed(docs, 'IssueComment', 'body', problem.code, problem.message)
    }
    const comment = ctx.state.insertComment(issueNumber, body, ctx.user)
    const json = commentJson(ctx.urls, ctx.state, comment, ctx.headers.accept ?? '')
    return { status: 201, body: json, headers: { location: String(json.url) } }
  },

  'issues/update-comment': (ctx) => {
    const docs = 'https://docs.github.com/rest/issues/comments#update-an-issue-comment'
    const comment = ctx.state.comment(Number(ctx.params.comment_id))
    if (!comment) return notFound(docs)
    const body = String((ctx.body as { body: string }).body)
    const problem = commentBodyProblem(body)
    if (problem) {
      ctx.rule(`comment ${problem.message}`)
      return validationFailed(docs, 'IssueComment', 'body', problem.code, problem.message)
    }
    comment.body = body
    comment.updatedAt = new Date()
    return { status: 200, body: commentJson(ctx.urls, ctx.state, comment, ctx.headers.accept ?? '') }
  },

  'issues/delete-comment': (ctx) => {
    return ctx.state.removeComment(Number(ctx.params.comment_id)) ? { status: 204 } : notFound()
  },

  'actions/list-workflow-runs': (ctx) => {
    const workflow = ctx.state.workflow(ctx.params.workflow_id as number | string)
    if (!workflow) return notFound('https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow')
    return listRuns(
      ctx,
      ctx.state.workflowRuns().filter((r) => r.workflow.id === workflow.id),
    )
  },

  'actions/list-workflow-runs-for-repo': (ctx) => listRuns(ctx, ctx.state.workflowRuns()),

  'actions/get-workflow-run': (ctx) => {
    const run = ctx.state.workflowRun(Number(ctx.params.run_id))
    return run ? { status: 200, body: workflowRunJson(ctx.urls, ctx.state, run, ctx.query.exclude_pull_requests === true) } : notFound()
  },

  'actions/list-workflow-run-artifacts': (ctx) => {
    const runId = Number(ctx.params.run_id)
    if (!ctx.state.workflowRun(runId)) return notFound('https://docs.github.com/rest/actions/artifacts#list-workflow-run-artifacts')
    return listArtifacts(
      ctx,
      ctx.state.artifacts().filter((a) => a.runId === runId),
      ctx.query.direction === 'asc' ? 'asc' : 'desc',
    )
  },

  'actions/list-artifacts-for-repo': (ctx) => listArtifacts(ctx, ctx.state.artifacts(), 'desc'),

  'actions/get-artifact': (ctx) => {
    const artifact = ctx.state.artifact(Number(ctx.params.artifact_id))
    return artifact ? { status: 200, body: artifactJson(ctx.urls, ctx.state, artifact) } : notFound()
  },

  'actions/download-artifact': (ctx) => {
    const artifact = ctx.state.artifact(Number(ctx.params.artifact_id))
    if (!artifact) return notFound('https://docs.github.com/rest/actions/artifacts#download-an-artifact')
    if (artifact.expired) {
      return {
        status: 410,
        body: { message: 'Artifact has expired', documentation_url: 'https://docs.github.com/rest/actions/artifacts#download-an-artifact', status: '410' },
      }
    }
    return { status: 302, headers: { location: ctx.blobUrl(artifact) } }
  },
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

interface ActiveFault {
  spec: FaultSpec
  hits: number
  remaining: number
}

interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Raw bytes (blob downloads). */
  bytes?: Uint8Array
}

const BLOB_PREFIX = '/_blob/artifacts/'

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      resolve()
    }, ms)
    timers.add(timer)
  })
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function requestId(): string {
  const hex = randomBytes(10).toString('hex').toUpperCase()
  return `${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 14)}:${hex.slice(14, 20)}:${Math.floor(Date.now() / 1000)
    .toString(16)
    .toUpperCase()}`
}

export async function startGitHubApiServer(opts: GitHubApiServerOptions = {}): Promise<GitHubApiServer> {
  const description = loadDescription()
  const owner = opts.owner ?? 'octo-org'
  const repo = opts.repo ?? 'perf-xi-demo'
  const prefix = (opts.pathPrefix ?? '').replace(/\/+$/, '')
  const validateResponses = opts.validateResponses ?? true
  const limit = opts.rateLimit?.limit ?? 5000
  const windowSeconds = opts.rateLimit?.windowSeconds ?? 3600
  const state = new GitHubState(owner, repo, opts.defaultBranch ?? 'main')
  const requests: RecordedRequest[] = []
  const violations: Violation[] = []
  const faults: ActiveFault[] = []
  const custom = new Map<string, Handler>()
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const blobSecret = randomBytes(32)
  const quotas = new Map<string, { used: number; resetAt: number }>()
  let urls: Urls = { api: '', web: '', host: '' }

  const violate = (v: Violation): void => {
    violations.push(v)
  }

  /** Counts a request against the token's primary rate limit; `exceeded` once the window's quota is spent. */
  const rateLimitFor = (token: string): { headers: Record<string, string>; exceeded: boolean; resetAt: number } => {
    const now = Date.now()
    let quota = quotas.get(token)
    if (!quota || quota.resetAt * 1000 <= now) {
      quota = { used: 0, resetAt: Math.ceil(now / 1000) + windowSeconds }
      quotas.set(token, quota)
    }
    quota.used++
    return {
      exceeded: quota.used > limit,
      resetAt: quota.resetAt,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - quota.used)),
        'x-ratelimit-reset': String(quota.resetAt),
        'x-ratelimit-used': String(Math.min(limit, quota.used)),
        'x-ratelimit-resource': 'core',
      },
    }
  }

  const blobUrl = (artifact: ArtifactRecord): string => {
    const expires = Math.floor(Date.now() / 1000) + 60 // "This URL expires after 1 minute."
    const sig = createHmac('sha256', blobSecret).update(`${artifact.id}:${expires}`).digest('base64url')
    return `${urls.web}${BLOB_PREFIX}${artifact.id}.zip?se=${expires}&sig=${sig}`
  }

  const serveBlob = (path: string, query: URLSearchParams): Reply => {
    const id = Number(/^(\d+)\.zip$/.exec(path.slice(BLOB_PREFIX.length))?.[1])
    const expires = Number(query.get('se'))
    const expected = createHmac('sha256', blobSecret).update(`${id}:${expires}`).digest()
    const given = Buffer.from(query.get('sig') ?? '', 'base64url')
    const artifact = state.artifact(id)
    if (!artifact || given.length !== expected.length || !timingSafeEqual(given, expected) || expires * 1000 < Date.now()) {
      const xml =
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message></Error>'
      return { status: 403, bytes: Buffer.from(xml), headers: { 'content-type': 'application/xml' } }
    }
    return {
      status: 200,
      bytes: artifact.zip,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename=${artifact.name}.zip; filename*=UTF-8''${encodeURIComponent(artifact.name)}.zip`,
      },
    }
  }

  const faultReply = (f: FaultSpec): Reply => {
    const status = f.status as FaultStatus
    const retryAfter = f.retryAfterSeconds ?? 1
    const rateLimit = f.rateLimit ?? (status === 429 ? 'secondary' : undefined)
    const headers: Record<string, string> = {}
    let body: unknown
    if ((status === 403 || status === 429) && rateLimit === 'primary') {
      Object.assign(headers, {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': String(limit),
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + retryAfter),
      })
      body = {
        message: 'API rate limit exceeded for installation ID 4242.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        status: String(status),
      }
    } else if ((status === 403 || status === 429) && rateLimit === 'secondary') {
      headers['retry-after'] = String(retryAfter)
      body = {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(status),
      }
    } else {
      const messages: Record<number, string> = {
        403: 'Resource not accessible by integration',
        404: 'Not Found',
        410: 'Gone',
        422: 'Validation Failed',
        500: 'Server Error',
        502: 'Server Error',
        503: 'Service Unavailable',
      }
      body = { message: messages[status] ?? 'Error', documentation_url: 'https://docs.github.com/rest', status: String(status) }
    }
    return { status, body: f.body !== undefined ? f.body : body, headers: { ...headers, ...f.headers } }
  }

  const takeFault = (method: string, path: string, template: string | undefined): ActiveFault | undefined => {
    const fault = faults.find((f) => {
      if (f.remaining <= 0) return false
      if (f.spec.method && f.spec.method.toUpperCase() !== method) return false
      const p = f.spec.path
      if (p === undefined) return true
      if (p instanceof RegExp) return p.test(path)
      return p.includes('{') ? p === template : p === path
    })
    if (fault) {
      fault.hits++
      fault.remaining--
    }
    return fault
  }

  const respond = (res: ServerResponse, record: RecordedRequest, reply: Reply, common: Record<string, string>): void => {
    record.status = reply.status
    const headers: Record<string, string> = { ...common, ...reply.headers }
    let payload: Uint8Array | string = ''
    if (reply.bytes) payload = reply.bytes
    else if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body)
      headers['content-type'] ??= 'application/json; charset=utf-8'
    }
    headers['content-length'] = String(Buffer.byteLength(payload))
    res.writeHead(reply.status, headers)
    res.end(payload)
  }

  /** Everything a request goes through, in GitHub's order: route, auth, rate limit, parameters, body. */
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', urls.web)
    const raw = (await readBody(req)).toString('utf8')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (name !== 'authorization' && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
    }
    const contentType = headers['content-type'] ?? ''
    let parsed: { ok: boolean; value: unknown } = { ok: true, value: undefined }
    if (raw.trim() !== '' && (contentType === '' || contentType.includes('json'))) {
      try {
        parsed = { ok: true, value: JSON.parse(raw) }
      } catch {
        parsed = { ok: false, value: raw }
      }
    }
    const query: Record<string, string | string[]> = {}
    for (const [key, value] of url.searchParams) {
      const prev = query[key]
      query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
    }
    const inApi = prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)
    const rawPath = url.pathname
    const path = inApi ? rawPath.slice(prefix.length) || '/' : rawPath
    const record: RecordedRequest = { method, path, query, body: raw === '' ? undefined : (parsed.value ?? raw), headers, status: 0 }
    requests.push(record)
    const common: Record<string, string> = { 'x-github-request-id': requestId(), server: 'github.com' }

    // Artifact blob storage: outside the API, authorised by the signed URL only.
    if (rawPath.startsWith(BLOB_PREFIX) && (method === 'GET' || method === 'HEAD')) {
      record.template = `${BLOB_PREFIX}{file}`
      const fault = takeFault(method, rawPath, record.template)
      if (fault?.spec.delayMs) await sleep(fault.spec.delayMs, timers)
      return respond(res, record, fault?.spec.status ? faultReply(fault.spec) : serveBlob(rawPath, url.searchParams), common)
    }

    const docs = 'https://docs.github.com/rest'
    const match = inApi ? matchRoute(description, path) : undefined
    const op = match?.described.operations.get(method)
    if (op) {
      record.template = op.template
      record.operationId = op.operationId
    }
    const where = { method, path, operationId: op?.operationId }
    /** The first injected fault matching this request (consumed), after its delay. */
    const fault = async (): Promise<ActiveFault | undefined> => {
      const found = takeFault(method, path, record.template)
      if (found?.spec.delayMs) await sleep(found.spec.delayMs, timers)
      return found
    }

    if (!match || !op) {
      const why = !inApi
        ? `${rawPath} is outside the API prefix ${prefix}`
        : match
          ? `${method} is not described for ${match.described.template} (described: ${[...match.described.operations.keys()].join(', ')})`
          : `no path in GitHub's REST description matches ${path}`
      violate({ kind: 'unknown-route', ...where, message: `${method} ${path}: ${why}` })
      const injected = await fault()
      return respond(res, record, injected?.spec.status ? faultReply(injected.spec) : notFound(docs), common)
    }

    // Authentication: GitHub answers 401 before anything else.
    const authorization = req.headers.authorization ?? ''
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization)?.[1]
    if (!token) {
      violate({
        kind: 'auth',
        ...where,
        message: `${method} ${path}: ${authorization ? 'malformed Authorization header (expected "token <t>" or "Bearer <t>")' : 'no Authorization header'}`,
      })
      return respond(res, record, { status: 401, body: { message: 'Requires authentication', documentation_url: docs, status: '401' } }, common)
    }
    const grant = opts.tokens ? opts.tokens[token] : {}
    if (!grant) return respond(res, record, { status: 401, body: { message: 'Bad credentials', documentation_url: docs, status: '401' } }, common)
    const rate = rateLimitFor(token)
    const apiVersion = headers['x-github-api-version'] ?? '2022-11-28'
    Object.assign(common, rate.headers, { 'x-github-api-version-selected': apiVersion, 'x-github-media-type': 'github.v3; format=json' })
    if (!description.apiVersions.has(apiVersion)) {
      violate({
        kind: 'header',
        ...where,
        message: `${method} ${path}: X-GitHub-Api-Version ${apiVersion} is not one of ${[...description.apiVersions].join(', ')}`,
      })
      return respond(
        res,
        record,
        {
          status: 400,
          body: {
            message: `API version ${apiVersion} is not supported.`,
            documentation_url: 'https://docs.github.com/rest/overview/api-versions',
            status: '400',
          },
        },
        common,
      )
    }
    if (!headers['user-agent']) {
      violate({ kind: 'header', ...where, message: `${method} ${path}: no User-Agent header (GitHub rejects such requests)` })
      return respond(
        res,
        record,
        {
          status: 403,
          body: {
            message:
              'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/overview/resources-in-the-rest-api#user-agent-required).',
          },
        },
        common,
      )
    }

    const injected = await fault()
    if (injected?.spec.status) return respond(res, record, faultReply(injected.spec), common)
    if (rate.exceeded) {
      return respond(res, record, faultReply({ status: 403, rateLimit: 'primary', retryAfterSeconds: rate.resetAt - Math.floor(Date.now() / 1000) }), common)
    }

    // Parameters and body against the description.
    const checked = checkParameters(description, op, match.params, query)
    const bodyDetails = checkBody(description, op, contentType, raw, parsed)
    const details = [...checked.details, ...bodyDetails.map((detail) => ({ kind: (detail.in === 'header' ? 'header' : 'body') as ViolationKind, detail }))]
    if (details.length > 0) {
      const first = details[0] as (typeof details)[number]
      violate({
        kind: first.kind,
        ...where,
        message: `${method} ${path} (${op.operationId}): ${details.map((d) => `${d.detail.in} ${d.detail.field} ${d.detail.message}`).join('; ')}`,
        details: details.map((d) => d.detail),
      })
      if (bodyDetails.some((d) => d.message === 'Problems parsing JSON')) {
        return respond(res, record, { status: 400, body: { message: 'Problems parsing JSON', documentation_url: op.docsUrl, status: '400' } }, common)
      }
      return respond(
        res,
        record,
        {
          status: 422,
          body: {
            message: `Invalid request.\n\n${details.map((d) => `For ${d.detail.in} '${d.detail.field}': ${d.detail.message}.`).join('\n')}`,
            errors: details.map((d) => ({
              resource: d.detail.in,
              field: d.detail.field,
              code: /required/.test(d.detail.message) ? 'missing_field' : 'invalid',
              message: d.detail.message,
            })),
            documentation_url: op.docsUrl,
            status: '422',
          },
        },
        common,
      )
    }

    // This repository only; other repositories do not exist (a plain 404, as GitHub answers).
    if (op.template.startsWith('/repos/{owner}/{repo}')) {
      const sameRepo = String(checked.params.owner).toLowerCase() === owner.toLowerCase() && String(checked.params.repo).toLowerCase() === repo.toLowerCase()
      if (!sameRepo) return respond(res, record, notFound(op.docsUrl), common)
    }
    const permission = grant.permission ?? 'write'
    if (permission === 'read' && method !== 'GET' && method !== 'HEAD') {
      return respond(
        res,
        record,
        {
          status: 403,
          body: { message: 'Resource not accessible by integration', documentation_url: op.docsUrl, status: '403' },
          headers: { 'x-accepted-github-permissions': 'issues=write; pull_requests=write' },
        },
        common,
      )
    }

    const linkHeader: { value?: string } = {}
    const ctx: BuiltinContext = {
      method,
      path,
      template: op.template,
      operationId: op.operationId,
      params: checked.params,
      query: checked.query,
      body: parsed.value,
      headers,
      user: state.user(grant.login ?? 'github-actions[bot]'),
      permission,
      state,
      urls,
      blobUrl,
      rule: (message: string) => violate({ kind: 'rule', ...where, message: `${method} ${path} (${op.operationId}): ${message}` }),
      paginate: <T>(items: readonly T[]): T[] => {
        const perPage = Number(checked.query.per_page ?? 30)
        const page = Number(checked.query.page ?? 1)
        const last = Math.max(1, Math.ceil(items.length / perPage))
        const pageUrl = (n: number): string => {
          const next = new URL(url.pathname, urls.web)
          for (const [key, value] of url.searchParams) if (key !== 'page') next.searchParams.append(key, value)
          next.searchParams.set('page', String(n))
          return `<${next.toString()}>`
        }
        const links: string[] = []
        if (page > 1) links.push(`${pageUrl(Math.min(page - 1, last))}; rel="prev"`)
        if (page < last) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`)
        if (page > 1) links.push(`${pageUrl(1)}; rel="first"`)
        if (links.length > 0) linkHeader.value = links.join(', ')
        return items.slice((page - 1) * perPage, page * perPage)
      },
    }
    const handler = custom.get(`${method} ${op.template}`) ?? BUILTINS[op.operationId]
    if (!handler) {
      violate({
        kind: 'unimplemented',
        ...where,
        message: `${method} ${op.template} (${op.operationId}) is described by GitHub but not simulated; serve it with server.route()`,
      })
      return respond(
        res,
        record,
        { status: 501, body: { message: `Not simulated by the test server: ${op.operationId}`, documentation_url: op.docsUrl } },
        common,
      )
    }
    const result = await handler(ctx)
    if (validateResponses) {
      const problems = checkResponse(description, op, result.status, result.body)
      if (problems.length > 0) {
        violate({
          kind: 'response',
          ...where,
          message: `response ${result.status} of ${op.operationId} does not match the description: ${problems
            .slice(0, 5)
            .map((d) => `${d.field} ${d.message}`)
            .join('; ')}`,
          details: problems,
        })
      }
    }
    respond(
      res,
      record,
      { status: result.status, body: result.body, headers: { ...(linkHeader.value ? { link: linkHeader.value } : {}), ...result.headers } },
      common,
    )
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violate({
        kind: 'internal',
        method: req.method ?? '',
        path: req.url ?? '',
        message: `test server error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      })
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify({ message: 'Server Error' }))
    })
  })
  server.keepAliveTimeout = 5000
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  urls = { api: `${origin}${prefix}`, web: origin, host: `127.0.0.1:${port}` }

  return {
    url: urls.api,
    origin,
    owner,
    repo,
    requests,
    violations,
    state,
    inject(spec: FaultSpec): InjectedFault {
      if (spec.status === undefined && spec.delayMs === undefined) throw new Error('inject: give a status, a delayMs, or both')
      const fault: ActiveFault = { spec, hits: 0, remaining: spec.times ?? 1 }
      faults.push(fault)
      return {
        get hits() {
          return fault.hits
        },
        get remaining() {
          return fault.remaining
        },
        cancel() {
          fault.remaining = 0
        },
      }
    },
    route(method: string, template: string, handler: Handler): void {
      const described = description.paths.find((p) => p.template === template)
      if (!described?.operations.has(method.toUpperCase())) throw new Error(`route: ${method} ${template} is not an operation in GitHub's REST description`)
      custom.set(`${method.toUpperCase()} ${template}`, handler)
    },
    env(): Record<string, string> {
      return { GITHUB_API_URL: urls.api, GITHUB_SERVER_URL: origin, GITHUB_REPOSITORY: `${owner}/${repo}` }
    },
    clearLog(): void {
      requests.length = 0
      violations.length = 0
      faults.length = 0
    },
    close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      return new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })
    },
  }
}
