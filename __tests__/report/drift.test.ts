/**
 * Drift in the PR comment, the job summary and the console, rendered from results files of real runs
 * (the CLI with __tests__/fixtures/gate/drift-leak.yml against the sample API's GET /retained, 30 s
 * at 20 requests/s): leaking 100 µs per request with max-drift 20% (fail), the same without
 * max-drift (a finding only), and without the leak (no drift).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderPrComment } from '../../src/report/comment.js'
import { DRIFT_FINDINGS_SHOWN, renderDriftCharts, renderDriftSection } from '../../src/report/drift.js'
import { renderConsoleReport, renderSummaryMarkdown } from '../../src/report/summary.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')
const read = (name: string): ResultsFile => ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')))

describe('drift past max-drift', () => {
  const results = read('drift-fail-results.json')
  const lines = renderPrComment(results).split('\n')

  it('fails the headline for the drift and lists every trend before any table, the breach marked', () => {
    expect(lines[0]).toBe('## ❌ Perf-Xi: FAIL — drift past max-drift')
    const section = lines.findIndex((l) => l.startsWith('**Drift** ❌ 1 trend over 21 windows of 1.25s, 2.5s–29s of the run (max-drift 20%):'))
    expect(section).toBeGreaterThan(0)
    expect(section).toBeLessThan(lines.findIndex((l) => l.startsWith('| Endpoint')))
    expect(lines[section + 2]).toMatch(
      /^- ❌ p95 of GET \/retained rose [\d.]+ ms per minute, \+\d+% from the first to the last quarter of the run, p &lt; 0\.001$/,
    )
  })

  it("charts the endpoint's p95 per window in the job summary, one point per window", () => {
    const summary = renderSummaryMarkdown(results)
    const chart = summary.slice(summary.indexOf('```mermaid\nxychart-beta\n'))
    expect(chart).toContain('  title "p95 of GET /retained per 1.25s window"\n  x-axis "minutes from the start" 0.04 --> 0.48\n')
    const points = /\n {2}line \[([^\]]*)\]/.exec(chart)![1]!.split(', ')
    expect(points).toHaveLength(results.drift!.windows)
    // The comment stays short: no chart there.
    expect(renderPrComment(results)).not.toContain('xychart-beta\n  title "p95 of')
  })
})

describe('drift without max-drift', () => {
  const results = read('drift-finding-results.json')

  it('passes, and still shows the trends first, as findings', () => {
    const lines = renderPrComment(results).split('\n')
    expect(lines[0]).toBe('## ✅ Perf-Xi: PASS — 1 endpoint within their SLOs')
    expect(lines[2]).toMatch(/^\*\*Drift\*\* 📈 1 trend over 21 windows of 1\.25s, .*\(no max-drift set: a finding, not a verdict\):$/)
    expect(lines.filter((l) => l.startsWith('- ❌'))).toEqual([])
    expect(renderConsoleReport(results)).toContain(`  - ${results.drift!.reason}`)
  })

  it('lists at most the first findings and counts the rest', () => {
    const many = structuredClone(results)
    const finding = many.drift!.findings[0]!
    many.drift!.findings = Array.from({ length: DRIFT_FINDINGS_SHOWN + 3 }, (_, i) => ({ ...finding, endpoint: `GET /e${i}` }))
    const section = renderDriftSection(many)
    expect(section.filter((l) => l.startsWith('- '))).toHaveLength(DRIFT_FINDINGS_SHOWN + 1)
    expect(section).toContain('- and 3 more in the results file')
  })
})

describe('no drift', () => {
  const results = read('drift-none-results.json')

  it('one line saying what was tested, and no chart', () => {
    expect(renderPrComment(results).split('\n')[2]).toBe('**Drift** ✅ No drift in 3 series over 21 windows of 1.25s (Mann–Kendall, Hamed–Rao, p &lt; 0.01).')
    expect(renderDriftCharts(results)).toEqual([])
  })

  it('nothing at all for a run not judged for drift', () => {
    const { drift: _drift, ...notJudged } = results
    expect(renderDriftSection(notJudged)).toEqual([])
    expect(renderDriftCharts(notJudged)).toEqual([])
  })
})

describe('too few windows with max-drift set', () => {
  // The steady run's file as a 10 s run would have written it: 5 windows, a criterion not judged.
  const reason = 'drift not tested: 5 windows of 1.25s at peak load after warm-up, at least 8 are needed for a trend test'
  const base = read('drift-none-results.json')
  const results: ResultsFile = {
    ...base,
    verdict: 'warn',
    reasons: [reason],
    drift: { ...base.drift!, status: 'too-few-windows', reason, windows: 5, tested: 0 },
  }

  it('warns in the headline and says why once, in the comment and in the console', () => {
    const comment = renderPrComment(results)
    expect(comment.split('\n')[0]).toBe('## ⚠️ Perf-Xi: WARN — drift not tested (too few windows)')
    expect(comment.split(reason.replace('drift not tested: ', '')).length - 1).toBe(1)
    expect(renderConsoleReport(results).split(reason).length - 1).toBe(1)
  })
})
