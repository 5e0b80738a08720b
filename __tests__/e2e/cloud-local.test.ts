/**
 * runner: cloud-local with real k6: k6 runs here against the sample API and streams to a local
 * Grafana Cloud k6 double (`k6 run --out cloud --out json=…`). The run appears in the double
 * (created, metrics pushed, finished) with the requests k6 counted, while the gate's SLIs come
 * from the local stream; the comment links the run and the token is in no output.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import { runGate } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { renderPrComment } from '../../src/report/comment.js'
import { renderConsoleReport } from '../../src/report/summary.js'
import { startGrafanaCloudServer, type GrafanaCloudServer } from '../support/grafana-cloud-api-server.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const TOKEN = 'glsa_local-stream-7d21c0'

let api: Awaited<ReturnType<typeof startSampleApi>>
let k6: K6Binary
let grafana: GrafanaCloudServer

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, seed: 5 })
  grafana = await startGrafanaCloudServer({ token: TOKEN, stackId: '4242', k6Path: k6.path, workDir: tempDir('perf-xi-grafana-') })
}, 300_000)

afterAll(async () => {
  await api?.close()
  await grafana?.close()
})

it('runs k6 here, streams the run to Grafana Cloud k6 and judges the figures measured here', async () => {
  const dir = tempDir('perf-xi-cloud-local-')
  writeFileSync(
    path.join(dir, 'perf-xi.yml'),
    'runner: cloud-local\ncloud:\n  name: local stream\n  project-id: 31\nslos:\n  "*": { p95: 2s, error-rate: 20 }\n',
  )
  const env = grafana.env()
  const config = resolveConfig(
    {
      openapi: path.join(root, 'examples/sample-api/openapi.yaml'),
      config: 'perf-xi.yml',
      include: 'GET /health, GET /inventory/flaky',
      'base-url': api.url,
      vus: '2',
      duration: '3s',
      'results-file': path.join(dir, 'results.json'),
    },
    { cwd: dir, env },
  )
  const output: string[] = []
  const { results, scriptPath } = await runGate(
    config,
    { runId: 'cloud-local' },
    {
      cwd: dir,
      workDir: path.join(dir, 'work'),
      env,
      log: (line) => output.push(line),
      warn: (line) => output.push(`warning: ${line}`),
      k6Output: (text) => output.push(text),
      ensureK6: async () => k6,
    },
  )
  expect(grafana.violations).toEqual([])
  expect(results.verdict).toBe('pass')
  expect(readFileSync(scriptPath, 'utf8')).toContain('cloud: {"name":"local stream","projectID":31},')

  // The run appeared in Grafana: created by k6's cloud output, metrics pushed, finished.
  const [run] = [...grafana.runs.values()]
  expect(run).toMatchObject({ mode: 'local', name: 'local stream', projectId: 31 })
  expect(run!.pushes).toBeGreaterThan(0)
  expect(grafana.requests.map((r) => r.route)).toEqual(expect.arrayContaining(['create-test', 'metrics-push', 'finish-test']))
  // What k6 pushed to Grafana counts the same requests the gate measured from its local stream.
  for (const sli of results.slis) {
    expect(run!.totals.get(sli.endpoint)?.requests).toBe(sli.requests)
    expect(run!.totals.get(sli.endpoint)?.durationCount).toBe(sli.requests)
  }
  expect(results.slis.every((s) => s.requests > 0 && s.max_ms !== null)).toBe(true)
  expect(results.cloud).toEqual({
    runner: 'cloud-local',
    test_run_id: String(run!.id),
    url: `https://perf-xi-test.grafana.net/a/k6-app/runs/${run!.id}`,
    status: null,
    result: null,
    message: null,
    load_zones: [],
  })
  expect(renderConsoleReport(results)).toContain(`Grafana Cloud k6: https://perf-xi-test.grafana.net/a/k6-app/runs/${run!.id}`)
  expect(renderPrComment(results)).toContain(`[Grafana Cloud k6 test run ${run!.id}](https://perf-xi-test.grafana.net/a/k6-app/runs/${run!.id})`)

  expect(output.join('')).not.toContain(TOKEN)
  expect(readFileSync(path.join(dir, 'results.json'), 'utf8')).not.toContain(TOKEN)
  for (const file of readdirSync(path.join(dir, 'work'))) expect(readFileSync(path.join(dir, 'work', file), 'latin1')).not.toContain(TOKEN)
}, 90_000)

it("is an error verdict with Grafana's message, before any load, when Grafana refuses to create the run", async () => {
  const dir = tempDir('perf-xi-cloud-local-')
  writeFileSync(path.join(dir, 'perf-xi.yml'), 'runner: cloud-local\n')
  const env = grafana.env()
  const config = resolveConfig(
    {
      openapi: path.join(root, 'examples/sample-api/openapi.yaml'),
      config: 'perf-xi.yml',
      include: 'GET /health',
      'base-url': api.url,
      vus: '1',
      duration: '2s',
      'results-file': path.join(dir, 'results.json'),
    },
    { cwd: dir, env },
  )
  const before = grafana.runs.size
  grafana.inject({ route: 'create-test', status: 403, message: 'Your plan allows 0 local-execution test runs per month.' })
  const output: string[] = []
  const { results } = await runGate(
    config,
    { runId: 'cloud-local-refused' },
    {
      cwd: dir,
      workDir: path.join(dir, 'work'),
      env,
      log: (l) => output.push(l),
      warn: (l) => output.push(l),
      k6Output: (t) => output.push(t),
      ensureK6: async () => k6,
    },
  )
  expect(grafana.runs.size).toBe(before)
  expect(results.verdict).toBe('error')
  expect(results.summary.requests_total).toBe(0)
  expect(results.reasons[0]).toContain('(403/E2) Your plan allows 0 local-execution test runs per month.')
  expect(results.reasons[0]!.split('\n')).toHaveLength(1)
  expect(output.join('')).not.toContain(TOKEN)
  expect(grafana.violations).toEqual([])
}, 60_000)
