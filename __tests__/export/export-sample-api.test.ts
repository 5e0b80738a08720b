/**
 * The exported Locust and JMeter tests run for real against the bundled sample API for five
 * seconds each, with uneven weights: each endpoint category runs with its share of the users and
 * its think time, every endpoint gets its planned share of its category's requests (counted by
 * the server itself), the bearer token and the POST body are accepted (no 4xx at all: the flaky
 * endpoint is made reliable for this), and each tool's own results agree with the server.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { SAMPLE_API_ROUTES, startSampleApi, UNMATCHED_KEY, type SampleApi } from '../../examples/sample-api/server.js'
import { renderJmeterPlan } from '../../src/export/jmeter.js'
import { renderLocustfile } from '../../src/export/locust.js'
import type { TestPlan } from '../../src/plan/plan.js'
import type { EndpointCategory } from '../../src/results/schema.js'
import { loadTools, parseCsv, planFor, run, SAMPLE, toolEnv, withWeights } from './helpers.js'
import { tempDir } from '../support/temp-dirs.js'

const WEIGHTS = { 'GET /health': 3, 'GET /products': 2 }
const USERS = 5
const SECONDS = 5
/** The sample API's endpoints by category (as the analysis finds them), weighted. */
const CATEGORIES: Record<EndpointCategory, string[]> = {
  standard: ['GET /account', 'GET /health', 'GET /inventory/flaky', 'GET /products/{id}'],
  critical: ['POST /orders', 'GET /products', 'GET /search'],
  'data-intensive': ['GET /reports/slow'],
}
/**
 * The 5 users shared by VU demand: standard 10 VUs × weights 1 + 3 + 1 + 1 = 60, critical
 * 20 × (1 + 2 + 1) = 80, data-intensive 5 × 1 = 5; 2.07, 2.76 and 0.17 users by share, whole: 2, 2, 1.
 */
const USERS_BY_CATEGORY: Record<EndpointCategory, number> = { standard: 2, critical: 2, 'data-intensive': 1 }
/** Data-intensive endpoints pause 3 s after each request (JMeter waits before it). */
const DATA_INTENSIVE_THINK_S = 3

function weight(route: string): number {
  return WEIGHTS[route as keyof typeof WEIGHTS] ?? 1
}

/** An endpoint's share of its category's requests. */
function share(route: string): number {
  const routes = Object.values(CATEGORIES).find((r) => r.includes(route))!
  return weight(route) / routes.reduce((sum, r) => sum + weight(r), 0)
}

/** Requests the server counted for each category's endpoints. */
function byCategory(counts: Record<string, number>): Record<EndpointCategory, number> {
  return Object.fromEntries(Object.entries(CATEGORIES).map(([category, routes]) => [category, routes.reduce((n, r) => n + counts[r]!, 0)])) as Record<
    EndpointCategory,
    number
  >
}

async function weightedPlan(): Promise<{ plan: TestPlan; meta: { title: string; source: string; scriptName: string } }> {
  const { plan, meta } = await planFor(SAMPLE.spec, { ...SAMPLE.inputs, vus: String(USERS), duration: `${SECONDS}s` })
  return { plan: withWeights(plan, WEIGHTS), meta }
}

function served(api: SampleApi): { counts: Record<string, number>; total: number } {
  const counts = api.stats()
  const total = SAMPLE_API_ROUTES.reduce((n, r) => n + counts[r]!, 0)
  return { counts, total }
}

