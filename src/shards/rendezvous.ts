/**
 * Shards start together: matrix jobs start minutes apart, so each shard, once its k6 is ready and
 * paused, stores a small "ready" marker in the run's store and waits until all N are listed. They
 * all then read the same creation times from the store and resume at the same instant:
 * max(ready) + margin. A shard that waits past the bound gives up rather than run alone.
 * Shards meet only shards of their own attempt of the workflow run. A re-run of failed jobs only
 * re-runs some shards; the ones that completed in an earlier attempt never come, so a re-run shard
 * that, after a short grace, sees none of them ready in its attempt fails at once, saying so.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { downloadShardFile, readyName, shardItems, type ShardItem } from './artifacts.js'
import { shardLabel, type Shard } from './shard.js'
import type { ShardStore, StoredItem } from './store.js'

export interface RendezvousOptions {
  store: ShardStore
  shard: Shard
  fingerprint: string
  workDir: string
  /** Longest wait for the other shards, from this shard's ready marker. */
  waitMs: number
  /** How often the store is listed. */
  pollMs: number
  /** Room after the last marker for every shard to see it: at least two polls. */
  marginMs: number
  /**
   * A re-run (attempt > 1): how long, from this shard's ready marker, to wait for a shard that
   * completed in an earlier attempt before concluding that only failed jobs were re-run. Default
   * RERUN_GRACE_MS, never past waitMs.
   */
  rerunGraceMs?: number
  signal?: AbortSignal
}

/** Jobs of "Re-run all jobs" are queued together: their shards get ready well within this of each other. */
export const RERUN_GRACE_MS = 2 * 60_000

export interface Agreement {
  readyAtMs: number
  resumeAtMs: number
}

export class ShardWaitError extends Error {}

export async function agreeOnStart(opts: RendezvousOptions): Promise<Agreement> {
  const { shard, fingerprint, store } = opts
  const { attempt } = store
  const marker = path.join(opts.workDir, 'perf-xi-shard-ready.json')
  const readyAtMs = Date.now()
  writeFileSync(marker, `${JSON.stringify({ shard: shardLabel(shard), plan_fingerprint: fingerprint, attempt, ready_at_ms: readyAtMs })}\n`)
  await store.upload(readyName(shard, fingerprint, attempt), marker)
  const graceMs = Math.min(opts.rerunGraceMs ?? RERUN_GRACE_MS, opts.waitMs)
  let rerunChecked = attempt === 1
  for (;;) {
    const items = shardItems(await store.list()).filter((s) => s.shard.count === shard.count && s.fingerprint === fingerprint)
    const ready = new Map<number, number>()
    for (const s of items) if (s.kind === 'ready' && s.attempt === attempt) ready.set(s.shard.index, s.item.createdAt?.getTime() ?? readyAtMs)
    if (ready.size === shard.count) return { readyAtMs, resumeAtMs: Math.max(...ready.values()) + opts.marginMs }
    if (opts.signal?.aborted) throw new ShardWaitError(`shard ${shardLabel(shard)}: cancelled while waiting for the other shards`)
    if (!rerunChecked && Date.now() - readyAtMs > graceMs) {
      rerunChecked = true
      const completed = await completedEarlier(store, items, shard, opts.workDir)
      // One of them ready again proves every job was re-run: the usual wait then applies.
      if (completed.size > 0 && ![...completed.keys()].some((index) => ready.has(index))) throw new ShardWaitError(rerunAloneMessage(shard, attempt, completed))
    }
    if (Date.now() - readyAtMs > opts.waitMs) {
      const missing = Array.from({ length: shard.count }, (_, k) => k + 1).filter((i) => !ready.has(i))
      throw new ShardWaitError(
        `shard ${shardLabel(shard)}: waited ${seconds(opts.waitMs)} for the other shards; ` +
          `not ready: ${missing.map((i) => `${i}/${shard.count}`).join(', ')}; not running alone (shard-wait sets the bound)`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs))
  }
}

/**
 * The other shards whose last shard file before this attempt says they ran to their end, with that
 * attempt: "Re-run failed jobs" does not run their jobs again. A failed or missing shard's job
 * failed, so it is re-run either way and tells nothing.
 */
async function completedEarlier(store: ShardStore, items: readonly ShardItem[], shard: Shard, workDir: string): Promise<Map<number, number>> {
  const latest = new Map<number, { attempt: number; item: StoredItem }>()
  for (const s of items) {
    if (s.kind !== 'shard' || s.attempt >= store.attempt || s.shard.index === shard.index) continue
    if ((latest.get(s.shard.index)?.attempt ?? 0) < s.attempt) latest.set(s.shard.index, s)
  }
  const completed = new Map<number, number>()
  for (const [index, { attempt, item }] of latest) {
    const file = await downloadShardFile(store, item, path.join(workDir, 'earlier-attempts'), 'reading an earlier attempt')
    if (file.status === 'ok') completed.set(index, attempt)
  }
  return completed
}

function rerunAloneMessage(shard: Shard, attempt: number, completed: ReadonlyMap<number, number>): string {
  const byAttempt = new Map<number, string[]>()
  for (const [index, earlier] of [...completed].sort(([a], [b]) => a - b))
    byAttempt.set(earlier, [...(byAttempt.get(earlier) ?? []), `${index}/${shard.count}`])
  const ran = [...byAttempt].map(([earlier, labels], i) => `${labels.join(', ')} ${i === 0 ? 'ran ' : ''}in attempt ${earlier}`).join(', ')
  const [noun, verb] = completed.size === 1 ? ['shard', 'was'] : ['shards', 'were']
  return (
    `shard ${shardLabel(shard)}: the shards of a sharded test run together, but ${noun} ${ran} and ${verb} not re-run in attempt ${attempt}; ` +
    'use "Re-run all jobs", not "Re-run failed jobs"'
  )
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`
}
