/**
 * Export: TestPlan → a Locust locustfile (Python), rendered from templates/locustfile.py.hbs.
 *
 * The same test as the k6 script (src/script/k6.ts), in Locust's terms:
 *  - each planned endpoint is one `@task(weight)` of one FastHttpUser class; Locust picks tasks at
 *    random in proportion to their weights (k6's script takes turns), so the shares are the same
 *    on average;
 *  - requests are built once at import: method, path and query, headers, cookies (one Cookie
 *    header), body (JSON bodies as Python data, serialised once with json.dumps);
 *  - `catch_response`: a response is a success when its status is one the spec declares
 *    (any 2xx/3xx when it declares none), else a failure;
 *  - auth from environment variables (os.environ), never written into the file; the file refuses
 *    to load when one is missing;
 *  - the load profile as a LoadTestShape (so `--users`, `--spawn-rate` and `--run-time` do not
 *    apply): constant VUs hold the user count, k6's linear stages are followed one second at a time;
 *    the open model (arrival rates) as paced users, see load-shape.ts;
 *  - think time as `wait_time = constant(seconds)` (open model: `constant_throughput(rate)` paces
 *    each user instead);
 *  - the SLOs as a check when Locust quits: the exit code is 1 when one is breached, else 0
 *    (Locust's percentiles are rounded to two significant digits).
 * Deterministic (same plan, same bytes), and every value reaches the Python through a helper that
 * writes it as a literal or a comment.
 */
import { readFileSync } from 'node:fs'
import Handlebars from 'handlebars'
import type { LatencyLimit } from '../config/schema.js'
import { authView, type ScriptMeta } from '../script/k6.js'
import { findTemplate } from '../script/templates.js'
import { exportLoad, type ExportLoad } from './load-shape.js'
import { pythonComment, pythonIdentifier, pythonString, pythonValue } from './escape.js'
import { exportOperations, seconds, type ExportOperation, type ExportPlan } from './operations.js'

/** Names a task method must not take: attributes and methods Locust's User classes define. */
const USER_ATTRIBUTES = new Set(
  (
    'abstract client context environment fixed_count greenlet host json on_start on_stop run start stop tasks ' +
    'wait wait_time weight send'
  ).split(' '),
)

/** Module-level names of the locustfile (lower-cased), which an operation's constant must not take. */
const MODULE_NAMES = new Set(
  (
    'base_url require_env auth_headers auth_query auth_cookie operation api_user start_users stages spawn_rate profile_shape ' +
    'slos measure check_slos base64 json logging os quote fast_http_user load_test_shape constant events task'
  ).split(' '),
)

/** Percentiles Locust can report for each latency SLO, as fractions. */
const PERCENTILE: Record<Exclude<LatencyLimit, 'max'>, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 }

export function renderLocustfile(plan: ExportPlan, meta: ScriptMeta): string {
  return compiledTemplate()(locustView(plan, meta))
}

function locustView(plan: ExportPlan, meta: ScriptMeta) {
  const auth = authView(plan)
  const load = exportLoad(plan.executor)
  const methods = new Set<string>()
  const constants = new Set<string>()
  const operations = exportOperations(plan).map((op) => {
    const method = pythonIdentifier(op.operationId ?? `${op.method.toLowerCase()} ${op.pathTemplate}`, methods, USER_ATTRIBUTES)
    const constant = pythonIdentifier(method, constants, MODULE_NAMES).toUpperCase()
    return { ...operationView(op, auth), method, constant }
  })
  return {
    title: meta.title,
    source: meta.source,
    profile: plan.profile,
    baseUrl: plan.baseUrl,
    auth,
    operations,
    usesJson: operations.some((op) => op.isJsonBody),
    thinkTimeSeconds: seconds(plan.thinkTimeMs),
    shape: shapeView(load),
    perUserRate: load.perUserRate,
    slos: operations.filter((op) => op.slos.length > 0),
  }
}

type AuthView = ReturnType<typeof authView>

