/**
 * A local stand-in for Grafana Cloud k6, for tests (k6's K6_CLOUD_HOST and the action's API root).
 *
 * - What k6 itself calls (`/v1/…`, `/v2/metrics/…`; shapes read from k6 v1.8.1's `cloudapi/` and
 *   `output/cloud/expv2/`): validate-options, archive-upload (`k6 cloud run`), test-progress, tests
 *   (create and finish, `k6 run --out cloud`) and the metrics push (snappy-compressed protobuf,
 *   decoded here: counters, rates and trend counts per metric and `name` tag).
 * - What the action calls: `/cloud/v6/test_runs/{id}`, checked against Grafana's published OpenAPI
 *   description (__tests__/fixtures/grafana-cloud-k6/openapi.yaml: route, security, X-Stack-Id,
 *   path parameter; its own answers against the response schema), and the v5 metrics endpoint
 *   `query_aggregate_k6(query=…,metric=…)` the description lacks (shape from Grafana's docs).
 * Anything Grafana would refuse is answered the way it answers AND recorded in `violations`.
 *
 * `k6 cloud run` here: Grafana's load zones cannot be reached from a test, so on archive upload
 * the server runs the uploaded archive with the real local k6 (`k6 run archive.tar --out json=…`)
 * and serves the v5 aggregates computed exactly from those samples (k6's own percentile
 * definition; Grafana's are histogram estimates). Its k6 summary is kept for comparison.
 * Faults (401/403/404/429/5xx with Grafana's error body, slow answers) come from `inject()`.
 */
import { spawn } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import yaml from 'js-yaml'
import { unsnappy } from './snappy.js'

export const OPENAPI_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'grafana-cloud-k6', 'openapi.yaml')

export type Route =
  'validate-options' | 'archive-upload' | 'test-progress' | 'create-test' | 'metrics-push' | 'finish-test' | 'stop-test' | 'test-run' | 'aggregate'

export interface Fault {
  route: Route
  /** The status answered; absent: the normal answer, late (with delayMs). */
  status?: number
  /** Grafana's message in its error body. */
  message?: string
  retryAfter?: string
  delayMs?: number
  /** How many requests the fault answers. Default 1. */
  times?: number
}

export interface Violation {
  kind: 'unknown-route' | 'auth' | 'header' | 'path' | 'body' | 'response'
  method: string
  path: string
  message: string
}

export interface RecordedRequest {
  method: string
  path: string
  route?: Route
  status: number
  /** Lower-cased headers without authorization. */
  headers: Record<string, string | string[] | undefined>
}

/** Per `name` tag (and '' for the whole run): what k6 measured or pushed. */
export interface EndpointTotals {
  requests: number
  failed: number
  failedTotal: number
  durations: number[]
  durationCount: number
}

export interface CloudTestRunState {
  id: number
  name: string
  projectId: number
  /** cloud: k6 cloud run (this server runs the archive); local: k6 run --out cloud. */
  mode: 'cloud' | 'local'
  created: string
  ended: string | null
  /** k6's v1 run status (cloudapi/run_status.go) and result status (0 passed, 1 failed). */
  runStatus: number
  resultStatus: number
  /** The v6 status and result. */
  status: string
  result: string | null
  resultMessage: string | null
  /** The samples, per `name` tag and for the run (''). */
  totals: Map<string, EndpointTotals>
  /** Metric pushes received (local mode). */
  pushes: number
  /** The local k6's summary of the run it played (cloud mode). */
  summary?: Record<string, unknown>
  /** The local k6's exit code (cloud mode). */
  k6ExitCode?: number | null
  archiveFields?: Record<string, string>
  distribution: Array<{ load_zone: string; percent: number }>
  executionSeconds: number
  /** k6 cloud run asked to stop it (SIGINT to k6). */
  stopRequested?: boolean
  child?: ReturnType<typeof spawn>
}

