/**
 * The committed bundle on a pull request, against a GitHub REST server on 127.0.0.1 that checks
 * every request against GitHub's published description, with real k6 and the real sample API:
 * the baseline comes from the base branch's artifacts, the comment is created then updated.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import { loadShapeHash } from '../../src/config/load-shape.js'
import { ensureK6 } from '../../src/k6/install.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { ROOT as root, runBundledAction } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'
import { elements, HOSTILE, HOSTILE_RUN_URL, hrefs, liveReferences, renderGfm } from '../report/gfm.js'

const TOKEN = 'ghs_prRunToken0123456789'
const READ_ONLY = 'ghs_forkReadOnlyToken987'
const PR = 7

let api: Awaited<ReturnType<typeof startSampleApi>>
let github: GitHubApiServer
let k6Dir: string
const baseResults = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(root, '__tests__/fixtures/results/webhook-sample-results.json'), 'utf8')))

const GENEROUS = '__tests__/fixtures/gate/generous.yml'
/** GENEROUS with the slow report measured often enough for its p95 to be judged against the baseline. */
const SLOW_REPORT_MEASURED = '__tests__/fixtures/gate/slow-report-measured.yml'

/** A base-branch run of the same workflow and load shape whose results say GET /reports/slow took `slowP95` ms. */
function seedBaseRun(hoursAgo: number, slowP95: number, loadShape: string): void {
  const run = github.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main', event: 'push', createdAt: new Date(Date.now() - hoursAgo * 3_600_000) })
  const results: ResultsFile = {
    ...baseResults,
    run: { ...baseResults.run, id: String(run.id), pr: null, load_shape: loadShape, finished_at: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() },
    verdict: 'pass',
    slis: baseResults.slis.map((s) => (s.endpoint === 'GET /reports/slow' ? { ...s, p95_ms: slowP95 * (1 + (hoursAgo % 3) * 0.01) } : s)),
  }
  github.state.addArtifact(run.id, 'perf-xi-results', { 'perf-xi-results.json': JSON.stringify(results) })
}

beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  api = await startSampleApi({ port: 0, token: 'sample', seed: 5 })
  github = await startGitHubApiServer({ owner: 'acme', repo: 'shop', tokens: { [TOKEN]: { permission: 'write' }, [READ_ONLY]: { permission: 'read' } } })
  github.state.addPullRequest({ number: PR, headRef: 'feature', baseRef: 'main' })
  github.state.addComments(
    PR,
    Array.from({ length: 150 }, (_, i) => `review note ${i}`),
    { login: 'octocat' },
  )
  // Other branches and failed runs come first in the listing: the baseline must be found past them.
  for (let i = 0; i < 35; i++) github.state.addWorkflowRun({ workflowId: 'perf.yml', branch: `feature-${i}`, createdAt: new Date(Date.now() - 60_000 * i) })
  for (let i = 0; i < 5; i++)
    github.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main', conclusion: 'failure', createdAt: new Date(Date.now() - 120_000 * i) })
  const shape = loadShapeHash(resolveConfig({ config: SLOW_REPORT_MEASURED, 'base-url': api.url }, { cwd: root }))
  for (let hours = 1; hours <= 5; hours++) seedBaseRun(hours, 100, shape)
}, 300_000)

afterAll(async () => {
  await api?.close()
  await github?.close()
})

async function runAction(inputs: Record<string, string>, token: string) {
  const tmp = tempDir('perf-xi-gh-event-')
  const eventPath = path.join(tmp, 'event.json')
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: PR, head: { repo: { full_name: token === READ_ONLY ? 'forker/shop' : 'acme/shop' } } } }))
  const run = await runBundledAction({
    inputs: { 'github-token': token, ...inputs },
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_BASE_REF: 'main',
      GITHUB_REF_NAME: `${PR}/merge`,
      GITHUB_WORKFLOW_REF: `acme/shop/.github/workflows/perf.yml@refs/pull/${PR}/merge`,
      GITHUB_JOB: 'perf',
      GITHUB_RUN_ID: '900',
      GITHUB_SHA: 'feedbeef',
      SAMPLE_API_TOKEN: 'sample',
    },
    k6Dir,
  })
  const results = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(run.tmp, 'results.json'), 'utf8')))
  return { ...run, results }
}

const perfComments = () => github.state.comments(PR).filter((c) => c.body.includes('<!-- perf-xi:comment'))

