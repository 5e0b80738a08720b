/**
 * Redirects with real k6 against a small server on 127.0.0.1: an operation whose spec declares a
 * redirect (302) is measured and judged on that answer, once per call, not on the page it points to.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { resolveConfig } from '../../src/config/load.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { parseK6Summary } from '../../src/k6/summary.js'
import { runK6 } from '../../src/k6/run.js'
import { buildPlan } from '../../src/plan/plan.js'
import { renderK6Script } from '../../src/script/k6.js'
import { computeSlis } from '../../src/sli.js'
import { loadSpec } from '../../src/spec/load.js'
import { tempDir } from '../support/temp-dirs.js'

const spec = `openapi: 3.0.3
info: { title: sign-in, version: '1' }
paths:
  /login:
    get:
      responses:
        '302': { description: on to the home page }
  /home:
    get:
      responses:
        '200': { description: the home page }
`

let k6: K6Binary
let workDir: string
let server: http.Server
const seen = new Map<string, number>()

beforeAll(async () => {
  k6 = await ensureK6()
  workDir = tempDir('perf-xi-redirects-')
  server = http.createServer((req, res) => {
    seen.set(req.url ?? '', (seen.get(req.url ?? '') ?? 0) + 1)
    if (req.url === '/login') res.writeHead(302, { Location: '/home' }).end()
    else res.end('home')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
}, 300_000)

afterAll(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  rmSync(workDir, { recursive: true, force: true })
})

it('measures an operation that declares 302 on its redirect: no errors, one request per call', async () => {
  const specPath = path.join(workDir, 'openapi.yaml')
  writeFileSync(specPath, spec)
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const config = resolveConfig({ openapi: specPath, 'base-url': baseUrl, include: 'GET /login', profile: 'smoke', vus: '2', duration: '2s' }, { cwd: workDir })
  const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: workDir }))
  const scriptPath = path.join(workDir, 'perf-xi-script.js')
  const summaryPath = path.join(workDir, 'k6-summary.json')
  writeFileSync(scriptPath, renderK6Script(plan, { title: 'sign-in', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' }))
  let output = ''
  const run = await runK6({ k6Path: k6.path, scriptPath, summaryPath, cwd: workDir, env: { PERF_XI_BASE_URL: baseUrl }, onOutput: (t) => (output += t) })
  expect({ exitCode: run.exitCode, output: run.exitCode === 0 ? '' : output }).toEqual({ exitCode: 0, output: '' })

  const slis = computeSlis(parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath), plan.endpoints.map((p) => ({ key: p.endpoint.key, method: p.endpoint.method, metricName: p.metricName })), run.wallTimeMs)
  const login = slis.endpoints.find((e) => e.endpoint === 'GET /login')
  expect(seen.get('/login')).toBeGreaterThan(0)
  expect({ requests: login?.requests, errors: login?.error_rate_pct, homeVisits: seen.get('/home') ?? 0 }).toEqual({ requests: seen.get('/login'), errors: 0, homeVisits: 0 })
}, 120_000)