export interface GrafanaCloudServerOptions {
  token: string
  stackId: string
  /** The k6 that plays Grafana's load zones for `k6 cloud run`. */
  k6Path: string
  /** Where archives, samples and summaries are written. */
  workDir: string
  /** How long a finished run stays in processing_metrics. Default 1 s. */
  processingMs?: number
  /** How the cloud ends a `k6 cloud run` (error: aborted by the system, k6 exits 97). Default as the local k6 ended. */
  cloudOutcome?: 'as-run' | 'error'
}

export interface GrafanaCloudServer {
  url: string
  runs: Map<number, CloudTestRunState>
  requests: RecordedRequest[]
  violations: Violation[]
  inject(fault: Fault): void
  /** A test run already known to Grafana (for the REST API's tests): completed and passed unless told. */
  seed(run: Partial<CloudTestRunState>): CloudTestRunState
  /** Env for k6 and the action: K6_CLOUD_HOST, token, stack and project. */
  env(projectId?: number): Record<string, string>
  close(): Promise<void>
}

type Json = unknown
interface Description {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string
        parameters?: Array<{ $ref?: string; in?: string; name?: string; required?: boolean; schema?: Json }>
        security?: Json[]
        responses: Record<string, { content?: Record<string, { schema: Json }> }>
      }
    >
  >
  components: Record<string, Record<string, Json>>
}

let description: Description | undefined
let ajv: Ajv | undefined

function loadDescription(): { description: Description; ajv: Ajv } {
  if (!description || !ajv) {
    description = yaml.load(readFileSync(OPENAPI_FILE, 'utf8')) as Description
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false })
    const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv) => Ajv
    addFormats(ajv)
    ajv.addSchema({ $id: 'grafana', components: description.components })
  }
  return { description, ajv }
}

const compiled = new Map<string, ValidateFunction>()
function validator(ref: string, schema?: Json): ValidateFunction {
  const { ajv: a } = loadDescription()
  let fn = compiled.get(ref)
  if (!fn) {
    fn = a.compile((schema !== undefined ? rebase(schema) : { $ref: `grafana${ref}` }) as object)
    compiled.set(ref, fn)
  }
  return fn
}

/** Refs inside an operation's inline schema point into the description's components. */
function rebase(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(rebase)
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `grafana${v}` : rebase(v)]))
  }
  return schema
}

/** The v6 operation for a method and path, with its path parameters. */
function findOperation(method: string, pathname: string) {
  const { description: d } = loadDescription()
  for (const [template, ops] of Object.entries(d.paths)) {
    const names: string[] = []
    const pattern = new RegExp(`^${template.replace(/\{([^}]+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`)
    const match = pattern.exec(pathname)
    if (!match) continue
    const op = ops[method.toLowerCase()]
    if (!op) continue
    return { template, op, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)])) }
  }
  return undefined
}

