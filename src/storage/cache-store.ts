/**
 * The cache store (the alternative baseline store, `baseline.store: cache`): a rolling history of the
 * base branch's last N results files, newest first, kept in the Actions cache, one immutable entry
 * per saving run (`saveHistory` on the base branch), restored by key prefix (`restoreHistory`).
 * `@actions/cache` does the work: this module reads no environment, never calls @actions/core and
 * never touches `github.context`; a failed restore or save is an outcome, not an error. Keys,
 * eviction (CACHE_EVICTION_DAYS), the path rule and concurrent saves: docs/baselines.md.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { HistoryEntry, UnreadableHistoryEntry } from '../baseline/regression.js'
import { ResultsFileSchema, type ResultsFile } from '../results/schema.js'

export const HISTORY_KEY_PREFIX = 'perf-xi-history'
/** How long GitHub keeps a cache entry nobody reads or writes. */
export const CACHE_EVICTION_DAYS = 7
/** Cache keys are at most 512 characters and may not contain commas (`@actions/cache` rejects them). */
export const MAX_CACHE_KEY_LENGTH = 512
const MAX_BRANCH_LENGTH = 200

/** The part of `@actions/cache` this store uses; tests and callers may pass their own. */
export interface HistoryCacheClient {
  /** Whether the runner's cache service is configured (the library checks its own environment). */
  isFeatureAvailable(): boolean
  /** The key restored, or undefined for a miss (or a failure the library logged as a warning). */
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>
  /** The cache id, or -1 when the library logged a failure instead of saving. */
  saveCache(paths: string[], key: string): Promise<number>
}

export interface HistoryLocation {
  /** The base branch whose history this is: on a pull request its base branch, on a push the branch itself (`main`, not `refs/heads/main`). */
  branch: string
  /** `loadShapeHash(config)` (src/config/load-shape.ts): runs of another load shape are not comparable, so they do not share history. */
  configHash: string
  /** This workflow run's id (GITHUB_RUN_ID). */
  runId: string
  /** This run's attempt (GITHUB_RUN_ATTEMPT). Attempts after the first get their own key, as cache entries cannot be overwritten. Default 1. */
  attempt?: number
  /** Where the history file is written and restored. Must be the same string on every run (it is part of the cache version). The store owns this file and deletes it before restoring. */
  path: string
  /** Cache client. Default: `@actions/cache`, imported on first use. */
  client?: HistoryCacheClient
}

export interface SaveHistoryOptions extends HistoryLocation {
  /** Results files kept, newest first, this run included. At least 1 (`baseline.history`). */
  limit: number
}

export type HistoryRestoreOutcome =
  /** `history`: the base branch's runs, newest first; entries that could not be read are `{ unreadable: true }`. */
  | { status: 'restored'; key: string; history: HistoryEntry[] }
  /** Nothing under the prefix: never saved, evicted, or the restore failed (the library logged a warning). */
  | { status: 'miss'; prefix: string; reason: string; history: HistoryEntry[] }
  /** No cache service here (local run, demo): nothing was attempted. */
  | { status: 'not-available'; reason: string; history: HistoryEntry[] }

export type HistorySaveOutcome =
  /**
   * Saved under `key`. `history` is the history found before this run (what this run could be
   * compared with); `saved` is how many entries the new cache entry holds, this run first.
   */
  | { status: 'saved'; key: string; cacheId: number; restored: HistoryRestoreOutcome; history: HistoryEntry[]; saved: number }
  /** The restore went as `restored` says, but the save failed (the library logged why). */
  | { status: 'not-saved'; key: string; reason: string; restored: HistoryRestoreOutcome; history: HistoryEntry[] }
  | { status: 'not-available'; reason: string; history: HistoryEntry[] }

// ---------- pure parts ----------

/**
 * A branch name as it may appear in a cache key: `refs/heads/` dropped, commas and whitespace
 * (refused or confusing in keys) replaced by `_`, capped at 200 characters.
 */