function operationView(op: ExportOperation, auth: AuthView) {
  const authHeaders = op.authenticated && auth.hasHeaders
  const authCookie = op.authenticated && auth.cookie !== undefined
  const cookie = op.cookies.map(([name, value]) => `${name}=${value}`).join('; ')
  return {
    key: op.key,
    summary: op.summary,
    httpMethod: op.method,
    name: op.pathTemplate,
    path: op.path,
    authQueryJoin: op.authenticated && auth.apiKeyQuery ? (op.path.includes('?') ? '&' : '?') : undefined,
    authHeaders,
    headers: op.headers.map(([name, value]) => ({ name, value })),
    // Cookies travel in one Cookie header, as k6 sends its cookies object.
    cookie: cookie === '' ? undefined : cookie,
    authCookie,
    showHeaders: authHeaders || authCookie || op.headers.length > 0 || cookie !== '',
    isJsonBody: op.body?.json !== undefined,
    jsonBody: op.body?.json,
    isTextBody: op.body !== undefined && op.body.json === undefined,
    textBody: op.body?.text,
    weight: op.weight,
    ok: op.successStatuses.length > 0 ? { statuses: op.successStatuses } : undefined,
    slos: sloChecks(op),
  }
}

/** One Python tuple per SLO limit: (statistic, limit, text for the message). */
function sloChecks(op: ExportOperation): Array<{ stat: string; arg: number; limit: number; label: string }> {
  const checks: Array<{ stat: string; arg: number; limit: number; label: string }> = []
  for (const [name, fraction] of Object.entries(PERCENTILE) as Array<[keyof typeof PERCENTILE, number]>) {
    const limit = op.slo[name]
    if (limit !== undefined) checks.push({ stat: 'percentile', arg: fraction, limit, label: `${name} < ${limit} ms` })
  }
  if (op.slo.max !== undefined) checks.push({ stat: 'max', arg: 0, limit: op.slo.max, label: `max < ${op.slo.max} ms` })
  const errorRate = op.slo['error-rate']
  if (errorRate !== undefined) checks.push({ stat: 'error-rate', arg: 0, limit: errorRate, label: `errors < ${errorRate} %` })
  const minRps = op.slo['min-rps']
  if (minRps !== undefined) checks.push({ stat: 'min-rps', arg: 0, limit: minRps, label: `at least ${minRps} req/s` })
  return checks
}

function shapeView(load: ExportLoad) {
  const users = load.users
  if (users.type === 'constant-vus') {
    return {
      description: load.description,
      startUsers: users.vus,
      stages: [{ seconds: seconds(users.durationMs), users: users.vus }],
      spawnRate: Math.max(1, users.vus),
    }
  }
  const peak = Math.max(users.startVus, ...users.stages.map((s) => s.target))
  return {
    description: load.description,
    startUsers: users.startVus,
    stages: users.stages.map((s) => ({ seconds: seconds(s.durationMs), users: s.target })),
    // Each tick moves straight to the count k6 would have at that second.
    spawnRate: Math.max(1, peak),
  }
}

let template: Handlebars.TemplateDelegate | undefined
function compiledTemplate(): Handlebars.TemplateDelegate {
  if (template) return template
  const hbs = Handlebars.create()
  // A Python string literal; numbers as numbers; any other JSON value as a Python literal.
  hbs.registerHelper('py', (value: unknown, ...rest: unknown[]) => {
    const depth = typeof rest[0] === 'number' ? rest[0] : 0
    if (typeof value === 'string') return new hbs.SafeString(pythonString(value))
    return new hbs.SafeString(pythonValue(value, 4, depth))
  })
  hbs.registerHelper('comment', (value: unknown) => new hbs.SafeString(pythonComment(String(value ?? ''))))
  hbs.registerHelper('ident', (value: unknown) => {
    if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw new Error(`not a Python identifier: ${String(value)}`)
    return new hbs.SafeString(value)
  })
  template = hbs.compile(readFileSync(findTemplate('locustfile.py.hbs'), 'utf8'), { noEscape: true, strict: false })
  return template
}
