/**
 * The GitHub API test server at the HTTP level: what it checks against GitHub's REST description,
 * how it answers, its state, its fault injection and its lifecycle. (octokit.test.ts drives it
 * with a real Octokit.)
 */
import { request as httpRequest, Agent } from 'node:http'
import { getOctokit } from '@actions/github'
import { descriptionLoadMs, startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'

let server: GitHubApiServer
let repoPath: string

beforeAll(async () => {
  server = await startGitHubApiServer()
  repoPath = `/repos/${server.owner}/${server.repo}`
})
afterAll(() => server.close())
beforeEach(() => server.clearLog())

interface CallOptions {
  token?: string | null
  headers?: Record<string, string>
  json?: unknown
  rawBody?: string
  base?: string
}

async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'user-agent': 'perf-xi-test', ...opts.headers }
  if (opts.token !== null) headers.authorization = `token ${opts.token ?? 'ghs_test'}`
  let body: string | undefined = opts.rawBody
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json)
    headers['content-type'] ??= 'application/json; charset=utf-8'
  }
  const response = await fetch(`${opts.base ?? server.url}${path}`, { method, headers, body, redirect: 'manual' })
  const text = await response.text()
  let data: unknown = text
  try {
    data = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, data }
}

describe('the description', () => {
  it('is loaded and indexed once per process, quickly', () => {
    expect(descriptionLoadMs()).toBeGreaterThan(0)
    expect(descriptionLoadMs()).toBeLessThan(5_000)
  })
})

describe('requests checked against the description', () => {
  it.each([
    {
      what: 'an unknown path',
      method: 'GET',
      path: () => `${repoPath}/perf-xi`,
      status: 404,
      violation: { kind: 'unknown-route', message: expect.stringContaining("no path in GitHub's REST description matches") },
    },
    {
      what: 'a method the path does not describe',
      method: 'DELETE',
      path: () => `${repoPath}/pulls/1`,
      status: 404,
      violation: {
        kind: 'unknown-route',
        message: expect.stringContaining('DELETE is not described for /repos/{owner}/{repo}/pulls/{pull_number} (described: GET, PATCH)'),
      },
    },
    {
      what: 'per_page over 100',
      method: 'GET',
      path: () => `${repoPath}/issues/1/comments?per_page=101`,
      status: 422,
      violation: { kind: 'query', details: [{ in: 'query', field: 'per_page', message: 'must be <= 100' }] },
    },
    {
      what: 'a query parameter the operation does not have',
      method: 'GET',
      path: () => `${repoPath}/actions/runs?branches=main`,
      status: 422,
      violation: { kind: 'query', details: [{ in: 'query', field: 'branches', message: 'is not a parameter of actions/list-workflow-runs-for-repo' }] },
    },
    {
      what: 'a value outside an enum',
      method: 'GET',
      path: () => `${repoPath}/actions/runs?status=green`,
      status: 422,
      violation: {
        kind: 'query',
        details: [{ in: 'query', field: 'status', message: expect.stringMatching(/^must be equal to one of the allowed values: \["completed",.*"success"/) }],
      },
    },
    {
      what: 'a non-integer path parameter',
      method: 'GET',
      path: () => `${repoPath}/issues/first/comments`,
      status: 422,
      violation: { kind: 'path', details: [{ in: 'path', field: 'issue_number', message: 'must be integer' }] },
    },
    {
      what: 'an archive format other than zip',
      method: 'GET',
      path: () => `${repoPath}/actions/artifacts/1/tar`,
      status: 422,
      violation: { kind: 'path', details: [{ in: 'path', field: 'archive_format', message: 'must be equal to one of the allowed values: ["zip"]' }] },
    },
  ])('$what is answered $status and recorded', async ({ method, path, status, violation }) => {
    const response = await call(method, path())
    expect(response.status).toBe(status)
    expect(server.violations).toEqual([expect.objectContaining({ method, path: path().split('?')[0], ...violation })])
  })

  it.each([
    { what: 'a missing required property', json: {}, details: [{ in: 'body', field: 'body', message: "must have required property 'body'" }] },
    { what: 'a wrong type', json: { body: ['a'] }, details: [{ in: 'body', field: 'body', message: 'must be string' }] },
    { what: 'no body at all', json: undefined, details: [{ in: 'body', field: '(body)', message: 'a request body is required' }] },
  ])('a comment with $what is answered 422 like GitHub and recorded', async ({ json, details }) => {
    server.state.addIssue(1)
    const response = await call('POST', `${repoPath}/issues/1/comments`, { json })
    expect(response.status).toBe(422)
    expect(response.data).toMatchObject({
      message: expect.stringMatching(/^Invalid request\./),
      errors: [expect.objectContaining({ field: details[0]?.field })],
    })
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'body', operationId: 'issues/create-comment', details })])
    expect(server.state.comments(1)).toEqual([])
  })

  it('answers unparsable JSON 400 "Problems parsing JSON" and records it', async () => {
    server.state.addIssue(1)
    const response = await call('POST', `${repoPath}/issues/1/comments`, { rawBody: '{"body": ', headers: { 'content-type': 'application/json' } })
    expect(response.status).toBe(400)
    expect(response.data).toMatchObject({ message: 'Problems parsing JSON' })
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'body' })])
  })

  it('records a content type the operation does not accept', async () => {
    server.state.addIssue(1)
    const response = await call('POST', `${repoPath}/issues/1/comments`, {
      rawBody: 'body=hi',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(response.status).toBe(422)
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'header', details: [expect.objectContaining({ field: 'content-type' })] })])
  })

  it('routes a multi-segment parameter (x-multi-segment) and the most literal template', async () => {
    const seen: unknown[] = []
    server.route('GET', '/repos/{owner}/{repo}/contents/{path}', (req) => {
      seen.push(req.params)
      return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } }
    })
    await call('GET', `${repoPath}/contents/.github/perf-xi.yml`)
    await call('GET', `${repoPath}/issues/comments`) // literal "comments", not {issue_number}
    expect(seen).toEqual([{ owner: server.owner, repo: server.repo, path: '.github/perf-xi.yml' }])
    expect(server.requests.map((r) => r.operationId)).toEqual(['repos/get-content', 'issues/list-comments-for-repo'])
  })
})

