/**
 * One shard with real k6 against the sample API: when the other shards never get ready it sends
 * no load, stops its paused k6, and stores a failure the merge job will name.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { runShard } from '../../src/shards/run-shard.js'
import { folderShardStore } from '../../src/shards/store.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
let api: Awaited<ReturnType<typeof startSampleApi>>
let k6: K6Binary

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, token: 't', seed: 3 })
}, 300_000)

afterAll(async () => {
  await api?.close()
})

it('fails a shard whose partners never get ready, with no load sent and no k6 left running', async () => {
  const dir = tempDir('perf-xi-shard-alone-')
  const config = resolveConfig(
    { config: '__tests__/fixtures/gate/generous.yml', 'base-url': api.url, shard: '1/2', 'results-file': path.join(dir, 'r.json') },
    { cwd: root },
  )
  const warnings: string[] = []
  const started = Date.now()
  const { file } = await runShard(
    config,
    config.shard!,
    {
      cwd: root,
      workDir: path.join(dir, 'work'),
      env: { SAMPLE_API_TOKEN: 't' },
      log: () => {},
      warn: (line) => warnings.push(line),
      k6Output: () => {},
      ensureK6: async () => k6,
      store: folderShardStore(path.join(dir, 'store')),
    },
    { waitMs: 1500, pollMs: 100, marginMs: 500 },
  )
  expect(file.status).toBe('failed')
  expect(file.reason).toBe('shard 1/2: waited 1.5 s for the other shards; not ready: 2/2; not running alone (shard-wait sets the bound)')
  expect(warnings).toContain(file.reason)
  expect(file.stats).toBeNull()
  // Only the preflight's one probe per reading endpoint reached the API: no load.
  expect(Math.max(...Object.values(api.stats()))).toBeLessThanOrEqual(1)
  // k6 was stopped while paused, not left to its time limit.
  expect(Date.now() - started).toBeLessThan(15_000)
}, 60_000)
