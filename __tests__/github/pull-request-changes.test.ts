/**
 * What a pull request changes, read through the client the action uses from the GitHub API double
 * (which checks every request against GitHub's REST description): every page of the file list.
 */
import { pullRequestChanges } from '../../src/github/pull-request-changes.js'
import { GitHubPermissionError } from '../../src/github/errors.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { statuses, testClient } from './helpers.js'

const FILES = '/repos/{owner}/{repo}/pulls/{pull_number}/files'
let server: GitHubApiServer
beforeAll(async () => {
  server = await startGitHubApiServer()
  server.state.addPullRequest({
    number: 12,
    title: 'Cache report rows',
    body: 'Reports are read through a new cache.',
    files: Array.from({ length: 230 }, (_, i) => ({
      filename: `src/reports/part-${i}.ts`,
      additions: i,
      deletions: 1,
      patch: `@@ -1 +1 @@\n-old ${i}\n+new ${i}`,
    })),
  })
  server.state.addPullRequest({
    number: 13,
    files: [{ filename: 'src/new.ts', status: 'renamed', previousFilename: 'src/old.ts', additions: 0, deletions: 0 }],
  })
})
afterAll(() => server.close())
beforeEach(() => server.clearLog())
afterEach(() => expect(server.violations).toEqual([]))

describe('pullRequestChanges', () => {
  it('reads every page of the changed files, with their line counts, title and body', async () => {
    const changes = await pullRequestChanges(testClient(server), { owner: server.owner, repo: server.repo, number: 12, patches: false })
    expect(changes.title).toBe('Cache report rows')
    expect(changes.body).toBe('Reports are read through a new cache.')
    expect(changes.files).toHaveLength(230)
    expect(changes.files[229]).toEqual({ filename: 'src/reports/part-229.ts', status: 'modified', additions: 229, deletions: 1 })
    expect(statuses(server, FILES)).toEqual([200, 200, 200])
  })

  it('keeps the patches only when asked to', async () => {
    const changes = await pullRequestChanges(testClient(server), { owner: server.owner, repo: server.repo, number: 12, patches: true })
    expect(changes.files[3]!.patch).toBe('@@ -1 +1 @@\n-old 3\n+new 3')
  })

  it('keeps the name a renamed file had', async () => {
    const changes = await pullRequestChanges(testClient(server), { owner: server.owner, repo: server.repo, number: 13, patches: false })
    expect(changes.files).toEqual([{ filename: 'src/new.ts', status: 'renamed', previousFilename: 'src/old.ts', additions: 0, deletions: 0 }])
  })

  it('names the permission the token lacks when GitHub refuses the listing', async () => {
    server.inject({ path: FILES, status: 403 })
    await expect(pullRequestChanges(testClient(server), { owner: server.owner, repo: server.repo, number: 12, patches: false })).rejects.toThrow(
      GitHubPermissionError,
    )
  })
})