describe('authentication and headers', () => {
  it.each([
    { what: 'no Authorization header', headers: {} as Record<string, string>, token: null, message: 'no Authorization header' },
    { what: 'a Basic Authorization header', headers: { authorization: 'Basic dXNlcjpwYXNz' }, token: null, message: 'malformed Authorization header' },
  ])('answers $what with 401 and records it', async ({ headers, token, message }) => {
    const response = await call('GET', repoPath, { headers, token })
    expect(response.status).toBe(401)
    expect(response.data).toMatchObject({ message: 'Requires authentication' })
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'auth', message: expect.stringContaining(message) })])
  })

  it('accepts "token <t>" and "Bearer <t>"', async () => {
    expect((await call('GET', repoPath)).status).toBe(200)
    expect((await call('GET', repoPath, { token: null, headers: { authorization: 'Bearer ghs_x' } })).status).toBe(200)
    expect(server.violations).toEqual([])
  })

  it('answers an unknown token with 401 "Bad credentials" when tokens are configured (not a violation)', async () => {
    const strict = await startGitHubApiServer({ tokens: { good: {} } })
    try {
      expect((await call('GET', repoPath, { base: strict.url, token: 'good' })).status).toBe(200)
      const bad = await call('GET', repoPath, { base: strict.url, token: 'expired' })
      expect(bad.status).toBe(401)
      expect(bad.data).toMatchObject({ message: 'Bad credentials' })
      expect(strict.violations).toEqual([])
    } finally {
      await strict.close()
    }
  })

  it('accepts the API versions the description names and rejects others with 400', async () => {
    expect((await call('GET', repoPath, { headers: { 'x-github-api-version': '2022-11-28' } })).status).toBe(200)
    const unknown = await call('GET', repoPath, { headers: { 'x-github-api-version': '2023-01-01' } })
    expect(unknown.status).toBe(400)
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'header', message: expect.stringContaining('X-GitHub-Api-Version 2023-01-01') })])
  })

  it('rejects a request without User-Agent with 403, like GitHub', async () => {
    const { status } = await new Promise<{ status: number }>((resolve, reject) => {
      const req = httpRequest(`${server.url}${repoPath}`, { headers: { authorization: 'token t' } }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }))
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(403)
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'header', message: expect.stringContaining('User-Agent') })])
  })

  it('records requests without the authorization header, with GitHub-like response headers', async () => {
    const response = await call('GET', repoPath)
    expect(response.headers.get('x-github-request-id')).toMatch(/^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{6}:[0-9A-F]+$/)
    expect(response.headers.get('x-ratelimit-limit')).toBe('5000')
    expect(response.headers.get('x-ratelimit-resource')).toBe('core')
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
    const before = Number(response.headers.get('x-ratelimit-remaining'))
    const after = Number((await call('GET', repoPath)).headers.get('x-ratelimit-remaining'))
    expect(after).toBe(before - 1)
    expect(server.requests[0]).toEqual({
      method: 'GET',
      path: repoPath,
      template: '/repos/{owner}/{repo}',
      operationId: 'repos/get',
      query: {},
      body: undefined,
      headers: expect.not.objectContaining({ authorization: expect.anything() }),
      status: 200,
    })
  })

  it('enforces the primary rate limit per token', async () => {
    const limited = await startGitHubApiServer({ rateLimit: { limit: 2, windowSeconds: 60 } })
    try {
      const statuses = []
      for (let i = 0; i < 3; i++) statuses.push(await call('GET', repoPath, { base: limited.url }))
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 403])
      expect(statuses[2]?.headers.get('x-ratelimit-remaining')).toBe('0')
      expect(statuses[2]?.data).toMatchObject({ message: expect.stringContaining('API rate limit exceeded') })
      expect((await call('GET', repoPath, { base: limited.url, token: 'another' })).status).toBe(200)
    } finally {
      await limited.close()
    }
  })
})

