/**
 * Baseline comparison for pull requests: this run's per-endpoint SLIs against the base branch's
 * recent runs. Pure: results files in, a report out.
 *
 * A metric is called regressed only when its change clears BOTH the relative threshold (10 % by
 * default) AND the run-to-run noise seen across the base branch's history, so a noisy CI runner
 * does not fail a pull request that changed nothing. The statistic (median baseline, small-sample
 * prediction bound with a noise prior) and its measured error rates are in README-regression.md.
 *
 * Kept distinct, because they mean different things to the reader:
 * - no-baseline: no base-branch run measured this endpoint (new endpoint, or no history at all);
 * - insufficient-history: measured by fewer than `minHistory` runs, too few to judge noise;
 *   the change is shown but never called a regression;
 * - unreadable history entries (artifact corrupt, wrong schema): listed separately, never counted;
 * - excluded history entries (another load profile, or a run whose test did not run properly).
 */
import { fmtMs, fmtPct, fmtRps } from '../report/format.js'
import type { ResultsFile } from '../results.js'

/** SLIs the comparison can judge, named as in the results file. */
export const REGRESSION_METRICS = ['p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'max_ms', 'avg_ms', 'error_rate_pct', 'rps'] as const
export type RegressionMetric = (typeof REGRESSION_METRICS)[number]

/** What the comparison reads of one endpoint's SLIs: a results file's `slis[]` entry, or an EndpointSli. */
export type CurrentSli = Pick<ResultsFile['slis'][number], 'endpoint' | 'requests' | RegressionMetric>

export const COMPARISON_STATES = ['regressed', 'improved', 'unchanged', 'insufficient-history', 'no-baseline', 'no-data'] as const
/**
 * - regressed / improved / unchanged: judged against at least `minHistory` base-branch runs;
 * - insufficient-history: fewer runs measured it; the change is reported but not judged;
 * - no-baseline: no readable base-branch run measured it;
 * - no-data: this run did not measure it (no requests, the statistic missing, or, for the error
 *   rate, fewer requests than `minRequests`).
 */
export type ComparisonState = (typeof COMPARISON_STATES)[number]

/** A history entry whose results file could not be read or validated. It is reported, never counted. */
export interface UnreadableHistoryEntry {
  unreadable: true
  reason: string
  runId: string
}
export type HistoryEntry = ResultsFile | UnreadableHistoryEntry

export function isUnreadable(entry: HistoryEntry): entry is UnreadableHistoryEntry {
  return (entry as Partial<UnreadableHistoryEntry>).unreadable === true
}

export interface RegressionOptions {
  /** Relative change a metric must exceed (as well as the noise) to be a regression. Default 0.10 (10 %). */
  relativeThreshold?: number
  /** Per-metric override of `relativeThreshold`, e.g. `{ p99_ms: 0.2 }`. Default: none. */
  thresholds?: Partial<Record<RegressionMetric, number>>
  /** Base-branch runs that must have measured a metric before it is judged. Default 3. */
  minHistory?: number
  /** Metrics compared, in this order. Default p95_ms, p99_ms, error_rate_pct, rps. */
  metrics?: readonly RegressionMetric[]
  /** One-sided confidence that a change is beyond noise. Default 0.95. */
  confidence?: number
  /**
   * What the comparison assumes about run-to-run noise before it has seen the history: a standard
   * deviation of ln(value) (0.08: ±15 % run-to-run, between the 7.5 % of a normal with 95 % of runs
   * within ±15 % and the 8.7 % of a uniform ±15 %) worth `weight` runs of evidence.
   * It keeps 3 lucky, near-identical runs from making the gate trigger-happy and fades as history
   * grows. Latency and throughput only. Default `{ sigma: 0.08, weight: 4 }`.
   */
  noisePrior?: { sigma: number; weight: number }
  /**
   * Smallest absolute change that can count, in the metric's unit. Defaults: 1 ms for latencies
   * (sub-millisecond jitter on a 2 ms endpoint is not a regression), 0.5 percentage points for the
   * error rate (a relative change of a near-zero rate means nothing), 0 req/s for rps.
   */
  absoluteFloors?: Partial<Record<RegressionMetric, number>>
  /** Requests this run must have made to an endpoint before its error rate is judged. Default 100. */
  minRequests?: number
  /** When set, history runs of another load profile are excluded: a smoke run is no baseline for a load run. */
  profile?: string
}

export const REGRESSION_DEFAULTS = {
  relativeThreshold: 0.1,
  minHistory: 3,
  metrics: ['p95_ms', 'p99_ms', 'error_rate_pct', 'rps'] as readonly RegressionMetric[],
  confidence: 0.95,
  noisePrior: { sigma: 0.08, weight: 4 },
  latencyFloorMs: 1,
  errorRateFloorPp: 0.5,
  minRequests: 100,
} as const

export interface NoiseEstimate {
  /** History runs behind the estimate. */
  runs: number
  /**
   * Standard deviation across those runs: of ln(value) for latency and rps (0.075 ≈ 7.5 %),
   * in percentage points for the error rate. Null with a single run.
   */
  historySpread: number | null
  /** The standard deviation used: the history's, shrunk toward the noise prior (latency, rps). */
  sigma: number
  /**
   * The change a steady service stays under with the configured confidence, as a relative change
   * (0.18 = ±18 %) for latency and rps, in percentage points for the error rate.
   */
  tolerance: number
}

export interface MetricComparison {
  endpoint: string
  metric: RegressionMetric
  state: ComparisonState
  current: number | null
  /** Median of the history runs that measured this endpoint and metric. */
  baseline: number | null
  /** current / baseline − 1; null when either is missing or the baseline is 0. */
  relativeChange: number | null
  /** current − baseline in the metric's unit (ms, percentage points, req/s). */
  absoluteChange: number | null
  /** History runs that measured this endpoint and metric. */
  historyRuns: number
  noise: NoiseEstimate | null
  /**
   * The change in the worse direction divided by the bar it had to clear (noise, threshold and
   * floor, whichever is highest): above 1 for a regression, below −1 for an improvement. Unitless,
   * so regressions of different metrics can be ranked. 0 when not judged.
   */
  severity: number
  /** One line for a human, e.g. "p95 182 ms vs 120 ms baseline (+52 %, beyond the ±18 % run-to-run noise of 5 runs)". */
  reason: string
}

export type HistoryStatus = 'ok' | 'none' | 'unreadable' | 'too-few'

export interface RegressionSummary {
  /** ok; none: no history at all; unreadable: entries exist but none could be read; too-few: fewer readable runs than minHistory. */
  historyStatus: HistoryStatus
  /** Readable, comparable history runs. */
  historyRuns: number
  unreadable: UnreadableHistoryEntry[]
  /** Readable runs left out: another load profile, or the test did not run properly (verdict error). */
  excluded: Array<{ runId: string; reason: string }>
  counts: Record<ComparisonState, number>
  /** Worst first (highest severity). */
  regressions: MetricComparison[]
  /** Largest first. */
  improvements: MetricComparison[]
  /** Endpoints measured by the history but absent from this run (removed, renamed or filtered out). */
  missingEndpoints: string[]
  /** One line: what a reader needs first. */
  headline: string
}

export interface RegressionReport {
  /** Per endpoint in this run's order, then per metric in `metrics` order. */
  comparisons: MetricComparison[]
  summary: RegressionSummary
}

interface Resolved {
  thresholds: Record<RegressionMetric, number>
  floors: Record<RegressionMetric, number>
  minHistory: number
  metrics: readonly RegressionMetric[]
  confidence: number
  prior: { sigma: number; weight: number }
  minRequests: number
  profile?: string
}

/** Compare this run's SLIs with the base branch's history (newest first; may be empty). */
export function compareWithBaseline(
  current: readonly CurrentSli[],
  history: readonly HistoryEntry[],
  options: RegressionOptions = {},
): RegressionReport {
  const opts = resolveOptions(options)
  const unreadable: UnreadableHistoryEntry[] = []
  const excluded: Array<{ runId: string; reason: string }> = []
  const runs: ResultsFile[] = []
  for (const entry of history) {
    if (isUnreadable(entry)) unreadable.push(entry)
    else if (entry.verdict === 'error') excluded.push({ runId: entry.run.id, reason: 'the test did not run properly (verdict error), so its numbers are no baseline' })
    else if (opts.profile !== undefined && entry.run.profile !== opts.profile)
      excluded.push({ runId: entry.run.id, reason: `load profile ${entry.run.profile}, not ${opts.profile}` })
    else runs.push(entry)
  }

  const comparisons: MetricComparison[] = []
  for (const sli of current) {
    const past: CurrentSli[] = []
    for (const run of runs) {
      const match = run.slis.find((s) => s.endpoint === sli.endpoint)
      if (match !== undefined) past.push(match)
    }
    for (const metric of opts.metrics) comparisons.push(compareMetric(sli, past, metric, opts))
  }

  const currentEndpoints = new Set(current.map((s) => s.endpoint))
  const missingEndpoints = [...new Set(runs.flatMap((run) => run.slis.filter((s) => s.requests > 0).map((s) => s.endpoint)))]
    .filter((e) => !currentEndpoints.has(e))
    .sort()

  const counts = Object.fromEntries(COMPARISON_STATES.map((s) => [s, 0])) as Record<ComparisonState, number>
  for (const c of comparisons) counts[c.state]++
  const regressions = comparisons.filter((c) => c.state === 'regressed').sort((a, b) => b.severity - a.severity)
  const improvements = comparisons.filter((c) => c.state === 'improved').sort((a, b) => a.severity - b.severity)
  const historyStatus: HistoryStatus =
    runs.length >= opts.minHistory ? 'ok' : runs.length > 0 ? 'too-few' : unreadable.length > 0 ? 'unreadable' : excluded.length > 0 ? 'too-few' : 'none'

  return {
    comparisons,
    summary: {
      historyStatus,
      historyRuns: runs.length,
      unreadable,
      excluded,
      counts,
      regressions,
      improvements,
      missingEndpoints,
      headline: headline(historyStatus, runs.length, unreadable, excluded, regressions, counts, opts.minHistory),
    },
  }
}

/** The results file's `regressions[]` entries for a report. */
export function toResultsRegressions(report: RegressionReport): Array<{ endpoint: string; metric: string; current: number | null; baseline: number | null; change: number | null; reason: string }> {
  return report.summary.regressions.map((c) => ({
    endpoint: c.endpoint,
    metric: c.metric,
    current: c.current,
    baseline: c.baseline,
    change: c.relativeChange,
    reason: c.reason,
  }))
}

function resolveOptions(options: RegressionOptions): Resolved {
  const relative = options.relativeThreshold ?? REGRESSION_DEFAULTS.relativeThreshold
  const thresholds = Object.fromEntries(REGRESSION_METRICS.map((m) => [m, options.thresholds?.[m] ?? relative])) as Record<RegressionMetric, number>
  const defaultFloor = (m: RegressionMetric): number =>
    m === 'error_rate_pct' ? REGRESSION_DEFAULTS.errorRateFloorPp : m === 'rps' ? 0 : REGRESSION_DEFAULTS.latencyFloorMs
  const floors = Object.fromEntries(REGRESSION_METRICS.map((m) => [m, options.absoluteFloors?.[m] ?? defaultFloor(m)])) as Record<RegressionMetric, number>
  const resolved: Resolved = {
    thresholds,
    floors,
    minHistory: Math.max(1, Math.floor(options.minHistory ?? REGRESSION_DEFAULTS.minHistory)),
    metrics: options.metrics ?? REGRESSION_DEFAULTS.metrics,
    confidence: options.confidence ?? REGRESSION_DEFAULTS.confidence,
    prior: options.noisePrior ?? REGRESSION_DEFAULTS.noisePrior,
    minRequests: options.minRequests ?? REGRESSION_DEFAULTS.minRequests,
    profile: options.profile,
  }
  const problems: string[] = []
  for (const m of REGRESSION_METRICS) {
    if (!(thresholds[m] >= 0)) problems.push(`threshold for ${m} must be a non-negative fraction (0.1 = 10 %), got ${thresholds[m]}`)
    if (!(floors[m] >= 0)) problems.push(`absolute floor for ${m} must be non-negative, got ${floors[m]}`)
  }
  if (!(resolved.confidence > 0.5 && resolved.confidence < 1)) problems.push(`confidence must be between 0.5 and 1, got ${resolved.confidence}`)
  if (!(resolved.prior.sigma >= 0 && resolved.prior.weight >= 0)) problems.push('noisePrior sigma and weight must be non-negative')
  if (problems.length > 0) throw new RangeError(`invalid regression options: ${problems.join('; ')}`)
  return resolved
}

/** Latency regresses upward, throughput downward, the error rate upward (in percentage points). */
function worseDirection(metric: RegressionMetric): 1 | -1 {
  return metric === 'rps' ? -1 : 1
}

function compareMetric(sli: CurrentSli, past: readonly CurrentSli[], metric: RegressionMetric, opts: Resolved): MetricComparison {
  const isErrorRate = metric === 'error_rate_pct'
  const usable = (s: CurrentSli): number | null => {
    const v = s[metric]
    if (s.requests <= 0 || v === null || !Number.isFinite(v)) return null
    // Latency and throughput are compared as ratios: a zero is no measurement.
    return isErrorRate || v > 0 ? v : null
  }
  const base = { endpoint: sli.endpoint, metric, noise: null, severity: 0 }
  const samples = past.map((s) => ({ sli: s, value: usable(s) })).filter((s): s is { sli: CurrentSli; value: number } => s.value !== null)
  const values = samples.map((s) => s.value)
  const n = values.length
  const current = usable(sli)
  const baseline = n > 0 ? median(values) : null
  const relativeChange = current !== null && baseline !== null && baseline !== 0 ? current / baseline - 1 : null
  const absoluteChange = current !== null && baseline !== null ? current - baseline : null
  const shared = { ...base, current, baseline, relativeChange, absoluteChange, historyRuns: n }

  if (current === null) {
    const why =
      sli.requests <= 0 ? 'no requests were measured in this run' : sli[metric] === null ? 'k6 did not report it in this run' : 'not measured in this run'
    return { ...shared, state: 'no-data', reason: `${label(metric)}: ${why}` }
  }
  if (isErrorRate && sli.requests < opts.minRequests) {
    return {
      ...shared,
      state: 'no-data',
      reason: `${label(metric)} ${fmt(metric, current)}: only ${sli.requests} requests, fewer than the ${opts.minRequests} needed to judge an error rate`,
    }
  }
  if (baseline === null) {
    const why = past.length === 0 ? 'no base-branch run measured this endpoint' : `the base-branch runs did not measure ${label(metric)} for this endpoint`
    return { ...shared, state: 'no-baseline', reason: `${label(metric)} ${fmt(metric, current)}: ${why}` }
  }
  const change = changeText(metric, relativeChange, absoluteChange)
  if (n < opts.minHistory) {
    return {
      ...shared,
      state: 'insufficient-history',
      reason: `${label(metric)} ${fmt(metric, current)} vs ${fmt(metric, baseline)} over ${plural(n, 'run')} (${change}): ${opts.minHistory} base-branch runs are needed to judge run-to-run noise, so this is not called a regression`,
    }
  }
  return isErrorRate ? judgeErrorRate(shared, sli, samples, opts) : judgeRatio(shared, values, opts)
}

type Shared = Omit<MetricComparison, 'state' | 'reason'>

/**
 * Latency and throughput: in log space, where CI noise is multiplicative and a rise and a fall
 * are symmetric. The bar is the larger of the relative threshold and the prediction bound
 * t(df, confidence) · σ · √(1 + π / 2n), with σ² = (w·σ0² + (n−1)·s²) / (w + n − 1) and
 * df = w + n − 1: the history's spread s shrunk toward the prior σ0 (weight w runs).
 */
function judgeRatio(shared: Shared, values: readonly number[], opts: Resolved): MetricComparison {
  const { metric, current, baseline } = shared as Shared & { current: number; baseline: number }
  const n = values.length
  const logs = values.map(Math.log)
  const spread = n >= 2 ? stdDev(logs) : null
  const nu = n - 1
  const w = opts.prior.weight
  const df = w + nu
  const sigma = df > 0 ? Math.sqrt((w * opts.prior.sigma ** 2 + nu * (spread ?? 0) ** 2) / df) : opts.prior.sigma
  const bandLog = df > 0 ? tQuantile(opts.confidence, df) * sigma * Math.sqrt(1 + Math.PI / (2 * n)) : Infinity
  const dir = worseDirection(metric)
  const thresholdLog = dir === 1 ? Math.log(1 + opts.thresholds[metric]) : -Math.log(Math.max(1e-9, 1 - opts.thresholds[metric]))
  const barLog = Math.max(bandLog, thresholdLog)
  const worseLog = dir * Math.log(current / baseline)
  const worseAbs = dir * (current - baseline)
  const floor = opts.floors[metric]
  const tolerance = dir === 1 ? Math.expm1(bandLog) : -Math.expm1(-bandLog)
  const noise: NoiseEstimate = { runs: n, historySpread: spread, sigma, tolerance }
  const severity = barLog > 0 ? worseLog / barLog : 0

  const regressed = worseLog > barLog && worseAbs > floor
  const improved = -worseLog > barLog && -worseAbs > floor
  const state: ComparisonState = regressed ? 'regressed' : improved ? 'improved' : 'unchanged'
  const head = `${label(metric)} ${fmt(metric, current)} vs ${fmt(metric, baseline)} baseline (${changeText(metric, shared.relativeChange, shared.absoluteChange)}`
  const noiseText = `±${pctText(tolerance)} run-to-run noise of ${plural(n, 'run')}`
  const thresholdText = `${pctText(opts.thresholds[metric])} threshold`
  let why: string
  if (regressed || improved) why = bandLog >= thresholdLog ? `beyond the ${noiseText}` : `beyond the ${thresholdText} and the ${noiseText}`
  else if (Math.abs(worseLog) <= bandLog) why = `within the ${noiseText}`
  else if (Math.abs(worseLog) <= thresholdLog) why = `under the ${thresholdText}; noise ±${pctText(tolerance)} over ${plural(n, 'run')}`
  else why = `but only ${fmtAbs(metric, Math.abs(current - baseline))}, under the ${fmtAbs(metric, floor)} floor`
  return { ...shared, state, noise, severity: state === 'unchanged' ? 0 : severity, reason: `${head}, ${why})` }
}

/**
 * Error rate, in percentage points: a relative change of a near-zero rate is meaningless
 * (0.01 % → 0.2 % is "+1900 %"). A regression must clear the absolute floor (0.5 pp), the relative
 * threshold of the baseline rate, and the history's spread (t · s · √(1 + π / 2n), no prior: the
 * floor plays that part), and the failure count must be unlikely under the baseline's failure rate
 * (one-sided exact conditional binomial test, so 2 failures of 150 requests are not a regression).
 */
function judgeErrorRate(shared: Shared, sli: CurrentSli, samples: ReadonlyArray<{ sli: CurrentSli; value: number }>, opts: Resolved): MetricComparison {
  const metric = shared.metric
  const { current, baseline } = shared as Shared & { current: number; baseline: number }
  const n = samples.length
  const spread = n >= 2 ? stdDev(samples.map((s) => s.value)) : null
  const band = spread !== null ? tQuantile(opts.confidence, n - 1) * spread * Math.sqrt(1 + Math.PI / (2 * n)) : 0
  const floor = opts.floors[metric]
  const bar = Math.max(floor, opts.thresholds[metric] * baseline, band)
  const delta = current - baseline

  const failedNow = Math.round((current / 100) * sli.requests)
  const failedBefore = samples.reduce((sum, s) => sum + Math.round((s.value / 100) * s.sli.requests), 0)
  const requestsBefore = samples.reduce((sum, s) => sum + s.sli.requests, 0)
  const share = sli.requests / (sli.requests + requestsBefore)
  const totalFailed = failedNow + failedBefore
  const alpha = 1 - opts.confidence
  const pWorse = binomialUpperTail(failedNow, totalFailed, share)
  const pBetter = 1 - binomialUpperTail(failedNow + 1, totalFailed, share)

  const beyond = Math.abs(delta) > bar
  const regressed = delta > bar && pWorse < alpha
  const improved = -delta > bar && pBetter < alpha
  const state: ComparisonState = regressed ? 'regressed' : improved ? 'improved' : 'unchanged'
  const noise: NoiseEstimate = { runs: n, historySpread: spread, sigma: spread ?? 0, tolerance: band }
  const head = `${label(metric)} ${fmt(metric, current)} vs ${fmt(metric, baseline)} baseline (${changeText(metric, shared.relativeChange, delta)}`
  const failures = `${failedNow} of ${sli.requests} requests failed`
  const bars = `the ${ppText(floor)} floor${band > floor ? ` and the ±${ppText(band)} run-to-run noise of ${plural(n, 'run')}` : ''}`
  let why: string
  if (regressed || improved) why = `beyond ${bars}; ${failures}`
  else if (!beyond) why = `within ${bars}`
  else why = `${failures}, too few to rule out chance against the baseline's ${failedBefore} of ${requestsBefore}`
  return { ...shared, state, noise, severity: state === 'unchanged' ? 0 : delta / bar, reason: `${head}, ${why})` }
}

function headline(
  status: HistoryStatus,
  runs: number,
  unreadable: readonly UnreadableHistoryEntry[],
  excluded: ReadonlyArray<{ runId: string }>,
  regressions: readonly MetricComparison[],
  counts: Record<ComparisonState, number>,
  minHistory: number,
): string {
  const unreadableNote = unreadable.length > 0 ? `; ${plural(unreadable.length, 'base-branch result')} could not be read (${unreadable[0].reason})` : ''
  if (status === 'none') return 'no base-branch results to compare with: every endpoint is new to the baseline'
  if (status === 'unreadable') return `no usable baseline: ${plural(unreadable.length, 'base-branch result')} could not be read (${unreadable[0].reason})`
  if (status === 'too-few')
    return `only ${plural(runs, 'usable base-branch run')}${excluded.length > 0 ? ` (${excluded.length} excluded)` : ''}, ${minHistory} needed to judge run-to-run noise: changes are shown, not judged${unreadableNote}`
  if (regressions.length > 0) {
    const worst = regressions[0]
    return `${plural(regressions.length, 'regression')} beyond run-to-run noise; worst: ${worst.endpoint} ${label(worst.metric)} ${changeText(worst.metric, worst.relativeChange, worst.absoluteChange)}${unreadableNote}`
  }
  const judged = counts.unchanged + counts.improved
  return `no regression beyond run-to-run noise across ${plural(judged, 'judged metric')}, ${plural(runs, 'base-branch run')}${counts.improved > 0 ? ` (${counts.improved} improved)` : ''}${unreadableNote}`
}

// ---------- formatting ----------

const LABELS: Record<RegressionMetric, string> = {
  p50_ms: 'p50',
  p90_ms: 'p90',
  p95_ms: 'p95',
  p99_ms: 'p99',
  max_ms: 'max',
  avg_ms: 'avg',
  error_rate_pct: 'errors',
  rps: 'throughput',
}

function label(metric: RegressionMetric): string {
  return LABELS[metric]
}

function fmt(metric: RegressionMetric, value: number): string {
  if (metric === 'error_rate_pct') return fmtPct(value)
  if (metric === 'rps') return `${fmtRps(value)} req/s`
  return fmtMs(value)
}

function fmtAbs(metric: RegressionMetric, value: number): string {
  return metric === 'error_rate_pct' ? ppText(value) : fmt(metric, value)
}

function changeText(metric: RegressionMetric, relative: number | null, absolute: number | null): string {
  if (metric === 'error_rate_pct') return absolute === null ? 'no change measured' : `${absolute >= 0 ? '+' : '-'}${ppText(Math.abs(absolute))}`
  if (relative === null) return 'no change measured'
  return `${relative >= 0 ? '+' : '-'}${pctText(Math.abs(relative))}`
}

/** 0.523 → "52 %", 0.094 → "9.4 %". */
function pctText(fraction: number): string {
  if (!Number.isFinite(fraction)) return '∞ %'
  const pct = fraction * 100
  return `${pct >= 10 ? Math.round(pct) : Number(pct.toFixed(1))} %`
}

function ppText(pp: number): string {
  return `${Number(pp.toFixed(pp >= 10 ? 1 : 2))} pp`
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

// ---------- statistics (exported for tests) ----------

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Sample standard deviation (n − 1). */
export function stdDev(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1))
}

const tCache = new Map<string, number>()

/** The p-quantile of Student's t with df degrees of freedom (df > 0, p in (0.5, 1)), by bisection on the CDF. */
export function tQuantile(p: number, df: number): number {
  const key = `${p}:${df}`
  const cached = tCache.get(key)
  if (cached !== undefined) return cached
  let lo = 0
  let hi = 1
  while (tCdf(hi, df) < p) hi *= 2
  for (let i = 0; i < 100 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2
    if (tCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  const q = (lo + hi) / 2
  tCache.set(key, q)
  return q
}

/** Student's t CDF for t ≥ 0. */
export function tCdf(t: number, df: number): number {
  return 1 - 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1
  if (k > n) return 0
  if (p <= 0) return 0
  if (p >= 1) return 1
  return regularizedIncompleteBeta(p, k, n - k + 1)
}

/** I_x(a, b), by the continued fraction (Numerical Recipes' betacf). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let h = d
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-14) break
  }
  return h
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let sum = coefficients[0]
  for (let i = 1; i < 9; i++) sum += coefficients[i] / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}
