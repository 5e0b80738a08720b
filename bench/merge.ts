/**
 * npm run bench:merge: what the merge job of a sharded run costs (src/shards/merge-gate.ts,
 * SliAggregator.merged): BENCH_SHARDS shard files (default 10) of BENCH_ENDPOINTS endpoints each
 * (default 200), every endpoint with BENCH_SAMPLES durations per shard (default 2000, log-normal
 * from ~1 ms to seconds), serialized as the shards store them. Prints the shard file size, the time
 * to read and check the files, to merge the histograms and to compute the SLIs, and the memory
 * the merge keeps (JS heap + array buffers after a full GC) and its peak RSS. Not a test: this
 * machine is shared and noisy, so it prints what it saw (median of BENCH_ROUNDS, default 5).
 */
import { SliAggregator } from '../src/k6/stream-slis.js'
import { ShardFileSchema, SHARD_FILE_KIND, type ShardFile } from '../src/shards/shard-file.js'

const SHARDS = Number(process.env.BENCH_SHARDS ?? 10)
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 200)
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)

/** A seeded generator, so every run measures the same files. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

function shardFile(index: number): string {
  const next = random(index * 7919)
  const aggregator = new SliAggregator({ maxEndpoints: ENDPOINTS })
  const t0 = 1_700_000_000_000
  for (let e = 0; e < ENDPOINTS; e++) {
    const tags = { method: 'GET', name: `/resource-${e}/{id}` }
    const scale = 5 + (e % 50) * 4
    for (let n = 0; n < SAMPLES; n++) {
      const normal = Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next())
      const ms = scale * Math.exp(0.6 * normal)
      const at = t0 + (n / SAMPLES) * 60_000
      aggregator.addSample('http_reqs', 1, tags, at)
      aggregator.addSample('http_req_duration', ms, tags, at)
      aggregator.addSample('http_req_failed', next() < 0.01 ? 1 : 0, tags, at)
    }
  }
  aggregator.endRun()
  const file: ShardFile = {
    kind: SHARD_FILE_KIND,
    version: 1,
    shard: { index, count: SHARDS },
    plan_fingerprint: '0123456789abcdef',
    status: 'ok',
    k6_version: '1.8.1',
    k6_exit_code: 0,
    ready_at_ms: t0,
    resume_at_ms: t0,
    resumed_at_ms: t0,
    wall_time_ms: 60_000,
    stats: aggregator.state(),
  }
  return JSON.stringify(file)
}

/** After full GCs, with a pause between them: V8 frees array buffers' memory (the histograms' counts) only after a GC has found them dead. */
async function retainedMiB(): Promise<number> {
  global.gc?.()
  await new Promise((resolve) => setTimeout(resolve, 100))
  global.gc?.()
  const m = process.memoryUsage()
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

if (!global.gc) console.warn('(run with --expose-gc for retained memory after a full GC: npm run bench:merge does)')
console.log(
  `Merging ${SHARDS} shards × ${ENDPOINTS} endpoints, ${SAMPLES} samples per endpoint per shard (${(SHARDS * ENDPOINTS * SAMPLES).toLocaleString('en')} requests)`,
)
const texts = Array.from({ length: SHARDS }, (_, k) => shardFile(k + 1))
const sizes = texts.map((t) => Buffer.byteLength(t))
console.log(`Shard file: ${(median(sizes) / 1024).toFixed(0)} KiB each (${(sizes.reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(1)} MiB for all)`)

/** One merge, in a function of its own so that nothing of it outlives the call. */
async function mergeOnce(): Promise<{ readMs: number; mergeMs: number; slisMs: number; keptMiB: number }> {
  const before = await retainedMiB()
  const t0 = performance.now()
  const files = texts.map((t) => ShardFileSchema.parse(JSON.parse(t)))
  const t1 = performance.now()
  const merged = SliAggregator.merged(files.map((f) => f.stats!))
  const t2 = performance.now()
  const result = merged.result()
  const t3 = performance.now()
  if (result.endpoints.length !== ENDPOINTS || result.total.requests !== SHARDS * ENDPOINTS * SAMPLES) throw new Error('merge lost samples')
  const keptMiB = (await retainedMiB()) - before
  // Held until measured: the merged aggregator and the parsed files.
  if (merged.requests !== result.total.requests || files.length !== SHARDS) throw new Error('unreachable')
  return { readMs: t1 - t0, mergeMs: t2 - t1, slisMs: t3 - t2, keptMiB }
}

const rounds: Array<Awaited<ReturnType<typeof mergeOnce>>> = []
for (let round = 0; round < ROUNDS; round++) rounds.push(await mergeOnce())
const readMs = rounds.map((r) => r.readMs)
const mergeMs = rounds.map((r) => r.mergeMs)
const slisMs = rounds.map((r) => r.slisMs)
const keptMiB = rounds.map((r) => r.keptMiB)
const total = readMs.map((r, i) => r + mergeMs[i]! + slisMs[i]!)
console.log(
  `Merge (median of ${ROUNDS}): ${median(total).toFixed(0)} ms in all = read+check ${median(readMs).toFixed(0)} ms, ` +
    `histograms ${median(mergeMs).toFixed(0)} ms, SLIs ${median(slisMs).toFixed(0)} ms`,
)
console.log(
  `Memory: ${median(keptMiB).toFixed(1)} MiB kept by the merged aggregator and the parsed files; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
)