describe('Locust runs the exported locustfile against the sample API', () => {
  let api: SampleApi
  let dir: string
  let result: Awaited<ReturnType<typeof run>>

  beforeAll(async () => {
    const { locust } = loadTools()
    api = await startSampleApi({ flakyRate: 0 })
    dir = tempDir('perf-xi-locust-run-')
    const { plan, meta } = await weightedPlan()
    // One SLO that cannot hold, to see the file's own SLO check turn the exit code to 1.
    const strict: TestPlan = {
      ...plan,
      endpoints: plan.endpoints.map((e) => (e.endpoint.key === 'GET /reports/slow' ? { ...e, slo: { ...e.slo, limits: { ...e.slo.limits, p95: 1 } } } : e)),
    }
    writeFileSync(path.join(dir, 'locustfile.py'), renderLocustfile(strict, meta))
    result = await run(locust, ['-f', 'locustfile.py', '--headless', '--csv', 'run', '--only-summary'], {
      cwd: dir,
      env: toolEnv({ PERF_XI_BASE_URL: api.url, SAMPLE_API_TOKEN: 'demo-token' }),
    })
  }, 180_000)

  afterAll(() => api?.close())

  it("runs each category's user class with its share of the users", () => {
    const spawned = /All users spawned: (\{[^}]*\})/.exec(result.stderr)
    expect(spawned).not.toBeNull()
    expect(JSON.parse(spawned![1]!)).toEqual({
      StandardUser: USERS_BY_CATEGORY.standard,
      CriticalUser: USERS_BY_CATEGORY.critical,
      DataIntensiveUser: USERS_BY_CATEGORY['data-intensive'],
    })
  })

  it("hits every endpoint with its planned share of its category's requests (random choice: within 5 standard deviations)", () => {
    const { counts, total } = served(api)
    expect(total).toBeGreaterThan(300)
    expect(counts[UNMATCHED_KEY]).toBe(0)
    const categories = byCategory(counts)
    for (const [category, routes] of Object.entries(CATEGORIES) as Array<[EndpointCategory, string[]]>) {
      for (const route of routes) {
        const n = categories[category]
        const p = share(route)
        const sd = Math.sqrt(n * p * (1 - p))
        expect({ route, deviation: Math.abs(counts[route]! - n * p) <= 5 * sd + 1 }).toEqual({ route, deviation: true })
      }
    }
  })

  it('pauses the data-intensive user 3 s after each request', () => {
    // One user, 5 s: a request at 0 s and one after 3 s of think time (plus the request's ~150 ms).
    const { counts } = served(api)
    expect(counts['GET /reports/slow']).toBeGreaterThanOrEqual(1)
    expect(counts['GET /reports/slow']).toBeLessThanOrEqual(Math.ceil(SECONDS / DATA_INTENSIVE_THINK_S))
  })

  it('has no failed request: the token and the order body were accepted', () => {
    const rows = parseCsv(readFileSync(path.join(dir, 'run_stats.csv'), 'utf8'))
    const aggregated = rows.find((r) => r.Name === 'Aggregated')!
    expect(Number(aggregated['Request Count'])).toBeGreaterThan(300)
    expect(aggregated['Failure Count']).toBe('0')
    expect(parseCsv(readFileSync(path.join(dir, 'run_failures.csv'), 'utf8'))).toEqual([])
  })

  it('reports each endpoint under its method and path template, counted as the server counted it', () => {
    const rows = parseCsv(readFileSync(path.join(dir, 'run_stats.csv'), 'utf8')).filter((r) => r.Name !== 'Aggregated')
    const { counts } = served(api)
    expect(rows.map((r) => `${r.Type} ${r.Name}`).sort()).toEqual([...SAMPLE_API_ROUTES].sort())
    for (const row of rows) {
      // The server may count requests whose answers Locust no longer recorded as it stopped: one per
      // user in flight, and on a busy machine a few more while its users are stopped one by one (seen:
      // 9 with 5 users), never fewer than Locust reports.
      const server = counts[`${row.Type} ${row.Name}`]!
      expect(server - Number(row['Request Count'])).toBeGreaterThanOrEqual(0)
      expect(server - Number(row['Request Count'])).toBeLessThanOrEqual(USERS + Math.ceil(0.1 * server))
    }
  })

  it('exits 1 on the breached SLO and names it, and on nothing else', () => {
    expect(result.code).toBe(1)
    const breaches = result.stderr.split('\n').filter((l) => l.includes('breached'))
    expect(breaches).toHaveLength(1)
    // A couple of ~150 ms requests (3 s think time): Locust rounds to two significant digits, the first one is the slowest.
    expect(breaches[0]).toMatch(/GET \/reports\/slow: p95 < 1 ms breached \(measured [12]\d0\)/)
  })

  it('refuses to start without the token, before sending anything', async () => {
    const { locust } = loadTools()
    const before = served(api).total
    const missing = await run(locust, ['-f', 'locustfile.py', '--headless'], { cwd: dir, env: toolEnv({ PERF_XI_BASE_URL: api.url }) })
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('SAMPLE_API_TOKEN is not set: pass it to Locust through the environment')
    expect(served(api).total).toBe(before)
  }, 60_000)
})