export async function startGrafanaCloudServer(opts: GrafanaCloudServerOptions): Promise<GrafanaCloudServer> {
  mkdirSync(opts.workDir, { recursive: true })
  const runs = new Map<number, CloudTestRunState>()
  const requests: RecordedRequest[] = []
  const violations: Violation[] = []
  const faults: Array<Fault & { left: number }> = []
  const children = new Set<ReturnType<typeof spawn>>()
  let nextId = 4100
  let url = ''

  const violate = (req: IncomingMessage, kind: Violation['kind'], message: string) =>
    violations.push({ kind, method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, message })

  const send = (res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(body === undefined ? '' : JSON.stringify(body))
  }

  /** Grafana's error body: v6 `{error: {code: string, message}}`; k6's v1 `{error: {code: int, message}}`. */
  const errorBody = (route: Route, status: number, message: string) =>
    route === 'test-run'
      ? {
          error: {
            code: { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 429: 'throttled' }[status] ?? 'error',
            message,
            target: null,
            details: null,
          },
        }
      : route === 'aggregate'
        ? { status: 'error', error: message }
        : { error: { code: status === 403 ? 2 : status, message } }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        violate(req, 'body', `handler threw: ${(err as Error).stack}`)
        if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'internal' } })
      })
    })
  })

  const routeOf = (method: string, pathname: string): Route | undefined => {
    if (method === 'POST' && pathname === '/v1/validate-options') return 'validate-options'
    if (method === 'POST' && pathname === '/v1/archive-upload') return 'archive-upload'
    if (method === 'GET' && /^\/v1\/test-progress\/\d+$/.test(pathname)) return 'test-progress'
    if (method === 'POST' && pathname === '/v1/tests') return 'create-test'
    if (method === 'POST' && /^\/v1\/tests\/\d+$/.test(pathname)) return 'finish-test'
    if (method === 'POST' && /^\/v1\/tests\/\d+\/stop$/.test(pathname)) return 'stop-test'
    if (method === 'POST' && /^\/v2\/metrics\/\d+$/.test(pathname)) return 'metrics-push'
    if (method === 'GET' && /^\/cloud\/v5\/test_runs\/[^/]+\/query_aggregate_k6\(.*\)$/.test(pathname)) return 'aggregate'
    if (pathname.startsWith('/cloud/v6/')) return 'test-run'
    return undefined
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const method = req.method ?? 'GET'
    // The v5 function call keeps its quotes and parentheses; URL parsing would not change them.
    const rawPath = (req.url ?? '/').split('?')[0]!
    const pathname = rawPath.startsWith('/cloud/v5/') ? rawPath : decodeURI(rawPath)
    const route = routeOf(method, pathname)
    const { authorization, ...headers } = req.headers
    const record = (status: number) => requests.push({ method, path: pathname, route, status, headers })
    const reply = (status: number, json: Json, extra: Record<string, string> = {}) => {
      record(status)
      send(res, status, json, extra)
    }
    if (!route) {
      violate(req, 'unknown-route', `no such endpoint: ${method} ${pathname}`)
      return reply(404, { error: { code: 'not_found', message: 'Not found' } })
    }

    // Authentication: k6 sends `Token <t>` (cloudapi/client.go); the REST API takes `Bearer <t>`.
    const k6Route = !route.startsWith('test-run') && route !== 'aggregate'
    const scheme = k6Route ? 'Token' : 'Bearer'
    const given = /^(\w+) (.+)$/.exec(String(authorization ?? ''))
    if (!given || given[1] !== scheme) {
      violate(req, 'auth', `expected Authorization: ${scheme} <token>, got ${given ? `${given[1]} …` : 'none'}`)
      return reply(401, errorBody(route, 401, 'Authentication credentials were not provided.'))
    }
    if (given[2] !== opts.token) return reply(401, errorBody(route, 401, 'Invalid token.'))
    if (k6Route && !String(req.headers['user-agent'] ?? '').startsWith('k6cloud/'))
      violate(req, 'header', `k6 sends User-Agent k6cloud/<version>, got ${String(req.headers['user-agent'])}`)
    if (k6Route && method === 'POST' && route !== 'metrics-push' && !req.headers['k6-idempotency-key'])
      violate(req, 'header', 'k6 sends K6-Idempotency-Key on POST')
    if (req.headers['x-stack-id'] !== undefined && req.headers['x-stack-id'] !== opts.stackId)
      return reply(403, errorBody(route, 403, `You do not have access to stack ${String(req.headers['x-stack-id'])}.`))

    const fault = faults.find((f) => f.route === route && f.left > 0)
    if (fault) {
      fault.left--
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
      if (fault.status !== undefined) {
        return reply(
          fault.status,
          errorBody(route, fault.status, fault.message ?? `Injected ${fault.status}`),
          fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
        )
      }
    }

    switch (route) {
      case 'validate-options': {
        const parsed = parseJson(body)
        if (!parsed || typeof parsed !== 'object' || !('options' in parsed)) violate(req, 'body', 'validate-options takes {"options": …}')
        return reply(200, {})
      }
      case 'archive-upload':
      case 'create-test': {
        const multipart = /^multipart\/form-data; boundary=(.+)$/.exec(String(req.headers['content-type'] ?? ''))
        const fields: Record<string, string> = {}
        let archive: Buffer | undefined
        if (multipart) {
          for (const part of parseMultipart(body, multipart[1]!)) {
            if (part.name === 'file') archive = part.data
            else fields[part.name] = part.data.toString('utf8')
          }
        } else if (route === 'create-test') {
          const parsed = parseJson(body) as Record<string, unknown> | undefined
          for (const [k, v] of Object.entries(parsed ?? {})) fields[k] = typeof v === 'string' ? v : JSON.stringify(v)
        }
        if (route === 'archive-upload' && (!archive || !fields.name)) {
          violate(req, 'body', 'archive-upload takes a multipart form with name and file')
          return reply(400, errorBody(route, 400, 'name and file are required'))
        }
        const id = nextId++
        const run: CloudTestRunState = {
          id,
          name: fields.name ?? '',
          projectId: Number(fields.project_id ?? 0),
          mode: route === 'archive-upload' ? 'cloud' : 'local',
          created: new Date().toISOString(),
          ended: null,
          runStatus: route === 'archive-upload' ? 0 : 2,
          resultStatus: 0,
          status: route === 'archive-upload' ? 'queued' : 'running',
          result: null,
          resultMessage: null,
          totals: new Map(),
          pushes: 0,
          archiveFields: fields,
          distribution: [],
          executionSeconds: 0,
        }
        runs.set(id, run)
        if (route === 'archive-upload') {
          const file = path.join(opts.workDir, `archive-${id}.tar`)
          writeFileSync(file, archive!)
          run.distribution = archiveDistribution(archive!)
          playLoadZones(run, file)
        }
        return reply(200, { reference_id: String(id), config: { testRunDetails: `https://perf-xi-test.grafana.net/a/k6-app/runs/${id}` }, logs: [] })
      }
      case 'test-progress': {
        const run = runs.get(Number(pathname.split('/').at(-1)))
        if (!run) return reply(404, errorBody(route, 404, 'Test run not found'))
        return reply(200, {
          run_status: run.runStatus,
          run_status_text: RUN_STATUS_TEXT[run.runStatus] ?? 'Unknown',
          result_status: run.resultStatus,
          progress: run.runStatus >= 3 ? 1 : 0.5,
        })
      }
      case 'metrics-push': {
        const run = runs.get(Number(pathname.split('/').at(-1)))
        if (!run) return reply(404, errorBody(route, 404, 'Test run not found'))
        if (req.headers['content-type'] !== 'application/x-protobuf' || req.headers['content-encoding'] !== 'snappy')
          violate(req, 'header', 'metrics are pushed as snappy-compressed application/x-protobuf')
        addPushedMetrics(run, decodeMetricSet(unsnappy(body)))
        run.pushes++
        return reply(200, undefined)
      }
      case 'finish-test': {
        const run = runs.get(Number(pathname.split('/').at(-1)))
        if (!run) return reply(404, errorBody(route, 404, 'Test run not found'))
        const parsed = parseJson(body) as { result_status?: number; run_status?: number } | undefined
        if (typeof parsed?.run_status !== 'number' || typeof parsed.result_status !== 'number')
          violate(req, 'body', 'finish takes result_status and run_status')
        run.runStatus = parsed?.run_status ?? 3
        run.resultStatus = parsed?.result_status ?? 0
        run.executionSeconds = Math.max(1, Math.round((Date.now() - Date.parse(run.created)) / 1000))
        processMetrics(run, run.runStatus === 3 || run.runStatus === 8 ? (run.resultStatus === 1 ? 'failed' : 'passed') : 'error')
        return reply(200, undefined)
      }
      case 'stop-test': {
        // k6 cloud run asks this on SIGINT; the load zones stop and the run ends aborted by the user.
        const run = runs.get(Number(pathname.split('/').at(-2)))
        if (!run) return reply(404, errorBody(route, 404, 'Test run not found'))
        run.stopRequested = true
        run.child?.kill('SIGINT')
        return reply(200, undefined)
      }
      case 'test-run':
        return testRunRoute(req, method, pathname, reply)
      case 'aggregate':
        return aggregateRoute(req, pathname, reply)
    }
  }

  function testRunRoute(req: IncomingMessage, method: string, pathname: string, reply: (status: number, json: Json) => void): void {
    const found = findOperation(method, pathname)
    if (!found) {
      violate(req, 'unknown-route', `not in Grafana's description: ${method} ${pathname}`)
      return reply(404, errorBody('test-run', 404, 'Not found'))
    }
    if (found.op.operationId !== 'test_runs_retrieve') {
      violate(req, 'unknown-route', `${found.op.operationId} is described but not simulated`)
      return reply(501, errorBody('test-run', 501, 'not simulated'))
    }
    const stack = req.headers['x-stack-id']
    if (stack === undefined || !/^\d+$/.test(String(stack))) {
      violate(req, 'header', 'X-Stack-Id (an integer) is required by the description')
      return reply(400, errorBody('test-run', 400, 'X-Stack-Id header is required.'))
    }
    const idParam = found.op.parameters?.find((p) => p.in === 'path' && p.name === 'id')
    const validId = validator(`${found.op.operationId}#id`, idParam?.schema ?? { type: 'integer' })
    const id = /^\d+$/.test(found.params.id!) ? Number(found.params.id) : found.params.id
    if (!validId(id)) {
      violate(req, 'path', `id ${found.params.id} does not match ${JSON.stringify(idParam?.schema)}`)
      return reply(400, errorBody('test-run', 400, 'Invalid id.'))
    }
    const run = runs.get(Number(id))
    if (!run) return reply(404, errorBody('test-run', 404, 'Not found.'))
    const answer = testRunModel(run)
    const check = validator('#/components/schemas/TestRunApiModel')
    if (!check(answer)) violate(req, 'response', `TestRunApiModel: ${JSON.stringify(check.errors)}`)
    return reply(200, answer)
  }

  function aggregateRoute(req: IncomingMessage, pathname: string, reply: (status: number, json: Json) => void): void {
    if (!/^\d+$/.test(String(req.headers['x-stack-id'] ?? ''))) {
      violate(req, 'header', 'X-Stack-Id (an integer) is required')
      return reply(400, errorBody('aggregate', 400, 'X-Stack-Id header is required.'))
    }
    const match = /^\/cloud\/v5\/test_runs\/(\d+)\/query_aggregate_k6\(query='([^']*)',metric='([^']*)'\)$/.exec(pathname)
    if (!match) {
      violate(req, 'path', `expected query_aggregate_k6(query='…',metric='…'), got ${pathname}`)
      return reply(400, errorBody('aggregate', 400, 'bad query'))
    }
    const run = runs.get(Number(match[1]))
    if (!run) return reply(404, errorBody('aggregate', 404, 'Test run not found'))
    const query = decodeURIComponent(match[2]!)
    const metric = decodeURIComponent(match[3]!)
    const q = /^(histogram_quantile\((0(?:\.\d+)?|1)\)|histogram_avg|increase|ratio)( by \(name\))?$/.exec(query)
    const allowed: Record<string, string[]> = { http_req_duration: ['histogram'], http_reqs: ['increase'], http_req_failed: ['ratio'] }
    const kind = q?.[1]!.startsWith('histogram') ? 'histogram' : q?.[1]
    if (!q || !allowed[metric]?.includes(kind!)) {
      violate(req, 'path', `unsupported query ${query} for metric ${metric}`)
      return reply(400, errorBody('aggregate', 400, `unsupported query ${query}`))
    }
    const at = Date.parse(run.ended ?? run.created) / 1000
    const value = (t: EndpointTotals): number | null => {
      if (kind === 'increase') return t.requests
      if (kind === 'ratio') return t.failedTotal > 0 ? t.failed / t.failedTotal : null
      if (t.durations.length === 0) return null
      if (q[1] === 'histogram_avg') return t.durations.reduce((a, b) => a + b, 0) / t.durations.length
      return k6Percentile(t.durations, Number(q[2]))
    }
    const series = q[3]
      ? [...run.totals.entries()].filter(([name]) => name !== '').map(([name, t]) => ({ metric: { name }, values: [[at, String(value(t))]] }))
      : run.totals.has('')
        ? [{ metric: {}, values: [[at, String(value(run.totals.get('')!))]] }]
        : []
    return reply(200, { status: 'success', data: { resultType: 'matrix', result: series.filter((s) => s.values[0]![1] !== 'null') } })
  }

  /** Grafana's load zones, played by the local k6: the uploaded archive runs here, its samples kept. */
  function playLoadZones(run: CloudTestRunState, archive: string): void {
    const samples = path.join(opts.workDir, `samples-${run.id}.json`)
    const summary = path.join(opts.workDir, `summary-${run.id}.json`)
    run.runStatus = 1
    run.status = 'initializing'
    const child = spawn(opts.k6Path, ['run', '--quiet', '--no-color', '--address', '', '--out', `json=${samples}`, '--summary-export', summary, archive], {
      cwd: opts.workDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: 'ignore',
    })
    children.add(child)
    run.child = child
    run.runStatus = 2
    run.status = 'running'
    const started = Date.now()
    child.on('exit', (code) => {
      children.delete(child)
      run.k6ExitCode = code
      run.executionSeconds = Math.max(1, Math.round((Date.now() - started) / 1000))
      try {
        run.summary = JSON.parse(readFileSync(summary, 'utf8')) as Record<string, unknown>
        readSamples(run, readFileSync(samples, 'utf8'))
      } catch {
        // The run failed before writing them: no figures.
      }
      if (run.stopRequested) {
        run.runStatus = 5 // aborted by the user
        run.resultStatus = 1
        processMetrics(run, 'error', 'The test run was aborted by the user.')
        return
      }
      if (opts.cloudOutcome === 'error') {
        run.runStatus = 6 // aborted by the system
        run.resultStatus = 1
        processMetrics(run, 'error', 'The test run was aborted: a load generator became unavailable.')
        return
      }
      run.runStatus = code === 99 ? 3 : code === 0 ? 3 : 7
      run.resultStatus = code === 0 ? 0 : 1
      processMetrics(run, code === 0 ? 'passed' : code === 99 ? 'failed' : 'error', code === 99 ? 'Thresholds were crossed.' : null)
    })
  }

  /** finished → processing_metrics → completed (or aborted), as the v6 API reports it. */
  function processMetrics(run: CloudTestRunState, result: string, message: string | null = null): void {
    run.ended = new Date().toISOString()
    run.status = 'processing_metrics'
    setTimeout(() => {
      run.status = result === 'error' && (run.runStatus === 6 || run.runStatus === 5) ? 'aborted' : 'completed'
      run.result = result
      run.resultMessage = message
    }, opts.processingMs ?? 1000).unref()
  }

  function testRunModel(run: CloudTestRunState): Record<string, unknown> {
    const entered = run.ended ?? run.created
    const status = { type: run.status, entered, extra: run.resultMessage ? { by_user: null, message: run.resultMessage, code: null } : null }
    return {
      id: run.id,
      test_id: 900 + run.id,
      project_id: run.projectId || 1,
      started_by: null,
      created: run.created,
      ended: run.status === 'completed' || run.status === 'aborted' ? run.ended : null,
      note: '',
      retention_expiry: null,
      cost: null,
      status: run.status,
      status_details: status,
      status_history: [{ type: 'created', entered: run.created, extra: null }, status],
      distribution: run.distribution,
      result: run.result,
      result_details: run.result ? { type: run.result, message: run.resultMessage, code: null } : null,
      options: null,
      k6_dependencies: {},
      k6_versions: {},
      max_vus: null,
      max_browser_vus: null,
      estimated_duration: null,
      execution_duration: run.executionSeconds,
      is_starred: false,
    }
  }

  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    runs,
    requests,
    violations,
    inject: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    seed: (partial) => {
      const id = nextId++
      const now = new Date().toISOString()
      const run: CloudTestRunState = {
        id,
        name: 'seeded',
        projectId: 7,
        mode: 'cloud',
        created: now,
        ended: now,
        runStatus: 3,
        resultStatus: 0,
        status: 'completed',
        result: 'passed',
        resultMessage: null,
        totals: new Map(),
        pushes: 0,
        distribution: [],
        executionSeconds: 10,
        ...partial,
      }
      runs.set(id, { ...run, id })
      return runs.get(id)!
    },
    env: (projectId = 7) => ({ K6_CLOUD_HOST: url, K6_CLOUD_TOKEN: opts.token, K6_CLOUD_STACK_ID: opts.stackId, K6_CLOUD_PROJECT_ID: String(projectId) }),
    close: async () => {
      for (const child of children) child.kill('SIGKILL')
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const RUN_STATUS_TEXT: Record<number, string> = {
  [-2]: 'Created',
  [-1]: 'Validated',
  0: 'Queued',
  1: 'Initializing',
  2: 'Running',
  3: 'Finished',
  4: 'Timed out',
  5: 'Aborted by user',
  6: 'Aborted by system',
  7: 'Aborted (script error)',
  8: 'Aborted (threshold)',
  9: 'Aborted (limit)',
}

function totalsOf(run: CloudTestRunState, name: string): EndpointTotals {
  let t = run.totals.get(name)
  if (!t) run.totals.set(name, (t = { requests: 0, failed: 0, failedTotal: 0, durations: [], durationCount: 0 }))
  return t
}

/** k6's JSON output (one sample a line) folded per `name` tag and for the run. */
function readSamples(run: CloudTestRunState, text: string): void {
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"metric":"http_req') && !line.startsWith('{"type":"Point","metric":"http_req')) continue
    const sample = JSON.parse(line) as { type: string; metric: string; data: { value: number; tags?: Record<string, string> } }
    if (sample.type !== 'Point') continue
    for (const t of [totalsOf(run, ''), totalsOf(run, sample.data.tags?.name ?? '(none)')]) {
      if (sample.metric === 'http_reqs') t.requests += sample.data.value
      else if (sample.metric === 'http_req_failed') {
        t.failedTotal++
        if (sample.data.value !== 0) t.failed++
      } else if (sample.metric === 'http_req_duration') {
        t.durations.push(sample.data.value)
        t.durationCount++
      }
    }
  }
}