describe('state: issue comments', () => {
  it('paginates with GitHub Link headers (prev, next, last, first), keeping per_page', async () => {
    server.state.addComments(
      10,
      Array.from({ length: 25 }, (_, i) => `c${i}`),
    )
    const page = (n: number) => `${server.url}${repoPath}/issues/10/comments?per_page=5&page=${n}`
    const middle = await call('GET', `${repoPath}/issues/10/comments?per_page=5&page=3`)
    expect(middle.headers.get('link')).toBe(`<${page(2)}>; rel="prev", <${page(4)}>; rel="next", <${page(5)}>; rel="last", <${page(1)}>; rel="first"`)
    expect((middle.data as { body: string }[]).map((c) => c.body)).toEqual(['c10', 'c11', 'c12', 'c13', 'c14'])
    const last = await call('GET', `${repoPath}/issues/10/comments?per_page=5&page=5`)
    expect(last.headers.get('link')).toBe(`<${page(4)}>; rel="prev", <${page(1)}>; rel="first"`)
    const beyond = await call('GET', `${repoPath}/issues/10/comments?per_page=5&page=9`)
    expect(beyond.data).toEqual([])
    const single = await call('GET', `${repoPath}/issues/10/comments?per_page=100`)
    expect(single.headers.get('link')).toBeNull()
    expect(server.violations).toEqual([])
  })

  it('answers 404 for an issue that does not exist and for another repository (not violations)', async () => {
    expect((await call('GET', `${repoPath}/issues/999/comments`)).status).toBe(404)
    expect((await call('GET', `/repos/someone-else/${server.repo}/issues/1/comments`)).status).toBe(404)
    expect((await call('PATCH', `${repoPath}/issues/comments/1`, { json: { body: 'x' } })).status).toBe(404)
    expect(server.violations).toEqual([])
  })

  it('serves the full media type (body, body_text, body_html) and deletes comments', async () => {
    const [comment] = server.state.addComments(11, ['<b>x</b>'])
    const full = await call('GET', `${repoPath}/issues/comments/${comment?.id}`, { headers: { accept: 'application/vnd.github.full+json' } })
    expect(full.data).toMatchObject({ body: '<b>x</b>', body_text: '<b>x</b>', body_html: '<p>&lt;b&gt;x&lt;/b&gt;</p>' })
    expect((await call('DELETE', `${repoPath}/issues/comments/${comment?.id}`)).status).toBe(204)
    expect(server.state.comments(11)).toEqual([])
    expect(server.violations).toEqual([])
  })

  it('filters by since', async () => {
    const [old, recent] = server.state.addComments(12, ['old', 'recent'])
    if (old) old.updatedAt = new Date('2020-01-01T00:00:00Z')
    if (recent) recent.updatedAt = new Date('2025-01-01T00:00:00Z')
    const response = await call('GET', `${repoPath}/issues/12/comments?since=2024-01-01T00:00:00Z`)
    expect((response.data as { body: string }[]).map((c) => c.body)).toEqual(['recent'])
  })
})

