/**
 * The cache store through the real @actions/cache (cache service v2: GetCacheEntryDownloadURL,
 * CreateCacheEntry, Azure upload of the tar.zst, FinalizeCacheEntryUpload, download of the signed
 * URL, real tar and zstd) against the local results service (results-service.ts), with tokens
 * scoped like a push to main and like a pull request into main.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { isUnreadable, type HistoryEntry } from '../../src/baseline/regression.js'
import { historyKey, historyKeyPrefix, restoreHistory, saveHistory, type HistoryLocation } from '../../src/storage/cache-store.js'
import { loadShapeHash } from '../../src/config/load-shape.js'
import { baseBranchRun, captureStdout, isolateRunnerEnv } from './helpers.js'
import { CACHE_READ, CACHE_WRITE, startResultsService, type ResultsService } from './results-service.js'
import { tempDir } from '../support/temp-dirs.js'

const HASH = loadShapeHash(baseConfig())

let service: ResultsService
let env: ReturnType<typeof isolateRunnerEnv>
let stdout: ReturnType<typeof captureStdout>
let root: string
let historyPath: string
let branchCounter = 0
/** Each test gets its own base branch, so caches saved by one test are invisible to the others. */
let branch: string

beforeAll(async () => {
  service = await startResultsService()
})
afterAll(() => service.close())

beforeEach(() => {
  env = isolateRunnerEnv()
  stdout = captureStdout()
  service.clearLog()
  root = tempDir('perf-xi-cache-')
  mkdirSync(path.join(root, 'workspace'))
  mkdirSync(path.join(root, 'temp'))
  historyPath = path.join(root, 'temp', 'perf-xi', 'history.json')
  branch = `release/v${++branchCounter}`
  env.set({ GITHUB_WORKSPACE: path.join(root, 'workspace'), RUNNER_TEMP: path.join(root, 'temp') })
})
afterEach(() => {
  stdout.restore()
  env.restore()
  rmSync(root, { recursive: true, force: true })
  expect(service.violations).toEqual([])
})

/** A job on the base branch: its token may read and write the branch's cache scope. */
function onBaseBranch(): void {
  env.set(service.issueToken({ cacheScopes: [{ scope: `refs/heads/${branch}`, permission: CACHE_READ | CACHE_WRITE }] }).env)
}

/** A job of pull request 7 into the base branch: writes its own scope, may only read the base branch's. */
function onPullRequest(): void {
  env.set(
    service.issueToken({
      cacheScopes: [
        { scope: 'refs/pull/7/merge', permission: CACHE_READ | CACHE_WRITE },
        { scope: `refs/heads/${branch}`, permission: CACHE_READ },
      ],
    }).env,
  )
}

function at(runId: string, extra: Partial<HistoryLocation> = {}): HistoryLocation {
  return { branch, configHash: HASH, runId, path: historyPath, ...extra }
}

async function baseBranchRunSaves(runId: string, limit = 5): Promise<void> {
  onBaseBranch()
  const outcome = await saveHistory(baseBranchRun(runId), { ...at(runId), limit })
  expect(outcome.status).toBe('saved')
  // Entries saved within the same millisecond would tie on "newest".
  for (const cache of service.caches) service.age(cache, 1000)
}

const runIds = (history: HistoryEntry[]): string[] => history.map((e) => (isUnreadable(e) ? `unreadable:${e.runId}` : e.run.id))