/** k6's percentile (lib/metrics TrendSink.P): linear interpolation between the closest ranks. */
export function k6Percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 1) return sorted[0]!
  const i = p * (sorted.length - 1)
  const lo = sorted[Math.floor(i)]!
  const hi = sorted[Math.ceil(i)]!
  return lo + (hi - lo) * (i - Math.floor(i))
}

// ---- k6's metrics push: protobuf (output/cloud/expv2/pbcloud/metric.proto), snappy block format ----

type Fields = Map<number, Array<bigint | Buffer | number>>

/** A protobuf message's fields by number: varints as bigint, length-delimited as Buffer, fixed64 as double. */
function decodeMessage(buf: Buffer): Fields {
  const fields: Fields = new Map()
  let pos = 0
  const varint = (): bigint => {
    let result = 0n
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[pos++]!
      result |= BigInt(b & 0x7f) << shift
      if (b < 0x80) return result
    }
  }
  while (pos < buf.length) {
    const key = Number(varint())
    const field = key >> 3
    const wire = key & 7
    let value: bigint | Buffer | number
    if (wire === 0) value = varint()
    else if (wire === 1) {
      value = buf.readDoubleLE(pos)
      pos += 8
    } else if (wire === 2) {
      const len = Number(varint())
      value = buf.subarray(pos, pos + len)
      pos += len
    } else if (wire === 5) {
      value = buf.readFloatLE(pos)
      pos += 4
    } else throw new Error(`unsupported wire type ${wire}`)
    fields.set(field, [...(fields.get(field) ?? []), value])
  }
  return fields
}

