/**
 * The `drift` section of the results file (declared in src/results/schema.ts): what the drift
 * judgement found (src/verdict/drift.ts), in the file's snake_case.
 */
import type { DriftSection } from '../results/schema.js'
import { DRIFT_P, type DriftReport } from './drift.js'

export function driftSection(report: DriftReport): DriftSection {
  return {
    status: report.status,
    reason: report.reason,
    window_ms: report.windowMs,
    windows: report.windows,
    from_ms: report.fromMs,
    to_ms: report.toMs,
    method: 'mann-kendall-hamed-rao',
    p_below: DRIFT_P,
    max_drift_pct: report.maxDriftPct,
    tested: report.tested,
    findings: report.findings.map((f) => ({
      endpoint: f.endpoint,
      metric: f.metric,
      sentence: f.sentence,
      p: f.p,
      slope_per_hour: f.slopePerHour,
      first_quarter: f.firstQuarter,
      last_quarter: f.lastQuarter,
      change: Number.isFinite(f.change) ? f.change : null,
      breach: f.breach,
    })),
    series: report.series.map((s) => ({ endpoint: s.endpoint, p95_ms: s.p95Ms, error_rate_pct: s.errorRatePct, rps: s.rps })),
  }
}
