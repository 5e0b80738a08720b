/**
 * The endpoint table of the comment and the job summary: seven columns at most, each figure beside
 * its SLO limit, nothing shown that says nothing, and change marks that mean what they say.
 */
import { judge } from '../../src/baseline/judge.js'
import { compareWithBaseline } from '../../src/baseline/regression.js'
import { renderPrComment } from '../../src/report/comment.js'
import { renderEndpointTable } from '../../src/report/endpoint-table.js'
import { renderSummaryMarkdown } from '../../src/report/summary.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { reportCases } from './gfm.js'
import { firstRun, sampleRun, sampleWithRegressions, twentyEndpoints } from './layout-cases.js'

/** The table's rows, each split into its cells. */
function table(results: ResultsFile): string[][] {
  return renderEndpointTable(results)
    .filter((l) => l.startsWith('| '))
    .map((l) => l.slice(2, -2).split(' | '))
}
const row = (rows: string[][], endpoint: string) => rows.find((r) => r[0]!.replace(/<wbr>/g, '') === endpoint)!

describe('on a first run (no baseline)', () => {
  const rows = table(firstRun())

  it('leaves out the columns only a baseline fills: six columns, no change and no "vs base"', () => {
    expect(rows[0]).toEqual(['Endpoint', 'p95', 'p99', 'Errors', 'req/s', 'SLO'])
    for (const r of rows.slice(1)) expect(r.slice(1, 5).every((cell) => cell !== '–')).toBe(true)
    expect(rows.flat().join(' ')).not.toMatch(/[🔴🟠🟢]|pp\b/u)
  })

  it('shows each figure beside its SLO limit, the breached one in bold', () => {
    expect(row(rows, 'GET /reports/slow')).toEqual([
      'GET /<wbr>reports/<wbr>slow',
      '**153&nbsp;ms** /&nbsp;100',
      '158&nbsp;ms /&nbsp;600',
      '0% /&nbsp;1%',
      '32.1',
      '❌&nbsp;fail',
    ])
    expect(row(rows, 'GET /inventory/flaky').slice(3, 4)).toEqual(['1.54% /&nbsp;5%'])
  })
})

describe('against five base-branch runs', () => {
  const rows = table(sampleWithRegressions())

  it('marks a slower p95 red and more throughput green: the mark says worse or better, the sign says which way', () => {
    expect(row(rows, 'GET /reports/slow')[1]).toMatch(/^\*\*153&nbsp;ms\*\* \/&nbsp;100 \+40%&nbsp;🔴$/)
    expect(row(rows, 'GET /search')[4]).toBe('32 +34%&nbsp;🟢')
    expect(row(rows, 'GET /search')[6]).toBe('🟢&nbsp;improved')
  })

  it('marks less throughput, on a metric that does not gate, orange', () => {
    const current = sampleRun()
    const history = Array.from({ length: 5 }, (_, i) => ({
      ...current,
      run: { ...current.run, id: `base-${i}` },
      slis: current.slis.map((s) => (s.endpoint === 'GET /health' ? { ...s, rps: 45 * (1 + ((i % 3) - 1) * 0.03) } : s)),
    }))
    const results = judge(current, {
      baseline: { report: compareWithBaseline(current.slis, history), source: 'artifact', branch: 'main', notes: [], confirmedWithRerun: [] },
      failOn: 'both',
    })
    const health = row(table(results), 'GET /health')
    expect(health[4]).toMatch(/^32\.1 −2\d%&nbsp;🟠$/)
    expect(health[6]).toBe('🟠&nbsp;worse, not&nbsp;gating')
  })

  it('marks a faster p95 green', () => {
    expect(row(table(twentyEndpoints()), 'POST /batch')[1]).toBe('81&nbsp;ms /&nbsp;500 −33%&nbsp;🟢')
  })

  it('leaves out changes judged unchanged that are within 5 %, and says how to read the marks', () => {
    expect(row(rows, 'GET /account').slice(1, 5)).toEqual(['1.51&nbsp;ms /&nbsp;100', '3.76&nbsp;ms /&nbsp;250', '0% /&nbsp;1%', '32.1'])
    expect(renderEndpointTable(sampleWithRegressions()).join('\n')).toContain(
      '🔴 worse beyond run-to-run noise, 🟠 worse on a metric that does not gate, 🟢 better (for req/s, higher is better)',
    )
  })

  it('shows changes without marks when the history is too short to judge them', () => {
    const current = sampleRun()
    const history = [0, 1].map((i) => ({
      ...current,
      run: { ...current.run, id: `b${i}` },
      slis: current.slis.map((s) => ({ ...s, p95_ms: (s.p95_ms ?? 0) / 2 })),
    }))
    const results = judge(current, {
      baseline: { report: compareWithBaseline(current.slis, history), source: 'artifact', branch: 'main', notes: [], confirmedWithRerun: [] },
      failOn: 'both',
    })
    const account = row(table(results), 'GET /account')
    expect(account[1]).toBe('1.51&nbsp;ms /&nbsp;100 +100%')
    expect(account[6]).toBe('too little history')
    expect(renderEndpointTable(results).join('\n')).toContain('Change against the baseline, not judged: too little history')
  })
})

