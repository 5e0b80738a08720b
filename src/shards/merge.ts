/**
 * The merge job's checks on the shard files of one workflow run: all of one plan, every shard
 * present and run to its end. Shards of different plans, or of another plan than the merge job
 * builds, are bad input (one line, no verdict); a missing or failed shard makes the merged run an
 * `error` verdict naming it, never a pass on part of the load.
 */
import { UserError } from '../errors.js'
import type { ResultsFile } from '../results/schema.js'
import type { AggregatorState, ShardFile } from './shard-file.js'

export type ShardsSection = NonNullable<ResultsFile['shards']>

export interface CheckedShards {
  count: number
  fingerprint: string
  /** The states of the shards that ran, in shard order. */
  states: AggregatorState[]
  /** One line per missing or failed shard; empty when all ran. */
  problems: string[]
  section: ShardsSection
}

/** The shard count and plan the files claim; throws when there are none or they disagree. */
export function shardPlanOf(files: readonly ShardFile[]): { count: number; fingerprint: string } {
  if (files.length === 0) {
    throw new UserError(
      'mode merge: no shard artifacts (perf-xi-shard-i-of-N-…) in this workflow run; run the shard jobs (input shard: i/N) first and make the merge job need them',
    )
  }
  const byPlan = new Map<string, string[]>()
  for (const f of files) byPlan.set(f.plan_fingerprint, [...(byPlan.get(f.plan_fingerprint) ?? []), `${f.shard.index}/${f.shard.count}`])
  if (byPlan.size > 1) {
    const listed = [...byPlan.entries()].map(([fp, shards]) => `${shards.join(', ')} of plan ${fp}`).join('; ')
    throw new UserError(
      `mode merge: shards of different plans in one workflow run (${listed}); every shard job must use the same config, spec, base URL and shard count`,
    )
  }
  return { count: files[0]!.shard.count, fingerprint: files[0]!.plan_fingerprint }
}

/**
 * Checks the files against the plan the merge job built (its fingerprint) and lists what is missing
 * or failed; `attempt` is the workflow run's attempt they all come from.
 */
export function checkShards(files: readonly ShardFile[], expectedFingerprint: string, attempt = 1): CheckedShards {
  const { count, fingerprint } = shardPlanOf(files)
  if (fingerprint !== expectedFingerprint) {
    throw new UserError(
      `mode merge: the shards ran plan ${fingerprint}, but this job's config and spec give plan ${expectedFingerprint}; run the merge with the same config, spec and base URL as the shards`,
    )
  }
  const byIndex = new Map<number, ShardFile>()
  for (const f of files) if (!byIndex.has(f.shard.index)) byIndex.set(f.shard.index, f)
  const problems: string[] = []
  const rows: ShardsSection['shards'] = []
  const states: AggregatorState[] = []
  for (let index = 1; index <= count; index++) {
    const label = `${index}/${count}`
    const f = byIndex.get(index)
    if (!f) {
      problems.push(
        attempt > 1
          ? `shard ${label} missing: no shard artifact in attempt ${attempt} of this workflow run (a merge takes every shard from the latest attempt with shards; re-run a sharded test with "Re-run all jobs")`
          : `shard ${label} missing: no shard artifact in this workflow run (its job failed or was cancelled before storing one)`,
      )
      rows.push({ shard: label, status: 'missing', requests: 0, resumed_at: null, reason: 'no shard artifact' })
      continue
    }
    const reason = f.status === 'failed' || f.stats === null ? (f.reason ?? 'the shard stored no samples') : null
    if (reason !== null) problems.push(reason.startsWith(`shard ${label}`) ? reason : `shard ${label} failed: ${reason}`)
    else states.push(f.stats!)
    rows.push({
      shard: label,
      status: reason === null ? 'ok' : 'failed',
      requests: f.stats?.total.requests ?? 0,
      resumed_at: f.resumed_at_ms === null ? null : new Date(f.resumed_at_ms).toISOString(),
      reason,
    })
  }
  const resumed = [...byIndex.values()].map((f) => f.resumed_at_ms)
  const allStarted = resumed.length === count && resumed.every((t): t is number => t !== null)
  return {
    count,
    fingerprint,
    states,
    problems,
    section: {
      count,
      plan_fingerprint: fingerprint,
      start_skew_ms: allStarted ? Math.max(...resumed) - Math.min(...resumed) : null,
      shards: rows,
      confirmation_rerun: false,
    },
  }
}
