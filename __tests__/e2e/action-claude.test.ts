/**
 * The action (from source) on a pull request whose endpoint breaches its SLO, with real k6 and the
 * real sample API, GitHub's API double and the Messages API double: the comment gains the folded,
 * model-written analysis; the verdict and figures are k6's; the key reaches the log only masked.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { ensureK6 } from '../../src/k6/install.js'
import { ResultsFileSchema, type PullRequestAnalysisAnswer } from '../../src/results/schema.js'
import { startAnthropicApiServer, type AnthropicApiServer } from '../support/anthropic-api-server.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { runBundledAction } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'

const TOKEN = 'ghs_claudeRunToken0123456789'
const KEY = 'sk-ant-api03-e2e-0f9d8c7b6a'
const PR = 21
const ANSWER: PullRequestAnalysisAnswer = {
  endpoints: [
    {
      endpoint: 'GET /reports/slow',
      causes: [{ cause: 'The report is computed on every request.', evidence: ['p95 above the 50 ms limit'] }],
      check_first: 'src/reports/cache.ts',
    },
  ],
}

let sample: Awaited<ReturnType<typeof startSampleApi>>
let github: GitHubApiServer
let claude: AnthropicApiServer
let k6Dir: string

beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  sample = await startSampleApi({ port: 0, token: 'sample', seed: 5 })
  github = await startGitHubApiServer({ owner: 'acme', repo: 'shop', tokens: { [TOKEN]: { permission: 'write' } } })
  github.state.addPullRequest({
    number: PR,
    title: 'Drop the report cache',
    files: [{ filename: 'src/reports/cache.ts', status: 'removed', additions: 0, deletions: 42 }],
  })
  claude = await startAnthropicApiServer({ apiKeys: [KEY], answer: () => ANSWER })
}, 300_000)

afterAll(async () => {
  await sample?.close()
  await github?.close()
  await claude?.close()
})

it('adds the folded analysis to the comment of a breached pull request, leaving the verdict to k6', async () => {
  const tmp = tempDir('perf-xi-claude-event-')
  const eventPath = path.join(tmp, 'event.json')
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: PR, head: { repo: { full_name: 'acme/shop' } } } }))
  const run = await runBundledAction({
    entry: 'source',
    inputs: { 'github-token': TOKEN, config: '__tests__/fixtures/gate/slow-breach.yml', 'base-url': sample.url, 'anthropic-model': 'claude-haiku-4-5' },
    env: {
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: claude.url,
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKFLOW_REF: `acme/shop/.github/workflows/perf.yml@refs/pull/${PR}/merge`,
      GITHUB_JOB: 'perf',
      GITHUB_RUN_ID: '901',
      GITHUB_SHA: 'feedbeef',
    },
    k6Dir,
  })
  const results = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(run.tmp, 'results.json'), 'utf8')))
  expect(results.verdict).toBe('fail')
  expect(results.slo_breaches).toContainEqual(expect.objectContaining({ endpoint: 'GET /reports/slow', limit: 'p95' }))
  expect(results.analysis).toMatchObject({ kind: 'pull-request', status: 'written', model_used: 'claude-haiku-4-5', pull_request: ANSWER })
  expect(results.analysis?.input_tokens).toBeGreaterThan(0)

  const prompt = claude.requests[0]!.body.messages[0]!.content as string
  expect(prompt).toContain('<changed_files>\nsrc/reports/cache.ts: removed, +0 −42\n</changed_files>')
  expect(prompt).toContain('GET /reports/slow: Inventory value by category (slow, ~150 ms)')
  expect(prompt).not.toContain(sample.url)
  expect(claude.violations).toEqual([])
  expect(github.violations).toEqual([])

  const comment = github.state.comments(PR).find((c) => c.body.includes('<!-- perf-xi:comment'))!.body
  expect(comment).toContain('<details><summary>🤖 Model-written analysis: likely causes (claude-haiku-4-5)</summary>')
  expect(comment).toContain('Check first: src/reports/cache.ts')
  expect(run.stdout).toMatch(/Claude analysis written by claude-haiku-4-5 \(\d+ input, \d+ output tokens\)/)
  expect(run.exitCode).toBe(1)
  // The key reaches the log only in the runner's own masking command, and no file.
  expect(run.stdout.split('\n').filter((l) => l.includes(KEY))).toEqual([`::add-mask::${KEY}`])
  expect(JSON.stringify(results)).not.toContain(KEY)
  expect(comment).not.toContain(KEY)
}, 120_000)
