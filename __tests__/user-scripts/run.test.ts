/**
 * Users' own k6 scripts (fixtures/user-scripts/*.js) run by real k6 against the real sample API on
 * 127.0.0.1, measured from k6's raw output while it runs. Each run is checked two ways: the request
 * counts against what the sample API itself served (stats()), and the latencies against k6's own
 * end-of-test summary of the same run (--summary-export, with p(99) and count), within the
 * histogram's precision. A few seconds each.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi, type SampleApi } from '../../examples/sample-api/server.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import type { OutputTransport } from '../../src/k6/output-stream.js'
import { parseK6Summary, type K6Summary, type MetricValues } from '../../src/k6/summary.js'
import { MIN_SAMPLES, PERCENTILES } from '../../src/sample-minimums.js'
import type { EndpointSli, Sli } from '../../src/results/schema.js'
import { combinedExitCode, resolveUserScriptSlos, scriptJudgements } from '../../src/user-scripts/judge.js'
import { resolveScripts } from '../../src/script-files.js'
import { runUserScripts, type UserScriptsResult } from '../../src/user-scripts/run.js'
import { evaluateSlos } from '../../src/verdict.js'
import { tempDir } from '../support/temp-dirs.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..', '..')
const FIXTURES = '__tests__/fixtures/user-scripts'
const TOKEN = 'user-scripts-token'

let api: SampleApi
let k6: K6Binary

beforeAll(async () => {
  k6 = await ensureK6()
  // A third of the flaky endpoint's answers fail, and the slow report takes 20 ms: both show in the SLIs.
  api = await startSampleApi({ port: 0, token: TOKEN, flakyRate: 0.3, slowMs: 20, seed: 7 })
}, 300_000)

afterAll(async () => {
  await api?.close()
})

interface Measured {
  result: UserScriptsResult
  byKey: Map<string, EndpointSli>
  /** Requests the sample API served during the run, per route ("GET /products/{id}"). */
  served: Record<string, number>
  /** k6's own summary of each script's run. */
  summaries: K6Summary[]
  output: string
}

async function measure(scripts: string[], transport?: OutputTransport): Promise<Measured> {
  const before = api.stats()
  let output = ''
  const result = await runUserScripts({
    k6Path: k6.path,
    scripts: scripts.map((s) => path.join(FIXTURES, s)),
    env: { BASE_URL: api.url, API_TOKEN: TOKEN },
    workDir: tempDir('perf-xi-user-scripts-'),
    cwd: root,
    onOutput: (text) => (output += text),
    transport,
    fullSummaryStats: true,
  })
  const after = api.stats()
  const served = Object.fromEntries(Object.entries(after).map(([route, n]) => [route, n - (before[route] ?? 0)]))
  const summaries = result.runs.filter((r) => r.summaryPath).map((r) => parseK6Summary(readFileSync(r.summaryPath!, 'utf8'), r.summaryPath!))
  return { result, byKey: new Map(result.slis.map((s) => [s.endpoint, s])), served, summaries, output }
}

/** HDR keeps 3 significant digits (a bucket's middle is within 0.05 % of any value in it); SLIs are rounded to 1 µs. */
function expectWithinHdr(ours: number | null, k6: number | undefined, what: string): void {
  if (ours === null || k6 === undefined) throw new Error(`${what}: streamed ${ours}, k6 says ${k6}`)
  const tolerance = Math.abs(k6) * 1e-3 + 0.0005
  if (Math.abs(ours - k6) > tolerance) throw new Error(`${what}: streamed ${ours} ms, k6 says ${k6} ms (allowed ±${tolerance.toFixed(4)})`)
}

function expectSameAsK6(sli: Sli | undefined, k6: MetricValues | undefined, what: string): void {
  if (!sli || !k6) throw new Error(`${what}: ${sli ? '' : 'no streamed SLI'} ${k6 ? '' : "not in k6's summary"}`)
  expect({ what, requests: sli.requests }).toEqual({ what, requests: k6.count })
  for (const p of PERCENTILES) {
    // From fewer samples than the percentile needs, it is left out and named, never a guess.
    if ((k6.count ?? 0) < MIN_SAMPLES[p]) {
      expect({ what, p, figure: sli[`${p}_ms`], named: sli.too_few_samples?.includes(p) }).toEqual({ what, p, figure: null, named: true })
    } else expectWithinHdr(sli[`${p}_ms`], k6[p], `${what} ${p}`)
  }
  expectWithinHdr(sli.max_ms, k6.max, `${what} max`)
  expectWithinHdr(sli.avg_ms, k6.avg, `${what} avg`)
}

function counts(measured: Measured): Record<string, number> {
  return Object.fromEntries(measured.result.slis.map((s) => [s.endpoint, s.requests]))
}

