/**
 * The generated k6 script: pinned by golden files, deterministic, escaped, and accepted by real k6.
 * Regenerate the golden files after an intended change with UPDATE_GOLDEN=1.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { ensureK6 } from '../../src/k6/install.js'
import { loadDataset } from '../../src/plan/dataset.js'
import { DatasetConfigSchema } from '../../src/plan/dataset-config.js'
import { buildPlan, type TestPlan } from '../../src/plan/plan.js'
import type { PlannedEndpoint } from '../../src/plan/planned-endpoint.js'
import type { RequestBase } from '../../src/plan/servers.js'
import { hasPerEndpointThresholds, PER_ENDPOINT_THRESHOLDS_MAX, renderK6Script, scenarioAbortThresholds } from '../../src/script/k6.js'
import { findTemplate } from '../../src/script/templates.js'
import { loadSpec } from '../../src/spec/load.js'
import type { ApiSpec } from '../../src/spec/model.js'
import { syntheticSpec } from '../support/stub-api.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const golden = path.join(root, '__tests__', 'fixtures', 'golden')

async function scriptFor(specPath: string, inputs: RawInputs, mutate?: (spec: ApiSpec) => void): Promise<string> {
  const config = resolveConfig({ openapi: specPath, ...inputs }, { cwd: root })
  const spec = await loadSpec(config.openapi, { cwd: root })
  mutate?.(spec)
  return renderK6Script(buildPlan(config, spec), { title: `${spec.title} ${spec.version}`, source: config.openapi, scriptName: 'perf-xi-script.js' })
}

function expectGolden(name: string, script: string): void {
  const file = path.join(golden, name)
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, script)
  expect(script).toBe(readFileSync(file, 'utf8'))
}

const cases = [
  {
    name: 'sample-api.k6.js',
    spec: 'examples/sample-api/openapi.yaml',
    inputs: { config: 'examples/sample-api/perf-xi.yml', 'base-url': 'http://127.0.0.1:8080' },
  },
  {
    name: 'petstore-v2-load.k6.js',
    spec: '__tests__/fixtures/specs/petstore-2.0.yaml',
    inputs: { profile: 'load', vus: '20', duration: '5m', config: '__tests__/fixtures/golden/api-key-query.yml' },
  },
  {
    name: 'auth-query-key.k6.js',
    spec: '__tests__/fixtures/specs/auth-schemes-3.0.yaml',
    inputs: { config: '__tests__/fixtures/golden/api-key-query.yml' },
  },
  {
    name: 'petstore-v3-basic-auth.k6.js',
    spec: '__tests__/fixtures/specs/petstore-expanded-3.0.yaml',
    inputs: { config: '__tests__/fixtures/golden/basic-auth.yml', 'allow-writes': 'true' },
  },
  {
    name: 'auth-cookie.k6.js',
    spec: '__tests__/fixtures/specs/auth-schemes-3.0.yaml',
    inputs: { config: '__tests__/fixtures/golden/cookie-auth.yml' },
  },
  {
    name: 'auth-header-key.k6.js',
    spec: '__tests__/fixtures/specs/auth-schemes-3.0.yaml',
    inputs: { config: '__tests__/fixtures/golden/api-key-header.yml' },
  },
  {
    // Ids the spec gives no example of: harvested in setup() from GET /orders.
    name: 'orders-history.k6.js',
    spec: 'examples/sample-api/orders.openapi.yaml',
    inputs: { config: '__tests__/fixtures/golden/api-key-header.yml', 'base-url': 'http://127.0.0.1:8080' },
  },
] as const

describe('generated k6 scripts', () => {
  it.each(cases)('$name matches its golden file', async ({ name, spec, inputs }) => {
    expectGolden(name, await scriptFor(spec, inputs))
  })

  it('is the same bytes for the same input', async () => {
    const { spec, inputs } = cases[0]
    expect(await scriptFor(spec, inputs)).toBe(await scriptFor(spec, inputs))
  })

  it('never writes a secret: auth is read from __ENV', async () => {
    const script = await scriptFor(cases[0].spec, cases[0].inputs)
    expect(script).toContain('const AUTH_HEADERS = { Authorization: \'Bearer \' + requireEnv("SAMPLE_API_TOKEN") };')
  })

  it('keeps hostile spec text inside string literals', async () => {
    const script = await scriptFor(cases[0].spec, cases[0].inputs, (spec) => {
      const endpoint = spec.endpoints.find((e) => e.key === 'GET /products')!
      endpoint.summary = 'Lists products\u2028globalThis.pwned = true; // "quoted" </script>'
      endpoint.parameters = [...endpoint.parameters, { name: 'X-Trace', in: 'header', required: true, value: '"}; globalThis.pwned = true; ({"' }]
    })
    expect(script).not.toMatch(/^\s*globalThis\.pwned/m)
    expect(script).not.toContain('\u2028')
    expect(script).toContain('// GET /products: Lists products globalThis.pwned = true; // "quoted" </script>')
    expect(script).toContain('headers: { "X-Trace": "\\"}; globalThis.pwned = true; ({\\"" },')
  })

  it('has no template slot that bypasses the escaping helpers', () => {
    const template = readFileSync(findTemplate('k6-script.js.hbs'), 'utf8')
    const slots = [...template.matchAll(/\{\{\{?\s*([^}]*?)\s*\}?\}\}/g)].map((m) => m[1])
    const unescaped = slots.filter((slot) => !/^(json|jsonItems|ident|comment) /.test(slot) && !/^[#/]|^else$/.test(slot))
    expect(unescaped).toEqual([])
  })
})

describe("each operation's URL, by where its server puts it", () => {
  const SERVERS: Record<string, RequestBase> = {
    'GET /health': { kind: 'base-url', prefix: '/v1' },
    'GET /products': { kind: 'base-origin', prefix: '/v2' },
    'GET /products/{id}': { kind: 'base-origin', prefix: '' },
    'GET /search': { kind: 'absolute', url: 'https://search.example.com/v3' },
  }

  async function planWithServers(): Promise<TestPlan> {
    const config = resolveConfig({ openapi: cases[0].spec, ...cases[0].inputs }, { cwd: root })
    const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
    const endpoints: PlannedEndpoint[] = plan.endpoints.map((planned) => ({ ...planned, server: SERVERS[planned.endpoint.key] ?? planned.server }))
    return { ...plan, endpoints }
  }

  it('writes the base URL + prefix, the base URL origin + prefix, or the server URL, before the path', async () => {
    const script = renderK6Script(await planWithServers(), { title: 'Sample', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' })
    // The origin is worked out in the script, so PERF_XI_BASE_URL moves these operations too.
    expect(script).toContain("const BASE_ORIGIN = BASE_URL.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\\/\\/[^/?#]*).*$/, '$1');")
    expect(script).toContain('  url: BASE_URL + "/v1/health",')
    expect(script).toContain('  url: BASE_URL + "/account",')
    expect(script).toContain('  url: BASE_ORIGIN + "/v2/products?limit=20&offset=0",')
    expect(script).toContain('  url: BASE_ORIGIN + "/products/42",')
    expect(script).toContain('  url: "https://search.example.com/v3/search?q=lamp&category=home",')
  })

  it('computes the origin the way a URL parser does, for any base URL', async () => {
    const script = renderK6Script(await planWithServers(), { title: 'Sample', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' })
    const line = script.split('\n').find((l) => l.startsWith('const BASE_ORIGIN'))!
    const originOf = new Function('BASE_URL', `${line} return BASE_ORIGIN;`) as (url: string) => string
    for (const url of [
      'http://127.0.0.1:8080',
      'http://127.0.0.1:8080/api/v1',
      'https://api.example.com/v1?x=1',
      'https://api.example.com#top',
      'HTTP://Host:9/a/b/',
    ]) {
      expect({ url, origin: new URL(originOf(url)).origin }).toEqual({ url, origin: new URL(url).origin })
    }
    expect(originOf('http://127.0.0.1:8080/api/v1')).toBe('http://127.0.0.1:8080')
  })

  it('keeps the start of the URL when a dataset fills the path', async () => {
    const plan = await planWithServers()
    const binding = loadDataset(
      DatasetConfigSchema.parse({ file: '__tests__/fixtures/datasets/products.csv', map: { id: 'product_id', productId: 'product_id' } }),
      plan.endpoints,
      { cwd: root },
    )
    const script = renderK6Script(plan, { title: 'Sample', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' }, binding)
    expect(script).toContain('    return BASE_ORIGIN + "/products/" + row[3];')
    expect(script).toContain('    return "https://search.example.com/v3" + "/search?q=" + row[4] + "&category=home";')
  })

  it('writes no BASE_ORIGIN when no operation needs it', async () => {
    expect(await scriptFor(cases[0].spec, cases[0].inputs)).not.toContain('BASE_ORIGIN')
  })
})

describe('real k6 accepts every generated script', () => {
  it.each(cases)(
    'k6 inspect $name',
    async ({ name }) => {
      const k6 = await ensureK6()
      const dir = tempDir('perf-xi-inspect-')
      const script = path.join(dir, name)
      writeFileSync(script, readFileSync(path.join(golden, name), 'utf8'))
      // k6 inspect does not pass the process environment to the script; -e does.
      const vars = ['SAMPLE_API_TOKEN=x', 'SAMPLE_API_KEY=k', 'PETSTORE_KEY=x', 'PETSTORE_USER=u', 'PETSTORE_PASSWORD=p', 'PETSTORE_SESSION=s'].flatMap((v) => [
        '-e',
        v,
      ])
      const env = { PATH: process.env.PATH, K6_NO_USAGE_REPORT: 'true' }
      const inspected = JSON.parse(execFileSync(k6.path, ['inspect', '--execution-requirements', ...vars, script], { env, encoding: 'utf8' }))
      expect(Object.keys(inspected.thresholds ?? inspected.options?.thresholds ?? {}).length).toBeGreaterThan(0)
    },
    300_000,
  )
})

describe('plans above the per-endpoint threshold cap', () => {
  /** A synthetic description of `count` GETs, with a config file of SLO rules, planned. */
  async function largePlan(count: number, configYaml: string, inputs: RawInputs = {}): Promise<TestPlan> {
    const dir = tempDir('perf-xi-large-script-')
    const specFile = path.join(dir, 'spec.json')
    writeFileSync(specFile, JSON.stringify(syntheticSpec(count)))
    writeFileSync(path.join(dir, 'perf-xi.yml'), configYaml)
    const config = resolveConfig({ openapi: specFile, config: path.join(dir, 'perf-xi.yml'), 'base-url': 'http://127.0.0.1:9', ...inputs }, { cwd: dir })
    return buildPlan(config, await loadSpec(config.openapi, { cwd: dir }))
  }
  const meta = { title: 'large', source: 'spec.json', scriptName: 'perf-xi-script.js' }

  it('keeps per-endpoint thresholds up to the cap, and none past it', async () => {
    const atCap = await largePlan(PER_ENDPOINT_THRESHOLDS_MAX, 'slos: { "*": { p95: 1s } }\n')
    expect(hasPerEndpointThresholds(atCap)).toBe(true)
    expect(renderK6Script(atCap, meta)).toContain('"http_req_duration{name:GET /resources/000}": ["p(95)<1000"],')

    const above = await largePlan(PER_ENDPOINT_THRESHOLDS_MAX + 1, 'slos: { "*": { p95: 1s } }\n')
    expect(hasPerEndpointThresholds(above)).toBe(false)
    const script = renderK6Script(above, meta)
    expect(script).not.toContain('{name:')
    expect(script).toContain(
      `// ${PER_ENDPOINT_THRESHOLDS_MAX + 1} endpoints: Perf-Xi reads their SLIs from k6's samples (--out json), not from per-endpoint thresholds.\n  thresholds: {\n  },`,
    )
  })

  it('stops a breakpoint run at the loosest SLO of a scenario, on limits every endpoint of it has, and k6 accepts it', async () => {
    const plan = await largePlan(
      300,
      ['slos:', '  "*": { p95: 1s, error-rate: 1% }', '  "GET /resources/007": { p95: 3s, p99: 5s, error-rate: 2% }', ''].join('\n'),
      { profile: 'breakpoint' },
    )
    expect(scenarioAbortThresholds(plan)).toEqual([
      { metric: 'http_req_duration{scenario:standard}', expressions: [{ threshold: 'p(95)<3000', abortOnFail: true, delayAbortEval: expect.any(String) }] },
      { metric: 'http_req_failed{scenario:standard}', expressions: [{ threshold: 'rate<0.02', abortOnFail: true, delayAbortEval: expect.any(String) }] },
    ])
    const dir = tempDir('perf-xi-large-inspect-')
    const script = path.join(dir, 'perf-xi-script.js')
    writeFileSync(script, renderK6Script(plan, meta))
    const k6 = await ensureK6()
    const inspected = JSON.parse(execFileSync(k6.path, ['inspect', script], { env: { PATH: process.env.PATH, K6_NO_USAGE_REPORT: 'true' }, encoding: 'utf8' }))
    expect(Object.keys(inspected.thresholds ?? inspected.options?.thresholds ?? {})).toEqual([
      'http_req_duration{scenario:standard}',
      'http_req_failed{scenario:standard}',
    ])
  }, 120_000)
})

