/**
 * Every profile's script with real k6 against the real sample API on 127.0.0.1: `k6 inspect` of
 * the production-sized defaults, then short real runs (seconds each), traffic weights measured at
 * the server, and a breakpoint run that k6 stops at the SLO it crosses.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { runK6, type K6RunResult } from '../../src/k6/run.js'
import { parseK6Summary, type K6Summary } from '../../src/k6/summary.js'
import { categoryScenarios } from '../../src/plan/category-scenarios.js'
import { buildPlan, type TestPlan } from '../../src/plan/plan.js'
import { resolveWeights, type WeightRule } from '../../src/plan/profile-config.js'
import { parseDuration } from '../../src/duration.js'
import { buildExecutor, peakVus, totalDurationMs, type ProfileName, type ProfileOverrides } from '../../src/plan/profiles.js'
import { buildResults } from '../../src/results/build.js'
import { renderK6Script } from '../../src/script/k6.js'
import { computeSlis } from '../../src/sli.js'
import { breakpointReport } from '../../src/verdict/breakpoint.js'
import { loadSpec } from '../../src/spec/load.js'
import { evaluateSlos, gateFails } from '../../src/verdict.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
/** Two standard endpoints (/health, /products/{id}) and two critical ones (/products, /search): two scenarios. */
const FAST = ['GET /health', 'GET /products', 'GET /products/{id}', 'GET /search']
const GENEROUS_SLOS = { '*': { p95: '2s', 'error-rate': '5%' } }

let api: Awaited<ReturnType<typeof startSampleApi>>
let k6: K6Binary
let workDir: string

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, seed: 7 })
  workDir = tempDir('perf-xi-profiles-')
}, 300_000)

afterAll(async () => {
  await api?.close()
})

interface PlanOptions {
  include?: string[]
  slos?: Record<string, Record<string, string>>
  weights?: WeightRule[]
  thinkTimeMs?: number
  categories?: Record<string, unknown>
}

/**
 * A plan as the gate builds it (config → spec → plan), then given the profile's executor and
 * weights, as plan.ts will once the new config keys are merged.
 */
async function planFor(profile: ProfileName, overrides: ProfileOverrides, opts: PlanOptions = {}): Promise<{ plan: TestPlan; config: Config }> {
  const configFile = path.join(workDir, `${profile}-${Math.random().toString(36).slice(2)}.json`)
  // JSON is YAML: the config file the gate would read.
  writeFileSync(
    configFile,
    JSON.stringify({
      openapi: 'examples/sample-api/openapi.yaml',
      endpoints: { include: opts.include ?? FAST },
      slos: opts.slos ?? GENEROUS_SLOS,
      'think-time': opts.thinkTimeMs ?? 0,
      ...(opts.categories ? { categories: opts.categories } : {}),
    }),
  )
  const config = resolveConfig({ config: configFile, 'base-url': api.url, 'results-file': path.join(workDir, 'results.json') }, { cwd: root })
  const spec = await loadSpec(config.openapi, { cwd: root })
  const base = buildPlan(config, spec)
  const weights = resolveWeights(
    base.endpoints.map((p) => p.endpoint),
    opts.weights ?? [],
  )
  const plan: TestPlan = {
    ...base,
    profile: profile as TestPlan['profile'],
    executor: buildExecutor(profile, overrides),
    endpoints: base.endpoints.map((p, i) => Object.assign({}, p, { weight: weights[i] })),
  }
  return { plan: { ...plan, scenarios: categoryScenarios(plan) }, config }
}

function writeScript(plan: TestPlan, name: string): string {
  const scriptPath = path.join(workDir, `${name}.js`)
  writeFileSync(scriptPath, renderK6Script(plan, { title: 'Perf-Xi sample API', source: 'examples/sample-api/openapi.yaml', scriptName: `${name}.js` }))
  return scriptPath
}

function inspect(scriptPath: string): {
  maxVUs: number
  totalDuration: string
  scenarios: Record<string, Record<string, unknown>>
  thresholds: Record<string, unknown[]>
} {
  const env = { PATH: process.env.PATH, K6_NO_USAGE_REPORT: 'true' }
  return JSON.parse(execFileSync(k6.path, ['inspect', '--execution-requirements', scriptPath], { env, encoding: 'utf8' }))
}

