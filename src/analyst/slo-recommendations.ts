/**
 * SLOs recommended from the base branch's history of the same load shape: per endpoint, p95 and p99
 * at the history's upper prediction bound times a margin, and an error-rate limit, each rounded up
 * to a number a person would write and backtested on the history; and the SLOs in force that flap
 * or catch nothing. Pure: history and limits in, the results file's section out. The method and its
 * reasons: docs/slo-recommendations.md.
 */
import { fmtLimit, fmtLimitMs, fmtMs, fmtRelative } from '../format/numbers.js'
import { isUnreadable, type HistoryEntry } from '../baseline/regression.js'
import type { BaselineHistory } from '../baseline/history.js'
import { plural } from '../baseline/regression-text.js'
import { median } from '../stats/descriptive.js'
import { roundUpToNice } from '../stats/nice-numbers.js'
import { logNormalUpperPredictionBound, upperPredictionBound } from '../stats/prediction-bound.js'
import { judgeLimit, SLI_FOR_LIMIT } from '../verdict.js'
import type { SloLimits } from '../slo-config.js'
import type { ResolvedSlo } from '../plan/planned-endpoint.js'
import type { RecommendedLimit, ResultsFile, SloRecommendations } from '../results/schema.js'
import { SLO_RECOMMENDATION_CONFIG_DEFAULTS } from './slo-recommendations-config.js'

export const SLO_RECOMMENDATION_DEFAULTS = {
  /** Runs needed before anything is proposed: fewer cannot tell a run's noise from its level. */
  minRuns: 5,
  /** One-sided: the next unchanged run stays under the bound 19 times in 20. */
  confidence: 0.95,
  margin: SLO_RECOMMENDATION_CONFIG_DEFAULTS.margin,
  /** A gate failing in more than this share of the base branch's runs flaps. */
  flappingShare: 0.2,
  /** A latency limit this many times the history's median is not breached even by a doubling. */
  catchFactor: 2,
  /** Latency is measured in whole milliseconds at best: no limit below 1 ms. */
  latencyFloorMs: 1,
  /** The error-rate limit is at least 0.5 %, and at least this many failed requests of a run of the history's median size. */
  errorRateFloorPct: 0.5,
  errorRateFloorFailures: 3,
} as const

/** One SLO limit as it applies to an endpoint, and where it came from (line null: a default, no config line sets it). */
export interface InForceLimit {
  endpoint: string
  limit: keyof SloLimits
  threshold: number
  selector: string | null
  line: number | null
}

export interface RecommendInput {
  history: BaselineHistory
  /** The load shape recommendations are for (src/config/load-shape.ts); runs of another shape are left out. Null: every run. */
  loadShape: string | null
  /** The SLO limits in force, judged against the history for flapping and for catching nothing. */
  inForce: readonly InForceLimit[]
  /** Endpoints to propose SLOs for. Default: every endpoint the history measured. */
  endpoints?: readonly string[]
  /** Factor over the prediction bound. Default 1.2. */
  margin?: number
}

type Sli = ResultsFile['slis'][number]
/** Each usable run's SLIs by endpoint (the first entry of an endpoint counts, as in the regression comparison). */
type RunSlis = ReadonlyArray<ReadonlyMap<string, Sli>>

const LATENCY_LIMITS: ReadonlySet<string> = new Set(['p50', 'p90', 'p95', 'p99', 'max'])

/** The limits of a run's SLO checks, as recorded in its results file. */
export function slosInForce(checks: ResultsFile['slo_checks']): InForceLimit[] {
  return checks.map((c) => ({ endpoint: c.endpoint, limit: c.limit as keyof SloLimits, threshold: c.threshold, selector: c.selector, line: c.line }))
}

/** The limits of resolved SLOs (the plan's, or those of your own scripts' endpoints), endpoint by endpoint. */
export function slosInForceFromResolved(resolved: ReadonlyMap<string, ResolvedSlo>): InForceLimit[] {
  return [...resolved].flatMap(([endpoint, slo]) =>
    (Object.entries(slo.limits) as Array<[keyof SloLimits, number | undefined]>)
      .filter((entry): entry is [keyof SloLimits, number] => entry[1] !== undefined)
      .map(([limit, threshold]) => ({ endpoint, limit, threshold, selector: slo.sources[limit]?.selector ?? null, line: slo.sources[limit]?.line ?? null })),
  )
}

