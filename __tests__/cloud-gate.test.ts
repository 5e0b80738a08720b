/**
 * runner: cloud with real k6: `k6 cloud run` uploads the generated script's archive to a local
 * Grafana Cloud k6 double (__tests__/support/grafana-cloud-api-server.ts), which plays Grafana's
 * load zones by running that archive with the real local k6 against the sample API and serves the
 * v5 aggregates computed from those samples. The action follows the run through the v6 API until
 * it has completed, reads the per-endpoint figures and judges, stores and links them.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../examples/sample-api/server.js'
import { resolveConfig } from '../src/config/load.js'
import { cloudRunError, runCloudGate } from '../src/cloud-gate.js'
import type { GateIo } from '../src/gate.js'
import { ensureK6, type K6Binary } from '../src/k6/install.js'
import { renderPrComment } from '../src/report/comment.js'
import { readResultsFile } from '../src/results/read.js'
import { startGrafanaCloudServer, type GrafanaCloudServer } from './support/grafana-cloud-api-server.js'
import { tempDir } from './support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TOKEN = 'glsa_cloud-secret-5e1d9a'
const STACK = '4242'

let api: Awaited<ReturnType<typeof startSampleApi>>
let k6: K6Binary
let grafana: GrafanaCloudServer | undefined

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, seed: 3 })
}, 300_000)

afterAll(async () => {
  await api?.close()
})

afterEach(async () => {
  if (!grafana) return
  const { violations } = grafana
  await grafana.close()
  grafana = undefined
  expect(violations).toEqual([])
})

async function startGrafana(opts: { cloudOutcome?: 'error' } = {}): Promise<GrafanaCloudServer> {
  return (grafana = await startGrafanaCloudServer({
    token: TOKEN,
    stackId: STACK,
    k6Path: k6.path,
    workDir: tempDir('perf-xi-grafana-'),
    processingMs: 1500,
    ...opts,
  }))
}

async function cloudRun(configText: string, inputs: Record<string, string> = {}, signal?: AbortSignal) {
  const dir = tempDir('perf-xi-cloud-')
  writeFileSync(path.join(dir, 'perf-xi.yml'), configText)
  const env = grafana!.env()
  const config = resolveConfig(
    {
      openapi: path.join(root, 'examples/sample-api/openapi.yaml'),
      config: 'perf-xi.yml',
      include: 'GET /health, GET /inventory/flaky',
      'base-url': api.url,
      vus: '2',
      duration: '3s',
      runner: 'cloud',
      'results-file': path.join(dir, 'results.json'),
      ...inputs,
    },
    { cwd: dir, env },
  )
  const logs: string[] = []
  const io: GateIo = {
    cwd: dir,
    workDir: path.join(dir, 'work'),
    env,
    log: (line) => logs.push(line),
    warn: (line) => logs.push(`warning: ${line}`),
    k6Output: (text) => logs.push(text),
    ensureK6: async () => k6,
    signal,
  }
  const outcome = await runCloudGate(config, { runId: 'cloud-e2e', repo: 'octo-org/perf-xi-demo', prNumber: 3 }, io)
  return { outcome, logs, dir }
}

it("runs on Grafana Cloud k6 and judges each endpoint on the figures Grafana's API reports", async () => {
  const grafana = await startGrafana()
  const { outcome, logs, dir } = await cloudRun(
    'cloud:\n  name: sample API gate\n  load-zones: { "amazon:us:ashburn": 60, "amazon:ie:dublin": 40 }\nslos:\n  "*": { p95: 2s, error-rate: 20 }\n',
  )
  const { results } = outcome
  expect(results.verdict).toBe('pass')
  const [run] = [...grafana.runs.values()]
  expect(run!.mode).toBe('cloud')
  expect(run!.name).toBe('sample API gate')
  // The load zones reached Grafana in the archive's options.cloud (k6 writes them in key order).
  expect(run!.distribution).toEqual([
    { load_zone: 'amazon:ie:dublin', percent: 40 },
    { load_zone: 'amazon:us:ashburn', percent: 60 },
  ])
  expect(results.cloud).toEqual({
    runner: 'cloud',
    test_run_id: String(run!.id),
    url: `https://perf-xi-test.grafana.net/a/k6-app/runs/${run!.id}`,
    status: 'completed',
    result: 'passed',
    message: null,
    load_zones: [
      { zone: 'amazon:ie:dublin', percent: 40 },
      { zone: 'amazon:us:ashburn', percent: 60 },
    ],
  })
  // The results file, read back as the comment mode and the next run's baseline read it, keeps the cloud section.
  expect(readResultsFile(path.join(dir, 'results.json')).cloud).toEqual(results.cloud)
  // The action waited for completed, not just for k6 to see the run finish.
  const statuses = logs.filter((l) => l.startsWith('Grafana Cloud k6 test run ')).join('\n')
  expect(statuses).toContain('processing_metrics')
  expect(statuses).toContain('completed')
  // The figures are what the k6 that played the load zones measured (its own end-of-test summary).
  const summary = run!.summary as { metrics: Record<string, Record<string, number>> }
  for (const name of ['GET /health', 'GET /inventory/flaky']) {
    const sli = results.slis.find((s) => s.endpoint === name)!
    const k6Own = summary.metrics[`http_req_duration{name:${name}}`]!
    expect(sli.requests).toBe(summary.metrics[`http_reqs{name:${name}}`]!.count)
    expect(sli.p50_ms).toBeCloseTo(k6Own.med!, 2)
    // A p95 from fewer than 20 requests is left out, as for a local run.
    if (sli.requests >= 20) expect(sli.p95_ms).toBeCloseTo(k6Own['p(95)']!, 2)
    else expect(sli.too_few_samples).toContain('p95')
    expect(sli.error_rate_pct).toBeCloseTo(summary.metrics[`http_req_failed{name:${name}}`]!.value! * 100, 2)
  }
  expect(results.slis.find((s) => s.endpoint === 'GET /health')!.p95_ms).not.toBeNull()
  expect(results.slis.find((s) => s.endpoint === 'GET /inventory/flaky')!.error_rate_pct).toBeGreaterThan(0)
  // The comment links the run in Grafana.
  expect(renderPrComment(results)).toContain(`[Grafana Cloud k6 test run ${run!.id}](https://perf-xi-test.grafana.net/a/k6-app/runs/${run!.id})`)
  // The token went to k6 and the API in headers only: no output, file or comment holds it.
  expect(logs.join('\n')).not.toContain(TOKEN)
  expect(readFileSync(path.join(dir, 'results.json'), 'utf8')).not.toContain(TOKEN)
  for (const file of readdirSync(path.join(dir, 'work'))) expect(readFileSync(path.join(dir, 'work', file), 'latin1')).not.toContain(TOKEN)
  expect(renderPrComment(results)).not.toContain(TOKEN)
  expect(grafana.requests.filter((r) => r.route === 'aggregate').every((r) => r.headers['x-stack-id'] === STACK)).toBe(true)
}, 90_000)

it("is an error verdict with Grafana's message when the cloud run fails (k6 exits 97)", async () => {
  await startGrafana({ cloudOutcome: 'error' })
  const { outcome, logs } = await cloudRun('slos:\n  "*": { p95: 2s, error-rate: 20 }\n')
  const { results } = outcome
  expect(results.run.k6_exit_code).toBe(97)
  expect(results.verdict).toBe('error')
  expect(results.ci_gate).toBe('fail')
  expect(results.reasons[0]).toBe('Grafana Cloud k6: the cloud test run failed (exit code 97): The test run was aborted: a load generator became unavailable.')
  expect(results.cloud).toMatchObject({ status: 'aborted', result: 'error', message: 'The test run was aborted: a load generator became unavailable.' })
  expect(logs.join('\n')).not.toContain(TOKEN)
}, 90_000)

it("stops before any load when Grafana refuses the run for a plan limit, with Grafana's message", async () => {
  const grafana = await startGrafana()
  grafana.inject({ route: 'archive-upload', status: 403, message: 'Your plan allows at most 50 VUs per test; this test asks for 2000.' })
  const { outcome, logs } = await cloudRun('slos:\n  "*": { p95: 2s }\n')
  const { results } = outcome
  expect(grafana.runs.size).toBe(0)
  expect(results.verdict).toBe('error')
  expect(results.summary.requests_total).toBe(0)
  expect(results.reasons[0]).toMatch(/^Grafana Cloud k6: .*\(403\/E2\) Your plan allows at most 50 VUs per test; this test asks for 2000\.$/)
  expect(results.reasons[0]!.split('\n')).toHaveLength(1)
  expect(results.cloud).toMatchObject({ test_run_id: null, url: null })
  expect(logs.join('\n')).not.toContain(TOKEN)
}, 60_000)

it("is an error verdict naming the token when Grafana's API refuses it after the run", async () => {
  const grafana = await startGrafana()
  grafana.inject({ route: 'test-run', status: 401, message: 'Invalid token.', times: 100 })
  const { outcome, logs } = await cloudRun('slos:\n  "*": { p95: 2s, error-rate: 20 }\n')
  const { results } = outcome
  expect(results.verdict).toBe('error')
  expect(results.reasons[0]).toMatch(
    /^Grafana Cloud k6 API: GET \/cloud\/v6\/test_runs\/\d+ answered 401, the token was refused; check K6_CLOUD_TOKEN .*: Invalid token\. \(code unauthenticated\)$/,
  )
  expect(logs.join('\n')).not.toContain(TOKEN)
  expect(JSON.stringify(results)).not.toContain(TOKEN)
}, 60_000)

describe('how a cloud run ends, as the verdict reads it', () => {
  const ran = { ran: true as const, failed: false as const }
  it.each([
    [
      'exit 98: k6 lost the progress',
      { outcome: { ran: false as const, reason: 'x' }, exitCode: 98, wallTimeMs: 1, testRunId: '5' },
      {},
      "Grafana Cloud k6: k6 could not read the cloud test run's progress (exit code 98)",
    ],
    [
      "exit 97 with Grafana's message",
      { outcome: { ran: false as const, reason: 'x' }, exitCode: 97, wallTimeMs: 1, testRunId: '5' },
      { testRun: { result_details: { message: 'Aborted: VUh limit reached' } } },
      'Grafana Cloud k6: the cloud test run failed (exit code 97): Aborted: VUh limit reached',
    ],
    [
      'a run Grafana aborted',
      { outcome: ran, exitCode: 0, wallTimeMs: 1, testRunId: '5' },
      { testRun: { status: 'aborted' } },
      'Grafana Cloud k6 aborted test run 5',
    ],
    ['no address printed', { outcome: ran, exitCode: 0, wallTimeMs: 1 }, {}, 'Grafana Cloud k6: k6 printed no test run address, so its figures cannot be read'],
    [
      'thresholds crossed: a verdict, not an error',
      { outcome: { ran: true as const, failed: 'thresholds' as const }, exitCode: 99, wallTimeMs: 1, testRunId: '5' },
      { testRun: { status: 'completed', result: 'failed' } },
      undefined,
    ],
  ])('%s', (_what, run, followed, expected) => {
    expect(cloudRunError(run, followed as Parameters<typeof cloudRunError>[1])).toBe(expected)
  })
})

it('fails the gate on an SLO breached in the cloud: thresholds crossed are a verdict, not an error', async () => {
  const grafana = await startGrafana()
  const { outcome } = await cloudRun('slos:\n  "*": { p95: 2s, error-rate: 20 }\n  "GET /health": { p50: 0.001ms }\n')
  const { results } = outcome
  expect(results.run.k6_exit_code).toBe(99)
  expect(results.cloud).toMatchObject({ status: 'completed', result: 'failed', message: 'Thresholds were crossed.' })
  expect(results.verdict).toBe('fail')
  expect(results.ci_gate).toBe('fail')
  expect(results.slo_breaches).toEqual([expect.objectContaining({ endpoint: 'GET /health', limit: 'p50', threshold: 0.001 })])
  expect(grafana.runs.size).toBe(1)
}, 90_000)

it('stops the cloud run in Grafana when the job is cancelled, and ends as an error', async () => {
  const grafana = await startGrafana()
  const cancel = new AbortController()
  const running = (async () => {
    // Cancelled once the run is under way in Grafana; k6 packs and uploads the archive first, which
    // on a busy machine can take longer than ten seconds.
    for (let i = 0; i < 800 && ![...grafana.runs.values()].some((r) => r.status === 'running'); i++) await new Promise((r) => setTimeout(r, 50))
    cancel.abort()
  })()
  const { outcome } = await cloudRun('slos:\n  "*": { p95: 2s, error-rate: 20 }\n', { duration: '20s' }, cancel.signal)
  await running
  expect(grafana.requests.some((r) => r.route === 'stop-test')).toBe(true)
  expect([...grafana.runs.values()][0]!.stopRequested).toBe(true)
  expect(outcome.results.verdict).toBe('error')
  expect(outcome.results.reasons[0]).toBe('Grafana Cloud k6: cancelled')
}, 90_000)
