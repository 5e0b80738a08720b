/**
 * The chart under the endpoint table (a Mermaid xychart, which GitHub draws): each endpoint's p95
 * against a reference of its own, so one slow endpoint cannot flatten the others: against the
 * baseline's p95 (100 = as before) once earlier runs measured it, else against its p95 SLO limit
 * (100 = at the limit). Horizontal bars, so 20 names read across without overlapping, each name
 * shortened to its method and the end of its path. Pure: results in, Markdown out.
 */
import type { ResultsFile } from '../results/schema.js'
import { checksByKey, comparisonsByKey, key } from './endpoint-table.js'

/** Endpoints the chart shows at most: the 20 furthest above their reference. */
export const CHART_MAX_ENDPOINTS = 20
/** Bars end here (300 % = three times the reference); the table has the figure. */
export const CHART_MAX_PCT = 300
/** The longest endpoint label, in characters: about a third of the chart's width. */
export const CHART_LABEL_MAX = 28

export interface P95Chart {
  /** What the chart shows, for the line that folds or introduces it. */
  caption: string
  /** The ```mermaid block. */
  markdown: string
}

interface Bar {
  endpoint: string
  pct: number
}

export function renderP95Chart(results: ResultsFile): P95Chart | undefined {
  const against = barsAgainstBaseline(results)
  const bars = against.length > 0 ? against : barsAgainstLimit(results)
  if (bars.length === 0) return undefined
  const reference = against.length > 0 ? 'baseline' : 'SLO limit'
  const shown = [...bars].sort((a, b) => b.pct - a.pct).slice(0, CHART_MAX_ENDPOINTS)
  const capped = shown.filter((b) => b.pct > CHART_MAX_PCT).length
  const top = Math.min(CHART_MAX_PCT, Math.max(110, Math.ceil((Math.max(...shown.map((b) => b.pct)) * 1.1) / 10) * 10))
  const labels = shortLabels(shown.map((b) => b.endpoint))

  const notes = [
    reference === 'baseline'
      ? 'p95 of this run as % of the baseline (the red line, 100 = as before)'
      : 'p95 as % of its SLO limit (the red line, 100 = at the limit)',
    bars.length > shown.length ? `the ${shown.length} highest of ${bars.length} endpoints` : '',
    capped > 0 ? `bars end at ${CHART_MAX_PCT}%` : '',
  ].filter(Boolean)
  const markdown = [
    '```mermaid',
    '---',
    'config:',
    '  xyChart:',
    `    height: ${Math.max(240, 100 + 28 * shown.length)}`,
    '  themeVariables:',
    '    xyChart:',
    '      plotColorPalette: "#0969da, #cf222e"',
    '---',
    'xychart-beta horizontal',
    `  title "p95 against the ${reference}"`,
    `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    `  y-axis "${reference === 'baseline' ? "% of the baseline's p95" : '% of the p95 SLO limit'}" 0 --> ${top}`,
    `  bar [${shown.map((b) => barValue(b.pct)).join(', ')}]`,
    `  line [${shown.map(() => 100).join(', ')}]`,
    '```',
  ].join('\n')
  return { caption: notes.join('; '), markdown }
}

/** Whole percent, but tenths below 10 % so a fast endpoint's bar does not round to nothing; at most CHART_MAX_PCT. */
function barValue(pct: number): number {
  const capped = Math.min(pct, CHART_MAX_PCT)
  return capped < 10 ? Math.round(capped * 10) / 10 : Math.round(capped)
}

function barsAgainstBaseline(results: ResultsFile): Bar[] {
  const bars: Bar[] = []
  for (const c of comparisonsByKey(results).values()) {
    if (c.metric === 'p95_ms' && c.baseline !== null && c.baseline > 0 && c.current !== null)
      bars.push({ endpoint: c.endpoint, pct: (100 * c.current) / c.baseline })
  }
  return bars
}

function barsAgainstLimit(results: ResultsFile): Bar[] {
  const checks = checksByKey(results)
  const bars: Bar[] = []
  for (const sli of results.slis) {
    const limit = checks.get(key(sli.endpoint, 'p95'))
    if (sli.p95_ms !== null && limit && limit.threshold > 0) bars.push({ endpoint: sli.endpoint, pct: (100 * sli.p95_ms) / limit.threshold })
  }
  return bars
}

/**
 * Labels of at most CHART_LABEL_MAX characters that Mermaid shows as text: "GET …/records/{id}"
 * (the method and as many whole path segments from the end as fit), told apart by a number where
 * two would read the same.
 */
export function shortLabels(endpoints: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return endpoints.map((endpoint) => {
    const label = shortLabel(mermaidText(endpoint))
    const n = (seen.get(label) ?? 0) + 1
    seen.set(label, n)
    return n === 1 ? label : `${label.slice(0, CHART_LABEL_MAX - 4)} (${n})`
  })
}

function shortLabel(text: string): string {
  if (text.length <= CHART_LABEL_MAX) return text
  const space = text.indexOf(' ')
  const method = space > 0 && space <= 7 ? text.slice(0, space) : ''
  const path = method ? text.slice(space + 1) : text
  const room = CHART_LABEL_MAX - (method ? method.length + 1 : 0) - 1
  const segments = path.split('/')
  let tail = ''
  for (let i = segments.length - 1; i > 0; i--) {
    const next = `/${segments[i]}${tail}`
    if (next.length > room) break
    tail = next
  }
  // Not even the last segment fits: its start, cut.
  if (tail === '') tail = `${path.slice(path.lastIndexOf('/')).slice(0, room - 1)}…`
  return `${method ? `${method} ` : ''}…${tail}`
}

/**
 * An axis label mermaid shows as text: it decodes `#60;`-style entities and keeps HTML such as
 * `<img>` in labels, and a quote or a newline would end the label, so only letters, digits, spaces
 * and harmless punctuation pass; anything else becomes `_`.
 */
function mermaidText(text: string): string {
  return text.replace(/[^\p{L}\p{N} /{}()[\].,:?=+*!%~^|$@_…-]/gu, '_')
}
