/**
 * Where the shards of one workflow run meet: their "ready" markers and shard files. On GitHub it
 * is the run's artifacts (`@actions/artifact`, which lists every job's artifacts of the current
 * run with the runner's own token); locally, a folder shared by the shard processes. A re-run of
 * the workflow is a new attempt of the same run: its store still lists every earlier attempt's items.
 */
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

export interface StoredItem {
  id: number
  name: string
  /** When the store received it (the store's clock, the same for every shard). */
  createdAt?: Date
}

export interface ShardStore {
  /** The run's attempt this job is in (GITHUB_RUN_ATTEMPT, from 1): the names it stores carry it (./artifacts.ts). */
  readonly attempt: number
  /** Stores `file` under `name` (unique within the run, across its attempts). */
  upload(name: string, file: string): Promise<void>
  list(): Promise<StoredItem[]>
  /** Puts the item's files into `dir`. */
  download(item: StoredItem, dir: string): Promise<void>
}

/** The current workflow run's artifacts, of every attempt (artifact names are unique across attempts). */
export function artifactShardStore(attempt: number): ShardStore {
  const client = async () => new (await import('@actions/artifact')).DefaultArtifactClient()
  return {
    attempt,
    async upload(name, file) {
      const absolute = path.resolve(file)
      const uploaded = await (await client()).uploadArtifact(name, [absolute], path.dirname(absolute), { retentionDays: 1 })
      if (uploaded.id === undefined) throw new Error(`artifact ${name}: the results service returned no artifact id`)
    },
    async list() {
      const { artifacts } = await (await client()).listArtifacts()
      return artifacts.map((a) => ({ id: a.id, name: a.name, createdAt: a.createdAt }))
    },
    async download(item, dir) {
      await (await client()).downloadArtifact(item.id, { path: dir })
    },
  }
}

/** A local folder: one sub-folder per stored name (the local CLI, several shard processes on one machine). */
export function folderShardStore(root: string, attempt = 1): ShardStore {
  return {
    attempt,
    async upload(name, file) {
      const dir = path.join(root, name)
      mkdirSync(dir, { recursive: true })
      copyFileSync(file, path.join(dir, path.basename(file)))
    },
    async list() {
      let names: string[] = []
      try {
        names = readdirSync(root)
      } catch {
        return []
      }
      return names.map((name, id) => ({ id, name, createdAt: statSync(path.join(root, name)).mtime }))
    },
    async download(item, dir) {
      mkdirSync(dir, { recursive: true })
      for (const file of readdirSync(path.join(root, item.name))) copyFileSync(path.join(root, item.name, file), path.join(dir, file))
    },
  }
}
