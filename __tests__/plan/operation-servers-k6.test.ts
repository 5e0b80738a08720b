/**
 * Operations with servers of their own, run with real k6: each request reaches the URL its
 * server says, relative to base-url where the server belongs to the API, and a host nobody
 * allowed gets no load at all.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../../src/config/load.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { runK6 } from '../../src/k6/run.js'
import { buildPlan } from '../../src/plan/plan.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadSpec } from '../../src/spec/load.js'
import { startRecordingServer } from '../support/recording-server.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Each request's Host (without port) and path. */
const startRecorder = () => startRecordingServer((req) => `${req.headers.host?.split(':')[0]} ${req.url}`)

let k6: K6Binary
let recorder: Awaited<ReturnType<typeof startRecorder>>

beforeAll(async () => {
  k6 = await ensureK6()
  recorder = await startRecorder()
}, 300_000)

afterAll(async () => {
  await recorder?.close()
})

it('sends each operation to its own server, rebased onto base-url, and skips a host nobody allowed', async () => {
  const workDir = tempDir('perf-xi-op-servers-')
  // The "another host" server's port is a variable of the spec: aim it at the recorder.
  const specPath = path.join(workDir, 'operation-servers-3.0.yaml')
  const fixture = readFileSync(path.join(root, '__tests__', 'fixtures', 'specs', 'operation-servers-3.0.yaml'), 'utf8')
  writeFileSync(specPath, fixture.replace('default: "9"', `default: "${recorder.port}"`))
  const baseUrl = `http://127.0.0.1:${recorder.port}/api`
  const config = resolveConfig(
    { openapi: specPath, 'base-url': baseUrl, 'allowed-hosts': `127.0.0.1, localhost:${recorder.port}`, profile: 'smoke', vus: '2', duration: '2s' },
    { cwd: root },
  )
  const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
  expect(plan.skipped).toEqual([
    { key: 'GET /export', reason: expect.stringContaining('served from https://exports.example.net (its own servers), which is not in allowed-hosts') },
  ])
  expect(plan.warnings).toContain(`GET /mirror is sent to http://localhost:${recorder.port}, its own server`)

  const scriptPath = path.join(workDir, 'perf-xi-script.js')
  writeFileSync(scriptPath, renderK6Script(plan, { title: 'Operation servers', source: specPath, scriptName: 'perf-xi-script.js' }))
  let output = ''
  const run = await runK6({
    k6Path: k6.path,
    scriptPath,
    summaryPath: path.join(workDir, 'k6-summary.json'),
    cwd: workDir,
    env: { PERF_XI_BASE_URL: baseUrl },
    onOutput: (t) => (output += t),
  })
  expect({ exitCode: run.exitCode, output: run.exitCode === 0 ? '' : output }).toEqual({ exitCode: 0, output: '' })

  expect(new Set(recorder.seen)).toEqual(
    new Set([
      '127.0.0.1 /api/items', // the document's server → base-url
      '127.0.0.1 /api/storage/blobs/42', // a path-level server under the document's → below base-url
      '127.0.0.1 /reporting/summary', // relative → base-url's origin
      '127.0.0.1 /cold/archive', // the document's host, another path → base-url's origin
      'localhost /mirror/mirror', // another host, allowed → as the spec says
    ]),
  )
}, 120_000)
