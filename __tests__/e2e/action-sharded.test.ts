/**
 * A sharded run through the action, as the workflow in .github/workflows/perf-sharded.yml runs
 * it: two shard jobs (the action from source, each with its own runner token of one workflow run,
 * real k6, the real sample API) meeting through the runner's results service on 127.0.0.1, then
 * the merge job, which comments on the pull request (GitHub's API double) and stores the results
 * artifact like a single run.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { ensureK6 } from '../../src/k6/install.js'
import { resolveConfig } from '../../src/config/load.js'
import { loadShapeHash } from '../../src/config/load-shape.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'
import { verifyDelivery } from '../../src/webhook/verify.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { runBundledAction } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'
import { startResultsService, type ResultsService } from '../storage/results-service.js'

const TOKEN = 'ghs_shardedRunToken0123456'
const PR = 12
const GENEROUS = '__tests__/fixtures/gate/generous.yml'
/** GENEROUS with the slow report measured often enough for its p95 to be judged against the baseline. */
const SLOW_REPORT_MEASURED = '__tests__/fixtures/gate/slow-report-measured.yml'

let api: Awaited<ReturnType<typeof startSampleApi>>
let github: GitHubApiServer
let service: ResultsService
let k6Dir: string

beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  api = await startSampleApi({ port: 0, token: 'sample', seed: 9 })
  github = await startGitHubApiServer({ owner: 'acme', repo: 'shop', tokens: { [TOKEN]: { permission: 'write' } } })
  github.state.addPullRequest({ number: PR, headRef: 'feature', baseRef: 'main' })
  service = await startResultsService()
}, 300_000)

afterAll(async () => {
  await service?.close()
  await github?.close()
  await api?.close()
})

function job(inputs: Record<string, string>, runtime: Record<string, string>, name: string) {
  const tmp = tempDir('perf-xi-sharded-event-')
  const eventPath = path.join(tmp, 'event.json')
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: PR, head: { repo: { full_name: 'acme/shop' } } } }))
  return runBundledAction({
    entry: 'source',
    inputs: { 'github-token': TOKEN, config: GENEROUS, 'base-url': api.url, duration: '2s', ...inputs },
    env: {
      ...runtime,
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_BASE_REF: 'main',
      GITHUB_REF_NAME: `${PR}/merge`,
      GITHUB_WORKFLOW_REF: `acme/shop/.github/workflows/perf-sharded.yml@refs/pull/${PR}/merge`,
      GITHUB_JOB: name,
      GITHUB_RUN_ID: '901',
      GITHUB_SHA: 'feedbeef',
      SAMPLE_API_TOKEN: 'sample',
    },
    k6Dir,
  })
}

it('runs two shard jobs together and merges them into one verdict, comment and results artifact', async () => {
  const runBackendId = randomUUID()
  const shards = await Promise.all([1, 2].map((i) => job({ shard: `${i}/2`, 'shard-wait': '2m' }, service.issueToken({ runBackendId }).env, 'shard')))
  for (const shard of shards) {
    expect(shard.outputs.verdict).toBe('shard')
    expect(shard.exitCode).toBe(0)
    expect(shard.stdout).toMatch(/Shard [12]\/2: all 2 shards ready; starting in/)
  }
  // The shards comment nothing: the merge job reports.
  expect(github.state.comments(PR)).toEqual([])

  const merge = await job({ mode: 'merge' }, service.issueToken({ runBackendId }).env, 'merge')
  expect(merge.outputs.verdict).toBe('pass')
  expect(merge.exitCode).toBe(0)
  const results = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(merge.tmp, 'results.json'), 'utf8')))
  expect(results.shards).toMatchObject({ count: 2, confirmation_rerun: false })
  expect(results.shards!.start_skew_ms).toBeLessThan(1000)
  expect(results.summary.requests_total).toBe(results.shards!.shards.reduce((sum, s) => sum + s.requests, 0))
  const comments = github.state.comments(PR)
  expect(comments).toHaveLength(1)
  expect(comments[0]!.body).toContain('Sharded run: 2 shards of plan')
  expect(merge.summary).toContain('Sharded run: 2 shards of plan')
  // The merged results are the artifact later runs compare with.
  expect(service.artifacts.filter((a) => a.finalized).map((a) => a.name)).toEqual(expect.arrayContaining(['perf-xi-results']))
  expect(service.violations).toEqual([])
  expect(github.violations).toEqual([])
}, 180_000)

