/**
 * The pull-request comment and the annotations, rendered from a real results file (a failed run of
 * the sample API) and a base-branch history.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { judge } from '../../src/baseline/judge.js'
import { compareWithBaseline, type HistoryEntry } from '../../src/baseline/regression.js'
import { selectAnnotations } from '../../src/report/annotations.js'
import { renderPrComment } from '../../src/report/comment.js'
import { capCommentBody, commentMarker, GITHUB_COMMENT_MAX } from '../../src/github/comment.js'
import { oneLine } from '../../src/report/markdown.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'
import { elements, hrefs, liveReferences, renderGfm, reportCases, visibleText } from './gfm.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')
const current = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')))

/** Base-branch runs like this one, except that GET /reports/slow used to take 110 ms, not 153 ms. */
function history(runs: number): ResultsFile[] {
  return Array.from({ length: runs }, (_, i) => ({
    ...current,
    run: { ...current.run, id: `base-${i}`, finished_at: new Date(Date.parse(current.run.finished_at) - (i + 1) * 3_600_000).toISOString() },
    verdict: 'pass' as const,
    slis: current.slis.map((s) => {
      const wobble = 1 + ((i % 3) - 1) * 0.03
      const p95 = s.endpoint === 'GET /reports/slow' ? 110 * wobble : (s.p95_ms ?? 0) * wobble
      return { ...s, p95_ms: p95, p99_ms: (s.p99_ms ?? 0) * wobble, rps: s.rps, error_rate_pct: s.error_rate_pct }
    }),
  }))
}

function judged(entries: HistoryEntry[], failOn: 'slo' | 'regression' | 'both' = 'both'): ResultsFile {
  const report = compareWithBaseline(current.slis, entries)
  return judge(current, { baseline: { report, source: 'artifact perf-xi-results', branch: 'main', notes: [], confirmedWithRerun: [] }, failOn })
}

