/**
 * Acceptance harness: are the requests Perf-Xi generates accepted by an API that validates them
 * against its OpenAPI description?
 *
 * The validating API is Prism (`@stoplight/prism-cli`) in mock mode with `--errors`, on
 * 127.0.0.1. Every endpoint of the spec gets exactly the request the generated k6 script sends:
 * `buildRequestSample` plus the credentials of the security alternative `chooseSecurity` picks,
 * rendered the way templates/k6-script.js.hbs renders them (auth headers first, then the
 * operation's headers and Content-Type; auth cookies, then the operation's; an api-key query
 * parameter appended last; k6's User-Agent). A request counts as rejected when Prism reports a
 * request violation (422 problem, 401, 415, no path or method matched, or a declared 4xx sent
 * with request violations in its `sl-violations` header). Problems Prism has with its own
 * response (no example, response violations) are recorded as notes, not rejections.
 *
 * Credentials: one per security scheme the spec declares (`credentialsFor`), so every operation's
 * first satisfiable alternative is measured. The action itself is configured with one credential
 * (config `auth`); an operation whose alternatives need another is then not satisfiable.
 *
 * Skipped as the plan skips them, so the figures are those of what the product sends: operations
 * no credential satisfies, and operations whose required body admits no value
 * (`unsatisfiableBodyReason`). Every operation sent also carries the plan's body warnings
 * (`bodyWarnings`).
 *
 * A body sent without a Content-Type (a Swagger 2.0 body the spec declares no media type for) is
 * not validated by Prism at all: it accepts any bytes there. So such a body is also judged as JSON
 * by a second Prism serving the spec with `consumes: [application/json]`; a rejection there counts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import jsYaml from 'js-yaml'
import { Agent, request as httpRequest } from 'node:http'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import type { Auth } from '../../src/spec/auth-config.js'
import type { ApiSpec, Endpoint } from '../../src/spec/model.js'
import { buildRequestSample, type RequestSample } from '../../src/spec/request.js'
import { bodyWarnings, unsatisfiableBodyReason, unsatisfiableParameterReason } from '../../src/spec/satisfiable.js'
import { chooseSecurity, type SecurityChoice } from '../../src/spec/security.js'

const require = createRequire(import.meta.url)

/** The fixed values the harness puts in the credential environment variables. */
export const TEST_SECRETS: Readonly<Record<string, string>> = {
  PERF_XI_TOKEN: 'perf-xi-test-token',
  PERF_XI_USER: 'perf-xi',
  PERF_XI_PASSWORD: 'perf-xi-password',
  PERF_XI_API_KEY: 'perf-xi-api-key',
}

/** What k6 1.8.1 sends as User-Agent unless told otherwise (seen on the wire). */
const K6_USER_AGENT = 'Grafana k6/1.8.1'

// --- Prism --------------------------------------------------------------------------------------

export interface PrismServer {
  url: string
  /** The last part of Prism's own output (for error messages). */
  output(): string
  /** How much Prism has logged so far: a mark for `logSince`. */
  logLength(): number
  /** What Prism logged after `mark`. */
  logSince(mark: number): string
  alive(): boolean
  /** Resolves true once Prism has exited, false if it still runs after `ms`. */
  waitExit(ms: number): Promise<boolean>
  stop(): Promise<void>
}

/**
 * Starts Prism on a free port. The port is free when chosen but not held until Prism binds it, so
 * another process (a parallel test, another Prism) can take it first: then again on another port.
 */
export async function startPrism(specPath: string, opts: { timeoutMs?: number } = {}): Promise<PrismServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPrismOnce(specPath, opts)
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err
    }
  }
}

