/**
 * Drift within a long run: per endpoint, its p95, error rate and throughput per window of the time at
 * peak load (warm-up left out) tested for a monotonic trend (Mann–Kendall with the Hamed–Rao
 * correction for autocorrelated windows, src/stats/mann-kendall.ts), sized by Sen's slope and by the
 * change from the first to the last quarter of the windows. Worsening trends are findings; with
 * `soak: { max-drift }` a p95 or error-rate drift past it fails the gate. Pure: windows in, a report out.
 * The method and how to read it: docs/drift.md.
 */
import { fmtMs, fmtRps, fmtWindow, trimNumber } from '../format/numbers.js'
import { totalDurationMs, type Executor } from '../plan/profiles.js'
import { median } from '../stats/descriptive.js'
import type { DriftSettings } from './drift-config.js'
import { mannKendallToward } from '../stats/mann-kendall.js'

/** One endpoint's figures per window, index = window; null where the window saw no such sample. */
export interface EndpointSeries {
  key: string
  requests: number[]
  p95Ms: Array<number | null>
  /** Failed requests in percent of those k6 judged (http_req_failed). */
  errorRatePct: Array<number | null>
}

/** Every endpoint's windows of one run. */
export interface EndpointWindows {
  windowMs: number
  /** Windows from the first sample to the last. */
  windows: number
  endpoints: EndpointSeries[]
  warnings: string[]
}

/** Fewer windows than this after warm-up: no trend test. */
export const MIN_TREND_WINDOWS = 8
/** A trend counts below this p-value: several hundred series are tested in one run, so stricter than 0.05. */
export const DRIFT_P = 0.01
/** Without max-drift, smaller changes from the first to the last quarter are not findings. */
export const FINDING_MIN_CHANGE = { p95: 10, 'error-rate': 1, throughput: 10 } as const
/** Endpoints whose windows the results keep for the chart, at most. */
export const DRIFT_SERIES_MAX = 10

export type DriftMetric = 'p95' | 'error-rate' | 'throughput'

export interface DriftFinding {
  endpoint: string
  metric: DriftMetric
  /** "p95 of GET /search rose 0.8 ms per 10 min, +31% from the first to the last quarter of the run, p < 0.001". */
  sentence: string
  p: number
  /** Sen's slope, per hour (ms, points or req/s). */
  slopePerHour: number
  firstQuarter: number
  lastQuarter: number
  /** Last quarter against the first: percent for p95 and throughput, points for the error rate. */
  change: number
  /** Past max-drift: fails the gate. */
  breach: boolean
}

export interface DriftReport {
  /** none: no drift found; drift: findings; fail: a finding past max-drift; too-few-windows: not tested. */
  status: 'none' | 'drift' | 'fail' | 'too-few-windows'
  reason: string
  windowMs: number
  /** Windows tested, and the span they cover from the test's start. */
  windows: number
  fromMs: number
  toMs: number
  maxDriftPct: number | null
  /** Series tested (endpoints × metrics with data). */
  tested: number
  findings: DriftFinding[]
  /** The windows of the endpoints with findings, for the chart (at most DRIFT_SERIES_MAX). */
  series: Array<{ endpoint: string; p95Ms: Array<number | null>; errorRatePct: Array<number | null>; rps: number[] }>
}

/** Whether a run is judged for drift: a soak run, or one planned for at least min-duration. */
export function judgesDrift(profile: string, executor: Executor, settings: DriftSettings): boolean {
  return profile === 'soak' || totalDurationMs(executor) >= settings.minDurationMs
}

/**
 * The time at peak load, less the warm-up: from when the plan first reaches its peak plus warm-up
 * (default one window) to when it first leaves it.
 */
export function judgedSpan(executor: Executor, windowMs: number, warmUpMs = windowMs): { fromMs: number; toMs: number } {
  const totalMs = totalDurationMs(executor)
  if (executor.type === 'constant-vus' || executor.type === 'constant-arrival-rate') return { fromMs: warmUpMs, toMs: totalMs }
  const start = executor.type === 'ramping-vus' ? executor.startVus : executor.startRate
  const peak = Math.max(start, ...executor.stages.map((s) => s.target))
  let at = 0
  let reached: number | null = start === peak ? 0 : null
  let left = totalMs
  for (const stage of executor.stages) {
    if (reached === null) {
      if (stage.target === peak) reached = at + stage.durationMs
    } else if (stage.target < peak) {
      left = at
      break
    }
    at += stage.durationMs
  }
  return { fromMs: (reached ?? 0) + warmUpMs, toMs: left }
}

