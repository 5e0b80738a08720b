/**
 * What the stress and spike profiles found, in the PR comment, the job summary and the console,
 * rendered from results files of real runs (the CLI with __tests__/fixtures/gate/stress-capacity.yml
 * and spike.yml against the sample API: GET /capacity with 4 slots, a queue of 8 and 20 ms of work,
 * 10 s slower after a refusal for the failing spike; GET /health for the passing one).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderPrComment } from '../../src/report/comment.js'
import { renderConsoleReport, renderSummaryMarkdown } from '../../src/report/summary.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')
const read = (name: string): ResultsFile => ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')))

describe('a stress run that found its breaking point', () => {
  const results = read('stress-capacity-results.json')
  const comment = renderPrComment(results)
  const lines = comment.split('\n')

  it('passes the gate: the breaking point is a finding, not a breach', () => {
    expect(lines[0]).toBe('## ✅ Perf-Xi: PASS — 1 endpoint within their SLOs')
    expect(results.ci_gate).toBe('pass')
  })

  it('says where it broke and how it recovered before any table', () => {
    const finding = lines.findIndex((l) => l.startsWith('**Stress** 💥 Breaking point at 8s of 15s, 29 VUs (planned 30): error rate 28.8% &gt; 10%'))
    expect(finding).toBe(2)
    expect(lines[finding]).toContain(
      'highest throughput before it 196 req/s at 20 VUs (planned 20). Recovery: back within the stress SLO 1s after the load fell',
    )
    expect(lines.findIndex((l) => l.startsWith('| Endpoint |'))).toBeGreaterThan(finding)
  })

  it('shows each stage with its planned and measured VUs, throughput, p95 and errors, the breaking point marked', () => {
    const table = lines.filter((l) => /^\| \d\. /.test(l))
    expect(table).toHaveLength(7)
    expect(table[1]).toBe('| 2. hold 1s–4s | 10 | 10 | 138 | 23.7 ms | 0% |')
    expect(table.filter((l) => l.includes('💥 **breaking point**'))).toEqual([
      '| 5. ramp-up 8s–9s 💥 **breaking point** | 20→30 | 29 | 271 | 60.2 ms | 28.78% |',
    ])
    expect(comment).toContain('<sub>Judged in 1s windows: the breaking point is p95 over 5s, errors over 10% or throughput under half its best so far')
  })

  it('is in the job summary too, and the console shows the finding although the verdict passed', () => {
    const summary = renderSummaryMarkdown(results)
    expect(summary).toContain('| 5. ramp-up 8s–9s 💥 **breaking point** | 20→30 | 29 | 271 | 60.2 ms | 28.78% |')
    expect(summary.indexOf('**Stress**')).toBeLessThan(summary.indexOf('| Endpoint |'))
    expect(renderConsoleReport(results).split('\n').slice(0, 3)).toEqual([
      'Perf-Xi: PASS — 1 endpoint within their SLOs',
      `  - ${results.stress!.reason}`,
      `  - ${results.stress!.recovery.reason}`,
    ])
  })
})

describe('a spike run that missed its criteria', () => {
  const results = read('spike-capacity-results.json')
  const comment = renderPrComment(results)
  const lines = comment.split('\n')

  it('fails, saying which criteria it missed in the first line and the figures against the limits next', () => {
    expect(lines[0]).toBe('## ❌ Perf-Xi: FAIL — spike criteria missed (errors during the spike, recovery)')
    expect(lines[2]).toBe('- spike: 94.1% of requests failed during the spike (2668 of 2836), limit &lt; 5%')
    expect(lines[3]).toMatch(/^- spike: did not recover in the 6s after the load dropped \(limit 2s\): still p95 253 ms/)
    expect(results.ci_gate).toBe('fail')
  })

  it('shows each criterion measured against its limit, then the three phases', () => {
    expect(comment).toContain(
      [
        '| Criterion | Measured | Limit | |',
        '|---|---:|---:|---|',
        '| Errors during the spike | 94.08% (2668 of 2836) | &lt; 5% | ❌ |',
        '| Recovery after the drop | not within 6s | ≤ 2s | ❌ |',
      ].join('\n'),
    )
    expect(lines.filter((l) => /^\| (before|spike|recovery) /.test(l)).map((l) => l.split(' | ').slice(0, 3).join(' | '))).toEqual([
      '| before 0s–2s | 10 | 10',
      '| spike 2s–6s | 50 | 50',
      '| recovery 6s–12s | 10 | 10',
    ])
    expect(comment).toMatch(
      /<sub>Recovered: p95 ≤ 73\.8 ms and errors ≤ 1% in every later window \(before the spike: p95 [\d.]+ ms, errors 0%\)\. Judged in 1s windows\.<\/sub>/,
    )
  })

  it('keeps the comment short', () => {
    expect(comment.length).toBeLessThan(3000)
  })
})

describe('a spike run that met its criteria', () => {
  const results = read('spike-health-results.json')

  it('passes, with both criteria ticked in the comment and named in the console', () => {
    const comment = renderPrComment(results)
    expect(comment.split('\n')[0]).toBe('## ✅ Perf-Xi: PASS — 1 endpoint within their SLOs')
    expect(comment).toContain('**Spike** ✅ criteria met')
    expect(comment).toContain('| Errors during the spike | 0% (0 of ')
    expect(comment).toContain('| Recovery after the drop | at once | ≤ 2s | ✅ |')
    expect(renderConsoleReport(results)).toContain('  - spike: recovered as soon as the load dropped (limit 2s;')
  })
})

describe('the results file', () => {
  it('reads files written before stress and spike were reported, with both sections null', () => {
    const older = JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')) as Record<string, unknown>
    expect('stress' in older || 'spike' in older).toBe(false)
    const parsed = ResultsFileSchema.parse(older)
    expect(parsed.stress).toBeNull()
    expect(parsed.spike).toBeNull()
    expect(renderPrComment(parsed)).not.toMatch(/\*\*(Stress|Spike)\*\*/)
  })

  it('keeps every figure of the sections through a write and a read', () => {
    for (const name of ['stress-capacity-results.json', 'spike-capacity-results.json']) {
      const results = read(name)
      expect(ResultsFileSchema.parse(JSON.parse(JSON.stringify(results)))).toEqual(results)
    }
  })
})
