/**
 * The job summary (and the console report): verdict first, breaches first, then the SLI table.
 * Pure functions of the results file, so every report tells the same story.
 */
import type { ResultsFile } from '../results.js'
import { renderComparisonSection, renderProfileSection } from './comment.js'
import { escapeMarkdown, fmtDuration, fmtMs, fmtPct, fmtRps, slisByConcern, STATUS_ICON, VERDICT_ICON, verdictHeadline } from './format.js'

export function renderSummaryMarkdown(results: ResultsFile): string {
  const lines: string[] = []
  lines.push(`## ${VERDICT_ICON[results.verdict]} ${escapeMarkdown(verdictHeadline(results))}`, '')
  const notable = results.verdict === 'pass' ? [] : results.reasons
  if (notable.length > 0) {
    for (const reason of notable) lines.push(`- ${escapeMarkdown(reason)}`)
    lines.push('')
  }
  lines.push(...renderProfileSection(results))
  lines.push('| Endpoint | Requests | p50 | p95 | p99 | Errors | req/s | SLO |')
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|')
  for (const sli of slisByConcern(results)) {
    lines.push(
      `| ${escapeMarkdown(sli.endpoint)} | ${sli.requests} | ${fmtMs(sli.p50_ms)} | ${fmtMs(sli.p95_ms)} | ${fmtMs(sli.p99_ms)} | ${fmtPct(sli.error_rate_pct)} | ${fmtRps(sli.rps)} | ${STATUS_ICON[sli.slo_status]} |`,
    )
  }
  const s = results.summary
  lines.push(
    `| **All endpoints** | **${s.requests_total}** | | **${fmtMs(s.p95_ms)}** | | **${fmtPct(s.error_rate_pct)}** | **${fmtRps(s.rps_avg)}** | |`,
    '',
  )
  // Where the run was compared with the base branch, the same comparison the pull request shows.
  if (results.baseline || results.error_budget) lines.push(...renderComparisonSection(results))
  lines.push('<details><summary>Run details</summary>', '')
  lines.push(`- Profile: ${escapeMarkdown(results.run.profile)}, up to ${s.vus_max ?? '–'} VUs, ${fmtDuration(s.duration_ms)} (planned ${fmtDuration(s.planned_duration_ms)})`)
  lines.push(`- Target: ${escapeMarkdown(results.run.base_url)}; spec: ${escapeMarkdown(results.run.spec)}`)
  lines.push(`- k6 ${escapeMarkdown(results.run.k6_version ?? 'unknown')}`)
  if (results.run.url) lines.push(`- Run: ${escapeMarkdown(results.run.url)}`)
  if (results.skipped.length > 0) {
    lines.push(`- Skipped ${results.skipped.length} endpoint${results.skipped.length === 1 ? '' : 's'}:`)
    for (const skip of results.skipped) lines.push(`  - ${escapeMarkdown(skip.endpoint)}: ${escapeMarkdown(skip.reason)}`)
  }
  lines.push('', '</details>', '')
  return lines.join('\n')
}

/** A plain-text table for the log and the local CLI. */
export function renderConsoleReport(results: ResultsFile): string {
  const header = ['Endpoint', 'Requests', 'p50', 'p95', 'p99', 'Errors', 'req/s', 'SLO']
  const rows = slisByConcern(results).map((sli) => [
    sli.endpoint,
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
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  const out = [verdictHeadline(results)]
  if (results.verdict !== 'pass') out.push(...results.reasons.map((r) => `  - ${r}`))
  // What a stress or spike run found is shown even when the verdict passes.
  else if (results.stress) out.push(`  - ${results.stress.reason}`, `  - ${results.stress.recovery.reason}`)
  else if (results.spike) out.push(`  - ${results.spike.spike_errors.reason}`, `  - ${results.spike.recovery.reason}`)
  out.push('', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line))
  if (results.skipped.length > 0) out.push('', `Skipped: ${results.skipped.map((s) => `${s.endpoint} (${s.reason})`).join('; ')}`)
  return out.join('\n')
}