describe('state: workflow runs', () => {
  let fresh: GitHubApiServer
  beforeAll(async () => {
    fresh = await startGitHubApiServer()
    fresh.state.addPullRequest({ number: 3, headRef: 'feature', fromFork: false })
    fresh.state.addPullRequest({ number: 4, headRef: 'fork-feature', fromFork: true })
    fresh.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main', event: 'push', createdAt: '2025-01-01T00:00:00Z', headSha: 'a'.repeat(40) })
    fresh.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main', event: 'push', conclusion: 'failure', createdAt: '2025-01-02T00:00:00Z' })
    fresh.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'feature', event: 'pull_request', createdAt: '2025-01-03T00:00:00Z', pullRequests: [3] })
    fresh.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'fork-feature', event: 'pull_request', createdAt: '2025-01-04T00:00:00Z', pullRequests: [4] })
    fresh.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main', status: 'in_progress', createdAt: '2025-01-05T00:00:00Z' })
    fresh.state.addWorkflowRun({ workflowId: 4242, branch: 'main', createdAt: '2025-01-06T00:00:00Z' })
  })
  afterAll(() => fresh.close())

  const runs = async (path: string) => {
    const response = await call('GET', path, { base: fresh.url })
    expect(response.status).toBe(200)
    return response.data as {
      total_count: number
      workflow_runs: { head_branch: string; status: string; conclusion: string | null; created_at: string; pull_requests: { number: number }[] }[]
    }
  }
  const repoRuns = () => `/repos/${fresh.owner}/${fresh.repo}/actions`

  it.each([
    { what: 'all runs of the workflow, newest first', query: '', dates: ['05', '04', '03', '02', '01'] },
    { what: 'a branch', query: '?branch=main', dates: ['05', '02', '01'] },
    { what: 'a conclusion given as status', query: '?branch=main&status=success', dates: ['01'] },
    { what: 'a status', query: '?status=in_progress', dates: ['05'] },
    { what: 'an event', query: '?event=pull_request', dates: ['04', '03'] },
    { what: 'a head sha', query: `?head_sha=${'a'.repeat(40)}`, dates: ['01'] },
    { what: 'a created range', query: '?created=2025-01-02..2025-01-03', dates: ['03', '02'] },
    { what: 'created on or after', query: '?created=>=2025-01-04', dates: ['05', '04'] },
  ])('filters by $what', async ({ query, dates }) => {
    const data = await runs(`${repoRuns()}/workflows/perf.yml/runs${query}`)
    expect(data.workflow_runs.map((r) => r.created_at.slice(8, 10))).toEqual(dates)
    expect(data.total_count).toBe(dates.length)
    expect(fresh.violations).toEqual([])
  })

  it('finds a workflow by numeric id, lists all runs of the repository, and 404s an unknown workflow', async () => {
    expect((await runs(`${repoRuns()}/workflows/4242/runs`)).total_count).toBe(1)
    expect((await runs(`${repoRuns()}/runs?per_page=2`)).total_count).toBe(6)
    expect((await call('GET', `${repoRuns()}/workflows/nightly.yml/runs`, { base: fresh.url })).status).toBe(404)
  })

  it("lists a run's pull requests, except for fork PRs (as GitHub does), and honours exclude_pull_requests", async () => {
    const data = await runs(`${repoRuns()}/runs?event=pull_request`)
    expect(data.workflow_runs.map((r) => [r.head_branch, r.pull_requests.map((p) => p.number)])).toEqual([
      ['fork-feature', []],
      ['feature', [3]],
    ])
    const excluded = await runs(`${repoRuns()}/runs?event=pull_request&exclude_pull_requests=true`)
    expect(excluded.workflow_runs.map((r) => r.pull_requests)).toEqual([[], []])
  })
})

