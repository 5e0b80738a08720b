/**
 * The model-written analysis as GitHub shows it: folded, labelled with the model's id, and its
 * text escaped, so a model cannot add a link, a mention, HTML or a heading to the comment.
 */
import { renderPrComment } from '../../src/report/comment.js'
import { renderModelAnalysis } from '../../src/report/model-analysis.js'
import { renderSummaryMarkdown } from '../../src/report/summary.js'
import type { AnalysisSection } from '../../src/results/schema.js'
import { regressedResults } from '../analyst/fixtures.js'
import { elements, HOSTILE, hrefs, liveReferences, renderGfm, visibleText } from './gfm.js'

function written(text: (i: number) => string): AnalysisSection {
  return {
    kind: 'pull-request',
    status: 'written',
    model_used: 'claude-sonnet-5-5',
    input_tokens: 2310,
    output_tokens: 412,
    note: null,
    pull_request: {
      endpoints: [
        {
          endpoint: 'GET /reports/slow',
          causes: HOSTILE.map((_, i) => ({ cause: text(i), evidence: [text(i), 'p95 78.4 → 153.2 ms'] })).slice(0, 4),
          check_first: text(4),
        },
      ],
    },
    capacity: null,
  }
}

describe('renderModelAnalysis', () => {
  it('folds the analysis under a summary naming it model-written, with the model id and the tokens', () => {
    const html = renderGfm(renderModelAnalysis(written((i) => `Cause ${i}`)).join('\n'))
    expect(elements(html).slice(0, 2)).toEqual(['details', 'summary'])
    const text = visibleText(html)
    expect(text).toContain('🤖 Model-written analysis: likely causes (claude-sonnet-5-5)')
    expect(html).toContain('Written by <code>claude-sonnet-5-5</code>')
    expect(text).toContain('not measured: the figures, the verdict and the diagnosis above do not depend on it')
    expect(text).toMatch(/GET \/reports\/slow\s+Cause 0\s+Cause 0\s+p95 78\.4 → 153\.2 ms/)
    expect(text).toContain('Check first: Cause 4')
    expect(text).toContain('2310 input and 412 output tokens')
  })

  it.each(HOSTILE.map((s, i) => [i, s]))('shows hostile model text %#, %j, as text: no link, mention or HTML of its own', (i) => {
    const benign = renderGfm(renderModelAnalysis(written(() => 'plain words')).join('\n'))
    // The model id too: a fork's run may have written the results file the comment is rendered from.
    const hostile = renderGfm(renderModelAnalysis({ ...written((j) => HOSTILE[(i + j) % HOSTILE.length]!), model_used: HOSTILE[i]! }).join('\n'))
    expect(elements(hostile)).toEqual(elements(benign))
    expect(hrefs(hostile)).toEqual([])
    expect(liveReferences(hostile)).toEqual([])
  })

  it('shows a skipped analysis as its one-line note, and nothing when there is none', () => {
    const skipped: AnalysisSection = {
      ...written(() => 'x'),
      status: 'skipped',
      model_used: null,
      input_tokens: null,
      output_tokens: null,
      pull_request: null,
      note: 'Claude analysis skipped: pull requests from forks get no secrets, so no anthropic-api-key',
    }
    expect(renderModelAnalysis(skipped)).toEqual([
      '<sub>🤖 Claude analysis skipped: pull requests from forks get no secrets, so no anthropic-api-key</sub>',
      '',
    ])
    expect(renderModelAnalysis(undefined)).toEqual([])
  })

  it('renders a capacity analysis: summary, ranked hypotheses with evidence, next steps', () => {
    const text = visibleText(
      renderGfm(
        renderModelAnalysis({
          ...written(() => 'x'),
          kind: 'capacity',
          pull_request: null,
          capacity: {
            summary: 'Serves 163 req/s within 100 ms.',
            bottlenecks: [{ hypothesis: 'A shared cache.', evidence: ['κ 0.0023'] }],
            actions: ['Profile at 16 VUs.'],
          },
        }).join('\n'),
      ),
    )
    expect(text).toMatch(
      /Model-written analysis: capacity[\s\S]*Serves 163 req\/s within 100 ms\.[\s\S]*Bottleneck hypotheses\s+A shared cache\.\s+κ 0\.0023\s+Next steps\s+Profile at 16 VUs\./,
    )
  })
})

describe('the comment and the job summary', () => {
  it('carry the analysis below the figures, and the figures read the same with or without it', () => {
    const without = regressedResults()
    const withAnalysis = { ...regressedResults(), analysis: written((i) => `Cause ${i}`) }
    const comment = renderPrComment(withAnalysis)
    const section = renderModelAnalysis(withAnalysis.analysis).join('\n')
    expect(comment).toContain(section)
    expect(comment.replace(`${section}\n`, '')).toBe(renderPrComment(without))
    expect(comment.indexOf('Model-written analysis')).toBeGreaterThan(comment.indexOf('GET /reports/slow'))
    expect(renderSummaryMarkdown(withAnalysis)).toContain(section)
  })
})