interface Measured {
  run: K6RunResult
  summary: K6Summary
  slis: ReturnType<typeof computeSlis>
  /** Requests the sample API itself served during the run, per endpoint. */
  served: Record<string, number>
}

async function run(plan: TestPlan, name: string): Promise<Measured> {
  const scriptPath = writeScript(plan, name)
  const summaryPath = path.join(workDir, `${name}-summary.json`)
  const before = api.stats()
  const result = await runK6({ k6Path: k6.path, scriptPath, summaryPath, cwd: workDir, env: { PERF_XI_BASE_URL: api.url } })
  const after = api.stats()
  expect(existsSync(summaryPath)).toBe(true)
  const summary = parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath)
  const keyed = plan.endpoints.map((p) => ({ key: p.endpoint.key, method: p.endpoint.method, metricName: p.metricName }))
  const served = Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - (before[key] ?? 0)]))
  return { run: result, summary, slis: computeSlis(summary, keyed, result.wallTimeMs), served }
}

describe('k6 inspect accepts every profile at its full size', () => {
  const cases: Array<{ profile: ProfileName; overrides: ProfileOverrides; executor: string }> = [
    { profile: 'smoke', overrides: {}, executor: 'constant-vus' },
    { profile: 'load', overrides: {}, executor: 'ramping-vus' },
    { profile: 'ramp', overrides: {}, executor: 'ramping-vus' },
    { profile: 'soak', overrides: {}, executor: 'ramping-vus' },
    { profile: 'spike', overrides: {}, executor: 'ramping-vus' },
    { profile: 'stress', overrides: {}, executor: 'ramping-vus' },
    { profile: 'breakpoint', overrides: {}, executor: 'ramping-arrival-rate' },
    { profile: 'smoke', overrides: { model: 'open', rate: 50 }, executor: 'constant-arrival-rate' },
    { profile: 'spike', overrides: { model: 'open', vus: 200 }, executor: 'ramping-arrival-rate' },
    { profile: 'stress', overrides: { model: 'open', rate: 600, preAllocatedVus: 50, vus: 400 }, executor: 'ramping-arrival-rate' },
    { profile: 'soak', overrides: { holdMs: 4 * 3_600_000 }, executor: 'ramping-vus' },
  ]

  it.each(cases)(
    '$profile $overrides: $executor',
    async ({ profile, overrides, executor }) => {
      const { plan } = await planFor(profile, overrides)
      const inspected = inspect(writeScript(plan, `inspect-${profile}`))
      // One scenario per category, each running the profile's executor with its own function.
      expect(Object.keys(inspected.scenarios).sort()).toEqual(['critical', 'standard'])
      for (const name of ['standard', 'critical']) expect(inspected.scenarios[name]).toMatchObject({ executor, exec: name })
      // k6's own arithmetic agrees with the plan's: the most VUs (the scenarios' peaks add up to the
      // profile's), and the length plus the graceful stop k6 gives requests in flight to finish.
      expect(inspected.maxVUs).toBe(peakVus(plan.executor))
      expect(parseDuration(inspected.totalDuration)).toBe(totalDurationMs(plan.executor) + Math.max(...plan.scenarios.map((s) => s.gracefulStopMs)))
      const thresholds = Object.values(inspected.thresholds).flat()
      if (profile === 'breakpoint') {
        expect(thresholds).toContainEqual({ threshold: 'p(95)<2000', abortOnFail: true, delayAbortEval: '10s' })
      } else {
        expect(JSON.stringify(thresholds)).not.toContain('abortOnFail')
      }
    },
    60_000,
  )
})

