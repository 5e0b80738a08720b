/**
 * How the generated script shares a scenario's VUs among its operations, run by real k6 against a
 * server on 127.0.0.1: two endpoints taking 1–4 s each beside six fast ones, 2 VUs for 10 s. Each
 * operation gets its share of each VU's time, so the slow ones cannot hold the fast ones to a
 * handful of requests; the slow ones' percentiles show as too few samples, said in the verdict.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { resolveConfig } from '../../src/config/load.js'
import { ensureK6 } from '../../src/k6/install.js'
import { runK6 } from '../../src/k6/run.js'
import { parseK6Summary } from '../../src/k6/summary.js'
import { buildPlan } from '../../src/plan/plan.js'
import { MIN_SAMPLES } from '../../src/sample-minimums.js'
import { renderK6Script } from '../../src/script/k6.js'
import { computeSlis } from '../../src/sli.js'
import { loadSpec } from '../../src/spec/load.js'
import { evaluateSlos } from '../../src/verdict.js'
import { tempDir } from '../support/temp-dirs.js'

const FAST = ['/alpha', '/bravo', '/charlie', '/delta', '/echo', '/foxtrot']
const SLOW = ['/slow-one', '/slow-two']

let server: http.Server
let baseUrl: string
const served = new Map<string, number>()

beforeAll(async () => {
  let turn = 0
  server = http.createServer((req, res) => {
    const answer = () => {
      served.set(req.url!, (served.get(req.url!) ?? 0) + 1)
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
    }
    // 1 s, 2.5 s, 4 s in turn: the slow endpoints of the report that found the starvation.
    if (SLOW.includes(req.url!)) setTimeout(answer, [1000, 2500, 4000][turn++ % 3])
    else answer()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

it('gives every fast endpoint at least the samples a p99 needs while two 1–4 s endpoints share its scenario', async () => {
  const dir = tempDir('perf-xi-scheduling-')
  const paths = Object.fromEntries([...FAST, ...SLOW].map((p) => [p, { get: { responses: { '200': { description: 'ok' } } } }]))
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'Mixed', version: '1' }, paths }))
  writeFileSync(path.join(dir, 'perf-xi.yml'), 'slos:\n  "*": { p95: 5s, p99: 5s }\n')
  const config = resolveConfig({ openapi: 'spec.json', config: 'perf-xi.yml', 'base-url': baseUrl, vus: '2', duration: '10s' }, { cwd: dir })
  const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: dir }))
  // All eight in one scenario (standard), on its 2 VUs.
  expect(plan.scenarios.map((s) => [s.name, s.endpoints.length])).toEqual([['standard', 8]])
  const scriptPath = path.join(dir, 'perf-xi-script.js')
  const summaryPath = path.join(dir, 'k6-summary.json')
  writeFileSync(scriptPath, renderK6Script(plan, { title: 'Mixed', source: 'spec.json', scriptName: 'perf-xi-script.js' }))

  const k6 = await ensureK6()
  let output = ''
  const run = await runK6({ k6Path: k6.path, scriptPath, summaryPath, cwd: dir, env: {}, onOutput: (t) => (output += t) })
  expect({ exitCode: run.exitCode, output: run.exitCode === 0 ? '' : output }).toEqual({ exitCode: 0, output: '' })

  const keyed = plan.endpoints.map((p) => ({ key: p.endpoint.key, method: p.endpoint.method, metricName: p.metricName }))
  const slis = computeSlis(parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath), keyed, run.wallTimeMs)
  const requests = Object.fromEntries(slis.endpoints.map((s) => [s.endpoint, s.requests]))
  for (const p of FAST) {
    expect({ endpoint: p, enough: requests[`GET ${p}`]! >= MIN_SAMPLES.p99 }).toEqual({ endpoint: p, enough: true })
    expect(served.get(p)).toBe(requests[`GET ${p}`])
  }
  // The slow ones got their share of the VUs' time: a few requests each, not none.
  for (const p of SLOW) expect(requests[`GET ${p}`]).toBeGreaterThanOrEqual(1)

  const slow = slis.endpoints.find((s) => s.endpoint === 'GET /slow-one')!
  expect(slow).toMatchObject({ p95_ms: null, p99_ms: null, too_few_samples: expect.arrayContaining(['p95', 'p99']) })
  const verdict = evaluateSlos({ slis: slis.endpoints, total: slis.total, slos: new Map(plan.endpoints.map((p) => [p.endpoint.key, p.slo])) })
  expect(verdict.status).toBe('pass')
  expect(verdict.reasons).toContainEqual(expect.stringMatching(/^GET \/slow-one: p95 and p99 not judged: too few samples \(\d+; needed: p95 20, p99 100\)/))
  expect(
    verdict.checks
      .filter((c) => c.status === 'too-few-samples')
      .map((c) => `${c.endpoint} ${c.limit}`)
      .sort(),
  ).toEqual(['GET /slow-one p95', 'GET /slow-one p99', 'GET /slow-two p95', 'GET /slow-two p99'])
}, 120_000)
