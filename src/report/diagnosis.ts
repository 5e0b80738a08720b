/**
 * The diagnosis as the reader sees it: one line per breached or regressed endpoint in the comment
 * (its headline), the full breakdown in the job summary (percentiles before and after, failed
 * answers by kind, saturation, what flagged endpoints share). Pure: the results file in, text out.
 */
import type { ResultsFile } from '../results/schema.js'
import { fmtMs, fmtRelative, trimNumber } from '../format/numbers.js'
import { mdText, plainText } from './markdown.js'

type Diagnosis = NonNullable<ResultsFile['diagnosis']>

/** The comment's lines: "**Why** …", then `- GET /x: <headline>` per endpoint and what they share. */
export function renderDiagnosisLines(results: ResultsFile): string[] {
  const d = results.diagnosis
  if (!d || d.endpoints.length === 0) return []
  const lines = ['**Why** (from the figures, no model):', '']
  for (const e of d.endpoints) lines.push(`- ${mdText(e.endpoint)}: ${mdText(e.headline)}`)
  for (const s of d.shared) lines.push(`- Shared by ${s.endpoints.map(mdText).join(', ')}: ${mdText(traitText(s))}`)
  lines.push('')
  return lines
}

/** The job summary's section: per endpoint its percentiles before and after and its failed answers by kind. */
export function renderDiagnosisDetails(results: ResultsFile): string[] {
  const d = results.diagnosis
  if (!d || d.endpoints.length === 0) return []
  const lines = ['### Why these endpoints', '']
  for (const e of d.endpoints) {
    lines.push(`**${mdText(e.endpoint)}** (${e.flagged.join(', ')}): ${mdText(e.headline)}`, '')
    lines.push('| | Before | After | Change |', '|---|---:|---:|---:|')
    for (const p of ['p50', 'p95', 'p99'] as const) {
      const f = e.latency[p]
      lines.push(`| ${p} | ${fmtMs(f.before)} | ${fmtMs(f.after)} | ${signed(f.change)} |`)
    }
    const er = e.error_rate_pct
    lines.push(
      `| errors | ${pct(er.before)} | ${pct(er.after)} | ${er.before !== null && er.after !== null ? `${er.after >= er.before ? '+' : '−'}${trimNumber(Math.abs(er.after - er.before), 2)} pp` : '–'} |`,
      '',
    )
    if (e.saturation) {
      const s = e.saturation
      lines.push(
        `Saturation: successful answers per second ${trimNumber(s.rps_before, 1)} → ${trimNumber(s.rps_after, 1)} (${signed(s.rps_change)}) while latency rose ${signed(s.p95_change)}.`,
        '',
      )
    }
    if (e.errors.length > 0) {
      lines.push('| Failed answers | Count | Meaning | Retry-After | New |', '|---|---:|---|---:|---|')
      for (const x of e.errors) {
        const code = x.codes ? `${mdText(x.code)} (codes ${x.codes.min}–${x.codes.max})` : mdText(x.code)
        lines.push(`| ${code} | ${x.count.toLocaleString('en-US')} | ${mdText(x.label)} | ${x.retry_after} | ${x.new ? 'yes' : 'no'} |`)
      }
      lines.push('')
    }
    if (e.shared?.length) lines.push(`Shares with other flagged endpoints: ${e.shared.map(mdText).join('; ')}.`, '')
  }
  return lines
}

/** For the console: one plain line per flagged endpoint. */
export function renderDiagnosisText(results: ResultsFile): string[] {
  return (results.diagnosis?.endpoints ?? []).map((e) => `  why ${plainText(e.endpoint)}: ${plainText(e.headline)}`)
}

function traitText(trait: Diagnosis['shared'][number]): string {
  return trait.kind === 'path-prefix' ? `path ${trait.value}/*` : `${trait.kind} ${trait.value}`
}

function signed(change: number | null): string {
  if (change === null) return '–'
  return `${change >= 0 ? '+' : '−'}${fmtRelative(Math.abs(change))}`
}

function pct(value: number | null): string {
  return value === null ? '–' : `${trimNumber(value, 2)}%`
}
