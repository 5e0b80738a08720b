/**
 * Baseline comparison for pull requests: this run's per-endpoint SLIs against the base branch's
 * recent runs. Pure: results files in, a report out. A metric regressed only when its change
 * clears BOTH the relative threshold AND the run-to-run noise of the history; endpoints that
 * regressed or came close (`candidatesForConfirmation`) are re-measured and judged again with
 * `{ confirmation: reRun }`. The statistic, the states (no-baseline, insufficient-history,
 * unreadable and excluded history), the defaults and their measured error rates: docs/regressions.md.
 */
import { geometricMean, median, stdDev } from '../stats/descriptive.js'
import { binomialUpperTail, tQuantile } from '../stats/distributions.js'
import { REGRESSION_METRICS, type RegressionMetric } from './regression-metrics.js'
import { fmtPp, fmtRelative } from '../format/numbers.js'
import { changeText, currentText, fmt, fmtAbs, label, plural } from './regression-text.js'
import { BASELINE_DEFAULTS } from './config.js'
import { findHistoryShifts, runsSinceShift, shiftKey, type ChangePointReport, type HistorySeries } from './change-points.js'
import { ComparisonStateSchema, type ComparisonState, type HistoryStatus, type ResultsFile } from '../results/schema.js'

/** What the comparison reads of one endpoint's SLIs: a results file's `slis[]` entry, or an EndpointSli. */
export type CurrentSli = Pick<ResultsFile['slis'][number], 'endpoint' | 'requests' | RegressionMetric>

/** The states a comparison can end in (src/results/schema.ts); for the error rate, too few requests is fewer than `minRequests`. */
export const COMPARISON_STATES = ComparisonStateSchema.options

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
  /**
   * SLIs of the confirmation re-run(s) of this pull request: the endpoints `candidatesForConfirmation`
   * returned, measured again under the same profile. One run's SLIs, or several runs'. An endpoint
   * found in them is judged on all its current runs together (m = 1 + the re-runs that measured it);
   * the others stay judged on the first run alone. Default: none.
   */
  confirmation?: readonly CurrentSli[] | ReadonlyArray<readonly CurrentSli[]>
  /** Relative change a metric must exceed (as well as the noise) to be a regression. Default 0.10 (10 %). */
  relativeThreshold?: number
  /** Per-metric override of `relativeThreshold`, e.g. `{ p99_ms: 0.2 }`. Default: none. */
  thresholds?: Partial<Record<RegressionMetric, number>>
  /** Base-branch runs that must have measured a metric before it is judged. Default 3. */
  minHistory?: number
  /** Metrics compared, in this order. Default p95_ms, p99_ms, error_rate_pct, rps. */
  metrics?: readonly RegressionMetric[]
  /**
   * Metrics whose regressions fail the gate; the others are reported only. Default p95_ms and
   * error_rate_pct. The per-PR false alarm rate grows with every gating comparison: a gating p99
   * would add at least as many false alarms as p95 makes (its tail is decided by a handful of
   * requests, so it is noisier still), and rps, under a closed model, moves with latency and would
   * mostly count a latency regression twice. Both stay in the report.
   */
  gatingMetrics?: readonly RegressionMetric[]
  /**
   * An endpoint becomes a candidate for a confirmation re-run when a gating latency or throughput
   * metric got this far toward its bar (`barRatio` ≥ this; 1 = regressed). Low on purpose: the
   * re-run, not this step, keeps false alarms down, and a true +30 % regression must not be lost
   * before it is re-measured. An error rate is a candidate once past its bar (a margin would only
   * re-run the Poisson jitter of a few failures). Default 0.35.
   */
  candidateBarRatio?: number
  /**
   * One-sided confidence that a change is beyond noise, per comparison, whatever the number of
   * current runs. Default 0.988: tuned, with `noisePrior` and `candidateBarRatio`, for ≤ 5 % false
   * alarms per 10-endpoint pull request with a confirmation re-run (docs/regressions.md).
   */
  confidence?: number
  /**
   * What the comparison assumes about run-to-run noise before it has seen the history: a standard
   * deviation of ln(value) worth `weight` runs of evidence. 0.09 is "±15 %" run-to-run read the
   * noisier way: a uniform ±15 % has 0.087 (a normal with 95 % of runs within ±15 % has 0.075). It
   * keeps a few lucky, near-identical runs from making the gate trigger-happy and fades as history
   * grows. Latency and throughput only. Default `{ sigma: 0.09, weight: 12 }`.
   */
  noisePrior?: { sigma: number; weight: number }
  /**
   * Smallest absolute change that can count, in the metric's unit. Defaults: 1 ms for latencies
   * (sub-millisecond jitter on a 2 ms endpoint is not a regression), 0.5 percentage points for the
   * error rate (a relative change of a near-zero rate means nothing), 0 req/s for rps.
   */
  absoluteFloors?: Partial<Record<RegressionMetric, number>>
  /** Requests this pull request's runs must have made to an endpoint, together, before its error rate is judged. Default 100. */
  minRequests?: number
  /** When set, history runs of another load profile are excluded: a smoke run is no baseline for a load run. */
  profile?: string
  /**
   * Look for step changes in the history (src/baseline/change-points.ts) and compare each metric
   * only with the runs since its latest one. Default false; the gate turns it on.
   */
  changePoints?: boolean
}