describe('cells and columns with nothing to say', () => {
  const base = firstRun()

  it('says "not measured" where a limit is set and k6 reported no figure', () => {
    const results: ResultsFile = {
      ...base,
      slis: base.slis.map((s) => (s.endpoint === 'GET /account' ? { ...s, p99_ms: null } : s)),
      slo_checks: base.slo_checks.map((c) => (c.endpoint === 'GET /account' && c.limit === 'p99' ? { ...c, actual: null, status: 'no-data' as const } : c)),
    }
    expect(row(table(results), 'GET /account')[2]).toBe('– /&nbsp;250 <sub>not measured</sub>')
  })

  it('leaves out a figure column no endpoint has and no limit asks for', () => {
    const results: ResultsFile = { ...base, slis: base.slis.map((s) => ({ ...s, p99_ms: null })), slo_checks: base.slo_checks.filter((c) => c.limit !== 'p99') }
    expect(table(results)[0]).toEqual(['Endpoint', 'p95', 'Errors', 'req/s', 'SLO'])
  })

  it('shows limits without a column of their own (p90, max) in the SLO cell', () => {
    const results: ResultsFile = {
      ...base,
      slo_checks: [...base.slo_checks, { endpoint: 'GET /search', limit: 'max', threshold: 5, actual: 9.9, status: 'fail', selector: null, line: null }],
    }
    expect(row(table(results), 'GET /search')[5]).toMatch(/^✅&nbsp;pass<br>max&nbsp;\*\*\d+\.\d+&nbsp;ms\*\* \/&nbsp;5$/)
  })
})

describe('every report, whatever the run', () => {
  const cases = [...reportCases().map((c) => c.benign), firstRun(), sampleWithRegressions(), twentyEndpoints()]

  it.each(cases.map((results, i) => ({ i, results })))(
    'has tables of at most seven columns, and one endpoint table in the job summary (case $i)',
    ({ results }) => {
      for (const markdown of [renderPrComment(results), renderSummaryMarkdown(results)]) {
        const headers = markdown.split('\n').filter((l, i, all) => l.startsWith('|') && all[i + 1]?.startsWith('|---'))
        expect(headers.length).toBeGreaterThan(0)
        for (const header of headers) expect(header.split(' | ').length).toBeLessThanOrEqual(7)
      }
      expect(
        renderSummaryMarkdown(results)
          .split('\n')
          .filter((l) => l.startsWith('| Endpoint |')),
      ).toHaveLength(1)
    },
  )

  it('lets a long path wrap at its slashes rather than widen the table', () => {
    const rows = table(twentyEndpoints())
    expect(rows[1]![0]).toBe('GET /<wbr>buckets/<wbr>{bucket\\_id}/<wbr>collections/<wbr>{collection\\_id}/<wbr>records/<wbr>{id}')
  })
})
