/**
 * Drift within a long run, as the reports show it: the findings in words under the headline (comment
 * and job summary alike), and in the job summary a small chart of each drifting endpoint's p95 per
 * window (a Mermaid xychart, which GitHub draws). Pure: the results file in, Markdown out.
 */
import type { DriftSection, ResultsFile } from '../results/schema.js'
import { fmtOffset, fmtWindow, trimNumber } from '../format/numbers.js'
import { shortLabels } from './chart.js'
import { reasonsBelowHeadline } from './format.js'
import { mdText } from './markdown.js'

/** Findings listed at most; the results file has them all. */
export const DRIFT_FINDINGS_SHOWN = 10
/** Charts in the job summary at most. */
export const DRIFT_CHARTS_MAX = 4

const ICON: Record<DriftSection['status'], string> = { fail: '❌', drift: '📈', none: '✅', 'too-few-windows': '❔' }

/** The drift lines under the headline; empty when the run was not judged for drift. */
export function renderDriftSection(results: ResultsFile): string[] {
  const drift = results.drift
  if (!drift) return []
  const span = `${drift.windows} windows of ${fmtWindow(drift.window_ms)}, ${fmtOffset(drift.from_ms)}–${fmtOffset(drift.to_ms)} of the run`
  if (drift.status === 'none' || drift.status === 'too-few-windows') {
    // Already a reason under the headline (max-drift set and not judged): said once.
    if (reasonsBelowHeadline(results).includes(drift.reason)) return []
    return [`**Drift** ${ICON[drift.status]} ${mdText(sentence(drift.reason))}`, '']
  }
  const limit = drift.max_drift_pct === null ? 'no max-drift set: a finding, not a verdict' : `max-drift ${trimNumber(drift.max_drift_pct, 2)}%`
  const lines = [`**Drift** ${ICON[drift.status]} ${drift.findings.length} trend${drift.findings.length === 1 ? '' : 's'} over ${span} (${limit}):`, '']
  for (const f of drift.findings.slice(0, DRIFT_FINDINGS_SHOWN)) lines.push(`- ${f.breach ? '❌ ' : ''}${mdText(f.sentence)}`)
  if (drift.findings.length > DRIFT_FINDINGS_SHOWN) lines.push(`- and ${drift.findings.length - DRIFT_FINDINGS_SHOWN} more in the results file`)
  lines.push('')
  return lines
}

/** The job summary's drift charts: p95 per window of each endpoint with a finding. */
export function renderDriftCharts(results: ResultsFile): string[] {
  const drift = results.drift
  if (!drift || drift.series.length === 0) return []
  const lines: string[] = []
  for (const series of drift.series.slice(0, DRIFT_CHARTS_MAX)) {
    const values = carryForward(series.p95_ms)
    if (values.length === 0) continue
    const label = shortLabels([series.endpoint])[0]!
    const top = niceTop(Math.max(...values))
    const fromMin = drift.from_ms / 60_000
    const toMin = drift.to_ms / 60_000
    lines.push(
      '```mermaid',
      'xychart-beta',
      `  title "p95 of ${label} per ${fmtWindow(drift.window_ms)} window"`,
      `  x-axis "minutes from the start" ${trimNumber(fromMin, 2)} --> ${trimNumber(toMin, 2)}`,
      `  y-axis "p95 (ms)" 0 --> ${top}`,
      `  line [${values.map((v) => trimNumber(v, 1)).join(', ')}]`,
      '```',
      '',
    )
  }
  if (lines.length > 0 && seriesWithGaps(drift)) lines.push('<sub>Windows without a request show the window before.</sub>', '')
  return lines
}

function seriesWithGaps(drift: DriftSection): boolean {
  return drift.series.slice(0, DRIFT_CHARTS_MAX).some((s) => s.p95_ms.some((v) => v === null))
}

/** A window without requests shows the one before it (a line cannot break in Mermaid). */
function carryForward(values: ReadonlyArray<number | null>): number[] {
  const out: number[] = []
  let last: number | null = values.find((v) => v !== null) ?? null
  if (last === null) return []
  for (const v of values) {
    if (v !== null) last = v
    out.push(last)
  }
  return out
}

/** A round axis end a little above the highest value. */
function niceTop(max: number): number {
  if (!(max > 0)) return 1
  const step = 10 ** Math.floor(Math.log10(max))
  return Math.ceil((max * 1.1) / step) * step
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`
}
