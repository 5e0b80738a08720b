/**
 * The GitHub API test server driven by a real Octokit (`getOctokit` from @actions/github, with
 * @octokit/plugin-retry and @octokit/plugin-throttling as the action uses them). Every test ends
 * by checking that the server saw no request GitHub's description rejects (unless that is the point).
 */
import { getOctokit } from '@actions/github'
import { RequestError } from '@octokit/request-error'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { strFromU8, unzipSync } from 'fflate'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'

const TOKEN = 'ghs_test_token_0123456789'

let server: GitHubApiServer
let owner: string
let repo: string

beforeAll(async () => {
  server = await startGitHubApiServer()
  owner = server.owner
  repo = server.repo
})
afterAll(() => server.close())
beforeEach(() => server.clearLog())

/** A plain client, as `getOctokit(token, { baseUrl: GITHUB_API_URL })` in the action. */
const plainClient = () => getOctokit(TOKEN, { baseUrl: server.url })

/** The client the action uses in production, with waits shrunk from seconds to milliseconds. */
const resilientClient = (events: string[] = []) =>
  getOctokit(
    TOKEN,
    {
      baseUrl: server.url,
      retry: {
        retryAfterBaseValue: 5, // plugin-retry waits (retryCount + 1)² × this (ms)
        // plugin-retry's defaults leave 429 retryable; with them it retries a 429 itself (ignoring
        // retry-after) before plugin-throttling ever sees it. Rate limits belong to plugin-throttling.
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      },
      throttle: {
        retryAfterBaseValue: 5, // plugin-throttling waits retry-after (s) × this (ms)
        onRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => {
          events.push(`rate-limit ${after}s #${count}`)
          return count < 2
        },
        onSecondaryRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => {
          events.push(`secondary-rate-limit ${after}s #${count}`)
          return count < 2
        },
      },
    },
    retry,
    throttling,
  )

const statuses = (template: string) => server.requests.filter((r) => r.template === template).map((r) => r.status)

describe('issue comments', () => {
  it('octokit.paginate reads 150 comments across pages, following the Link header', async () => {
    const bodies = Array.from({ length: 150 }, (_, i) => `comment ${i + 1}`)
    server.state.addComments(101, bodies)
    const octokit = plainClient()

    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: 101, per_page: 100 })
    expect(all.map((c) => c.body)).toEqual(bodies)
    expect(server.requests.map((r) => r.query)).toEqual([{ per_page: '100' }, { per_page: '100', page: '2' }])

    server.clearLog()
    const byDefault = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: 101 })
    expect(byDefault).toHaveLength(150)
    expect(server.requests).toHaveLength(5) // default per_page 30
    expect(server.violations).toEqual([])
  })

  it('creates a comment, then updates it in place', async () => {
    server.state.addPullRequest({ number: 102 })
    const octokit = plainClient()

    const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: 102, body: '<!-- perf-xi -->\nfirst' })
    expect(created.status).toBe(201)
    expect(created.data.user?.login).toBe('github-actions[bot]')
    expect(created.data.html_url).toBe(`${server.origin}/${owner}/${repo}/pull/102#issuecomment-${created.data.id}`)

    const updated = await octokit.rest.issues.updateComment({ owner, repo, comment_id: created.data.id, body: '<!-- perf-xi -->\nsecond' })
    expect(updated.data.id).toBe(created.data.id)
    expect(server.state.comments(102).map((c) => c.body)).toEqual(['<!-- perf-xi -->\nsecond'])
    expect(server.requests.map((r) => `${r.method} ${r.template} ${r.status}`)).toEqual([
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201',
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200',
    ])
    expect(server.requests[0]?.body).toEqual({ body: '<!-- perf-xi -->\nfirst' })
    expect(server.requests[0]?.headers).not.toHaveProperty('authorization')
    expect(server.violations).toEqual([])
  })

  it('rejects a body that violates the schema with 422 and records the violation', async () => {
    server.state.addIssue(103)
    const octokit = plainClient()

    const error = await octokit.rest.issues.createComment({ owner, repo, issue_number: 103, body: 42 as unknown as string }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestError)
    expect((error as RequestError).status).toBe(422)
    expect(server.violations).toEqual([
      expect.objectContaining({
        kind: 'body',
        operationId: 'issues/create-comment',
        details: [{ in: 'body', field: 'body', message: 'must be string' }],
      }),
    ])
    expect(server.state.comments(103)).toEqual([])
  })

  it('answers a body over 65,536 characters the way GitHub does (422, Validation Failed) and records the broken rule', async () => {
    server.state.addIssue(104)
    const error = (await plainClient()
      .rest.issues.createComment({ owner, repo, issue_number: 104, body: 'x'.repeat(65_537) })
      .catch((e: unknown) => e)) as RequestError
    expect(error.status).toBe(422)
    expect(error.response?.data).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'IssueComment', field: 'body', code: 'custom' }] })
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'rule', message: expect.stringContaining('maximum is 65536 characters') })])
  })
})

