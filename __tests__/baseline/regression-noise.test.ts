/**
 * False alarms and detection of the baseline comparison on synthetic pull requests, with fixed
 * seeds, simulated exactly as the gate runs it (src/gate.ts):
 *
 *   1. compare the pull request's first run with the history (default options);
 *   2. `candidatesForConfirmation` → re-run just those endpoints once (fresh, independent noise);
 *   3. compare again with `{ confirmation: reRun }`: a re-run endpoint is judged on the mean of the
 *      logs of both its runs; the others keep their first-run judgement;
 *   4. the pull request fails when a gating metric (p95, error rate) of any endpoint regressed.
 *
 * Each pull request has 10 endpoints (true p95 40…220 ms, true error rate 0.1 % of 1000 requests,
 * failures binomial). Every run's p95 is `true p95 × (1 + e)`, each run, endpoint and re-run
 * independent, with e from one noise model:
 * - gaussian 7.5 %: e ~ Normal(0, 0.075), so ~95 % of single runs fall within ±15 % of the truth;
 * - uniform 15 %:   e ~ Uniform(−0.15, +0.15), every run within ±15 % (sd 8.7 %, noisier than the above);
 * - pairwise 15 %:  e ~ Normal(0, 0.053), ~95 % of PAIRS of runs within ±15 % of each other;
 * - gaussian 10 %:  noisier than the noise prior assumes, the documented weak spot.
 * Independent endpoints are the worst case for per-PR false alarms: real runner noise is shared
 * across a run's endpoints, so its false alarms cluster instead of adding up.
 *
 * "Unchanged": nothing moved. "Regressed": one endpoint's true p95 is ×1.3 (+30 %) in both the
 * first run and its re-run; detection = that endpoint's p95 ends up regressed. The comparison judges
 * each endpoint on its own runs and history only, so the regressed endpoint is simulated alone:
 * the same outcome as inside a 10-endpoint pull request, at a tenth of the cost.
 *
 * Targets (for the first two models, history 5 and 10): per-PR false alarms of the two-step
 * procedure ≤ 5 % and detection ≥ 95 %. The "bound" column is the detection of the best threshold
 * on the same statistic, mean(logs of 2 current runs) − mean(logs of the history), knowing the noise
 * distribution, set for exactly the per-PR 5 % (0.51 % per endpoint); where it is under 95 %, no rule
 * of that kind reaches both targets with one re-run (docs/regressions.md works it through).
 * Per-PR false alarms ≤ 5 % is asserted for both models and every history length; detection ≥ 95 %
 * where the bound allows it; elsewhere the measured rate is pinned a little under its value (the
 * seeds are fixed, so the numbers only move when the statistic does) and the bound is checked.
 */
import {
  candidatesForConfirmation,
  compareWithBaseline,
  REGRESSION_DEFAULTS,
  type CurrentSli,
  type HistoryEntry,
  type RegressionOptions,
} from '../../src/baseline/regression.js'
import { results, sli, type Sli } from './results-builder.js'

const ENDPOINTS = 10
const REGRESSION = 1.3
const REQUESTS = 1000
const ERROR_P = 0.001
/** The gating metrics are the only ones that can flag or fail a pull request; leaving p99 and rps out changes no outcome, only the run time. */
const OPTIONS: RegressionOptions = { metrics: REGRESSION_DEFAULTS.gatingMetrics }
const PER_ENDPOINT_ALPHA = 1 - 0.95 ** (1 / ENDPOINTS)

// Jest runs tests in a vm context, where every lookup of a global such as Math is ~20× slower than
// in plain Node: the simulation's hot paths use these aliases instead.
const { log, sqrt, cos, PI, imul } = Math

/** mulberry32: small, fast, good enough for Monte Carlo, and the same numbers on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = imul(a ^ (a >>> 15), 1 | a)
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Box–Muller. */
function normal(rng: () => number): number {
  let u = 0
  while (u === 0) u = rng()
  return sqrt(-2 * log(u)) * cos(2 * PI * rng())
}

