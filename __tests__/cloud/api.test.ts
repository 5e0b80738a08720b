/**
 * The Grafana Cloud k6 REST client against the local double, which checks every request against
 * Grafana's OpenAPI description: a run is followed until it has completed, 429 and 5xx are retried
 * (Retry-After honoured), slow answers time out and are retried, every other failure is one line
 * with Grafana's message, and the token appears in none of them.
 */
import { CloudApi, CloudApiError, grafanaMessage, retryAfterMs } from '../../src/cloud/api.js'
import { startGrafanaCloudServer, type GrafanaCloudServer } from '../support/grafana-cloud-api-server.js'
import { tempDir } from '../support/temp-dirs.js'

const TOKEN = 'glsa_api-test-93ab'
const STACK = '4242'
let grafana: GrafanaCloudServer
const pauses: number[] = []
const logs: string[] = []

beforeAll(async () => {
  // No archive is uploaded here: the k6 that would play the load zones is never started.
  grafana = await startGrafanaCloudServer({ token: TOKEN, stackId: STACK, k6Path: '/nonexistent/k6', workDir: tempDir('perf-xi-grafana-api-') })
})
afterAll(() => grafana.close())
beforeEach(() => {
  pauses.length = 0
  logs.length = 0
})
afterEach(() => {
  expect(grafana.violations).toEqual([])
  for (const line of logs) expect(line).not.toContain(TOKEN)
})

function client(overrides: Partial<ConstructorParameters<typeof CloudApi>[0]> = {}): CloudApi {
  return new CloudApi({
    baseUrl: grafana.url,
    token: TOKEN,
    stackId: STACK,
    log: (line) => logs.push(line),
    sleep: async (ms) => {
      pauses.push(ms)
    },
    ...overrides,
  })
}

async function failure(promise: Promise<unknown>): Promise<CloudApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(CloudApiError)
  expect((err as Error).message).not.toContain(TOKEN)
  expect((err as Error).message.split('\n')).toHaveLength(1)
  return err as CloudApiError
}

describe('following a test run', () => {
  it('waits through processing_metrics until Grafana has completed the run', async () => {
    const run = grafana.seed({ status: 'running', result: null, ended: null })
    const seen: string[] = []
    let polls = 0
    const api = client({
      sleep: async () => {
        // Grafana moves the run on between polls, as the real service does.
        polls++
        if (polls === 1) run.status = 'processing_metrics'
        if (polls === 2) Object.assign(run, { status: 'completed', result: 'failed', resultMessage: 'Thresholds were crossed.' })
      },
    })
    const done = await api.waitForCompletion(String(run.id), { timeoutMs: 60_000, intervalMs: 10, onStatus: (r) => seen.push(r.status) })
    expect(seen).toEqual(['running', 'processing_metrics', 'completed'])
    expect(done.result).toBe('failed')
    expect(done.result_details?.message).toBe('Thresholds were crossed.')
    const calls = grafana.requests.filter((r) => r.route === 'test-run')
    expect(calls.every((r) => r.headers['x-stack-id'] === STACK)).toBe(true)
  })

  it('gives up after the longest wait, naming the last status', async () => {
    const run = grafana.seed({ status: 'processing_metrics', result: null })
    const err = await failure(
      client({ sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }).waitForCompletion(String(run.id), { timeoutMs: 200, intervalMs: 50 }),
    )
    expect(err.message).toBe(
      `Grafana Cloud k6 did not complete test run ${run.id} within 0.2 s (last status processing_metrics); raise cloud.wait or see the run in Grafana`,
    )
  })
})

describe("Grafana's refusals", () => {
  it("401: the token was refused, with Grafana's message", async () => {
    const run = grafana.seed({})
    const err = await failure(client({ token: 'glsa_wrong' }).testRun(String(run.id)))
    expect(err.status).toBe(401)
    expect(err.message).toBe(
      `Grafana Cloud k6 API: GET /cloud/v6/test_runs/${run.id} answered 401, the token was refused; check K6_CLOUD_TOKEN (a Grafana Cloud k6 personal or stack API token): Invalid token. (code unauthenticated)`,
    )
  })

  it("403: a plan limit, in Grafana's words", async () => {
    const run = grafana.seed({})
    grafana.inject({ route: 'test-run', status: 403, message: 'Your subscription does not include API access to test results.' })
    const err = await failure(client().testRun(String(run.id)))
    expect(err.status).toBe(403)
    expect(err.message).toContain(
      'answered 403, not allowed (a plan limit, or the token has no access to this stack or project): Your subscription does not include API access to test results. (code forbidden)',
    )
  })

  it('404: a run Grafana does not know', async () => {
    const err = await failure(client().testRun('999999'))
    expect(err.status).toBe(404)
    expect(err.message).toBe(
      'Grafana Cloud k6 API: GET /cloud/v6/test_runs/999999 answered 404, not found (check K6_CLOUD_STACK_ID and the project): Not found. (code not_found)',
    )
  })

  it('429: waits as long as Retry-After says, then reads the run', async () => {
    const run = grafana.seed({})
    grafana.inject({ route: 'test-run', status: 429, message: 'Too many requests', retryAfter: '3' })
    expect((await client().testRun(String(run.id))).status).toBe('completed')
    expect(pauses).toEqual([3000])
    expect(logs).toEqual([`Grafana Cloud k6 API: GET /cloud/v6/test_runs/${run.id} answered 429: Too many requests (code throttled); retrying in 3 s`])
  })

  it('5xx: retried with growing pauses, then one line with the last answer', async () => {
    const run = grafana.seed({})
    grafana.inject({ route: 'test-run', status: 503, message: 'Service unavailable', times: 3 })
    const err = await failure(client({ maxAttempts: 3 }).testRun(String(run.id)))
    expect(pauses).toEqual([1000, 2000])
    expect(err.status).toBe(503)
    expect(err.message).toBe(
      `Grafana Cloud k6 API: GET /cloud/v6/test_runs/${run.id} answered 503, Grafana Cloud k6 failed: Service unavailable (code error) (after 3 attempts)`,
    )
  })

  it('a slow answer times out and is asked again', async () => {
    const run = grafana.seed({})
    grafana.inject({ route: 'test-run', delayMs: 400 })
    expect((await client({ requestTimeoutMs: 150 }).testRun(String(run.id))).id).toBe(run.id)
    expect(logs[0]).toBe(`Grafana Cloud k6 API: GET /cloud/v6/test_runs/${run.id}: no answer in time; retrying in 1 s`)
  })
})

