/**
 * The one endpoint table every Markdown report shows, made to fit a pull-request comment (about
 * 750 px): at most seven columns, each figure with its SLO limit beside it ("153 ms / 100") and its
 * change against the baseline under the same cell, columns with nothing to say left out (no
 * baseline, no p99), long endpoint names breakable at their slashes. Pure: results in, lines out.
 */
import type { ResultsFile } from '../results/schema.js'
import { fmtLimit, fmtMs, fmtPct, fmtPp, fmtRelative, fmtRps } from '../format/numbers.js'
import { slisByConcern, STATUS_ICON } from './format.js'
import { mdText } from './markdown.js'

type Sli = ResultsFile['slis'][number]
type SloCheck = ResultsFile['slo_checks'][number]
export type Comparison = NonNullable<ResultsFile['baseline']>['comparisons'][number]

/** Marks on a change against the baseline: what it means for the user, whichever way the number moved. */
export const CHANGE_ICON = { worse: '🔴', worseNotGating: '🟠', better: '🟢' } as const

/** Keeps a figure and its unit (or a limit and its sign) on one line, while the cell may wrap between them. */
const NBSP = '&nbsp;'

/** A figure column: the SLI, the SLO limit on it, the comparison metric, and how to show each. */
interface FigureColumn {
  header: string
  value: (sli: Sli) => number | null
  limit: string
  metric: string
  show: (value: number) => string
  showLimit: (threshold: number, value: number | null) => string
}

const FIGURES: readonly FigureColumn[] = [
  { header: 'p95', value: (s) => s.p95_ms, limit: 'p95', metric: 'p95_ms', show: fmtMs, showLimit: latencyLimit },
  { header: 'p99', value: (s) => s.p99_ms, limit: 'p99', metric: 'p99_ms', show: fmtMs, showLimit: latencyLimit },
  { header: 'Errors', value: (s) => s.error_rate_pct, limit: 'error-rate', metric: 'error_rate_pct', show: fmtPct, showLimit: (t) => fmtPct(t) },
  { header: 'req/s', value: (s) => s.rps, limit: 'min-rps', metric: 'rps', show: fmtRps, showLimit: (t) => `≥${NBSP}${fmtLimit(t)}` },
]

/** Limits without a column of their own, shown in the SLO cell: "p90 12.0 ms / 200". */
const OTHER_LIMITS: Record<string, (s: Sli) => number | null> = { p50: (s) => s.p50_ms, p90: (s) => s.p90_ms, max: (s) => s.max_ms }

export interface EndpointTableOptions {
  /** A last row with the whole run's figures (the job summary). */
  totals?: boolean
}

