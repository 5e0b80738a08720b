/**
 * Step changes in the base branch's history, in words: in the comment, which metrics were compared
 * only with the runs since their latest step; in the job summary, the commit where each change
 * began, linked. Reads only the results file's `change_points` and `baseline` sections.
 */
import type { ResultsFile } from '../results/schema.js'
import { fmtMs, fmtPct, fmtPp, fmtRelative, fmtRps } from '../format/numbers.js'
import { mdCode, mdLink, mdText } from './markdown.js'

/** Lines listed before the rest is only counted: a history of 200 endpoints must not flood a comment. */
export const CHANGE_POINTS_LISTED_MAX = 10

type Shift = NonNullable<ResultsFile['change_points']>['shifts'][number]

const LABELS: Record<string, string> = {
  p50_ms: 'p50',
  p90_ms: 'p90',
  p95_ms: 'p95',
  p99_ms: 'p99',
  max_ms: 'max',
  avg_ms: 'avg',
  error_rate_pct: 'errors',
  rps: 'throughput',
}

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
  return `Change points: ${runs(cp.runs)} of the base branch, ${cp.min_runs} are needed to look for step changes (\`baseline.history\` of 20 or more finds them reliably); compared with all of them.`
}

/** For the job summary: every step found, the commit where it began linked, or that none was found. */
export function renderChangePointSummary(results: ResultsFile, links: ChangePointLinks = {}): string[] {
  const cp = results.change_points
  if (!cp || !results.baseline || results.baseline.status === 'none') return []
  const head = '### Change points in the base branch'
  if (cp.status === 'too-few')
    return [head, '', `${runs(cp.runs)}: ${cp.min_runs} are needed to look for step changes, so this run was compared with all of them.`, '']
  const method = `${mdText(cp.method)}, over ${runs(cp.runs)}`
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
  const size =
    s.metric === 'error_rate_pct'
      ? fmtPp(Math.abs(s.after - s.before))
      : s.relative_change === null
        ? `to ${value(s.metric, s.after)}`
        : fmtRelative(Math.abs(s.relative_change))
  const date = s.finished_at.slice(0, 10)
  const since = s.runs_since === 1 ? 'compared with that run alone' : `compared with the ${s.runs_since} runs since`
  return `${mdText(LABELS[s.metric] ?? s.metric)} of ${mdCode(s.endpoint)} stepped ${up ? 'up' : 'down'} ${size} (${value(s.metric, s.before)} → ${value(s.metric, s.after)}) at ${commit(results, s, links)} (${date}), ${runs(s.runs_since)} ago; ${since}`
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

function value(metric: string, v: number): string {
  if (metric === 'error_rate_pct') return fmtPct(v)
  if (metric === 'rps') return `${fmtRps(v)} req/s`
  return fmtMs(v)
}

function runs(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`
}
