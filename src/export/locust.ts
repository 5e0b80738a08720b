/**
 * Export: TestPlan → a Locust locustfile (Python), rendered from templates/locustfile.py.hbs: the same
 * test as the k6 script (src/script/k6.ts) in Locust's terms. One FastHttpUser class per k6 scenario
 * (weight = its peak users), one `@task(weight)` per planned endpoint, requests built once at import,
 * success by the statuses the spec declares, auth from os.environ, the load as a LoadTestShape
 * (open model: paced users, load-shape.ts), think time as `wait_time`, the SLOs checked at exit.
 * Deterministic; every value reaches the Python through a helper that writes it as a literal or a
 * comment. How each part maps, and why: docs/export.md ("src/export/locust.ts").
 */
import type { LatencyLimit } from '../slo-config.js'
import { authView, type ScriptMeta } from '../script/k6.js'
import { describeExecutor } from '../plan/profiles.js'
import { identifierHelper, templateRenderer } from '../script/templates.js'
import { declaresRedirect } from '../spec/model.js'
import type { ClosedExecutor, ExportLoad } from './load-shape.js'
import { pythonComment, pythonIdentifier, pythonString, pythonValue } from './escape.js'
import { exportOperations, exportScenarios, seconds, type ExportOperation } from './operations.js'
import type { TestPlan } from '../plan/plan.js'

/** Names a task method must not take: attributes and methods Locust's User classes define. */
const USER_ATTRIBUTES = new Set(
  ('abstract client context environment fixed_count greenlet host json on_start on_stop run start stop tasks ' + 'wait wait_time weight send').split(' '),
)

/** Module-level names of the locustfile (lower-cased), which an operation's constant must not take. */
const MODULE_NAMES = new Set(
  (
    'base_url require_env auth_headers auth_query auth_cookie operation start_users stages spawn_rate profile_shape ' +
    'slos measure check_slos base64 json logging os quote urlsplit origin_of fast_http_user load_test_shape constant ' +
    'constant_throughput events task standard_user critical_user data_intensive_user fast_request unlabelled_body ' +
    'unlabelled_body_request'
  ).split(' '),
)

/** Percentiles Locust can report for each latency SLO, as fractions. */
const PERCENTILE: Record<Exclude<LatencyLimit, 'max'>, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 }

export function renderLocustfile(plan: TestPlan, meta: ScriptMeta): string {
  return renderTemplate(locustView(plan, meta))
}

/** Class names of the categories' users (CamelCase, so no module constant can take one). */
const USER_CLASSES = { standard: 'StandardUser', critical: 'CriticalUser', 'data-intensive': 'DataIntensiveUser' } as const

function locustView(plan: TestPlan, meta: ScriptMeta) {
  const auth = authView(plan)
  const methods = new Set<string>()
  const constants = new Set<string>()
  const operations = exportOperations(plan).map((op) => {
    const method = pythonIdentifier(op.operationId ?? `${op.method.toLowerCase()} ${op.pathTemplate}`, methods, USER_ATTRIBUTES)
    const constant = pythonIdentifier(method, constants, MODULE_NAMES).toUpperCase()
    return { ...operationView(op, auth), method, constant }
  })
  const scenarios = exportScenarios(plan)
  const open = scenarios.some((s) => s.load.perUserRate !== undefined)
  return {
    title: meta.title,
    source: meta.source,
    profile: plan.profile,
    baseUrl: plan.baseUrl,
    auth,
    operations,
    usesJson: operations.some((op) => op.isJsonBody),
    usesUnlabelledBody: operations.some((op) => op.unlabelledBody),
    usesOrigin: operations.some((op) => op.fromOrigin),
    usesRedirectAnswers: operations.some((op) => op.answersWithRedirect),
    userClasses: scenarios.map(({ scenario, operations: ops, load }) => ({
      name: USER_CLASSES[scenario.category],
      category: scenario.category,
      description: `${ops.length} endpoint${ops.length === 1 ? '' : 's'}, ${Number((scenario.share * 100).toFixed(1))}% of the load: ${load.description}`,
      weight: peakUsers(load.users),
      perUserRate: load.perUserRate,
      thinkTimeSeconds: seconds(scenario.thinkTimeMs),
      tasks: scenario.endpoints.map((i) => operations[i]!),
    })),
    open,
    shape: shapeView(
      plan,
      scenarios.map((s) => s.load),
    ),
    slos: operations.filter((op) => op.slos.length > 0),
  }
}

function peakUsers(users: ClosedExecutor): number {
  return users.type === 'constant-vus' ? users.vus : Math.max(users.startVus, ...users.stages.map((s) => s.target))
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
    // Locust sends a path after its host, and a full URL as it is.
    path: op.server.kind === 'absolute' ? op.server.url + op.path : op.server.prefix + op.path,
    fromOrigin: op.server.kind === 'base-origin',
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
    // No Content-Type goes with it (the spec declares no media type): geventhttpclient would add one.
    unlabelledBody: op.body !== undefined && !op.hasContentType,
    weight: op.weight,
    ok: op.successStatuses.length > 0 ? { statuses: op.successStatuses } : undefined,
    answersWithRedirect: declaresRedirect(op.successStatuses),
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

/**
 * The LoadTestShape: the scenarios' users added up. They share the profile's stage durations, so
 * the sum is stage by stage; in the closed model it is the profile's own VUs.
 */
function shapeView(plan: TestPlan, loads: readonly ExportLoad[]) {
  const description =
    loads.length === 1
      ? loads[0]!.description
      : `${describeExecutor(plan.executor)} (k6 ${plan.executor.type}) as the users of ${loads.length} classes added up`
  const users = loads.map((l) => l.users)
  const first = users[0]!
  const sum = (pick: (u: ClosedExecutor) => number) => users.reduce((total, u) => total + pick(u), 0)
  if (first.type === 'constant-vus') {
    const total = sum((u) => (u.type === 'constant-vus' ? u.vus : 0))
    return { description, startUsers: total, stages: [{ seconds: seconds(first.durationMs), users: total }], spawnRate: Math.max(1, total) }
  }
  const ramps = users as Array<Extract<ClosedExecutor, { type: 'ramping-vus' }>>
  const startUsers = ramps.reduce((total, u) => total + u.startVus, 0)
  const stages = first.stages.map((stage, i) => ({ seconds: seconds(stage.durationMs), users: ramps.reduce((total, u) => total + u.stages[i]!.target, 0) }))
  const peak = Math.max(startUsers, ...stages.map((s) => s.users))
  // Each tick moves straight to the count k6 would have at that second.
  return { description, startUsers, stages, spawnRate: Math.max(1, peak) }
}

const renderTemplate = templateRenderer('locustfile.py.hbs', {
  // A Python string literal; numbers as numbers; any other JSON value as a Python literal.
  py: (value, ...rest) => {
    const depth = typeof rest[0] === 'number' ? rest[0] : 0
    return typeof value === 'string' ? pythonString(value) : pythonValue(value, 4, depth)
  },
  comment: (value) => pythonComment(String(value ?? '')),
  ident: identifierHelper(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Python'),
})