export const REGRESSION_DEFAULTS = {
  relativeThreshold: BASELINE_DEFAULTS.threshold,
  minHistory: BASELINE_DEFAULTS.minHistory,
  metrics: ['p95_ms', 'p99_ms', 'error_rate_pct', 'rps'] as readonly RegressionMetric[],
  gatingMetrics: ['p95_ms', 'error_rate_pct'] as readonly RegressionMetric[],
  candidateBarRatio: 0.35,
  confidence: 0.988,
  noisePrior: { sigma: 0.09, weight: 12 },
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
   * The change a steady service stays under with the configured confidence, for this comparison's
   * current runs combined: as a relative change (0.18 = ±18 %) for latency and rps, in percentage
   * points for the error rate.
   */
  tolerance: number
}

export interface MetricComparison {
  endpoint: string
  metric: RegressionMetric
  state: ComparisonState
  /**
   * This pull request's value: with one current run, that run's; with several, their geometric mean
   * (latency, rps) or the pooled failure rate, failed ÷ requests (error rate).
   */
  current: number | null
  /** The usable value of each current run that measured it, first run first. */
  currentValues: number[]
  /** Current runs combined: 1, or 2 after a confirmation re-run. */
  currentRuns: number
  /**
   * The history's centre: the geometric mean (mean of logs) of the runs that measured this endpoint
   * and metric for latency and rps, the median for the error rate.
   */
  baseline: number | null
  /** current / baseline − 1; null when either is missing or the baseline is 0. */
  relativeChange: number | null
  /** current − baseline in the metric's unit (ms, percentage points, req/s). */
  absoluteChange: number | null
  /** History runs that measured this endpoint and metric. */
  historyRuns: number
  noise: NoiseEstimate | null
  /** Whether a regression of this metric fails the gate (`gatingMetrics`). */
  gating: boolean
  /**
   * The change in the worse direction divided by the bar it had to clear (noise, threshold and
   * floor, whichever is highest), for every judged comparison: above 1 past the bar, negative when
   * better. Null when not judged (insufficient-history, no-baseline, no-data).
   */
  barRatio: number | null
  /**
   * `barRatio` of regressions and improvements, 0 otherwise: above 1 for a regression, below −1 for
   * an improvement. Unitless, so regressions of different metrics can be ranked.
   */
  severity: number
  /** One line for a human, e.g. "p95 182 ms vs 120 ms baseline (+52%, beyond the ±18% run-to-run noise of 5 runs)". */
  reason: string
}

