/**
 * npx tsx bench/drift.ts (npm run bench:drift): the drift judgement's trend computation for a long run
 * of 360 windows × 200 endpoints × 3 metrics (p95, error rate, throughput), on synthetic windows: a
 * third of the endpoints drift, the rest are noise. Each series gets the Mann–Kendall score; those
 * whose score points the wrong way (p95 or errors up, throughput down) get Sen's slope and the
 * Hamed–Rao correction over the first quarter of the lags too (src/verdict/drift.ts). Target: under
 * 100 ms. Not a test: it prints what it measured (BENCH_ROUNDS rounds, default 7; the best and the median).
 */
import os from 'node:os'
import { judgeDrift, type EndpointWindows } from '../src/verdict/drift.js'
import type { Executor } from '../src/plan/profiles.js'

const WINDOWS = 360
const ENDPOINTS = 200
const WINDOW_MS = 20_000
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const TARGET_MS = 100

/** Reproducible uniform noise in [0, 1). */
function uniform(seed: number): () => number {
  let state = seed
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

function syntheticRun(): EndpointWindows {
  const random = uniform(42)
  const endpoints = Array.from({ length: ENDPOINTS }, (_, e) => {
    const drifting = e % 3 === 0
    return {
      key: `GET /resource-${e}`,
      requests: Array.from({ length: WINDOWS }, (_, i) => Math.round(400 - (drifting ? i * 0.3 : 0) + 20 * random())),
      p95Ms: Array.from({ length: WINDOWS }, (_, i) => 20 + (drifting ? i * 0.05 : 0) + 4 * random()),
      errorRatePct: Array.from({ length: WINDOWS }, () => (random() < 0.2 ? Math.round(random() * 100) / 100 : 0)),
    }
  })
  return { windowMs: WINDOW_MS, windows: WINDOWS + 1, endpoints, warnings: [] }
}

// Every window at peak load: the first is the warm-up, so 360 windows are tested.
const executor: Executor = { type: 'constant-vus', vus: 100, durationMs: (WINDOWS + 1) * WINDOW_MS }
const data = syntheticRun()
const times: number[] = []
const cpuTimes: number[] = []
let report = judgeDrift(data, executor, { minDurationMs: 600_000 })
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now()
  const cpu = process.cpuUsage()
  report = judgeDrift(data, executor, { minDurationMs: 600_000 })
  const used = process.cpuUsage(cpu)
  times.push(performance.now() - started)
  cpuTimes.push((used.user + used.system) / 1000)
}
times.sort((a, b) => a - b)
cpuTimes.sort((a, b) => a - b)
const median = times[times.length >> 1]!
console.log(`drift: ${report.windows} windows × ${ENDPOINTS} endpoints × 3 metrics = ${report.tested} series tested, ${report.findings.length} findings`)
console.log(
  `  wall: best ${times[0]!.toFixed(1)} ms, median ${median.toFixed(1)} ms over ${ROUNDS} rounds (target < ${TARGET_MS} ms: ${median < TARGET_MS ? 'met' : 'missed'})`,
)
// On a shared machine the wall time counts the waits for a core; the process's CPU time does not.
console.log(
  `  CPU:  best ${cpuTimes[0]!.toFixed(1)} ms, median ${cpuTimes[cpuTimes.length >> 1]!.toFixed(1)} ms; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
)
