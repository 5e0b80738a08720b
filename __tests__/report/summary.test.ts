/**
 * The job summary and the console report: safe from the strings a spec, config or results file
 * carries, within GitHub's 1 MiB for any number of endpoints, and a run's error said once.
 */
import { oneLine, utf8Bytes } from '../../src/report/markdown.js'
import { renderConsoleReport, renderSummaryMarkdown, SUMMARY_MAX_BYTES } from '../../src/report/summary.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { elements, hrefs, liveReferences, renderGfm, reportCases, visibleText } from './gfm.js'
import { sampleWithRegressions } from './layout-cases.js'

const cases = reportCases()

describe('a job summary rendered from a results file full of hostile strings', () => {
  describe.each(cases)('$what', ({ benign, hostile }) => {
    const html = renderGfm(renderSummaryMarkdown(hostile, { serverUrl: 'https://github.com' }))

    it('has exactly the elements the same summary has with plain words, and nothing live', () => {
      expect(elements(html)).toEqual(elements(renderGfm(renderSummaryMarkdown(benign, { serverUrl: 'https://github.com' }))))
      expect(elements(html).filter((e) => /^h\d$/.test(e))).toEqual(['h2'])
      expect(hrefs(html)).toEqual([])
      expect(liveReferences(html)).toEqual([])
      expect(html).not.toContain('<!--')
    })

    it('shows every endpoint name as it is, on one line', () => {
      const text = visibleText(html)
      for (const sli of hostile.slis) expect(text).toContain(oneLine(sli.endpoint).trim())
    })
  })

  it("links the run when its URL is on the run's own GitHub server", () => {
    const [{ benign }] = cases
    const results = { ...benign, run: { ...benign.run, url: 'https://github.com/acme/shop/actions/runs/9' } }
    expect(hrefs(renderGfm(renderSummaryMarkdown(results, { serverUrl: 'https://github.com' })))).toEqual(['https://github.com/acme/shop/actions/runs/9'])
  })
})

describe('the console report of hostile strings', () => {
  it.each(cases)('$what: no control character (a terminal escape, a carriage return) and no line the runner would take as a command', ({ hostile }) => {
    const report = renderConsoleReport(hostile)
    expect(report).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/)
    expect(report.split('\n').filter((l) => /^\s*::/.test(l))).toEqual([])
    for (const sli of hostile.slis) expect(report).toContain(oneLine(sli.endpoint).replace(/^::/, ':\u200d:'))
  })
})

describe("a run's error", () => {
  const [, { benign }] = cases
  const errored: ResultsFile = {
    ...benign,
    verdict: 'error',
    reasons: ['/tmp/load.js: invalid k6 configuration (exit code 104): time: invalid duration "zz"', 'GET /a: no requests were measured'],
  }

  it('heads every report once, and the other reasons follow', () => {
    const markdown = renderSummaryMarkdown(errored)
    const consoleReport = renderConsoleReport(errored)
    for (const report of [markdown, consoleReport]) {
      expect(report.split('exit code 104')).toHaveLength(2)
      expect(report).toContain('GET /a: no requests were measured')
    }
    expect(consoleReport.split('\n')[0]).toBe('Perf-Xi: ERROR — /tmp/load.js: invalid k6 configuration (exit code 104): time: invalid duration "zz"')
  })
})

describe('the size of the job summary', () => {
  it('stays within 1 MiB (in bytes) for 20,000 endpoints, keeps the verdict and says how much was left out', () => {
    const [{ benign }] = cases
    const endpoints = Array.from({ length: 20_000 }, (_, i) => ({ ...benign.slis[0]!, endpoint: `GET /ресурсы/${i}/🚀/{id}`, slo_status: 'pass' as const }))
    const huge: ResultsFile = { ...benign, slis: endpoints, skipped: [], skipped_not_listed: 31_000 }
    const summary = renderSummaryMarkdown(huge)
    expect(utf8Bytes(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(utf8Bytes(summary)).toBeGreaterThan(SUMMARY_MAX_BYTES - 500)
    expect(summary.split('\n')[0]).toMatch(/^## ❌ Perf-Xi: FAIL/)
    const left = /\n\n… (\d+) more lines left out: GitHub keeps at most 1 MiB of a job summary\. Every figure is in the results file\.$/.exec(summary)
    expect(Number(left?.[1])).toBeGreaterThan(1000)
  })

  it('names the skipped endpoints the results file names, and counts the rest', () => {
    const [{ benign }] = cases
    const summary = renderSummaryMarkdown({ ...benign, skipped: [{ endpoint: 'GET /a', reason: 'changes data' }], skipped_not_listed: 2_899 })
    expect(summary).toContain('- Skipped 2900 endpoints:\n  - GET /a: changes data\n  - and 2899 more (counted in the results file, not named)')
  })
})

describe('the job summary of a run compared with its baseline', () => {
  const summary = renderSummaryMarkdown(sampleWithRegressions())
  const lines = summary.split('\n')

  it("has one endpoint table, the comment's, with a last row for the whole run", () => {
    expect(lines.filter((l) => l.startsWith('| Endpoint |'))).toEqual(['| Endpoint | p95 | p99 | Errors | req/s | SLO | vs base |'])
    expect(lines.find((l) => l.startsWith('| **All endpoints**'))).toBe('| **All endpoints** (2599 requests) | 151&nbsp;ms |  | 0.19% | 257 |  |  |')
  })

  it('shows the chart, not folded away', () => {
    expect(summary).toContain('Chart: p95 of this run as % of the baseline (the red line, 100 = as before)\n\n```mermaid\n')
  })
})