/** The endpoints the history's readable runs measured, with their methods, newest run first. */
export function measuredEndpoints(history: BaselineHistory): Array<{ endpoint: string; method: string }> {
  const seen = new Map<string, string>()
  for (const entry of history.entries) if (!isUnreadable(entry)) for (const s of entry.slis) if (!seen.has(s.endpoint)) seen.set(s.endpoint, s.method)
  return [...seen].map(([endpoint, method]) => ({ endpoint, method }))
}

/** True when no limit in force comes from a config file's line: the SLOs are the built-in or category defaults. */
export function onlyDefaults(inForce: readonly InForceLimit[]): boolean {
  return inForce.every((l) => l.line === null)
}

export function recommendSlos(input: RecommendInput): SloRecommendations {
  const margin = input.margin ?? SLO_RECOMMENDATION_DEFAULTS.margin
  const { minRuns, confidence } = SLO_RECOMMENDATION_DEFAULTS
  const { runs, leftOut } = usableRuns(input.history.entries, input.loadShape)
  const base = {
    runs_needed: minRuns,
    runs_used: runs.length,
    source: input.history.source,
    branch: input.history.branch,
    confidence,
    margin,
    only_defaults: onlyDefaults(input.inForce),
    left_out: leftOut,
  }
  if (runs.length < minRuns) {
    return { ...base, status: 'too-few-runs', endpoints: [], gates_in_force: [], headline: tooFewHeadline(runs.length, leftOut, input.history) }
  }
  const measured = new Set(runs.flatMap((r) => r.slis.map((s) => s.endpoint)))
  const wanted = input.endpoints ? input.endpoints.filter((e) => measured.has(e)) : [...measured].sort()
  const indexed: RunSlis = runs.map((run) => new Map([...run.slis].reverse().map((s) => [s.endpoint, s])))
  const endpoints = wanted.map((endpoint) => recommendForEndpoint(endpoint, indexed, margin))
  const gates = input.inForce.flatMap((limit) => judgeInForce(limit, indexed))
  return { ...base, status: 'ok', endpoints, gates_in_force: gates, headline: okHeadline(runs.length, endpoints, gates, input.history) }
}

/**
 * The gate's section: proposals whenever the SLOs in force are only defaults and a history was
 * looked up; the results unchanged otherwise.
 */
export function withSloRecommendations(results: ResultsFile, history: BaselineHistory, opts: { margin?: number } = {}): ResultsFile {
  const inForce = slosInForce(results.slo_checks)
  if (!onlyDefaults(inForce)) return results
  const recommendations = recommendSlos({
    history,
    loadShape: results.run.load_shape,
    inForce,
    endpoints: results.slis.map((s) => s.endpoint),
    margin: opts.margin,
  })
  return { ...results, slo_recommendations: recommendations }
}

function usableRuns(entries: readonly HistoryEntry[], shape: string | null): { runs: ResultsFile[]; leftOut: SloRecommendations['left_out'] } {
  const runs: ResultsFile[] = []
  const leftOut: SloRecommendations['left_out'] = []
  for (const entry of entries) {
    if (isUnreadable(entry)) leftOut.push({ run_id: entry.runId, kind: 'unreadable', reason: entry.reason })
    else if (entry.verdict === 'error') leftOut.push({ run_id: entry.run.id, kind: 'did-not-run', reason: 'the test did not run properly (verdict error)' })
    else if (shape !== null && entry.run.load_shape !== null && entry.run.load_shape !== shape)
      leftOut.push({
        run_id: entry.run.id,
        kind: 'other-shape',
        reason: `another load shape (${entry.run.load_shape}, not ${shape}): profile, VUs, duration, endpoints or target differ`,
      })
    else runs.push(entry)
  }
  return { runs, leftOut }
}