export function branchKeyPart(branch: string): string {
  const name = branch.replace(/^refs\/heads\//, '').replace(/[,\s]/g, '_')
  if (name === '') throw new RangeError('cache history: the branch name is empty')
  return name.slice(0, MAX_BRANCH_LENGTH)
}

/** `perf-xi-history-<branch>-<configHash>-`: restores the newest history of that branch and config. */
export function historyKeyPrefix(branch: string, hash: string): string {
  if (!/^[0-9a-f]{1,64}$/.test(hash)) throw new RangeError(`cache history: the config hash must be hex, got ${JSON.stringify(hash)}`)
  return `${HISTORY_KEY_PREFIX}-${branchKeyPart(branch)}-${hash}-`
}

/** `perf-xi-history-<branch>-<configHash>-<runId>`, with `-<attempt>` for attempts after the first. */
export function historyKey(location: Pick<HistoryLocation, 'branch' | 'configHash' | 'runId' | 'attempt'>): string {
  const { runId, attempt = 1 } = location
  if (!/^[0-9A-Za-z_.-]+$/.test(runId)) throw new RangeError(`cache history: the run id must be letters, digits, '.', '_' or '-', got ${JSON.stringify(runId)}`)
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`cache history: the run attempt must be a whole number from 1, got ${JSON.stringify(attempt)}`)
  const key = `${historyKeyPrefix(location.branch, location.configHash)}${runId}${attempt > 1 ? `-${attempt}` : ''}`
  if (key.length > MAX_CACHE_KEY_LENGTH) throw new RangeError(`cache history: key longer than ${MAX_CACHE_KEY_LENGTH} characters: ${key}`)
  return key
}

/** What follows the prefix in a history key: the saving run's id (with `-<attempt>` after the first attempt). */
export function runIdOfKey(key: string, prefix: string): string {
  return key.startsWith(prefix) && key.length > prefix.length ? key.slice(prefix.length) : key
}

/** A history file's contents: the raw entries (kept as they are when re-saved) and each one parsed. */
export interface ParsedHistory {
  raw: unknown[]
  entries: HistoryEntry[]
}

/**
 * Parses a history file: a JSON array of results files, newest first. Each entry is checked with
 * ResultsFileSchema; one that fails becomes `{ unreadable: true, reason, runId }` (its `run.id`
 * when it has one, else `<source.runId>#<position>`). A file that is not a JSON array is one
 * unreadable entry named after `source.runId` (the run that saved it), and nothing of it is kept
 * when the history is saved again.
 */