export interface RegressionSummary {
  /** ok; none: no history at all; unreadable: entries exist but none could be read; too-few: fewer readable runs than minHistory. */
  historyStatus: HistoryStatus
  /** Readable, comparable history runs. */
  historyRuns: number
  unreadable: UnreadableHistoryEntry[]
  /** Readable runs left out: another load profile, or the test did not run properly (verdict error). */
  excluded: Array<{ runId: string; reason: string }>
  counts: Record<ComparisonState, number>
  /** Worst first (highest severity), gating or not. */
  regressions: MetricComparison[]
  /** The regressions on gating metrics, worst first: these fail the gate. */
  gatingRegressions: MetricComparison[]
  /** Largest first. */
  improvements: MetricComparison[]
  /** Endpoints measured by the history but absent from this run (removed, renamed or filtered out). */
  missingEndpoints: string[]
  /** Endpoints judged on more than one current run (re-measured by a confirmation run). */
  remeasured: string[]
  /** Endpoints to re-measure before their gating regressions count; see `candidatesForConfirmation`. */
  candidates: string[]
  /** One line: what a reader needs first. */
  headline: string
}

export interface RegressionReport {
  /** Per endpoint in this run's order (endpoints only the confirmation measured last), then per metric in `metrics` order. */
  comparisons: MetricComparison[]
  summary: RegressionSummary
  /** Step changes in the history, when `changePoints` was asked for. */
  changePoints?: ChangePointReport
}

interface Resolved {
  thresholds: Record<RegressionMetric, number>
  floors: Record<RegressionMetric, number>
  minHistory: number
  metrics: readonly RegressionMetric[]
  gating: ReadonlySet<RegressionMetric>
  candidateBarRatio: number
  confidence: number
  prior: { sigma: number; weight: number }
  minRequests: number
  profile?: string
  changePoints: boolean
}

/**
 * Compare this pull request's SLIs with the base branch's history (newest first; may be empty).
 * `current` is the pull request's first run; a confirmation re-run goes in `options.confirmation`.
 */
