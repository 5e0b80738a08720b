/**
 * Export: TestPlan → an Apache JMeter 5.x test plan (.jmx), rendered from templates/jmeter.jmx.hbs.
 * Standard elements only (no plugins), so it runs on a plain JMeter installation.
 *
 * How the k6 script's parts map:
 *  - each k6 scenario (one per endpoint category) is a Test Fragment with its category's
 *    operations, and Thread Groups with its share of the threads that run the fragment through a
 *    Module Controller;
 *  - each operation is one HTTP Request sampler named by its endpoint key ("GET /products/{id}");
 *    a thread sends its category's operations in turn, each as many times in a row as its weight
 *    (Loop Controller), so every operation gets its planned share of its category's requests, as
 *    in k6's script;
 *  - path, query, headers and cookies (HTTP Header Manager), raw bodies with their Content-Type;
 *    a request that goes without a Content-Type (a body the spec declares no media type for, or a
 *    POST, PUT, PATCH or DELETE without a body) is sent from a file with no MIME type instead,
 *    the only way HttpClient 4 sends one without that header (see bodyFiles); the files are
 *    written into the temporary directory when the test starts, by the Test Plan's variables;
 *  - success: a Response Assertion on the status codes the spec declares (any 2xx/3xx when none);
 *  - the load profile: standard Thread Groups with delay, ramp-up and duration
 *    (see thread-groups.ts: constant VUs are one group, k6 stages become layers of groups); the
 *    open model (arrival rates) as paced threads, a Constant Throughput Timer each (load-shape.ts);
 *  - each category's think time: a Constant Timer in its fragment, before each request (k6 sleeps
 *    after it);
 *  - auth: read from environment variables when the test starts, through `${__groovy(System.getenv(...))}`
 *    in the Test Plan's variables, never written into the file nor passed on the command line; a
 *    setUp Thread Group stops the test at once when one is missing;
 *  - the base URL: `-Jperfxi.base_url=URL`, else the PERF_XI_BASE_URL environment variable, else the
 *    plan's URL; operations whose servers hang off the host go to its scheme://host[:port]
 *    (BASE_ORIGIN, worked out from the same sources), an operation on a server of its own to that URL;
 *  - SLOs have no standard JMeter element (a Duration Assertion judges single samples, not
 *    percentiles): they are listed in the Test Plan's comments and judged from the results file.
 * Deterministic, and every value is escaped twice: for JMeter's `${...}` evaluation, then for XML.
 */
import type { ScriptMeta } from '../script/k6.js'
import { authEnvNames } from '../script/k6.js'
import { templateRenderer, type TemplateHelper } from '../script/templates.js'
import { declaresRedirect } from '../spec/model.js'
import { javaHashCode, jmeterText, jmeterValue, xmlAttribute, xmlText, type JmeterPart } from './escape.js'
import { exportOperations, exportScenarios, type ExportOperation, type ExportPlan, type ExportScenario } from './operations.js'
import { describeExecutor } from '../plan/profiles.js'
import { threadGroupsFor } from './thread-groups.js'

/** The JMeter release the plans are written for and tested with. */
export const JMETER_VERSION = '5.6.3'

/** The property that overrides the base URL: `jmeter -Jperfxi.base_url=http://host:8080`. */
export const BASE_URL_PROPERTY = 'perfxi.base_url'

/** Names of the Test Fragments that hold each category's requests (the Module Controllers point at them). */
const FRAGMENT_NAME = 'Perf-Xi operations'
const TEST_PLAN_NAME = 'Perf-Xi load test'

export function renderJmeterPlan(plan: ExportPlan, meta: ScriptMeta): string {
  return renderTestPlan(jmeterView(plan, meta))
}

