import { compareWithBaseline } from '../../src/baseline/regression.js'
import { judge } from '../../src/baseline/judge.js'
import { CHANGE_POINTS_LISTED_MAX, changePointNote, renderChangePointLines, renderChangePointSummary } from '../../src/report/change-points.js'
import { renderPrComment } from '../../src/report/comment.js'
import { renderSummaryMarkdown } from '../../src/report/summary.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { results, sli } from '../baseline/results-builder.js'

/** Base-branch runs, newest first: p95 of GET /search ~100 ms, then ~135 ms for the newest `stepped` runs. */
function history(runs: number, stepped: number, endpoints = ['GET /search']): ResultsFile[] {
  const wobble = [1, 1.03, 0.98, 1.01, 0.97, 1.02, 0.99, 1.04, 0.96, 1]
  return Array.from({ length: runs }, (_, age) => {
    const r = results(
      endpoints.map((endpoint) => sli(endpoint, { p95_ms: 100 * wobble[age % wobble.length] * (age < stepped ? 1.35 : 1) })),
      { id: `run-${runs - age}`, finishedAt: new Date(Date.UTC(2026, 10, 20 + runs - age)).toISOString() },
    )
    return { ...r, run: { ...r.run, sha: `${String(runs - age).padStart(2, '0')}c1234${'0'.repeat(31)}` } }
  })
}

function judged(past: ResultsFile[], endpoints = ['GET /search']): ResultsFile {
  const now = results(
    endpoints.map((endpoint) => sli(endpoint, { p95_ms: 136 })),
    { finishedAt: '2026-12-04T10:00:00.000Z' },
  )
  const report = compareWithBaseline(now.slis, past, { changePoints: true })
  return judge(now, { baseline: { report, source: 'artifacts of perf.yml', branch: 'main', notes: [], confirmedWithRerun: [] }, failOn: 'both' })
}

describe('change points in the comment and the job summary', () => {
  test('the comment says where the base branch stepped and that the pull request was compared with the runs since', () => {
    const r = judged(history(12, 3))
    const lines = renderChangePointLines(r).join('\n')
    expect(lines).toContain('**The base branch changed:** this metric was compared only with the runs since.')
    expect(lines).toMatch(
      /- p95 of `GET \/search` stepped up 3\d% \(\d+ ms → 13\d ms\) at `main@10c1234` \(2026-11-30\), 3 runs ago; compared with the 3 runs since/,
    )
    expect(renderPrComment(r)).toContain(lines)
    // Compared with the three runs since, 136 ms is no regression; against the whole history it would be.
    expect(r.regressions).toEqual([])
    expect(r.baseline?.comparisons.find((c) => c.metric === 'p95_ms')?.reason).toContain('noise of 3 runs')
  })

  test('the job summary links the commit where each change began', () => {
    const r = judged(history(12, 3))
    const summary = renderSummaryMarkdown(r, { serverUrl: 'https://github.com' })
    expect(summary).toContain('### Change points in the base branch')
    // mdText keeps "@" from mentioning anyone with a zero-width joiner.
    expect(summary).toMatch(/\[main@\u200d?10c1234\]\(https:\/\/github\.com\/octo\/shop\/commit\/10c12340{31}\)/)
    expect(renderChangePointSummary(r).join('\n')).not.toContain('](') // no server URL, no link
    expect(summary).toMatch(/E-divisive means with a permutation test \(100 permutations, p ≤ 0\.001\), as Apache Otava, over 12 runs/)
  })

  test('a steady history: nothing in the comment, "no step change" in the job summary, the whole history compared', () => {
    const r = judged(history(12, 0))
    expect(renderChangePointLines(r)).toEqual([])
    expect(renderChangePointSummary(r).join('\n')).toContain("No step change in any endpoint's metric")
    expect(r.baseline?.comparisons.find((c) => c.metric === 'p95_ms')?.reason).toContain('noise of 12 runs')
    expect(r.regressions.map((c) => c.metric)).toEqual(['p95_ms'])
  })

  test('fewer than 6 runs: says so, and compares with all of them as before', () => {
    const r = judged(history(5, 2))
    expect(r.change_points).toMatchObject({ status: 'too-few', runs: 5, min_runs: 6, shifts: [] })
    // Said once, in the comment's run details: with the default history of 5 it would head every comment.
    expect(renderChangePointLines(r)).toEqual([])
    expect(renderPrComment(r)).toContain(
      '- Change points: 5 runs of the base branch, 6 are needed to look for step changes (`baseline.history` of 20 or more finds them reliably); compared with all of them.',
    )
    expect(renderChangePointSummary(r).join('\n')).toContain('5 runs: 6 are needed to look for step changes, so this run was compared with all of them.')
    expect(r.baseline?.comparisons.find((c) => c.metric === 'p95_ms')?.reason).toContain('noise of 5 runs')
  })

  test('no history at all: the baseline line speaks, change points say nothing', () => {
    const r = judged([])
    expect(renderChangePointLines(r)).toEqual([])
    expect(renderChangePointSummary(r)).toEqual([])
    expect(changePointNote(r)).toBeUndefined()
  })

  test(`many steps: ${CHANGE_POINTS_LISTED_MAX} listed, the rest counted`, () => {
    const endpoints = Array.from({ length: CHANGE_POINTS_LISTED_MAX + 3 }, (_, i) => `GET /items/${i}`)
    const r = judged(history(12, 4, endpoints), endpoints)
    const lines = renderChangePointLines(r)
    expect(lines.filter((l) => l.startsWith('- p95'))).toHaveLength(CHANGE_POINTS_LISTED_MAX)
    expect(lines).toContain("- and 3 more (every one is in the results file's `change_points`)")
  })
})
