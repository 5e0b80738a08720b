/**
 * The pull-request comment: what a developer needs in ten seconds. Verdict in the first line,
 * breaches and regressions next, then every endpoint with its change against the baseline, a chart,
 * and the run's details folded away. Pure: the results file in, Markdown out.
 */
import { renderCapacityMarkdown } from './capacity.js'
import type { ResultsFile } from '../results/schema.js'
import { changePointNote, renderChangePointLines } from './change-points.js'
import { renderP95Chart } from './chart.js'
import { renderDriftSection } from './drift.js'
import { renderEndpointTable } from './endpoint-table.js'
import { fmtCount, fmtDuration, fmtMs, fmtOffset, fmtPct, fmtRps, trimNumber } from '../format/numbers.js'
import { reasonsBelowHeadline, VERDICT_ICON, verdictHeadline } from './format.js'
import { mdCode, mdLink, mdText } from './markdown.js'
import { renderDiagnosisLines } from './diagnosis.js'
import { renderModelAnalysis } from './model-analysis.js'
import { renderShardsSection } from './shards.js'

export interface CommentLinks {
  /** Where the results artifact can be downloaded (the run's page). */
  artifactUrl?: string
  /** k6's web dashboard report, uploaded as an artifact (html-report). */
  htmlReportUrl?: string
  /**
   * GITHUB_SERVER_URL: only URLs on this server are linked (the run, its artifacts); any other
   * URL, such as one a fork wrote into its results, is shown as code. Unset: nothing is linked.
   */
  serverUrl?: string
}

/** The top of the comment and the job summary alike: the verdict's headline, the reasons below it, a stress or spike run's findings. */
export function renderHead(results: ResultsFile): string[] {
  const lines = [`## ${VERDICT_ICON[results.verdict]} ${mdText(verdictHeadline(results))}`, '']
  const concerns = reasonsBelowHeadline(results)
  if (concerns.length > 0) lines.push(...concerns.map((reason) => `- ${mdText(reason)}`), '')
  lines.push(...renderCloudLine(results))
  lines.push(...renderDriftSection(results))
  lines.push(...renderProfileSection(results))
  lines.push(...renderShardsSection(results))
  return lines
}

/** Hosts of Grafana Cloud k6's web app, the only ones a cloud run's address is linked to. */
const GRAFANA_HOSTS = /^(app\.k6\.io|[a-z0-9-]+\.grafana\.net)$/

/** A run on Grafana Cloud k6: where it is in Grafana and how Grafana ended it. */
export function renderCloudLine(results: ResultsFile): string[] {
  const cloud = results.cloud
  if (!cloud) return []
  const label = cloud.test_run_id ? `Grafana Cloud k6 test run ${cloud.test_run_id}` : 'Grafana Cloud k6'
  let origin: string | undefined
  try {
    const url = cloud.url ? new URL(cloud.url) : undefined
    if (url?.protocol === 'https:' && GRAFANA_HOSTS.test(url.hostname)) origin = url.origin
  } catch {
    origin = undefined
  }
  const where = cloud.url ? mdLink(label, cloud.url, origin) : mdText(label)
  const how =
    cloud.runner === 'cloud'
      ? `ran on Grafana's load zones${cloud.status ? `, ${cloud.status}` : ''}${cloud.result ? `, ${cloud.result}` : ''}`
      : 'k6 ran here and streamed to Grafana; figures measured here'
  return [`${where}: ${mdText(how)}`, '']
}

export function renderPrComment(results: ResultsFile, links: CommentLinks = {}): string {
  // A capacity run (workflow_dispatch) has no pull request of its own; its report reads the same anywhere.
  if (results.capacity) return renderCapacityMarkdown(results, results.capacity).join('\n')
  const lines = renderHead(results)
  lines.push(...renderDiagnosisLines(results))
  lines.push(...renderChangePointLines(results))
  lines.push(...renderComparisonSection(results))
  lines.push(...renderModelAnalysis(results.analysis))

  lines.push('<details><summary>Run details</summary>', '')
  const s = results.summary
  lines.push(
    `- Profile ${mdText(results.run.profile)}, up to ${s.vus_max ?? '–'} VUs, ${s.requests_total} requests, k6 ${mdText(results.run.k6_version ?? 'unknown')}`,
  )
  if (results.run.sha) lines.push(`- Commit ${mdCode(results.run.sha.slice(0, 12))}`)
  if (results.run.url) lines.push(`- ${mdLink('Workflow run', results.run.url, links.serverUrl)}`)
  if (links.artifactUrl) lines.push(`- ${mdLink('Results artifact', links.artifactUrl, links.serverUrl)} (\`perf-xi-results.json\`: every figure of this run)`)
  if (links.htmlReportUrl) lines.push(`- ${mdLink('HTML report', links.htmlReportUrl, links.serverUrl)} (k6's web dashboard of this run, zipped)`)
  const remeasured = remeasuredLine(results)
  if (remeasured) lines.push(`- ${remeasured}`)
  if (results.baseline?.notes.length) for (const note of results.baseline.notes) lines.push(`- ${mdText(note)}`)
  const changePoints = changePointNote(results)
  if (changePoints) lines.push(`- ${changePoints}`)
  const skipped = skippedList(results)
  if (skipped) lines.push(`- Skipped: ${skipped}`)
  lines.push('', '</details>', '')
  return lines.join('\n')
}

