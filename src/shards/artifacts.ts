/**
 * What the shards of a sharded run store, by name: a "ready" marker and a shard file per shard, plan
 * and attempt. A re-run of a workflow is a new attempt of the same run (GITHUB_RUN_ATTEMPT): the
 * earlier attempts' artifacts stay listed and their names stay taken, so a re-run's names carry its
 * attempt (`…-attempt-2`; the first attempt's have no suffix) and shards meet and merge within one.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors.js'
import type { Shard } from './shard.js'
import { ShardFileSchema, type ShardFile } from './shard-file.js'
import type { ShardStore, StoredItem } from './store.js'

/** The file inside a shard's artifact. */
export const SHARD_FILE_NAME = 'perf-xi-shard.json'

const NAME = /^perf-xi-shard-(ready-)?(\d+)-of-(\d+)-([0-9a-f]+)(?:-attempt-(\d+))?$/

export interface ShardItem {
  kind: 'ready' | 'shard'
  shard: Shard
  fingerprint: string
  attempt: number
  item: StoredItem
}

export function readyName(shard: Shard, fingerprint: string, attempt: number): string {
  return `perf-xi-shard-ready-${shard.index}-of-${shard.count}-${fingerprint}${attemptSuffix(attempt)}`
}

export function shardArtifactName(shard: Shard, fingerprint: string, attempt = 1): string {
  return `perf-xi-shard-${shard.index}-of-${shard.count}-${fingerprint}${attemptSuffix(attempt)}`
}

function attemptSuffix(attempt: number): string {
  return attempt > 1 ? `-attempt-${attempt}` : ''
}

/** The stored items that are shards' markers and files, read from their names; the rest is not ours. */
export function shardItems(items: readonly StoredItem[]): ShardItem[] {
  return items.flatMap((item): ShardItem[] => {
    const match = NAME.exec(item.name)
    if (!match) return []
    const shard = { index: Number(match[2]), count: Number(match[3]) }
    return [{ kind: match[1] ? 'ready' : 'shard', shard, fingerprint: match[4]!, attempt: match[5] ? Number(match[5]) : 1, item }]
  })
}

/** The shard file of a stored shard artifact; one that is unreadable or not a shard file is named, for `who` (e.g. "mode merge"). */
export async function downloadShardFile(store: ShardStore, item: StoredItem, dir: string, who: string): Promise<ShardFile> {
  const into = path.join(dir, item.name)
  mkdirSync(into, { recursive: true })
  await store.download(item, into)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path.join(into, SHARD_FILE_NAME), 'utf8'))
  } catch (err) {
    throw new UserError(`${who}: artifact ${item.name} holds no readable ${SHARD_FILE_NAME}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const parsed = ShardFileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UserError(`${who}: artifact ${item.name} is not a shard file: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return parsed.data
}