async function startPrismOnce(specPath: string, opts: { timeoutMs?: number }): Promise<PrismServer> {
  const port = await freePort()
  const bin = require.resolve('@stoplight/prism-cli/dist/index.js')
  const child = spawn(process.execPath, ['--max-old-space-size=8192', bin, 'mock', specPath, '-h', '127.0.0.1', '-p', String(port), '--errors'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1' },
  })
  // Prism logs every request (a few hundred bytes each): kept whole, up to a cap.
  let log = ''
  let dropped = 0
  const keep = (chunk: Buffer): void => {
    log += chunk.toString('utf8')
    if (log.length > 64_000_000) {
      dropped += log.length - 32_000_000
      log = log.slice(-32_000_000)
    }
  }
  const tail = (): string => log.slice(-20_000)
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const stop = (): Promise<void> => stopChild(child)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`Prism did not start within ${(opts.timeoutMs ?? 60_000) / 1000} s on ${specPath}:\n${tail().slice(-3000)}`))
    }, opts.timeoutMs ?? 60_000)
    const onData = (): void => {
      if (log.includes('Prism is listening')) {
        clearTimeout(timer)
        child.stdout.off('data', onData)
        resolve()
      }
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Prism exited (code ${code}) before listening on ${specPath}:\n${tail().slice(-3000)}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    output: tail,
    logLength: () => dropped + log.length,
    logSince: (mark) => log.slice(Math.max(0, mark - dropped)),
    alive: () => child.exitCode === null && child.signalCode === null,
    waitExit: (ms) =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve(true)
        : new Promise((resolve) => {
            const timer = setTimeout(() => resolve(false), ms)
            child.once('exit', () => {
              clearTimeout(timer)
              resolve(true)
            })
          }),
    stop,
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

// --- the document Prism gets -------------------------------------------------------------------

/**
 * The spec as Prism is given it: every response's schema and examples removed, and components
 * nothing refers to any more dropped. Responses play no part in request validation, and Prism
 * dereferences the whole document up front: on Stripe's description, whose response objects
 * refer to one another through "expandable" anyOfs, it did not finish starting within 5 minutes.
 * Requests are validated against exactly what the spec says about them.
 */
export function requestOnlySpec(doc: Record<string, unknown>, opts: { declareJson?: boolean } = {}): Record<string, unknown> {
  const out = structuredClone(doc)
  // Swagger 2.0 operations without consumes then take the document's: JSON.
  if (opts.declareJson && out.swagger === '2.0' && !Array.isArray(out.consumes)) out.consumes = ['application/json']
  const paths = isObj(out.paths) ? out.paths : {}
  for (const item of Object.values(paths)) {
    if (!isObj(item)) continue
    for (const op of Object.values(item)) {
      if (!isObj(op) || !isObj(op.responses)) continue
      for (const [code, response] of Object.entries(op.responses)) {
        if (!isObj(response)) continue
        const description = typeof response.description === 'string' ? response.description : 'response'
        // A $ref'd response becomes a plain one; content types kept so Prism still negotiates.
        const stripped: Record<string, unknown> = { description }
        if (isObj(response.content)) stripped.content = Object.fromEntries(Object.keys(response.content).map((t) => [t, {}]))
        op.responses[code] = stripped
      }
    }
  }
  pruneUnreferenced(out)
  return out
}

/** Drops components (3.x) and definitions/parameters (2.0) that nothing outside them reaches. */
function pruneUnreferenced(doc: Record<string, unknown>): void {
  const reached = new Set<string>()
  const pending: unknown[] = []
  for (const [key, value] of Object.entries(doc)) if (key !== 'components' && key !== 'definitions' && key !== 'parameters') pending.push(value)
  const resolve = (ref: string): unknown => {
    let node: unknown = doc
    for (const part of ref.slice(2).split('/')) node = isObj(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
    return node
  }
  while (pending.length > 0) {
    const node = pending.pop()
    if (Array.isArray(node)) pending.push(...node)
    else if (isObj(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/') && !reached.has(value)) {
          // A pointer into a component (…/examples/user/value) keeps the component.
          const parts = value.split('/')
          for (let i = 3; i <= parts.length; i++) reached.add(parts.slice(0, i).join('/'))
          pending.push(resolve(value))
        } else if (typeof value === 'object' && value !== null) pending.push(value)
      }
    }
  }
  const prune = (container: unknown, prefix: string): void => {
    if (!isObj(container)) return
    for (const name of Object.keys(container)) if (!reached.has(`${prefix}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`)) delete container[name]
  }
  if (isObj(doc.components)) {
    for (const [section, entries] of Object.entries(doc.components)) if (section !== 'securitySchemes') prune(entries, `#/components/${section}`)
  }
  prune(doc.definitions, '#/definitions')
  prune(doc.parameters, '#/parameters')
}

/** Writes `requestOnlySpec` of the file at `specPath` to a temporary JSON file; `cleanup` removes it. */
export function writeRequestOnlySpec(specPath: string, opts: { declareJson?: boolean } = {}): { file: string; cleanup: () => void } {
  const text = readFileSync(specPath, 'utf8')
  const doc = (/^\s*[{[]/.test(text) ? JSON.parse(text) : jsYaml.load(text)) as Record<string, unknown>
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-xi-prism-'))
  const file = path.join(dir, `${path.basename(specPath).replace(/\.(ya?ml|json)$/i, '')}.json`)
  writeFileSync(file, JSON.stringify(requestOnlySpec(doc, opts)))
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// --- what the k6 script sends -------------------------------------------------------------------

/** One credential per security scheme the spec declares, as a user would configure them. */
export function credentialsFor(spec: ApiSpec): Auth[] {
  const out: Auth[] = []
  const seen = new Set<string>()
  const add = (key: string, auth: Auth): void => {
    if (seen.has(key)) return
    seen.add(key)
    out.push(auth)
  }
  for (const scheme of Object.values(spec.securitySchemes)) {
    switch (scheme.kind) {
      case 'http-bearer':
      case 'oauth2':
      case 'openIdConnect':
        add('bearer', { type: 'bearer', 'token-env': 'PERF_XI_TOKEN' })
        break
      case 'http-basic':
        add('basic', { type: 'basic', 'username-env': 'PERF_XI_USER', 'password-env': 'PERF_XI_PASSWORD' })
        break
      case 'api-key':
        if (!scheme.paramName) break
        if (scheme.in === 'cookie') add(`cookie:${scheme.paramName}`, { type: 'cookie', name: scheme.paramName, 'value-env': 'PERF_XI_API_KEY' })
        else if (scheme.in === 'header' || scheme.in === 'query') {
          add(`${scheme.in}:${scheme.paramName.toLowerCase()}`, { type: 'api-key', in: scheme.in, name: scheme.paramName, 'value-env': 'PERF_XI_API_KEY' })
        }
        break
      case 'other':
        break
    }
  }
  return out
}

export interface WireRequest {
  method: string
  /** Path and query, as appended to the base URL. */
  path: string
  headers: Array<[string, string]>
  body?: string
  security: SecurityChoice
}

/** The request the k6 script sends for `endpoint` with `credentials` configured. */
export function wireRequest(
  spec: ApiSpec,
  endpoint: Endpoint,
  credentials: readonly Auth[],
  sample: RequestSample = buildRequestSample(endpoint),
): WireRequest {
  const security = chooseSecurity(endpoint.security, spec.securitySchemes, credentials)
  const authHeaders: Record<string, string> = {}
  const authCookies: Record<string, string> = {}
  let path = sample.path
  for (const auth of security.kind === 'satisfied' ? security.credentials : []) {
    switch (auth.type) {
      case 'bearer':
        authHeaders.Authorization = `Bearer ${TEST_SECRETS[auth['token-env']]}`
        break
      case 'basic':
        authHeaders.Authorization = `Basic ${Buffer.from(`${TEST_SECRETS[auth['username-env']]}:${TEST_SECRETS[auth['password-env']]}`).toString('base64')}`
        break
      case 'api-key':
        if (auth.in === 'header') authHeaders[auth.name] = TEST_SECRETS[auth['value-env']]!
        else path += `${path.includes('?') ? '&' : '?'}${encodeURIComponent(auth.name)}=${encodeURIComponent(TEST_SECRETS[auth['value-env']]!)}`
        break
      case 'cookie':
        authCookies[auth.name] = TEST_SECRETS[auth['value-env']]!
        break
      case 'none':
        break
    }
  }
  // As src/script/k6.ts renders them: { ...AUTH_HEADERS, ...headers, Content-Type }, a spec
  // header or cookie named like one the credentials send left out (the credentials win).
  const authNames = Object.keys(authHeaders).map((n) => n.toLowerCase())
  const headers: Record<string, string> = { ...authHeaders }
  for (const [name, value] of Object.entries(sample.headers)) if (!authNames.includes(name.toLowerCase())) headers[name] = value
  if (sample.contentType && sample.body !== undefined) headers['Content-Type'] = sample.contentType
  const cookies: Record<string, string> = { ...authCookies }
  for (const [name, value] of Object.entries(sample.cookies)) if (!(name in authCookies)) cookies[name] = value
  const list: Array<[string, string]> = Object.entries(headers)
  const cookieHeader = Object.entries(cookies)
    .map(([name, value]) => `${name}=${goCookieValue(value)}`)
    .join('; ')
  if (cookieHeader) list.push(['Cookie', cookieHeader])
  list.push(['User-Agent', K6_USER_AGENT])
  return { method: endpoint.method, path, headers: list, ...(sample.body !== undefined ? { body: sample.body } : {}), security }
}

/** Go's net/http cookie value sanitising (what k6's `cookies` param goes through). */
function goCookieValue(value: string): string {
  const kept = [...value].filter((c) => c >= ' ' && c <= '~' && c !== '"' && c !== ';' && c !== '\\').join('')
  return kept.includes(' ') || kept.includes(',') ? `"${kept}"` : kept
}

// --- sending and judging ------------------------------------------------------------------------

export interface Verdict {
  accepted: boolean
  /**
   * Prism gave no verdict: it crashed on the request or could not send its answer (a 1xx status).
   * Such requests count neither way; `notes` says what happened.
   */
  unanswered?: boolean
  status: number
  /** Why Prism rejected the request (one entry per violation). */
  reasons: string[]
  /** Prism's problems with its own response, not the request's. */
  notes: string[]
}

const REQUEST_PROBLEMS = new Set([
  'UNPROCESSABLE_ENTITY',
  'UNAUTHORIZED',
  'INVALID_CONTENT_TYPE',
  'NO_PATH_MATCHED_ERROR',
  'NO_METHOD_MATCHED_ERROR',
  'NO_SERVER_MATCHED_ERROR',
])

interface Violation {
  location?: string[]
  severity?: string
  code?: string | number
  message?: string
}

/**
 * What a request carries, as dotted lower-case paths with every prefix ("rgb", "rgb.r"; Prism
 * lower-cases query names): query parameters and body properties, deepObject brackets and JSON
 * nesting followed (array items by index), multipart parts by name.
 */
export interface SentNames {
  query: Set<string>
  body: Set<string>
}

export function sentNames(req: WireRequest): SentNames {
  const withPrefixes = (paths: string[][]): Set<string> => {
    const out = new Set<string>()
    for (const p of paths) for (let i = 1; i <= p.length; i++) out.add(p.slice(0, i).join('.').toLowerCase())
    return out
  }
  const formPaths = (text: string): string[][] =>
    text
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const key = safeDecode(pair.split('=')[0]!)
        const head = key.replace(/\[.*$/, '')
        return [head, ...[...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)]
      })
  const query = withPrefixes(formPaths(req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : ''))
  let body = new Set<string>()
  const contentType = (req.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '').toLowerCase()
  if (req.body !== undefined) {
    if (contentType.startsWith('application/x-www-form-urlencoded')) body = withPrefixes(formPaths(req.body))
    else if (contentType.startsWith('multipart/form-data')) body = withPrefixes([...req.body.matchAll(/name="([^"]*)"/g)].map((m) => [m[1]!]))
    else {
      try {
        const paths: string[][] = []
        const walk = (node: unknown, at: string[]): void => {
          if (at.length > 0) paths.push(at)
          if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...at, String(i)]))
          else if (isObj(node)) for (const [k, v] of Object.entries(node)) walk(v, [...at, k])
        }
        walk(JSON.parse(req.body), [])
        body = withPrefixes(paths)
      } catch {
        // not JSON: no property names
      }
    }
  }
  return { query, body }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/**
 * Prism's verdict on one answer. With `sent`, a violation located inside a query parameter or
 * body property (at any depth) that the request does not carry is not the request's: Prism
 * deserializes an absent optional deepObject or exploded form object as `{}` and then reports
 * its required properties missing. Such violations are kept as notes ("not sent: ...").
 */
export function judge(status: number, headers: Record<string, string | string[] | undefined>, body: string, sent?: SentNames): Verdict {
  const reasons: string[] = []
  const notes: string[] = []
  const add = (v: Violation): void => {
    const [section, ...inside] = v.location ?? []
    const text = describeViolation(v)
    if (sent && inside.length > 0 && (section === 'query' || section === 'body') && !sent[section].has(inside.join('.').toLowerCase())) {
      if (!notes.includes(`not sent: ${text}`)) notes.push(`not sent: ${text}`)
    } else if (!reasons.includes(text)) reasons.push(text)
  }
  const contentType = String(headers['content-type'] ?? '')
  if (contentType.includes('application/problem+json')) {
    let problem: { type?: string; title?: string; detail?: string; validation?: Violation[] } = {}
    try {
      problem = JSON.parse(body) as typeof problem
    } catch {
      // not JSON after all
    }
    const code = (problem.type ?? '').replace(/^.*#/, '')
    if (REQUEST_PROBLEMS.has(code)) {
      if (code === 'UNPROCESSABLE_ENTITY' && Array.isArray(problem.validation) && problem.validation.length > 0) {
        for (const v of problem.validation) if (v.severity === undefined || v.severity === 'Error') add(v)
        if (reasons.length === 0 && notes.length === 0) reasons.push('UNPROCESSABLE_ENTITY')
      } else reasons.push(`${code}: ${problem.detail ?? problem.title ?? ''}`.trim())
    } else if (code) notes.push(`${code}: ${problem.title ?? ''}`)
  }
  const header = headers['sl-violations']
  if (typeof header === 'string' && header !== '') {
    let violations: Violation[] = []
    try {
      violations = JSON.parse(header.replace(/^Too many violations! /, '')) as Violation[]
    } catch {
      if (header.startsWith('Too many violations!') && header.includes('"request')) reasons.push('too many violations to list')
    }
    for (const v of violations) {
      if (v.location?.[0] === 'request' && v.severity === 'Error') add({ ...v, location: v.location.slice(1) })
    }
  }
  return { accepted: reasons.length === 0, status, reasons, notes }
}

function describeViolation(v: Violation): string {
  const where = (v.location ?? []).join('.')
  return `${where ? `${where}: ` : ''}${v.message ?? String(v.code ?? 'invalid')}`
}

export function send(baseUrl: string, req: WireRequest, agent: Agent): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl)
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of req.headers) headers[name] = value
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body))
    const r = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve(
          judge(res.statusCode ?? 0, res.headers as Record<string, string | string[] | undefined>, Buffer.concat(chunks).toString('utf8'), sentNames(req)),
        ),
      )
      res.on('error', reject)
    })
    r.on('timeout', () => r.destroy(new Error(`no answer to ${req.method} ${req.path} within 60 s`)))
    r.on('error', reject)
    if (req.body !== undefined) r.write(req.body)
    r.end()
  })
}

