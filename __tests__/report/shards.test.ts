import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderPrComment } from '../../src/report/comment.js'
import { renderSummaryMarkdown } from '../../src/report/summary.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')
const single = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')))

const shards = (over: Partial<NonNullable<ResultsFile['shards']>> = {}): ResultsFile => ({
  ...single,
  shards: {
    count: 3,
    plan_fingerprint: '0123456789abcdef',
    start_skew_ms: 12,
    shards: [1, 2, 3].map((i) => ({ shard: `${i}/3`, status: 'ok' as const, requests: 1000 + i, resumed_at: null, reason: null })),
    confirmation_rerun: false,
    ...over,
  },
})

describe('a merged sharded run in the comment and the job summary', () => {
  it('says how many shards ran, how far apart they started, and that no confirmation re-run was made', () => {
    for (const text of [renderPrComment(shards()), renderSummaryMarkdown(shards())]) {
      expect(text).toContain('Sharded run: 3 shards of plan `0123456789abcdef`, started within 12 ms of each other')
      expect(text).toContain('regressions judged without a confirmation re-run')
      expect(text).toContain('1/3: 1001 requests · 2/3: 1002 requests · 3/3: 1003 requests')
    }
  })

  it('says that drift was not judged where one runner would have judged it, and only there', () => {
    const note = 'regressions judged without a confirmation re-run; drift not judged (shards keep no per-endpoint windows: run soak tests on one runner).'
    for (const text of [renderPrComment(shards({ drift_judged: false })), renderSummaryMarkdown(shards({ drift_judged: false }))]) expect(text).toContain(note)
    expect(renderPrComment(shards())).not.toContain('drift')
  })

  it('names each shard that did not run', () => {
    const partial = shards({
      start_skew_ms: null,
      shards: [
        { shard: '1/2', status: 'ok', requests: 10, resumed_at: null, reason: null },
        { shard: '2/2', status: 'missing', requests: 0, resumed_at: null, reason: 'no shard artifact' },
      ],
    })
    expect(renderPrComment(partial)).toContain('- Shard 2/2 missing: no shard artifact')
    expect(renderPrComment(partial)).toContain('not all started')
  })

  it('adds nothing to a run on one runner', () => {
    expect(renderPrComment(single)).not.toContain('Sharded run')
  })
})