describe('on a pull request', () => {
  it('compares with the base branch, confirms the regression with a re-run, fails the gate and comments once', async () => {
    const inputs = { config: SLOW_REPORT_MEASURED, 'base-url': api.url, 'fail-on': 'both' }
    const first = await runAction(inputs, TOKEN)

    expect(github.violations).toEqual([])
    expect(first.results.baseline).toMatchObject({ status: 'ok', branch: 'main', history_runs: 5 })
    // Every regression was re-measured before being called one.
    expect(first.results.baseline?.confirmed_with_rerun).toContain('GET /reports/slow')
    expect(first.results.regressions).toContainEqual(expect.objectContaining({ endpoint: 'GET /reports/slow', metric: 'p95_ms' }))
    for (const r of first.results.regressions) expect(first.results.baseline?.confirmed_with_rerun).toContain(r.endpoint)
    expect(first.results.verdict).toBe('fail')
    expect(first.exitCode).toBe(1)
    expect(first.stdout).toMatch(/Re-measuring \d endpoint\(s\) that look slower than the baseline: .*GET \/reports\/slow/)

    const comments = perfComments()
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toMatch(
      /^<!-- perf-xi:comment workflow="perf\.yml" job="perf" config="__tests__\/fixtures\/gate\/slow-report-measured\.yml" -->\n## ❌ Perf-Xi: FAIL — /,
    )
    expect(comments[0].body).toContain('**Baseline:** 5 earlier runs of `main`')
    expect(comments[0].body).toContain('```mermaid')

    // The next push to the pull request updates the same comment: found past 150 others, not duplicated.
    const second = await runAction(inputs, TOKEN)
    expect(second.results.verdict).toBe('fail')
    expect(perfComments()).toHaveLength(1)
    expect(perfComments()[0].id).toBe(comments[0].id)
    expect(github.violations).toEqual([])
    // The token reaches the log only in the runner's own masking command.
    expect(second.stdout.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`])
  }, 120_000)

  it('keeps the verdict when the token may not comment (a fork), and says how to get the comment', async () => {
    const before = perfComments().length
    const run = await runAction({ config: GENEROUS, 'base-url': api.url, include: 'GET /health', duration: '1s' }, READ_ONLY)
    // Runs of all eight endpoints are no baseline for a run of one.
    expect(run.results.baseline).toMatchObject({
      status: 'none',
      notes: expect.arrayContaining(['5 earlier runs with another load shape (profile, VUs, duration, endpoints or target) left out: not comparable']),
    })
    expect(run.results.verdict).toBe('pass')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/::warning::.*cannot write pull request comments.*workflow_run/)
    expect(perfComments()).toHaveLength(before)
  }, 120_000)

  it('still reaches a verdict when GitHub answers 5xx twice (retried)', async () => {
    github.inject({ method: 'GET', path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', status: 502, times: 2 })
    const run = await runAction({ config: GENEROUS, 'base-url': api.url, include: 'GET /health', duration: '1s' }, TOKEN)
    // The five base-branch runs were listed and read despite the two failures.
    expect(run.results.baseline?.notes).toContain(
      '5 earlier runs with another load shape (profile, VUs, duration, endpoints or target) left out: not comparable',
    )
    expect(run.exitCode).toBe(0)
    expect(github.violations).toEqual([])
  }, 120_000)
})

describe('mode comment (the workflow_run pattern for forks)', () => {
  it("posts its own report of a fork's hostile results file with nothing live, beside a comment that plants its marker", async () => {
    const pr = 8
    const headSha = 'c0ffee0000000000000000000000000000000008'
    github.state.addPullRequest({ number: pr, headRef: 'fork-feature', headSha, fromFork: true })
    const marker = '<!-- perf-xi:comment workflow="perf.yml" job="perf" config=".github/perf-xi.yml" -->'
    const planted = `${marker}\n## ✅ Approved by @octo-org/security — safe to merge`
    github.state.addComments(pr, [planted], { login: 'fork-contributor' })

    const tmp = tempDir('perf-xi-comment-mode-')
    const resultsFile = path.join(tmp, 'perf-xi-results.json')
    const hostile: ResultsFile = {
      ...baseResults,
      run: {
        ...baseResults.run,
        pr,
        sha: headSha,
        url: HOSTILE_RUN_URL,
        workflow: 'perf.yml',
        job: 'perf',
        config_file: '.github/perf-xi.yml',
        spec: HOSTILE[2]!,
      },
      slis: baseResults.slis.map((s, i) => ({ ...s, endpoint: HOSTILE[i % HOSTILE.length]! })),
      reasons: HOSTILE.slice(0, 6),
    }
    writeFileSync(resultsFile, JSON.stringify(hostile))
    const run = await runBundledAction({
      inputs: { mode: 'comment', 'github-token': TOKEN, 'results-file': resultsFile, 'head-sha': headSha },
      env: { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_NAME: 'workflow_run' },
      k6Dir,
    })
    expect(run.stdout).not.toMatch(/::(warning|error)::/)
    expect(run.exitCode).toBe(0)
    expect(github.violations).toEqual([])

    const comments = github.state.comments(pr)
    expect(comments.map((c) => [c.user.login, c.body === planted])).toEqual([
      ['fork-contributor', true],
      ['github-actions[bot]', false],
    ])
    const html = renderGfm(comments[1]!.body)
    expect(elements(html).filter((e) => /^h\d$/.test(e))).toEqual(['h2'])
    expect(elements(html)).not.toContain('img')
    expect(hrefs(html)).toEqual([])
    expect(liveReferences(html)).toEqual([])
    expect(html.match(/<!--/g)).toHaveLength(1)
  }, 60_000)
})
