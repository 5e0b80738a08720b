/**
 * A sharded run end to end: three real k6 shards of one plan against the sample API on 127.0.0.1,
 * meeting through the artifact store emulation (the runner's results service), then the merge
 * job. The merge must equal one histogram of every shard's samples, k6's own figures within the
 * histogram's precision, and the sums of the shards' counts.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import type { GateIo } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { planSlis, SliAggregator } from '../../src/k6/stream-slis.js'
import { runMergeGate } from '../../src/shards/merge-gate.js'
import { runShard, shardArtifactName, type ShardOutcome } from '../../src/shards/run-shard.js'
import { artifactShardStore, folderShardStore } from '../../src/shards/store.js'
import { captureStdout, isolateRunnerEnv } from '../storage/helpers.js'
import { startResultsService, type ResultsService } from '../storage/results-service.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const TOKEN = 'shard-token'
const SHARDS = 3
/** hdr-histogram-js at 3 significant digits: a bucket spans at most 1/1000 of its value (plus the ms rounding of the results). */
const withinPrecision = (actual: number, exact: number) => expect(Math.abs(actual - exact)).toBeLessThanOrEqual(exact * 2e-3 + 2e-3)

let api: Awaited<ReturnType<typeof startSampleApi>>
let k6: K6Binary
let service: ResultsService
let runnerEnv: ReturnType<typeof isolateRunnerEnv>

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, token: TOKEN, seed: 11 })
  service = await startResultsService()
  runnerEnv = isolateRunnerEnv()
  // One token for the three in-process shards: the library reads it from process.env (each job has its own on GitHub).
  runnerEnv.set(service.issueToken().env)
}, 300_000)

afterAll(async () => {
  runnerEnv?.restore()
  await service?.close()
  await api?.close()
})

function io(workDir: string): GateIo {
  return {
    cwd: root,
    workDir,
    env: { SAMPLE_API_TOKEN: TOKEN },
    log: () => {},
    warn: () => {},
    k6Output: () => {},
    ensureK6: async () => k6,
  }
}

/** Durations per endpoint key from k6's raw JSON lines, exactly as k6 measured them. */
function rawDurations(raw: Buffer[]): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const line of Buffer.concat(raw).toString('utf8').split('\n')) {
    if (!line.includes('"http_req_duration"')) continue
    const sample = JSON.parse(line) as { type: string; metric: string; data: { value: number; tags: Record<string, string> } }
    if (sample.type !== 'Point' || sample.metric !== 'http_req_duration') continue
    const key = `${sample.data.tags.method} ${sample.data.tags.name}`
    if (!out.has(key)) out.set(key, [])
    out.get(key)!.push(sample.data.value)
  }
  return out
}

/** k6's percentile over sorted samples (lib/netext trend sink): linear between ranks ⌊q(n−1)⌋ and ⌈q(n−1)⌉. */
function k6Percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const i = q * (sorted.length - 1)
  const lo = sorted[Math.floor(i)]!
  return lo + (sorted[Math.ceil(i)]! - lo) * (i - Math.floor(i))
}

