/**
 * `mode: comment` (the workflow_run pattern for forks), the bundle as the runner runs it against
 * the validating GitHub double: the comment is posted for the tested head, skipped with a warning
 * when the contributor has pushed since, and a GitHub failure names the call and the status.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ensureK6 } from '../../src/k6/install.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { ROOT, runBundledAction } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'

const TOKEN = 'ghs_commentModeToken777'
const PR = 21
const TESTED = 'a'.repeat(40)

let github: GitHubApiServer
let k6Dir: string
let workspace: string

beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  github = await startGitHubApiServer({ owner: 'acme', repo: 'shop', tokens: { [TOKEN]: { permission: 'write' } } })
  workspace = tempDir('perf-xi-comment-mode-')
  const results = JSON.parse(readFileSync(path.join(ROOT, '__tests__/fixtures/results/webhook-sample-results.json'), 'utf8'))
  writeFileSync(path.join(workspace, 'perf-xi-results.json'), JSON.stringify({ ...results, run: { ...results.run, pr: PR } }))
}, 300_000)

afterAll(async () => {
  await github?.close()
  if (workspace) rmSync(workspace, { recursive: true, force: true })
})

async function commentMode() {
  const run = await runBundledAction({
    inputs: { mode: 'comment', 'head-sha': TESTED, 'github-token': TOKEN, 'results-file': 'perf-xi-results.json' },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_NAME: 'workflow_run' },
    workspace,
    k6Dir,
  })
  rmSync(run.tmp, { recursive: true, force: true })
  return run
}

describe('mode comment', () => {
  it('warns and posts nothing when the pull request has moved past the tested commit, without failing the step', async () => {
    github.state.addPullRequest({ number: PR, headRef: 'feature', baseRef: 'main', headSha: 'b'.repeat(40) })
    const run = await commentMode()
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(
      /^::warning::the results name pull request #21, whose head is now bbbbbbbbbbbb, not the tested commit aaaaaaaaaaaa \(pushed again\?\); no comment posted$/m,
    )
    expect(run.stdout).not.toContain('::error::')
    expect(github.state.comments(PR)).toEqual([])
    expect(github.violations).toEqual([])
  }, 60_000)

  it('names the call and the status when GitHub fails, never "Unknown error" alone', async () => {
    github.inject({ method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}', status: 502, body: '', times: Infinity })
    const run = await commentMode()
    github.clearLog()
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::GitHubApiError: Reading pull request acme\/shop#21: GitHub answered 502 without a message$/m)
  }, 60_000)
})
