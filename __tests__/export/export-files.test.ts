/**
 * The exported Locust and JMeter files: pinned by golden files, deterministic, every template slot
 * escaped, weights and profiles written as documented, and accepted by the real tools' parsers
 * (Python compiles the locustfile; JMeter loads the plan). Regenerate the golden files after an
 * intended change with UPDATE_GOLDEN=1.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RawInputs } from '../../src/config/load.js'
import { renderJmeterPlan } from '../../src/export/jmeter.js'
import { renderLocustfile } from '../../src/export/locust.js'
import { exportOperations, type ExportPlan } from '../../src/export/operations.js'
import { findTemplate } from '../../src/script/templates.js'
import { golden, loadTools, planFor, run, SAMPLE, toolEnv, withWeights } from './helpers.js'

function expectGolden(name: string, text: string): void {
  const file = path.join(golden, name)
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text)
  expect(text).toBe(readFileSync(file, 'utf8'))
}

const cases: ReadonlyArray<{ name: string; spec: string; inputs: RawInputs }> = [
  { name: 'sample-api', spec: SAMPLE.spec, inputs: SAMPLE.inputs },
  {
    name: 'petstore-v2-load',
    spec: '__tests__/fixtures/specs/petstore-2.0.yaml',
    inputs: { profile: 'load', vus: '20', duration: '5m', config: '__tests__/fixtures/golden/api-key-query.yml' },
  },
  {
    name: 'petstore-v3-basic-auth',
    spec: '__tests__/fixtures/specs/petstore-expanded-3.0.yaml',
    inputs: { config: '__tests__/fixtures/golden/basic-auth.yml', 'allow-writes': 'true' },
  },
]

const renderers = [
  { format: 'locust', ext: 'locustfile.py', render: renderLocustfile, template: 'locustfile.py.hbs', helpers: /^(py|ident|comment) / },
  { format: 'jmeter', ext: 'jmx', render: renderJmeterPlan, template: 'jmeter.jmx.hbs', helpers: /^(xml|attr) / },
] as const

async function render(format: 'locust' | 'jmeter', c: (typeof cases)[number], edit?: (plan: ExportPlan) => ExportPlan): Promise<string> {
  const { plan, meta } = await planFor(c.spec, c.inputs)
  const renderer = renderers.find((r) => r.format === format)!
  return renderer.render(edit ? edit(plan) : plan, meta)
}

describe.each(renderers)('$format export', ({ format, ext, render: renderFile, template, helpers }) => {
  it.each(cases)(`$name.${ext} matches its golden file`, async (c) => {
    expectGolden(`${c.name}.${ext}`, await render(format, c))
  })

  it('is the same bytes for the same input', async () => {
    expect(await render(format, cases[0]!)).toBe(await render(format, cases[0]!))
  })

  it('has no template slot that bypasses the escaping helpers', () => {
    const text = readFileSync(findTemplate(template), 'utf8')
    const slots = [...text.matchAll(/\{\{\{?\s*([^}]*?)\s*\}?\}\}/g)].map((m) => m[1]!)
    const unescaped = slots.filter((slot) => !helpers.test(slot) && !/^[#/>]|^else( if [\w.]+)?$|^#\*inline /.test(slot))
    expect(unescaped).toEqual([])
  })

  it('refuses a weight that is not a positive number, naming the endpoint', async () => {
    const { plan, meta } = await planFor(SAMPLE.spec, SAMPLE.inputs)
    for (const weight of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const bad = { ...plan, endpoints: plan.endpoints.map((e) => (e.endpoint.key === 'GET /health' ? { ...e, weight } : e)) }
      expect(() => renderFile(bad, meta)).toThrow(/GET \/health: weight must be a positive number/)
    }
  })
})

describe('weights', () => {
  it('become the smallest whole counts with the same ratios, as in the k6 schedule', async () => {
    const { plan } = await planFor(SAMPLE.spec, SAMPLE.inputs)
    const weighted = withWeights(plan, { 'GET /health': 1.5, 'GET /products': 0.5 })
    expect(Object.fromEntries(exportOperations(weighted).map((op) => [op.key, op.weight]))).toEqual({
      'GET /account': 2,
      'GET /health': 3,
      'GET /inventory/flaky': 2,
      'POST /orders': 2,
      'GET /products': 1,
      'GET /products/{id}': 2,
      'GET /reports/slow': 2,
      'GET /search': 2,
    })
  })
})

describe('open model (arrival rates)', () => {
  const executor = { type: 'constant-arrival-rate', rate: 40, durationMs: 5000, preAllocatedVus: 4, maxVus: 100 } as const

  it('locust paces each user with constant_throughput', async () => {
    const text = await render('locust', cases[0]!, (plan) => ({ ...plan, executor }))
    expect(text).toContain('    wait_time = constant_throughput(5)\n')
    expect(text).toContain('# The load profile: 40 requests/s for 5 s: 8 users at up to 5/s each (k6 constant-arrival-rate).')
    expect(text).toContain('START_USERS = 8\n')
  })

  it('jmeter paces each thread with a Constant Throughput Timer', async () => {
    const text = await render('jmeter', cases[0]!, (plan) => ({ ...plan, executor }))
    expect(text).toMatch(/<ConstantThroughputTimer [^>]*>\n\s*<intProp name="calcMode">0<\/intProp>\n\s*<doubleProp>\n\s*<name>throughput<\/name>\n\s*<value>300<\/value>/)
    expect(text).toContain('<stringProp name="ThreadGroup.num_threads">8</stringProp>')
  })
})

describe('locust specifics', () => {
  it('writes each weight as the task weight and never writes a secret', async () => {
    const text = await render('locust', cases[0]!, (plan) => withWeights(plan, { 'GET /health': 3, 'POST /orders': 2 }))
    expect(text).toContain('    @task(3)\n    def get_health(self):\n        self.send(GET_HEALTH)')
    expect(text).toContain('    @task(2)\n    def create_order(self):')
    expect(text).toContain('AUTH_HEADERS = {"Authorization": "Bearer " + require_env("SAMPLE_API_TOKEN")}')
    expect(text).not.toContain('demo-token')
  })

  it('follows k6 stages in its LoadTestShape', async () => {
    const text = await render('locust', cases[1]!)
    expect(text).toContain('START_USERS = 0\n# (seconds, users at the end of the stage)')
    expect(text).toContain('STAGES = (\n    (30, 10),\n    (90, 10),\n    (30, 20),\n    (90, 20),\n    (60, 0),\n)')
  })
})

describe('jmeter specifics', () => {
  it('repeats a weighted operation with a Loop Controller and reads auth from the environment', async () => {
    const text = await render('jmeter', cases[0]!, (plan) => withWeights(plan, { 'GET /health': 3 }))
    expect(text).toMatch(/<LoopController [^>]*testname="3 times: GET \/health"[^>]*>\n\s*<stringProp name="LoopController.loops">3<\/stringProp>/)
    expect(text).toContain("<stringProp name=\"Argument.value\">Bearer ${__groovy(System.getenv('SAMPLE_API_TOKEN') ?: '')}</stringProp>")
    expect(text).not.toContain('demo-token')
  })

  it('writes the load profile as layers of standard Thread Groups', async () => {
    const text = await render('jmeter', cases[1]!)
    const groups = [...text.matchAll(/<ThreadGroup [^>]*testname="([^"]*)"/g)].map((m) => m[1])
    expect(groups.length).toBeGreaterThan(2)
    expect(groups.length).toBeLessThanOrEqual(2 * 10 + 1)
    expect(text).not.toMatch(/kg\.apc|ConcurrencyThreadGroup|UltimateThreadGroup/)
  })
})

describe('the real tools accept every exported file', () => {
  it.each(cases)('python compiles $name.locustfile.py', ({ name }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-locust-'))
    const file = path.join(dir, 'locustfile.py')
    writeFileSync(file, readFileSync(path.join(golden, `${name}.locustfile.py`), 'utf8'))
    execFileSync('python3', ['-m', 'py_compile', file])
  })

  it('locust imports the sample locustfile and lists its tasks with their ratios', async () => {
    const { locust } = loadTools()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-locust-'))
    writeFileSync(path.join(dir, 'locustfile.py'), await render('locust', cases[0]!, (plan) => withWeights(plan, { 'GET /health': 3 })))
    const result = await run(locust, ['-f', 'locustfile.py', '--show-task-ratio'], { cwd: dir, env: toolEnv({ SAMPLE_API_TOKEN: 'x' }) })
    expect(result.stderr + result.stdout).toMatch(/30\.0\s+get_health/)
    expect(result.stderr + result.stdout).toMatch(/10\.0\s+get_account/)
  }, 120_000)

  it.each(cases)('jmeter loads $name.jmx', async ({ name }) => {
    const { jmeter } = loadTools()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-jmeter-'))
    const plan = path.join(dir, 'plan.jmx')
    writeFileSync(plan, readFileSync(path.join(golden, `${name}.jmx`), 'utf8'))
    // A plan that loads but whose environment check fails stops at once: proof the file parsed.
    const result = await run(jmeter, ['-n', '-t', plan, '-l', path.join(dir, 'results.jtl'), '-j', path.join(dir, 'jmeter.log')], { cwd: dir, env: toolEnv() })
    expect(result.stdout).toContain('Created the tree successfully')
    expect(result.stdout).not.toMatch(/error|exception/i)
    expect(readFileSync(path.join(dir, 'results.jtl'), 'utf8')).toMatch(/Secrets are set in the environment,500,(PETSTORE_KEY|SAMPLE_API_TOKEN|PETSTORE_USER and PETSTORE_PASSWORD) not set/)
  }, 120_000)
})
