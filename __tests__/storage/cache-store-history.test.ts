/** The cache store's pure parts: key naming, the config hash, parsing and merging the history. */
import { isUnreadable } from '../../src/baseline/regression.js'
import { branchKeyPart, historyKey, historyKeyPrefix, mergeHistory, parseHistory, runIdOfKey, serializeHistory } from '../../src/storage/cache-store.js'
import { loadShapeHash, type LoadShapeFields } from '../../src/config/load-shape.js'
import { baseBranchRun } from './helpers.js'

const config: LoadShapeFields = {
  openapi: 'api/openapi.yaml',
  baseUrl: 'http://localhost:8080',
  profile: 'load',
  vus: 20,
  durationMs: 60_000,
  thinkTimeMs: 0,
  maxVus: 1000,
  allowWrites: false,
  include: ['GET /users/*'],
  exclude: [],
}

describe('loadShapeHash', () => {
  it('is 16 hex digits, stable, and ignores everything but the load-shaping fields', () => {
    const hash = loadShapeHash(config)
    expect(hash).toMatch(/^[0-9a-f]{16}$/)
    // A whole Config with SLOs, auth and a token hashes the same as its load-shaping fields alone.
    const full = { ...config, slos: [{ selector: '*', limits: { p95: 500 } }], auth: { type: 'bearer', env: 'TOKEN' }, githubToken: 'ghs_secret' }
    expect(loadShapeHash(full as unknown as LoadShapeFields)).toBe(hash)
    expect(loadShapeHash({ ...config })).toBe(hash)
  })

  it.each([
    ['profile', { profile: 'smoke' as const }],
    ['vus', { vus: 21 }],
    ['duration', { durationMs: 30_000 }],
    ['target host', { baseUrl: 'http://staging.example.com:8080' }],
    ['target port of a host that is not loopback', { baseUrl: 'http://10.0.0.5:8080' }],
    ['target path', { baseUrl: 'http://localhost:8080/v2' }],
    ['endpoint selection', { include: [] }],
    ['unset vs zero', { thinkTimeMs: undefined as unknown as number }],
  ])('changes with the %s', (_what, change) => {
    expect(loadShapeHash({ ...config, ...change })).not.toBe(loadShapeHash(config))
  })
})

describe('loadShapeHash of a target on this machine', () => {
  it('leaves out the port the job happened to get, so runs on another port stay comparable', () => {
    // `npm run demo`, port 0 servers and containers' published ports: another port, the same API.
    expect(loadShapeHash({ ...config, baseUrl: 'http://localhost:49153' })).toBe(loadShapeHash(config))
    expect(loadShapeHash({ ...config, baseUrl: 'http://127.0.0.1:41234/' })).toBe(loadShapeHash(config))
    expect(loadShapeHash({ ...config, baseUrl: 'http://[::1]:3000' })).toBe(loadShapeHash(config))
    expect(loadShapeHash({ ...config, baseUrl: 'https://localhost:8080' })).not.toBe(loadShapeHash(config))
  })

  it('keeps every other target as written, so two real APIs are never compared', () => {
    expect(loadShapeHash({ ...config, baseUrl: 'http://api.example.com:8080' })).not.toBe(loadShapeHash({ ...config, baseUrl: 'http://api.example.com:9090' }))
  })
})