describe('every profile runs for real, shortened to seconds', () => {
  const cases: Array<{ what: string; profile: ProfileName; overrides: ProfileOverrides; peak: number; thinkTimeMs?: number }> = [
    { what: 'smoke', profile: 'smoke', overrides: { vus: 2, durationMs: 3000 }, peak: 2, thinkTimeMs: 10 },
    { what: 'load', profile: 'load', overrides: { vus: 4, durationMs: 5000 }, peak: 4, thinkTimeMs: 10 },
    { what: 'ramp', profile: 'ramp', overrides: { vus: 4, durationMs: 4000 }, peak: 4, thinkTimeMs: 10 },
    { what: 'soak (hold 3 s)', profile: 'soak', overrides: { vus: 3, durationMs: 5000, holdMs: 3000 }, peak: 3, thinkTimeMs: 10 },
    { what: 'spike', profile: 'spike', overrides: { vus: 10, durationMs: 6000 }, peak: 10, thinkTimeMs: 10 },
    { what: 'stress', profile: 'stress', overrides: { vus: 6, durationMs: 7000 }, peak: 6, thinkTimeMs: 10 },
    {
      what: 'custom stages',
      profile: 'load',
      overrides: {
        stages: [
          { durationMs: 1000, target: 2 },
          { durationMs: 0, target: 5 },
          { durationMs: 2000, target: 5 },
        ],
      },
      peak: 5,
      thinkTimeMs: 10,
    },
    { what: 'smoke, open model', profile: 'smoke', overrides: { model: 'open', rate: 25, durationMs: 3000, vus: 20 }, peak: 20 },
    { what: 'spike, open model', profile: 'spike', overrides: { model: 'open', rate: 40, durationMs: 6000, vus: 20 }, peak: 20 },
    { what: 'breakpoint, every SLO held', profile: 'breakpoint', overrides: { rate: 30, durationMs: 4000, preAllocatedVus: 2, vus: 20 }, peak: 20 },
  ]

  it.each(cases)(
    '$what',
    async ({ profile, overrides, peak, thinkTimeMs }) => {
      const { plan } = await planFor(profile, overrides, { thinkTimeMs })
      expect(peakVus(plan.executor)).toBe(peak)
      const { run: result, summary, slis, served } = await run(plan, `run-${profile}`)

      expect(result.exitCode).toBe(0)
      expect(result.outcome).toEqual({ ran: true, failed: false })
      for (const sli of slis.endpoints) {
        expect(sli.requests).toBeGreaterThan(0)
        // What k6 counted is what the server answered.
        expect(served[sli.endpoint]).toBe(sli.requests)
      }
      const vusMax = slis.total.vus_max ?? 0
      if (plan.executor.type === 'constant-vus' || plan.executor.type === 'ramping-vus') expect(vusMax).toBe(peak)
      else expect(vusMax).toBeLessThanOrEqual(peak)
      if (plan.executor.type === 'constant-arrival-rate') {
        // Open model: iterations arrive at the rate, whatever the latency: 25/s for 3 s.
        expect(slis.total.requests).toBeGreaterThanOrEqual(72)
        expect(slis.total.requests).toBeLessThanOrEqual(77)
      }
      if (profile === 'breakpoint') {
        expect(breakpointReport(plan.executor, { exitCode: result.exitCode, summary, wallTimeMs: result.wallTimeMs })).toMatchObject({
          status: 'not-reached',
          rate: 30,
          reason: 'no breaking point: every SLO held up to 30 iterations/s, the top of the ramp; raise rate to search further',
        })
      }
    },
    60_000,
  )
})

describe('traffic weights', () => {
  it("gives each endpoint its share of its category's VU time: for endpoints equally fast, its share of the requests, counted by the server", async () => {
    const { plan } = await planFor(
      'smoke',
      { vus: 2, durationMs: 3000 },
      {
        weights: [
          { selector: 'GET /products', weight: 3 },
          { selector: 'GET /search', weight: 2 },
        ],
      },
    )
    const script = readFileSync(writeScript(plan, 'weights'), 'utf8')
    // Both weighted endpoints are critical: its VUs' time is shared by weight, the standard one's equally.
    expect(script).toContain('    criticalSpent[i] += (now - last) / CRITICAL_WEIGHTS[i];')
    expect(script).toContain('    standardSpent[i] += now - last;')
    const { run: result, slis, served } = await run(plan, 'weights')
    expect(result.exitCode).toBe(0)

    const categories = { standard: ['GET /health', 'GET /products/{id}'], critical: ['GET /products', 'GET /search'] }
    const expected: Record<string, number> = { 'GET /health': 1 / 2, 'GET /products/{id}': 1 / 2, 'GET /products': 3 / 5, 'GET /search': 2 / 5 }
    for (const keys of Object.values(categories)) {
      const total = keys.reduce((sum, key) => sum + served[key], 0)
      expect(total).toBeGreaterThan(250)
      for (const key of keys) {
        // Shares of time, measured in whole ms per request of about 1 ms: close to, not exactly, the weights.
        expect(Math.abs(served[key] / total - expected[key]!)).toBeLessThan(0.06)
        expect(slis.endpoints.find((s) => s.endpoint === key)!.requests).toBe(served[key])
      }
    }
  }, 60_000)
})