export function judgeDrift(data: EndpointWindows, executor: Executor, settings: DriftSettings): DriftReport {
  const { windowMs } = data
  const span = judgedSpan(executor, windowMs, settings.warmUpMs)
  const first = Math.ceil(span.fromMs / windowMs)
  const last = Math.min(data.windows, Math.floor(span.toMs / windowMs)) // exclusive: only whole windows
  const count = Math.max(0, last - first)
  const base = { windowMs, windows: count, fromMs: first * windowMs, toMs: Math.max(first, last) * windowMs, maxDriftPct: settings.maxDriftPct ?? null }
  if (count < MIN_TREND_WINDOWS) {
    return {
      ...base,
      status: 'too-few-windows',
      reason: `drift not tested: ${count} window${count === 1 ? '' : 's'} of ${fmtWindow(windowMs)} at peak load after warm-up, at least ${MIN_TREND_WINDOWS} are needed for a trend test`,
      tested: 0,
      findings: [],
      series: [],
    }
  }

  const spanMs = count * windowMs
  const per = rateUnit(spanMs)
  const findings: DriftFinding[] = []
  const withFindings = new Set<string>()
  let tested = 0
  for (const endpoint of data.endpoints) {
    const requests = endpoint.requests.slice(first, last)
    if (requests.every((r) => r === 0)) continue
    const series: Record<DriftMetric, Array<number | null>> = {
      p95: endpoint.p95Ms.slice(first, last),
      'error-rate': endpoint.errorRatePct.slice(first, last),
      throughput: requests.map((r) => r / (windowMs / 1000)),
    }
    for (const metric of ['p95', 'error-rate', 'throughput'] as const) {
      const values = series[metric]
      if (values.filter((v) => v !== null).length < MIN_TREND_WINDOWS) continue
      tested++
      const worse = metric === 'throughput' ? 'decreasing' : 'increasing'
      const test = mannKendallToward(values, worse, { method: 'hamed-rao', lag: acfLags(values.length) })
      if (test === null || test.p >= DRIFT_P) continue
      const quarter = Math.max(2, Math.floor(count / 4))
      const firstQuarter = medianOf(values.slice(0, quarter))
      const lastQuarter = medianOf(values.slice(-quarter))
      if (firstQuarter === null || lastQuarter === null) continue
      const change = metric === 'error-rate' ? lastQuarter - firstQuarter : firstQuarter === 0 ? Infinity : (lastQuarter / firstQuarter - 1) * 100
      const limit = settings.maxDriftPct
      const breach = limit !== undefined && metric !== 'throughput' && change > limit
      const size = Math.abs(change) >= FINDING_MIN_CHANGE[metric]
      if (!size && !breach) continue
      const slopePerHour = test.slope * (3_600_000 / windowMs)
      findings.push({
        endpoint: endpoint.key,
        metric,
        sentence: sentence(endpoint.key, metric, (slopePerHour * per.ms) / 3_600_000, per.label, change, test.p),
        p: test.p,
        slopePerHour,
        firstQuarter,
        lastQuarter,
        change,
        breach,
      })
      withFindings.add(endpoint.key)
    }
  }
  findings.sort((a, b) => Number(b.breach) - Number(a.breach) || a.p - b.p)
  const breaches = findings.filter((f) => f.breach)
  const status = breaches.length > 0 ? 'fail' : findings.length > 0 ? 'drift' : 'none'
  const over = `${count} windows of ${fmtWindow(windowMs)}`
  const reason =
    status === 'fail'
      ? `drift past max-drift ${trimNumber(settings.maxDriftPct!, 2)}%: ${breaches[0]!.sentence}${breaches.length > 1 ? ` (and ${breaches.length - 1} more)` : ''}`
      : status === 'drift'
        ? `drift: ${findings[0]!.sentence}${findings.length > 1 ? ` (and ${findings.length - 1} more)` : ''}`
        : `no drift in ${tested} series over ${over} (Mann–Kendall, Hamed–Rao, p < ${DRIFT_P})`
  const series = data.endpoints
    .filter((e) => withFindings.has(e.key))
    .slice(0, DRIFT_SERIES_MAX)
    .map((e) => ({
      endpoint: e.key,
      p95Ms: e.p95Ms.slice(first, last),
      errorRatePct: e.errorRatePct.slice(first, last),
      rps: e.requests.slice(first, last).map((r) => Math.round((r / (windowMs / 1000)) * 1000) / 1000),
    }))
  return { ...base, status, reason, tested, findings, series }
}

/**
 * Autocorrelation lags the Hamed–Rao correction weighs: the first quarter of the series, as far as
 * sample autocorrelations are worth estimating (Box & Jenkins 1976); pyMannKendall's default, every
 * lag, costs n² per series and adds lags whose weight (n − i)³ is small and whose estimate is poor.
 */
function acfLags(n: number): number {
  return Math.max(3, Math.ceil(n / 4))
}

/** The unit a slope reads in: per minute for short runs, per 10 min up to three hours, per hour beyond. */
function rateUnit(spanMs: number): { ms: number; label: string } {
  if (spanMs < 600_000) return { ms: 60_000, label: 'per minute' }
  if (spanMs < 3 * 3_600_000) return { ms: 600_000, label: 'per 10 min' }
  return { ms: 3_600_000, label: 'per hour' }
}

function sentence(endpoint: string, metric: DriftMetric, slope: number, per: string, change: number, p: number): string {
  const pText = p < 0.001 ? 'p < 0.001' : `p = ${trimNumber(p, 3)}`
  const signed = (text: string, v: number) => `${v >= 0 ? '+' : '−'}${text}`
  const pct = Number.isFinite(change) ? signed(`${trimNumber(Math.abs(change), Math.abs(change) >= 10 ? 0 : 1)}%`, change) : 'from zero'
  const quarters = 'from the first to the last quarter of the run'
  if (metric === 'p95') return `p95 of ${endpoint} rose ${fmtMs(Math.abs(slope))} ${per}, ${pct} ${quarters}, ${pText}`
  if (metric === 'error-rate')
    return `errors of ${endpoint} rose ${trimNumber(Math.abs(slope), 2)} points ${per}, ${signed(`${trimNumber(Math.abs(change), 2)} points`, change)} ${quarters}, ${pText}`
  return `throughput of ${endpoint} fell ${fmtRps(Math.abs(slope))} req/s ${per}, ${pct} ${quarters}, ${pText}`
}

function medianOf(values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null)
  return present.length === 0 ? null : median(present)
}