describe('values harvested in setup()', () => {
  it('builds the URL per request only for the operation that uses them; the others stay hoisted', () => {
    const script = readFileSync(path.join(golden, 'orders-history.k6.js'), 'utf8')
    expect(script.match(/get url\(\)/g)).toHaveLength(1)
    expect(script).toContain('const listOrders = {\n  method: "GET",\n  url: BASE_URL + "/orders",')
    expect(script).toContain('export function setup() {')
    expect(script).toContain('export function critical(data) {\n  HARVESTED = data;')
    // Without harvested values the scenario functions take no data.
    expect(readFileSync(path.join(golden, 'sample-api.k6.js'), 'utf8')).not.toMatch(/setup|HARVESTED/)
  })

  it('still harvests in a plan narrowed to a few endpoints (a confirmation run): the collection is sent by setup() alone', async () => {
    const config = resolveConfig({ openapi: 'examples/sample-api/orders.openapi.yaml', 'base-url': 'http://127.0.0.1:8080' }, { cwd: root })
    const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
    const narrowed = { ...plan, endpoints: plan.endpoints.filter((p) => p.endpoint.key === 'GET /orders/{order_id}') }
    const script = renderK6Script(narrowed, { title: 'Orders', source: 'orders.openapi.yaml', scriptName: 'perf-xi-confirmation.js' })
    expect(script).toContain("// Not part of this run's load: only setup() sends it, to harvest values.\nconst listOrders = {")
    expect(script).toContain('    params: listOrders.params,')
    expect(script).toContain('const CRITICAL_OPERATIONS = [\n  getOrder,\n];')
    expect(script).not.toContain('{name:GET /orders}')
  })
})