describe("a completed run's figures (the v5 metrics API)", () => {
  it('reads one aggregate per name tag and for the whole run', async () => {
    const totals = new Map([
      ['', { requests: 30, failed: 3, failedTotal: 30, durations: [1, 2, 3, 10, 20, 30], durationCount: 6 }],
      ['GET /a', { requests: 20, failed: 0, failedTotal: 20, durations: [1, 2, 3], durationCount: 3 }],
      ['GET /b', { requests: 10, failed: 3, failedTotal: 10, durations: [10, 20, 30], durationCount: 3 }],
    ])
    const run = grafana.seed({ totals })
    const api = client()
    expect(await api.aggregate(String(run.id), 'histogram_quantile(0.50) by (name)', 'http_req_duration')).toEqual([
      { labels: { name: 'GET /a' }, value: 2 },
      { labels: { name: 'GET /b' }, value: 20 },
    ])
    expect(await api.aggregate(String(run.id), 'ratio by (name)', 'http_req_failed')).toEqual([
      { labels: { name: 'GET /a' }, value: 0 },
      { labels: { name: 'GET /b' }, value: 0.3 },
    ])
    expect(await api.aggregate(String(run.id), 'increase', 'http_reqs')).toEqual([{ labels: {}, value: 30 }])
    const call = grafana.requests.find((r) => r.route === 'aggregate')!
    expect(call.path).toBe(`/cloud/v5/test_runs/${run.id}/query_aggregate_k6(query='histogram_quantile(0.50)%20by%20(name)',metric='http_req_duration')`)
  })

  it("a 5xx from the metrics API is Grafana's message after the retries", async () => {
    const run = grafana.seed({})
    grafana.inject({ route: 'aggregate', status: 500, message: 'query engine unavailable', times: 2 })
    const err = await failure(client({ maxAttempts: 2 }).aggregate(String(run.id), 'increase', 'http_reqs'))
    expect(err.message).toBe(
      `Grafana Cloud k6 API: GET /cloud/v5/test_runs/${run.id}/query_aggregate_k6(…) answered 500, Grafana Cloud k6 failed: query engine unavailable (after 2 attempts)`,
    )
  })
})

describe('the double', () => {
  it("refuses what Grafana's description refuses, and records it", async () => {
    const run = grafana.seed({})
    const noStack = await fetch(`${grafana.url}/cloud/v6/test_runs/${run.id}`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    const badId = await fetch(`${grafana.url}/cloud/v6/test_runs/abc`, { headers: { Authorization: `Bearer ${TOKEN}`, 'X-Stack-Id': STACK } })
    const unknown = await fetch(`${grafana.url}/cloud/v6/test_runs/${run.id}/results`, { headers: { Authorization: `Bearer ${TOKEN}`, 'X-Stack-Id': STACK } })
    const k6Scheme = await fetch(`${grafana.url}/cloud/v6/test_runs/${run.id}`, { headers: { Authorization: `Token ${TOKEN}`, 'X-Stack-Id': STACK } })
    expect([noStack.status, badId.status, unknown.status, k6Scheme.status]).toEqual([400, 400, 404, 401])
    expect(grafana.violations.splice(0).map((v) => v.kind)).toEqual(['header', 'path', 'unknown-route', 'auth'])
  })
})

describe('reading answers', () => {
  it.each([
    ['{"error":{"code":"forbidden","message":"Plan limit reached."}}', 'Plan limit reached. (code forbidden)'],
    ['{"error":{"code":2,"message":"VUh quota exceeded"}}', 'VUh quota exceeded (code 2)'],
    ['{"status":"error","error":"bad query"}', 'bad query'],
    ['<html>\n<body>Bad gateway</body></html>', '<html>'],
    ['', undefined],
  ])("Grafana's message from %j", (body, expected) => {
    expect(grafanaMessage(body)).toBe(expected)
  })

  it('Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('2')).toBe(2000)
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000)
    expect(retryAfterMs('soon')).toBeUndefined()
  })
})
