/**
 * Endpoint categories shape the load that really runs: a script with a standard, a critical and a
 * data-intensive endpoint of the sample API passes `k6 inspect` and runs for four seconds with real
 * k6. A small proxy in front of the API records, per path, when each request arrived and on which
 * connection (each k6 VU keeps its own), so the test sees each scenario's VUs and the
 * data-intensive scenario's think time from the server's side.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { runK6 } from '../../src/k6/run.js'
import { parseK6Summary } from '../../src/k6/summary.js'
import { buildPlan, type TestPlan } from '../../src/plan/plan.js'
import { peakVus } from '../../src/plan/profiles.js'
import { renderK6Script } from '../../src/script/k6.js'
import { computeSlis } from '../../src/sli.js'
import { loadSpec } from '../../src/spec/load.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const SECONDS = 4
const THINK_MS = 1000

interface Arrival {
  path: string
  /** The client's end of the connection: one per k6 VU. */
  connection: string
  at: number
}

/** Forwards every request to `target`, recording its path, connection and arrival time. */
async function startRecordingProxy(target: string): Promise<{ url: string; arrivals: Arrival[]; close: () => Promise<void> }> {
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const arrivals: Arrival[] = []
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    arrivals.push({ path: req.url!.split('?')[0]!, connection: `${req.socket.remoteAddress}:${req.socket.remotePort}`, at: Date.now() })
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

let k6: K6Binary
let api: Awaited<ReturnType<typeof startSampleApi>>
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>
let workDir: string
let plan: TestPlan
let scriptPath: string

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, seed: 7 })
  proxy = await startRecordingProxy(api.url)
  workDir = tempDir('perf-xi-categories-')
  // JSON is YAML: the config file the gate would read. /health is standard (10 VUs per endpoint),
  // /search critical (20), /reports/slow data-intensive, given 10 VUs per endpoint and 1 s of think
  // time here: demands 10, 20 and 10 share the 8 VUs as 2, 4 and 2.
  const configFile = path.join(workDir, 'perf-xi.yml')
  writeFileSync(
    configFile,
    JSON.stringify({
      openapi: 'examples/sample-api/openapi.yaml',
      profile: 'smoke',
      vus: 8,
      duration: `${SECONDS}s`,
      'think-time': '50ms',
      endpoints: { include: ['GET /health', 'GET /search', 'GET /reports/slow'] },
      slos: { '*': { p95: '2s', 'error-rate': '5%' } },
      categories: { 'data-intensive': { vus: 10, 'think-time': `${THINK_MS}ms` } },
    }),
  )
  const config = resolveConfig({ config: configFile, 'base-url': proxy.url }, { cwd: root })
  plan = buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
  scriptPath = path.join(workDir, 'perf-xi-script.js')
  writeFileSync(scriptPath, renderK6Script(plan, { title: 'Perf-Xi sample API', source: config.openapi, scriptName: 'perf-xi-script.js' }))
}, 300_000)

afterAll(async () => {
  await proxy?.close()
  await api?.close()
})

describe('a script with endpoints in all three categories', () => {
  it('passes k6 inspect with one scenario per category, each on its share of the VUs', () => {
    const env = { PATH: process.env.PATH, K6_NO_USAGE_REPORT: 'true' }
    const inspected = JSON.parse(execFileSync(k6.path, ['inspect', '--execution-requirements', scriptPath], { env, encoding: 'utf8' }))
    expect(inspected.scenarios).toEqual({
      standard: expect.objectContaining({ executor: 'constant-vus', exec: 'standard', vus: 2, duration: `${SECONDS}s` }),
      critical: expect.objectContaining({ executor: 'constant-vus', exec: 'critical', vus: 4, duration: `${SECONDS}s` }),
      data_intensive: expect.objectContaining({ executor: 'constant-vus', exec: 'data_intensive', vus: 2, duration: `${SECONDS}s` }),
    })
    expect(inspected.maxVUs).toBe(8)
    expect(peakVus(plan.executor)).toBe(8)
  })

  describe('run for real', () => {
    let byPath: Record<string, Arrival[]>
    let vusMax: number | null | undefined
    let exitCode: number | null

    beforeAll(async () => {
      const summaryPath = path.join(workDir, 'summary.json')
      const result = await runK6({ k6Path: k6.path, scriptPath, summaryPath, cwd: workDir, env: { PERF_XI_BASE_URL: proxy.url } })
      exitCode = result.exitCode
      const summary = parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath)
      const keyed = plan.endpoints.map((p) => ({ key: p.endpoint.key, method: p.endpoint.method, metricName: p.metricName }))
      vusMax = computeSlis(summary, keyed, result.wallTimeMs).total.vus_max
      byPath = {}
      for (const arrival of proxy.arrivals) (byPath[arrival.path] ??= []).push(arrival)
    }, 120_000)

    it('runs every scenario, with the profile peak of VUs in all', () => {
      expect(exitCode).toBe(0)
      expect(vusMax).toBe(8)
    })

    it('runs each scenario on its own VUs: one connection each', () => {
      const connections = (p: string) => new Set(byPath[p]!.map((a) => a.connection)).size
      expect({ standard: connections('/health'), critical: connections('/search'), dataIntensive: connections('/reports/slow') }).toEqual({
        standard: 2,
        critical: 4,
        dataIntensive: 2,
      })
    })

    it("spaces the data-intensive VUs' requests by its think time", () => {
      const slow = byPath['/reports/slow']!
      // Each iteration is the ~150 ms report, then 1 s of sleep: 2 VUs × ⌈4 s / 1.15 s⌉ iterations started.
      const perVu = Math.ceil((SECONDS * 1000) / (THINK_MS + 150))
      expect(slow.length).toBeGreaterThanOrEqual(2 * (perVu - 1))
      expect(slow.length).toBeLessThanOrEqual(2 * perVu)
      const byConnection = new Map<string, number[]>()
      for (const a of slow) byConnection.set(a.connection, [...(byConnection.get(a.connection) ?? []), a.at])
      for (const times of byConnection.values()) {
        for (let i = 1; i < times.length; i++) {
          const gap = times[i]! - times[i - 1]!
          expect(gap).toBeGreaterThanOrEqual(THINK_MS + 100)
          expect(gap).toBeLessThan(THINK_MS + 600)
        }
      }
      // The standard and critical scenarios pause 50 ms only: many times as many requests per VU.
      expect(byPath['/health']!.length / 2).toBeGreaterThan(10 * (slow.length / 2))
    })
  })
})
