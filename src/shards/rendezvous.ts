/**
 * Shards start together: matrix jobs start minutes apart, so each shard, once its k6 is ready and
 * paused, stores a small "ready" marker in the run's store and waits until all N are listed. They
 * all then read the same creation times from the store and resume at the same instant:
 * max(ready) + margin. A shard that waits past the bound gives up rather than run alone.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { shardLabel, type Shard } from './shard.js'
import type { ShardStore } from './store.js'

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
  signal?: AbortSignal
}

export interface Agreement {
  readyAtMs: number
  resumeAtMs: number
}

export class ShardWaitError extends Error {}

export function readyName(shard: Shard, fingerprint: string): string {
  return `perf-xi-shard-ready-${shard.index}-of-${shard.count}-${fingerprint}`
}

export async function agreeOnStart(opts: RendezvousOptions): Promise<Agreement> {
  const { shard, fingerprint } = opts
  const marker = path.join(opts.workDir, 'perf-xi-shard-ready.json')
  const readyAtMs = Date.now()
  writeFileSync(marker, `${JSON.stringify({ shard: shardLabel(shard), plan_fingerprint: fingerprint, ready_at_ms: readyAtMs })}\n`)
  await opts.store.upload(readyName(shard, fingerprint), marker)
  const pattern = new RegExp(`^perf-xi-shard-ready-(\\d+)-of-${shard.count}-${fingerprint}$`)
  for (;;) {
    const ready = new Map<number, number>()
    for (const item of await opts.store.list()) {
      const match = pattern.exec(item.name)
      if (match) ready.set(Number(match[1]), item.createdAt?.getTime() ?? readyAtMs)
    }
    if (ready.size === shard.count) return { readyAtMs, resumeAtMs: Math.max(...ready.values()) + opts.marginMs }
    if (opts.signal?.aborted) throw new ShardWaitError(`shard ${shardLabel(shard)}: cancelled while waiting for the other shards`)
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

function seconds(ms: number): string {
  return ms < 10_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`
}