/**
 * What the stress or spike profile found, over time: the breaking point and a row per stage
 * (stress), the pass criteria against their limits and a row per phase (spike). Shared by the
 * comment and the job summary; empty for other profiles.
 */
export function renderProfileSection(results: ResultsFile): string[] {
  if (results.stress) return renderStress(results.stress)
  if (results.spike) return renderSpike(results.spike)
  return []
}

type StressSection = NonNullable<ResultsFile['stress']>
type SpikeSection = NonNullable<ResultsFile['spike']>

function renderStress(stress: StressSection): string[] {
  const icon = stress.status === 'found' ? '💥' : stress.status === 'not-found' ? '✅' : '❔'
  const lines = [`**Stress** ${icon} ${mdText(sentence(stress.reason))} ${mdText(sentence(stress.recovery.reason))}`, '']
  const planned = stress.unit === 'VUs' ? 'Planned VUs' : 'Planned iterations/s'
  lines.push(`| Stage | ${planned} | VUs seen | req/s | p95 | Errors |`, '|---|---:|---:|---:|---:|---:|')
  for (const step of stress.steps) {
    const load = step.start_target === step.target ? `${step.target}` : `${step.start_target}→${step.target}`
    const mark = step.breaking ? ' 💥 **breaking point**' : ''
    lines.push(
      `| ${step.stage}. ${step.kind} ${fmtOffset(step.from_ms)}–${fmtOffset(step.to_ms)}${mark} | ${load} | ${step.vus_max ?? '–'} | ${fmtRps(step.rps)} | ${fmtMs(step.p95_ms)} | ${fmtPct(step.error_rate_pct)} |`,
    )
  }
  const limits = stress.limits ?? { p95_ms: 5000, error_rate_pct: 10, throughput_drop_pct: 50 }
  const drop = limits.throughput_drop_pct === 50 ? 'under half its best so far' : `down ${limits.throughput_drop_pct}% from its best so far`
  lines.push(
    '',
    `<sub>Judged in ${fmtDuration(stress.window_ms)} windows: the breaking point is p95 over ${fmtDuration(limits.p95_ms)}, errors over ${fmtPct(limits.error_rate_pct)} or throughput ${drop}; recovered means p95 under 2 s and errors under 10%.</sub>`,
    '',
  )
  return lines
}

function renderSpike(spike: SpikeSection): string[] {
  const icon = { pass: '✅', fail: '❌', 'no-data': '❔' } as const
  const verdict = spike.status === 'pass' ? 'criteria met' : spike.status === 'fail' ? 'criteria missed' : 'criteria not all judged'
  const e = spike.spike_errors
  const r = spike.recovery
  const recoveryPhase = spike.phases.find((p) => p.name === 'recovery')
  const measuredRecovery =
    r.after_ms !== null
      ? r.after_ms === 0
        ? 'at once'
        : fmtDuration(r.after_ms)
      : r.status === 'fail'
        ? `not within ${fmtDuration(recoveryPhase ? recoveryPhase.to_ms - recoveryPhase.from_ms : 0)}`
        : 'not judged'
  const lines = [`**Spike** ${icon[spike.status]} ${verdict}`, '']
  lines.push('| Criterion | Measured | Limit | |', '|---|---:|---:|---|')
  lines.push(
    `| Errors during the spike | ${e.error_rate_pct === null ? '–' : `${fmtPct(e.error_rate_pct)} (${e.failed} of ${e.requests})`} | &lt; ${e.limit_pct}% | ${icon[e.status]} |`,
  )
  lines.push(`| Recovery after the drop | ${measuredRecovery} | ≤ ${fmtDuration(r.limit_ms)} | ${icon[r.status]} |`)
  lines.push('')
  const planned = spike.unit === 'VUs' ? 'Planned VUs' : 'Planned iterations/s'
  lines.push(`| Phase | ${planned} | VUs seen | req/s | p95 | Errors |`, '|---|---:|---:|---:|---:|---:|')
  for (const phase of spike.phases) {
    lines.push(
      `| ${phase.name} ${fmtOffset(phase.from_ms)}–${fmtOffset(phase.to_ms)} | ${phase.target} | ${phase.vus_max ?? '–'} | ${fmtRps(phase.rps)} | ${fmtMs(phase.p95_ms)} | ${fmtPct(phase.error_rate_pct)} |`,
    )
  }
  const rule =
    r.p95_limit_ms !== null && r.error_limit_pct !== null && spike.baseline
      ? `Recovered: p95 ≤ ${fmtMs(r.p95_limit_ms)} and errors ≤ ${fmtPct(r.error_limit_pct)} in every later window (before the spike: p95 ${fmtMs(spike.baseline.p95_ms)}, errors ${fmtPct(spike.baseline.error_rate_pct)}).`
      : mdText(sentence(r.reason))
  lines.push('', `<sub>${rule} Judged in ${fmtDuration(spike.window_ms)} windows.</sub>`, '')
  return lines
}