interface PushedSeries {
  metric: string
  labels: Record<string, string>
  counter: number
  rateNonZero: number
  rateTotal: number
  trendCount: number
}

export function decodeMetricSet(buf: Buffer): PushedSeries[] {
  const out: PushedSeries[] = []
  const num = (v: bigint | Buffer | number | undefined) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0)
  for (const metricBuf of decodeMessage(buf).get(3) ?? []) {
    const metric = decodeMessage(metricBuf as Buffer)
    const name = (metric.get(1)?.[0] as Buffer | undefined)?.toString('utf8') ?? ''
    for (const seriesBuf of metric.get(3) ?? []) {
      const series = decodeMessage(seriesBuf as Buffer)
      const labels: Record<string, string> = {}
      for (const labelBuf of series.get(1) ?? []) {
        const label = decodeMessage(labelBuf as Buffer)
        labels[(label.get(1)?.[0] as Buffer).toString('utf8')] = (label.get(2)?.[0] as Buffer | undefined)?.toString('utf8') ?? ''
      }
      const s: PushedSeries = { metric: name, labels, counter: 0, rateNonZero: 0, rateTotal: 0, trendCount: 0 }
      for (const samples of series.get(2) ?? [])
        for (const v of decodeMessage(samples as Buffer).get(1) ?? []) s.counter += num(decodeMessage(v as Buffer).get(2)?.[0])
      for (const samples of series.get(4) ?? [])
        for (const v of decodeMessage(samples as Buffer).get(1) ?? []) {
          const value = decodeMessage(v as Buffer)
          s.rateNonZero += num(value.get(2)?.[0])
          s.rateTotal += num(value.get(3)?.[0])
        }
      for (const samples of series.get(5) ?? [])
        for (const v of decodeMessage(samples as Buffer).get(1) ?? []) s.trendCount += num(decodeMessage(v as Buffer).get(6)?.[0])
      out.push(s)
    }
  }
  return out
}

