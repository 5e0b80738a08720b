import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { readyName } from '../../src/shards/artifacts.js'
import { agreeOnStart, ShardWaitError } from '../../src/shards/rendezvous.js'
import { folderShardStore } from '../../src/shards/store.js'
import { tempDir } from '../support/temp-dirs.js'

const timing = { waitMs: 400, pollMs: 50, marginMs: 300 }

describe('shards agreeing on a common start', () => {
  it('starts every shard at the same instant once all are ready', async () => {
    const dir = tempDir('perf-xi-rendezvous-')
    const store = folderShardStore(path.join(dir, 'store'))
    const agree = (index: number) =>
      agreeOnStart({ store, shard: { index, count: 3 }, fingerprint: 'f00d', workDir: tempDir('perf-xi-rendezvous-'), ...timing, waitMs: 5000 })
    const first = agree(1)
    await new Promise((resolve) => setTimeout(resolve, 150))
    const all = await Promise.all([first, agree(2), agree(3)])
    expect(new Set(all.map((a) => a.resumeAtMs)).size).toBe(1)
    expect(all[0]!.resumeAtMs).toBeGreaterThanOrEqual(Math.max(...all.map((a) => a.readyAtMs)) + timing.marginMs - 50)
  })

  it('gives up past the bound, naming the shards not ready, rather than run alone', async () => {
    const dir = tempDir('perf-xi-rendezvous-')
    const wait = agreeOnStart({ store: folderShardStore(path.join(dir, 'store')), shard: { index: 2, count: 3 }, fingerprint: 'f00d', workDir: dir, ...timing })
    await expect(wait).rejects.toThrow(ShardWaitError)
    await expect(wait).rejects.toThrow('shard 2/3: waited 0.4 s for the other shards; not ready: 1/3, 3/3; not running alone (shard-wait sets the bound)')
  })

  it('meets only shards of its own attempt: a re-run never starts on the markers of an earlier attempt', async () => {
    const dir = tempDir('perf-xi-rendezvous-')
    const root = path.join(dir, 'store')
    const attempt1 = folderShardStore(root, 1)
    const marker = path.join(dir, 'marker.json')
    writeFileSync(marker, '{}\n')
    for (const index of [1, 2, 3]) await attempt1.upload(readyName({ index, count: 3 }, 'f00d', 1), marker)
    const wait = agreeOnStart({ store: folderShardStore(root, 2), shard: { index: 1, count: 3 }, fingerprint: 'f00d', workDir: dir, ...timing })
    await expect(wait).rejects.toThrow('shard 1/3: waited 0.4 s for the other shards; not ready: 2/3, 3/3; not running alone (shard-wait sets the bound)')
  })
})
