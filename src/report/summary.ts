/**
 * The job summary (and the console report): verdict first, breaches first, then one endpoint table.
 * Pure functions of the results file, so every report tells the same story.
 */
import type { ResultsFile } from '../results/schema.js'
import { renderChangePointSummary } from './change-points.js'
import { remeasuredLine, renderComparisonSection, renderHead } from './comment.js'
import { renderModelAnalysis } from './model-analysis.js'
import { renderDriftCharts } from './drift.js'
import { fmtDuration, fmtMs, fmtPct, fmtRps } from '../format/numbers.js'
import { reasonsBelowHeadline, slisByConcern, verdictHeadline } from './format.js'
import { fitMarkdown, mdCode, mdLink, mdText, plainText, utf8Bytes } from './markdown.js'
import { renderDiagnosisDetails, renderDiagnosisText } from './diagnosis.js'
import { renderCapacityConsole, renderCapacityMarkdown } from './capacity.js'
import { renderSloRecommendationsSection } from './slo-recommendations.js'

/** GitHub refuses a job summary over 1 MiB ("supports content up to a size of 1024k"). */
export const SUMMARY_MAX_BYTES = 1024 * 1024

export interface SummaryOptions {
  /** GITHUB_SERVER_URL: only the run's URL on this server is linked. Unset: nothing is linked. */
  serverUrl?: string
  /** Default SUMMARY_MAX_BYTES. */
  maxBytes?: number
}

/**
 * A job summary within GitHub's size limit: a longer one is cut at a line, keeping its head, with a
 * note of how much was left out.
 */
export function fitSummary(markdown: string, maxBytes = SUMMARY_MAX_BYTES): string {
  return fitMarkdown(markdown, {
    limit: maxBytes,
    size: utf8Bytes,
    note: (left, lineCut) =>
      `\n\n… ${lineCut ? 'the rest of this line and ' : ''}${left} more line${left === 1 ? '' : 's'} left out: GitHub keeps at most 1 MiB of a job summary. Every figure is in the results file.`,
  })
}

export function renderSummaryMarkdown(results: ResultsFile, opts: SummaryOptions = {}): string {
  if (results.capacity) return fitSummary(renderCapacityMarkdown(results, results.capacity).join('\n'), opts.maxBytes)
  const lines = renderHead(results)
  lines.push(...renderDriftCharts(results))
  // The same table as the pull request's comment, once, with the whole run's row and the chart shown.
  lines.push(...renderComparisonSection(results, { foldChart: false, totals: true }))
  lines.push(...renderDiagnosisDetails(results))
  lines.push(...renderChangePointSummary(results, { serverUrl: opts.serverUrl }))
  lines.push(...renderModelAnalysis(results.analysis))
  lines.push(...renderSloRecommendationsSection(results))
  const s = results.summary
  lines.push('<details><summary>Run details</summary>', '')
  lines.push(
    `- Profile: ${mdText(results.run.profile)}, up to ${s.vus_max ?? '–'} VUs, ${fmtDuration(s.duration_ms)} (planned ${fmtDuration(s.planned_duration_ms)})`,
  )
  lines.push(`- Target: ${mdCode(results.run.base_url)}; spec: ${mdCode(results.run.spec)}`)
  lines.push(`- k6 ${mdText(results.run.k6_version ?? 'unknown')}`)
  if (results.run.url) lines.push(`- ${mdLink('Workflow run', results.run.url, opts.serverUrl)}`)
  const remeasured = remeasuredLine(results)
  if (remeasured) lines.push(`- ${remeasured}`)
  for (const note of results.baseline?.notes ?? []) lines.push(`- ${mdText(note)}`)
  const skippedCount = results.skipped.length + results.skipped_not_listed
  if (skippedCount > 0) {
    lines.push(`- Skipped ${skippedCount} endpoint${skippedCount === 1 ? '' : 's'}:`)
    for (const skip of results.skipped) lines.push(`  - ${mdText(skip.endpoint)}: ${mdText(skip.reason)}`)
    if (results.skipped_not_listed > 0) lines.push(`  - and ${results.skipped_not_listed} more (counted in the results file, not named)`)
  }
  lines.push('', '</details>', '')
  return fitSummary(lines.join('\n'), opts.maxBytes)
}

/** A plain-text table for the log and the local CLI. */
export function renderConsoleReport(results: ResultsFile): string {
  if (results.capacity) return renderCapacityConsole(results, results.capacity)
  const header = ['Endpoint', 'Requests', 'p50', 'p95', 'p99', 'Errors', 'req/s', 'SLO']
  const rows = slisByConcern(results).map((sli) => [
    plainText(sli.endpoint),
    String(sli.requests),
    fmtMs(sli.p50_ms),
    fmtMs(sli.p95_ms),
    fmtMs(sli.p99_ms),
    fmtPct(sli.error_rate_pct),
    fmtRps(sli.rps),
    sli.slo_status,
  ])
  const s = results.summary
  rows.push(['All endpoints', String(s.requests_total), '', fmtMs(s.p95_ms), '', fmtPct(s.error_rate_pct), fmtRps(s.rps_avg), ''])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd()
  const out = [plainText(verdictHeadline(results))]
  const item = (text: string) => `  - ${plainText(text)}`
  if (results.verdict !== 'pass') out.push(...reasonsBelowHeadline(results).map(item))
  // What a stress or spike run found is shown even when the verdict passes.
  else if (results.stress) out.push(item(results.stress.reason), item(results.stress.recovery.reason))
  else if (results.spike) out.push(item(results.spike.spike_errors.reason), item(results.spike.recovery.reason))
  out.push(...renderDiagnosisText(results))
  if (results.drift && (results.verdict === 'pass' || !reasonsBelowHeadline(results).includes(results.drift.reason))) out.push(item(results.drift.reason))
  out.push('', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line))
  if (results.skipped.length > 0) {
    const more = results.skipped_not_listed > 0 ? `; and ${results.skipped_not_listed} more` : ''
    out.push('', `Skipped: ${results.skipped.map((s) => plainText(`${s.endpoint} (${s.reason})`)).join('; ')}${more}`)
  }
  if (results.cloud?.url) out.push('', plainText(`Grafana Cloud k6: ${results.cloud.url}`))
  return out.join('\n')
}