/** Each run's value of one endpoint's figure, where it measured it (a null percentile had too few samples). */
function valuesOf(endpoint: string, field: keyof Sli, runs: RunSlis): number[] {
  const values: number[] = []
  for (const run of runs) {
    const sli = run.get(endpoint)
    const value = sli && sli.requests > 0 ? sli[field] : null
    if (typeof value === 'number' && Number.isFinite(value)) values.push(value)
  }
  return values
}

/**
 * p95 and p99: the one-sided 95 % prediction bound of the log latencies, exp(m + t(0.95; n − 1) ·
 * s · √(1 + 1/n)), × the margin, rounded up. Parametric on logs, not an order statistic: the
 * largest of n runs bounds the next one only with probability n/(n + 1) (83 % at 5 runs; 95 % needs
 * 19), and run-to-run noise is multiplicative, as the regression comparison models it. The error
 * rate: the same bound on the raw percentages (a 0 % run has no log), floored where a handful of
 * failed requests would breach it.
 */
function recommendForEndpoint(endpoint: string, runs: RunSlis, margin: number): SloRecommendations['endpoints'][number] {
  const { minRuns } = SLO_RECOMMENDATION_DEFAULTS
  const limits: SloRecommendations['endpoints'][number]['limits'] = []
  const notes: string[] = []
  let p95Value = 0
  for (const limit of ['p95', 'p99'] as const) {
    // A zero latency is no measurement (as in the regression comparison).
    const values = valuesOf(endpoint, SLI_FOR_LIMIT[limit], runs).filter((v) => v > 0)
    if (values.length < minRuns) {
      notes.push(`${limit}: measured in ${values.length} of ${plural(runs.length, 'run')}, ${minRuns} needed (a run with too few samples for it leaves it out)`)
      continue
    }
    const bound = logNormalUpperPredictionBound(values, SLO_RECOMMENDATION_DEFAULTS.confidence)
    // p99 never below p95: a tail limit tighter than the body's would be the one that fails.
    const value = Math.max(roundUpToNice(Math.max(SLO_RECOMMENDATION_DEFAULTS.latencyFloorMs, bound * margin)), limit === 'p99' ? p95Value : 0)
    if (limit === 'p95') p95Value = value
    limits.push(backtest(limit, value, bound, values))
  }
  const errors = valuesOf(endpoint, 'error_rate_pct', runs)
  if (errors.length < minRuns) notes.push(`error-rate: measured in ${errors.length} of ${plural(runs.length, 'run')}; ${minRuns} needed`)
  else {
    const bound = Math.max(0, upperPredictionBound(errors, SLO_RECOMMENDATION_DEFAULTS.confidence))
    const requests = median(runs.flatMap((run) => run.get(endpoint)?.requests ?? []).filter((n) => n > 0))
    // A limit a handful of failed requests would breach is a coin toss, whatever the history's spread.
    const floor = Math.max(SLO_RECOMMENDATION_DEFAULTS.errorRateFloorPct, (100 * SLO_RECOMMENDATION_DEFAULTS.errorRateFloorFailures) / requests)
    const value = Math.min(100, roundUpToNice(Math.max(floor, bound * margin)))
    limits.push(backtest('error-rate', value, bound, errors))
  }
  return { endpoint, limits, notes }
}

function backtest(limit: RecommendedLimit, value: number, bound: number, values: readonly number[]): SloRecommendations['endpoints'][number]['limits'][number] {
  const centre = median(values)
  return {
    limit,
    value,
    bound,
    median: centre,
    runs: values.length,
    failed_runs: values.filter((v) => judgeLimit(limit, value, v) === 'fail').length,
    smallest_caught: limit === 'error-rate' ? value - centre : centre > 0 ? value / centre : Infinity,
  }
}

