/**
 * How long a run may last and how long a request may hang, so that every request sent is
 * measured and no run goes on for ever. The numbers are documented in docs/liveness.md.
 *
 * A request gets k6's `timeout` from its endpoint's SLO; each scenario's `gracefulStop` (and the
 * ramping executors' `gracefulRampDown`) is longer than its slowest request timeout, so a request
 * in flight when the load ends completes or times out while k6 still records it (k6 drops the
 * samples of requests it interrupts). Pure: numbers in, numbers and messages out.
 */
import { durationMs } from '../duration.js'
import { LATENCY_LIMITS, type SloLimits } from '../slo-config.js'

/** The longest planned test: total of the stages (or duration, or hold and its ramps). */
export const MAX_TEST_DURATION_MS = 6 * 3_600_000
/** The longest pause after a request (think-time, a category's think-time). */
export const MAX_THINK_TIME_MS = 5 * 60_000
/** request-timeout, when set, must lie within these. */
export const REQUEST_TIMEOUT_RANGE_MS = { min: 1000, max: 5 * 60_000 } as const
/** Without request-timeout: this many times the endpoint's highest latency limit … */
export const REQUEST_TIMEOUT_FACTOR = 4
/** … clamped to this range (a request slower than that is a failed request, not a latency). */
export const DERIVED_TIMEOUT_RANGE_MS = { min: 2000, max: 60_000 } as const
/** An endpoint with no latency limit at all. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000
/** gracefulStop = the scenario's longest request timeout + this, for k6 to record the timed-out request. */
export const STOP_MARGIN_MS = 2000

/** The k6 request timeout for an endpoint: request-timeout when set, else from its SLO's latency limits. */
export function requestTimeoutMs(slo: SloLimits | undefined, override?: number): number {
  if (override !== undefined) return override
  const limits = LATENCY_LIMITS.map((name) => slo?.[name]).filter((v): v is number => v !== undefined && v > 0)
  if (limits.length === 0) return DEFAULT_REQUEST_TIMEOUT_MS
  const derived = Math.ceil((REQUEST_TIMEOUT_FACTOR * Math.max(...limits)) / 1000) * 1000
  return Math.min(DERIVED_TIMEOUT_RANGE_MS.max, Math.max(DERIVED_TIMEOUT_RANGE_MS.min, derived))
}

/** How long k6 waits at a scenario's end (and for VUs ramped down) for requests in flight. */
export function gracefulStopMs(requestTimeoutsMs: readonly number[]): number {
  return Math.max(0, ...requestTimeoutsMs) + STOP_MARGIN_MS
}

/** "6h10m", "5m", "1m30s", "500ms": durations as a person writes them in the config. */
export function formatBound(ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000 || ms % 1000 !== 0) return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))}s` : `${ms}ms`
  const units: Array<[string, number]> = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ]
  let left = ms
  let out = ''
  for (const [unit, size] of units) {
    const whole = Math.floor(left / size)
    if (whole > 0) out += `${whole}${unit}`
    left -= whole * size
  }
  return out
}

/** The problem with one duration setting above its maximum, or undefined. */
export function aboveMaximum(setting: string, valueMs: number, maxMs: number, what: string): string | undefined {
  if (valueMs <= maxMs) return undefined
  return `${setting}: ${formatBound(valueMs)} is above the maximum of ${formatBound(maxMs)} ${what}`
}

/**
 * Problems of the planned length as a whole: the total above MAX_TEST_DURATION_MS, a think time
 * not shorter than the test it pauses in (each VU would send one request and sleep to the end).
 */
export function planLengthProblems(totalMs: number, thinkTimes: ReadonlyArray<{ setting: string; ms: number }>): string[] {
  const problems: string[] = []
  if (totalMs > MAX_TEST_DURATION_MS) {
    problems.push(
      `the planned test lasts ${formatBound(totalMs)}, above the maximum of ${formatBound(MAX_TEST_DURATION_MS)}; shorten duration, hold or the stages`,
    )
  }
  for (const { setting, ms } of thinkTimes) {
    if (ms > 0 && ms >= totalMs) {
      problems.push(
        `${setting}: ${formatBound(ms)} is not shorter than the test (${formatBound(totalMs)}): each VU would send one request and sleep to the end; shorten it or lengthen the test`,
      )
    }
  }
  return problems
}

/** A duration config key refused above `maxMs` (at its file:line, like every config problem). */
export function boundedDuration(setting: string, maxMs: number, what: string) {
  return durationMs(setting, { maxMs, message: (ms) => aboveMaximum(setting, ms, maxMs, what)! })
}

/** request-timeout: within REQUEST_TIMEOUT_RANGE_MS. */
export function requestTimeoutProblem(ms: number): string | undefined {
  const { min, max } = REQUEST_TIMEOUT_RANGE_MS
  if (ms >= min && ms <= max) return undefined
  return `request-timeout: expected a duration from ${formatBound(min)} to ${formatBound(max)} (how long a request may take before it counts as failed), got ${JSON.stringify(formatBound(ms))}`
}