describe('state: artifacts', () => {
  it('filters by name, orders by direction, and serves downloads only through a valid signed URL', async () => {
    const run = server.state.addWorkflowRun({ workflowId: 'perf.yml' })
    const a = server.state.addArtifact(run.id, 'perf-xi-results', { 'results.json': '{}' })
    const b = server.state.addArtifact(run.id, 'k6-raw', { 'raw.json': '[]' })
    const listed = async (query: string) =>
      ((await call('GET', `${repoPath}/actions/runs/${run.id}/artifacts${query}`)).data as { artifacts: { id: number }[] }).artifacts.map((x) => x.id)
    expect(await listed('')).toEqual([b.id, a.id])
    expect(await listed('?direction=asc')).toEqual([a.id, b.id])
    expect(await listed('?name=k6-raw')).toEqual([b.id])

    const redirect = await call('GET', `${repoPath}/actions/artifacts/${a.id}/zip`)
    expect(redirect.status).toBe(302)
    const location = redirect.headers.get('location') ?? ''
    expect(location).toMatch(new RegExp(`^${server.origin}/_blob/artifacts/${a.id}\\.zip\\?se=\\d+&sig=`))
    const blob = await fetch(location) // no Authorization: the signed URL is the credential
    expect(blob.headers.get('content-type')).toBe('application/zip')
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(a.zip)
    expect((await fetch(location.replace(/sig=.*/, 'sig=forged'))).status).toBe(403)
    expect((await call('GET', `${repoPath}/actions/runs/999/artifacts`)).status).toBe(404)
    expect(server.violations).toEqual([])
  })

  it('refuses to seed an artifact for a run that does not exist', () => {
    expect(() => server.state.addArtifact(1, 'x', {})).toThrow('addWorkflowRun first')
  })
})

describe('responses checked against the description', () => {
  it('answers every simulated operation in the described shape', async () => {
    server.state.addPullRequest({ number: 20, body: 'perf change', fromFork: true })
    const [comment] = server.state.addComments(20, ['hello'])
    const run = server.state.addWorkflowRun({ workflowId: 'perf.yml', event: 'pull_request', pullRequests: [20], conclusion: 'failure' })
    const artifact = server.state.addArtifact(run.id, 'perf-xi-results', { 'results.json': '{}' })
    const calls: [string, string, unknown?][] = [
      ['GET', repoPath],
      ['GET', `${repoPath}/pulls/20`],
      ['GET', `${repoPath}/issues/20/comments`],
      ['GET', `${repoPath}/issues/comments/${comment?.id}`],
      ['POST', `${repoPath}/issues/20/comments`, { body: 'new' }],
      ['PATCH', `${repoPath}/issues/comments/${comment?.id}`, { body: 'edited' }],
      ['GET', `${repoPath}/actions/workflows/perf.yml/runs`],
      ['GET', `${repoPath}/actions/runs`],
      ['GET', `${repoPath}/actions/runs/${run.id}`],
      ['GET', `${repoPath}/actions/runs/${run.id}/artifacts`],
      ['GET', `${repoPath}/actions/artifacts`],
      ['GET', `${repoPath}/actions/artifacts/${artifact.id}`],
      ['GET', `${repoPath}/actions/artifacts/${artifact.id}/zip`],
    ]
    for (const [method, path, json] of calls) expect([method, path, (await call(method, path, { json })).status < 400]).toEqual([method, path, true])
    expect(server.violations).toEqual([])
  })

  it('records a custom handler whose answer does not match the response schema', async () => {
    server.route('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', () => ({ status: 200, body: { id: 'not-a-number', name: 'perf-xi' } }))
    await call('GET', `${repoPath}/check-runs/1`)
    expect(server.violations).toEqual([
      expect.objectContaining({
        kind: 'response',
        operationId: 'checks/get',
        details: expect.arrayContaining([{ in: 'response', field: 'id', message: 'must be integer' }, expect.objectContaining({ field: 'head_sha' })]),
      }),
    ])
  })

  it('reports an operation it does not simulate, and refuses a custom route GitHub does not describe', async () => {
    const response = await call('POST', `${repoPath}/check-runs`, { json: { name: 'perf-xi', head_sha: 'a'.repeat(40) } })
    expect(response.status).toBe(501)
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'unimplemented', operationId: 'checks/create' })])
    expect(() => server.route('GET', '/repos/{owner}/{repo}/perf-xi', () => ({ status: 200 }))).toThrow("not an operation in GitHub's REST description")
  })
})