export function compareWithBaseline(current: readonly CurrentSli[], history: readonly HistoryEntry[], options: RegressionOptions = {}): RegressionReport {
  const opts = resolveOptions(options)
  const unreadable: UnreadableHistoryEntry[] = []
  const excluded: Array<{ runId: string; reason: string }> = []
  const runs: ResultsFile[] = []
  for (const entry of history) {
    if (isUnreadable(entry)) unreadable.push(entry)
    else if (entry.verdict === 'error')
      excluded.push({ runId: entry.run.id, reason: 'the test did not run properly (verdict error), so its numbers are no baseline' })
    else if (opts.profile !== undefined && entry.run.profile !== opts.profile)
      excluded.push({ runId: entry.run.id, reason: `load profile ${entry.run.profile}, not ${opts.profile}` })
    else runs.push(entry)
  }

  // Each endpoint's current runs: the first run's entry, then one per confirmation run that measured it.
  const currentRuns = [current, ...confirmationRuns(options.confirmation)]
  const perEndpoint = new Map<string, CurrentSli[]>()
  for (const run of currentRuns) {
    const seen = new Set<string>()
    for (const s of run) {
      if (seen.has(s.endpoint)) continue
      seen.add(s.endpoint)
      const list = perEndpoint.get(s.endpoint)
      if (list === undefined) perEndpoint.set(s.endpoint, [s])
      else list.push(s)
    }
  }
  const historyByEndpoint = new Map<string, CurrentSli[]>()
  for (const run of runs) {
    const seen = new Set<string>()
    for (const s of run.slis) {
      if (seen.has(s.endpoint)) continue
      seen.add(s.endpoint)
      const list = historyByEndpoint.get(s.endpoint)
      if (list === undefined) historyByEndpoint.set(s.endpoint, [s])
      else list.push(s)
    }
  }

  const changePoints = opts.changePoints ? findHistoryShifts(runs.length, historySeries(runs, [...perEndpoint.keys()], opts.metrics)) : undefined
  const keep = changePoints ? runsSinceShift(changePoints) : new Map<string, number>()
  const comparisons: MetricComparison[] = []
  for (const [endpoint, samples] of perEndpoint) {
    const past = historyByEndpoint.get(endpoint) ?? []
    for (const metric of opts.metrics) comparisons.push(compareMetric(samples, past, metric, opts, keep.get(shiftKey(endpoint, metric))))
  }

  const missingEndpoints = [...new Set(runs.flatMap((run) => run.slis.filter((s) => s.requests > 0).map((s) => s.endpoint)))]
    .filter((e) => !perEndpoint.has(e))
    .sort()

  const counts = Object.fromEntries(COMPARISON_STATES.map((s) => [s, 0])) as Record<ComparisonState, number>
  for (const c of comparisons) counts[c.state]++
  const regressions = comparisons.filter((c) => c.state === 'regressed').sort((a, b) => b.severity - a.severity)
  const gatingRegressions = regressions.filter((c) => c.gating)
  const improvements = comparisons.filter((c) => c.state === 'improved').sort((a, b) => a.severity - b.severity)
  const remeasured = [...new Set(comparisons.filter((c) => c.currentRuns > 1).map((c) => c.endpoint))]
  const candidates = [...new Set(comparisons.filter((c) => isCandidate(c, opts.candidateBarRatio)).map((c) => c.endpoint))]
  const historyStatus: HistoryStatus =
    runs.length >= opts.minHistory ? 'ok' : runs.length > 0 ? 'too-few' : unreadable.length > 0 ? 'unreadable' : excluded.length > 0 ? 'too-few' : 'none'

  return {
    ...(changePoints ? { changePoints } : {}),
    comparisons,
    summary: {
      historyStatus,
      historyRuns: runs.length,
      unreadable,
      excluded,
      counts,
      regressions,
      gatingRegressions,
      improvements,
      missingEndpoints,
      remeasured,
      candidates,
      headline: headline({
        status: historyStatus,
        runs: runs.length,
        unreadable,
        excluded,
        regressions,
        gatingRegressions,
        counts,
        remeasured,
        minHistory: opts.minHistory,
      }),
    },
  }
}

/**
 * Endpoints to re-measure once before their regressions count: those with a gating metric that
 * regressed or came close (`barRatio` ≥ `candidateBarRatio` for latency and throughput, past the
 * bar for the error rate), judged on a single current run. Endpoints already judged on a
 * confirmation run are not listed again: the procedure re-runs once. In this run's order.
 */
export function candidatesForConfirmation(report: RegressionReport): string[] {
  return [...report.summary.candidates]
}

function isCandidate(c: MetricComparison, candidateBarRatio: number): boolean {
  if (!c.gating || c.currentRuns !== 1 || c.barRatio === null) return false
  if (c.state === 'regressed') return true
  return c.metric === 'error_rate_pct' ? c.barRatio > 1 : c.barRatio >= candidateBarRatio
}

function confirmationRuns(confirmation: RegressionOptions['confirmation']): ReadonlyArray<readonly CurrentSli[]> {
  if (confirmation === undefined || confirmation.length === 0) return []
  return Array.isArray(confirmation[0]) ? (confirmation as ReadonlyArray<readonly CurrentSli[]>) : [confirmation as readonly CurrentSli[]]
}