describe('keys', () => {
  it('names the run’s key after the prefix, adding the attempt after the first', () => {
    const where = { branch: 'main', configHash: 'abc123', runId: '9876543210' }
    expect(historyKeyPrefix('main', 'abc123')).toBe('perf-xi-history-main-abc123-')
    expect(historyKey(where)).toBe('perf-xi-history-main-abc123-9876543210')
    expect(historyKey({ ...where, attempt: 1 })).toBe('perf-xi-history-main-abc123-9876543210')
    expect(historyKey({ ...where, attempt: 3 })).toBe('perf-xi-history-main-abc123-9876543210-3')
    expect(runIdOfKey('perf-xi-history-main-abc123-9876543210-3', 'perf-xi-history-main-abc123-')).toBe('9876543210-3')
  })

  it.each([
    ['refs/heads/main', 'main'],
    ['release/2.x', 'release/2.x'],
    ['weird,branch name', 'weird_branch_name'],
  ])('branch %s → %s', (branch, part) => {
    expect(branchKeyPart(branch)).toBe(part)
  })

  it.each([
    ['an empty branch', () => historyKeyPrefix('', 'abc'), 'the branch name is empty'],
    ['a config hash that is not hex', () => historyKeyPrefix('main', 'xyz'), 'the config hash must be hex'],
    ['a run id with a comma', () => historyKey({ branch: 'main', configHash: 'abc', runId: '1,2' }), 'the run id must be'],
    ['attempt 0', () => historyKey({ branch: 'main', configHash: 'abc', runId: '1', attempt: 0 }), 'the run attempt must be'],
  ])('refuses %s', (_what, make, message) => {
    expect(make).toThrow(message)
  })

  it('keeps keys within the 512 characters @actions/cache accepts', () => {
    expect(historyKey({ branch: 'b'.repeat(600), configHash: 'f'.repeat(16), runId: '9'.repeat(20), attempt: 99 }).length).toBeLessThanOrEqual(512)
  })
})

describe('mergeHistory', () => {
  const runs = ['5', '4', '3', '2'].map((id) => baseBranchRun(id))

  it('puts this run first and trims to the limit', () => {
    const merged = mergeHistory(baseBranchRun('6'), runs, 3)
    expect(merged.map((r) => (r as { run: { id: string } }).run.id)).toEqual(['6', '5', '4'])
    expect(mergeHistory(baseBranchRun('6'), runs, 1)).toHaveLength(1)
    expect(mergeHistory(baseBranchRun('6'), [], 5)).toHaveLength(1)
  })

  it('replaces an earlier copy of this run (a re-run) and keeps unreadable raw entries as they were', () => {
    const merged = mergeHistory(baseBranchRun('5', 2), [runs[0], 'garbage', runs[1]], 5)
    expect(merged).toEqual([baseBranchRun('5', 2), 'garbage', runs[1]])
  })

  it('refuses a limit below 1', () => {
    expect(() => mergeHistory(baseBranchRun('6'), runs, 0)).toThrow('the history length must be a whole number from 1, got 0')
  })
})

describe('parseHistory', () => {
  const source = { key: 'perf-xi-history-main-abc-77', runId: '77' }

  it('round-trips what serializeHistory writes', () => {
    const history = [baseBranchRun('2'), baseBranchRun('1')]
    expect(parseHistory(serializeHistory(history), source)).toEqual({ raw: history, entries: history })
  })

  it.each([
    ['not JSON', '[{', /^history perf-xi-history-main-abc-77 is not JSON \(/],
    ['not an array', '{"schema":"perf-xi/results@1"}', /^history perf-xi-history-main-abc-77 is not a JSON array of results files$/],
  ])('a file that is %s is one unreadable entry under the saving run, and nothing is kept', (_what, text, reason) => {
    const parsed = parseHistory(text, source)
    expect(parsed.raw).toEqual([])
    expect(parsed.entries).toEqual([{ unreadable: true, runId: '77', reason: expect.stringMatching(reason) }])
  })

  it('names an unreadable entry by its own run id when it has one, else by position', () => {
    const missingSummary = { ...baseBranchRun('3'), summary: undefined }
    const parsed = parseHistory(JSON.stringify([baseBranchRun('4'), missingSummary, null]), source)
    expect(parsed.entries.map((e) => (isUnreadable(e) ? [e.runId, e.reason] : e.run.id))).toEqual([
      '4',
      ['3', 'history entry 2: summary: Invalid input: expected object, received undefined'],
      ['77#3', 'history entry 3: (root): Invalid input: expected object, received null'],
    ])
  })
})
