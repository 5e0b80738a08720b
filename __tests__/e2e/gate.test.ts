/**
 * The gate end to end with real k6 against the real sample API on 127.0.0.1: a few seconds each.
 */
import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { UserError } from '../../src/errors.js'
import { runGate, type GateIo } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { runK6 } from '../../src/k6/run.js'
import { ResultsFileSchema } from '../../src/results/schema.js'
import { tempDir } from '../support/temp-dirs.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..', '..')
const fixtures = path.join(here, '..', 'fixtures')
const GENEROUS = '__tests__/fixtures/gate/generous.yml'
const SLOW_BREACH = '__tests__/fixtures/gate/slow-breach.yml'
const TOKEN = 'e2e-token'

let api: Awaited<ReturnType<typeof startSampleApi>>
let k6: K6Binary

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, token: TOKEN, seed: 7 })
}, 300_000)

afterAll(async () => {
  await api?.close()
})

function gateIo(workDir: string, env: NodeJS.ProcessEnv = { SAMPLE_API_TOKEN: TOKEN }): GateIo & { warnings: string[] } {
  const warnings: string[] = []
  return {
    cwd: root,
    workDir,
    env,
    log: () => {},
    warn: (line) => warnings.push(line),
    k6Output: () => {},
    ensureK6: async () => k6,
    warnings,
  }
}

async function gate(inputs: RawInputs, env?: NodeJS.ProcessEnv) {
  const workDir = tempDir('perf-xi-e2e-')
  const config = resolveConfig({ 'results-file': path.join(workDir, 'results.json'), ...inputs }, { cwd: root })
  const io = gateIo(workDir, env)
  const outcome = await runGate(config, { runId: 'e2e' }, io)
  return { ...outcome, workDir, warnings: io.warnings }
}

describe('a real k6 run against the sample API', () => {
  it('passes when every endpoint meets its SLO, with SLIs for every endpoint', async () => {
    const before = api.stats()
    const { results, resultsPath, scriptPath } = await gate({ config: GENEROUS, 'base-url': api.url })

    expect(results.verdict).toBe('pass')
    expect(results.ci_gate).toBe('pass')
    expect(results.run.k6_exit_code).toBe(0)
    expect(results.run.k6_version).toBe(k6.version)
    // Every operation of the sample API runs, the authenticated one and the POST included.
    expect(results.slis.map((s) => s.endpoint).sort()).toEqual(
      ['GET /account', 'GET /health', 'GET /inventory/flaky', 'GET /products', 'GET /products/{id}', 'GET /reports/slow', 'GET /search', 'POST /orders'].sort(),
    )
    const after = api.stats()
    for (const sli of results.slis) {
      expect(sli.requests).toBeGreaterThan(0)
      // The data-intensive report, with its 3 s think time, gets a request or two: too few for any percentile.
      if (sli.endpoint === 'GET /reports/slow') expect(sli.too_few_samples).toEqual(expect.arrayContaining(['p95', 'p99']))
      else expect([sli.p95_ms, sli.p99_ms]).not.toContain(null)
      expect(sli.rps).toBeGreaterThan(0)
      // k6's count is what the server really answered, plus the one preflight probe per reading endpoint
      // (probes never write).
      const probes = sli.method === 'GET' || sli.method === 'HEAD' ? 1 : 0
      expect(after[sli.endpoint] - (before[sli.endpoint] ?? 0)).toBe(sli.requests + probes)
    }
    // Authenticated and well-formed requests are accepted: no errors outside the flaky endpoint.
    for (const sli of results.slis.filter((s) => s.endpoint !== 'GET /inventory/flaky')) expect(sli.error_rate_pct).toBe(0)
    // The report takes the server 150 ms; k6's clock and the server's timer may differ by a millisecond.
    expect(results.slis.find((s) => s.endpoint === 'GET /reports/slow')!.max_ms).toBeGreaterThanOrEqual(145)

    expect(ResultsFileSchema.parse(JSON.parse(readFileSync(resultsPath, 'utf8')))).toEqual(results)
    const script = readFileSync(scriptPath, 'utf8')
    expect(script).not.toContain(TOKEN)
  })

  it('fails when an SLO is breached (k6 exits 99), naming the endpoint and the config line', async () => {
    const { results } = await gate({ config: SLOW_BREACH, 'base-url': api.url })

    expect(results.run.k6_exit_code).toBe(99)
    expect(results.verdict).toBe('fail')
    expect(results.ci_gate).toBe('fail')
    expect(results.slo_breaches).toEqual([expect.objectContaining({ endpoint: 'GET /reports/slow', limit: 'p95', threshold: 50 })])
    expect(results.reasons[0]).toMatch(/^GET \/reports\/slow: p95 \d+ ms breached \(SLO < 50 ms\)$/)
    expect(results.slo_checks.find((c) => c.endpoint === 'GET /reports/slow' && c.limit === 'p95')).toMatchObject({ selector: 'GET /reports/slow', line: 12 })
    expect(results.slis.find((s) => s.endpoint === 'GET /products')!.slo_status).toBe('pass')
    expect(results.skipped.length).toBeGreaterThan(0)
  })

  it('does not fail the step when fail-on is never, but still reports the breach', async () => {
    const { results } = await gate({ config: SLOW_BREACH, 'base-url': api.url, 'fail-on': 'never' })
    expect(results.verdict).toBe('fail')
    expect(results.ci_gate).toBe('pass')
  })
})

