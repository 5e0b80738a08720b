/**
 * SLO recommendations as a reader gets them: the YAML block to paste into the config file, the
 * backtest of each proposed limit, the SLOs in force that flap or catch nothing, and the history
 * entries left out. Markdown for the job summary (folded), plain text for the log and the CLI.
 */
import { Document, Scalar } from 'yaml'
import { fmtLimit, fmtLimitMs, fmtMs, fmtPct, fmtPp, fmtRelative } from '../format/numbers.js'
import type { RecommendedLimit, ResultsFile, SloRecommendations } from '../results/schema.js'
import { mdCode, mdText, oneLine, plainText } from './markdown.js'

type Proposed = SloRecommendations['endpoints'][number]['limits'][number]

/** A limit as the config file takes it: "250ms", "1.5s", "1%". */
function yamlValue(limit: RecommendedLimit, value: number): string {
  if (limit === 'error-rate') return `${fmtLimit(value)}%`
  return value >= 1000 ? `${fmtLimit(value / 1000)}s` : `${fmtLimit(value)}ms`
}

/** The `slos:` block to paste into the config file; it parses back through the config loader to the proposed limits. */
export function renderSloYaml(rec: SloRecommendations): string {
  const slos: Record<string, Record<string, string>> = {}
  for (const endpoint of rec.endpoints) {
    if (endpoint.limits.length === 0) continue
    slos[endpoint.endpoint] = Object.fromEntries(endpoint.limits.map((l) => [l.limit, yamlValue(l.limit, l.value)]))
  }
  const doc = new Document({ slos })
  // Endpoint keys quoted, as the docs write them: "GET /users/{id}" reads as one selector.
  for (const pair of (doc.get('slos', true) as { items: Array<{ key: Scalar }> }).items) pair.key.type = Scalar.QUOTE_DOUBLE
  const from = `${rec.runs_used} base-branch runs${rec.branch ? ` of ${rec.branch}` : ''}`
  const method = `the ${Math.round(rec.confidence * 100)} % upper prediction bound × ${fmtLimit(rec.margin)}, rounded up`
  return `# ${oneLine(`Recommended from ${from}: ${method}`)}\n${doc.toString({ lineWidth: 0 })}`
}

function limitText(limit: string, value: number): string {
  if (limit === 'error-rate') return `${fmtLimit(value)}%`
  if (limit === 'min-rps') return `${fmtLimit(value)} req/s`
  return fmtLimitMs(value)
}

/** The smallest regression a proposed limit still catches: "+60% over the median 150 ms", "+0.5 pp over the median 0%". */
function smallestCaughtText(l: Proposed): string {
  if (l.limit === 'error-rate') return `+${fmtPp(l.smallest_caught)} over the median ${fmtPct(l.median)}`
  if (l.smallest_caught <= 1) return `already breached at the median ${fmtMs(l.median)}`
  return `+${fmtRelative(l.smallest_caught - 1)} over the median ${fmtMs(l.median)}`
}

function medianText(l: Proposed): string {
  return l.limit === 'error-rate' ? fmtPct(l.median) : fmtMs(l.median)
}

function boundText(l: Proposed): string {
  return l.limit === 'error-rate' ? fmtPct(l.bound) : fmtMs(l.bound)
}

/** A fence longer than any run of backticks in the text, so the block cannot be closed from inside. */
function codeBlock(text: string, language: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  return [`${fence}${language}`, text.trimEnd(), fence]
}

/** The section's Markdown; `folded` puts it in a <details> (the gate's summary), open otherwise (mode recommend-slos). */
export function renderSloRecommendationsMarkdown(rec: SloRecommendations, opts: { folded: boolean }): string[] {
  const lines: string[] = []
  const title = rec.only_defaults ? 'Recommended SLOs (the SLOs in force are only defaults)' : 'Recommended SLOs'
  if (opts.folded) lines.push(`<details><summary>${mdText(title)}</summary>`, '')
  else lines.push(`### ${mdText(title)}`, '')
  lines.push(mdText(rec.headline), '')
  if (rec.status === 'ok') {
    lines.push('Paste into the config file:', '', ...codeBlock(renderSloYaml(rec), 'yaml'), '')
    lines.push(
      '| Endpoint | Limit | Proposed | History median | Bound | Runs it would have failed | Smallest regression caught |',
      '|---|---|--:|--:|--:|--:|---|',
    )
    for (const endpoint of rec.endpoints) {
      for (const l of endpoint.limits) {
        lines.push(
          `| ${mdCode(endpoint.endpoint, 'table')} | ${l.limit} | ${limitText(l.limit, l.value)} | ${medianText(l)} | ${boundText(l)} | ${l.failed_runs} of ${l.runs} | ${smallestCaughtText(l)} |`,
        )
      }
    }
    lines.push('')
    const notes = rec.endpoints.flatMap((e) => e.notes.map((n) => `- ${mdCode(e.endpoint)}: ${mdText(n)}`))
    if (notes.length > 0) lines.push('Not proposed:', '', ...notes, '')
    if (rec.gates_in_force.length > 0) {
      lines.push('SLOs in force worth a look:', '')
      for (const g of rec.gates_in_force)
        lines.push(`- ${g.kind === 'flapping' ? '**Flaps**' : '**Catches nothing**'}: ${mdCode(g.endpoint)} ${mdText(g.reason)}`)
      lines.push('')
    }
  }
  if (rec.left_out.length > 0) {
    lines.push(`History entries left out (${rec.left_out.length}):`, '')
    for (const l of rec.left_out) lines.push(`- ${mdCode(l.run_id)}: ${mdText(l.reason)}`)
    lines.push('')
  }
  if (opts.folded) lines.push('</details>', '')
  return lines
}

/** The job summary's folded section: shown when the run carries recommendations (the SLOs in force are only defaults). */
export function renderSloRecommendationsSection(results: ResultsFile): string[] {
  return results.slo_recommendations ? renderSloRecommendationsMarkdown(results.slo_recommendations, { folded: true }) : []
}

/** For the log and the CLI: the headline, the YAML block, then the backtest, the flags and what was left out. */
export function renderSloRecommendationsText(rec: SloRecommendations): string {
  const out = [plainText(rec.headline)]
  if (rec.status === 'ok') {
    out.push('', renderSloYaml(rec).trimEnd(), '', 'Backtest on the history:')
    for (const endpoint of rec.endpoints) {
      for (const l of endpoint.limits) {
        out.push(
          plainText(
            `  ${endpoint.endpoint} ${l.limit} ${limitText(l.limit, l.value)}: would have failed ${l.failed_runs} of ${l.runs} runs; catches ${smallestCaughtText(l)} (bound ${boundText(l)})`,
          ),
        )
      }
      for (const note of endpoint.notes) out.push(plainText(`  ${endpoint.endpoint}: not proposed: ${note}`))
    }
    if (rec.gates_in_force.length > 0) {
      out.push('', 'SLOs in force worth a look:')
      for (const g of rec.gates_in_force) out.push(plainText(`  ${g.kind === 'flapping' ? 'flaps' : 'catches nothing'}: ${g.endpoint} ${g.reason}`))
    }
  }
  if (rec.left_out.length > 0) {
    out.push('', `Left out (${rec.left_out.length}):`)
    for (const l of rec.left_out) out.push(plainText(`  ${l.run_id}: ${l.reason}`))
  }
  return out.join('\n')
}
