/**
 * Step changes in the base branch's history, per endpoint and metric (E-divisive means,
 * src/stats/e-divisive.ts): where the latest one lies, a pull request is compared only with the
 * runs since, so a main branch that changed two runs ago is not judged by its old self.
 * Pure: each series' values with their runs in, the latest change of each series out.
 * Why and how, with the method's limits: docs/change-points.md.
 */
import { eDivisive, E_DIVISIVE_DEFAULTS } from '../stats/e-divisive.js'
import type { RegressionMetric } from './regression-metrics.js'

/** Fewer runs than this and the history is compared whole, as before change points existed. */
export const CHANGE_POINT_MIN_RUNS = 6

export const CHANGE_POINT_METHOD = `E-divisive means with a permutation test (${E_DIVISIVE_DEFAULTS.permutations} permutations, p ≤ ${E_DIVISIVE_DEFAULTS.alpha}), as Apache Otava`

/** The run a value came from: what the report names and links. */
export interface HistoryRunRef {
  id: string
  sha: string | null
  finishedAt: string
}

/** One endpoint's metric over the base branch's runs, newest first (the order the history comes in). */
export interface HistorySeries {
  endpoint: string
  metric: RegressionMetric
  points: ReadonlyArray<{ run: HistoryRunRef; value: number }>
}

/** The latest step change of one endpoint's metric. */
export interface HistoryShift {
  endpoint: string
  metric: RegressionMetric
  /** The first run after the change: the commit where it began. */
  run: HistoryRunRef
  /** Runs from that one to the newest, both included: the runs a pull request is now compared with. */
  runsSince: number
  /** Mean of the segment before and after the change. */
  before: number
  after: number
  /** after / before − 1; null when before is 0. */
  relativeChange: number | null
  pValue: number
}

export interface ChangePointReport {
  /** too-few: fewer than CHANGE_POINT_MIN_RUNS comparable runs, so nothing was looked for. */
  status: 'ok' | 'too-few'
  /** Comparable base-branch runs looked at. */
  runs: number
  minRuns: number
  method: string
  /** The latest change of each series that has one, in the series' order. */
  shifts: HistoryShift[]
}

/** The latest change point of each series with at least CHANGE_POINT_MIN_RUNS values. */
export function findHistoryShifts(runs: number, series: Iterable<HistorySeries>): ChangePointReport {
  const report: ChangePointReport = {
    status: runs >= CHANGE_POINT_MIN_RUNS ? 'ok' : 'too-few',
    runs,
    minRuns: CHANGE_POINT_MIN_RUNS,
    method: CHANGE_POINT_METHOD,
    shifts: [],
  }
  if (report.status === 'too-few') return report
  for (const s of series) {
    if (s.points.length < CHANGE_POINT_MIN_RUNS) continue
    const oldestFirst = [...s.points].reverse()
    const found = eDivisive(oldestFirst.map((p) => p.value))
    const latest = found[found.length - 1]
    if (latest === undefined) continue
    report.shifts.push({
      endpoint: s.endpoint,
      metric: s.metric,
      run: oldestFirst[latest.index].run,
      runsSince: oldestFirst.length - latest.index,
      before: latest.meanBefore,
      after: latest.meanAfter,
      relativeChange: latest.meanBefore !== 0 ? latest.meanAfter / latest.meanBefore - 1 : null,
      pValue: latest.pValue,
    })
  }
  return report
}

/** The key `runsSinceShift` looks a series up by. */
export function shiftKey(endpoint: string, metric: RegressionMetric): string {
  return `${metric} ${endpoint}`
}

/** endpoint and metric → the newest runs to compare with, for the series that changed. */
export function runsSinceShift(report: ChangePointReport): Map<string, number> {
  return new Map(report.shifts.map((s) => [shiftKey(s.endpoint, s.metric), s.runsSince]))
}