function jmeterView(plan: ExportPlan, meta: ScriptMeta) {
  const auth = authView(plan)
  const operations = exportOperations(plan)
  const scenarios = exportScenarios(plan)
  const usesOrigin = operations.some((op) => op.server.kind === 'base-origin')
  const files = bodyFiles(operations)
  return {
    jmeterVersion: JMETER_VERSION,
    testPlanName: TEST_PLAN_NAME,
    comments: jmeterText(planComments(plan, meta, operations, scenarios)),
    variables: [
      { name: 'BASE_URL', value: jmeterValue(baseUrlExpression(plan.baseUrl)) },
      ...(usesOrigin ? [{ name: 'BASE_ORIGIN', value: jmeterValue(baseOriginExpression(plan.baseUrl)) }] : []),
      ...auth.variables,
      ...files.variables,
    ],
    envCheck: auth.envNames.length > 0 ? { script: envCheckScript(auth.envNames) } : undefined,
    scenarios: scenarios.map((s) => scenarioView(s, auth, files.variableFor)),
  }
}

/** One category: its fragment of operations with its timer, and its Thread Groups. */
function scenarioView({ scenario, operations, load }: ExportScenario, auth: AuthView, bodyFile: BodyFileLookup) {
  const fragmentName = `${FRAGMENT_NAME}: ${scenario.category}`
  const groups = threadGroupsFor(load.users)
  return {
    fragmentName,
    threadGroups: groups.map((g, i) => ({
      name:
        groups.length === 1
          ? `${scenario.category}: ${users(g.threads)} for ${g.durationSeconds} s`
          : `${scenario.category}, layer ${i + 1}: ${users(g.threads)}, starting from ${g.delaySeconds} s over ${g.rampSeconds} s, until ${g.delaySeconds + g.durationSeconds} s`,
      ...g,
    })),
    // The Module Controllers find the fragment by name: the tree's root, the Test Plan, the fragment.
    modulePath: ['Test Plan', TEST_PLAN_NAME, fragmentName].map((value) => ({ key: String(javaHashCode(value)), value })),
    thinkTimeMs: load.model === 'closed' && scenario.thinkTimeMs > 0 ? Math.round(scenario.thinkTimeMs) : undefined,
    // Constant Throughput Timer, "this thread only": requests per minute for each thread.
    pacing:
      load.perUserRate !== undefined
        ? { perMinute: String(Number((load.perUserRate * 60).toPrecision(6))), label: `Pace: at most ${load.perUserRate} requests/s per thread` }
        : undefined,
    operations: operations.map((op) => operationView(op, auth, bodyFile(op))),
  }
}

function users(n: number): string {
  return n === 1 ? '1 user' : `${n} users`
}

function planComments(plan: ExportPlan, meta: ScriptMeta, operations: ExportOperation[], scenarios: readonly ExportScenario[]): string {
  const lines = [
    `Generated by Perf-Xi for ${meta.title} from ${meta.source}. Profile: ${plan.profile}: ${describeExecutor(plan.executor)} (k6 ${plan.executor.type}), shared by the endpoint categories:`,
    ...scenarios.map(
      ({ scenario, load }) =>
        `${scenario.category}: ${Number((scenario.share * 100).toFixed(1))}% of the load, ${load.description}; ` +
        `${scenario.thinkTimeMs > 0 ? `${scenario.thinkTimeMs} ms think time` : 'no think time'}.`,
    ),
    `Run: jmeter -n -t ${meta.scriptName} -l results.jtl [-J${BASE_URL_PROPERTY}=URL]; secrets come from the environment.`,
    'SLOs (judge them from the results file):',
    ...operations.map((op) => `${op.key}: ${sloText(op) || 'none'}`),
  ]
  return lines.join('\n')
}

function sloText(op: ExportOperation): string {
  const parts: string[] = []
  for (const name of ['p50', 'p90', 'p95', 'p99', 'max'] as const) {
    if (op.slo[name] !== undefined) parts.push(`${name} < ${op.slo[name]} ms`)
  }
  if (op.slo['error-rate'] !== undefined) parts.push(`errors < ${op.slo['error-rate']} %`)
  if (op.slo['min-rps'] !== undefined) parts.push(`at least ${op.slo['min-rps']} req/s`)
  return parts.join(', ')
}

