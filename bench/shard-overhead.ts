/**
 * npm run bench:shard-overhead: what splitting a test into shards costs in wall time, in-process
 * against the sample API on 127.0.0.1. Each round runs the same smoke test (BENCH_DURATION, default
 * 5s, BENCH_VUS 6) once as a single run (runGate) and once as BENCH_SHARDS shards (default 2, each
 * its own k6, meeting in a folder store with the action's default timing: 2 s polls, 6 s margin)
 * followed by the merge. Prints the wall times, each shard's wait from ready to resume, the start
 * skew, and the requests k6 sent in each arm with their rate (the results' requests per second). On
 * 2 shared cores the shards compete for the same CPU: this measures the coordination, not the extra
 * load more runners give. BENCH_ROUNDS (default 3).
 */
import path from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { startSampleApi } from '../examples/sample-api/server.js'
import { resolveConfig } from '../src/config/load.js'
import { runGate, type GateIo } from '../src/gate.js'
import { ensureK6 } from '../src/k6/install.js'
import { runMergeGate } from '../src/shards/merge-gate.js'
import { DEFAULT_SHARD_TIMING, runShard } from '../src/shards/run-shard.js'
import { folderShardStore } from '../src/shards/store.js'

const SHARDS = Number(process.env.BENCH_SHARDS ?? 2)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DURATION = process.env.BENCH_DURATION ?? '5s'
const VUS = process.env.BENCH_VUS ?? '6'
const TOKEN = 'bench-shards'
const root = process.cwd()

const k6 = await ensureK6()
const api = await startSampleApi({ port: 0, token: TOKEN, seed: 5 })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const rows: Array<{
  single: number
  sharded: number
  wait: number[]
  skew: number
  singleReqs: number
  shardedReqs: number
  singleRps: number
  shardedRps: number
}> = []

try {
  for (let round = 1; round <= ROUNDS; round++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-bench-shards-'))
    try {
      const config = resolveConfig(
        { config: 'examples/sample-api/perf-xi.yml', 'base-url': api.url, vus: VUS, duration: DURATION, 'results-file': path.join(dir, 'results.json') },
        { cwd: root },
      )
      const io = (name: string): GateIo => ({
        cwd: root,
        workDir: path.join(dir, name),
        env: { SAMPLE_API_TOKEN: TOKEN },
        log: () => {},
        warn: () => {},
        k6Output: () => {},
        ensureK6: async () => k6,
      })
      let t = performance.now()
      const single = await runGate(config, { runId: 'single' }, io('single'))
      const singleMs = performance.now() - t
      const store = folderShardStore(path.join(dir, 'store'))
      t = performance.now()
      const shards = await Promise.all(
        Array.from({ length: SHARDS }, (_, k) => runShard(config, { index: k + 1, count: SHARDS }, { ...io(`shard-${k + 1}`), store }, DEFAULT_SHARD_TIMING)),
      )
      const merged = await runMergeGate(config, { runId: 'merge' }, { ...io('merge'), store })
      const shardedMs = performance.now() - t
      const row = {
        single: singleMs,
        sharded: shardedMs,
        wait: shards.map((s) => (s.file.resumed_at_ms ?? NaN) - (s.file.ready_at_ms ?? NaN)),
        skew: merged.results.shards?.start_skew_ms ?? NaN,
        singleReqs: single.results.summary.requests_total,
        shardedReqs: merged.results.summary.requests_total,
        singleRps: single.results.summary.rps_avg ?? NaN,
        shardedRps: merged.results.summary.rps_avg ?? NaN,
      }
      rows.push(row)
      console.log(
        `round ${round}: single ${(row.single / 1000).toFixed(1)} s (${row.singleReqs} requests, ${Math.round(row.singleRps)} req/s), ` +
          `${SHARDS} shards + merge ${(row.sharded / 1000).toFixed(1)} s (${row.shardedReqs} requests, ${Math.round(row.shardedRps)} req/s); waits ${row.wait.map((w) => `${(w / 1000).toFixed(1)} s`).join(', ')}; start skew ${row.skew} ms`,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
} finally {
  await api.close()
}
console.log(
  `Median: the sharded run took ${((median(rows.map((r) => r.sharded)) - median(rows.map((r) => r.single))) / 1000).toFixed(1)} s longer than the single run ` +
    `(the wait for all shards and the ${DEFAULT_SHARD_TIMING.marginMs / 1000} s start margin); shards started within ${median(rows.map((r) => r.skew))} ms`,
)
console.log(
  `Median: k6 sent ${Math.round(median(rows.map((r) => r.singleRps)))} requests/s in the single run, ` +
    `${Math.round(median(rows.map((r) => r.shardedRps)))} requests/s in ${SHARDS} shards together (${VUS} VUs, ${DURATION}, sample API on this machine)`,
)
