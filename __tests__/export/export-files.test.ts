/**
 * The exported Locust and JMeter files: pinned by golden files, deterministic, every template slot
 * escaped, weights and profiles written as documented, and accepted by the real tools' parsers
 * (Python compiles the locustfile; JMeter loads the plan). Regenerate the golden files after an
 * intended change with UPDATE_GOLDEN=1.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { RawInputs } from '../../src/config/load.js'
import { renderJmeterPlan } from '../../src/export/jmeter.js'
import { renderLocustfile } from '../../src/export/locust.js'
import { exportOperations } from '../../src/export/operations.js'
import type { TestPlan } from '../../src/plan/plan.js'
import { findTemplate } from '../../src/script/templates.js'
import type { ApiSpec } from '../../src/spec/model.js'
import { golden, loadTools, planFor, run, SAMPLE, toolEnv, withWeights } from './helpers.js'
import { tempDir } from '../support/temp-dirs.js'

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

async function render(format: 'locust' | 'jmeter', c: (typeof cases)[number], edit?: (plan: TestPlan) => TestPlan): Promise<string> {
  const { plan, meta } = await planFor(c.spec, c.inputs)
  const renderer = renderers.find((r) => r.format === format)!
  return renderer.render(edit ? edit(plan) : plan, meta)
}

describe.each(renderers)('$format export', ({ format, ext, render: renderFile, template, helpers }) => {
  it.each(cases)(`$name.${ext} matches its golden file`, async (c) => {
    expectGolden(`${c.name}.${ext}`, await render(format, c))
  })

  it(`no-consumes.${ext} matches its golden file (bodies the spec declares no media type for go without one)`, async () => {
    // Run by the real tools in __tests__/acceptance/unlabelled-body.test.ts.
    const { plan, meta } = await planFor('__tests__/fixtures/specs/no-consumes-2.0.yaml', { 'base-url': 'http://127.0.0.1:8080', 'allow-writes': 'true' })
    expectGolden(`no-consumes.${ext}`, renderFile(plan, meta))
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
  it("become the smallest whole counts with the same ratios within each category, as in each k6 scenario's schedule", async () => {
    const { plan } = await planFor(SAMPLE.spec, SAMPLE.inputs)
    const weighted = withWeights(plan, { 'GET /health': 1.5, 'GET /products': 0.5 })
    expect(Object.fromEntries(exportOperations(weighted).map((op) => [op.key, `${op.category} ${op.weight}`]))).toEqual({
      // standard 1 : 1.5 : 1 : 1
      'GET /account': 'standard 2',
      'GET /health': 'standard 3',
      'GET /inventory/flaky': 'standard 2',
      'GET /products/{id}': 'standard 2',
      // critical 1 : 0.5 : 1
      'POST /orders': 'critical 2',
      'GET /products': 'critical 1',
      'GET /search': 'critical 2',
      'GET /reports/slow': 'data-intensive 1',
    })
  })
})

describe('open model (arrival rates)', () => {
  // 40/s shared by VU demand (standard 4 × 10, critical 3 × 20, data-intensive 1 × 5): 15, 23 and 2
  // iterations/s; maxVUs 100 shared alike: 38, 57 and 5.
  const executor = { type: 'constant-arrival-rate', rate: 40, durationMs: 5000, preAllocatedVus: 4, maxVus: 100 } as const

  it("locust paces each category's users with constant_throughput, at most one request per think time", async () => {
    const text = await render('locust', cases[0]!, (plan) => ({ ...plan, executor }))
    // Enough users for 200 ms requests: 15/s → 3 users at 5/s.
    expect(text).toContain(
      '# standard: 4 endpoints, 38.1% of the load: 15 requests/s for 5 s: 3 users at up to 5/s each (k6 constant-arrival-rate)\n' +
        'class StandardUser(ApiUser):\n    # Users are handed out in proportion to the weights: at the peak, exactly this many.\n    weight = 3\n' +
        '    # Open model: each user sends at most this many requests a second; the shape sets how many users.\n' +
        '    wait_time = constant_throughput(5)\n',
    )
    expect(text).toMatch(/class CriticalUser\(ApiUser\):\n(.*\n){1} {4}weight = 5\n(.*\n){1} {4}wait_time = constant_throughput\(4\.6\)\n/)
    // 2/s with 3 s think time would need 7 users; its 5 maxVUs send at most one request per 3 s each, as k6's 5 VUs would.
    expect(text).toContain('2 requests/s for 5 s: 5 users at up to 0.333333/s each')
    expect(text).toMatch(/class DataIntensiveUser\(ApiUser\):\n(.*\n){1} {4}weight = 5\n(.*\n){1} {4}wait_time = constant_throughput\(0\.333333\)\n/)
    expect(text).toContain('START_USERS = 13\n')
  })

  it("jmeter paces each category's threads with a Constant Throughput Timer", async () => {
    const text = await render('jmeter', cases[0]!, (plan) => ({ ...plan, executor }))
    const perMinute = [
      ...text.matchAll(
        /<ConstantThroughputTimer [^>]*>\n\s*<intProp name="calcMode">0<\/intProp>\n\s*<doubleProp>\n\s*<name>throughput<\/name>\n\s*<value>([\d.]+)<\/value>/g,
      ),
    ]
    expect(perMinute.map((m) => m[1])).toEqual(['300', '276', '20'])
    expect([...text.matchAll(/<ThreadGroup [^>]*testname="([^"]*)"[\s\S]*?num_threads">(\d+)</g)].map((m) => `${m[1]}: ${m[2]}`)).toEqual([
      'standard: 3 users for 5 s: 3',
      'critical: 5 users for 5 s: 5',
      'data-intensive: 5 users for 5 s: 5',
    ])
    expect(text).not.toContain('<ConstantTimer ')
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
    const dir = tempDir('perf-xi-locust-')
    const file = path.join(dir, 'locustfile.py')
    writeFileSync(file, readFileSync(path.join(golden, `${name}.locustfile.py`), 'utf8'))
    execFileSync('python3', ['-m', 'py_compile', file])
  })

  it('locust imports the sample locustfile and lists its tasks with their ratios', async () => {
    const { locust } = loadTools()
    const dir = tempDir('perf-xi-locust-')
    writeFileSync(path.join(dir, 'locustfile.py'), await render('locust', cases[0]!, (plan) => withWeights(plan, { 'GET /health': 3 })))
    const result = await run(locust, ['-f', 'locustfile.py', '--show-task-ratio'], { cwd: dir, env: toolEnv({ SAMPLE_API_TOKEN: 'x' }) })
    const perClass = (result.stderr + result.stdout).split('Total task ratio')[0]!
    // Users per class in proportion to the scenarios' peak VUs (5 VUs: 2 standard, 2 critical, 1 data-intensive)...
    expect(perClass).toMatch(/40\.0\s+StandardUser\s+16\.7\s+get_account\s+50\.0\s+get_health\s/)
    // ...and tasks within a class by the endpoints' weights.
    expect(perClass).toMatch(/40\.0\s+CriticalUser\s+33\.3\s+create_order\s/)
    expect(perClass).toMatch(/20\.0\s+DataIntensiveUser\s+100\.0\s+get_slow_report\s/)
  }, 120_000)

  it.each(cases)(
    'jmeter loads $name.jmx',
    async ({ name }) => {
      const { jmeter } = loadTools()
      const dir = tempDir('perf-xi-jmeter-')
      const plan = path.join(dir, 'plan.jmx')
      writeFileSync(plan, readFileSync(path.join(golden, `${name}.jmx`), 'utf8'))
      // A plan that loads but whose environment check fails stops at once: proof the file parsed.
      const result = await run(jmeter, ['-n', '-t', plan, '-l', path.join(dir, 'results.jtl'), '-j', path.join(dir, 'jmeter.log')], {
        cwd: dir,
        env: toolEnv(),
      })
      expect(result.stdout).toContain('Created the tree successfully')
      expect(result.stdout).not.toMatch(/error|exception/i)
      expect(readFileSync(path.join(dir, 'results.jtl'), 'utf8')).toMatch(
        /Secrets are set in the environment,500,(PETSTORE_KEY|SAMPLE_API_TOKEN|PETSTORE_USER and PETSTORE_PASSWORD) not set/,
      )
    },
    120_000,
  )
})

describe('an operation whose spec declares a redirect as its answer', () => {
  const declareRedirect = (spec: ApiSpec) => {
    spec.endpoints.find((e) => e.key === 'GET /health')!.successStatuses = [302]
  }

  it('is sent by Locust without following the redirect, and the file still compiles', async () => {
    const { plan, meta } = await planFor(SAMPLE.spec, SAMPLE.inputs, declareRedirect)
    const text = renderLocustfile(plan, meta)
    const health = text.slice(text.indexOf('GET_HEALTH = Operation('), text.indexOf(')', text.indexOf('GET_HEALTH = Operation(')))
    expect(health).toContain('follow_redirects=False')
    expect(text.match(/follow_redirects=False/g)).toHaveLength(1)
    expect(text).toContain('allow_redirects=op.follow_redirects')
    const dir = tempDir('perf-xi-locust-')
    try {
      writeFileSync(path.join(dir, 'locustfile.py'), text)
      execFileSync('python3', ['-m', 'py_compile', path.join(dir, 'locustfile.py')])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('is sampled by JMeter without following the redirect; the others follow theirs', async () => {
    const { plan, meta } = await planFor(SAMPLE.spec, SAMPLE.inputs, declareRedirect)
    const samplers = renderJmeterPlan(plan, meta).split('<HTTPSamplerProxy ').slice(1)
    const follows = samplers.map((s) => [s.match(/testname="([^"]+)"/)![1], s.includes('"HTTPSampler.follow_redirects">true<')])
    expect(follows.filter(([, follow]) => !follow).map(([name]) => name)).toEqual(['GET /health'])
    expect(follows.length).toBeGreaterThan(1)
  })
})