describe('the PR comment', () => {
  const results = judged(history(5))
  const comment = renderPrComment(results, { artifactUrl: 'https://github.com/acme/checkout-api/actions/runs/1#artifacts', serverUrl: 'https://github.com' })
  const lines = comment.split('\n')

  it('says the verdict in its first line, with the regressions counted', () => {
    expect(lines[0]).toBe('## ❌ Perf-Xi: FAIL — 1 SLO breach, 1 regression against the baseline')
  })

  it('lists the breach, then the regression, before any table', () => {
    const tableAt = lines.findIndex((l) => l.startsWith('| Endpoint |'))
    const breachAt = lines.findIndex((l) => l.startsWith('- GET /reports/slow: p95'))
    const regressionAt = lines.findIndex((l) => l.startsWith('- GET /reports/slow: regressed, p95'))
    expect(breachAt).toBeGreaterThan(0)
    expect(regressionAt).toBeGreaterThan(breachAt)
    expect(tableAt).toBeGreaterThan(regressionAt)
  })

  it('tells how many earlier runs of which branch it compared with', () => {
    expect(comment).toContain('**Baseline:** 5 earlier runs of `main` (artifact perf-xi-results).')
  })

  it('shows every endpoint with its figures against their SLO limits and its change against the baseline, in seven columns', () => {
    expect(lines.find((l) => l.startsWith('| Endpoint |'))).toBe('| Endpoint | p95 | p99 | Errors | req/s | SLO | vs base |')
    const slow = lines.find((l) => l.startsWith('| GET /<wbr>reports/<wbr>slow |'))!
    expect(slow).toMatch(/^\| GET \/<wbr>reports\/<wbr>slow \| \*\*153&nbsp;ms\*\* \/&nbsp;100 \+(39|40)%&nbsp;🔴 \| 158&nbsp;ms \/&nbsp;600 \|/)
    expect(slow).toMatch(/\| ❌&nbsp;fail \| 🔴&nbsp;regressed \|$/)
    expect(lines.find((l) => l.startsWith('| GET /<wbr>search |'))).toMatch(/\| unchanged \|$/)
    expect(lines.filter((l) => /^\| (GET|POST) /.test(l))).toHaveLength(current.slis.length)
  })

  it('draws p95 against the baseline as a horizontal mermaid chart, the regressed endpoint first', () => {
    expect(comment).toContain('<details><summary>Chart: p95 of this run as % of the baseline (the red line, 100 = as before)</summary>')
    expect(comment).toContain('xychart-beta horizontal\n  title "p95 against the baseline"')
    expect(comment).toMatch(/ {2}x-axis \["GET \/reports\/slow", /)
    expect(comment).toMatch(/ {2}bar \[14\d, 1\d\d, /)
    expect(comment).toMatch(/ {2}line \[100, 100, /)
  })

  it('links the run and the results artifact in the details', () => {
    expect(comment).toContain(
      '- [Results artifact](https://github.com/acme/checkout-api/actions/runs/1#artifacts) (`perf-xi-results.json`: every figure of this run)',
    )
    expect(comment).not.toMatch(/next runs' baseline/)
  })
})

describe('the baseline line', () => {
  it('ends its headline as a sentence, and names the re-measured endpoints once, in the run details', () => {
    const report = compareWithBaseline(current.slis, history(5))
    const results = judge(current, {
      baseline: { report, source: 'artifact perf-xi-results', branch: 'main', notes: [], confirmedWithRerun: ['GET /reports/slow', 'GET /search'] },
      failOn: 'both',
    })
    const comment = renderPrComment(results)
    const baseline = comment.split('\n').find((l) => l.startsWith('**Baseline:**'))!
    expect(baseline).toMatch(/\.$/)
    expect(baseline).not.toMatch(/Re-measured/i)
    expect(comment).toContain('- Re-measured in a confirmation run before being judged: GET /reports/slow, GET /search')
  })

  it('on a first run, says the run is judged on its SLOs alone, and no column waits for a baseline', () => {
    const comment = renderPrComment(judged([]))
    expect(comment).toContain(
      '**No baseline:** no earlier successful run of `main` (artifact perf-xi-results) left results to compare with, so this run is judged on its SLOs alone.',
    )
    expect(comment).toContain('| Endpoint | p95 | p99 | Errors | req/s | SLO |\n')
  })
})

describe('a comment rendered from a results file full of hostile strings (a fork writes it; mode comment posts it)', () => {
  const marker = commentMarker({ workflow: 'perf.yml', job: 'perf', config: '.github/perf-xi.yml' })
  /** As postComment renders it: the artifact link comes from run.url, the server from GITHUB_SERVER_URL. */
  const render = (results: ResultsFile) =>
    renderGfm(
      capCommentBody(
        `${marker}\n${renderPrComment(results, { artifactUrl: results.run.url ? `${results.run.url}#artifacts` : undefined, serverUrl: 'https://github.com' })}`,
        marker,
      ),
    )

  describe.each(reportCases())('$what', ({ benign, hostile }) => {
    const html = render(hostile)

    it('has exactly the elements the same comment has with plain words: no heading, image, link or HTML of its own', () => {
      expect(elements(html)).toEqual(elements(render(benign)))
      expect(elements(html).filter((e) => /^h\d$/.test(e))).toEqual(['h2'])
      expect(hrefs(html)).toEqual([])
    })

    it('leaves no mention, issue reference, bare URL or email live, and only its own marker as an HTML comment', () => {
      expect(liveReferences(html)).toEqual([])
      expect(html.match(/<!--/g)).toHaveLength(1)
      expect(html.startsWith(marker)).toBe(true)
    })

    it('shows every endpoint name as it is, on one line', () => {
      const text = visibleText(html)
      for (const sli of hostile.slis) expect(text).toContain(oneLine(sli.endpoint).trim())
    })

    it("shows the fork's run URL as code, not as a link", () => {
      expect(html).toContain(
        `<code>${oneLine(hostile.run.url!).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</code>`,
      )
    })
  })

  it("fits GitHub's limit for a run of 20,000 endpoints, saying how much was left out", () => {
    const [{ benign }] = reportCases()
    const huge: ResultsFile = {
      ...benign,
      slis: Array.from({ length: 20_000 }, (_, i) => ({ ...benign.slis[0]!, endpoint: `GET /resources/${i}/details/{id}` })),
    }
    const body = capCommentBody(`${marker}\n${renderPrComment(huge)}`, marker)
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX)
    expect(body).toMatch(/\n\n… \d+ more lines in the job summary$/)
    expect(body.split('\n')[1]).toMatch(/^## /)
  })
})

describe('baseline states a reader must tell apart', () => {
  it.each([
    ['no earlier run', [], '**No baseline:** no earlier successful run of `main`'],
    [
      'only unreadable runs',
      [{ unreadable: true as const, runId: '77', reason: 'perf-xi-results.json is not valid JSON' }],
      '**Baseline unreadable:** earlier results from `main` (artifact perf-xi-results) could not be read (run 77: perf-xi-results.json is not valid JSON)',
    ],
    ['two runs only', history(2), '**Too little history to judge:** 2 earlier runs of `main`'],
  ])('%s', (_what, entries, expected) => {
    const results = judged(entries as HistoryEntry[])
    expect(renderPrComment(results)).toContain(expected)
    expect(results.regressions).toEqual([])
  })
})

describe('fail-on', () => {
  it('regression fails the gate on a regression even when it would pass SLO-wise', () => {
    const passing = { ...current, verdict: 'pass' as const, reasons: ['all 3 SLO limits held'], slo_breaches: [], ci_gate: 'pass' as const }
    const report = compareWithBaseline(passing.slis, history(5))
    const results = judge(passing, { baseline: { report, source: 'artifact', branch: 'main', notes: [], confirmedWithRerun: [] }, failOn: 'regression' })
    expect(results.verdict).toBe('fail')
    expect(results.ci_gate).toBe('fail')
    expect(results.reasons).toEqual([expect.stringMatching(/^GET \/reports\/slow: regressed, /)])
  })

  it('slo only warns on a regression', () => {
    const passing = { ...current, verdict: 'pass' as const, reasons: ['all 3 SLO limits held'], slo_breaches: [], ci_gate: 'pass' as const }
    const report = compareWithBaseline(passing.slis, history(5))
    const results = judge(passing, { baseline: { report, source: 'artifact', branch: 'main', notes: [], confirmedWithRerun: [] }, failOn: 'slo' })
    expect(results.verdict).toBe('warn')
    expect(results.ci_gate).toBe('pass')
  })
})

describe('annotations', () => {
  it('pin each breach to its limit line in the config, most severe first, within GitHub limits', () => {
    const many: ResultsFile = {
      ...current,
      slo_checks: Array.from({ length: 25 }, (_, i) => ({
        endpoint: `GET /e${i}`,
        limit: 'p95',
        threshold: 100,
        actual: 101 + i,
        status: 'fail' as ResultsFile['slo_checks'][number]['status'],
        selector: '*',
        line: 7,
      })).concat(
        Array.from({ length: 3 }, (_, i) => ({
          endpoint: `GET /w${i}`,
          limit: 'p95',
          threshold: 100,
          actual: 92 + i,
          status: 'warn' as const,
          selector: '*',
          line: 7,
        })),
      ),
      regressions: [],
    }
    const annotations = selectAnnotations(many, '.github/perf-xi.yml')
    const errors = annotations.filter((a) => a.level === 'error')
    const warnings = annotations.filter((a) => a.level === 'warning')
    expect(errors).toHaveLength(10)
    expect(errors[0]).toEqual({
      level: 'error',
      title: 'SLO breached: GET /e24',
      message: 'GET /e24: p95 125 ms breached (SLO < 100 ms)',
      file: '.github/perf-xi.yml',
      line: 7,
    })
    expect(errors[9]).toMatchObject({ title: '16 more', message: '…and 16 more breaches; every one is in the job summary and the results file' })
    expect(warnings.map((w) => w.title)).toEqual(['SLO close to its limit: GET /w2', 'SLO close to its limit: GET /w1', 'SLO close to its limit: GET /w0'])
  })

  it.each(reportCases().slice(0, 2))('keep each hostile name on one line, as plain text ($what)', ({ hostile }) => {
    const annotations = selectAnnotations(hostile, '.github/perf-xi.yml')
    expect(annotations.length).toBeGreaterThan(0)
    for (const a of annotations) {
      expect(`${a.title}${a.message}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/)
      expect(a.message).not.toMatch(/^\s*::/)
    }
  })

  it('carry the real breach of the sample run at the line of its limit', () => {
    expect(selectAnnotations(current, '.github/perf-xi.yml').filter((a) => a.level === 'error')).toEqual([
      expect.objectContaining({ title: 'SLO breached: GET /reports/slow', file: '.github/perf-xi.yml', line: expect.any(Number) }),
    ])
  })
})
