/**
 * What a finished breakpoint run found: the arrival rate at which an SLO was crossed and k6
 * stopped the test (exit 99), or that every SLO held to the top of the ramp.
 */
import type { K6Summary } from '../k6/summary.js'
import { k6DurationText, peakTarget, peakVus, targetAt, totalDurationMs, type Executor } from '../plan/profiles.js'

export interface BreakpointReport {
  /** reached: an SLO was crossed and k6 stopped (exit 99); not-reached: every SLO held to the top of the ramp. */
  status: 'reached' | 'not-reached'
  /** How long the test ran before k6 stopped. */
  elapsedMs: number
  /** The arrival rate the ramp had reached when k6 stopped, iterations/s: the breaking point. */
  rate: number
  /** The top of the ramp, iterations/s. */
  maxRate: number
  /** Iterations k6 could not start because all maxVUs were busy. */
  droppedIterations: number
  /** One sentence for the verdict's reasons and the report. */
  reason: string
}

/**
 * What a breakpoint run found. k6 stops a run whose abortOnFail threshold is crossed with exit code
 * 99 (the same as thresholds failed at the end): the test ran and found its breaking point; it did
 * not crash. undefined when the executor does not stop at SLOs or k6 did not run properly.
 */
export function breakpointReport(executor: Executor, run: { exitCode: number | null; summary?: K6Summary; wallTimeMs: number }): BreakpointReport | undefined {
  if (!executor.abortOnFail || (run.exitCode !== 0 && run.exitCode !== 99)) return undefined
  const planned = totalDurationMs(executor)
  const elapsedMs = Math.min(planned, run.summary ? (testDurationMs(run.summary) ?? run.wallTimeMs) : run.wallTimeMs)
  const maxRate = peakTarget(executor)
  const rate = Math.round(targetAt(executor, elapsedMs))
  const droppedIterations = run.summary?.metrics.dropped_iterations?.count ?? 0
  const unit = executor.type.endsWith('arrival-rate') ? 'iterations/s' : 'VUs'
  const dropped =
    droppedIterations > 0 ? `; k6 dropped ${droppedIterations} iterations because all ${peakVus(executor)} VUs were busy (raise vus to push further)` : ''
  if (run.exitCode === 99) {
    return {
      status: 'reached',
      elapsedMs,
      rate,
      maxRate,
      droppedIterations,
      reason:
        `breaking point reached at about ${rate} ${unit}: an SLO was crossed and k6 stopped the test ` +
        `after ${k6DurationText(elapsedMs)} of ${k6DurationText(planned)} (the ramp went up to ${maxRate} ${unit})${dropped}`,
    }
  }
  return {
    status: 'not-reached',
    elapsedMs,
    rate,
    maxRate,
    droppedIterations,
    reason: `no breaking point: every SLO held up to ${rate} ${unit}, the top of the ramp; raise rate to search further${dropped}`,
  }
}

/** The test's length as k6 measured it: the machine-readable summary says; in the legacy one, count / rate. */
export function testDurationMs(summary: K6Summary): number | undefined {
  if (summary.durationMs !== undefined) return summary.durationMs
  for (const name of ['iterations', 'http_reqs']) {
    const metric = summary.metrics[name]
    if (metric?.count !== undefined && metric.rate !== undefined && metric.rate > 0) return Math.round((metric.count / metric.rate) * 1000)
  }
  return undefined
}
