/**
 * k6's outputs beside the gate, with real k6 against the sample API: the outputs setting writes
 * the metrics to a Prometheus remote-write receiver on 127.0.0.1 (snappy-compressed protobuf, as
 * k6's experimental-prometheus-rw output sends them), authenticated from the job's environment,
 * with the password in no file the run writes and, in the action's log, only in its mask command;
 * html-report writes k6's web dashboard report.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import { runGate } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { runBundledAction } from '../support/run-action.js'
import { unsnappy } from '../support/snappy.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const PASSWORD = 'rw-secret-8c1f'

let api: Awaited<ReturnType<typeof startSampleApi>>
let k6: K6Binary
const received: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = []
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    received.push({ headers: req.headers, body: unsnappy(Buffer.concat(chunks)) })
    res.writeHead(204).end()
  })
})

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, token: 't', seed: 4 })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
}, 300_000)

afterAll(async () => {
  await api?.close()
  await new Promise((resolve) => receiver.close(resolve))
})

it("writes k6's metrics to a remote-write receiver while the gate runs", async () => {
  const dir = tempDir('perf-xi-prom-rw-')
  writeFileSync(path.join(dir, 'perf-xi.yml'), 'outputs: [experimental-prometheus-rw]\nslos:\n  "*": { p95: 2s }\n')
  const config = resolveConfig(
    {
      openapi: path.join(root, 'examples/sample-api/openapi.yaml'),
      config: 'perf-xi.yml',
      include: 'GET /health',
      'base-url': api.url,
      vus: '2',
      duration: '2s',
      'results-file': path.join(dir, 'results.json'),
    },
    { cwd: dir },
  )
  const { port } = receiver.address() as AddressInfo
  const { results } = await runGate(
    config,
    { runId: 'prom-rw' },
    {
      cwd: dir,
      workDir: path.join(dir, 'work'),
      env: {
        K6_PROMETHEUS_RW_SERVER_URL: `http://127.0.0.1:${port}/api/v1/write`,
        K6_PROMETHEUS_RW_USERNAME: 'perf',
        K6_PROMETHEUS_RW_PASSWORD: PASSWORD,
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
      },
      log: () => {},
      warn: () => {},
      k6Output: () => {},
      ensureK6: async () => k6,
    },
  )
  expect(results.verdict).toBe('pass')
  expect(received.length).toBeGreaterThan(0)
  expect(received[0]!.headers['content-encoding']).toBe('snappy')
  expect(received[0]!.headers['content-type']).toBe('application/x-protobuf')
  expect(received[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`perf:${PASSWORD}`).toString('base64')}`)
  const series = Buffer.concat(received.map((r) => r.body)).toString('latin1')
  expect(series).toContain('k6_http_reqs_total')
  expect(series).toContain('GET /health')
  // The password went to k6 through its environment only: no file of the run holds it.
  for (const file of readdirSync(path.join(dir, 'work'))) expect(readFileSync(path.join(dir, 'work', file), 'latin1')).not.toContain(PASSWORD)
  expect(readFileSync(path.join(dir, 'results.json'), 'utf8')).not.toContain(PASSWORD)
}, 60_000)

it('masks the password in the action log, and leaves settings that are no secrets readable', async () => {
  const dir = tempDir('perf-xi-prom-rw-action-')
  writeFileSync(path.join(dir, 'perf-xi.yml'), 'outputs: [experimental-prometheus-rw]\nslos:\n  "*": { p95: 2s }\n')
  const { port } = receiver.address() as AddressInfo
  const before = received.length
  const run = await runBundledAction({
    entry: 'source',
    k6Dir: path.dirname(k6.path),
    inputs: {
      openapi: path.join(root, 'examples/sample-api/openapi.yaml'),
      config: path.join(dir, 'perf-xi.yml'),
      include: 'GET /health',
      'base-url': api.url,
      vus: '2',
      duration: '2s',
      comment: 'false',
    },
    env: {
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_RUN_ID: '93',
      GITHUB_SHA: 'abc123',
      GITHUB_EVENT_NAME: 'push',
      K6_PROMETHEUS_RW_SERVER_URL: `http://127.0.0.1:${port}/api/v1/write`,
      K6_PROMETHEUS_RW_USERNAME: 'perf',
      K6_PROMETHEUS_RW_PASSWORD: PASSWORD,
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
    },
  })
  expect(run.outputs.verdict).toBe('pass')
  expect(run.exitCode).toBe(0)
  // k6 got the password (it authenticated with it), and the log holds it only in the runner's mask command.
  expect(received.slice(before).some((r) => r.headers.authorization === `Basic ${Buffer.from(`perf:${PASSWORD}`).toString('base64')}`)).toBe(true)
  const lines = run.stdout.split('\n')
  expect(lines.filter((line) => line.includes(PASSWORD))).toEqual([`::add-mask::${PASSWORD}`])
  // The push interval, user name and server URL are no secrets: masked, every "1s" of the log would be starred out.
  expect(lines.filter((line) => line.startsWith('::add-mask::'))).toEqual([`::add-mask::${PASSWORD}`])
}, 90_000)

it("writes k6's web dashboard report with html-report", async () => {
  const dir = tempDir('perf-xi-html-report-')
  const config = resolveConfig(
    {
      openapi: path.join(root, 'examples/sample-api/openapi.yaml'),
      include: 'GET /health',
      'base-url': api.url,
      vus: '2',
      duration: '4s',
      'html-report': 'true',
      'results-file': path.join(dir, 'results.json'),
    },
    { cwd: dir },
  )
  const io = { cwd: dir, workDir: path.join(dir, 'work'), env: {}, log: () => {}, warn: () => {}, k6Output: () => {}, ensureK6: async () => k6 }
  const { results, htmlReportPath } = await runGate(config, { runId: 'html' }, io)
  expect(results.verdict).toBe('pass')
  expect(htmlReportPath).toBe(path.join(dir, 'work', 'perf-xi-report.html'))
  expect(existsSync(htmlReportPath!)).toBe(true)
  const html = readFileSync(htmlReportPath!, 'utf8')
  expect(html).toMatch(/^<!DOCTYPE html>/i)
  expect(html.length).toBeGreaterThan(10_000)
}, 60_000)
