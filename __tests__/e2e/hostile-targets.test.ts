/**
 * Nothing unmeasured passes: the gate with real k6 (a 5 s smoke test) against a target that turns
 * hostile mid-run (__tests__/support/hostile-target.ts) ends within ~20 s and fails or errors with
 * a reason naming what happened; the sample API, healthy, still passes.
 */
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../../src/config/load.js'
import { runGate, type GateIo } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { startHostileTarget, type HostileBehaviour, type HostileTarget } from '../support/hostile-target.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

let k6: K6Binary
let workDir: string
let target: HostileTarget | undefined

beforeAll(async () => {
  k6 = await ensureK6()
}, 300_000)

beforeEach(() => {
  workDir = tempDir('perf-xi-hostile-')
})

afterEach(async () => {
  await target?.close()
  target = undefined
  if (!process.env.KEEP_HOSTILE) rmSync(workDir, { recursive: true, force: true })
})

async function gateAgainst(behaviour: HostileBehaviour, afterMs: number) {
  target = await startHostileTarget(behaviour, afterMs)
  const spec = target.writeSpec(workDir)
  const configFile = path.join(workDir, 'perf-xi.yml')
  writeFileSync(configFile, `openapi: ${spec}\nprofile: smoke\nduration: 5s\n`)
  const config = resolveConfig({ config: configFile, 'base-url': target.url, 'results-file': path.join(workDir, 'results.json') }, { cwd: root })
  const io: GateIo = {
    cwd: root,
    workDir: path.join(workDir, 'work'),
    env: {},
    log: () => {},
    warn: () => {},
    k6Output: () => {},
    ensureK6: async () => k6,
  }
  const started = Date.now()
  const { results } = await runGate(config, { runId: `hostile-${behaviour}` }, io)
  return { results, elapsedMs: Date.now() - started }
}

describe('a target that stops answering mid-run fails the gate, within ~20 s', () => {
  it('hangs after 2 s of a 5 s test: fail, each endpoint silent for the last ~3 s, its stuck requests counted as timed out', async () => {
    const { results, elapsedMs } = await gateAgainst('hang', 2000)
    expect(results.verdict).toBe('fail')
    expect(results.ci_gate).toBe('fail')
    expect(elapsedMs).toBeLessThan(20_000)
    // Request timeouts: 4 × the highest latency limit, GET /health's p95 1 s (standard), GET /items's 500 ms (critical: a list).
    for (const [endpoint, timeoutMs] of [
      ['GET /health', 4000],
      ['GET /items', 2000],
    ] as const) {
      expect(results.reasons).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${endpoint}: no successful answer in the last [2-3]\\.\\d s of 5 s of load .*; [1-9]\\d* requests? failed or timed out meanwhile$`),
        ),
      )
      // The requests stuck when the load ended were not cut off: k6 counted them as failed, at the timeout.
      const sli = results.slis.find((s) => s.endpoint === endpoint)!
      expect(sli.error_rate_pct).toBeGreaterThan(0)
      expect(sli.max_ms).toBeGreaterThanOrEqual(timeoutMs - 50)
      expect(sli.slo_status).toBe('fail')
    }
    expect(results.liveness).toMatchObject({ per_endpoint: true, dropped_iterations: 0 })
    expect(results.liveness!.findings.map((f) => f.kind)).toEqual(['silence', 'silence'])
  }, 60_000)

  it('hangs 0.3 s in: fail, though hundreds of fast answers came before', async () => {
    const { results, elapsedMs } = await gateAgainst('hang', 300)
    expect(results.verdict).toBe('fail')
    expect(elapsedMs).toBeLessThan(20_000)
    expect(results.reasons).toContainEqual(expect.stringMatching(/^GET \/health: no successful answer in the last 4\.\d s of 5 s of load/))
  }, 60_000)

  it('turns slow (10 s an answer) after 2 s: fail, the slow requests time out instead of being left unsent', async () => {
    const { results, elapsedMs } = await gateAgainst('slow', 2000)
    expect(results.verdict).toBe('fail')
    expect(elapsedMs).toBeLessThan(20_000)
    expect(results.reasons).toContainEqual(expect.stringMatching(/^GET \/items: no successful answer in the last [2-3]\.\d s of 5 s of load/))
    expect(results.slis.find((s) => s.endpoint === 'GET /items')!.max_ms).toBeGreaterThanOrEqual(1950)
  }, 60_000)

  it('resets every connection after 2 s: fail, with the resets as failed requests', async () => {
    const { results } = await gateAgainst('reset', 2000)
    expect(results.verdict).toBe('fail')
    expect(results.reasons).toContainEqual(
      expect.stringMatching(/^GET \/health: no successful answer in the last [2-3]\.\d s of 5 s of load .*; [1-9]\d* requests failed or timed out meanwhile$/),
    )
    expect(results.slo_breaches).toContainEqual(expect.objectContaining({ endpoint: 'GET /health', limit: 'error-rate' }))
  }, 60_000)

  it('dies (closes its listener) after 2 s: fail', async () => {
    const { results } = await gateAgainst('die', 2000)
    expect(results.verdict).toBe('fail')
    expect(results.reasons).toContainEqual(expect.stringMatching(/^GET \/items: no successful answer in the last [2-3]\.\d s of 5 s of load/))
  }, 60_000)
})
