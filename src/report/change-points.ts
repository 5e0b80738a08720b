/**
 * Step changes in the base branch's history, in words: in the comment, which metrics were compared
 * only with the runs since their latest step; in the job summary, the commit where each change
 * began, linked. Reads only the results file's `change_points` and `baseline` sections.
 */
import type { ResultsFile } from '../results/schema.js'
import { fmtMs, fmtPp, fmtRelative } from '../format/numbers.js'
import { REGRESSION_METRICS, type RegressionMetric } from '../baseline/regression-metrics.js'
import { fmt, label, plural } from '../baseline/regression-text.js'
import { mdCode, mdLink, mdText } from './markdown.js'

/** Lines listed before the rest is only counted: a history of 200 endpoints must not flood a comment. */
export const CHANGE_POINTS_LISTED_MAX = 10

type Shift = NonNullable<ResultsFile['change_points']>['shifts'][number]

export interface ChangePointLinks {
  /** GITHUB_SERVER_URL: commits are linked on this server only. Unset: commits are named, not linked. */
  serverUrl?: string
}

/** For the pull request's comment: the metrics compared only with the runs since a step (nothing when none stepped). */
export function renderChangePointLines(results: ResultsFile): string[] {
  const cp = results.change_points
  if (!cp || cp.status !== 'ok' || cp.shifts.length === 0 || !results.baseline) return []
  return [
    `**The base branch changed:** ${cp.shifts.length === 1 ? 'this metric was' : 'these metrics were'} compared only with the runs since.`,
    '',
    ...listed(cp.shifts, (s) => shiftText(results, s)),
    '',
  ]
}

/** For the comment's run details: why no step was looked for, and what would change that. */
export function changePointNote(results: ResultsFile): string | undefined {
  const cp = results.change_points
  if (!cp || cp.status !== 'too-few' || !results.baseline || results.baseline.status === 'none') return undefined
  return `Change points: ${plural(cp.runs, 'run')} of the base branch, ${cp.min_runs} are needed to look for step changes (\`baseline.history\` of 20 or more finds them reliably); compared with all of them.`
}

/** For the job summary: every step found, the commit where it began linked, or that none was found. */
export function renderChangePointSummary(results: ResultsFile, links: ChangePointLinks = {}): string[] {
  const cp = results.change_points
  if (!cp || !results.baseline || results.baseline.status === 'none') return []
  const head = '### Change points in the base branch'
  if (cp.status === 'too-few')
    return [head, '', `${plural(cp.runs, 'run')}: ${cp.min_runs} are needed to look for step changes, so this run was compared with all of them.`, '']
  const method = `${mdText(cp.method)}, over ${plural(cp.runs, 'run')}`
  if (cp.shifts.length === 0) return [head, '', `No step change in any endpoint's metric (${method}).`, '']
  return [
    head,
    '',
    `Where each change began; this run was compared with the runs since (${method}).`,
    '',
    ...listed(cp.shifts, (s) => shiftText(results, s, links)),
    '',
  ]
}

/** "p95 of GET /search stepped up 35% at main@abc1234 (2026-11-28), 3 runs ago; compared with the 3 runs since". */
export function shiftText(results: ResultsFile, s: Shift, links?: ChangePointLinks): string {
  const up = s.after > s.before
  const metric = knownMetric(s.metric)
  const value = (v: number) => (metric ? fmt(metric, v) : fmtMs(v))
  const size =
    s.metric === 'error_rate_pct'
      ? fmtPp(Math.abs(s.after - s.before))
      : s.relative_change === null
        ? `to ${value(s.after)}`
        : fmtRelative(Math.abs(s.relative_change))
  const date = s.finished_at.slice(0, 10)
  const since = s.runs_since === 1 ? 'compared with that run alone' : `compared with the ${s.runs_since} runs since`
  return `${mdText(metric ? label(metric) : s.metric)} of ${mdCode(s.endpoint)} stepped ${up ? 'up' : 'down'} ${size} (${value(s.before)} → ${value(s.after)}) at ${commit(results, s, links)} (${date}), ${plural(s.runs_since, 'run')} ago; ${since}`
}

function commit(results: ResultsFile, s: Shift, links: ChangePointLinks | undefined): string {
  const branch = results.baseline?.branch
  const name = `${branch ? `${branch}@` : ''}${s.sha ? s.sha.slice(0, 7) : `run ${s.run_id}`}`
  const repo = results.run.repo
  if (links?.serverUrl && repo && s.sha) return mdLink(name, `${links.serverUrl.replace(/\/+$/, '')}/${repo}/commit/${s.sha}`, links.serverUrl)
  return mdCode(name)
}

function listed(shifts: readonly Shift[], text: (s: Shift) => string): string[] {
  const lines = shifts.slice(0, CHANGE_POINTS_LISTED_MAX).map((s) => `- ${text(s)}`)
  const more = shifts.length - CHANGE_POINTS_LISTED_MAX
  if (more > 0) lines.push(`- and ${more} more (every one is in the results file's \`change_points\`)`)
  return lines
}

/** The metric as the regression comparison names it; another (a results file from elsewhere) is shown as written. */
function knownMetric(name: string): RegressionMetric | undefined {
  return (REGRESSION_METRICS as readonly string[]).includes(name) ? (name as RegressionMetric) : undefined
}