/** Binomial(n, p) by inversion: a handful of steps for a small n·p. */
function binomial(rng: () => number, n: number, p: number): number {
  let u = rng()
  let k = 0
  let pk = (1 - p) ** n
  while (u > pk && k < n) {
    u -= pk
    pk *= ((n - k) / (k + 1)) * (p / (1 - p))
    k++
  }
  return k
}

interface NoiseModel {
  name: string
  seed: number
  factor: (rng: () => number) => number
  target: boolean
}
const MODELS: NoiseModel[] = [
  { name: 'gaussian σ=7.5 % (95 % of runs within ±15 %)', seed: 0x7e5, factor: (rng) => 1 + 0.075 * normal(rng), target: true },
  { name: 'uniform ±15 %', seed: 0x15, factor: (rng) => 1 + 0.15 * (2 * rng() - 1), target: true },
  { name: 'gaussian σ=5.3 % (95 % of run pairs within ±15 %)', seed: 0x53, factor: (rng) => 1 + (0.15 / 1.96 / sqrt(2)) * normal(rng), target: false },
  { name: 'gaussian σ=10 % (noisier than the prior assumes)', seed: 0x10, factor: (rng) => 1 + 0.1 * normal(rng), target: false },
]
const HISTORY_LENGTHS = [3, 5, 10] as const

/**
 * Unchanged pull requests (10 endpoints each) and regressed endpoints simulated per cell: fewer for
 * the two informative models, most where the ≥ 95 % detection target is asserted, since it holds
 * there by a few tenths of a percent only (docs/regressions.md).
 */
function trialsFor(model: NoiseModel, n: number): { unchanged: number; regressed: number } {
  if (!model.target) return { unchanged: 300, regressed: 1000 }
  return { unchanged: 1200, regressed: detectionTargetAsserted(model, n) ? 16_000 : 4000 }
}

const TRUE_P95 = Array.from({ length: ENDPOINTS }, (_, i) => 40 + 20 * i)
const NAMES = TRUE_P95.map((_, i) => `GET /e${i}`)
const TEMPLATE = results([sli('GET /e0')])
const SLI_TEMPLATE = sli('GET /e0', { requests: REQUESTS })

interface Measured {
  /** First run alone: share of p95 comparisons (per endpoint) and of pull requests that regressed. */
  singleComparison: number
  singlePr: number
  singleDetection: number
  /** Two steps: flag, re-run the candidates, judge on both runs. */
  comparison: number
  pr: number
  detection: number
  /** Unchanged pull requests that re-ran at least one endpoint, and endpoints re-run per unchanged pull request. */
  rerunPrs: number
  rerunEndpoints: number
  /** Error-rate comparisons that failed an unchanged pull request (binomial noise only). */
  errorRateAlarms: number
  bound: number
  trials: { unchanged: number; regressed: number }
}

