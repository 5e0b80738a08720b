/**
 * A shard of a sharded run (`shard: 2/4`): which part of the test this job runs, and the k6
 * arguments that give it exactly that part. Every shard passes the same full
 * --execution-segment-sequence, so k6 splits VUs, iterations and arrival rates the same way on
 * every shard and the parts add up to the whole plan (k6's lib/execution_segment.go).
 */

export interface Shard {
  /** 1-based. */
  index: number
  count: number
}

export const MAX_SHARDS = 100

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`
}

/** `i/N` with 1 ≤ i ≤ N ≤ 100, or the problem with it. */
export function parseShard(text: string): Shard | { problem: string } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = match ? Number(match[1]) : NaN
  const count = match ? Number(match[2]) : NaN
  if (!match || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
    return { problem: `input shard: expected i/N with 1 ≤ i ≤ N ≤ ${MAX_SHARDS} (this job runs shard i of N), got ${JSON.stringify(text)}` }
  }
  return { index, count }
}

/** `--execution-segment (i-1)/N:i/N --execution-segment-sequence 0,1/N,…,1`. */
export function executionSegmentArgs(shard: Shard): string[] {
  const point = (k: number): string => (k === 0 ? '0' : k === shard.count ? '1' : `${k}/${shard.count}`)
  const sequence = Array.from({ length: shard.count + 1 }, (_, k) => point(k)).join(',')
  return ['--execution-segment', `${point(shard.index - 1)}:${point(shard.index)}`, '--execution-segment-sequence', sequence]
}