/** A reason as a sentence: capitalised, with a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '') return trimmed
  return `${trimmed[0]!.toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? '' : '.'}`
}

/**
 * The baseline and error-budget lines, the endpoint table and the chart: shared by the comment
 * (chart folded away) and the job summary (chart shown, a row for the whole run).
 */
export function renderComparisonSection(results: ResultsFile, opts: { foldChart?: boolean; totals?: boolean } = {}): string[] {
  const lines: string[] = []
  lines.push(baselineLine(results), '')
  if (results.error_budget) lines.push(budgetLine(results.error_budget), '')
  lines.push(...renderEndpointTable(results, { totals: opts.totals }))
  const chart = renderP95Chart(results)
  if (chart) {
    const caption = `Chart: ${mdText(chart.caption)}`
    if (opts.foldChart ?? true) lines.push(`<details><summary>${caption}</summary>`, '', chart.markdown, '', '</details>', '')
    else lines.push(`${caption}`, '', chart.markdown, '')
  }
  return lines
}

/** "No baseline", "baseline unreadable" and "too little history" are different things to a reader. */
function baselineLine(results: ResultsFile): string {
  const b = results.baseline
  if (!b) return '_No baseline comparison on this run._'
  const from = `${b.branch ? mdCode(b.branch) : 'the base branch'} (${mdText(b.source)})`
  switch (b.status) {
    case 'ok':
      return `**Baseline:** ${b.history_runs} earlier run${b.history_runs === 1 ? '' : 's'} of ${from}. ${mdText(sentence(b.headline))}`
    case 'none':
      return `**No baseline:** no earlier successful run of ${from} left results to compare with, so this run is judged on its SLOs alone. Runs on the base branch leave the results later pull requests are compared with.`
    case 'unreadable':
      return `**Baseline unreadable:** earlier results from ${from} could not be read (${b.unreadable.map((u) => `run ${mdText(u.run_id)}: ${mdText(u.reason)}`).join('; ')}). Nothing was compared.`
    case 'too-few':
      return `**Too little history to judge:** ${b.history_runs} earlier run${b.history_runs === 1 ? '' : 's'} of ${from}, not enough to tell a change from run-to-run noise. Changes are shown, none is called a regression.`
  }
}

/** The endpoints measured a second time before any was called regressed, for the run details. */
export function remeasuredLine(results: ResultsFile): string | undefined {
  const names = results.baseline?.confirmed_with_rerun ?? []
  return names.length > 0 ? `Re-measured in a confirmation run before being judged: ${names.map(mdText).join(', ')}` : undefined
}

function budgetLine(budget: NonNullable<ResultsFile['error_budget']>): string {
  const icon = budget.status === 'ok' ? '✅' : budget.status === 'warning' ? '⚠️' : '❌'
  const consumed = budget.consumed_pct >= 1e9 ? 'all' : `${trimNumber(budget.consumed_pct, 1)}%`
  return `**Error budget** (${mdText(budget.window)}, ${budget.target_pct}% success): ${icon} ${consumed} consumed, ${budget.failures} of ${fmtCount(budget.allowed_failures)} allowed failed requests over ${budget.runs_counted} run${budget.runs_counted === 1 ? '' : 's'}.`
}

/** The skipped endpoints on one line, each with its reason; those the results file only counts, as a number. */
export function skippedList(results: ResultsFile): string | undefined {
  const named = results.skipped.map((x) => `${mdText(x.endpoint)} (${mdText(x.reason)})`)
  if (results.skipped_not_listed > 0) named.push(`and ${results.skipped_not_listed} more`)
  return named.length > 0 ? named.join('; ') : undefined
}
