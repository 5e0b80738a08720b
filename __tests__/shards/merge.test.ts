import { checkShards, shardPlanOf } from '../../src/shards/merge.js'
import type { ShardFile } from '../../src/shards/shard-file.js'
import { UserError } from '../../src/errors.js'

const EMPTY = { histogram: '', requests: 0, durations: 0, sum_ms: 0, min_ms: null, max_ms: null, failed_total: 0, failed_matches: 0, hops: 0 }

function shard(index: number, count: number, over: Partial<ShardFile> = {}): ShardFile {
  return {
    kind: 'perf-xi-shard',
    version: 1,
    shard: { index, count },
    plan_fingerprint: 'aaaaaaaaaaaaaaaa',
    status: 'ok',
    k6_version: '1.8.1',
    k6_exit_code: 0,
    ready_at_ms: 1000,
    resume_at_ms: 5000,
    resumed_at_ms: 5000 + index * 10,
    wall_time_ms: 4000,
    stats: { endpoints: [], total: { ...EMPTY, requests: 10 * index }, first_ms: 5000, last_ms: 8000, vus_max: 1, samples: 0, overflow_samples: 0 },
    ...over,
  }
}

describe('checking the shards of one run before merging', () => {
  it('refuses a merge with no shard artifacts, in one line', () => {
    expect(() => shardPlanOf([])).toThrow(UserError)
    expect(() => shardPlanOf([])).toThrow(/^mode merge: no shard artifacts .* run the shard jobs \(input shard: i\/N\) first/)
  })

  it('refuses shards of different plans, naming which shard ran which', () => {
    const files = [shard(1, 2), shard(2, 2), shard(1, 3, { plan_fingerprint: 'bbbbbbbbbbbbbbbb' })]
    expect(() => shardPlanOf(files)).toThrow(
      'mode merge: shards of different plans in one workflow run (1/2, 2/2 of plan aaaaaaaaaaaaaaaa; 1/3 of plan bbbbbbbbbbbbbbbb); every shard job must use the same config, spec, base URL and shard count',
    )
  })

  it('refuses shards of another plan than the merge job builds', () => {
    expect(() => checkShards([shard(1, 1)], 'cccccccccccccccc')).toThrow(
      /the shards ran plan aaaaaaaaaaaaaaaa, but this job's config and spec give plan cccccccccccccccc/,
    )
  })

  it('names every missing and failed shard', () => {
    const failed = shard(2, 4, { status: 'failed', reason: 'shard 2/4: waited 600 s for the other shards; not ready: 3/4', stats: null })
    const checked = checkShards([shard(1, 4), failed, shard(4, 4)], 'aaaaaaaaaaaaaaaa')
    expect(checked.problems).toEqual([
      'shard 2/4: waited 600 s for the other shards; not ready: 3/4',
      'shard 3/4 missing: no shard artifact in this workflow run (its job failed or was cancelled before storing one)',
    ])
    expect(checked.section.shards.map((s) => s.status)).toEqual(['ok', 'failed', 'missing', 'ok'])
    expect(checked.states).toHaveLength(2)
    expect(checked.section.start_skew_ms).toBeNull()
  })

  it('reports how far apart the shards started', () => {
    const checked = checkShards([shard(1, 3), shard(2, 3), shard(3, 3)], 'aaaaaaaaaaaaaaaa')
    expect(checked.problems).toEqual([])
    expect(checked.section.start_skew_ms).toBe(20)
    expect(checked.section.confirmation_rerun).toBe(false)
  })
})