function measure(model: NoiseModel, n: number): Measured {
  // One random stream for the unchanged pull requests, another for the regressed endpoints: each
  // half's numbers do not depend on how many trials the other half runs.
  const streams = { unchanged: prng(model.seed * 1000 + n), regressed: prng(model.seed * 1000 + 500 + n) }
  let rng = streams.unchanged
  const run = (endpoints: readonly number[], slower: number | null): Sli[] =>
    endpoints.map((e) => ({
      ...SLI_TEMPLATE,
      endpoint: NAMES[e],
      p95_ms: TRUE_P95[e] * (e === slower ? REGRESSION : 1) * model.factor(rng),
      error_rate_pct: (100 * binomial(rng, REQUESTS, ERROR_P)) / REQUESTS,
    }))
  const all = TRUE_P95.map((_, e) => e)
  /** The gate's procedure on one pull request whose endpoints are `endpoints`; `slower` is the regressed one, if any. */
  const pullRequest = (endpoints: readonly number[], slower: number | null) => {
    const history: HistoryEntry[] = Array.from({ length: n }, (_, i) => ({
      ...TEMPLATE,
      run: { ...TEMPLATE.run, id: `base-${i}` },
      slis: run(endpoints, null),
    }))
    const first: CurrentSli[] = run(endpoints, slower)
    const flagged = compareWithBaseline(first, history, OPTIONS)
    const candidates = candidatesForConfirmation(flagged)
    const final =
      candidates.length === 0
        ? flagged
        : compareWithBaseline(first, history, {
            ...OPTIONS,
            confirmation: run(
              candidates.map((c) => NAMES.indexOf(c)),
              slower,
            ),
          })
    return { flagged, candidates, final }
  }
  const p95Regressed = (report: ReturnType<typeof compareWithBaseline>) => report.summary.gatingRegressions.filter((c) => c.metric === 'p95_ms').length

  const trials = trialsFor(model, n)
  const m = { singleComparison: 0, singlePr: 0, singleDetection: 0, comparison: 0, pr: 0, detection: 0, rerunPrs: 0, rerunEndpoints: 0, errorRateAlarms: 0 }
  for (let trial = 0; trial < trials.unchanged; trial++) {
    const unchanged = pullRequest(all, null)
    m.singleComparison += p95Regressed(unchanged.flagged)
    m.singlePr += unchanged.flagged.summary.gatingRegressions.length > 0 ? 1 : 0
    m.comparison += p95Regressed(unchanged.final)
    m.pr += unchanged.final.summary.gatingRegressions.length > 0 ? 1 : 0
    m.rerunPrs += unchanged.candidates.length > 0 ? 1 : 0
    m.rerunEndpoints += unchanged.candidates.length
    m.errorRateAlarms += unchanged.final.summary.gatingRegressions.filter((c) => c.metric === 'error_rate_pct').length
  }
  rng = streams.regressed
  for (let trial = 0; trial < trials.regressed; trial++) {
    const slower = trial % ENDPOINTS
    const regressed = pullRequest([slower], slower)
    m.singleDetection += p95Regressed(regressed.flagged)
    m.detection += p95Regressed(regressed.final)
  }
  return {
    singleComparison: m.singleComparison / (trials.unchanged * ENDPOINTS),
    singlePr: m.singlePr / trials.unchanged,
    singleDetection: m.singleDetection / trials.regressed,
    comparison: m.comparison / (trials.unchanged * ENDPOINTS),
    pr: m.pr / trials.unchanged,
    detection: m.detection / trials.regressed,
    rerunPrs: m.rerunPrs / trials.unchanged,
    rerunEndpoints: m.rerunEndpoints / trials.unchanged,
    errorRateAlarms: m.errorRateAlarms,
    bound: bound(model, n),
    trials,
  }
}

/**
 * Best detection of a threshold on mean(logs of 2 current runs) − mean(logs of n history runs)
 * that knows the noise distribution, its threshold set for exactly the per-endpoint share of a 5 %
 * per-PR false alarm rate (pure arithmetic, so many more samples than the pull requests above).
 */
function bound(model: NoiseModel, n: number): number {
  const rng = prng(model.seed * 7 + n)
  const samples = 50_000
  const statistic = (shift: number) => {
    let history = 0
    for (let i = 0; i < n; i++) history += log(model.factor(rng))
    return (log(model.factor(rng)) + log(model.factor(rng))) / 2 + shift - history / n
  }
  const unchanged = Float64Array.from({ length: samples }, () => statistic(0)).sort()
  const threshold = unchanged[Math.ceil((1 - PER_ENDPOINT_ALPHA) * samples) - 1]
  let detected = 0
  for (let i = 0; i < samples; i++) if (statistic(log(REGRESSION)) > threshold) detected++
  return detected / samples
}

const measured = new Map<string, Measured>()
const pct = (x: number, width = 6) => `${(100 * x).toFixed(1)} %`.padStart(width)

