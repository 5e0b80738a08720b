/**
 * The three generated load tests send the same requests. Real k6, real Locust and real JMeter run
 * the same plan for two seconds each against an echo server on 127.0.0.1, which records every
 * request; per endpoint, method, URL, body and the headers the plan sets must be the same as
 * k6's. The plan is the sample API's, with hostile text in a summary (written into comments), a
 * header value, a JSON body, a text body (with a control character) and a path, and a path whose
 * '#' fragment names the operation (sent as a query pair, never as part of the URL), so it also proves
 * that escaping survives each tool's own parsing and evaluation: nothing written into the files
 * runs, and every value arrives unchanged.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderJmeterPlan } from '../../src/export/jmeter.js'
import { renderLocustfile } from '../../src/export/locust.js'
import { ensureK6 } from '../../src/k6/install.js'
import { renderK6Script } from '../../src/script/k6.js'
import type { HttpMethod } from '../../src/spec/model.js'
import { loadTools, NO_THINK_TIME, parseCsv, planFor, run, SAMPLE, sampleConfigWith, startEchoServer, toolEnv, type RecordedRequest } from './helpers.js'
import { tempDir } from '../support/temp-dirs.js'

const dir = tempDir('perf-xi-equivalence-')
const jmeterMarker = path.join(dir, 'pwned-by-jmeter')
const pythonMarker = path.join(dir, 'pwned-by-python')
const HOSTILE = `"; __import__('os').system('touch ${pythonMarker}'); " \${__groovy(new File('${jmeterMarker}').text = 'x')} \\ , $ ' <x> & ]]> {{py}}`

async function hostilePlan() {
  // One VU per category; no think time, so JMeter (which waits before a request) sends them all within the 2 s too.
  return planFor(SAMPLE.spec, { ...SAMPLE.inputs, config: sampleConfigWith(NO_THINK_TIME), vus: '3', duration: '2s' }, (spec) => {
    const search = spec.endpoints.find((e) => e.key === 'GET /search')!
    search.summary = `${HOSTILE}\nimport os; os.system('touch ${pythonMarker}')`
    search.path = "/search/$1,2;x=(y)'z!*"
    search.parameters = [
      ...search.parameters,
      { name: 'X-Trace', in: 'header', required: true, value: HOSTILE },
      { name: 'session', in: 'cookie', required: true, value: 'abc123' },
    ]
    // A fragment names the operation (APIs.guru, AWS): every tool sends the path before it, its pair in the query.
    spec.endpoints.find((e) => e.key === 'GET /health')!.path = '/health#Action=Check'
    const order = spec.endpoints.find((e) => e.key === 'POST /orders')!
    order.body = { contentType: 'application/json', value: { productId: 42, quantity: 2, note: `${HOSTILE} é ✓ \u2028 \t` } }
    const report = spec.endpoints.find((e) => e.key === 'GET /reports/slow')!
    report.method = 'PUT' as HttpMethod
    report.body = { contentType: 'text/plain', value: `${HOSTILE}\u0001 é\r\nline two` }
  })
}

/** What a request must carry the same whatever the tool: the parts the plan sets. */
function signature(r: RecordedRequest) {
  const json = /json/.test(String(r.headers['content-type'] ?? ''))
  return {
    method: r.method,
    url: r.url,
    body: json && r.body !== '' ? JSON.parse(r.body) : r.body,
    contentType: r.headers['content-type'],
    authorization: r.headers.authorization,
    cookie: r.headers.cookie,
    trace: r.headers['x-trace'],
  }
}

function signatures(requests: RecordedRequest[]) {
  const byRequest = new Map<string, ReturnType<typeof signature>>()
  for (const r of requests) {
    const s = signature(r)
    byRequest.set(JSON.stringify(s), s)
  }
  return [...byRequest.values()].sort((a, b) => `${a.method} ${a.url}`.localeCompare(`${b.method} ${b.url}`))
}

describe('k6, Locust and JMeter exports send the same requests', () => {
  const seen: Record<string, RecordedRequest[]> = {}

  beforeAll(async () => {
    const { plan, meta } = await hostilePlan()
    const k6 = await ensureK6()
    const { locust, jmeter } = loadTools()
    const files = {
      k6: path.join(dir, 'script.js'),
      locust: path.join(dir, 'locustfile.py'),
      jmeter: path.join(dir, 'plan.jmx'),
    }
    writeFileSync(files.k6, renderK6Script(plan, meta))
    writeFileSync(files.locust, renderLocustfile(plan, meta))
    writeFileSync(files.jmeter, renderJmeterPlan(plan, meta))
    const runs: Array<[string, (url: string) => Promise<unknown>]> = [
      [
        'k6',
        (url) =>
          run(k6.path, ['run', '--quiet', files.k6], {
            cwd: dir,
            env: toolEnv({ PERF_XI_BASE_URL: url, SAMPLE_API_TOKEN: 'demo-token', K6_NO_USAGE_REPORT: 'true' }),
          }),
      ],
      [
        'locust',
        (url) =>
          run(locust, ['-f', files.locust, '--headless', '--only-summary'], {
            cwd: dir,
            env: toolEnv({ PERF_XI_BASE_URL: url, SAMPLE_API_TOKEN: 'demo-token' }),
          }),
      ],
      [
        'jmeter',
        (url) =>
          run(jmeter, ['-n', '-t', files.jmeter, '-l', path.join(dir, 'results.jtl'), '-j', path.join(dir, 'jmeter.log'), `-Jperfxi.base_url=${url}`], {
            cwd: dir,
            env: toolEnv({ SAMPLE_API_TOKEN: 'demo-token' }),
          }),
      ],
    ]
    // One tool at a time, each against a fresh echo server.
    for (const [tool, go] of runs) {
      const echo = await startEchoServer()
      try {
        await go(echo.url)
      } finally {
        await echo.close()
      }
      seen[tool] = echo.requests
    }
  }, 300_000)

  it('k6 sent every planned request', () => {
    expect(signatures(seen.k6!).map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /account',
      'GET /health?Action=Check',
      'GET /inventory/flaky',
      'GET /products?limit=20&offset=0',
      'GET /products/42',
      "GET /search/$1,2;x=(y)'z!*?q=lamp&category=home",
      'POST /orders',
      'PUT /reports/slow',
    ])
  })

  it.each(['locust', 'jmeter'])('%s sent exactly what k6 sent', (tool) => {
    expect(seen[tool]!.length).toBeGreaterThan(8)
    expect(signatures(seen[tool]!)).toEqual(signatures(seen.k6!))
  })

  it('the hostile values arrived unchanged and nothing in the files ran', () => {
    for (const tool of ['k6', 'locust', 'jmeter']) {
      const search = seen[tool]!.find((r) => r.url.startsWith('/search/'))!
      expect(search.headers['x-trace']).toBe(HOSTILE)
      expect(search.headers.cookie).toBe('session=abc123')
      const report = seen[tool]!.find((r) => r.method === 'PUT')!
      expect(report.body).toBe(`${HOSTILE}\u0001 é\r\nline two`)
    }
    expect(existsSync(jmeterMarker)).toBe(false)
    expect(existsSync(pythonMarker)).toBe(false)
  })

  it('JMeter labels each request with its endpoint key', () => {
    const labels = new Set(parseCsv(readFileSync(path.join(dir, 'results.jtl'), 'utf8')).map((row) => row.label))
    expect([...labels].sort()).toEqual([
      'GET /account',
      'GET /health',
      'GET /inventory/flaky',
      'GET /products',
      'GET /products/{id}',
      'GET /reports/slow',
      'GET /search',
      'POST /orders',
    ])
  })
})
