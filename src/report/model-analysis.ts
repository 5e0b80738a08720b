/**
 * The model-written analysis in the comment and the job summary: folded, labelled as written by a
 * model with the model's id, every piece of its text escaped (no links, mentions or HTML of its
 * own). It sits below the figures and never repeats or replaces one.
 */
import type { AnalysisSection } from '../results/schema.js'
import { mdCode, mdText } from './markdown.js'

/** The folded section, or nothing when there is no analysis or it was skipped without a note worth showing. */
export function renderModelAnalysis(analysis: AnalysisSection | undefined): string[] {
  if (!analysis) return []
  if (analysis.status === 'skipped') return analysis.note ? [`<sub>🤖 ${mdText(analysis.note)}</sub>`, ''] : []
  // The model id comes from the results file, which a fork's run may have written: escaped like any text.
  const modelId = analysis.model_used ?? 'unknown model'
  const model = mdCode(modelId)
  const what = analysis.kind === 'pull-request' ? 'likely causes' : 'capacity'
  const lines = [`<details><summary>🤖 Model-written analysis: ${what} (${mdText(modelId)})</summary>`, '']
  lines.push(`_Written by ${model}, not measured: the figures, the verdict and the diagnosis above do not depend on it. Check it before acting on it._`, '')
  if (analysis.pull_request) {
    for (const endpoint of analysis.pull_request.endpoints) {
      lines.push(`**${mdText(endpoint.endpoint)}**`, '')
      endpoint.causes.forEach((cause, i) => {
        lines.push(`${i + 1}. ${mdText(cause.cause)}`)
        for (const evidence of cause.evidence) lines.push(`   - ${mdText(evidence)}`)
      })
      lines.push('', `Check first: ${mdText(endpoint.check_first)}`, '')
    }
  }
  if (analysis.capacity) {
    const c = analysis.capacity
    lines.push(mdText(c.summary), '')
    if (c.bottlenecks.length > 0) {
      lines.push('**Bottleneck hypotheses**', '')
      c.bottlenecks.forEach((b, i) => {
        lines.push(`${i + 1}. ${mdText(b.hypothesis)}`)
        for (const evidence of b.evidence) lines.push(`   - ${mdText(evidence)}`)
      })
      lines.push('')
    }
    if (c.actions.length > 0) lines.push('**Next steps**', '', ...c.actions.map((a) => `- ${mdText(a)}`), '')
  }
  const tokens =
    analysis.input_tokens !== null && analysis.output_tokens !== null ? ` · ${analysis.input_tokens} input and ${analysis.output_tokens} output tokens` : ''
  lines.push(`<sub>Claude through the Anthropic Messages API${tokens}</sub>`, '', '</details>', '')
  return lines
}
