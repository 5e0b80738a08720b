/**
 * The capacity report (mode: capacity) from the results file's capacity section: the answers first,
 * two Mermaid xycharts (throughput against concurrency with the fitted curve; p95 against
 * concurrency with the target line), the per-level table, the model with its confidence, the
 * endpoints that limit, the recommendations. The same as a console table for the log and the CLI.
 * Pure: results in, text out.
 */
import { fmtMs, fmtPct, fmtRps, trimNumber } from '../format/numbers.js'
import type { CapacitySection, ResultsFile } from '../results/schema.js'
import { VERDICT_ICON, verdictHeadline } from './format.js'
import { mdText, plainText } from './markdown.js'
import { renderModelAnalysis } from './model-analysis.js'

type Section = CapacitySection

export function renderCapacityMarkdown(results: ResultsFile, section: Section): string[] {
  const lines = [`## ${VERDICT_ICON[results.verdict]} ${mdText(capacityHeadline(results))}`, '']
  for (const reason of results.reasons.slice(1)) lines.push(`- ${mdText(reason)}`)
  if (results.reasons.length > 1) lines.push('')
  if (section.load_generator.limited) {
    lines.push(`> [!WARNING]`, `> **The load generator, not the API, limited this run**: no capacity figure is given.`)
    for (const f of section.load_generator.findings) lines.push(`> - ${mdText(f.detail)}`)
    lines.push('')
  }
  lines.push('| Answer | Value |', '|---|---|')
  for (const [name, value] of answerRows(section)) lines.push(`| ${name} | ${mdText(value)} |`)
  lines.push('')
  if (section.trend) lines.push(`Trend: ${mdText(section.trend.text)}.`, '')
  lines.push(...throughputChart(section), '', ...p95Chart(section), '')
  lines.push(
    '### Levels',
    '',
    `Each level ${trimNumber(section.level_duration_ms / 1000, 1)} s, the first ${trimNumber(section.warm_up_ms / 1000, 1)} s left out (warm-up).`,
    '',
  )
  lines.push('| Level | VUs | req/s | p50 | p95 | p99 | mean | errors | statuses | k6 CPU |', '|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|')
  for (const l of section.levels) {
    const p95 = l.p95_ms > section.target_p95_ms ? `**${fmtMs(l.p95_ms)}**` : fmtMs(l.p95_ms)
    lines.push(
      `| ${l.level} | ${l.vus} | ${fmtRps(l.rps)} | ${fmtMs(l.p50_ms)} | ${p95} | ${fmtMs(l.p99_ms)} | ${fmtMs(l.mean_ms)} | ${fmtPct(l.error_rate_pct)} | ${statuses(l.statuses)} | ${l.k6_cpu_cores === null ? '–' : `${trimNumber(l.k6_cpu_cores, 2)} cores`} |`,
    )
  }
  lines.push('')
  lines.push('### Model', '', ...modelLines(section).map((l) => `- ${mdText(l)}`), '')
  const attribution = attributionLines(section)
  if (attribution.length > 0) lines.push('### Endpoints', '', ...attribution.map((l) => `- ${mdText(l)}`), '')
  if (section.recommendations.length > 0) {
    lines.push('### Recommendations', '')
    for (const r of section.recommendations) {
      lines.push(`- ${mdText(r.text)}`)
      for (const e of r.evidence) lines.push(`  - ${mdText(e)}`)
    }
    lines.push('')
  }
  if (results.analysis?.status === 'written') lines.push('### Analysis', '')
  lines.push(...renderModelAnalysis(results.analysis))
  if (section.notes.length > 0)
    lines.push('<details><summary>Assumptions and notes</summary>', '', ...section.notes.map((n) => `- ${mdText(n)}`), '', '</details>', '')
  return lines
}

const PARAMETER_SYMBOLS: Readonly<Record<string, string>> = { lambda: 'λ', sigma: 'σ', kappa: 'κ' }

function capacityHeadline(results: ResultsFile): string {
  return verdictHeadline(results)
}