describe('runs that cannot be judged are errors, never a pass', () => {
  it('reports k6 exit 107 (script exception) with k6 own message', async () => {
    const workDir = tempDir('perf-xi-e2e-')
    const summaryPath = path.join(workDir, 'summary.json')
    const run = await runK6({
      k6Path: k6.path,
      scriptPath: path.join(fixtures, 'k6', 'throws.js'),
      summaryPath,
      cwd: workDir,
      env: { PERF_XI_BASE_URL: api.url },
    })
    expect(run.exitCode).toBe(107)
    expect(run.outcome).toEqual({
      ran: false,
      reason: 'the script threw an exception (exit code 107): Error: fixture: the order service client is not configured',
    })
  })

  it('stops before any load when the base URL is unreachable', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))

    const workDir = tempDir('perf-xi-e2e-')
    const config = resolveConfig({ config: GENEROUS, 'base-url': `http://127.0.0.1:${port}` }, { cwd: root })
    const io = gateIo(workDir)
    let k6Asked = false
    io.ensureK6 = async (opts) => {
      if (opts.installIfMissing !== false) k6Asked = true
      return k6
    }
    const error = await runGate(config, { runId: 'e2e' }, io).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(String(error)).toBe(`base URL http://127.0.0.1:${port} is unreachable (connect ECONNREFUSED 127.0.0.1:${port}); checked before starting any load`)
    expect(k6Asked).toBe(false)
    expect(existsSync(path.join(workDir, 'k6-summary.json'))).toBe(false)
  })

  it('stops before any load when the target answers only errors', async () => {
    const broken = http.createServer((_, res) => {
      res.statusCode = 503
      res.end('maintenance')
    })
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`
      const error = await gate({ config: GENEROUS, 'base-url': url }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UserError)
      expect(String(error)).toMatch(new RegExp(`^the target at ${url} answers only errors \\(GET /account → 503, .*\\); checked before starting any load$`))
    } finally {
      broken.closeAllConnections()
      await new Promise((resolve) => broken.close(resolve))
    }
  })

  it('stops before any load when an auth secret is not in the environment', async () => {
    const error = await gate({ config: GENEROUS, 'base-url': api.url }, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(String(error)).toBe(
      '__tests__/fixtures/gate/generous.yml: auth (bearer) reads SAMPLE_API_TOKEN from the environment, but it is not set; pass the secret with env: in the workflow step',
    )
  })
})