it('refuses a merge with no shard artifacts in one line, before anything else', async () => {
  const merge = await job({ mode: 'merge' }, service.issueToken().env, 'merge')
  expect(merge.outputs.verdict).toBe('error')
  expect(merge.exitCode).toBe(1)
  expect(merge.stdout).toContain('::error::mode merge: no shard artifacts (perf-xi-shard-i-of-N-…) in this workflow run')
}, 60_000)

it('judges a merged run against the base branch as a single run is: regression, annotation, comment and signed webhook', async () => {
  // Five earlier runs of this workflow on main in which GET /reports/slow (150 ms here) took 100 ms.
  const inputs = { config: SLOW_REPORT_MEASURED, vus: '6', duration: '5s', 'fail-on': 'both' }
  const shape = loadShapeHash(resolveConfig({ ...inputs, 'base-url': api.url }, { cwd: process.cwd() }))
  const base = ResultsFileSchema.parse(JSON.parse(readFileSync('__tests__/fixtures/results/webhook-sample-results.json', 'utf8')))
  for (let hours = 1; hours <= 5; hours++) {
    const finished = new Date(Date.now() - hours * 3_600_000)
    const run = github.state.addWorkflowRun({ workflowId: 'perf-sharded.yml', branch: 'main', event: 'push', createdAt: finished })
    const results: ResultsFile = {
      ...base,
      run: { ...base.run, id: String(run.id), pr: null, load_shape: shape, finished_at: finished.toISOString() },
      verdict: 'pass',
      slis: base.slis.map((s) => (s.endpoint === 'GET /reports/slow' ? { ...s, p95_ms: 100 * (1 + (hours % 3) * 0.01) } : s)),
    }
    github.state.addArtifact(run.id, 'perf-xi-results', { 'perf-xi-results.json': JSON.stringify(results) })
  }
  const secret = 'whsec-sharded-merge-7c2e'
  const received: Array<{ ok: boolean; body: string }> = []
  const receiver = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      received.push({ ok: verifyDelivery({ body, headers: req.headers as Record<string, string>, secret }).ok, body })
      res.statusCode = 204
      res.end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  try {
    const runBackendId = randomUUID()
    const shards = await Promise.all(
      [1, 2].map((i) => job({ ...inputs, shard: `${i}/2`, 'shard-wait': '2m' }, service.issueToken({ runBackendId }).env, 'shard')),
    )
    for (const shard of shards) expect(shard.exitCode).toBe(0)
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/perf`
    const merge = await job(
      { ...inputs, mode: 'merge', 'webhook-url': webhookUrl, 'webhook-secret': secret },
      service.issueToken({ runBackendId }).env,
      'merge',
    )

    const results = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(merge.tmp, 'results.json'), 'utf8')))
    expect(results.baseline).toMatchObject({ status: 'ok', branch: 'main', history_runs: 5 })
    for (const shard of results.shards!.shards) expect(shard.requests).toBeGreaterThan(0)
    expect(results.regressions).toContainEqual(expect.objectContaining({ endpoint: 'GET /reports/slow', metric: 'p95_ms' }))
    // No confirmation re-run: the shards' load cannot be re-run from the merge job, and it says so.
    expect(results.baseline?.confirmed_with_rerun ?? []).toEqual([])
    expect(merge.stdout).toContain('Regressions are judged on the merged run alone: a sharded run has no confirmation re-run')
    expect(merge.outputs.verdict).toBe('fail')
    expect(merge.exitCode).toBe(1)
    expect(merge.stdout).toMatch(/^::(error|warning) title=Regression%3A GET \/reports\/slow/m)
    const comment = github.state.comments(PR).at(-1)!.body
    expect(comment).toContain('**Baseline:** 5 earlier runs of `main`')
    expect(comment).toContain('Sharded run: 2 shards of plan')
    expect(comment).toMatch(/GET \/reports\/slow: (whole distribution|tail only|median)/)
    expect(received).toHaveLength(1)
    expect(received[0]!.ok).toBe(true)
    expect(JSON.parse(received[0]!.body)).toMatchObject({ ci_gate: 'fail' })
    // The webhook secret reaches the log only in the runner's own masking command.
    expect(merge.stdout.split('\n').filter((l) => l.includes(secret))).toEqual([`::add-mask::${secret}`])
    expect(service.violations).toEqual([])
    expect(github.violations).toEqual([])
  } finally {
    receiver.closeAllConnections()
    await new Promise((resolve) => receiver.close(resolve))
  }
}, 180_000)