describe('breakpoint: k6 stops at the breaking point', () => {
  it('aborts when an SLO is crossed (exit 99), and the verdict is a breach at a rate, not a crash', async () => {
    const { plan, config } = await planFor(
      'breakpoint',
      { rate: 300, durationMs: 30_000, preAllocatedVus: 10, vus: 50 },
      {
        include: ['GET /health', 'GET /reports/slow'],
        slos: { '*': { p95: '2s' }, 'GET /reports/slow': { p95: '100ms' } },
        // Iterations of the data-intensive report are its request alone, so its share of the rate reaches it;
        // a third of a ramp to 300/s gives its p95 the 20 samples it needs before k6 may stop (3 s).
        categories: { 'data-intensive': { 'think-time': 0 } },
      },
    )
    expect(plan.executor.abortOnFail).toEqual({ delayAbortEvalMs: 3000 })
    const script = readFileSync(writeScript(plan, 'breakpoint-abort'), 'utf8')
    expect(script).toContain('"http_req_duration{name:GET /reports/slow}": [{"threshold":"p(95)<100","abortOnFail":true,"delayAbortEval":"3s"}],')

    const startedAt = new Date()
    const { run: result, summary, slis } = await run(plan, 'breakpoint-abort')
    const finishedAt = new Date()

    // k6 exits 99 when an abortOnFail threshold stops the test, the code of thresholds failed.
    expect(result.exitCode).toBe(99)
    expect(result.outcome).toEqual({ ran: true, failed: 'thresholds' })
    // It stopped well before the 30 s planned (after the 3 s delay, on k6's 2 s threshold checks).
    expect(result.wallTimeMs).toBeLessThan(20_000)

    const report = breakpointReport(plan.executor, { exitCode: result.exitCode, summary, wallTimeMs: result.wallTimeMs })!
    expect(report.status).toBe('reached')
    expect(report.elapsedMs).toBeGreaterThanOrEqual(3000)
    expect(report.elapsedMs).toBeLessThan(15_000)
    expect(report.rate).toBe(Math.round((300 * report.elapsedMs) / 30_000))
    expect(report.reason).toMatch(
      /^breaking point reached at about \d+ iterations\/s: an SLO was crossed and k6 stopped the test after [\d.]+s of 30s \(the ramp went up to 300 iterations\/s\)$/,
    )

    const verdict = evaluateSlos({ slis: slis.endpoints, total: slis.total, slos: new Map(plan.endpoints.map((p) => [p.endpoint.key, p.slo])) })
    expect(verdict.status).toBe('fail')
    expect(verdict.reasons[0]).toMatch(/^GET \/reports\/slow: p95 \d+ ms breached \(SLO < 100 ms\)$/)
    const results = buildResults({
      context: { runId: 'breakpoint' },
      config,
      plan,
      k6Version: k6.version,
      k6ExitCode: result.exitCode,
      startedAt,
      finishedAt,
      wallTimeMs: result.wallTimeMs,
      slis: slis.endpoints,
      total: slis.total,
      verdict: { ...verdict, reasons: [report.reason, ...verdict.reasons] },
      gateFails: gateFails(verdict.status, config.failOn),
    })
    expect(results).toMatchObject({
      verdict: 'fail',
      run: { k6_exit_code: 99, profile: 'breakpoint' },
      slo_breaches: [{ endpoint: 'GET /reports/slow', limit: 'p95' }],
    })
    expect(results.reasons[0]).toBe(report.reason)
    expect(results.summary.duration_ms).toBeLessThan(results.summary.planned_duration_ms)
  }, 60_000)
})
