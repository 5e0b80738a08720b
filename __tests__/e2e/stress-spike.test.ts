/**
 * The stress and spike profiles end to end: the gate with real k6 (its raw samples streamed into the
 * timeline) against the sample API on 127.0.0.1, shortened to seconds. GET /capacity
 * (capacity.openapi.yaml) serves 4 requests at once with 20 ms of work, queues 8 more and refuses
 * the rest with 503; after a refusal the spike's server stays 5× slower for 10 s. The margins are
 * wide on purpose (the runner is shared): the tests check which criterion fired and roughly where,
 * not exact figures.
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
const STRESS = '__tests__/fixtures/gate/stress-capacity.yml'
const SPIKE = '__tests__/fixtures/gate/spike.yml'
const CAPACITY = { slots: 4, queue: 8, workMs: 20 }

let k6: K6Binary
let stressApi: SampleApi
let spikeApi: SampleApi

beforeAll(async () => {
  k6 = await ensureK6()
  stressApi = await startSampleApi({ capacity: CAPACITY })
  spikeApi = await startSampleApi({ capacity: { ...CAPACITY, cooldownMs: 10_000 } })
}, 300_000)

afterAll(async () => {
  await stressApi?.close()
  await spikeApi?.close()
})

async function gate(inputs: RawInputs) {
  const workDir = tempDir('perf-xi-phases-')
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
  const outcome = await runGate(config, { runId: 'phases' }, io)
  return { ...outcome, logs }
}

describe('a stress run against an endpoint of limited capacity', () => {
  it('finds where it breaks, reports it first, and does not fail the gate for it', async () => {
    const { results, logs } = await gate({ config: STRESS, 'base-url': stressApi.url })
    const stress = results.stress!
    expect(stress.status).toBe('found')
    // 4 slots and a queue of 8: refusals once more than 12 requests are in the server, which
    // 10 VUs with 50 ms think time never reach and 30 always do.
    expect(stress.breaking_point).toMatchObject({ criterion: 'error-rate', limit: 10 })
    expect(stress.breaking_point!.value).toBeGreaterThan(10)
    expect(stress.breaking_point!.vus!).toBeGreaterThan(10)
    expect(stress.breaking_point!.target).toBeGreaterThan(10)
    expect(stress.peak_throughput!.rps).toBeGreaterThan(50)
    expect(stress.steps).toHaveLength(7)
    expect(stress.steps.filter((s) => s.breaking)).toHaveLength(1)
    expect(stress.steps[1]).toMatchObject({ kind: 'hold', target: 10, error_rate_pct: 0 })
    // The load falls to nothing in the last stage: the refusals stop.
    expect(stress.recovery.status).toBe('recovered')

    expect(results.reasons[0]).toBe(stress.reason)
    expect(results.reasons[0]).toMatch(/^breaking point at \d+s of 15s, \d+ VUs \(planned \d+\): error rate [\d.]+% > 10%/)
    expect(results.reasons[1]).toMatch(/^recovery: /)
    expect(results.verdict).toBe('pass')
    expect(results.ci_gate).toBe('pass')
    expect(results.spike).toBeNull()
    expect(logs.some((l) => l.startsWith('Stress: breaking point at '))).toBe(true)
    expect(ResultsFileSchema.parse(JSON.parse(JSON.stringify(results)))).toEqual(results)

    const comment = renderPrComment(results)
    expect(comment).toContain('**Stress** 💥 Breaking point at ')
    expect(comment.split('\n').filter((l) => l.includes('💥 **breaking point**'))).toHaveLength(1)
    expect(renderSummaryMarkdown(results)).toContain('| Stage | Planned VUs | VUs seen | req/s | p95 | Errors |')
  }, 60_000)
})

describe('a spike run', () => {
  it('passes its criteria against a healthy endpoint', async () => {
    const { results } = await gate({ config: SPIKE, openapi: 'examples/sample-api/openapi.yaml', include: 'GET /health', 'base-url': stressApi.url })
    const spike = results.spike!
    expect(spike.spike_errors).toMatchObject({ status: 'pass', error_rate_pct: 0, limit_pct: 5 })
    expect(spike.recovery).toMatchObject({ status: 'pass', limit_ms: 2000 })
    expect(spike.recovery.after_ms!).toBeLessThanOrEqual(2000)
    expect(spike.phases.map((p) => [p.name, p.target, p.vus_max])).toEqual([
      ['before', 10, 10],
      ['spike', 50, 50],
      ['recovery', 10, 10],
    ])
    expect(results.verdict).toBe('pass')
    expect(results.ci_gate).toBe('pass')
    expect(results.stress).toBeNull()
    expect(renderPrComment(results)).toContain('**Spike** ✅ criteria met')
  }, 60_000)

  it('fails its criteria against the endpoint that refuses the spike and stays slow after it, naming figures and limits', async () => {
    const { results } = await gate({ config: SPIKE, 'base-url': spikeApi.url })
    const spike = results.spike!
    // 50 VUs against 12 places: most requests of the spike are refused.
    expect(spike.spike_errors.status).toBe('fail')
    expect(spike.spike_errors.error_rate_pct!).toBeGreaterThan(50)
    // 5× slower for 10 s after the last refusal, longer than the 6 s left.
    expect(spike.recovery).toMatchObject({ status: 'fail', after_ms: null, limit_ms: 2000 })
    expect(results.verdict).toBe('fail')
    expect(results.ci_gate).toBe('fail')
    expect(results.reasons[0]).toMatch(/^spike: \d+(\.\d+)?% of requests failed during the spike \(\d+ of \d+\), limit < 5%$/)
    expect(results.reasons[1]).toMatch(/^spike: did not recover in the 6s after the load dropped \(limit 2s\)/)
    expect(renderPrComment(results).split('\n')[0]).toBe('## ❌ Perf-Xi: FAIL — spike criteria missed (errors during the spike, recovery)')
  }, 60_000)
})