export function renderCapacityConsole(results: ResultsFile, section: Section): string {
  const out = [plainText(capacityHeadline(results)), ...results.reasons.slice(1).map((r) => `  - ${plainText(r)}`)]
  if (section.load_generator.limited)
    out.push('', 'The load generator, not the API, limited this run:', ...section.load_generator.findings.map((f) => `  - ${plainText(f.detail)}`))
  out.push('')
  for (const [name, value] of answerRows(section)) out.push(`${name.padEnd(30)} ${plainText(value)}`)
  if (section.trend) out.push(`${'Trend'.padEnd(30)} ${plainText(section.trend.text)}`)
  const header = ['Level', 'VUs', 'req/s', 'p50', 'p95', 'p99', 'mean', 'errors', 'k6 CPU']
  const rows = section.levels.map((l) => [
    String(l.level),
    String(l.vus),
    fmtRps(l.rps),
    fmtMs(l.p50_ms),
    fmtMs(l.p95_ms),
    fmtMs(l.p99_ms),
    fmtMs(l.mean_ms),
    fmtPct(l.error_rate_pct),
    l.k6_cpu_cores === null ? '–' : trimNumber(l.k6_cpu_cores, 2),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ')
  out.push('', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '')
  out.push(...modelLines(section).map((l) => `Model: ${plainText(l)}`))
  for (const l of attributionLines(section)) out.push(`Endpoints: ${plainText(l)}`)
  for (const r of section.recommendations) out.push(`Recommendation: ${plainText(r.text)}`)
  const written = results.analysis?.status === 'written' ? results.analysis : undefined
  if (written?.capacity) {
    // Labelled on every line: the console has no fold to set it apart from the measured figures.
    const by = `Analysis (written by ${plainText(written.model_used ?? 'a model')}, not measured)`
    out.push('', `${by}: ${plainText(written.capacity.summary)}`)
    for (const b of written.capacity.bottlenecks) out.push(`${by}: ${plainText(b.hypothesis)}`)
    for (const a of written.capacity.actions) out.push(`${by}: next step: ${plainText(a)}`)
  }
  return out.join('\n')
}

function answerRows(s: Section): Array<[string, string]> {
  const rows: Array<[string, string]> = []
  const capacity =
    s.current_capacity_rps === null
      ? `not given (the load generator limited the run; the API served at least ${fmtRps(s.measured_max_rps)} req/s)`
      : `${fmtRps(s.current_capacity_rps)} req/s${s.capacity_is_lower_bound ? ' or more' : ''} within p95 ${fmtMs(s.target_p95_ms)} (${s.capacity_method})`
  rows.push(['Current capacity', capacity])
  if (s.current_capacity_rps !== null) rows.push(['How it was found', s.capacity_reason])
  rows.push(['Target', `${fmtRps(s.target_rps)} req/s at p95 ≤ ${fmtMs(s.target_p95_ms)}`])
  if (s.scaling_factor !== null) rows.push(['Scaling factor', `${trimNumber(s.scaling_factor, 2)}×`])
  rows.push([
    'Replicas',
    s.replicas_needed === null
      ? `${s.replicas} now; needed: unknown`
      : `${s.replicas} now, ${s.replicas_needed} needed with ${trimNumber(s.headroom_pct, 1)} % headroom (assuming the instances behind base-url scale horizontally)`,
  ])
  if (s.estimated_cost_delta)
    rows.push([
      'Cost difference',
      `${s.estimated_cost_delta.amount >= 0 ? '+' : ''}${s.estimated_cost_delta.amount.toFixed(2)} ${s.estimated_cost_delta.currency} per month`,
    ])
  const projected = s.projected_p95_at_target
  if (projected)
    rows.push([
      'p95 at the target (projected)',
      `${fmtMs(projected.p95_ms)} at ${fmtRps(projected.at_rps)} req/s per replica, ${projected.replicas} replica${projected.replicas === 1 ? '' : 's'}${projected.within_measured_range ? '' : ', beyond the measured levels'}`,
    ])
  rows.push([
    'Confidence',
    `${trimNumber(s.confidence, 2)} (fit ${part(s.confidence_parts.fit)}, precision ${part(s.confidence_parts.precision)}, reach ${part(s.confidence_parts.reach)})`,
  ])
  rows.push(['Model used', s.model_used === 'usl' ? 'Universal Scalability Law' : `none (${s.model.reason ?? 'no fit'})`])
  if (s.stopped_early) rows.push(['Run', s.stopped_early.reason])
  return rows
}

function modelLines(s: Section): string[] {
  const m = s.model
  const lines: string[] = []
  if (m.kind === 'none') lines.push(`No model: ${m.detail ?? m.reason ?? 'no fit'}; the measured levels above stand on their own.`)
  if (m.lambda && m.sigma && m.kappa) {
    const attempt = m.kind === 'none' ? 'The attempted fit (not used): ' : ''
    lines.push(
      `${attempt}X(N) = λN / (1 + σ(N−1) + κN(N−1)) with λ = ${iv(m.lambda)} req/s, σ = ${iv(m.sigma)}, κ = ${iv(m.kappa)} (95 % intervals), R² = ${m.r_squared === null ? '–' : trimNumber(m.r_squared, 3)}`,
    )
    const knee = m.knee_concurrency === null || m.knee_concurrency === undefined ? '' : `knee (ceiling ÷ λ) ≈ ${trimNumber(m.knee_concurrency, 1)} VUs; `
    const peak = `${knee}${m.peak_concurrency === null ? 'no peak (κ = 0)' : `peak at N* ≈ ${trimNumber(m.peak_concurrency, 1)} VUs`}`
    lines.push(`${peak}; throughput ceiling ${m.ceiling_rps === null ? 'unbounded by the model' : `≈ ${fmtRps(m.ceiling_rps)} req/s`}`)
    const onBound = m.on_bound.map((name) => PARAMETER_SYMBOLS[name] ?? name)
    if (onBound.length === 1) lines.push(`${onBound[0]} ended on its bound (0): the data cannot tell it from nothing`)
    if (onBound.length > 1) lines.push(`${onBound.join(' and ')} ended on their bounds (0): the data cannot tell them from nothing`)
    if (m.converged === false) lines.push('the fit did not converge')
  }
  const disagree = s.latency_checks.filter((c) => !c.agrees)
  if (s.latency_checks.length > 0)
    lines.push(
      disagree.length === 0
        ? `Little's law agrees with the measured mean latency at every level (within 25 %)`
        : `Little's law disagrees with the measured mean at level ${disagree.map((c) => c.level).join(', ')}: the VUs spent time outside requests (k6 busy, think time) or the run was not steady`,
    )
  return lines
}

function attributionLines(s: Section): string[] {
  const a = s.attribution
  const lines: string[] = []
  if (a.fastest_growing) {
    const e = a.endpoints.find((x) => x.endpoint === a.fastest_growing)
    lines.push(
      `${a.fastest_growing}: p95 grows fastest with concurrency${e ? ` (${trimNumber(e.p95_slope_ms_per_vu, 2)} ms per VU, ×${trimNumber(e.p95_growth_ratio, 1)} over the run)` : ''}`,
    )
  }
  if (a.first_to_fail) {
    const e = a.endpoints.find((x) => x.endpoint === a.first_to_fail)
    lines.push(`${a.first_to_fail}: fails first${e && e.first_failing_vus !== null ? ` at ${e.first_failing_vus} VUs (${statuses(e.failing_statuses)})` : ''}`)
  }
  return lines
}

/** Throughput against concurrency: the measured levels as bars, the fitted curve as a line (projected beyond the last level). */
function throughputChart(s: Section): string[] {
  const measured = new Map(s.levels.map((l) => [l.vus, l.rps]))
  const useCurve = s.model.kind === 'usl' && s.curve.length > 0
  const xs = useCurve ? [...new Set([...s.curve.map((p) => p.vus), ...measured.keys()])].sort((a, b) => a - b) : [...measured.keys()]
  if (xs.length === 0) return []
  const curve = new Map(s.curve.map((p) => [p.vus, p.rps]))
  const bars = xs.map((x) => round1(measured.get(x) ?? 0))
  const top = Math.max(...bars, ...(useCurve ? xs.map((x) => curve.get(x) ?? 0) : [0]))
  const caption = useCurve
    ? `Throughput against concurrency: bars measured, line the fitted USL curve${xs.some((x) => !measured.has(x)) ? ' (no bar: projected, not measured)' : ''}`
    : 'Throughput against concurrency (measured)'
  return [
    caption,
    '',
    '```mermaid',
    'xychart-beta',
    '  title "Throughput (req/s) against concurrency (VUs)"',
    `  x-axis [${xs.map((x) => `"${trimNumber(x, 1)}"`).join(', ')}]`,
    `  y-axis "req/s" 0 --> ${niceTop(top)}`,
    `  bar [${bars.join(', ')}]`,
    ...(useCurve
      ? [
          `  line [${xs
            .map((x) =>
              round1(
                curve.get(x) ??
                  interpolate(
                    s.curve.map((p) => [p.vus, p.rps]),
                    x,
                  ),
              ),
            )
            .join(', ')}]`,
        ]
      : []),
    '```',
  ]
}

/** p95 against concurrency at the measured levels, with the target as a line. */
function p95Chart(s: Section): string[] {
  if (s.levels.length === 0) return []
  const top = Math.max(s.target_p95_ms * 1.2, ...s.levels.map((l) => l.p95_ms))
  return [
    `p95 against concurrency: bars measured, line the ${fmtMs(s.target_p95_ms)} target`,
    '',
    '```mermaid',
    'xychart-beta',
    '  title "p95 (ms) against concurrency (VUs)"',
    `  x-axis [${s.levels.map((l) => `"${l.vus}"`).join(', ')}]`,
    `  y-axis "p95 (ms)" 0 --> ${niceTop(top)}`,
    `  bar [${s.levels.map((l) => round1(l.p95_ms)).join(', ')}]`,
    `  line [${s.levels.map(() => s.target_p95_ms).join(', ')}]`,
    '```',
  ]
}

function interpolate(points: Array<[number, number]>, x: number): number {
  const sorted = [...points].sort((a, b) => a[0] - b[0])
  for (let i = 1; i < sorted.length; i++) {
    const [x0, y0] = sorted[i - 1]!
    const [x1, y1] = sorted[i]!
    if (x >= x0 && x <= x1) return x1 === x0 ? y0 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)
  }
  return sorted.at(-1)?.[1] ?? 0
}

function statuses(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1])
  return entries.length === 0 ? '–' : entries.map(([code, n]) => `${code === '0' ? 'no answer' : code}: ${n}`).join(', ')
}

function iv(i: { value: number; low: number | null; high: number | null }): string {
  const f = (v: number | null) => (v === null ? '∞' : Number(v.toPrecision(3)).toString())
  return `${f(i.value)} [${f(i.low)}, ${f(i.high)}]`
}

function part(v: number | null): string {
  return v === null ? '–' : trimNumber(v, 2)
}

function niceTop(value: number): number {
  if (!(value > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return Math.ceil((value * 1.1) / magnitude) * magnitude
}

function round1(value: number): number {
  return Math.round(value * 10) / 10
}
