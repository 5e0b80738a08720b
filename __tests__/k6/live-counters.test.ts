/**
 * Answers over time read from a real k6's REST API while it runs: per endpoint through the
 * submetrics the thresholds define (names with spaces, slashes and braces), on k6's own clock.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { freeLocalPort, LIVE_ENDPOINT_CAP, startLiveCounters } from '../../src/k6/live-counters.js'
import { runK6 } from '../../src/k6/run.js'
import { judgeLiveness } from '../../src/liveness.js'
import { parseK6Summary } from '../../src/k6/summary.js'
import { testDurationMs } from '../../src/verdict/breakpoint.js'
import { tempDir } from '../support/temp-dirs.js'

let k6: K6Binary
let server: http.Server
let url: string
let dir: string

beforeAll(async () => {
  k6 = await ensureK6()
  // /fail answers 500: k6 counts it as a failed request.
  server = http.createServer((req, res) => res.writeHead(req.url === '/fail' ? 500 : 200).end('ok'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  dir = tempDir('perf-xi-live-')
}, 300_000)

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

const SCRIPT = `import http from 'k6/http';
const OK = { tags: { name: 'GET /users/{id}' }, responseCallback: http.expectedStatuses(200) };
const FAIL = { tags: { name: 'GET /fail' }, responseCallback: http.expectedStatuses(200) };
export const options = {
  scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '2s' } },
  thresholds: {
    'http_reqs{name:GET /users/{id}}': ['count>=0'], 'http_req_failed{name:GET /users/{id}}': ['rate>=0'],
    'http_reqs{name:GET /fail}': ['count>=0'], 'http_req_failed{name:GET /fail}': ['rate>=0'],
  },
};
export default function () {
  http.get(__ENV.TARGET + '/users/7', OK);
  http.get(__ENV.TARGET + '/fail', FAIL);
}
`

it('reads the run and each endpoint while k6 runs, ending close to its summary', async () => {
  const scriptPath = path.join(dir, 'script.js')
  const summaryPath = path.join(dir, 'summary.json')
  writeFileSync(scriptPath, SCRIPT)
  const address = `127.0.0.1:${await freeLocalPort()}`
  const started = Date.now()
  const counters = startLiveCounters({
    address,
    endpoints: [
      { key: 'GET /users/{id}', metricName: 'GET /users/{id}' },
      { key: 'GET /fail', metricName: 'GET /fail' },
    ],
  })
  const run = await runK6({ k6Path: k6.path, scriptPath, summaryPath, cwd: dir, env: { TARGET: url }, apiAddress: address })
  const series = await counters.stop()
  expect(run.exitCode).toBe(0)

  expect(series.perEndpoint).toBe(true)
  expect(series.samples.length).toBeGreaterThanOrEqual(3)
  // k6's test started after it was spawned and before it exited.
  expect(series.originEpochMs!).toBeGreaterThan(started)
  expect(series.originEpochMs!).toBeLessThan(started + run.wallTimeMs)
  const last = series.samples.at(-1)!
  expect(last.atMs).toBeGreaterThan(1000)
  const users = last.endpoints!['GET /users/{id}']!
  const fail = last.endpoints!['GET /fail']!
  expect(users.requests).toBeGreaterThan(0)
  expect(users.failed).toBe(0)
  expect(fail.failed).toBe(fail.requests)
  expect(last.total.requests).toBeGreaterThan(0)

  // The summary has the final counts: the live ones never exceed them.
  const summary = parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath)
  expect(users.requests).toBeLessThanOrEqual(summary.metrics['http_reqs{name:GET /users/{id}}']!.count!)
  expect(last.total.requests).toBeLessThanOrEqual(summary.metrics.http_reqs!.count!)
  for (const [a, b] of series.samples.slice(1).map((s, i) => [series.samples[i]!, s])) {
    expect(b!.atMs).toBeGreaterThan(a!.atMs)
    expect(b!.total.requests).toBeGreaterThanOrEqual(a!.total.requests)
  }
}, 60_000)

it(`reads only the run as a whole beyond ${LIVE_ENDPOINT_CAP} endpoints`, async () => {
  const endpoints = Array.from({ length: LIVE_ENDPOINT_CAP + 1 }, (_, i) => ({ key: `GET /e${i}`, metricName: `GET /e${i}` }))
  const counters = startLiveCounters({ address: `127.0.0.1:${await freeLocalPort()}`, endpoints })
  // Nothing listens there: no sample, no origin, and stop() still returns promptly.
  const series = await counters.stop()
  expect(series).toEqual({ samples: [], perEndpoint: false, setupMs: 0 })
})

it('starts the series when the load starts, not when setup() does, so a slow setup() is no collapse', async () => {
  const scriptPath = path.join(dir, 'slow-setup.js')
  const summaryPath = path.join(dir, 'slow-setup-summary.json')
  // setup() harvesting values for 2.5 s before 3 s of steady load.
  writeFileSync(
    scriptPath,
    `import http from 'k6/http';
import { sleep } from 'k6';
export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '3s' } } };
export function setup() { http.get(__ENV.TARGET + '/list', { tags: { name: 'GET /list (setup)' } }); sleep(2.5); }
export default function () { http.get(__ENV.TARGET + '/users/7'); sleep(0.01); }
`,
  )
  const address = `127.0.0.1:${await freeLocalPort()}`
  const counters = startLiveCounters({ address, endpoints: [] })
  const run = await runK6({ k6Path: k6.path, scriptPath, summaryPath, cwd: dir, env: { TARGET: url }, apiAddress: address })
  const exitedAt = Date.now()
  const series = await counters.stop()
  expect(run.exitCode).toBe(0)
  // Polls every 500 ms place the load's start within a poll of the truth.
  expect(series.setupMs).toBeGreaterThan(2000)
  expect(series.setupMs).toBeLessThan(3500)
  const summary = parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath)
  const findings = judgeLiveness({
    executor: { type: 'constant-vus', vus: 2, durationMs: 3000 },
    samples: series.samples,
    final: { atMs: exitedAt - series.originEpochMs!, total: { requests: summary.metrics.http_reqs!.count!, failed: 0 } },
    measuredDurationMs: testDurationMs(summary)! - series.setupMs,
    stoppedAtSlo: false,
    droppedIterations: 0,
  })
  expect(findings).toEqual([])
}, 60_000)