afterAll(() => {
  const lines = [
    `baseline comparison, default options (gating p95 + error rate), pull requests of ${ENDPOINTS} endpoints, one of them +30 % slower to measure detection`,
    `${''.padEnd(52)}         one run, no re-run        two steps: flag → re-run → judge      re-runs (unch. PR)    bound   trials`,
    `${'noise model'.padEnd(52)} hist  per cmp  per PR  detect   per cmp  per PR  detect         PRs  endpoints            unch. PRs / regr.`,
  ]
  for (const [key, r] of measured) {
    const [name, n] = key.split('|')
    lines.push(
      `${name.padEnd(52)} ${n.padStart(4)}  ${pct(r.singleComparison, 7)} ${pct(r.singlePr, 7)} ${pct(r.singleDetection, 7)}   ${pct(r.comparison, 7)} ${pct(r.pr, 7)} ${pct(r.detection, 7)}     ${pct(r.rerunPrs, 7)} ${r.rerunEndpoints.toFixed(2).padStart(6)}    ${pct(r.bound, 7)}   ${String(r.trials.unchanged).padStart(5)} / ${r.trials.regressed}`,
    )
  }
  const errorAlarms = [...measured.values()].reduce((sum, r) => sum + r.errorRateAlarms, 0)
  const prs = [...measured.values()].reduce((sum, r) => sum + r.trials.unchanged, 0)
  lines.push(`error-rate false alarms (0.1 % true rate, binomial): ${errorAlarms} in ${prs} unchanged pull requests`)
  console.log(lines.join('\n'))
})

/**
 * Expected detection of the two-step procedure where 95 % is out of reach: a floor a little under
 * the measured value (the seeds are fixed, so it only moves when the statistic does).
 */
const DETECTION_FLOOR: Record<string, Record<number, number>> = {
  [MODELS[0].name]: { 3: 0.8, 5: 0.88, 10: 0.95 },
  [MODELS[1].name]: { 3: 0.73, 5: 0.83, 10: 0.89 },
  [MODELS[2].name]: { 3: 0.88, 5: 0.96, 10: 0.97 },
  [MODELS[3].name]: { 3: 0.67, 5: 0.77, 10: 0.81 },
}
/** Per-PR false alarms allowed: the target, except for the model noisier than the prior assumes (the documented weak spot). */
const MAX_PR_FALSE_ALARMS: Record<string, number> = {
  [MODELS[0].name]: 0.05,
  [MODELS[1].name]: 0.05,
  [MODELS[2].name]: 0.05,
  [MODELS[3].name]: 0.1,
}
/** Where the bound itself is under 95 %: no threshold on the statistic reaches both targets with one re-run. */
const OUT_OF_REACH: Record<string, readonly number[]> = {
  [MODELS[0].name]: [3, 5],
  [MODELS[1].name]: [3, 5, 10],
  [MODELS[3].name]: [3, 5, 10],
}

/** The targets' cells (history 5 and 10 of the first two models) where 95 % detection is within reach. */
function detectionTargetAsserted(model: NoiseModel, n: number): boolean {
  return model.target && n >= 5 && !OUT_OF_REACH[model.name]?.includes(n)
}

describe.each(MODELS)('$name', (model) => {
  it.each(HISTORY_LENGTHS)('history of %i runs: flag → re-run → judge keeps per-PR false alarms in bounds, detection as high as the noise allows', (n) => {
    const r = measure(model, n)
    measured.set(`${model.name}|${n}`, r)
    expect(r.pr).toBeLessThanOrEqual(MAX_PR_FALSE_ALARMS[model.name])
    expect(r.detection).toBeGreaterThanOrEqual(DETECTION_FLOOR[model.name][n])
    if (detectionTargetAsserted(model, n)) expect(r.detection).toBeGreaterThanOrEqual(0.95)
    // Judging on two runs, the gate finds more than the first run alone would.
    expect(r.detection).toBeGreaterThan(r.singleDetection)
    if (OUT_OF_REACH[model.name]?.includes(n)) expect(r.bound).toBeLessThan(0.95)
  })
})
