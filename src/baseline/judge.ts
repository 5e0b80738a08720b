/**
 * Judge stage: this run's SLO verdict plus the comparison with the base branch → the final
 * verdict and gate, as fail-on says. Pure: results and reports in, results out.
 *
 * A regression on a gating metric fails the gate with fail-on regression or both; otherwise it
 * only lowers a pass to warn. Non-gating metrics (p99, rps by default) are shown, never gate:
 * the more metrics gate, the more often an unchanged pull request meets one unlucky run.
 */
import type { FailOn } from '../config/schema.js'
import type { ResultsFile } from '../results/schema.js'
import type { ChangePointReport } from './change-points.js'
import type { ErrorBudgetReport } from './error-budget.js'
import { toResultsRegressions, type RegressionReport } from './regression.js'

export interface BaselineOutcome {
  report: RegressionReport
  source: string
  branch: string | null
  notes: string[]
  /** Endpoints re-measured before being called regressed. */
  confirmedWithRerun: string[]
}

const RANK = { pass: 0, warn: 1, fail: 2, error: 3 } as const

export function judge(results: ResultsFile, opts: { baseline?: BaselineOutcome; budget?: ErrorBudgetReport; failOn: FailOn }): ResultsFile {
  const { baseline, budget, failOn } = opts
  const comparisons = baseline?.report.comparisons ?? []
  const gatingRegressions = baseline ? toResultsRegressions(baseline.report) : []

  let verdict = results.verdict
  if (gatingRegressions.length > 0) {
    const floor = failOn === 'regression' || failOn === 'both' ? 'fail' : 'warn'
    if (RANK[floor] > RANK[verdict]) verdict = floor
  }
  const reasons = [
    ...results.reasons.filter((r) => !(verdict !== 'pass' && /^all \d+ SLO limits held$/.test(r))),
    ...gatingRegressions.map((c) => `${c.endpoint}: regressed, ${c.reason}`),
  ]
  const sloFails = results.verdict === 'fail' && (failOn === 'slo' || failOn === 'both')
  const regressionFails = gatingRegressions.length > 0 && (failOn === 'regression' || failOn === 'both')
  const errorFails = results.verdict === 'error' && failOn !== 'never'

  return {
    ...results,
    verdict,
    reasons,
    regressions: gatingRegressions,
    baseline: baseline
      ? {
          status: baseline.report.summary.historyStatus,
          source: baseline.source,
          branch: baseline.branch,
          history_runs: baseline.report.summary.historyRuns,
          unreadable: baseline.report.summary.unreadable.map((u) => ({ run_id: u.runId, reason: u.reason })),
          notes: baseline.notes,
          headline: baseline.report.summary.headline,
          confirmed_with_rerun: baseline.confirmedWithRerun,
          comparisons: comparisons.map((c) => ({
            endpoint: c.endpoint,
            metric: c.metric,
            state: c.state,
            current: c.current,
            baseline: c.baseline,
            relative_change: c.relativeChange,
            gating: c.gating,
            reason: c.reason,
          })),
        }
      : null,
    error_budget: budget
      ? {
          window: budget.window.label,
          target_pct: budget.target,
          runs_counted: budget.runsCounted,
          requests: budget.requests,
          allowed_failures: budget.allowedFailures,
          failures: budget.failures,
          consumed_pct: Number.isFinite(budget.consumedPct) ? budget.consumedPct : 1e9,
          status: budget.status,
          reason: budget.reason,
        }
      : null,
    ...(baseline?.report.changePoints ? { change_points: toResultsChangePoints(baseline.report.changePoints) } : {}),
    ci_gate: sloFails || regressionFails || errorFails ? 'fail' : 'pass',
  }
}

function toResultsChangePoints(report: ChangePointReport): NonNullable<ResultsFile['change_points']> {
  return {
    status: report.status,
    runs: report.runs,
    min_runs: report.minRuns,
    method: report.method,
    shifts: report.shifts.map((s) => ({
      endpoint: s.endpoint,
      metric: s.metric,
      run_id: s.run.id,
      sha: s.run.sha,
      finished_at: s.run.finishedAt,
      runs_since: s.runsSince,
      before: s.before,
      after: s.after,
      relative_change: s.relativeChange,
      p_value: s.pValue,
    })),
  }
}
