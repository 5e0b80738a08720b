/**
 * The action's entry (src/index.ts) with runner: cloud, as the runner starts it: a missing token
 * is one error line before any load, and a full run on the Grafana Cloud k6 double (real k6 plays
 * the load zones) writes the verdict and the run's address, with the token masked everywhere.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { startGrafanaCloudServer, type GrafanaCloudServer } from '../support/grafana-cloud-api-server.js'
import { runBundledAction } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'

const TOKEN = 'glsa_action-cloud-0f3e77'
let k6: K6Binary
let api: Awaited<ReturnType<typeof startSampleApi>>
let grafana: GrafanaCloudServer
let configFile: string

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, seed: 8 })
  configFile = path.join(tempDir('perf-xi-action-cloud-'), 'perf-xi.yml')
  writeFileSync(configFile, 'slos:\n  "*": { p95: 2s }\n')
  grafana = await startGrafanaCloudServer({ token: TOKEN, stackId: '4242', k6Path: k6.path, workDir: tempDir('perf-xi-grafana-'), processingMs: 500 })
}, 300_000)

afterAll(async () => {
  await api?.close()
  await grafana?.close()
})

const inputs = () => ({
  openapi: 'examples/sample-api/openapi.yaml',
  config: configFile,
  'base-url': api.url,
  include: 'GET /health',
  duration: '2s',
  vus: '1',
  runner: 'cloud',
  comment: 'false',
})

it('fails in one line, before any load, when the token is missing', async () => {
  const { K6_CLOUD_TOKEN: _token, ...env } = grafana.env()
  const run = await runBundledAction({ inputs: inputs(), env, k6Dir: path.dirname(k6.path), entry: 'source' })
  expect(run.exitCode).toBe(1)
  expect(run.outputs.verdict).toBe('error')
  expect(run.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([
    "::error::runner cloud: K6_CLOUD_TOKEN is not set; pass a Grafana Cloud k6 token from a repository secret in the step's env",
  ])
  expect(grafana.requests).toEqual([])
}, 60_000)

it('refuses, before any load, endpoints whose auth secret would be uploaded to Grafana', async () => {
  const run = await runBundledAction({
    inputs: { ...inputs(), config: '__tests__/fixtures/gate/generous.yml', include: 'GET /health, GET /account' },
    env: { ...grafana.env(), SAMPLE_API_TOKEN: 'sample-secret' },
    k6Dir: path.dirname(k6.path),
    entry: 'source',
  })
  expect(run.outputs.verdict).toBe('error')
  expect(run.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([
    '::error::runner cloud: GET /account needs bearer auth, whose secret would be written into the test archive uploaded to Grafana Cloud k6; exclude it or use runner: cloud-local (k6 here, results streamed to Grafana)',
  ])
  expect(grafana.requests).toEqual([])
}, 60_000)

it('runs on Grafana Cloud k6 with the token masked in the log and absent from every file', async () => {
  const run = await runBundledAction({ inputs: inputs(), env: grafana.env(), k6Dir: path.dirname(k6.path), entry: 'source' })
  expect(grafana.violations).toEqual([])
  expect(run.outputs.verdict).toBe('pass')
  const [cloudRun] = [...grafana.runs.values()]
  expect(run.stdout).toContain(`Grafana Cloud k6 test run: https://perf-xi-test.grafana.net/a/k6-app/runs/${cloudRun!.id}`)
  expect(run.summary).toContain(`Grafana Cloud k6 test run ${cloudRun!.id}`)
  // The runner hides every later occurrence of a value the action registers with add-mask.
  expect(run.stdout).toContain(`::add-mask::${TOKEN}`)
  const log = run.stdout.replace(`::add-mask::${TOKEN}`, '')
  for (const text of [log, run.summary, run.outputText, readFileSync(path.join(run.tmp, 'results.json'), 'utf8')]) expect(text).not.toContain(TOKEN)
}, 90_000)