describe('three real shards of one plan, merged', () => {
  const dir = tempDir('perf-xi-shards-')
  let config: Config
  const raw: Buffer[][] = Array.from({ length: SHARDS }, () => [])
  let shards: ShardOutcome[]
  let merged: Awaited<ReturnType<typeof runMergeGate>>

  beforeAll(async () => {
    config = resolveConfig(
      { config: '__tests__/fixtures/gate/generous.yml', 'base-url': api.url, vus: '6', duration: '3s', 'results-file': path.join(dir, 'results.json') },
      { cwd: root },
    )
    const stdout = captureStdout()
    try {
      const store = artifactShardStore()
      shards = await Promise.all(
        Array.from({ length: SHARDS }, (_, k) =>
          runShard(
            config,
            { index: k + 1, count: SHARDS },
            { ...io(path.join(dir, `shard-${k + 1}`)), store, rawSamples: (chunk) => raw[k]!.push(Buffer.from(chunk)) },
            { waitMs: 60_000, pollMs: 200, marginMs: 1_000 },
          ),
        ),
      )
      merged = await runMergeGate(config, { runId: 'merge' }, { ...io(path.join(dir, 'merge')), store })
    } finally {
      stdout.restore()
    }
  }, 120_000)

  it('runs every shard to its end and starts them together', () => {
    expect(shards.map((s) => [s.file.status, s.file.reason])).toEqual(Array(SHARDS).fill(['ok', undefined]))
    expect(service.artifacts.map((a) => a.name)).toEqual(expect.arrayContaining(shards.map((s) => shardArtifactName(s.file.shard, s.file.plan_fingerprint))))
    expect(merged.results.shards?.count).toBe(SHARDS)
    expect(merged.results.shards?.start_skew_ms).toBeLessThan(500)
    expect(merged.results.verdict).toBe('pass')
    expect(service.violations).toEqual([])
  })

  it('splits the VUs exactly: the shards add up to the plan', () => {
    expect(shards.map((s) => s.file.stats!.vus_max).reduce((a, b) => a! + b!, 0)).toBe(6)
    expect(merged.results.summary.vus_max).toBe(6)
  })

  it('gives each endpoint the percentiles of one histogram fed every shard’s samples', () => {
    const union = new SliAggregator({ endpoints: merged.plan!.endpoints.map((e) => ({ method: e.endpoint.method, name: e.metricName })) })
    for (const chunks of raw) {
      for (const chunk of chunks) union.write(chunk)
      union.endRun()
    }
    const keyed = merged.plan!.endpoints.map((p) => ({ key: p.endpoint.key, method: p.endpoint.method, metricName: p.metricName }))
    const expected = planSlis(union.result(), keyed).endpoints
    const pick = (s: { endpoint: string; p50_ms: number | null; p95_ms: number | null; p99_ms: number | null; max_ms: number | null; requests: number }) => [
      s.endpoint,
      s.requests,
      s.p50_ms,
      s.p95_ms,
      s.p99_ms,
      s.max_ms,
    ]
    expect(merged.results.slis.map(pick)).toEqual(expected.map(pick))
    expect(merged.results.slis.every((s) => s.requests > 0)).toBe(true)
  })

  it('agrees with k6’s own percentiles of the same samples within the histogram’s precision', () => {
    const durations = new Map<string, number[]>()
    for (const chunks of raw) for (const [key, values] of rawDurations(chunks)) durations.set(key, [...(durations.get(key) ?? []), ...values])
    let compared = 0
    for (const sli of merged.results.slis) {
      const planned = merged.plan!.endpoints.find((p) => p.endpoint.key === sli.endpoint)!
      const values = durations.get(`${planned.endpoint.method} ${planned.metricName}`)!
      if (sli.p50_ms !== null) withinPrecision(sli.p50_ms, k6Percentile(values, 0.5))
      if (sli.p95_ms !== null) withinPrecision(sli.p95_ms, k6Percentile(values, 0.95))
      if (sli.p99_ms !== null) withinPrecision(sli.p99_ms, k6Percentile(values, 0.99))
      compared++
    }
    expect(compared).toBe(merged.plan!.endpoints.length)
    // Each shard's k6 summarised its own samples: the shard's histogram says the same.
    for (const shard of shards) {
      const summary = JSON.parse(readFileSync(shard.summaryPath, 'utf8')) as { metrics: Record<string, Record<string, number>> }
      const own = SliAggregator.merged([shard.file.stats!]).result().total
      withinPrecision(own.p95_ms!, summary.metrics.http_req_duration!['p(95)']!)
      withinPrecision(own.p99_ms!, summary.metrics.http_req_duration!['p(99)']!)
      expect(own.requests).toBe(summary.metrics.http_reqs!.count)
    }
  })

  it('sums the shards’ counts, failures and throughput', () => {
    const totals = shards.map((s) => s.file.stats!.total)
    expect(merged.results.summary.requests_total).toBe(totals.reduce((sum, t) => sum + t.requests, 0))
    for (const sli of merged.results.slis) {
      const planned = merged.plan!.endpoints.find((p) => p.endpoint.key === sli.endpoint)!
      const parts = shards.map((s) => s.file.stats!.endpoints.find((e) => e.key === `${planned.endpoint.method} ${planned.metricName}`)?.stats)
      expect(sli.requests).toBe(parts.reduce((sum, p) => sum + (p?.requests ?? 0), 0))
      const failed = parts.reduce((sum, p) => sum + (p?.failed_matches ?? 0), 0)
      const judged = parts.reduce((sum, p) => sum + (p?.failed_total ?? 0), 0)
      // The results file writes rates to 3 decimals (2.1875 % → 2.188 %).
      expect(sli.error_rate_pct).toBe(Math.round((failed / judged) * 100 * 1000) / 1000)
    }
    // The shards ran side by side: the run's throughput is every request over their common span.
    const first = Math.min(...shards.map((s) => s.file.stats!.first_ms!))
    const last = Math.max(...shards.map((s) => s.file.stats!.last_ms!))
    expect(merged.results.summary.rps_avg).toBeCloseTo(merged.results.summary.requests_total / ((last - first) / 1000), 2)
    // That span is the planned 3 s of load (and its graceful end), not the shards' wait for each other.
    expect((last - first) / 1000).toBeGreaterThan(2.5)
    expect((last - first) / 1000).toBeLessThan(4.5)
  })

  it('calls a merge with a shard missing an error naming it, not a pass on part of the load', async () => {
    const store = folderShardStore(path.join(dir, 'partial-store'))
    for (const shard of shards.slice(0, 2)) await store.upload(shardArtifactName(shard.file.shard, shard.file.plan_fingerprint), shard.filePath)
    const partial = await runMergeGate(config, { runId: 'partial' }, { ...io(path.join(dir, 'partial')), store })
    expect(partial.results.verdict).toBe('error')
    expect(partial.results.reasons.join('\n')).toContain('shard 3/3 missing')
    expect(partial.results.shards?.shards.map((s) => s.status)).toEqual(['ok', 'ok', 'missing'])
  })
})

describe('a sharded spike run', () => {
  it('is judged over time from the shards’ windows merged: the phases see the VUs of both shards', async () => {
    const dir = tempDir('perf-xi-shards-spike-')
    const config = resolveConfig(
      {
        config: '__tests__/fixtures/gate/spike.yml',
        openapi: 'examples/sample-api/openapi.yaml',
        include: 'GET /health',
        'base-url': api.url,
        'results-file': path.join(dir, 'results.json'),
      },
      { cwd: root },
    )
    const store = folderShardStore(path.join(dir, 'store'))
    const shards = await Promise.all(
      [1, 2].map((index) =>
        runShard(config, { index, count: 2 }, { ...io(path.join(dir, `shard-${index}`)), store }, { waitMs: 60_000, pollMs: 200, marginMs: 1_000 }),
      ),
    )
    expect(shards.map((s) => s.file.timeline?.windows.length ?? 0).every((n) => n >= 12)).toBe(true)
    const { results } = await runMergeGate(config, { runId: 'spike' }, { ...io(path.join(dir, 'merge')), store })
    expect(results.spike?.phases.map((p) => [p.name, p.target, p.vus_max])).toEqual([
      ['before', 10, 10],
      ['spike', 50, 50],
      ['recovery', 10, 10],
    ])
    expect(results.spike?.spike_errors.status).toBe('pass')
    expect(results.verdict).toBe('pass')
  }, 90_000)
})
