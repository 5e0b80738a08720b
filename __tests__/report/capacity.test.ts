import { results as resultsFile } from '../baseline/results-builder.js'
import { renderConsoleReport, renderSummaryMarkdown } from '../../src/report/summary.js'
import { renderPrComment } from '../../src/report/comment.js'
import { verdictHeadline } from '../../src/report/format.js'
import type { CapacitySection, ResultsFile } from '../../src/results/schema.js'
import { SECTION } from '../support/capacity-section.js'

function capacityResults(section: CapacitySection, verdict: ResultsFile['verdict'], reasons: string[]): ResultsFile {
  return { ...resultsFile([], { verdict, profile: 'capacity' }), reasons, capacity: section }
}

const failing = capacityResults(SECTION, 'fail', ['target 500 req/s is out of reach with 1 replica: capacity 193 req/s within p95 100 ms; 4 replicas needed'])

describe('the capacity job summary', () => {
  const markdown = renderSummaryMarkdown(failing)

  it('leads with the answer, then the answers table', () => {
    expect(markdown.split('\n')[0]).toBe(
      '## ❌ Perf-Xi capacity: FAIL — target 500 req/s is out of reach with 1 replica: capacity 193 req/s within p95 100 ms; 4 replicas needed',
    )
    expect(markdown).toContain('| Current capacity | 193 req/s within p95 100 ms (interpolated) |')
    expect(markdown).toContain('| How it was found | between level 4 (8 VUs) within the target and level 5 (16 VUs) beyond it |')
    expect(markdown).toContain('| Replicas | 1 now, 4 needed with 30 % headroom (assuming the instances behind base-url scale horizontally) |')
    expect(markdown).toContain('| Cost difference | +157.50 USD per month |')
    expect(markdown).toContain('| Confidence | 0.71 (fit 0.96, precision 0.9, reach 0.82) |')
  })

  it('draws throughput with the fitted curve and p95 with the target line', () => {
    const charts = [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(charts).toHaveLength(2)
    expect(charts[0]).toContain('x-axis ["1", "2", "4", "8", "16", "32"]')
    expect(charts[0]).toContain('bar [49, 97, 185, 191, 196, 0]')
    expect(charts[0]).toMatch(/line \[55, 110, 204, 204, 204, 204\]/)
    expect(markdown).toContain('(no bar: projected, not measured)')
    expect(charts[1]).toContain('x-axis ["1", "2", "4", "8", "16"]')
    expect(charts[1]).toContain('bar [21, 22, 26, 45, 160]')
    expect(charts[1]).toContain('line [100, 100, 100, 100, 100]')
  })

  it('lists every level, the p95s over the target in bold, with their status codes', () => {
    expect(markdown).toContain('| 5 | 16 | 196 | 80 ms | **160 ms** | 240 ms | 80 ms | 2% | 200: 1921, 503: 39 | 0.12 cores |')
  })

  it('shows the model with its intervals, the limiting endpoint and the recommendations', () => {
    expect(markdown).toContain(
      '- X(N) = λN / (1 + σ(N−1) + κN(N−1)) with λ = 59.1 \\[40.1, 78.1\\] req/s, σ = 0.11 \\[0, 0.28\\], κ = 0.01 \\[0.0022, 0.0179\\] (95 % intervals), R² = 0.958',
    )
    expect(markdown).toContain('- knee (ceiling ÷ λ) ≈ 3.5 VUs; peak at N\\* ≈ 9.4 VUs; throughput ceiling ≈ 204 req/s')
    expect(markdown).toContain('- GET /capacity: fails first at 16 VUs (503: 39)')
    expect(markdown).toContain('- GET /capacity refuses requests with 503 from 16 VUs')
  })

  it('names a coefficient that ended on its bound by its symbol', () => {
    const section: CapacitySection = { ...SECTION, model: { ...SECTION.model, on_bound: ['sigma'] } }
    expect(renderSummaryMarkdown(capacityResults(section, 'pass', []))).toContain('- σ ended on its bound (0): the data cannot tell it from nothing')
  })

  it('says when there is no model and why, and still shows the levels', () => {
    const section: CapacitySection = {
      ...SECTION,
      model_used: 'none',
      model: { ...SECTION.model, kind: 'none', reason: 'on-bound', detail: 'κ ended on its bound (0): the points show no peak to place' },
      curve: [],
    }
    const text = renderSummaryMarkdown(capacityResults(section, 'fail', failing.reasons))
    expect(text).toContain('- No model: κ ended on its bound (0): the points show no peak to place; the measured levels above stand on their own.')
    expect(text).toContain('- The attempted fit (not used): X(N)')
    expect(text).toContain('| Model used | none (on-bound) |')
    expect(text).toContain('bar [49, 97, 185, 191, 196]')
    expect(text).not.toMatch(/^ {2}line \[55/m)
  })

  it('warns that the load generator limited the run and gives no capacity figure', () => {
    const section: CapacitySection = {
      ...SECTION,
      load_generator: { limited: true, findings: [{ sign: 'vu-cap', detail: 'the last level ran at the cap of 16 VUs while throughput still grew 40 %' }] },
      current_capacity_rps: null,
      replicas_needed: null,
      scaling_factor: null,
      estimated_cost_delta: null,
    }
    const text = renderSummaryMarkdown(
      capacityResults(section, 'warn', ['the load generator, not the API, limited this run: the last level ran at the cap of 16 VUs']),
    )
    expect(text).toContain('> **The load generator, not the API, limited this run**: no capacity figure is given.')
    expect(text).toContain('| Current capacity | not given (the load generator limited the run; the API served at least 196 req/s) |')
    expect(text).not.toContain('Cost difference')
  })

  it('shows the trend against the earlier capacity run', () => {
    const trend = {
      previous_rps: 220,
      previous_at: '2026-11-30T10:00:00.000Z',
      previous_ref: 'refs/heads/main',
      change_pct: -12.1,
      text: 'capacity 193 req/s, 12 % below the run of 2026-11-30 on main (220 req/s)',
    }
    expect(renderSummaryMarkdown(capacityResults({ ...SECTION, trend }, 'fail', failing.reasons))).toContain(
      'Trend: capacity 193 req/s, 12 % below the run of 2026-11-30 on main (220 req/s).',
    )
  })

  it('shows a model-written analysis under its own heading, labelled with the model and escaped, after the measured figures', () => {
    const results = {
      ...capacityResults(SECTION, 'fail', failing.reasons),
      analysis: {
        kind: 'capacity' as const,
        status: 'written' as const,
        model_used: 'claude-x',
        input_tokens: 1200,
        output_tokens: 300,
        note: null,
        pull_request: null,
        capacity: { summary: 'Contention dominates <b>here</b>.', bottlenecks: [], actions: ['Profile the lock.'] },
      },
    }
    const text = renderSummaryMarkdown(results)
    expect(text).toContain('### Analysis')
    expect(text).toContain('Model-written analysis: capacity (claude-x)')
    expect(text).toContain('Contention dominates &lt;b&gt;here&lt;/b&gt;.')
    expect(text.indexOf('### Analysis')).toBeGreaterThan(text.indexOf('### Recommendations'))
  })
})

describe('the capacity comment (comment.md, or a pull request when one runs it)', () => {
  it('is the capacity report, with no empty SLO table', () => {
    const comment = renderPrComment(failing)
    expect(comment.split('\n')[0]).toBe(renderSummaryMarkdown(failing).split('\n')[0])
    expect(comment).toContain('### Levels')
    expect(comment).not.toContain('| Endpoint | SLO |')
  })
})

describe('the capacity console report', () => {
  it('has the headline, the answers and one row per level', () => {
    const text = renderConsoleReport(failing)
    expect(text.split('\n')[0]).toBe(verdictHeadline(failing))
    expect(text).toMatch(/^Current capacity +193 req\/s within p95 100 ms \(interpolated\)$/m)
    expect(text).toMatch(/^Level +VUs +req\/s +p50 +p95 +p99 +mean +errors +k6 CPU$/m)
    expect(text).toMatch(/^ +5 +16 +196 +80 ms +160 ms +240 ms +80 ms +2% +0\.12$/m)
    expect(text).toContain('Recommendation: GET /capacity refuses requests with 503 from 16 VUs: it sheds load once its queue is full.')
  })
})