/** The endpoint table, a line under it saying how to read it, and a blank line. */
export function renderEndpointTable(results: ResultsFile, opts: EndpointTableOptions = {}): string[] {
  const checks = checksByKey(results)
  const changes = comparisonsByKey(results)
  const compared = hasBaselineFigures(results)
  const rows = endpointsByConcern(results, changes)

  const figures = FIGURES.filter((f) => rows.some((s) => f.value(s) !== null || checks.has(key(s.endpoint, f.limit))))
  const header = ['Endpoint', ...figures.map((f) => f.header), 'SLO', ...(compared ? ['vs base'] : [])]
  const lines = [`| ${header.join(' | ')} |`, `|---|${figures.map(() => '---:|').join('')}---|${compared ? '---|' : ''}`]
  for (const sli of rows) {
    const cells = [
      endpointCell(sli.endpoint),
      ...figures.map((f) =>
        figureCell(f, f.value(sli), checks.get(key(sli.endpoint, f.limit)), compared ? changes.get(key(sli.endpoint, f.metric)) : undefined),
      ),
      sloCell(sli, checks),
      ...(compared ? [baselineState(sli.endpoint, changes)] : []),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  if (opts.totals) {
    const s = results.summary
    const total: Record<string, string> = { p95: fmtMs(s.p95_ms), Errors: fmtPct(s.error_rate_pct), 'req/s': fmtRps(s.rps_avg) }
    const cells = [
      `**All endpoints** (${s.requests_total} requests)`,
      ...figures.map((f) => total[f.header]?.replace(/ /g, NBSP) ?? ''),
      '',
      ...(compared ? [''] : []),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  const legend = legendLine(results, checks.size > 0, compared)
  lines.push('')
  if (legend) lines.push(legend, '')
  return lines
}

/** Whether any endpoint has a figure from earlier runs to compare with (not so on a first run). */
export function hasBaselineFigures(results: ResultsFile): boolean {
  return (results.baseline?.comparisons ?? []).some((c) => c.baseline !== null)
}

export function comparisonsByKey(results: ResultsFile): Map<string, Comparison> {
  return new Map((results.baseline?.comparisons ?? []).map((c) => [key(c.endpoint, c.metric), c]))
}

export function checksByKey(results: ResultsFile): Map<string, SloCheck> {
  return new Map(results.slo_checks.map((c) => [key(c.endpoint, c.limit), c]))
}

export function key(endpoint: string, what: string): string {
  return `${endpoint}\u0000${what}`
}

/** Breached first, then regressed, then warned; otherwise as the results list them. */
function endpointsByConcern(results: ResultsFile, changes: Map<string, Comparison>): Sli[] {
  const regressed = new Set(results.regressions.map((r) => r.endpoint))
  for (const c of changes.values()) if (c.state === 'regressed') regressed.add(c.endpoint)
  const bySlo = slisByConcern(results)
  const rank = (s: Sli) => (s.slo_status === 'fail' || s.slo_status === 'no-data' ? 0 : regressed.has(s.endpoint) ? 1 : s.slo_status === 'warn' ? 2 : 3)
  return bySlo
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
    .map(({ s }) => s)
}

/** The name as text, with a break opportunity after each `/` so a long path wraps instead of widening the table. */
function endpointCell(endpoint: string): string {
  return mdText(endpoint).replace(/\/(?=.)/g, '/<wbr>')
}

function figureCell(column: FigureColumn, value: number | null, check: SloCheck | undefined, change: Comparison | undefined): string {
  let figure = value === null ? '–' : column.show(value).replace(/ /g, NBSP)
  if (check?.status === 'fail') figure = `**${figure}**`
  const parts = [figure]
  if (check) parts.push(`/${NBSP}${column.showLimit(check.threshold, value)}`)
  const changed = fmtChange(change)
  if (changed) parts.push(changed)
  const note = cellNote(value, check)
  if (note) parts.push(`<sub>${note}</sub>`)
  return parts.join(' ')
}

/**
 * Why a cell has no figure, where a reader would otherwise guess: the limit is set but the run did
 * not measure the statistic.
 */
function cellNote(value: number | null, check: SloCheck | undefined): string | undefined {
  if (value === null && check?.status === 'no-data') return 'not measured'
  return undefined
}

/** "500" beside a figure in ms; "2 s", or "800 ms" beside a figure in seconds. */
function latencyLimit(threshold: number, value: number | null): string {
  if (threshold >= 1000) return `${fmtLimit(threshold / 1000)}${NBSP}s`
  return value !== null && value >= 1000 ? `${fmtLimit(threshold)}${NBSP}ms` : fmtLimit(threshold)
}

function sloCell(sli: Sli, checks: Map<string, SloCheck>): string {
  const others = Object.entries(OTHER_LIMITS)
    .map(([limit, value]) => ({ limit, check: checks.get(key(sli.endpoint, limit)), value: value(sli) }))
    .filter((o): o is { limit: string; check: SloCheck; value: number | null } => o.check !== undefined)
    .map(({ limit, check, value }) => {
      const figure = value === null ? '–' : fmtMs(value).replace(/ /g, NBSP)
      return `${limit}${NBSP}${check.status === 'fail' ? `**${figure}**` : figure} /${NBSP}${latencyLimit(check.threshold, value)}`
    })
  return [STATUS_ICON[sli.slo_status].replace(' ', NBSP), ...others].join('<br>')
}

/** Changes judged "unchanged" are shown only from this size on: smaller ones are run-to-run noise, and clutter. */
const UNCHANGED_SHOWN_FROM = { relative: 0.05, pp: 0.1 }

/**
 * "+40% 🔴": the change against the baseline, marked by what it means, not by the direction of
 * the number; empty for no comparison, and for a change judged unchanged that is small as well.
 */
export function fmtChange(c: Comparison | undefined): string {
  if (!c || c.baseline === null || c.current === null) return ''
  if (c.state === 'unchanged') {
    const small =
      c.metric === 'error_rate_pct'
        ? Math.abs(c.current - c.baseline) < UNCHANGED_SHOWN_FROM.pp
        : Math.abs(c.relative_change ?? 0) < UNCHANGED_SHOWN_FROM.relative
    if (small) return ''
  }
  const icon = c.state === 'regressed' ? (c.gating ? CHANGE_ICON.worse : CHANGE_ICON.worseNotGating) : c.state === 'improved' ? CHANGE_ICON.better : ''
  let text: string
  if (c.metric === 'error_rate_pct') {
    const pp = c.current - c.baseline
    text = `${pp >= 0 ? '+' : '−'}${fmtPp(Math.abs(pp)).replace(' ', NBSP)}`
  } else {
    if (c.relative_change === null) return ''
    text = `${c.relative_change >= 0 ? '+' : '−'}${fmtRelative(Math.abs(c.relative_change))}`
  }
  return icon ? `${text}${NBSP}${icon}` : text
}

function baselineState(endpoint: string, changes: Map<string, Comparison>): string {
  const states = ['p95_ms', 'p99_ms', 'error_rate_pct', 'rps'].map((m) => changes.get(key(endpoint, m))).filter((c): c is Comparison => c !== undefined)
  if (states.some((c) => c.state === 'regressed' && c.gating)) return `${CHANGE_ICON.worse}${NBSP}regressed`
  if (states.some((c) => c.state === 'regressed')) return `${CHANGE_ICON.worseNotGating}${NBSP}worse, not${NBSP}gating`
  if (states.some((c) => c.state === 'improved')) return `${CHANGE_ICON.better}${NBSP}improved`
  if (states.some((c) => c.state === 'unchanged')) return 'unchanged'
  if (states.some((c) => c.state === 'insufficient-history')) return 'too little history'
  if (states.some((c) => c.state === 'no-baseline')) return 'new'
  return '–'
}

function legendLine(results: ResultsFile, limits: boolean, compared: boolean): string | undefined {
  const parts: string[] = []
  if (limits) parts.push('Each figure / its SLO limit; bold: breached.')
  if (compared) {
    const judged = results.baseline?.status === 'ok'
    parts.push(
      judged
        ? `Change against the baseline: ${CHANGE_ICON.worse} worse beyond run-to-run noise, ${CHANGE_ICON.worseNotGating} worse on a metric that does not gate, ${CHANGE_ICON.better} better (for req/s, higher is better).`
        : 'Change against the baseline, not judged: too little history to tell it from run-to-run noise.',
    )
  }
  return parts.length > 0 ? `<sub>${parts.join(' ')}</sub>` : undefined
}
