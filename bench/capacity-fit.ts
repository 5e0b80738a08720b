/**
 * npm run bench:capacity: the capacity model's own time, the USL fit plus every answer
 * (analyseCapacity) on 20 levels × 10 endpoints, as a capacity run with `levels: auto` and a large
 * API produces them. Three shapes in turn (contention, coherency with a peak inside the levels, κ on
 * its bound), 2 % multiplicative noise, errors from level 15. BENCH_RUNS (default 150) analyses after
 * 10 warm-up ones; prints the median and the 95th percentile per analysis. Target: median ≤ 50 ms.
 */
import { analyseCapacity } from '../src/capacity/answers.js'
import type { CapacityLevel, CapacityTargets } from '../src/capacity/measurements.js'
import { uslLevels } from '../__tests__/support/capacity-levels.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 150)
const WARM_UP = 10
const TARGET_MS = 50
const LEVELS = 20
const ENDPOINTS = 10

const vus = Array.from({ length: LEVELS }, (_, i) => 2 * (i + 1) + i * i)
const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => ({ name: `GET /resource-${i}`, weight: 1 + (i % 3), meanFactor: 1 + i / 4 }))
/** A fixed, repeatable ±2 % pattern: every run fits the same numbers. */
const noise = vus.map((_, i) => 1 + 0.02 * Math.sin(i * 2.7))
const shapes = [
  { name: 'contention', lambda: 120, sigma: 0.04, kappa: 0.00001 },
  { name: 'coherency', lambda: 120, sigma: 0.01, kappa: 0.0002 },
  { name: 'κ on its bound', lambda: 120, sigma: 0.03, kappa: 0 },
]
const cases: { name: string; levels: CapacityLevel[] }[] = shapes.map((s) => ({
  name: s.name,
  levels: uslLevels({ ...s, vus, endpoints, noise, errors: { fromLevel: 15, rate: 0.02, growth: 0.01, statuses: { '503': 0.8, '0': 0.2 } } }),
}))
const targets: CapacityTargets = {
  targetRps: 20_000,
  targetP95Ms: 150,
  replicas: 2,
  replicaCost: { amount: 52.5, currency: 'USD' },
  headroom: 0.3,
  thinkTimeMs: 0,
  errorRateLimit: 0.01,
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

for (let i = 0; i < WARM_UP; i++) analyseCapacity(cases[i % cases.length].levels, targets)
const times: number[] = []
for (let i = 0; i < RUNS; i++) {
  const { levels } = cases[i % cases.length]
  const start = performance.now()
  analyseCapacity(levels, targets)
  times.push(performance.now() - start)
}
times.sort((a, b) => a - b)
const median = percentile(times, 0.5)

console.log(`capacity model: USL fit + analysis, ${LEVELS} levels × ${ENDPOINTS} endpoints, ${RUNS} runs over ${cases.length} shapes`)
for (const c of cases) {
  const a = analyseCapacity(c.levels, targets)
  const fit = a.model.kind === 'usl' ? a.model.fit : a.model.fit
  console.log(
    `  ${c.name.padEnd(15)} model ${a.model.kind}, R² ${fit?.rSquared.toFixed(4)}, ${fit?.iterations} LM iterations; capacity ${a.currentCapacityRps.toFixed(0)} req/s (${a.capacity.method}), replicas ${a.replicasNeeded}, confidence ${a.confidence.value.toFixed(2)}`,
  )
}
console.log(
  `  median ${median.toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms per analysis (target ≤ ${TARGET_MS} ms)`,
)
console.log(median <= TARGET_MS ? '  within target' : `  OVER TARGET by ${(median - TARGET_MS).toFixed(1)} ms`)
