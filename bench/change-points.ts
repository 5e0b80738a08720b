/**
 * npm run bench:change-points: change points over a base branch's history of 50 runs × 200
 * endpoints × the 4 compared metrics (p95, p99, errors, throughput), as the gate looks for them
 * before a comparison: target < 500 ms. A fifth of the endpoints step (+35 % p95 and p99, −25 %
 * throughput, errors from 0 to 2 %) 5 runs ago; the others are noise only, which is the cheap case
 * (the permutations stop early). Also times the whole comparison with and without change points.
 * BENCH_ROUNDS (default 5) rounds; prints each and the median. Then the method's power on simulated
 * series (docs/change-points.md, "What it can and cannot see"): 200 series per row, seeds 0–199.
 */
import { compareWithBaseline } from '../src/baseline/regression.js'
import { eDivisive, mulberry32 } from '../src/stats/e-divisive.js'
import { results, sli } from '../__tests__/baseline/results-builder.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const RUNS = 50
const ENDPOINTS = 200
const STEP_RUNS_AGO = 5
const TARGET_MS = 500

const random = mulberry32(2026)
const noise = (sd: number) => 1 + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => `GET /resource-${i}`)
const stepped = (e: number) => e % 5 === 0

// Newest first, as the history comes in.
const history = Array.from({ length: RUNS }, (_, age) =>
  results(
    endpoints.map((endpoint, e) => {
      const after = stepped(e) && age < STEP_RUNS_AGO
      return sli(endpoint, {
        p95_ms: 120 * noise(0.05) * (after ? 1.35 : 1),
        p99_ms: 200 * noise(0.08) * (after ? 1.35 : 1),
        rps: 100 * noise(0.03) * (after ? 0.75 : 1),
        error_rate_pct: after ? 2 : 0,
      })
    }),
    { id: `run-${RUNS - age}`, finishedAt: new Date(Date.UTC(2026, 10, 1) + (RUNS - age) * 3_600_000).toISOString() },
  ),
)
const current = endpoints.map((endpoint) => sli(endpoint, { p95_ms: 121, p99_ms: 201, rps: 99 }))

function time(changePoints: boolean): { ms: number; shifts: number } {
  const start = process.hrtime.bigint()
  const report = compareWithBaseline(current, history, { changePoints })
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, shifts: report.changePoints?.shifts.length ?? 0 }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
time(true) // warm-up: the JIT, not the method, would be measured first
const withCp: number[] = []
const without: number[] = []
let shifts = 0
for (let r = 0; r < ROUNDS; r++) {
  const a = time(true)
  const b = time(false)
  withCp.push(a.ms)
  without.push(b.ms)
  shifts = a.shifts
  console.log(`round ${r + 1}: comparison with change points ${a.ms.toFixed(1)} ms, without ${b.ms.toFixed(1)} ms`)
}
const cpMs = median(withCp) - median(without)
console.log(
  `\n${RUNS} runs × ${ENDPOINTS} endpoints × 4 metrics: change points ${cpMs.toFixed(1)} ms (median; target < ${TARGET_MS} ms), ` +
    `whole comparison ${median(withCp).toFixed(1)} ms; ${shifts} steps found (${(ENDPOINTS / 5) * 4} planted)`,
)
if (cpMs >= TARGET_MS) process.exitCode = 1

// Power: how often a +35 % step (noise σ 5 %) is found at its place, and how often a steady series shows one.
const power = mulberry32(42)
const gauss = () => Math.sqrt(-2 * Math.log(1 - power())) * Math.cos(2 * Math.PI * power())
console.log('\nhistory  runs since the step  step found  (200 series each, +35 % step, noise σ 5 %)')
for (const [runs, since] of [
  [6, 3],
  [8, 3],
  [10, 3],
  [20, 3],
  [20, 6],
  [50, 3],
  [20, 0],
  [50, 0],
]) {
  let found = 0
  for (let seed = 0; seed < 200; seed++) {
    const series = Array.from({ length: runs }, (_, i) => 100 * (1 + 0.05 * gauss()) * (since > 0 && i >= runs - since ? 1.35 : 1))
    const cps = eDivisive(series, { seed })
    if (since === 0 ? cps.length > 0 : cps.at(-1)?.index === runs - since) found++
  }
  console.log(
    `${String(runs).padStart(7)}  ${since === 0 ? 'no step, any found' : String(since).padStart(18)}  ${((100 * found) / 200).toFixed(1).padStart(9)} %`,
  )
}