/** The results file's `regressions[]` entries for a report: the gating regressions. */
export function toResultsRegressions(
  report: RegressionReport,
): Array<{ endpoint: string; metric: string; current: number | null; baseline: number | null; change: number | null; reason: string }> {
  return report.summary.gatingRegressions.map((c) => ({
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
    gating: new Set(options.gatingMetrics ?? REGRESSION_DEFAULTS.gatingMetrics),
    candidateBarRatio: options.candidateBarRatio ?? REGRESSION_DEFAULTS.candidateBarRatio,
    confidence: options.confidence ?? REGRESSION_DEFAULTS.confidence,
    prior: options.noisePrior ?? REGRESSION_DEFAULTS.noisePrior,
    minRequests: options.minRequests ?? REGRESSION_DEFAULTS.minRequests,
    profile: options.profile,
    changePoints: options.changePoints ?? false,
  }
  const problems: string[] = []
  for (const m of REGRESSION_METRICS) {
    if (!(thresholds[m] >= 0)) problems.push(`threshold for ${m} must be a non-negative fraction (0.1 = 10 %), got ${thresholds[m]}`)
    if (!(floors[m] >= 0)) problems.push(`absolute floor for ${m} must be non-negative, got ${floors[m]}`)
  }
  if (!(resolved.confidence > 0.5 && resolved.confidence < 1)) problems.push(`confidence must be between 0.5 and 1, got ${resolved.confidence}`)
  if (!(resolved.prior.sigma >= 0 && resolved.prior.weight >= 0)) problems.push('noisePrior sigma and weight must be non-negative')
  if (!(resolved.candidateBarRatio >= 0 && resolved.candidateBarRatio <= 1))
    problems.push(`candidateBarRatio must be between 0 and 1, got ${resolved.candidateBarRatio}`)
  for (const m of resolved.gating)
    if (!REGRESSION_METRICS.includes(m)) problems.push(`gating metric ${String(m)} is not one of ${REGRESSION_METRICS.join(', ')}`)
  if (problems.length > 0) throw new RangeError(`invalid regression options: ${problems.join('; ')}`)
  return resolved
}

/** Latency regresses upward, throughput downward, the error rate upward (in percentage points). */
function worseDirection(metric: RegressionMetric): 1 | -1 {
  return metric === 'rps' ? -1 : 1
}

interface Sample {
  sli: CurrentSli
  value: number
}

/** A run's value of a metric the comparison can use, or null. */
function usableValue(s: CurrentSli, metric: RegressionMetric): number | null {
  const v = s[metric]
  if (s.requests <= 0 || v === null || !Number.isFinite(v)) return null
  // Latency and throughput are compared as ratios: a zero is no measurement.
  return metric === 'error_rate_pct' || v > 0 ? v : null
}

/** Each endpoint's usable values over the history, newest first: the series change points are looked for in. */
function historySeries(runs: readonly ResultsFile[], endpoints: readonly string[], metrics: readonly RegressionMetric[]): HistorySeries[] {
  const byRun = runs.map((run) => ({
    ref: { id: run.run.id, sha: run.run.sha, finishedAt: run.run.finished_at },
    slis: new Map([...run.slis].reverse().map((s) => [s.endpoint, s])),
  }))
  const series: HistorySeries[] = []
  for (const endpoint of endpoints)
    for (const metric of metrics) {
      const points: Array<HistorySeries['points'][number]> = []
      for (const run of byRun) {
        const s = run.slis.get(endpoint)
        const value = s === undefined ? null : usableValue(s, metric)
        if (value !== null) points.push({ run: run.ref, value })
      }
      series.push({ endpoint, metric, points })
    }
  return series
}

/**
 * `samples`: this endpoint's entry in each current run that has it, first run first. `keep`: the
 * newest history values to compare with, where the history changed (runs since its latest step).
 */
function compareMetric(samples: readonly CurrentSli[], past: readonly CurrentSli[], metric: RegressionMetric, opts: Resolved, keep?: number): MetricComparison {
  const isErrorRate = metric === 'error_rate_pct'
  const usableOf = (list: readonly CurrentSli[]): Sample[] =>
    list.map((s) => ({ sli: s, value: usableValue(s, metric) })).filter((s): s is Sample => s.value !== null)
  const first = samples[0]
  const pastSamples = usableOf(past).slice(0, keep)
  const nowSamples = usableOf(samples)
  const values = pastSamples.map((s) => s.value)
  const n = values.length
  const m = nowSamples.length
  const current = m === 0 ? null : isErrorRate ? pooledErrorRate(nowSamples) : geometricMean(nowSamples.map((s) => s.value))
  const baseline = n === 0 ? null : isErrorRate ? median(values) : geometricMean(values)
  const relativeChange = current !== null && baseline !== null && baseline !== 0 ? current / baseline - 1 : null
  const absoluteChange = current !== null && baseline !== null ? current - baseline : null
  const shared: Shared = {
    endpoint: first.endpoint,
    metric,
    current,
    currentValues: nowSamples.map((s) => s.value),
    currentRuns: m,
    baseline,
    relativeChange,
    absoluteChange,
    historyRuns: n,
    noise: null,
    gating: opts.gating.has(metric),
    barRatio: null,
    severity: 0,
  }

  if (current === null) {
    const why =
      first.requests <= 0 ? 'no requests were measured in this run' : first[metric] === null ? 'k6 did not report it in this run' : 'not measured in this run'
    return { ...shared, state: 'no-data', reason: `${label(metric)}: ${why}` }
  }
  const requestsNow = nowSamples.reduce((sum, s) => sum + s.sli.requests, 0)
  if (isErrorRate && requestsNow < opts.minRequests) {
    return {
      ...shared,
      state: 'no-data',
      reason: `${label(metric)} ${fmt(metric, current)}: only ${requestsNow} requests, fewer than the ${opts.minRequests} needed to judge an error rate`,
    }
  }
  const head = currentText(metric, current, nowSamples)
  if (baseline === null) {
    const why = past.length === 0 ? 'no base-branch run measured this endpoint' : `the base-branch runs did not measure ${label(metric)} for this endpoint`
    return { ...shared, state: 'no-baseline', reason: `${head}: ${why}` }
  }
  const change = changeText(metric, relativeChange, absoluteChange)
  if (n < opts.minHistory) {
    return {
      ...shared,
      state: 'insufficient-history',
      reason: `${head} vs ${fmt(metric, baseline)} over ${plural(n, 'run')} (${change}): ${opts.minHistory} base-branch runs are needed to judge run-to-run noise, so this is not called a regression`,
    }
  }
  const judged = isErrorRate ? judgeErrorRate(shared, nowSamples, pastSamples, opts) : judgeRatio(shared, values, opts)
  return { ...judged, reason: `${head} vs ${fmt(metric, baseline)} baseline (${change}, ${judged.reason})` }
}

type Shared = Omit<MetricComparison, 'state' | 'reason'>

/**
 * Latency and throughput, in log space, where CI noise is multiplicative and a rise and a fall are
 * symmetric. With n history runs (logs hᵢ) and m current runs (logs cⱼ):
 *   statistic  d = mean(c) − mean(h)                      (current and baseline as geometric means)
 *   noise      σ² = (w·σ0² + (n−1)·s²) / (w + n − 1)     (the history's spread s shrunk toward the prior σ0, worth w runs)
 *   band       t(confidence; w + n − 1) · σ · √(1/m + 1/n)
 * The band is a one-sided prediction bound for the mean of m new runs: var(d) = σ²·(1/m + 1/n).
 * The bar is the larger of the band and the relative threshold; the absolute floor applies on top.
 */
function judgeRatio(shared: Shared, values: readonly number[], opts: Resolved): Omit<MetricComparison, 'reason'> & { reason: string } {
  const { metric, current, baseline, currentRuns: m } = shared as Shared & { current: number; baseline: number }
  const n = values.length
  const logs = values.map(Math.log)
  const spread = n >= 2 ? stdDev(logs) : null
  const nu = n - 1
  const w = opts.prior.weight
  const df = w + nu
  const sigma = df > 0 ? Math.sqrt((w * opts.prior.sigma ** 2 + nu * (spread ?? 0) ** 2) / df) : opts.prior.sigma
  const bandLog = df > 0 ? tQuantile(opts.confidence, df) * sigma * Math.sqrt(1 / m + 1 / n) : Infinity
  const dir = worseDirection(metric)
  const thresholdLog = dir === 1 ? Math.log(1 + opts.thresholds[metric]) : -Math.log(Math.max(1e-9, 1 - opts.thresholds[metric]))
  const barLog = Math.max(bandLog, thresholdLog)
  const worseLog = dir * Math.log(current / baseline)
  const worseAbs = dir * (current - baseline)
  const floor = opts.floors[metric]
  const tolerance = dir === 1 ? Math.expm1(bandLog) : -Math.expm1(-bandLog)
  const noise: NoiseEstimate = { runs: n, historySpread: spread, sigma, tolerance }
  const barRatio = barLog > 0 ? worseLog / barLog : 0

  const regressed = worseLog > barLog && worseAbs > floor
  const improved = -worseLog > barLog && -worseAbs > floor
  const state: ComparisonState = regressed ? 'regressed' : improved ? 'improved' : 'unchanged'
  const noiseText = `±${fmtRelative(tolerance)} run-to-run noise of ${plural(n, 'run')}${m > 1 ? `, for a mean of ${m} runs` : ''}`
  const thresholdText = `${fmtRelative(opts.thresholds[metric])} threshold`
  let why: string
  if (regressed || improved) why = bandLog >= thresholdLog ? `beyond the ${noiseText}` : `beyond the ${thresholdText} and the ${noiseText}`
  else if (Math.abs(worseLog) <= bandLog) why = `within the ${noiseText}`
  else if (Math.abs(worseLog) <= thresholdLog) why = `under the ${thresholdText}; noise ±${fmtRelative(tolerance)} over ${plural(n, 'run')}`
  else why = `but only ${fmtAbs(metric, Math.abs(current - baseline))}, under the ${fmtAbs(metric, floor)} floor`
  return { ...shared, state, noise, barRatio, severity: state === 'unchanged' ? 0 : barRatio, reason: why }
}

/**
 * Error rate, in percentage points: a relative change of a near-zero rate is meaningless
 * (0.01 % → 0.2 % is "+1900 %"). The current rate is the current runs' failures ÷ their requests.
 * A regression must clear the absolute floor (0.5 pp), the relative threshold of the baseline rate
 * (the history's median), and the history's spread (t(confidence; n−1) · s · √(1/m + π/2n), no
 * prior: the floor plays that part; π/2n is the median's variance relative to a run's), and the
 * failure count must be unlikely under the baseline's failure rate (one-sided exact conditional
 * binomial test at 1 − confidence, so 2 failures of 150 requests are not a regression).
 */
function judgeErrorRate(
  shared: Shared,
  now: readonly Sample[],
  samples: readonly Sample[],
  opts: Resolved,
): Omit<MetricComparison, 'reason'> & { reason: string } {
  const metric = shared.metric
  const { current, baseline, currentRuns: m } = shared as Shared & { current: number; baseline: number }
  const n = samples.length
  const spread = n >= 2 ? stdDev(samples.map((s) => s.value)) : null
  const band = spread !== null ? tQuantile(opts.confidence, n - 1) * spread * Math.sqrt(1 / m + Math.PI / (2 * n)) : 0
  const floor = opts.floors[metric]
  const bar = Math.max(floor, opts.thresholds[metric] * baseline, band)
  const delta = current - baseline

  const failedNow = now.reduce((sum, s) => sum + failures(s), 0)
  const requestsNow = now.reduce((sum, s) => sum + s.sli.requests, 0)
  const failedBefore = samples.reduce((sum, s) => sum + failures(s), 0)
  const requestsBefore = samples.reduce((sum, s) => sum + s.sli.requests, 0)
  const share = requestsNow / (requestsNow + requestsBefore)
  const totalFailed = failedNow + failedBefore
  const alpha = 1 - opts.confidence
  const beyond = Math.abs(delta) > bar
  // The exact tests only where the change is past the bar: they cost more than the rest together.
  const regressed = delta > bar && binomialUpperTail(failedNow, totalFailed, share) < alpha
  const improved = -delta > bar && 1 - binomialUpperTail(failedNow + 1, totalFailed, share) < alpha
  const state: ComparisonState = regressed ? 'regressed' : improved ? 'improved' : 'unchanged'
  const noise: NoiseEstimate = { runs: n, historySpread: spread, sigma: spread ?? 0, tolerance: band }
  const barRatio = bar > 0 ? delta / bar : delta > 0 ? Infinity : delta < 0 ? -Infinity : 0
  const failed = `${failedNow} of ${requestsNow} requests failed`
  const bars = `the ${fmtPp(floor)} floor${band > floor ? ` and the ±${fmtPp(band)} run-to-run noise of ${plural(n, 'run')}` : ''}`
  let why: string
  if (regressed || improved) why = `beyond ${bars}; ${failed}`
  else if (!beyond) why = `within ${bars}`
  else why = `${failed}, too few to rule out chance against the baseline's ${failedBefore} of ${requestsBefore}`
  return { ...shared, state, noise, barRatio, severity: state === 'unchanged' ? 0 : barRatio, reason: why }
}

function failures(s: Sample): number {
  return Math.round((s.value / 100) * s.sli.requests)
}

/** Failed ÷ requests over the runs, in percent: each run weighs by its requests. */
function pooledErrorRate(samples: readonly Sample[]): number {
  if (samples.length === 1) return samples[0].value
  const requests = samples.reduce((sum, s) => sum + s.sli.requests, 0)
  return (100 * samples.reduce((sum, s) => sum + failures(s), 0)) / requests
}

function headline(h: {
  status: HistoryStatus
  runs: number
  unreadable: readonly UnreadableHistoryEntry[]
  excluded: ReadonlyArray<{ runId: string }>
  regressions: readonly MetricComparison[]
  gatingRegressions: readonly MetricComparison[]
  counts: Record<ComparisonState, number>
  remeasured: readonly string[]
  minHistory: number
}): string {
  const { status, runs, unreadable, excluded, regressions, gatingRegressions, counts, remeasured, minHistory } = h
  const unreadableNote = unreadable.length > 0 ? `; ${plural(unreadable.length, 'base-branch result')} could not be read (${unreadable[0].reason})` : ''
  if (status === 'none') return 'no base-branch results to compare with: every endpoint is new to the baseline'
  if (status === 'unreadable') return `no usable baseline: ${plural(unreadable.length, 'base-branch result')} could not be read (${unreadable[0].reason})`
  if (status === 'too-few')
    return `only ${plural(runs, 'usable base-branch run')}${excluded.length > 0 ? ` (${excluded.length} excluded)` : ''}, ${minHistory} needed to judge run-to-run noise: changes are shown, not judged${unreadableNote}`
  const worstText = (c: MetricComparison) =>
    `${c.endpoint} ${label(c.metric)} ${changeText(c.metric, c.relativeChange, c.absoluteChange)}${c.currentRuns > 1 ? ` (confirmed over ${c.currentRuns} runs)` : ''}`
  const remeasuredNote = remeasured.length > 0 ? `; ${plural(remeasured.length, 'endpoint')} re-measured` : ''
  const others = regressions.length - gatingRegressions.length
  if (gatingRegressions.length > 0) {
    const otherNote = others > 0 ? `; ${others} more on non-gating metrics` : ''
    return `${plural(gatingRegressions.length, 'regression')} beyond run-to-run noise; worst: ${worstText(gatingRegressions[0])}${otherNote}${remeasuredNote}${unreadableNote}`
  }
  if (others > 0)
    return `no regression on a gating metric; ${plural(others, 'regression')} on non-gating metrics, reported only; worst: ${worstText(regressions[0])}${remeasuredNote}${unreadableNote}`
  const judged = counts.unchanged + counts.improved
  const remeasuredClause = remeasured.length > 0 ? `; ${plural(remeasured.length, 'endpoint')} re-measured, none confirmed` : ''
  return `no regression beyond run-to-run noise across ${plural(judged, 'judged metric')}, ${plural(runs, 'base-branch run')}${counts.improved > 0 ? ` (${counts.improved} improved)` : ''}${remeasuredClause}${unreadableNote}`
}