export interface EndpointResult {
  key: string
  request: WireRequest
  verdict: Verdict
  /** What the plan warns about this operation's body (`bodyWarnings`). */
  warnings: string[]
}

export interface AcceptanceReport {
  spec: string
  /** Requests Prism judged (accepted + rejected). */
  total: number
  accepted: number
  rejected: EndpointResult[]
  /** Prism crashed or could not answer: no verdict (see `Verdict.unanswered`). */
  unanswered: EndpointResult[]
  /**
   * Operations not sent, as the plan skips them: no security alternative the harness's
   * credentials satisfy, or a required body no value satisfies.
   */
  skipped: Array<{ key: string; reason: string }>
  results: EndpointResult[]
  /** accepted / total, in percent. */
  rate: number
}

export interface MeasureOptions {
  concurrency?: number
  credentials?: Auth[]
  /** How long Prism may take to load the spec. Default 60 s. */
  startTimeoutMs?: number
}

type Queued = Omit<EndpointResult, 'verdict'>

/**
 * Starts Prism on `specPath`, sends every endpoint's request, judges each answer, stops Prism.
 * Requests that get no answer are sent again one at a time, Prism restarted if it died, and
 * judged from Prism's own log where it validated the request before failing.
 */
export async function measureSpec(specPath: string, spec: ApiSpec, opts: MeasureOptions = {}): Promise<AcceptanceReport> {
  const credentials = opts.credentials ?? credentialsFor(spec)
  const skipped: AcceptanceReport['skipped'] = []
  const queue: Queued[] = []
  for (const endpoint of spec.endpoints) {
    const request = wireRequest(spec, endpoint, credentials)
    const bodyReason = unsatisfiableBodyReason(endpoint) ?? unsatisfiableParameterReason(endpoint)
    if (request.security.kind === 'unsatisfiable') skipped.push({ key: endpoint.key, reason: request.security.reason })
    else if (bodyReason) skipped.push({ key: endpoint.key, reason: bodyReason })
    else queue.push({ key: endpoint.key, request, warnings: bodyWarnings(endpoint) })
  }
  const results = await judgeAll(specPath, queue, opts)
  // Prism does not look inside a body that comes without a Content-Type: judge those as JSON too.
  const unlabelled = results.filter((r) => r.request.body !== undefined && !r.request.headers.some(([n]) => n.toLowerCase() === 'content-type'))
  if (unlabelled.length > 0) {
    const asJson = await judgeAll(
      specPath,
      unlabelled.map((r) => ({ ...r, request: { ...r.request, headers: [...r.request.headers, ['Content-Type', 'application/json'] as [string, string]] } })),
      { ...opts, declareJson: true },
    )
    for (const json of asJson) {
      const r = results.find((x) => x.key === json.key)!
      if (json.verdict.accepted || json.verdict.unanswered) r.verdict.notes.push('sent without a Content-Type; as JSON, Prism accepts the body too')
      else r.verdict = { ...r.verdict, accepted: false, reasons: [...r.verdict.reasons, ...json.verdict.reasons.map((x) => `as JSON: ${x}`)] }
    }
  }
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const judged = results.filter((r) => !r.verdict.unanswered)
  const rejected = judged.filter((r) => !r.verdict.accepted)
  const accepted = judged.length - rejected.length
  return {
    spec: spec.source,
    total: judged.length,
    accepted,
    rejected,
    unanswered: results.filter((r) => r.verdict.unanswered),
    skipped,
    results,
    rate: judged.length === 0 ? 100 : (accepted / judged.length) * 100,
  }
}