export function parseHistory(text: string, source: { key: string; runId: string }): ParsedHistory {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { raw: [], entries: [unreadable(source.runId, `history ${source.key} is not JSON (${(error as Error).message})`)] }
  }
  if (!Array.isArray(json)) {
    return { raw: [], entries: [unreadable(source.runId, `history ${source.key} is not a JSON array of results files`)] }
  }
  const entries = json.map((entry, index): HistoryEntry => {
    const parsed = ResultsFileSchema.safeParse(entry)
    if (parsed.success) return parsed.data
    const runId = runIdOf(entry) ?? `${source.runId}#${index + 1}`
    const issue = parsed.error.issues[0]!
    return unreadable(runId, `history entry ${index + 1}: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  })
  return { raw: json, entries }
}

/**
 * The history to save: this run first, then the previous raw entries (readable or not, so an
 * unreadable one keeps being reported until it ages out) without an earlier copy of this run
 * (a re-run), trimmed to `limit` entries.
 */
export function mergeHistory(current: ResultsFile, previous: readonly unknown[], limit: number): unknown[] {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`cache history: the history length must be a whole number from 1, got ${JSON.stringify(limit)}`)
  const others = previous.filter((entry) => runIdOf(entry) !== current.run.id)
  return [current, ...others].slice(0, limit)
}

export function serializeHistory(entries: readonly unknown[]): string {
  return `${JSON.stringify(entries)}\n`
}

function unreadable(runId: string, reason: string): UnreadableHistoryEntry {
  return { unreadable: true, reason, runId }
}

function runIdOf(entry: unknown): string | undefined {
  const id = (entry as { run?: { id?: unknown } } | null)?.run?.id
  return typeof id === 'string' ? id : undefined
}

// ---------- I/O ----------

const NOT_AVAILABLE_REASON =
  'the Actions cache service is not configured (no ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL): not running inside a GitHub Actions job'

/** Pull request: restores the newest history of `branch` and this config. Never saves. */
export async function restoreHistory(location: HistoryLocation): Promise<HistoryRestoreOutcome> {
  const key = historyKey(location)
  const client = await clientFor(location)
  if (!client.isFeatureAvailable()) return { status: 'not-available', reason: `cache history not restored: ${NOT_AVAILABLE_REASON}`, history: [] }
  return (await restore(client, location, key)).outcome
}

/**
 * Base branch: restores the history, prepends `current`, trims to `limit` and saves it under this
 * run's key. The returned `history` is what was found before this run.
 */
export async function saveHistory(current: ResultsFile, options: SaveHistoryOptions): Promise<HistorySaveOutcome> {
  const key = historyKey(options)
  if (!Number.isInteger(options.limit) || options.limit < 1) {
    throw new RangeError(`cache history: the history length must be a whole number from 1, got ${JSON.stringify(options.limit)}`)
  }
  const client = await clientFor(options)
  if (!client.isFeatureAvailable()) return { status: 'not-available', reason: `cache history not saved: ${NOT_AVAILABLE_REASON}`, history: [] }

  const { outcome: restored, raw } = await restore(client, options, key)
  const next = mergeHistory(current, raw, options.limit)
  await mkdir(path.dirname(options.path), { recursive: true })
  await writeFile(options.path, serializeHistory(next))
  const cacheId = await client.saveCache([options.path], key)
  if (cacheId === -1) {
    return {
      status: 'not-saved',
      key,
      reason: `cache history not saved under ${key}: the cache service refused or failed (see the warning @actions/cache logged above)`,
      restored,
      history: restored.history,
    }
  }
  return { status: 'saved', key, cacheId, restored, history: restored.history, saved: next.length }
}

async function restore(client: HistoryCacheClient, location: HistoryLocation, key: string): Promise<{ outcome: HistoryRestoreOutcome; raw: unknown[] }> {
  const prefix = historyKeyPrefix(location.branch, location.configHash)
  // A file left by an earlier step or run must not pass for a restored history.
  await rm(location.path, { force: true })
  const matched = await client.restoreCache([location.path], key, [prefix])
  if (matched === undefined) {
    const reason =
      `no history under ${prefix}: no run on ${branchKeyPart(location.branch)} has saved one with this config yet, ` +
      `it was evicted (unused for ${CACHE_EVICTION_DAYS} days), or the restore failed (see any warning from @actions/cache above)`
    return { outcome: { status: 'miss', prefix, reason, history: [] }, raw: [] }
  }
  let text: string
  try {
    text = await readFile(location.path, 'utf8')
  } catch (error) {
    const reason = `history ${matched} restored but ${location.path} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
    return { outcome: { status: 'restored', key: matched, history: [unreadable(runIdOfKey(matched, prefix), reason)] }, raw: [] }
  }
  const parsed = parseHistory(text, { key: matched, runId: runIdOfKey(matched, prefix) })
  return { outcome: { status: 'restored', key: matched, history: parsed.entries }, raw: parsed.raw }
}

async function clientFor(location: HistoryLocation): Promise<HistoryCacheClient> {
  if (location.client) return location.client
  const cache = await import('@actions/cache')
  return {
    isFeatureAvailable: () => cache.isFeatureAvailable(),
    restoreCache: (paths, primaryKey, restoreKeys) => cache.restoreCache(paths, primaryKey, restoreKeys),
    saveCache: (paths, key) => cache.saveCache(paths, key),
  }
}