describe('saveHistory then restoreHistory', () => {
  it('saves on the base branch and a pull request restores the same history by prefix', async () => {
    onBaseBranch()
    const current = baseBranchRun('8001')
    const saved = await saveHistory(current, { ...at('8001'), limit: 5 })

    const key = `perf-xi-history-${branch}-${HASH}-8001`
    expect(saved).toMatchObject({ status: 'saved', key, history: [], saved: 1 })
    expect(saved.status === 'saved' && saved.restored.status).toBe('miss')
    expect(service.caches).toContainEqual(expect.objectContaining({ key, scope: `refs/heads/${branch}`, finalized: true }))
    expect(service.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
      'GetCacheEntryDownloadURL 200', // miss: { ok: false }
      'CreateCacheEntry 200',
      'blob:put-blob 201',
      'FinalizeCacheEntryUpload 200',
    ])
    // Exactly what @actions/cache sends (protobuf JSON field names), checked field by field by the service too.
    const version = expect.stringMatching(/^[0-9a-f]{64}$/)
    const blobSize = service.caches.find((c) => c.key === key)!.blob!.length
    expect(service.requests.filter((r) => !r.operation.startsWith('blob:')).map((r) => r.body)).toEqual([
      { key, restore_keys: [historyKeyPrefix(branch, HASH)], version },
      { key, version },
      { key, version, size_bytes: String(blobSize) },
    ])
    expect(service.requests[2]!.headers).toMatchObject({
      'x-ms-blob-type': 'BlockBlob',
      'content-length': String(blobSize),
      'x-ms-version': expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    })

    // The archive is a real tar.zst (tar.gz without zstd) holding exactly the history file.
    const blob = service.caches.find((c) => c.key === key)!.blob!
    const decompress = blob[0] === 0x1f ? 'gzip -dc' : 'zstd -dc' // gzip when the runner has no zstd
    const listing = spawnSync('sh', ['-c', `${decompress} | tar -tf -`], { input: blob, encoding: 'utf8' })
    expect(listing.stdout.trim().split('\n')).toEqual([path.relative(path.join(root, 'workspace'), historyPath)])

    service.clearLog()
    rmSync(historyPath)
    onPullRequest()
    const restored = await restoreHistory(at('9100'))

    expect(restored.status).toBe('restored')
    expect(restored).toEqual({ status: 'restored', key, history: [current] })
    expect(service.requests.map((r) => r.operation)).toEqual(['GetCacheEntryDownloadURL', 'blob:get'])
    expect(readFileSync(historyPath, 'utf8')).toBe(`${JSON.stringify([current])}\n`)
  })

  it('keeps a rolling history of the last N runs, newest first, each saving run under its own key', async () => {
    for (const runId of ['8101', '8102', '8103', '8104']) await baseBranchRunSaves(runId, 3)

    onPullRequest()
    const restored = await restoreHistory(at('9101'))

    expect(restored.status === 'restored' && restored.key).toBe(historyKey(at('8104')))
    expect(runIds(restored.history)).toEqual(['8104', '8103', '8102'])
    expect(service.caches.filter((c) => c.key.startsWith(historyKeyPrefix(branch, HASH))).map((c) => c.key.slice(-4))).toEqual(['8101', '8102', '8103', '8104'])
  })

  it('returns, on the base branch, the history found before this run', async () => {
    await baseBranchRunSaves('8201')
    await baseBranchRunSaves('8202')
    onBaseBranch()
    const outcome = await saveHistory(baseBranchRun('8203', 1.5), { ...at('8203'), limit: 5 })
    expect(outcome.status).toBe('saved')
    expect(runIds(outcome.history)).toEqual(['8202', '8201'])
    expect(outcome.status === 'saved' && outcome.saved).toBe(3)
  })

  it('does not let a pull request restore another config’s history, nor the pull request’s own caches pass for the base branch’s', async () => {
    await baseBranchRunSaves('8301')
    onPullRequest()
    expect((await restoreHistory(at('9301', { configHash: loadShapeHash({ ...baseConfig(), profile: 'load' }) }))).status).toBe('miss')

    // A PR job that (wrongly) saved would write into its own scope, which other PRs and the base branch never read.
    const prOnly = `pr-only-${branchCounter}`
    onPullRequest()
    expect((await saveHistory(baseBranchRun('9302'), { ...at('9302', { branch: prOnly }), limit: 5 })).status).toBe('saved')
    onBaseBranch()
    expect((await restoreHistory(at('8302', { branch: prOnly }))).status).toBe('miss')
  })
})

