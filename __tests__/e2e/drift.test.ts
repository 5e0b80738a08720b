/**
 * Drift within a run, end to end: the gate with real k6 (its raw samples streamed into per-endpoint
 * windows) against the sample API's GET /retained on 127.0.0.1, under the soak profile shortened to
 * 30 s in windows of 1.25 s (__tests__/fixtures/gate/drift-leak.yml, max-drift 20%). Once the server
 * leaks (100 µs slower per request served at 20 requests/s: p95 from about 5 ms to 60 ms), once it does not. The
 * margins are wide on purpose (the runner is shared): the tests check what was found, not figures.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi, type SampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { runGate, type GateIo } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { renderPrComment } from '../../src/report/comment.js'
import { renderSummaryMarkdown } from '../../src/report/summary.js'
import { ResultsFileSchema } from '../../src/results/schema.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const DRIFT = '__tests__/fixtures/gate/drift-leak.yml'

let k6: K6Binary
let leaky: SampleApi
let steady: SampleApi

beforeAll(async () => {
  k6 = await ensureK6()
  leaky = await startSampleApi({ leakUs: 100 })
  steady = await startSampleApi()
}, 300_000)

afterAll(async () => {
  await leaky?.close()
  await steady?.close()
})

async function gate(inputs: RawInputs) {
  const workDir = tempDir('perf-xi-drift-')
  const config = resolveConfig({ 'results-file': path.join(workDir, 'results.json'), ...inputs }, { cwd: root })
  const logs: string[] = []
  const io: GateIo = {
    cwd: root,
    workDir,
    env: {},
    log: (l) => logs.push(l),
    warn: (l) => logs.push(`warning: ${l}`),
    k6Output: () => {},
    ensureK6: async () => k6,
  }
  const outcome = await runGate(config, { runId: 'drift' }, io)
  return { ...outcome, logs }
}

describe('a soak run of an endpoint that leaks', () => {
  it('finds p95 rising past max-drift, fails the gate for it and says so first, with a chart', async () => {
    const { results, logs } = await gate({ config: DRIFT, 'base-url': leaky.url })
    const drift = results.drift!
    expect(drift.status).toBe('fail')
    expect(drift.window_ms).toBe(1250)
    expect(drift.windows).toBeGreaterThanOrEqual(8)
    const p95 = drift.findings.find((f) => f.metric === 'p95')!
    expect(p95).toMatchObject({ endpoint: 'GET /retained', breach: true })
    expect(p95.p).toBeLessThan(0.01)
    expect(p95.change!).toBeGreaterThan(20)
    expect(p95.sentence).toMatch(/^p95 of GET \/retained rose [\d.]+ ms per minute, \+\d+% from the first to the last quarter of the run, p [<=] [\d.]+$/)
    // The whole-run SLOs hold (p95 under 2 s): only the drift fails the gate.
    expect(results.slo_breaches).toEqual([])
    expect(results.verdict).toBe('fail')
    expect(results.ci_gate).toBe('fail')
    expect(results.reasons[0]).toBe(drift.reason)
    expect(logs).toContain(`Drift: ${drift.reason}`)
    expect(ResultsFileSchema.parse(JSON.parse(JSON.stringify(results)))).toEqual(results)

    const comment = renderPrComment(results).split('\n')
    expect(comment[0]).toBe('## ❌ Perf-Xi: FAIL — drift past max-drift')
    const driftLine = comment.findIndex((l) => l.startsWith('**Drift** ❌'))
    expect(driftLine).toBeGreaterThan(0)
    expect(driftLine).toBeLessThan(comment.findIndex((l) => l.startsWith('| Endpoint')))
    const summary = renderSummaryMarkdown(results)
    expect(summary).toContain('title "p95 of GET /retained per 1.25s window"')
  }, 90_000)
})

describe('the same soak run without the leak', () => {
  it('finds no drift and passes', async () => {
    const { results } = await gate({ config: DRIFT, 'base-url': steady.url })
    const drift = results.drift!
    expect(drift.status).toBe('none')
    expect(drift.findings).toEqual([])
    expect(drift.tested).toBeGreaterThanOrEqual(2)
    expect(results.verdict).toBe('pass')
    expect(renderPrComment(results)).toContain('**Drift** ✅ No drift in ')
  }, 90_000)
})
