/**
 * The pull request comment: marker, size cap, and create-or-update against the GitHub API test
 * server (which validates every request against GitHub's REST description), driven by the client
 * the action uses (createGitHubClient: throttling + retry).
 */
import { ACTIONS_BOT_LOGIN, capCommentBody, commentMarker, GITHUB_COMMENT_MAX, upsertPullRequestComment } from '../../src/github/comment.js'
import { createGitHubClient } from '../../src/github/client.js'
import { GitHubApiError, GitHubPermissionError } from '../../src/github/errors.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { statuses, testClient, TOKEN } from './helpers.js'

const MARKER = commentMarker({ workflow: 'perf.yml', job: 'perf', config: '.github/perf-xi.yml' })
const LIST = '/repos/{owner}/{repo}/issues/{issue_number}/comments'
const UPDATE = '/repos/{owner}/{repo}/issues/comments/{comment_id}'
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** A report shaped like the real one: verdict, breaches, then a long SLI table. */
function report(rows: number, verdict = '## ❌ Perf-Xi: fail'): string {
  const head = [verdict, '', '**2 SLO breaches**', '- `GET /search` p95 812 ms > 500 ms', '- `GET /reports/slow` error rate 2.1 % > 1 %', '']
  const table = ['| endpoint | p50 | p95 | p99 | errors | rps |', '|---|---:|---:|---:|---:|---:|']
  for (let i = 0; i < rows; i++)
    table.push(`| \`GET /items/${i}/details\` | ${(i % 50) + 1}.2 ms | ${(i % 90) + 3}.7 ms | ${(i % 120) + 9}.1 ms | 0.00 % | 12.5 |`)
  return [...head, ...table].join('\n')
}

describe('commentMarker', () => {
  it('names the workflow, job and config in a hidden HTML comment', () => {
    expect(MARKER).toBe('<!-- perf-xi:comment workflow="perf.yml" job="perf" config=".github/perf-xi.yml" -->')
  })

  it.each([
    { what: 'a quote', value: 'perf"yml', encoded: 'perf%22yml' },
    { what: 'the comment terminator', value: 'x-->y', encoded: 'x--%3Ey' },
    { what: 'HTML', value: '<script>&', encoded: '%3Cscript%3E%26' },
    { what: 'a newline', value: 'a\nb', encoded: 'a%0Ab' },
    { what: 'a percent sign (so encoding is one-to-one)', value: '100%', encoded: '100%25' },
    { what: 'non-ASCII, kept readable', value: 'pérf', encoded: 'pérf' },
  ])('escapes $what', ({ value, encoded }) => {
    const marker = commentMarker({ workflow: value, job: value, config: value })
    expect(marker).toBe(`<!-- perf-xi:comment workflow="${encoded}" job="${encoded}" config="${encoded}" -->`)
    expect(marker.indexOf('-->')).toBe(marker.length - 3)
    expect(marker.slice(4).includes('<!--')).toBe(false)
  })

  it('differs for each (workflow, job, config), and none contains another', () => {
    const markers = [
      commentMarker({ workflow: 'perf.yml', job: 'perf', config: '.github/perf-xi.yml' }),
      commentMarker({ workflow: 'perf.yml', job: 'perf', config: '.github/perf-xi-admin.yml' }),
      commentMarker({ workflow: 'perf.yml', job: 'perf-admin', config: '.github/perf-xi.yml' }),
      commentMarker({ workflow: 'nightly.yml', job: 'perf', config: '.github/perf-xi.yml' }),
      commentMarker({ workflow: 'perf.yml" job="perf', job: 'x', config: 'y' }),
    ]
    for (const a of markers) for (const b of markers) if (a !== b) expect(a.includes(b)).toBe(false)
  })
})