describe('fault injection', () => {
  it('matches by method, template, concrete path or RegExp, in order, the given number of times', async () => {
    const byTemplate = server.inject({ method: 'GET', path: '/repos/{owner}/{repo}', status: 503, times: 2 })
    const byRegExp = server.inject({ path: /\/pulls\/\d+$/, status: 404 })
    server.state.addPullRequest({ number: 30 })
    expect((await call('POST', `${repoPath}/issues/30/comments`, { json: { body: 'x' } })).status).toBe(201)
    expect((await call('GET', repoPath)).status).toBe(503)
    expect((await call('GET', `${repoPath}/pulls/30`)).status).toBe(404)
    expect((await call('GET', `${repoPath}/pulls/30`)).status).toBe(200)
    expect(byRegExp.hits).toBe(1)
    expect(byTemplate.remaining).toBe(1)
    byTemplate.cancel()
    expect((await call('GET', repoPath)).status).toBe(200)

    server.inject({ path: `${repoPath}/pulls/30`, status: 422, times: Infinity, body: { message: 'custom' }, headers: { 'x-custom': '1' } })
    const custom = await call('GET', `${repoPath}/pulls/30`)
    expect([custom.status, custom.data, custom.headers.get('x-custom')]).toEqual([422, { message: 'custom' }, '1'])
    expect(server.violations).toEqual([])
  })

  it.each([
    { what: '429 (secondary by default)', fault: { status: 429 as const }, headers: { 'retry-after': '1' }, message: /secondary rate limit/ },
    {
      what: '403 secondary',
      fault: { status: 403 as const, rateLimit: 'secondary' as const, retryAfterSeconds: 30 },
      headers: { 'retry-after': '30' },
      message: /secondary rate limit/,
    },
    {
      what: '429 primary',
      fault: { status: 429 as const, rateLimit: 'primary' as const },
      headers: { 'x-ratelimit-remaining': '0' },
      message: /API rate limit exceeded/,
    },
    { what: '403 permission', fault: { status: 403 as const }, headers: { 'retry-after': null }, message: /Resource not accessible by integration/ },
  ])('shapes a $what answer like GitHub', async ({ fault, headers, message }) => {
    server.inject(fault)
    const response = await call('GET', repoPath)
    expect(response.status).toBe(fault.status)
    for (const [name, value] of Object.entries(headers)) expect(response.headers.get(name)).toBe(value)
    expect((response.data as { message: string }).message).toMatch(message)
  })

  it('slows answers with delayMs, alone or with a status', async () => {
    server.inject({ path: '/repos/{owner}/{repo}', delayMs: 150 })
    let started = Date.now()
    expect((await call('GET', repoPath)).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    server.inject({ path: '/repos/{owner}/{repo}', delayMs: 100, status: 502 })
    started = Date.now()
    expect((await call('GET', repoPath)).status).toBe(502)
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
  })
})

describe('GitHub Enterprise Server layout', () => {
  it('serves under /api/v3 for getOctokit({ baseUrl }) and flags requests that miss the prefix', async () => {
    const ghes = await startGitHubApiServer({ pathPrefix: '/api/v3', owner: 'perf', repo: 'api' })
    try {
      expect(ghes.url).toBe(`${ghes.origin}/api/v3`)
      expect(ghes.env()).toEqual({ GITHUB_API_URL: ghes.url, GITHUB_SERVER_URL: ghes.origin, GITHUB_REPOSITORY: 'perf/api' })
      ghes.state.addComments(
        1,
        Array.from({ length: 3 }, (_, i) => `c${i}`),
      )
      const octokit = getOctokit('t', { baseUrl: ghes.url })
      const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: 'perf', repo: 'api', issue_number: 1, per_page: 2 })
      expect(all).toHaveLength(3)
      expect(ghes.requests.map((r) => r.path)).toEqual(['/repos/perf/api/issues/1/comments', '/repos/perf/api/issues/1/comments'])
      expect(ghes.violations).toEqual([])

      await call('GET', '/repos/perf/api', { base: ghes.origin })
      expect(ghes.violations).toEqual([expect.objectContaining({ kind: 'unknown-route', message: expect.stringContaining('outside the API prefix /api/v3') })])
    } finally {
      await ghes.close()
    }
  })
})

describe('lifecycle', () => {
  it('close() ends keep-alive connections and pending delayed answers promptly', async () => {
    const s = await startGitHubApiServer()
    const agent = new Agent({ keepAlive: true })
    const get = () =>
      new Promise<void>((resolve) => {
        const req = httpRequest(`${s.url}/repos/${s.owner}/${s.repo}`, { agent, headers: { authorization: 'token t', 'user-agent': 'x' } }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
        req.on('error', () => resolve())
        req.end()
      })
    await get()
    s.inject({ delayMs: 60_000 })
    const pending = get()
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    await s.close()
    await pending
    expect(Date.now() - started).toBeLessThan(1_000)
    agent.destroy()
  })
})