describe("a user's k6 scripts, measured while k6 runs", () => {
  it('finds the fixtures by glob', () => {
    expect(resolveScripts([`${FIXTURES}/*.js`], root).map((f) => path.basename(f))).toEqual([
      'groups-custom-metrics.js',
      'name-tags.js',
      'no-name-tags.js',
      'throws-at-init.js',
      'two-scenarios.js',
    ])
  })

  it('groups and custom metrics: one row per name tag, counted as the API served them, latencies as k6 reports them', async () => {
    const m = await measure(['groups-custom-metrics.js'])
    expect(m.result.runs).toEqual([
      expect.objectContaining({ script: `${FIXTURES}/groups-custom-metrics.js`, exitCode: 0, outcome: { ran: true, failed: false }, requests: 280 }),
    ])
    expect(m.result.runError).toBeUndefined()
    expect(counts(m)).toEqual({
      'GET /health': m.served['GET /health'],
      'GET /inventory/flaky': m.served['GET /inventory/flaky'],
      'GET /products': m.served['GET /products'],
      'GET /products/{id}': m.served['GET /products/{id}'],
      'GET /search': m.served['GET /search'],
    })
    expect(counts(m)).toEqual({ 'GET /health': 40, 'GET /inventory/flaky': 40, 'GET /products': 40, 'GET /products/{id}': 120, 'GET /search': 40 })

    const k6 = m.summaries[0]!.metrics
    for (const name of ['/products/{id}', '/search', '/inventory/flaky'])
      expectSameAsK6(m.byKey.get(`GET ${name}`), k6[`http_req_duration{name:${name}}`], name)
    expectSameAsK6(m.result.total, k6.http_req_duration, 'all endpoints')
    const flaky = k6['http_req_failed{name:/inventory/flaky}']!
    expect(flaky.matches).toBeGreaterThan(0)
    expect(m.byKey.get('GET /inventory/flaky')!.error_rate_pct).toBe(Math.round(flaky.rate! * 100_000) / 1000)
    expect(m.result.total.error_rate_pct).toBe(Math.round(k6.http_req_failed!.rate! * 100_000) / 1000)
    // The script's custom metrics and checks ran (k6 counted them) without becoming endpoints.
    expect(k6.products_seen!.count).toBe(200)
    expect(k6.checks!.rate).toBe(1)
  }, 60_000)

  it('two scenarios: an endpoint both hit is one row; the token reaches k6 through its environment only', async () => {
    const m = await measure(['two-scenarios.js'])
    expect(counts(m)).toEqual({ 'GET /account': 10, 'GET /health': 40, 'GET /products/{id}': 30, 'POST /orders': 10 })
    for (const [key, served] of Object.entries(counts(m))) expect({ key, served }).toEqual({ key, served: m.served[key] })
    expect(m.byKey.get('GET /account')!.error_rate_pct).toBe(0) // 401s would be failures
    expect(m.byKey.get('POST /orders')!.error_rate_pct).toBe(0)
    expectSameAsK6(m.byKey.get('GET /health'), m.summaries[0]!.metrics['http_req_duration{name:/health}'], '/health')
    expect(m.output).not.toContain(TOKEN)
  }, 60_000)

  it('no name tags: each distinct URL is its own endpoint, ids and query strings included', async () => {
    const m = await measure(['no-name-tags.js'])
    const base = api.url
    expect(counts(m)).toEqual({
      [`GET ${base}/health`]: 12,
      [`GET ${base}/products/1`]: 12,
      [`GET ${base}/products/2`]: 12,
      [`GET ${base}/products/3`]: 12,
      [`GET ${base}/search?q=kettle`]: 12,
    })
    // The API counts by route: the three product URLs together are its "GET /products/{id}".
    expect(m.served['GET /products/{id}']).toBe(36)
    expect(m.served['GET /search']).toBe(12)
    const k6 = m.summaries[0]!.metrics
    expectSameAsK6(m.byKey.get(`GET ${base}/products/2`), k6[`http_req_duration{name:${base}/products/2}`], '/products/2')
    expectSameAsK6(m.byKey.get(`GET ${base}/search?q=kettle`), k6[`http_req_duration{name:${base}/search?q=kettle}`], '/search?q=kettle')
  }, 60_000)

  it.each<{ transport: OutputTransport }>([{ transport: 'fifo' }, { transport: 'file' }])(
    'name tags, explicit and http.url``: one row per name, through a $transport',
    async ({ transport }) => {
      const m = await measure(['name-tags.js'], transport)
      expect(counts(m)).toEqual({ 'GET ${}/products/${}': 30, 'GET /products': 30, 'GET /reports/slow': 30 })
      expect(m.served['GET /reports/slow']).toBe(30)
      expect(m.served['GET /products']).toBe(30)
      expect(m.served['GET /products/{id}']).toBe(30)
      const k6 = m.summaries[0]!.metrics
      for (const name of ['/reports/slow', '/products', '${}/products/${}'])
        expectSameAsK6(m.byKey.get(`GET ${name}`), k6[`http_req_duration{name:${name}}`], name)
      expectSameAsK6(m.result.total, k6.http_req_duration, 'all endpoints')
      expect(m.byKey.get('GET /reports/slow')!.p50_ms).toBeGreaterThanOrEqual(20)
      // rps over the time k6's samples span (first iteration's start to last sample), close to
      // k6's own rate (count over the test's duration): within 1 % in 16 runs of this test.
      const rate = k6.http_reqs!.rate!
      expect(Math.abs(m.result.total.rps! - rate) / rate).toBeLessThan(0.03)
    },
    60_000,
  )

  it('several scripts: endpoints they share are merged, each run is reported', async () => {
    const m = await measure(['two-scenarios.js', 'groups-custom-metrics.js'])
    expect(m.result.runs.map((r) => [path.basename(r.script), r.exitCode, r.requests])).toEqual([
      ['two-scenarios.js', 0, 90],
      ['groups-custom-metrics.js', 0, 280],
    ])
    expect(m.byKey.get('GET /health')!.requests).toBe(80)
    expect(m.byKey.get('GET /products/{id}')!.requests).toBe(150)
    expect(m.result.total.requests).toBe(370)
    for (const [key, served] of Object.entries(counts(m))) expect({ key, served }).toEqual({ key, served: m.served[key] })
  }, 60_000)

  it("a script k6 cannot load: one line naming the script's line, found by k6 inspect before any load", async () => {
    const m = await measure(['no-name-tags.js', 'throws-at-init.js'])
    const expected = `${FIXTURES}/throws-at-init.js:7:21: the script threw an exception (exit code 107): Error: CHECKOUT_BASE_URL is not set`
    expect(m.result.runs.map((r) => [path.basename(r.script), r.exitCode, r.requests, r.error])).toEqual([['throws-at-init.js', 107, 0, expected]])
    expect(m.result.runError).toBe(expected)
    expect(combinedExitCode(m.result.runs)).toBe(107)
    // Nothing ran, not even the script that would have loaded: the API saw no request.
    expect(m.result.total.requests).toBe(0)
    expect(Object.values(m.served).reduce((a, b) => a + b, 0)).toBe(0)
    const { slos } = resolveUserScriptSlos(m.result.slis, [{ selector: '*', limits: { p95: 1000, 'error-rate': 1 } }])
    const verdict = evaluateSlos({ slis: m.result.slis, total: m.result.total, slos, runError: m.result.runError })
    expect(verdict.status).toBe('error')
    expect(verdict.reasons[0]).toBe(expected)
  }, 60_000)

  it('a script with an invalid option: every problem k6 lists, on one line naming the script', async () => {
    const dir = tempDir('perf-xi-user-scripts-')
    const script = path.join(dir, 'bad-options.js')
    writeFileSync(script, "export const options = { scenarios: { a: { executor: 'constant-vus', vus: 0, duration: '1s' } } }\nexport default function () {}\n")
    const result = await runUserScripts({ k6Path: k6.path, scripts: [script], env: {}, workDir: dir, cwd: dir })
    expect(result.runError).toBe(
      'bad-options.js: invalid k6 configuration (exit code 104): There were problems with the specified script configuration: scenario a has configuration errors: the number of VUs must be more than 0',
    )
  }, 60_000)

  it('a script that calls exec.test.fail() ran and failed: a failing criterion beside the SLOs', async () => {
    const dir = tempDir('perf-xi-user-scripts-')
    const script = path.join(dir, 'marks-failed.js')
    writeFileSync(
      script,
      "import http from 'k6/http'\nimport exec from 'k6/execution'\nexport const options = { iterations: 3 }\nexport default function () { http.get(`${__ENV.BASE_URL}/health`); if (exec.scenario.iterationInTest === 2) exec.test.fail('stock is wrong') }\n",
    )
    const result = await runUserScripts({ k6Path: k6.path, scripts: [script], env: { BASE_URL: api.url }, workDir: dir, cwd: dir })
    expect(result.runs[0]).toMatchObject({ exitCode: 110, outcome: { ran: true, failed: 'marked-failed' }, requests: 3 })
    expect(result.runError).toBeUndefined()
    expect(scriptJudgements(result.runs)).toEqual([{ status: 'fail', reason: `${script}: the script marked the test as failed (exec.test.fail())` }])
  }, 60_000)
})
