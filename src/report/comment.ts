/**
 * The pull-request comment: what a developer needs in ten seconds. Verdict in the first line,
 * breaches and regressions next, then every endpoint with its change against the baseline, a chart,
 * and the run's details folded away. Pure: the results file in, Markdown out.
 */
import type { ResultsFile } from '../results/schema.js'
import { fmtDuration, fmtMs, fmtOffset, fmtPct, fmtRps, reasonsBelowHeadline, slisByConcern, STATUS_ICON, VERDICT_ICON, verdictHeadline } from './format.js'
import { mdCode, mdLink, mdText } from './markdown.js'

type Comparison = NonNullable<ResultsFile['baseline']>['comparisons'][number]

/** Endpoints the chart shows at most; a chart of hundreds of bars helps nobody. */
export const CHART_MAX_ENDPOINTS = 20

export interface CommentLinks {
  /** Where the results artifact can be downloaded (the run's page). */
  artifactUrl?: string
  /**
   * GITHUB_SERVER_URL: only URLs on this server are linked (the run, its artifacts); any other
   * URL, such as one a fork wrote into its results, is shown as code. Unset: nothing is linked.
   */
  serverUrl?: string
}

export function renderPrComment(results: ResultsFile, links: CommentLinks = {}): string {
  const lines: string[] = []
  lines.push(`## ${VERDICT_ICON[results.verdict]} ${mdText(headline(results))}`, '')

  const concerns = reasonsBelowHeadline(results)
  if (concerns.length > 0) {
    for (const reason of concerns) lines.push(`- ${mdText(reason)}`)
    lines.push('')
  }
  lines.push(...renderProfileSection(results))
  lines.push(...renderComparisonSection(results))

  lines.push('<details><summary>Run details</summary>', '')
  const s = results.summary
  lines.push(`- Profile ${mdText(results.run.profile)}, up to ${s.vus_max ?? '–'} VUs, ${s.requests_total} requests, k6 ${mdText(results.run.k6_version ?? 'unknown')}`)
  if (results.run.sha) lines.push(`- Commit ${mdCode(results.run.sha.slice(0, 12))}`)
  if (results.run.url) lines.push(`- ${mdLink('Workflow run', results.run.url, links.serverUrl)}`)
  if (links.artifactUrl) lines.push(`- ${mdLink('Results artifact', links.artifactUrl, links.serverUrl)} (\`perf-xi-results.json\`, the next runs' baseline)`)
  if (results.baseline?.notes.length) for (const note of results.baseline.notes) lines.push(`- ${mdText(note)}`)
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
  lines.push(`| Errors during the spike | ${e.error_rate_pct === null ? '–' : `${fmtPct(e.error_rate_pct)} (${e.failed} of ${e.requests})`} | &lt; ${e.limit_pct}% | ${icon[e.status]} |`)
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
 * The baseline and error-budget lines, every endpoint with its change against the baseline, and
 * the chart: shared by the comment and the job summary.
 */
export function renderComparisonSection(results: ResultsFile): string[] {
  const lines: string[] = []
  lines.push(baselineLine(results), '')
  if (results.error_budget) lines.push(budgetLine(results.error_budget), '')

  const byKey = comparisonsByKey(results)
  lines.push('| Endpoint | p95 | Δ p95 | p99 | Δ p99 | Errors | Δ errors | req/s | Δ req/s | SLO | vs base |')
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|')
  for (const sli of slisByConcern(results)) {
    const change = (metric: string) => fmtChange(byKey.get(`${sli.endpoint}\u0000${metric}`))
    lines.push(
      `| ${mdText(sli.endpoint)} | ${fmtMs(sli.p95_ms)} | ${change('p95_ms')} | ${fmtMs(sli.p99_ms)} | ${change('p99_ms')} | ${fmtPct(sli.error_rate_pct)} | ${change('error_rate_pct')} | ${fmtRps(sli.rps)} | ${change('rps')} | ${STATUS_ICON[sli.slo_status]} | ${baselineState(results, sli.endpoint, byKey)} |`,
    )
  }
  lines.push('')

  const chart = renderP95Chart(results, byKey)
  if (chart) lines.push('<details><summary>Chart: p95 per endpoint, this run against the baseline</summary>', '', chart, '', '</details>', '')
  return lines
}

function headline(results: ResultsFile): string {
  const base = verdictHeadline(results)
  const regressions = results.regressions.length
  return regressions > 0 ? `${base}, ${regressions} regression${regressions === 1 ? '' : 's'} against the baseline` : base
}

/** "No baseline", "baseline unreadable" and "too little history" are different things to a reader. */
function baselineLine(results: ResultsFile): string {
  const b = results.baseline
  if (!b) return '_No baseline comparison on this run._'
  const from = `${b.branch ? mdCode(b.branch) : 'the base branch'} (${mdText(b.source)})`
  const rerun = b.confirmed_with_rerun.length > 0 ? ` Re-measured before judging: ${b.confirmed_with_rerun.map(mdText).join(', ')}.` : ''
  switch (b.status) {
    case 'ok':
      return `**Baseline:** ${b.history_runs} earlier run${b.history_runs === 1 ? '' : 's'} of ${from}. ${mdText(b.headline)}${rerun}`
    case 'none':
      return `**No baseline:** no earlier successful run of ${from} left results to compare with. This run's results become the baseline once it runs on the base branch.`
    case 'unreadable':
      return `**Baseline unreadable:** earlier results from ${from} could not be read (${b.unreadable.map((u) => `run ${mdText(u.run_id)}: ${mdText(u.reason)}`).join('; ')}). Nothing was compared.`
    case 'too-few':
      return `**Too little history to judge:** ${b.history_runs} earlier run${b.history_runs === 1 ? '' : 's'} of ${from}, not enough to tell a change from run-to-run noise. Changes are shown, none is called a regression.`
  }
}

function budgetLine(budget: NonNullable<ResultsFile['error_budget']>): string {
  const icon = budget.status === 'ok' ? '✅' : budget.status === 'warning' ? '⚠️' : '❌'
  const consumed = budget.consumed_pct >= 1e9 ? 'all' : `${Number(budget.consumed_pct.toFixed(1))}%`
  return `**Error budget** (${mdText(budget.window)}, ${budget.target_pct}% success): ${icon} ${consumed} consumed, ${budget.failures} of ${Number(budget.allowed_failures.toFixed(1))} allowed failed requests over ${budget.runs_counted} run${budget.runs_counted === 1 ? '' : 's'}.`
}

function comparisonsByKey(results: ResultsFile): Map<string, Comparison> {
  return new Map((results.baseline?.comparisons ?? []).map((c) => [`${c.endpoint}\u0000${c.metric}`, c]))
}

function fmtChange(c: Comparison | undefined): string {
  if (!c || c.baseline === null || c.current === null) return '–'
  const arrow = c.state === 'regressed' ? ' 🔺' : c.state === 'improved' ? ' 🔽' : ''
  if (c.metric === 'error_rate_pct') {
    const pp = c.current - c.baseline
    return `${pp >= 0 ? '+' : ''}${Number(pp.toFixed(2))} pp${arrow}`
  }
  if (c.relative_change === null) return '–'
  const pct = c.relative_change * 100
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(Math.abs(pct) < 10 ? 1 : 0)}%${arrow}`
}

function baselineState(results: ResultsFile, endpoint: string, byKey: Map<string, Comparison>): string {
  if (!results.baseline) return '–'
  const states = ['p95_ms', 'p99_ms', 'error_rate_pct', 'rps'].map((m) => byKey.get(`${endpoint}\u0000${m}`)).filter((c): c is Comparison => c !== undefined)
  if (states.some((c) => c.state === 'regressed' && c.gating)) return '🔺 regressed'
  if (states.some((c) => c.state === 'regressed')) return '🔸 slower (not gating)'
  if (states.some((c) => c.state === 'improved')) return '🔽 improved'
  if (states.some((c) => c.state === 'unchanged')) return 'unchanged'
  if (states.some((c) => c.state === 'insufficient-history')) return 'too little history'
  if (states.some((c) => c.state === 'no-baseline')) return 'new'
  return '–'
}

/** A mermaid xychart: bars for this run's p95, a line for the baseline's. */
export function renderP95Chart(results: ResultsFile, byKey = comparisonsByKey(results)): string | undefined {
  const rows = results.slis
    .filter((s) => s.p95_ms !== null)
    .sort((a, b) => (b.p95_ms ?? 0) - (a.p95_ms ?? 0))
    .slice(0, CHART_MAX_ENDPOINTS)
  if (rows.length === 0) return undefined
  const label = (text: string) => `"${mermaidText(text)}"`
  const baselineValues = rows.map((s) => byKey.get(`${s.endpoint}\u0000p95_ms`)?.baseline ?? null)
  const hasBaseline = baselineValues.some((v) => v !== null)
  const max = Math.max(...rows.map((s) => s.p95_ms ?? 0), ...baselineValues.map((v) => v ?? 0))
  const out = [
    '```mermaid',
    'xychart-beta',
    `  title "p95 (ms): bars this run${hasBaseline ? ', line the baseline' : ''}${results.slis.length > rows.length ? `, slowest ${rows.length} of ${results.slis.length}` : ''}"`,
    `  x-axis [${rows.map((s) => label(s.endpoint)).join(', ')}]`,
    `  y-axis "p95 (ms)" 0 --> ${Math.ceil(max * 1.1) || 1}`,
    `  bar [${rows.map((s) => round(s.p95_ms ?? 0)).join(', ')}]`,
  ]
  // Endpoints the baseline lacks sit at 0 on the line: mermaid has no gaps.
  if (hasBaseline) out.push(`  line [${baselineValues.map((v) => round(v ?? 0)).join(', ')}]`)
  out.push('```')
  return out.join('\n')
}

/**
 * An axis label mermaid shows as text: it decodes `#60;`-style entities and keeps HTML such as
 * `<img>` in labels, and a quote or a newline would end the label, so only letters, digits, spaces
 * and harmless punctuation pass; anything else becomes `_`.
 */
function mermaidText(text: string): string {
  return text.replace(/[^\p{L}\p{N} /{}()[\].,:?=+*!%~^|$@_-]/gu, '_')
}

/** The skipped endpoints on one line, each with its reason; those the results file only counts, as a number. */
export function skippedList(results: ResultsFile): string | undefined {
  const named = results.skipped.map((x) => `${mdText(x.endpoint)} (${mdText(x.reason)})`)
  if (results.skipped_not_listed > 0) named.push(`and ${results.skipped_not_listed} more`)
  return named.length > 0 ? named.join('; ') : undefined
}

function round(value: number): number {
  return Number(value.toFixed(value >= 100 ? 0 : 2))
}
