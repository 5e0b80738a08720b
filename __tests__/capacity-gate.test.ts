/**
 * The capacity mode end to end with real k6 against the sample API's GET /capacity on 127.0.0.1,
 * whose ceiling is known: slots × 1000 ÷ work_ms req/s, the knee near `slots` VUs. Levels are
 * short (3 s, 1 s warm-up) so each run stays under ~30 s; margins are wide (the runner is shared).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeFileSync } from 'node:fs'
import { startSampleApi, type CapacityLimits, type SampleApi } from '../examples/sample-api/server.js'
import { runCapacityGate } from '../src/capacity-gate.js'
import { runCli } from '../src/cli.js'
import { renderCapacityMarkdown } from '../src/report/capacity.js'
import { resolveConfig, type RawInputs } from '../src/config/load.js'
import type { GateIo } from '../src/gate.js'
import { ensureK6, type K6Binary } from '../src/k6/install.js'
import { ResultsFileSchema } from '../src/results/schema.js'
import { startAnthropicApiServer } from './support/anthropic-api-server.js'
import { tempDir } from './support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SPEC = 'examples/sample-api/capacity.openapi.yaml'
const apis: SampleApi[] = []
let k6: K6Binary

beforeAll(async () => {
  k6 = await ensureK6()
}, 300_000)
afterAll(async () => {
  for (const api of apis) await api.close()
})

async function api(capacity: Partial<CapacityLimits>): Promise<SampleApi> {
  const started = await startSampleApi({ capacity: { queue: 1000, ...capacity } })
  apis.push(started)
  return started
}

function configFile(yaml: string): string {
  const file = path.join(tempDir('perf-xi-capacity-'), 'perf-xi.yml')
  writeFileSync(file, yaml)
  return file
}

const shortLevels = (levels: string, extra = '') => configFile(`${extra}capacity:\n  levels: ${levels}\n  level-duration: 3s\n  warm-up: 1s\n`)

async function capacityRun(inputs: RawInputs, opts: { signal?: AbortSignal } = {}) {
  const workDir = tempDir('perf-xi-capacity-run-')
  const config = resolveConfig({ openapi: SPEC, 'results-file': path.join(workDir, 'results.json'), ...inputs }, { cwd: root, mode: 'capacity' })
  const logs: string[] = []
  const io: GateIo = {
    cwd: root,
    workDir,
    env: {},
    log: (l) => logs.push(l),
    warn: (l) => logs.push(`warning: ${l}`),
    k6Output: () => {},
    ensureK6: async () => k6,
    signal: opts.signal,
  }
  const outcome = await runCapacityGate(config, { runId: 'capacity' }, io)
  // What was written is what the schema reads back.
  expect(ResultsFileSchema.parse(JSON.parse(readFileSync(outcome.resultsPath, 'utf8')))).toEqual(outcome.results)
  return { ...outcome, logs }
}

describe('the capacity of an API with a known ceiling', () => {
  it('is found within 15 %, its knee within ×1.5 of its slots, reported on the console and in the summary', async () => {
    const sample = await api({ slots: 4, workMs: 20 })
    const outDir = tempDir('perf-xi-capacity-cli-')
    let out = ''
    const { exitCode, outcome } = await runCli({
      argv: [
        '--capacity',
        '--openapi',
        SPEC,
        '--base-url',
        sample.url,
        '--config',
        shortLevels('[1, 2, 3, 4, 6, 8, 12, 16]'),
        '--target-rps',
        '500',
        '--target-p95',
        '200ms',
        '--out-dir',
        outDir,
      ],
      cwd: root,
      env: {},
      out: (t) => (out += t),
      err: (t) => (out += t),
    })
    const capacity = outcome!.results.capacity!
    expect(capacity.levels.map((l) => l.vus)).toEqual([1, 2, 3, 4, 6, 8, 12, 16])
    expect(capacity.model_used).toBe('usl')
    // 4 slots × 1000 ÷ 20 ms = 200 req/s.
    expect(capacity.model.ceiling_rps!).toBeGreaterThan(170)
    expect(capacity.model.ceiling_rps!).toBeLessThan(230)
    // The knee: the first level within 10 % of the ceiling.
    const knee = capacity.levels.find((l) => l.rps >= 0.9 * capacity.model.ceiling_rps!)!
    expect(knee.vus).toBeGreaterThanOrEqual(4 / 1.5)
    expect(knee.vus).toBeLessThanOrEqual(4 * 1.5)
    // The model's knee (ceiling ÷ λ) too; the USL has no corner, so its peak N* lands past the knee
    // on a hard limit (docs/capacity.md, "Assumptions and limits").
    expect(capacity.model.knee_concurrency!).toBeGreaterThan(4 / 1.5)
    expect(capacity.model.knee_concurrency!).toBeLessThan(4 * 1.5)
    expect(capacity.model.peak_concurrency!).toBeGreaterThan(4)
    expect(capacity.model.peak_concurrency!).toBeLessThan(4 * 2.5)
    expect(capacity.load_generator.limited).toBe(false)
    // 500 req/s is beyond one instance: the step does not fail unless fail-on says capacity.
    expect(outcome!.results.verdict).toBe('fail')
    expect(outcome!.results.ci_gate).toBe('pass')
    expect(exitCode).toBe(0)
    expect(capacity.replicas_needed!).toBeGreaterThanOrEqual(3)
    expect(out).toMatch(
      /^Perf-Xi capacity: FAIL — target 500 req\/s is out of reach with 1 replica: capacity [\d,]+ req\/s within p95 200 ms; \d+ replicas needed$/m,
    )
    expect(out).toMatch(/^Level +VUs +req\/s +p50 +p95 +p99 +mean +errors +k6 CPU$/m)
    const summary = readFileSync(path.join(outDir, 'summary.md'), 'utf8')
    expect(summary.match(/```mermaid\nxychart-beta/g)).toHaveLength(2)
    expect(summary).toContain('| Level | VUs | req/s | p50 | p95 | p99 | mean | errors | statuses | k6 CPU |')
  }, 120_000)

  it('with contention shows κ > 0 and throughput falling past its peak (retrograde)', async () => {
    const sample = await api({ slots: 4, workMs: 20, contentionMs: 5 })
    const { results } = await capacityRun({ 'base-url': sample.url, config: shortLevels('[1, 2, 4, 8, 12, 16]'), 'target-rps': '100', 'target-p95': '2s' })
    const capacity = results.capacity!
    expect(capacity.model.kappa!.value).toBeGreaterThan(0)
    const rps = capacity.levels.map((l) => l.rps)
    const peak = rps.indexOf(Math.max(...rps))
    expect(peak).toBeLessThan(rps.length - 1)
    expect(rps.at(-1)!).toBeLessThan(0.8 * rps[peak]!)
    expect(capacity.model.peak_concurrency!).toBeLessThan(12)
  }, 120_000)
})

describe('earlier capacity runs', () => {
  it('kept with --baseline-dir show as a trend in the next run', async () => {
    const sample = await api({ slots: 4, workMs: 20 })
    const history = tempDir('perf-xi-capacity-history-')
    const config = configFile('capacity:\n  levels: [1, 2]\n  level-duration: 2s\n  warm-up: 500ms\n')
    const run = async (configPath = config) => {
      let out = ''
      const argv = ['--capacity', '--openapi', SPEC, '--base-url', sample.url, '--config', configPath, '--target-rps', '50', '--target-p95', '1s']
      const { outcome } = await runCli({
        argv: [...argv, '--out-dir', tempDir('perf-xi-capacity-out-'), '--baseline-dir', history],
        cwd: root,
        env: {},
        out: (t) => (out += t),
        err: (t) => (out += t),
      })
      return { capacity: outcome!.results.capacity!, out }
    }
    const first = await run()
    expect(first.capacity.trend).toBeNull()
    const second = await run()
    const previous = first.capacity.current_capacity_rps!
    expect(second.capacity.trend).toMatchObject({
      previous_rps: previous,
      text: expect.stringMatching(/^capacity [\d,]+ req\/s, (\d+ % (above|below)|the same as) the run of \d{4}-\d\d-\d\d/),
    })
    expect(second.out).toMatch(/^Trend +capacity [\d,]+ req\/s, /m)
    // Another load shape (here a think time) is another question: no trend.
    const otherShape = await run(configFile('think-time: 5ms\ncapacity:\n  levels: [1, 2]\n  level-duration: 2s\n  warm-up: 500ms\n'))
    expect(otherShape.capacity.trend).toBeNull()
  }, 120_000)
})

describe('the optional Claude analysis', () => {
  const KEY = 'sk-ant-api03-capacity-gate-test-41c9'
  const ANSWER = {
    summary: 'Throughput stops growing at the pool size: requests queue for a slot.',
    bottlenecks: [{ hypothesis: 'A fixed pool of 4 workers.', evidence: ['the knee near 4 VUs'] }],
    actions: ['Raise the pool size and run the analysis again.'],
  }

  it('with a key adds a labelled analysis beside the figures; the prompt carries figures and names, never the key or the target', async () => {
    const sample = await api({ slots: 4, workMs: 20 })
    const claude = await startAnthropicApiServer({ apiKeys: [KEY], answer: () => ANSWER })
    try {
      let out = ''
      const argv = ['--capacity', '--openapi', SPEC, '--base-url', sample.url, '--target-rps', '500', '--target-p95', '200ms']
      const config = shortLevels('[1, 2, 4, 8]')
      const { outcome } = await runCli({
        argv: [...argv, '--config', config, '--out-dir', tempDir('perf-xi-capacity-out-')],
        cwd: root,
        env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: claude.url },
        out: (t) => (out += t),
        err: (t) => (out += t),
      })
      expect(claude.violations).toEqual([])
      expect(claude.requests).toHaveLength(1)
      const results = outcome!.results
      expect(results.analysis).toMatchObject({ kind: 'capacity', status: 'written', model_used: expect.any(String), capacity: ANSWER })
      // The capacity figures come from k6 alone: the section is complete and its verdict stands without the model.
      expect(results.capacity!.current_capacity_rps).not.toBeNull()
      const prompt = JSON.stringify(claude.requests[0]!.body)
      expect(prompt).toContain('GET /capacity')
      expect(prompt).not.toContain(KEY)
      expect(prompt).not.toContain(sample.url)
      expect(out).toContain(`Analysis (written by ${results.analysis!.model_used}, not measured): ${ANSWER.summary}`)
      expect(out).not.toContain(KEY)
      const markdown = renderCapacityMarkdown(results, results.capacity!).join('\n')
      expect(markdown).toContain('### Analysis')
      expect(markdown).toContain('Model-written analysis: capacity')
      expect(markdown).toContain('A fixed pool of 4 workers.')
    } finally {
      await claude.close()
    }
  }, 120_000)

  it('without a key sends nothing and says so in one line', async () => {
    const sample = await api({ slots: 4, workMs: 5 })
    const { results, logs } = await capacityRun({ 'base-url': sample.url, config: shortLevels('[1, 2]'), 'target-rps': '50', 'target-p95': '1s' })
    expect(results.analysis).toBeUndefined()
    expect(logs.filter((l) => l.startsWith('Claude analysis'))).toEqual([
      'Claude analysis: none (no anthropic-api-key); the recommendations above are rule-based',
    ])
  }, 120_000)
})

describe('the load generator as the limit', () => {
  it('is reported instead of a capacity figure when the API outpaces the VUs allowed', async () => {
    // 1000 slots of 5 ms: each VU adds ~200 req/s, and the cap of 8 VUs ends the run still scaling.
    const sample = await api({ slots: 1000, workMs: 5 })
    const { results } = await capacityRun({
      'base-url': sample.url,
      config: shortLevels('[1, 2, 4, 8]', 'max-vus: 8\n'),
      'target-rps': '5000',
      'target-p95': '100ms',
      'fail-on': 'capacity',
    })
    const capacity = results.capacity!
    expect(capacity.load_generator.limited).toBe(true)
    expect(capacity.load_generator.findings.map((f) => f.sign)).toContain('vu-cap')
    expect(capacity.current_capacity_rps).toBeNull()
    expect(capacity.replicas_needed).toBeNull()
    expect(results.verdict).toBe('warn')
    expect(results.ci_gate).toBe('pass')
    expect(results.reasons[0]).toMatch(/^the load generator, not the API, limited this run: the last level ran at the cap of 8 VUs/)
  }, 120_000)
})

describe('a capacity run that cannot measure everything', () => {
  it('with fewer than 4 levels shows the measured points and why there is no model', async () => {
    const sample = await api({ slots: 4, workMs: 20 })
    const { results } = await capacityRun({ 'base-url': sample.url, config: shortLevels('[1, 2, 4]'), 'target-rps': '100', 'target-p95': '200ms' })
    const capacity = results.capacity!
    expect(capacity.levels).toHaveLength(3)
    expect(capacity.model).toMatchObject({ kind: 'none', reason: 'too-few-levels' })
    expect(capacity.model_used).toBe('none')
    expect(capacity.current_capacity_rps!).toBeGreaterThan(0)
    expect(results.verdict).not.toBe('error')
  }, 120_000)

  it('stops after a level far past the limits, saying so, and reports the refusals', async () => {
    // One slot, no queue: most concurrent requests are refused with 503.
    const sample = await api({ slots: 1, queue: 0, workMs: 20 })
    const { results, logs } = await capacityRun({
      'base-url': sample.url,
      config: shortLevels('[8, 16, 32, 64]'),
      'target-rps': '100',
      'target-p95': '200ms',
      'fail-on': 'capacity',
    })
    const capacity = results.capacity!
    expect(capacity.stopped_early).toMatchObject({
      kind: 'far-past',
      reason: expect.stringMatching(/^stopped after level 1 \(8 VUs\): \d+(\.\d)? % of requests failed \(over 20 %\)$/),
    })
    // The level k6 began while being stopped is left out.
    expect(capacity.levels.map((l) => l.vus)).toEqual([8])
    expect(capacity.levels[0]!.statuses['503']).toBeGreaterThan(0)
    // Errors at every level measured: nothing is served within the error SLO, and the report says why.
    expect(capacity.current_capacity_rps).toBe(0)
    expect(capacity.capacity_method).toBe('below-first-level')
    expect(capacity.capacity_reason).toMatch(/error/)
    expect(logs).toContainEqual(expect.stringMatching(/stopping k6 through its REST API$/))
    expect(results.verdict).toBe('fail')
    expect(results.ci_gate).toBe('fail')
    expect(results.reasons).toContain(capacity.stopped_early!.reason)
  }, 120_000)

  it('refuses a target outside allowed-hosts before any load', async () => {
    await expect(
      capacityRun({
        'base-url': 'http://10.1.2.3:8080',
        'allowed-hosts': '127.0.0.1',
        config: shortLevels('[1, 2]'),
        'target-rps': '100',
        'target-p95': '200ms',
      }),
    ).rejects.toThrow(/allowed-hosts/)
  })

  it('is an error only when nothing was measured', async () => {
    const sample = await api({ slots: 4, workMs: 20 })
    const { results } = await capacityRun(
      { 'base-url': sample.url, config: shortLevels('[1, 2]'), 'target-rps': '100', 'target-p95': '200ms' },
      { signal: AbortSignal.abort() },
    )
    expect(results.verdict).toBe('error')
    expect(results.reasons).toEqual(['nothing was measured: cancelled'])
    expect(results.capacity).toBeUndefined()
    expect(results.ci_gate).toBe('fail')
  }, 60_000)
})