describe('routes outside the description', () => {
  it('records an unknown route as a violation and answers 404', async () => {
    const error = (await plainClient()
      .request('GET /repos/{owner}/{repo}/perf-xi/baseline', { owner, repo })
      .catch((e: unknown) => e)) as RequestError
    expect(error.status).toBe(404)
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'unknown-route', method: 'GET', path: `/repos/${owner}/${repo}/perf-xi/baseline` })])
  })
})

describe('faults, retries and rate limits', () => {
  it('retries an injected 500 and 502 (plugin-retry) and then succeeds', async () => {
    server.state.addPullRequest({ number: 201, headRef: 'feature/faster-search' })
    server.inject({ path: '/repos/{owner}/{repo}/pulls/{pull_number}', status: 500 })
    server.inject({ path: '/repos/{owner}/{repo}/pulls/{pull_number}', status: 502 })

    const { data } = await resilientClient().rest.pulls.get({ owner, repo, pull_number: 201 })
    expect(data.head.ref).toBe('feature/faster-search')
    expect(statuses('/repos/{owner}/{repo}/pulls/{pull_number}')).toEqual([500, 502, 200])
    expect(server.violations).toEqual([])
  })

  it('waits out an injected 429 with retry-after (plugin-throttling) and then succeeds', async () => {
    const events: string[] = []
    server.inject({ method: 'GET', path: '/repos/{owner}/{repo}', status: 429, retryAfterSeconds: 2 })

    const { data } = await resilientClient(events).rest.repos.get({ owner, repo })
    expect(data.full_name).toBe(`${owner}/${repo}`)
    expect(events).toEqual(['secondary-rate-limit 2s #0'])
    expect(statuses('/repos/{owner}/{repo}')).toEqual([429, 200])
    expect(server.violations).toEqual([])
  })

  it('waits out a primary rate limit (403, x-ratelimit-remaining: 0) and then succeeds', async () => {
    const events: string[] = []
    server.inject({ path: '/repos/{owner}/{repo}', status: 403, rateLimit: 'primary', retryAfterSeconds: 1 })

    await resilientClient(events).rest.repos.get({ owner, repo })
    expect(events).toEqual([expect.stringMatching(/^rate-limit \ds #0$/)])
    expect(statuses('/repos/{owner}/{repo}')).toEqual([403, 200])
  })

  it('does not retry a 403 that is a permission error', async () => {
    const events: string[] = []
    server.state.addIssue(202)
    server.inject({ method: 'POST', path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', status: 403 })

    const error = (await resilientClient(events)
      .rest.issues.createComment({ owner, repo, issue_number: 202, body: 'x' })
      .catch((e: unknown) => e)) as RequestError
    expect(error.status).toBe(403)
    expect(error.message).toContain('Resource not accessible by integration')
    expect(events).toEqual([])
    expect(statuses('/repos/{owner}/{repo}/issues/{issue_number}/comments')).toEqual([403])
  })

  it("answers writes with a read-only token (a fork PR's GITHUB_TOKEN) with 403, not retried", async () => {
    const readOnly = await startGitHubApiServer({ tokens: { [TOKEN]: { permission: 'read' } } })
    try {
      readOnly.state.addPullRequest({ number: 5, fromFork: true })
      const octokit = getOctokit(TOKEN, { baseUrl: readOnly.url, retry: { retryAfterBaseValue: 5 } }, retry)
      await expect(octokit.rest.pulls.get({ owner, repo, pull_number: 5 })).resolves.toMatchObject({ status: 200 })
      await expect(octokit.rest.issues.createComment({ owner, repo, issue_number: 5, body: 'x' })).rejects.toMatchObject({ status: 403 })
      expect(readOnly.requests.map((r) => r.status)).toEqual([200, 403])
      expect(readOnly.violations).toEqual([])
    } finally {
      await readOnly.close()
    }
  })
})

describe('workflow runs and artifacts', () => {
  it('finds the latest successful base-branch run and downloads its results artifact through the redirect', async () => {
    const sha = 'a'.repeat(40)
    server.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main', conclusion: 'failure', createdAt: '2025-03-03T10:00:00Z' })
    const good = server.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main', headSha: sha, createdAt: '2025-03-02T10:00:00Z' })
    server.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'feature', createdAt: '2025-03-04T10:00:00Z' })
    server.state.addWorkflowRun({ workflowId: 'other.yml', branch: 'main', createdAt: '2025-03-05T10:00:00Z' })
    const results = JSON.stringify({ schema: 'perf-xi/results@1', ci_gate: 'pass' })
    server.state.addArtifact(good.id, 'perf-xi-results', { 'results.json': results, 'raw/k6-summary.json': Buffer.from('{"metrics":{}}') })
    const octokit = resilientClient()

    const runs = await octokit.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: 'perf.yml', branch: 'main', status: 'success', per_page: 1 })
    expect(runs.data.total_count).toBe(1)
    const run = runs.data.workflow_runs[0]
    expect(run).toMatchObject({ id: good.id, head_sha: sha, conclusion: 'success', path: '.github/workflows/perf.yml' })

    const artifacts = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: good.id, name: 'perf-xi-results' })
    const artifact = artifacts.data.artifacts[0]
    expect(artifact).toMatchObject({ name: 'perf-xi-results', expired: false, workflow_run: { id: good.id, head_sha: sha } })

    const download = await octokit.rest.actions.downloadArtifact({ owner, repo, artifact_id: artifact?.id ?? 0, archive_format: 'zip' })
    const files = unzipSync(new Uint8Array(download.data as ArrayBuffer))
    expect(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]))).toEqual({
      'results.json': results,
      'raw/k6-summary.json': '{"metrics":{}}',
    })
    expect(server.requests.slice(-2).map((r) => `${r.template} ${r.status}`)).toEqual([
      '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format} 302',
      '/_blob/artifacts/{file} 200',
    ])
    expect(server.violations).toEqual([])
  })

  it('answers an expired artifact with 410 Gone', async () => {
    const run = server.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main' })
    const old = server.state.addArtifact(run.id, 'perf-xi-results', { 'results.json': '{}' }, { expired: true })
    const listed = await plainClient().rest.actions.listArtifactsForRepo({ owner, repo, name: 'perf-xi-results' })
    expect(listed.data.artifacts.find((a) => a.id === old.id)?.expired).toBe(true)
    await expect(plainClient().rest.actions.downloadArtifact({ owner, repo, artifact_id: old.id, archive_format: 'zip' })).rejects.toMatchObject({
      status: 410,
    })
    expect(server.violations).toEqual([])
  })
})