/**
 * The base URL as the default of a Groovy expression. Characters that would need escaping in any
 * of the three layers it passes through (JMeter function argument, Groovy single-quoted string,
 * XML) are percent-encoded, which leaves the URL meaning the same.
 */
export function baseUrlExpression(baseUrl: string): JmeterPart[] {
  return [{ trusted: `\${__groovy(${baseUrlSource(baseUrl)})}` }]
}

/** The scheme://host[:port] of the base URL, from the same sources as BASE_URL. */
export function baseOriginExpression(baseUrl: string): JmeterPart[] {
  return [{ trusted: `\${__groovy(def u = new URL(${baseUrlSource(baseUrl)}); u.protocol + '://' + u.authority)}` }]
}

/** Groovy for the base URL: the property, else the environment, else the plan's (see baseUrlExpression). */
function baseUrlSource(baseUrl: string): string {
  const safe = Array.from(baseUrl)
    .map((ch) => (/^[A-Za-z0-9\-._~:/?#[\]@!&*+;=%]$/.test(ch) ? ch : Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')))
    .join('')
  return `props.getProperty('${BASE_URL_PROPERTY}') ?: System.getenv('PERF_XI_BASE_URL') ?: '${safe}'`
}

type AuthView = ReturnType<typeof authView>

/** `${__groovy(...)}` reading one environment variable ('' when unset; the setUp check stops the test first). */
function envExpression(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${JSON.stringify(name)}`)
  return `System.getenv('${name}') ?: ''`
}

function authView(plan: ExportPlan) {
  const auth = plan.auth
  const variables: Array<{ name: string; value: JmeterPart[] }> = []
  let header: { name: string; value: JmeterPart[] } | undefined
  let query: JmeterPart[] | undefined
  let cookie: JmeterPart[] | undefined
  switch (auth.type) {
    case 'none':
      break
    case 'bearer':
      variables.push({ name: 'PERFXI_AUTHORIZATION', value: ['Bearer ', { trusted: `\${__groovy(${envExpression(auth['token-env'])})}` }] })
      header = { name: 'Authorization', value: [{ variable: 'PERFXI_AUTHORIZATION' }] }
      break
    case 'basic': {
      const pair = `((${envExpression(auth['username-env'])}) + ':' + (${envExpression(auth['password-env'])})).getBytes('UTF-8').encodeBase64().toString()`
      variables.push({ name: 'PERFXI_AUTHORIZATION', value: ['Basic ', { trusted: `\${__groovy(${pair})}` }] })
      header = { name: 'Authorization', value: [{ variable: 'PERFXI_AUTHORIZATION' }] }
      break
    }
    case 'api-key':
      if (auth.in === 'query') {
        // Commas inside a function's argument are escaped for JMeter with a backslash.
        const encoded = `java.net.URLEncoder.encode(${envExpression(auth['value-env'])}\\, 'UTF-8').replace('+'\\, '%20')`
        variables.push({ name: 'PERFXI_AUTH_QUERY', value: [`${encodeURIComponent(auth.name)}=`, { trusted: `\${__groovy(${encoded})}` }] })
        query = [{ variable: 'PERFXI_AUTH_QUERY' }]
      } else {
        variables.push({ name: 'PERFXI_API_KEY', value: [{ trusted: `\${__groovy(${envExpression(auth['value-env'])})}` }] })
        header = { name: auth.name, value: [{ variable: 'PERFXI_API_KEY' }] }
      }
      break
    case 'cookie':
      variables.push({ name: 'PERFXI_AUTH_COOKIE', value: [`${auth.name}=`, { trusted: `\${__groovy(${envExpression(auth['value-env'])})}` }] })
      cookie = [{ variable: 'PERFXI_AUTH_COOKIE' }]
      break
  }
  return {
    envNames: authEnvNames(auth),
    variables: variables.map((v) => ({ name: v.name, value: jmeterValue(v.value) })),
    header,
    query,
    cookie,
  }
}

/**
 * Groovy for the setUp Thread Group: fails (and so stops the test) when a secret is missing,
 * otherwise marks its own sample ignored so it never reaches the results.
 */
function envCheckScript(names: string[]): string {
  for (const name of names) envExpression(name)
  return [
    `def missing = [${names.map((n) => `'${n}'`).join(', ')}].findAll { !System.getenv(it) };`,
    'if (missing) {',
    "def message = missing.join(' and ') + ' not set: pass it to JMeter through the environment';",
    'log.error(message); SampleResult.setSuccessful(false); SampleResult.setResponseCode(\'500\'); SampleResult.setResponseMessage(message)',
    '} else { SampleResult.setIgnore() }',
  ].join(' ')
}

/**
 * Methods HttpClient 4 sends with a request entity (JMeter's DELETE is one too): without a body
 * JMeter gives them an empty form, which HttpClient labels application/x-www-form-urlencoded.
 */
const ENTITY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The Test Plan variable holding the path of the file an operation's body is sent from, if it is. */
type BodyFileLookup = (op: ExportOperation) => string | undefined

/**
 * Requests that must go without a Content-Type header (ExportOperation.hasContentType), and the
 * files their bodies are sent from.
 *
 * HttpClient 4 adds the Content-Type of the request entity whenever the request has no such
 * header, and JMeter's entities all have one (Body Data: text/plain; charset=UTF-8; no body on a
 * POST, PUT, PATCH or DELETE: an empty URL-encoded form), except one: a single file with no
 * parameter name is sent as the whole body, and with no MIME type it has no Content-Type (nor
 * does JMeter add one, unless `http.post_add_content_type_if_missing=true`). The Java
 * implementation is no way out: HttpURLConnection labels every POST body a form, and has no PATCH.
 *
 * So those bodies are files: one Test Plan variable per distinct body, whose `__groovy` writes it
 * (base64, which needs no escaping in any layer) into a temporary file when the test starts,
 * deleted when JMeter exits, and holds that file's path. Variables evaluate once per test, as the
 * auth variables do.
 */
function bodyFiles(operations: readonly ExportOperation[]): { variables: Array<{ name: string; value: string; description: string }>; variableFor: BodyFileLookup } {
  const fromFile = (op: ExportOperation) => !op.hasContentType && (op.body !== undefined || ENTITY_METHODS.has(op.method))
  const files = new Map<string, { name: string; keys: string[] }>()
  let bodies = 0
  for (const op of operations.filter(fromFile)) {
    const text = op.body?.text ?? ''
    let file = files.get(text)
    if (!file) {
      file = { name: text === '' ? 'PERFXI_EMPTY_BODY' : `PERFXI_BODY_${++bodies}`, keys: [] }
      files.set(text, file)
    }
    file.keys.push(op.key)
  }
  return {
    variables: [...files].map(([text, file]) => ({
      name: file.name,
      value: jmeterValue([{ trusted: `\${__groovy(${bodyFileScript(text)})}` }]),
      description: jmeterText(`${text === '' ? 'The empty body' : 'The body'} of ${file.keys.join(', ')}: a temporary file, so that no Content-Type goes with it`),
    })),
    variableFor: (op) => (fromFile(op) ? files.get(op.body?.text ?? '')!.name : undefined),
  }
}

/** Groovy that writes `text` (UTF-8) into a new temporary file, deleted when JMeter exits, and returns its path. */
function bodyFileScript(text: string): string {
  const write = text === '' ? '' : ` f.bytes = '${Buffer.from(text, 'utf8').toString('base64')}'.decodeBase64();`
  // The comma between createTempFile's arguments is escaped for JMeter's function parser.
  return `def f = File.createTempFile('perf-xi-body-'\\, '.bin'); f.deleteOnExit();${write} f.absolutePath`
}

/** The sampler's comment on why its body comes from a file. */
function bodyFileNote(op: ExportOperation, variable: string): string {
  return op.body === undefined
    ? `Sent with no body and no Content-Type, from the empty file ${variable} (JMeter labels a ${op.method} without a body a form).`
    : `The spec declares no media type for this body: sent without a Content-Type, from the file ${variable} with no MIME type (JMeter labels Body Data text/plain).`
}

/** Where an operation's path goes: after BASE_URL, after BASE_ORIGIN, or after a server of its own. */
function urlStart(server: ExportOperation['server']): JmeterPart[] {
  switch (server.kind) {
    case 'base-url':
      return [{ variable: 'BASE_URL' }, server.prefix]
    case 'base-origin':
      return [{ variable: 'BASE_ORIGIN' }, server.prefix]
    case 'absolute':
      return [server.url]
  }
}

function operationView(op: ExportOperation, auth: AuthView, bodyFile: string | undefined) {
  const headers: Array<{ name: string; value: string }> = []
  if (op.authenticated && auth.header) headers.push({ name: jmeterText(auth.header.name), value: jmeterValue(auth.header.value) })
  for (const [name, value] of op.headers) headers.push({ name: jmeterText(name), value: jmeterText(value) })
  const cookieParts: JmeterPart[] = [op.cookies.map(([name, value]) => `${name}=${value}`).join('; ')]
  if (op.authenticated && auth.cookie) cookieParts.push(op.cookies.length > 0 ? '; ' : '', ...auth.cookie)
  const cookie = jmeterValue(cookieParts)
  if (cookie !== '') headers.push({ name: 'Cookie', value: cookie })
  const pathParts: JmeterPart[] = urlStart(op.server)
  pathParts.push(op.path)
  if (op.authenticated && auth.query) pathParts.push(op.path.includes('?') ? '&' : '?', ...auth.query)
  const statuses = op.successStatuses.map(String)
  const comment = [op.summary, bodyFile && bodyFileNote(op, bodyFile)].filter(Boolean).join('\n')
  return {
    name: jmeterText(op.key),
    comment: jmeterText(comment),
    method: jmeterText(op.method),
    path: jmeterValue(pathParts),
    bodyFile: bodyFile !== undefined ? jmeterValue([{ variable: bodyFile }]) : undefined,
    hasBody: bodyFile === undefined && op.body !== undefined,
    followRedirects: !declaresRedirect(op.successStatuses),
    body: bodyFile === undefined && op.body !== undefined ? jmeterText(op.body.text) : undefined,
    headers,
    weight: op.weight,
    repeat: op.weight > 1 ? { label: jmeterText(`${op.weight} times: ${op.key}`) } : undefined,
    // Equals (8) + Or (32) over the declared codes, or Matches (1) any 2xx/3xx.
    assertion:
      statuses.length > 0
        ? { testType: 40, strings: statuses.map((s) => ({ key: String(javaHashCode(s)), value: s })), label: `Status is ${statuses.join(' or ')}` }
        : { testType: 1, strings: [{ key: String(javaHashCode('[23][0-9][0-9]')), value: '[23][0-9][0-9]' }], label: 'Status is 2xx or 3xx' },
  }
}

/** Values the view already made safe for JMeter (or numbers), escaped for XML content or attributes. */
function xmlHelper(escape: (text: string) => string): TemplateHelper {
  return (value) => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`)
      return String(value)
    }
    if (typeof value !== 'string') throw new Error(`expected a string or a number, got ${typeof value}`)
    return escape(value)
  }
}

const renderTestPlan = templateRenderer('jmeter.jmx.hbs', { xml: xmlHelper(xmlText), attr: xmlHelper(xmlAttribute) })
