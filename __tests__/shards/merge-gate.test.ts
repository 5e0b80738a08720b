/**
 * A sharded run end to end: three real k6 shards of one plan against the sample API on 127.0.0.1,
 * meeting through the artifact store emulation (the runner's results service), then the merge
 * job. The merge must equal one histogram of every shard's samples, k6's own figures within the
 * histogram's precision, and the sums of the shards' counts.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import type { GateIo } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { planSlis, SliAggregator } from '../../src/k6/stream-slis.js'
import { renderPrComment } from '../../src/report/comment.js'
import { runMergeGate } from '../../src/shards/merge-gate.js'
import { agreeOnStart } from '../../src/shards/rendezvous.js'
import { shardArtifactName } from '../../src/shards/artifacts.js'
import { runShard, type ShardOutcome } from '../../src/shards/run-shard.js'
import { artifactShardStore, folderShardStore } from '../../src/shards/store.js'
import { captureStdout, isolateRunnerEnv } from '../storage/helpers.js'
import { startResultsService, type IssuedToken, type ResultsService } from '../storage/results-service.js'
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
/** The workflow run the three shards run in (attempts share its artifacts). */
let workflowRun: IssuedToken

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, token: TOKEN, seed: 11 })
  service = await startResultsService()
  runnerEnv = isolateRunnerEnv()
  // One token for the three in-process shards: the library reads it from process.env (each job has its own on GitHub).
  workflowRun = service.issueToken()
  runnerEnv.set(workflowRun.env)
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
      const store = artifactShardStore(1)
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

  describe('re-running the workflow (a new attempt of the same run, attempt 1’s artifacts still listed)', () => {
    const timing = { waitMs: 60_000, pollMs: 200, marginMs: 1_000 }
    const perRoute = () => api.stats()
    let rerun: ShardOutcome[]
    let rerunMerge: Awaited<ReturnType<typeof runMergeGate>>
    const rerunLogs: string[] = []

    beforeAll(async () => {
      // "Re-run all jobs": every shard and the merge run again in attempt 2.
      const stdout = captureStdout()
      try {
        const store = artifactShardStore(2)
        rerun = await Promise.all(
          Array.from({ length: SHARDS }, (_, k) =>
            runShard(
              config,
              { index: k + 1, count: SHARDS },
              { ...io(path.join(dir, `attempt-2-shard-${k + 1}`)), store },
              { ...timing, rerunGraceMs: 30_000 },
            ),
          ),
        )
        rerunMerge = await runMergeGate(config, { runId: 'merge-2' }, { ...io(path.join(dir, 'attempt-2-merge')), log: (line) => rerunLogs.push(line), store })
      } finally {
        stdout.restore()
      }
    }, 120_000)

    it('starts attempt 2’s shards together, on their own ready markers, and stores them without a name conflict', () => {
      expect(rerun.map((s) => [s.file.status, s.file.reason])).toEqual(Array(SHARDS).fill(['ok', undefined]))
      // Agreed on this attempt's markers: the start is after the last of them, not attempt 1's (long past).
      expect(new Set(rerun.map((s) => s.file.resume_at_ms)).size).toBe(1)
      expect(rerun[0]!.file.resume_at_ms!).toBeGreaterThanOrEqual(Math.max(...rerun.map((s) => s.file.ready_at_ms!)) + timing.marginMs)
      const fingerprint = rerun[0]!.file.plan_fingerprint
      expect(service.artifacts.map((a) => a.name)).toEqual(
        expect.arrayContaining(
          [1, 2, 3].flatMap((i) => [`perf-xi-shard-ready-${i}-of-3-${fingerprint}-attempt-2`, `perf-xi-shard-${i}-of-3-${fingerprint}-attempt-2`]),
        ),
      )
      expect(service.requests.filter((r) => r.status === 409)).toEqual([])
      expect(service.violations).toEqual([])
    })

    it('merges attempt 2’s shards only, never a mix of attempts', () => {
      expect(rerunMerge.results.verdict).toBe('pass')
      const resumed = (outcomes: ShardOutcome[]) => outcomes.map((s) => new Date(s.file.resumed_at_ms!).toISOString())
      expect(rerunMerge.results.shards?.shards.map((s) => s.resumed_at)).toEqual(resumed(rerun))
      expect(rerunMerge.results.shards?.shards.map((s) => s.resumed_at)).not.toEqual(resumed(shards))
      expect(rerunMerge.results.summary.requests_total).toBe(rerun.reduce((sum, s) => sum + s.file.stats!.total.requests, 0))
      expect(rerunLogs).toContain(`Merging 3 of 3 shard(s) of plan ${rerun[0]!.file.plan_fingerprint} of attempt 2`)
    })

    it('merges the latest attempt’s shards when only the merge job is re-run', async () => {
      const logs: string[] = []
      const stdout = captureStdout()
      const again = await runMergeGate(
        config,
        { runId: 'merge-3' },
        { ...io(path.join(dir, 'attempt-3-merge')), log: (line) => logs.push(line), store: artifactShardStore(3) },
      ).finally(() => stdout.restore())
      expect(again.results.verdict).toBe('pass')
      expect(again.results.shards?.shards.map((s) => s.resumed_at)).toEqual(rerunMerge.results.shards?.shards.map((s) => s.resumed_at))
      expect(again.results.summary.requests_total).toBe(rerunMerge.results.summary.requests_total)
      expect(logs).toContain(`Merging 3 of 3 shard(s) of plan ${rerun[0]!.file.plan_fingerprint} of attempt 2 (no shard ran in attempt 3)`)
    })

    it('waits past the re-run grace for a slow shard once a shard that completed before is back', async () => {
      // Attempt 1 completed every shard; in attempt 2 shards 1 and 2 get ready together, shard 3 well after the grace.
      const folder = path.join(dir, 'slow-rerun-store')
      const attempt1 = folderShardStore(folder, 1)
      for (const s of shards) await attempt1.upload(shardArtifactName(s.file.shard, s.file.plan_fingerprint), s.filePath)
      const store = folderShardStore(folder, 2)
      const agree = (index: number) =>
        agreeOnStart({
          store,
          shard: { index, count: SHARDS },
          fingerprint: shards[0]!.file.plan_fingerprint,
          workDir: tempDir('perf-xi-rerun-'),
          waitMs: 10_000,
          pollMs: 50,
          marginMs: 200,
          rerunGraceMs: 300,
        })
      const early = [agree(1), agree(2)]
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      const all = await Promise.all([...early, agree(3)])
      expect(new Set(all.map((a) => a.resumeAtMs)).size).toBe(1)
    })

    describe('after "Re-run failed jobs" (another workflow run: shards 1/3 and 3/3 completed in attempt 1, shard 2/3’s job crashed before storing)', () => {
      beforeAll(async () => {
        runnerEnv.set(service.issueToken({ runBackendId: randomUUID() }).env)
        const stdout = captureStdout()
        try {
          const attempt1 = artifactShardStore(1)
          for (const s of [shards[0]!, shards[2]!]) await attempt1.upload(shardArtifactName(s.file.shard, s.file.plan_fingerprint), s.filePath)
        } finally {
          stdout.restore()
        }
      })

      afterAll(() => runnerEnv.set(workflowRun.env))

      it('fails the re-run shard at once, saying to re-run all jobs, and the merge names it rather than mix attempts', async () => {
        const message =
          'shard 2/3: the shards of a sharded test run together, but shards 1/3, 3/3 ran in attempt 1 and were not re-run in attempt 2; use "Re-run all jobs", not "Re-run failed jobs"'
        const warnings: string[] = []
        const before = perRoute()
        const started = Date.now()
        const stdout = captureStdout()
        let outcome: ShardOutcome
        let merge: Awaited<ReturnType<typeof runMergeGate>>
        try {
          outcome = await runShard(
            config,
            { index: 2, count: SHARDS },
            { ...io(path.join(dir, 'failed-rerun-shard-2')), warn: (line) => warnings.push(line), store: artifactShardStore(2) },
            { ...timing, rerunGraceMs: 1_500 },
          )
          merge = await runMergeGate(config, { runId: 'failed-rerun' }, { ...io(path.join(dir, 'failed-rerun-merge')), store: artifactShardStore(2) })
        } finally {
          stdout.restore()
        }
        expect(outcome.file.status).toBe('failed')
        expect(outcome.file.reason).toBe(message)
        expect(warnings).toContain(message)
        expect(outcome.file.stats).toBeNull()
        // Soon after the grace, not at the 60 s bound; its paused k6 sent no load (only the preflight's one probe per reading endpoint).
        expect(Date.now() - started).toBeLessThan(20_000)
        const after = perRoute()
        expect(Math.max(...Object.keys(after).map((route) => after[route]! - (before[route] ?? 0)))).toBeLessThanOrEqual(1)
        // Its failure is stored under attempt 2's name; the merge takes attempt 2 alone and names every shard it lacks.
        expect(service.artifacts.map((a) => a.name)).toContain(`perf-xi-shard-2-of-3-${outcome.file.plan_fingerprint}-attempt-2`)
        expect(merge.results.verdict).toBe('error')
        expect(merge.results.shards?.shards.map((s) => s.status)).toEqual(['missing', 'failed', 'missing'])
        expect(merge.results.reasons.join('\n')).toContain(message)
        expect(merge.results.reasons.join('\n')).toContain(
          'shard 1/3 missing: no shard artifact in attempt 2 of this workflow run (a merge takes every shard from the latest attempt with shards; re-run a sharded test with "Re-run all jobs")',
        )
      }, 60_000)
    })
  })

  it('says so where one runner would have judged drift, and that the merge writes no HTML report', async () => {
    // The same plan, judged for drift from 1 s of planned load on, with the HTML report asked for.
    const file = path.join(dir, 'drift-judged.yml')
    writeFileSync(file, `${readFileSync(path.join(root, '__tests__/fixtures/gate/generous.yml'), 'utf8')}soak:\n  min-duration: 1s\n`)
    const driftConfig = resolveConfig(
      { config: file, 'base-url': api.url, vus: '6', duration: '3s', 'html-report': 'true', 'results-file': path.join(dir, 'drift-results.json') },
      { cwd: root },
    )
    const store = folderShardStore(path.join(dir, 'drift-store'))
    for (const shard of shards) await store.upload(shardArtifactName(shard.file.shard, shard.file.plan_fingerprint), shard.filePath)
    const logs: string[] = []
    const warnings: string[] = []
    const { results, htmlReportPath } = await runMergeGate(
      driftConfig,
      { runId: 'drift' },
      { ...io(path.join(dir, 'drift')), log: (line) => logs.push(line), warn: (line) => warnings.push(line), store },
    )
    expect(results.verdict).toBe('pass')
    expect(results.drift).toBeUndefined()
    expect(results.shards?.drift_judged).toBe(false)
    expect(logs).toContain('Drift is not judged in a sharded run: the shards keep no per-endpoint windows; run a soak test on one runner to judge it')
    expect(renderPrComment(results)).toContain('drift not judged')
    expect(htmlReportPath).toBeUndefined()
    expect(warnings).toContain('html-report: the merge job runs no k6, so there is no web dashboard report of a sharded run')
    // A 3 s smoke run is no run one runner judges for drift: the first merge says nothing of it.
    expect(merged.results.shards).not.toHaveProperty('drift_judged')
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

describe('SLOs judged once, on the merged samples', () => {
  it('lets a shard whose part breaches an SLO run to its end and store it; the merge fails the gate on that SLO', async () => {
    // GET /reports/slow alone, which answers in ~150 ms against an SLO of p95 < 50 ms: two shards of one VU for 2 s, ~14 requests each.
    const dir = tempDir('perf-xi-shards-slo-')
    const file = path.join(dir, 'slow-breach.yml')
    const breach = readFileSync(path.join(root, '__tests__/fixtures/gate/slow-breach.yml'), 'utf8')
    writeFileSync(file, breach.replace('include: ["GET /reports/slow", "GET /products"]', 'include: ["GET /reports/slow"]'))
    const config = resolveConfig({ config: file, 'base-url': api.url, vus: '2', duration: '2s', 'results-file': path.join(dir, 'results.json') }, { cwd: root })
    const store = folderShardStore(path.join(dir, 'store'))
    const shards = await Promise.all(
      [1, 2].map((index) =>
        runShard(config, { index, count: 2 }, { ...io(path.join(dir, `shard-${index}`)), store }, { waitMs: 60_000, pollMs: 200, marginMs: 1_000 }),
      ),
    )
    const { results } = await runMergeGate(config, { runId: 'slo' }, { ...io(path.join(dir, 'merge')), store })
    for (const [k, shard] of shards.entries()) {
      // The script the shard's k6 ran holds the SLO as a threshold, and the shard's own part breaches it (every request over 50 ms)…
      expect(readFileSync(path.join(dir, `shard-${k + 1}`, 'perf-xi-script.js'), 'utf8')).toContain('"http_req_duration{name:GET /reports/slow}": ["p(95)<50"]')
      const own = shard.file.stats!.endpoints.find((e) => e.key === 'GET GET /reports/slow')!.stats
      expect(own.requests).toBeGreaterThan(0)
      expect(own.min_ms).toBeGreaterThan(50)
      // …yet k6 judged no threshold (it exits 99 when one is crossed): the shard ran its whole 2 s and stored its part.
      expect(shard.file).toMatchObject({ status: 'ok', k6_exit_code: 0 })
      expect((shard.file.stats!.last_ms! - shard.file.stats!.first_ms!) / 1000).toBeGreaterThan(1.5)
    }
    expect((await store.list()).map((item) => item.name)).toEqual(
      expect.arrayContaining(shards.map((s) => shardArtifactName(s.file.shard, s.file.plan_fingerprint))),
    )
    expect(results.shards?.shards.map((s) => s.status)).toEqual(['ok', 'ok'])
    expect(results.run.k6_exit_code).toBe(0)
    expect(results.verdict).toBe('fail')
    expect(results.ci_gate).toBe('fail')
    expect(results.slo_breaches).toEqual([expect.objectContaining({ endpoint: 'GET /reports/slow', limit: 'p95', threshold: 50 })])
    expect(results.reasons[0]).toMatch(/^GET \/reports\/slow: p95 \d+ ms breached \(SLO < 50 ms\)$/)
  }, 60_000)
})
