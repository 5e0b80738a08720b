/**
 * The p95 chart: each endpoint against a reference of its own, so one slow endpoint leaves the
 * others readable; at most 20 bars, read across, with short names Mermaid shows as text.
 */
import { CHART_LABEL_MAX, CHART_MAX_ENDPOINTS, CHART_MAX_PCT, renderP95Chart, shortLabels } from '../../src/report/chart.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { HOSTILE } from './gfm.js'
import { firstRun, sampleWithRegressions, twentyEndpoints } from './layout-cases.js'

/** The chart's series, read back from its Mermaid source. */
function series(markdown: string): { labels: string[]; bars: number[]; line: number[]; top: number } {
  const list = (name: string) => JSON.parse(`[${new RegExp(`^  ${name} \\[(.*)\\]$`, 'm').exec(markdown)![1]}]`) as never[]
  return { labels: list('x-axis'), bars: list('bar'), line: list('line'), top: Number(/ 0 --> (\d+)$/m.exec(markdown)![1]) }
}

describe('the p95 chart', () => {
  it('on a first run, shows each p95 as a share of its own SLO limit, so a slow endpoint with a generous limit does not flatten the rest', () => {
    const chart = renderP95Chart(twentyEndpoints({ baseline: false }))!
    expect(chart.caption).toBe('p95 as % of its SLO limit (the red line, 100 = at the limit)')
    const { labels, bars, line } = series(chart.markdown)
    expect(labels[0]).toBe('GET …/records/{id}')
    expect(bars[0]).toBe(105) // 262 ms against 250 ms
    expect(bars[labels.indexOf('GET /reports/annual/export')]).toBe(48) // 2.4 s against 5 s
    expect(Math.min(...bars)).toBe(2.6) // the fastest, 13 ms against 500 ms, in tenths so it does not round to nothing
    expect(line.every((v) => v === 100)).toBe(true)
  })

  it("against a baseline, shows each p95 as a share of the baseline's, the furthest above first", () => {
    const chart = renderP95Chart(sampleWithRegressions())!
    expect(chart.markdown).toContain('xychart-beta horizontal\n  title "p95 against the baseline"')
    const { labels, bars } = series(chart.markdown)
    expect(labels[0]).toBe('GET /reports/slow')
    expect(bars[0]).toBe(140)
    expect(bars.slice(1).every((v) => v >= 95 && v <= 105)).toBe(true)
  })

  it('keeps the 20 furthest above their reference, says so, and ends bars at 300 %', () => {
    const twenty = twentyEndpoints()
    const many: ResultsFile = {
      ...twenty,
      baseline: {
        ...twenty.baseline!,
        comparisons: Array.from({ length: 30 }, (_, i) => ({
          endpoint: `GET /e${i}`,
          metric: 'p95_ms',
          state: 'unchanged' as 'unchanged' | 'regressed',
          current: 10 + i,
          baseline: 10,
          relative_change: i / 10,
          gating: true,
          reason: '',
        })).concat([
          { endpoint: 'GET /e-slow', metric: 'p95_ms', state: 'regressed', current: 900, baseline: 10, relative_change: 89, gating: true, reason: '' },
        ]),
      },
    }
    const chart = renderP95Chart(many)!
    const { labels, bars, top } = series(chart.markdown)
    expect(labels).toHaveLength(CHART_MAX_ENDPOINTS)
    expect(bars[0]).toBe(CHART_MAX_PCT)
    expect(top).toBe(CHART_MAX_PCT)
    expect(chart.caption).toBe(
      `p95 of this run as % of the baseline (the red line, 100 = as before); the 20 highest of 31 endpoints; bars end at ${CHART_MAX_PCT}%`,
    )
  })

  it('has no chart when no endpoint has a p95 limit or a baseline', () => {
    const run = firstRun()
    expect(renderP95Chart({ ...run, slo_checks: run.slo_checks.filter((c) => c.limit !== 'p95') })).toBeUndefined()
  })
})

describe('the chart labels', () => {
  it('are at most 28 characters: the method and the end of the path, told apart where two read the same', () => {
    const labels = shortLabels([
      'GET /buckets/{bucket_id}/collections/{collection_id}/records/{id}',
      'GET /buckets',
      'GET /teams/{team_id}/collections/{collection_id}/records/{id}',
      'DELETE /a/very-long-segment-name-that-fits-nowhere-at-all',
    ])
    expect(labels).toEqual(['GET …/records/{id}', 'GET /buckets', 'GET …/records/{id} (2)', 'DELETE …/very-long-segment-…'])
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(CHART_LABEL_MAX)
  })

  it.each(HOSTILE)('show %j as text: no quote, newline or markup that would end the label or reach the page', (text) => {
    const [label] = shortLabels([text])
    expect(label).not.toMatch(/["\n\r<>&#;`]/)
  })
})