/** One Prism on the request-only spec (`declareJson`: with consumes JSON), every request sent and judged. */
async function judgeAll(specPath: string, queue: Queued[], opts: MeasureOptions & { declareJson?: boolean }): Promise<EndpointResult[]> {
  const concurrency = opts.concurrency ?? 8
  const prismSpec = writeRequestOnlySpec(specPath, { declareJson: opts.declareJson })
  const start = (): Promise<PrismServer> => startPrism(prismSpec.file, { timeoutMs: opts.startTimeoutMs ?? 60_000 })
  let prism: PrismServer
  try {
    prism = await start()
  } catch (err) {
    prismSpec.cleanup()
    throw err
  }
  const results: EndpointResult[] = []
  const retry: Queued[] = []
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  try {
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < queue.length) {
        const item = queue[next++]!
        try {
          results.push({ ...item, verdict: await send(prism.url, item.request, agent) })
        } catch {
          retry.push(item)
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    for (const item of retry) {
      let verdict: Verdict | undefined
      for (let attempt = 0; attempt < 2 && !verdict; attempt++) {
        if (!prism.alive()) {
          await prism.stop()
          prism = await start()
        }
        const mark = prism.logLength()
        try {
          verdict = await send(prism.url, item.request, new Agent())
        } catch (err) {
          // Prism crashed on this request (or was already going down): let its exit register.
          await prism.waitExit(1000)
          const log = prism.logSince(mark)
          // Nothing logged: the request never reached a live Prism; once more on a fresh one.
          if (log.trim() === '' && attempt === 0) continue
          verdict = verdictFromLog(log, (err as Error).message)
        }
      }
      results.push({ ...item, verdict: verdict! })
    }
  } finally {
    agent.destroy()
    await prism.stop()
    prismSpec.cleanup()
  }
  return results
}

/** A verdict from what Prism logged about one request that got no answer. */
function verdictFromLog(log: string, error: string): Verdict {
  const lines = log.split('\n')
  const violations = lines.filter((l) => /Violation: request/.test(l)).map((l) => l.replace(/^.*Violation: request\.?/, '').trim())
  if (log.includes('Request did not pass the validation rules') || violations.length > 0) {
    return { accepted: false, status: 0, reasons: violations.length > 0 ? violations : ['rejected (see Prism log)'], notes: [`no answer: ${error}`] }
  }
  if (log.includes('The request passed the validation rules')) {
    const responding = lines.find((l) => /Responding with/.test(l))
    return {
      accepted: true,
      status: 0,
      reasons: [],
      notes: [`validated, but no answer (${error})${responding ? `: ${responding.replace(/^.*›\s*/, '').trim()}` : ''}`],
    }
  }
  const crash = lines.find((l) => /^\w*Error\b/.test(l.trim())) ?? error
  return { accepted: false, unanswered: true, status: 0, reasons: [], notes: [`Prism crashed: ${crash.trim()}`] }
}

/** The most frequent rejection reasons, numbers and ids blurred so like reasons group. */
export function topReasons(report: AcceptanceReport, limit = 10): Array<{ reason: string; count: number; example: string }> {
  const counts = new Map<string, { count: number; example: string }>()
  for (const r of report.rejected) {
    for (const reason of new Set(r.verdict.reasons.map(normalizeReason))) {
      const entry = counts.get(reason) ?? { count: 0, example: `${r.key}: ${r.verdict.reasons.join('; ')}` }
      entry.count++
      counts.set(reason, entry)
    }
  }
  return [...counts.entries()]
    .map(([reason, { count, example }]) => ({ reason, count, example }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1))
    .slice(0, limit)
}

function normalizeReason(reason: string): string {
  return reason
    .replace(/^(query|path|header|body)\.[^:]*:/, '$1.…:')
    .replace(/^(query|path|header|body): /, '$1: ')
    .replace(/(Request (?:query|path|header|body) (?:parameter|property)) \S+/, '$1 …')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d+\b/g, 'N')
}

/** One line per rejected endpoint, for test failure messages. */
export function describeRejections(report: AcceptanceReport, limit = 20): string {
  return report.rejected
    .slice(0, limit)
    .map(
      (r) =>
        `${r.key} [${r.verdict.status}] ${r.verdict.reasons.join('; ')}\n    ${r.request.method} ${r.request.path}${r.request.body !== undefined ? `\n    body: ${r.request.body.slice(0, 300)}` : ''}`,
    )
    .join('\n')
}