describe('capCommentBody', () => {
  it('returns a body that fits and carries the marker unchanged', () => {
    const body = `${MARKER}\n${report(10)}\n`
    expect(capCommentBody(body, MARKER)).toBe(body)
    const exact = MARKER + 'x'.repeat(GITHUB_COMMENT_MAX - MARKER.length)
    expect(capCommentBody(exact, MARKER)).toBe(exact)
  })

  it('puts the marker first when it is missing', () => {
    expect(capCommentBody('## ✅ pass', MARKER)).toBe(`${MARKER}\n## ✅ pass`)
  })

  it('keeps the marker and the head, cuts at a line boundary and counts the lines left', () => {
    const body = `${MARKER}\n${report(3000)}`
    expect(body.length).toBeGreaterThan(GITHUB_COMMENT_MAX)
    const capped = capCommentBody(body, MARKER)

    expect(capped.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX)
    expect(capped.length).toBeGreaterThan(GITHUB_COMMENT_MAX - 200) // uses the room it has
    expect(capped.startsWith(`${MARKER}\n## ❌ Perf-Xi: fail\n\n**2 SLO breaches**\n- \`GET /search\``)).toBe(true)
    const match = /\n\n… (\d+) more lines in the job summary$/.exec(capped)
    expect(match).not.toBeNull()
    const kept = capped.slice(0, match?.index).split('\n')
    const original = body.split('\n')
    expect(kept).toEqual(original.slice(0, kept.length)) // whole lines only
    expect(kept.length + Number(match?.[1])).toBe(original.length)
  })

  it('moves a marker from the end of an oversized body to the top', () => {
    const capped = capCommentBody(`${report(3000)}\n${MARKER}`, MARKER)
    expect(capped.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX)
    expect(capped.startsWith(`${MARKER}\n## ❌ Perf-Xi: fail`)).toBe(true)
    expect(capped.split(MARKER)).toHaveLength(2)
  })

  it('closes a code fence and a <details> block left open by the cut', () => {
    const body = [
      '## ❌ fail',
      '<details><summary>k6 output</summary>',
      '',
      '```text',
      ...Array.from({ length: 500 }, (_, i) => `line ${i} ${'.'.repeat(40)}`),
      '```',
      '</details>',
    ].join('\n')
    const capped = capCommentBody(body, MARKER, 2000)
    expect(capped.length).toBeLessThanOrEqual(2000)
    expect(capped).toMatch(/\.\n```\n\n<\/details>\n\n… \d+ more lines in the job summary$/)
  })

  it.each([1000, 1001, 1002, 1003])('never splits a surrogate pair when one line has to be cut (limit %i)', (limit) => {
    for (const body of ['😀'.repeat(5000), `a${'😀'.repeat(5000)}`, `${'😀'.repeat(5000)}\nsecond line`]) {
      const capped = capCommentBody(body, MARKER, limit)
      expect(capped.length).toBeLessThanOrEqual(limit)
      expect(capped.length).toBeGreaterThanOrEqual(limit - 1)
      expect(capped.startsWith(MARKER)).toBe(true)
      expect(capped).not.toMatch(LONE_SURROGATE)
      expect(capped).toMatch(/… (the rest is|the rest of this line and 1 more line) in the job summary$/)
    }
  })

  it('fits every limit from tight to roomy, always with the marker', () => {
    const body = report(40)
    for (let limit = 220; limit < body.length + 200; limit += 7) {
      const capped = capCommentBody(body, MARKER, limit)
      expect(capped.length).toBeLessThanOrEqual(limit)
      expect(capped.startsWith(MARKER)).toBe(true)
    }
  })

  it('refuses a limit that cannot hold the marker', () => {
    expect(() => capCommentBody(report(10), MARKER, 50)).toThrow(RangeError)
  })
})

describe('upsertPullRequestComment', () => {
  let server: GitHubApiServer
  let owner: string
  let repo: string
  let warnings: string[]

  beforeAll(async () => {
    server = await startGitHubApiServer()
    owner = server.owner
    repo = server.repo
  })
  afterAll(() => server.close())
  beforeEach(() => {
    server.clearLog()
    warnings = []
  })
  afterEach(() => expect(warnings.join('\n')).not.toContain(TOKEN))

  it('creates the comment, then updates it in place, on a pull request with 150 other comments', async () => {
    server.state.addPullRequest({ number: 11 })
    server.state.addComments(
      11,
      Array.from({ length: 150 }, (_, i) => `review note ${i + 1}`),
      { login: 'octocat' },
    )
    const created = await upsertPullRequestComment(testClient(server, warnings), {
      owner,
      repo,
      issueNumber: 11,
      marker: MARKER,
      body: `${MARKER}\n## ❌ fail`,
    })
    expect(created).toEqual({ action: 'created', id: expect.any(Number), url: `${server.origin}/${owner}/${repo}/pull/11#issuecomment-${created.id}` })

    server.clearLog()
    const updated = await upsertPullRequestComment(testClient(server, warnings), {
      owner,
      repo,
      issueNumber: 11,
      marker: MARKER,
      body: `${MARKER}\n## ✅ pass`,
    })
    expect(updated).toEqual({ action: 'updated', id: created.id, url: created.url })

    const comments = server.state.comments(11)
    expect(comments).toHaveLength(151)
    expect(comments.filter((c) => c.body.includes(MARKER)).map((c) => [c.id, c.body, c.user.login])).toEqual([
      [created.id, `${MARKER}\n## ✅ pass`, ACTIONS_BOT_LOGIN],
    ])
    // Found on page 2 of 100 per page, then updated: no second comment.
    expect(server.requests.map((r) => `${r.method} ${r.template} ${JSON.stringify(r.query)} ${r.status}`)).toEqual([
      `GET ${LIST} {"per_page":"100"} 200`,
      `GET ${LIST} {"per_page":"100","page":"2"} 200`,
      'GET /user {} 403',
      `PATCH ${UPDATE} {} 200`,
    ])
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^perf-xi /)
    expect(server.violations).toEqual([])
  })

  it('keeps one comment per marker: two jobs, two comments', async () => {
    server.state.addPullRequest({ number: 12 })
    // One client per run of the action, as in production (and so no 3 s spacing between the writes).
    const octokit = () => testClient(server, warnings)
    const api = commentMarker({ workflow: 'perf.yml', job: 'api', config: '.github/perf-xi.yml' })
    const admin = commentMarker({ workflow: 'perf.yml', job: 'admin', config: '.github/perf-xi-admin.yml' })

    const a = await upsertPullRequestComment(octokit(), { owner, repo, issueNumber: 12, marker: api, body: `${api}\napi v1` })
    const b = await upsertPullRequestComment(octokit(), { owner, repo, issueNumber: 12, marker: admin, body: `${admin}\nadmin v1` })
    const a2 = await upsertPullRequestComment(octokit(), { owner, repo, issueNumber: 12, marker: api, body: `${api}\napi v2` })

    expect([a.action, b.action, a2.action]).toEqual(['created', 'created', 'updated'])
    expect(a2.id).toBe(a.id)
    expect(b.id).not.toBe(a.id)
    expect(server.state.comments(12).map((c) => c.body)).toEqual([`${api}\napi v2`, `${admin}\nadmin v1`])
    expect(server.violations).toEqual([])
  })

  it("updates the bot's own comment and leaves alone another user's that quotes the marker", async () => {
    server.state.addPullRequest({ number: 13 })
    const [mine] = server.state.addComments(13, [`${MARKER}\nold report`], { login: ACTIONS_BOT_LOGIN })
    const [quoted] = server.state.addComments(13, [`I copied this:\n${MARKER}\nold report`], { login: 'octocat' })

    const result = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 13, marker: MARKER, body: 'new report' })
    expect(result).toMatchObject({ action: 'updated', id: mine?.id })
    expect(server.state.comment(mine?.id ?? 0)?.body).toBe(`${MARKER}\nnew report`)
    expect(server.state.comment(quoted?.id ?? 0)?.body).toBe(`I copied this:\n${MARKER}\nold report`)
    // GITHUB_TOKEN may not read /user: the bot's login is known without it.
    expect(statuses(server, '/user')).toEqual([403])
    expect(server.violations).toEqual([])
  })

  it("posts its own comment when the pull request's author planted the marker, editing nothing of theirs", async () => {
    server.state.addPullRequest({ number: 22 })
    const [planted] = server.state.addComments(22, [`${MARKER}\n## ✅ Approved by @octo-org/security`], { login: 'fork-contributor' })

    const result = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 22, marker: MARKER, body: 'the real report' })
    expect(result.action).toBe('created')
    expect(result.id).not.toBe(planted?.id)
    expect(server.state.comment(planted?.id ?? 0)?.body).toBe(`${MARKER}\n## ✅ Approved by @octo-org/security`)
    expect(server.state.comments(22).map((c) => [c.user.login, c.body])).toEqual([
      ['fork-contributor', `${MARKER}\n## ✅ Approved by @octo-org/security`],
      [ACTIONS_BOT_LOGIN, `${MARKER}\nthe real report`],
    ])
    expect(server.requests.filter((r) => r.method === 'PATCH')).toEqual([])

    // The next run finds its own comment, not the planted one.
    const again = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 22, marker: MARKER, body: 'updated report' })
    expect(again).toMatchObject({ action: 'updated', id: result.id })
    expect(server.state.comment(planted?.id ?? 0)?.body).toBe(`${MARKER}\n## ✅ Approved by @octo-org/security`)
    expect(server.violations).toEqual([])
  })

  it("with a personal access token, updates only that user's comment", async () => {
    const pat = 'ghp_perfXiPersonalToken0123456789'
    const personal = await startGitHubApiServer({ tokens: { [pat]: { login: 'perf-bot-user' } } })
    try {
      personal.state.addPullRequest({ number: 4 })
      const [bots] = personal.state.addComments(4, [`${MARKER}\nby another workflow's bot`], { login: ACTIONS_BOT_LOGIN })
      const [own] = personal.state.addComments(4, [`${MARKER}\nold`], { login: 'perf-bot-user' })
      const result = await upsertPullRequestComment(testClient(personal, warnings, pat), { owner, repo, issueNumber: 4, marker: MARKER, body: 'new' })
      expect(result).toMatchObject({ action: 'updated', id: own?.id })
      expect(personal.state.comment(bots?.id ?? 0)?.body).toBe(`${MARKER}\nby another workflow's bot`)
      expect(statuses(personal, '/user')).toEqual([200])
      expect(personal.violations).toEqual([])
    } finally {
      await personal.close()
    }
  })

  it('caps a body over 65,536 characters, marker intact, on create and on update', async () => {
    server.state.addPullRequest({ number: 14 })
    const octokit = () => testClient(server, warnings)
    const body = `${MARKER}\n${report(4000)}`
    expect(body.length).toBeGreaterThan(GITHUB_COMMENT_MAX)

    const created = await upsertPullRequestComment(octokit(), { owner, repo, issueNumber: 14, marker: MARKER, body })
    const updated = await upsertPullRequestComment(octokit(), { owner, repo, issueNumber: 14, marker: MARKER, body: body.replace('fail', 'still failing') })
    expect(updated).toMatchObject({ action: 'updated', id: created.id })

    const [stored] = server.state.comments(14)
    expect(stored?.body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX)
    expect(stored?.body.startsWith(`${MARKER}\n## ❌ Perf-Xi: still failing`)).toBe(true)
    expect(stored?.body).toMatch(/… \d+ more lines in the job summary$/)
    expect(server.violations).toEqual([]) // GitHub's 65,536 rule (a `rule` violation) held
  })

  it('turns a 403 on commenting into a GitHubPermissionError, without retrying', async () => {
    server.state.addPullRequest({ number: 15 })
    server.inject({ method: 'POST', path: LIST, status: 403 })

    const error = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 15, marker: MARKER, body: 'report' }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitHubPermissionError)
    const e = error as GitHubPermissionError
    expect(e.status).toBe(403)
    expect(e.githubMessage).toBe('Resource not accessible by integration')
    expect(e.message).toMatch(
      /^Creating the comment on octo-org\/perf-xi-demo#15: GitHub answered 403 "Resource not accessible by integration"; the token cannot write/,
    )
    expect(e.message).not.toContain('\n')
    expect(statuses(server, LIST)).toEqual([200, 403])
    expect(server.state.comments(15)).toEqual([])
    expect(server.violations).toEqual([])
  })

  it("degrades on a fork pull request's read-only token (403 on the write)", async () => {
    const readOnly = await startGitHubApiServer({ tokens: { [TOKEN]: { permission: 'read' } } })
    try {
      readOnly.state.addPullRequest({ number: 5, fromFork: true })
      const error = await upsertPullRequestComment(testClient(readOnly, warnings), { owner, repo, issueNumber: 5, marker: MARKER, body: 'report' }).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(GitHubPermissionError)
      expect((error as GitHubPermissionError).message).toContain('a pull request from a fork gets a read-only GITHUB_TOKEN')
      expect(readOnly.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 403'])
      expect(readOnly.violations).toEqual([])
    } finally {
      await readOnly.close()
    }
  })

  it('reports a pull request that does not exist (404) as a permission-class error', async () => {
    const error = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 9999, marker: MARKER, body: 'report' }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitHubPermissionError)
    expect((error as GitHubPermissionError).status).toBe(404)
    expect((error as Error).message).toMatch(/^Listing the comments of octo-org\/perf-xi-demo#9999: GitHub answered 404 "Not Found"/)
    expect(server.violations).toEqual([])
  })

  it('retries a 5xx twice and then succeeds', async () => {
    server.state.addPullRequest({ number: 16 })
    server.inject({ method: 'GET', path: LIST, status: 502 })
    server.inject({ method: 'GET', path: LIST, status: 503 })

    const result = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 16, marker: MARKER, body: 'report' })
    expect(result.action).toBe('created')
    expect(statuses(server, LIST)).toEqual([502, 503, 200, 201])
    expect(server.state.comments(16)).toHaveLength(1)
    expect(server.violations).toEqual([])
  })

  it('gives up on a 5xx that persists with a one-line GitHubApiError (not a permission error)', async () => {
    server.state.addPullRequest({ number: 17 })
    server.inject({ method: 'GET', path: LIST, status: 500, times: Infinity })

    const error = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 17, marker: MARKER, body: 'report' }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitHubApiError)
    expect(error).not.toBeInstanceOf(GitHubPermissionError)
    expect((error as GitHubApiError).message).toBe('Listing the comments of octo-org/perf-xi-demo#17: GitHub answered 500 "Server Error"')
    expect(statuses(server, LIST)).toEqual([500, 500, 500, 500]) // 1 + 3 retries
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message, stack: (error as Error).stack })).not.toContain(TOKEN)
  })

  it('waits out a 429 with retry-after (plugin-throttling) and then succeeds', async () => {
    server.state.addPullRequest({ number: 18 })
    server.inject({ method: 'GET', path: LIST, status: 429, retryAfterSeconds: 2 })

    const result = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 18, marker: MARKER, body: 'report' })
    expect(result.action).toBe('created')
    expect(statuses(server, LIST)).toEqual([429, 200, 201])
    expect(warnings).toEqual([`GitHub secondary rate limit for GET /repos/${owner}/${repo}/issues/18/comments: waiting 2 s, then retry 1 of 2`])
    expect(server.violations).toEqual([])
  })

  it('stops after two rate-limit waits with a warning', async () => {
    server.state.addPullRequest({ number: 19 })
    server.inject({ method: 'GET', path: LIST, status: 429, retryAfterSeconds: 1, times: Infinity })

    const error = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 19, marker: MARKER, body: 'report' }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitHubApiError)
    expect(error).not.toBeInstanceOf(GitHubPermissionError)
    expect((error as GitHubApiError).message).toMatch(
      /^Listing the comments of octo-org\/perf-xi-demo#19: GitHub answered 429 \(rate limited\) "You have exceeded a secondary rate limit/,
    )
    expect(statuses(server, LIST)).toEqual([429, 429, 429])
    expect(warnings).toEqual([
      `GitHub secondary rate limit for GET /repos/${owner}/${repo}/issues/19/comments: waiting 1 s, then retry 1 of 2`,
      `GitHub secondary rate limit for GET /repos/${owner}/${repo}/issues/19/comments: waiting 1 s, then retry 2 of 2`,
      `GitHub secondary rate limit for GET /repos/${owner}/${repo}/issues/19/comments: still limited after 2 waits, giving up`,
    ])
  })

  it('does not sit out a primary rate limit that resets in an hour, and does not call it a permission problem', async () => {
    server.state.addPullRequest({ number: 20 })
    server.inject({ method: 'GET', path: LIST, status: 403, rateLimit: 'primary', retryAfterSeconds: 3600 })

    const error = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 20, marker: MARKER, body: 'report' }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitHubApiError)
    expect(error).not.toBeInstanceOf(GitHubPermissionError)
    expect((error as GitHubApiError).message).toContain('GitHub answered 403 (rate limited)')
    expect(statuses(server, LIST)).toEqual([403])
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^GitHub rate limit for GET /repos/${owner}/${repo}/issues/20/comments: it clears in 360\\d s, longer than the 300 s worth waiting, giving up$`,
        ),
      ),
    ])
  })

  it('creates the comment anew when the marked one was deleted between listing and updating', async () => {
    server.state.addPullRequest({ number: 21 })
    const [old] = server.state.addComments(21, [`${MARKER}\nold`], { login: ACTIONS_BOT_LOGIN })
    server.inject({ method: 'PATCH', path: UPDATE, status: 404 })

    const result = await upsertPullRequestComment(testClient(server, warnings), { owner, repo, issueNumber: 21, marker: MARKER, body: 'new' })
    expect(result.action).toBe('created')
    expect(result.id).not.toBe(old?.id)
    expect(server.violations).toEqual([])
  })

  it('works against GitHub Enterprise Server (/api/v3)', async () => {
    const ghes = await startGitHubApiServer({ pathPrefix: '/api/v3' })
    try {
      ghes.state.addPullRequest({ number: 3 })
      const octokit = () => testClient(ghes, warnings)
      const first = await upsertPullRequestComment(octokit(), { owner, repo, issueNumber: 3, marker: MARKER, body: 'v1' })
      const second = await upsertPullRequestComment(octokit(), { owner, repo, issueNumber: 3, marker: MARKER, body: 'v2' })
      expect([first.action, second.action]).toEqual(['created', 'updated'])
      expect(ghes.url.endsWith('/api/v3')).toBe(true)
      expect(ghes.violations).toEqual([])
    } finally {
      await ghes.close()
    }
  })
})

describe('createGitHubClient', () => {
  it('refuses an empty token and a base URL that is not http(s)', () => {
    expect(() => createGitHubClient({ token: ' ', baseUrl: 'https://api.github.com' })).toThrow('a GitHub token is required')
    expect(() => createGitHubClient({ token: 't', baseUrl: 'api.github.com' })).toThrow('must start with https://')
  })
})
