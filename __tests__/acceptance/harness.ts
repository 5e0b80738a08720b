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
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request as httpRequest } from 'node:http'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import type { Auth } from '../../src/config/schema.js'
import type { ApiSpec, Endpoint } from '../../src/spec/model.js'
import { buildRequestSample, type RequestSample } from '../../src/spec/request.js'
import { chooseSecurity, type SecurityChoice } from '../../src/spec/security.js'

const require = createRequire(import.meta.url)

/** The fixed values the harness puts in the credential environment variables. */
export const TEST_SECRETS: Readonly<Record<string, string>> = {
  PERF_XI_TOKEN: 'perf-xi-test-token',
  PERF_XI_USER: 'perf-xi',
  PERF_XI_PASSWORD: 'perf-xi-password',
  PERF_XI_API_KEY: 'perf-xi-api-key',
}

/** What k6 v1 sends as User-Agent unless told otherwise. */
const K6_USER_AGENT = 'k6/1.8.1 (https://k6.io/)'

// --- Prism --------------------------------------------------------------------------------------

export interface PrismServer {
  url: string
  /** The last part of Prism's own output (for error messages). */
  output(): string
  stop(): Promise<void>
}

export async function startPrism(specPath: string, opts: { timeoutMs?: number } = {}): Promise<PrismServer> {
  const port = await freePort()
  const bin = require.resolve('@stoplight/prism-cli/dist/index.js')
  const child = spawn(process.execPath, ['--max-old-space-size=8192', bin, 'mock', specPath, '-h', '127.0.0.1', '-p', String(port), '--errors'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1' },
  })
  let tail = ''
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-20_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const stop = (): Promise<void> => stopChild(child)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`Prism did not start within ${(opts.timeoutMs ?? 60_000) / 1000} s on ${specPath}:\n${tail.slice(-3000)}`))
    }, opts.timeoutMs ?? 60_000)
    const onData = (): void => {
      if (tail.includes('Prism is listening')) {
        clearTimeout(timer)
        child.stdout.off('data', onData)
        resolve()
      }
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Prism exited (code ${code}) before listening on ${specPath}:\n${tail.slice(-3000)}`))
    })
  })
  return { url: `http://127.0.0.1:${port}`, output: () => tail, stop }
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
export function wireRequest(spec: ApiSpec, endpoint: Endpoint, credentials: readonly Auth[], sample: RequestSample = buildRequestSample(endpoint)): WireRequest {
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
  // As the template spreads them: { ...AUTH_HEADERS, ...headers, Content-Type }.
  const headers: Record<string, string> = { ...authHeaders, ...sample.headers }
  if (sample.contentType && sample.body !== undefined) headers['Content-Type'] = sample.contentType
  const cookies = { ...authCookies, ...sample.cookies }
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

export function judge(status: number, headers: Record<string, string | string[] | undefined>, body: string): Verdict {
  const reasons: string[] = []
  const notes: string[] = []
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
        for (const v of problem.validation) if (v.severity === undefined || v.severity === 'Error') reasons.push(describeViolation(v))
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
      if (v.location?.[0] === 'request' && v.severity === 'Error') {
        const text = describeViolation({ ...v, location: v.location.slice(1) })
        if (!reasons.includes(text)) reasons.push(text)
      }
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
    const r = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve(judge(res.statusCode ?? 0, res.headers as Record<string, string | string[] | undefined>, Buffer.concat(chunks).toString('utf8'))))
        res.on('error', reject)
      },
    )
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
}

export interface AcceptanceReport {
  spec: string
  total: number
  accepted: number
  rejected: EndpointResult[]
  /** Endpoints not sent: no security alternative the harness's credentials satisfy. */
  unsatisfiable: Array<{ key: string; reason: string }>
  results: EndpointResult[]
  /** accepted / sent, in percent. */
  rate: number
}

/** Sends every endpoint's request to a running Prism and judges each answer. */
export async function measure(spec: ApiSpec, baseUrl: string, opts: { concurrency?: number; credentials?: Auth[] } = {}): Promise<AcceptanceReport> {
  const credentials = opts.credentials ?? credentialsFor(spec)
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency ?? 8 })
  const results: EndpointResult[] = []
  const unsatisfiable: AcceptanceReport['unsatisfiable'] = []
  const queue: Array<{ key: string; request: WireRequest }> = []
  for (const endpoint of spec.endpoints) {
    const request = wireRequest(spec, endpoint, credentials)
    if (request.security.kind === 'unsatisfiable') unsatisfiable.push({ key: endpoint.key, reason: request.security.reason })
    else queue.push({ key: endpoint.key, request })
  }
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const item = queue[next++]!
      const verdict = await send(baseUrl, item.request, agent)
      results.push({ key: item.key, request: item.request, verdict })
    }
  }
  try {
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker))
  } finally {
    agent.destroy()
  }
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const rejected = results.filter((r) => !r.verdict.accepted)
  const accepted = results.length - rejected.length
  return {
    spec: spec.source,
    total: results.length,
    accepted,
    rejected,
    unsatisfiable,
    results,
    rate: results.length === 0 ? 100 : (accepted / results.length) * 100,
  }
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
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d+\b/g, 'N')
    .replace(/^(query|path|header|body)\.[^:]*:/, '$1.…:')
}

/** One line per rejected endpoint, for test failure messages. */
export function describeRejections(report: AcceptanceReport, limit = 20): string {
  return report.rejected
    .slice(0, limit)
    .map((r) => `${r.key} [${r.verdict.status}] ${r.verdict.reasons.join('; ')}\n    ${r.request.method} ${r.request.path}${r.request.body !== undefined ? `\n    body: ${r.request.body.slice(0, 300)}` : ''}`)
    .join('\n')
}