/** A limit in force against the history: flapping when it failed in more than 20 % of the runs; catches nothing when a doubling stays under it. */
function judgeInForce(limit: InForceLimit, runs: RunSlis): SloRecommendations['gates_in_force'] {
  const values = valuesOf(limit.endpoint, SLI_FOR_LIMIT[limit.limit], runs)
  if (values.length < SLO_RECOMMENDATION_DEFAULTS.minRuns) return []
  const failed = values.filter((v) => judgeLimit(limit.limit, limit.threshold, v) === 'fail').length
  const centre = median(values)
  const shared = { ...limit, runs: values.length, failed_runs: failed, median: centre }
  const threshold = LATENCY_LIMITS.has(limit.limit)
    ? fmtLimitMs(limit.threshold)
    : limit.limit === 'error-rate'
      ? `${fmtLimit(limit.threshold)}%`
      : `${fmtLimit(limit.threshold)} req/s`
  const found: SloRecommendations['gates_in_force'] = []
  if (failed / values.length > SLO_RECOMMENDATION_DEFAULTS.flappingShare) {
    found.push({
      ...shared,
      kind: 'flapping',
      reason: `${limit.limit} ${threshold} failed in ${failed} of ${plural(values.length, 'base-branch run')} (${fmtRelative(failed / values.length)}): ${failed * 2 > values.length ? 'it fails unchanged code more often than not' : 'it flaps on unchanged code'}`,
    })
  }
  const doubled = SLO_RECOMMENDATION_DEFAULTS.catchFactor * centre
  if (LATENCY_LIMITS.has(limit.limit) && centre > 0 && judgeLimit(limit.limit, limit.threshold, doubled) !== 'fail') {
    found.push({
      ...shared,
      kind: 'catches-nothing',
      reason: `${limit.limit} ${threshold} is ${trimRatio(limit.threshold / centre)}× the history's median ${fmtMs(centre)}: even a doubling (${fmtMs(doubled)}) would pass`,
    })
  }
  return found
}

function trimRatio(ratio: number): string {
  return ratio >= 10 ? String(Math.round(ratio)) : String(Number(ratio.toFixed(1)))
}

function whereFrom(history: BaselineHistory): string {
  return history.branch ? `${history.branch} (${history.source})` : history.source
}

/** Runs of another shape and runs that did not run are counted; unreadable entries are named, each with why. */
function tooFewHeadline(used: number, leftOut: SloRecommendations['left_out'], history: BaselineHistory): string {
  const otherShape = leftOut.filter((l) => l.kind === 'other-shape').length
  const didNotRun = leftOut.filter((l) => l.kind === 'did-not-run').length
  const unreadable = leftOut.filter((l) => l.kind === 'unreadable').map((l) => (l.reason.startsWith(l.run_id) ? l.reason : `run ${l.run_id}: ${l.reason}`))
  const counted = [
    otherShape > 0 ? `${plural(otherShape, 'run')} of another load shape` : '',
    didNotRun > 0 ? `${plural(didNotRun, 'run')} that did not run properly` : '',
  ]
    .filter(Boolean)
    .join(' and ')
  const left = [counted ? `${counted} left out` : '', unreadable.length > 0 ? `unreadable, left out: ${unreadable.join('; ')}` : ''].filter(Boolean).join('; ')
  return `SLO recommendations need at least ${SLO_RECOMMENDATION_DEFAULTS.minRuns} base-branch runs of the same load shape; ${whereFrom(history)} has ${used}${left ? ` (${left})` : ''}`
}

function okHeadline(used: number, endpoints: SloRecommendations['endpoints'], gates: SloRecommendations['gates_in_force'], history: BaselineHistory): string {
  const flapping = gates.filter((g) => g.kind === 'flapping').length
  const loose = gates.filter((g) => g.kind === 'catches-nothing').length
  const flags = [
    flapping > 0 ? `${plural(flapping, 'limit')} in force ${flapping === 1 ? 'flaps' : 'flap'}` : '',
    loose > 0 ? `${plural(loose, 'limit')} in force ${loose === 1 ? 'catches' : 'catch'} nothing` : '',
  ]
    .filter(Boolean)
    .join(', ')
  return `SLOs proposed for ${plural(endpoints.length, 'endpoint')} from ${plural(used, 'run')} of ${whereFrom(history)}${flags ? `; ${flags}` : ''}`
}