describe('JMeter runs the exported plan against the sample API', () => {
  let api: SampleApi
  let dir: string
  let result: Awaited<ReturnType<typeof run>>

  beforeAll(async () => {
    const { jmeter } = loadTools()
    api = await startSampleApi({ flakyRate: 0 })
    dir = tempDir('perf-xi-jmeter-run-')
    const { plan, meta } = await weightedPlan()
    writeFileSync(path.join(dir, 'plan.jmx'), renderJmeterPlan(plan, meta))
    // The base URL through the environment here (the equivalence test passes it with -J).
    result = await run(jmeter, ['-n', '-t', 'plan.jmx', '-l', 'results.jtl', '-j', 'jmeter.log'], {
      cwd: dir,
      env: toolEnv({ PERF_XI_BASE_URL: api.url, SAMPLE_API_TOKEN: 'demo-token' }),
    })
  }, 180_000)

  afterAll(() => api?.close())

  it('ran to the end', () => {
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('... end of run')
  })

  it("runs each category's Thread Group with its share of the threads", () => {
    const rows = parseCsv(readFileSync(path.join(dir, 'results.jtl'), 'utf8'))
    const threads: Record<string, Set<string>> = {}
    for (const r of rows) {
      const category = r.threadName!.split(':')[0]!
      ;(threads[category] ??= new Set()).add(r.threadName!)
    }
    expect(Object.fromEntries(Object.entries(threads).map(([category, names]) => [category, names.size]))).toEqual(USERS_BY_CATEGORY)
  })

  it("hits every endpoint with its planned share of its category's requests (each thread sends them in turn)", () => {
    const { counts, total } = served(api)
    expect(total).toBeGreaterThan(300)
    expect(counts[UNMATCHED_KEY]).toBe(0)
    const categories = byCategory(counts)
    for (const [category, routes] of Object.entries(CATEGORIES) as Array<[EndpointCategory, string[]]>) {
      const round = routes.reduce((sum, r) => sum + weight(r), 0)
      for (const route of routes) {
        // A thread stopped mid-round leaves at most one round's requests per thread unevenly spread.
        const deviation = Math.abs(counts[route]! - categories[category] * share(route))
        expect({ route, ok: deviation <= USERS_BY_CATEGORY[category] * round * share(route) + 1 }).toEqual({ route, ok: true })
      }
    }
  })

  it('waits 3 s before each request of the data-intensive thread', () => {
    // One thread, 5 s: the timer runs before the request, so one request at about 3 s.
    expect(served(api).counts['GET /reports/slow']).toBe(Math.floor(SECONDS / DATA_INTENSIVE_THINK_S))
  })

  it('records every request as a success with a declared status: the token and the order body were accepted', () => {
    const rows = parseCsv(readFileSync(path.join(dir, 'results.jtl'), 'utf8'))
    const { counts, total } = served(api)
    expect(rows.length).toBe(total)
    expect(rows.filter((r) => r.success !== 'true')).toEqual([])
    const byLabel: Record<string, number> = {}
    for (const r of rows) {
      byLabel[r.label!] = (byLabel[r.label!] ?? 0) + 1
      expect(r.responseCode).toBe(r.label === 'POST /orders' ? '201' : '200')
    }
    expect(byLabel).toEqual(Object.fromEntries(SAMPLE_API_ROUTES.map((r) => [r, counts[r]])))
  })
})

describe('the open model (an arrival rate) as paced users, run for real', () => {
  const RATE = 40
  const executor = { type: 'constant-arrival-rate', rate: RATE, durationMs: 5000, preAllocatedVus: 4, maxVus: 20 } as const

  it.each(['locust', 'jmeter'] as const)(
    '%s paces its users to the arrival rate (40/s for 5 s)',
    async (tool) => {
      const tools = loadTools()
      const api = await startSampleApi({ flakyRate: 0 })
      try {
        const dir = tempDir(`perf-xi-${tool}-open-`)
        const { plan, meta } = await weightedPlan()
        const open: TestPlan = { ...plan, executor }
        const env = toolEnv({ PERF_XI_BASE_URL: api.url, SAMPLE_API_TOKEN: 'demo-token' })
        if (tool === 'locust') {
          writeFileSync(path.join(dir, 'locustfile.py'), renderLocustfile(open, meta))
          await run(tools.locust, ['-f', 'locustfile.py', '--headless', '--only-summary'], { cwd: dir, env })
        } else {
          writeFileSync(path.join(dir, 'plan.jmx'), renderJmeterPlan(open, meta))
          await run(tools.jmeter, ['-n', '-t', 'plan.jmx', '-l', 'results.jtl', '-j', 'jmeter.log'], { cwd: dir, env })
        }
        const { total } = served(api)
        // 5 s at 40/s: 200 requests; pacing starts with each user's first request, hence the margin.
        expect(total).toBeGreaterThanOrEqual(RATE * 5 * 0.8)
        expect(total).toBeLessThanOrEqual(RATE * 5 * 1.25)
      } finally {
        await api.close()
      }
    },
    120_000,
  )
})