function addPushedMetrics(run: CloudTestRunState, series: PushedSeries[]): void {
  for (const s of series) {
    for (const t of [totalsOf(run, ''), totalsOf(run, s.labels.name ?? '(none)')]) {
      if (s.metric === 'http_reqs') t.requests += s.counter
      if (s.metric === 'http_req_failed') {
        t.failed += s.rateNonZero
        t.failedTotal += s.rateTotal
      }
      if (s.metric === 'http_req_duration') t.durationCount += s.trendCount
    }
  }
}

/** The load zones of an archive's options.cloud (its metadata.json; a tar file: 512-byte headers, then the data padded to 512). */
function archiveDistribution(tar: Buffer): Array<{ load_zone: string; percent: number }> {
  for (let pos = 0; pos + 512 <= tar.length;) {
    const name = tar
      .subarray(pos, pos + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '')
    if (name === '') break
    const size = parseInt(
      tar
        .subarray(pos + 124, pos + 136)
        .toString('utf8')
        .replace(/\0.*$/s, '')
        .trim() || '0',
      8,
    )
    if (name === 'metadata.json') {
      const meta = JSON.parse(tar.subarray(pos + 512, pos + 512 + size).toString('utf8')) as {
        options?: { cloud?: { distribution?: Record<string, { loadZone: string; percent: number }> } }
      }
      return Object.values(meta.options?.cloud?.distribution ?? {}).map((d) => ({ load_zone: d.loadZone, percent: d.percent }))
    }
    pos += 512 + Math.ceil(size / 512) * 512
  }
  return []
}

function parseJson(body: Buffer): Json | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as Json
  } catch {
    return undefined
  }
}

function parseMultipart(body: Buffer, boundary: string): Array<{ name: string; data: Buffer }> {
  const parts: Array<{ name: string; data: Buffer }> = []
  const delimiter = Buffer.from(`--${boundary}`)
  let start = body.indexOf(delimiter)
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length)
    if (next === -1) break
    const part = body.subarray(start + delimiter.length + 2, next - 2)
    const headerEnd = part.indexOf('\r\n\r\n')
    const head = part.subarray(0, headerEnd).toString('utf8')
    const name = /name="([^"]+)"/.exec(head)?.[1]
    if (name) parts.push({ name, data: part.subarray(headerEnd + 4) })
    start = next
  }
  return parts
}