describe('restoreHistory', () => {
  it('reports a miss, naming the prefix and the 7-day eviction, when nothing was saved', async () => {
    onPullRequest()
    mkdirSync(path.dirname(historyPath), { recursive: true })
    writeFileSync(historyPath, '[]') // a leftover file must not pass for a restored history
    const outcome = await restoreHistory(at('9201'))
    expect(outcome).toEqual({
      status: 'miss',
      prefix: historyKeyPrefix(branch, HASH),
      reason: expect.stringMatching(/^no history under perf-xi-history-release\/v\d+-[0-9a-f]{16}-: .*evicted \(unused for 7 days\)/),
      history: [],
    })
    expect(existsSync(historyPath)).toBe(false)
  })

  it('reports entries that fail the results schema as unreadable and keeps the readable ones', async () => {
    // A history written by an older release: one current entry, one of an old schema, one not a results file at all.
    onBaseBranch()
    const good = baseBranchRun('8401')
    const oldSchema = { ...baseBranchRun('8400'), schema: 'perf-xi/results@0' }
    await saveRawHistory(historyKey(at('8401')), JSON.stringify([good, oldSchema, 'garbage']))

    onPullRequest()
    const restored = await restoreHistory(at('9401'))

    expect(restored.status).toBe('restored')
    expect(restored.history).toEqual([
      good,
      { unreadable: true, runId: '8400', reason: 'history entry 2: schema: Invalid input: expected "perf-xi/results@1"' },
      { unreadable: true, runId: '8401#3', reason: 'history entry 3: (root): Invalid input: expected object, received string' },
    ])

    // The next base-branch run keeps them (they are reported until they age out) and trims to N.
    onBaseBranch()
    const next = await saveHistory(baseBranchRun('8402'), { ...at('8402'), limit: 3 })
    expect(next.status).toBe('saved')
    onPullRequest()
    const after = await restoreHistory(at('9402'))
    expect(runIds(after.history)).toEqual(['8402', '8401', 'unreadable:8400'])
  })

  it('reports a history file that is not JSON as one unreadable entry, and the next save starts afresh', async () => {
    onBaseBranch()
    await saveRawHistory(historyKey(at('8501')), '{"truncated')

    onPullRequest()
    const restored = await restoreHistory(at('9501'))
    expect(restored).toEqual({
      status: 'restored',
      key: historyKey(at('8501')),
      history: [{ unreadable: true, runId: '8501', reason: expect.stringMatching(/^history perf-xi-history-.*-8501 is not JSON \(/) }],
    })

    onBaseBranch()
    const saved = await saveHistory(baseBranchRun('8502'), { ...at('8502'), limit: 5 })
    expect(saved.status === 'saved' && saved.saved).toBe(1)
  })
})

describe('saveHistory', () => {
  it('reports not-saved when the key is taken (the same run attempt saving twice), and saves a re-run attempt under its own key', async () => {
    await baseBranchRunSaves('8601')
    onBaseBranch()
    const again = await saveHistory(baseBranchRun('8601'), { ...at('8601'), limit: 5 })
    expect(again).toMatchObject({ status: 'not-saved', key: historyKey(at('8601')), reason: expect.stringMatching(/^cache history not saved under .*-8601: /) })
    // @actions/cache logged why (as info: another job may be creating it).
    expect(stdout.lines()).toContainEqual(expect.stringMatching(/^Failed to save: Unable to reserve cache with key .*-8601/))

    const rerun = await saveHistory(baseBranchRun('8601'), { ...at('8601', { attempt: 2 }), limit: 5 })
    expect(rerun).toMatchObject({ status: 'saved', key: `${historyKey(at('8601'))}-2`, saved: 1 })
  })

  it('refuses a history length below 1', async () => {
    await expect(saveHistory(baseBranchRun('8701'), { ...at('8701'), limit: 0 })).rejects.toThrow('the history length must be a whole number from 1, got 0')
  })
})

describe('without the Actions runtime (local runs, npm run demo)', () => {
  it('answers not-available for restore and save, sends nothing and writes nothing', async () => {
    const restored = await restoreHistory(at('1'))
    const saved = await saveHistory(baseBranchRun('1'), { ...at('1'), limit: 5 })
    const reason = 'the Actions cache service is not configured (no ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL): not running inside a GitHub Actions job'
    expect(restored).toEqual({ status: 'not-available', reason: `cache history not restored: ${reason}`, history: [] })
    expect(saved).toEqual({ status: 'not-available', reason: `cache history not saved: ${reason}`, history: [] })
    expect(service.requests).toEqual([])
    expect(existsSync(historyPath)).toBe(false)
  })
})

function baseConfig(): Parameters<typeof loadShapeHash>[0] {
  return {
    openapi: 'examples/sample-api/openapi.yaml',
    baseUrl: 'http://127.0.0.1:8080',
    profile: 'smoke',
    vus: undefined,
    durationMs: undefined,
    thinkTimeMs: 0,
    maxVus: 1000,
    allowWrites: false,
    include: [],
    exclude: [],
  }
}

/** Saves `text` as the history file under `key` with the real @actions/cache, as an older release might have. */
async function saveRawHistory(key: string, text: string): Promise<void> {
  const cache = await import('@actions/cache')
  mkdirSync(path.dirname(historyPath), { recursive: true })
  writeFileSync(historyPath, text)
  expect(await cache.saveCache([historyPath], key)).toBeGreaterThan(0)
  rmSync(historyPath)
  for (const c of service.caches) service.age(c, 1000)
}
