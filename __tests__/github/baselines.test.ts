/**
 * The base branch's history from artifacts, against the GitHub API test server (validated against
 * GitHub's REST description), with real zips and results files made from a captured one.
 */
import { strToU8, zipSync } from 'fflate'
import { compareWithBaseline, isUnreadable } from '../../src/baseline/regression.js'
import { BASELINE_DEFAULTS, fetchBaselineHistory, parseResultsJson, parseResultsZip, workflowFileFromRef } from '../../src/github/baselines.js'
import { GitHubPermissionError } from '../../src/github/errors.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { startGitHubApiServer, type GitHubApiServer, type WorkflowRunRecord } from '../support/github-api-server.js'
import { baseBranchResults, SAMPLE_RESULTS_TEXT, sampleResults, statuses, testClient } from './helpers.js'

const RUNS = '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs'
const ARTIFACTS = '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts'
const DOWNLOAD = '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}'
const FILE = BASELINE_DEFAULTS.fileName
const ARTIFACT = BASELINE_DEFAULTS.artifactName

let server: GitHubApiServer
let owner: string
let repo: string
/** Each test seeds its own workflow, so state kept across tests never mixes. */
let workflow = 0
const nextWorkflow = (): string => `perf-${++workflow}.yml`

beforeAll(async () => {
  server = await startGitHubApiServer()
  owner = server.owner
  repo = server.repo
})
afterAll(() => server.close())
beforeEach(() => server.clearLog())

/** `count` runs, one hour apart, the newest at `newest`; returned newest first. */
function seedRuns(
  workflowId: string,
  count: number,
  newest: Date,
  seed: Partial<Parameters<GitHubApiServer['state']['addWorkflowRun']>[0]> = {},
): WorkflowRunRecord[] {
  const runs: WorkflowRunRecord[] = []
  for (let i = count - 1; i >= 0; i--) {
    runs.unshift(server.state.addWorkflowRun({ workflowId, branch: 'main', createdAt: new Date(newest.getTime() - i * 3_600_000), ...seed }))
  }
  return runs
}

/** Uploads the results file as the action does, with the k6 summary next to it. */
function uploadResults(run: WorkflowRunRecord, results: ResultsFile | string = baseBranchResults(run.id)): ResultsFile | string {
  const text = typeof results === 'string' ? results : `${JSON.stringify(results, null, 2)}\n`
  server.state.addArtifact(run.id, ARTIFACT, { [FILE]: text, 'k6-summary.json': '{"metrics":{}}' })
  return results
}

const at = (iso: string) => new Date(iso)

describe('fetchBaselineHistory', () => {
  it('finds the base branch results across pages, past failed runs, other branches and runs without the artifact', async () => {
    const wf = nextWorkflow()
    const good = seedRuns(wf, 4, at('2025-05-01T00:00:00Z'))
    const expected = good.map((run) => uploadResults(run))
    // Newer, and in the way: 12 successful main runs that uploaded nothing (docs-only pushes)...
    seedRuns(wf, 12, at('2025-05-02T00:00:00Z'))
    // ...and 40 runs the server filters out: failures on main and runs of other branches.
    seedRuns(wf, 20, at('2025-05-03T00:00:00Z'), { conclusion: 'failure' }).forEach((run) => uploadResults(run))
    seedRuns(wf, 20, at('2025-05-04T00:00:00Z'), { branch: 'feature/faster-search' }).forEach((run) => uploadResults(run))

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main', limit: 3 })

    expect(result.status).toBe('ok')
    expect(result.history).toEqual(expected.slice(0, 3)) // newest first, exactly what was uploaded
    expect(result.scannedRuns).toBe(15)
    expect(result.notes).toEqual([`12 successful runs on main had no ${ARTIFACT} artifact`])
    const listings = server.requests.filter((r) => r.template === RUNS)
    expect(listings.map((r) => r.query)).toEqual([
      { branch: 'main', status: 'success', per_page: '10' },
      { branch: 'main', status: 'success', per_page: '10', page: '2' },
    ])
    expect(statuses(server, DOWNLOAD)).toEqual([302, 302, 302])
    expect(server.violations).toEqual([])
  })

  it('returns a history of N, newest first, and stops there', async () => {
    const wf = nextWorkflow()
    const runs = seedRuns(wf, 7, at('2025-06-01T00:00:00Z'))
    runs.forEach((run) => uploadResults(run))

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result.status).toBe('ok')
    expect(result.history.map((e) => (isUnreadable(e) ? e.runId : e.run.id))).toEqual(runs.slice(0, 5).map((r) => `${r.id}-1`))
    expect(result.scannedRuns).toBe(5)
    expect(result.notes).toEqual([])
    expect(statuses(server, ARTIFACTS)).toHaveLength(5)
    expect(server.violations).toEqual([])
  })

  it('leaves out this run when it is itself on the base branch, and accepts a numeric workflow id', async () => {
    const runs = seedRuns('4242', 3, at('2025-06-05T00:00:00Z'))
    runs.forEach((run) => uploadResults(run))

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: 4242, branch: 'main', limit: 5, excludeRunId: `${runs[0]?.id}-1` })
    expect(result.history.map((e) => (isUnreadable(e) ? e.runId : e.run.id))).toEqual(runs.slice(1).map((r) => `${r.id}-1`))
    expect(server.violations).toEqual([])
  })

  it('skips an expired artifact with a note and reads the next run', async () => {
    const wf = nextWorkflow()
    const [newest, older] = seedRuns(wf, 2, at('2025-06-10T00:00:00Z')) as [WorkflowRunRecord, WorkflowRunRecord]
    server.state.addArtifact(newest.id, ARTIFACT, { [FILE]: JSON.stringify(baseBranchResults(newest.id)) }, { expired: true })
    const kept = uploadResults(older)

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result.status).toBe('ok')
    expect(result.history).toEqual([kept])
    expect(result.notes).toEqual([
      expect.stringMatching(new RegExp(`^run ${newest.id}: artifact ${ARTIFACT} expired on \\d{4}-\\d{2}-\\d{2} \\(raise retention-days`)),
    ])
    expect(statuses(server, DOWNLOAD)).toEqual([302]) // the expired one is not even asked for
    expect(server.violations).toEqual([])
  })

  it('reports an artifact whose JSON is corrupt as unreadable, not as no baseline', async () => {
    const wf = nextWorkflow()
    const [corrupt, good] = seedRuns(wf, 2, at('2025-06-15T00:00:00Z')) as [WorkflowRunRecord, WorkflowRunRecord]
    uploadResults(corrupt, SAMPLE_RESULTS_TEXT.slice(0, 2000)) // cut off mid-upload
    const kept = uploadResults(good)

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result.status).toBe('partial')
    expect(result.history).toEqual([
      { unreadable: true, runId: String(corrupt.id), reason: expect.stringMatching(new RegExp(`^${FILE.replace(/\./g, '\\.')} is not valid JSON \\(`)) },
      kept,
    ])

    // The regression report sees one unreadable entry and one run, not "no baseline".
    const report = compareWithBaseline(sampleResults().slis, result.history, { minHistory: 1 })
    expect(report.summary.unreadable).toHaveLength(1)
    expect(report.summary.historyRuns).toBe(1)
    expect(report.summary.historyStatus).not.toBe('none')
    expect(server.violations).toEqual([])
  })

  it.each<{ what: string; files: Record<string, string>; reason: string }>([
    {
      what: 'a results file of another schema version',
      files: { [FILE]: JSON.stringify({ ...sampleResults(), schema: 'perf-xi/results@2' }) },
      reason: `${FILE} is not a perf-xi/results@1 results file: its schema is "perf-xi/results@2"`,
    },
    {
      what: 'a results file missing a field',
      files: { [FILE]: JSON.stringify({ ...sampleResults(), ci_gate: undefined, summary: { ...sampleResults().summary, requests_total: 'many' } }) },
      reason: `${FILE} does not match perf-xi/results@1: summary.requests_total: Invalid input: expected number, received string; ci_gate: Invalid option: expected one of "pass"|"fail"`,
    },
    {
      what: 'a zip without the results file',
      files: { 'k6-summary.json': '{}', 'raw/metrics.ndjson': '' },
      reason: `${ARTIFACT} has no ${FILE} (it holds k6-summary.json, raw/metrics.ndjson)`,
    },
    {
      what: 'something that is not JSON at all',
      files: { [FILE]: '<html>502 Bad Gateway</html>' },
      reason: `${FILE} is not valid JSON (Unexpected token '<', "<html>502 "... is not valid JSON)`,
    },
  ])('reports $what as unreadable with the reason', async ({ files, reason }) => {
    const wf = nextWorkflow()
    const [run] = seedRuns(wf, 1, at('2025-06-20T00:00:00Z')) as [WorkflowRunRecord]
    server.state.addArtifact(run.id, ARTIFACT, files)

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result).toEqual({ status: 'partial', history: [{ unreadable: true, runId: String(run.id), reason }], scannedRuns: 1, notes: [] })
    expect(server.violations).toEqual([])
  })

  it('reads the results file from a folder inside the artifact', async () => {
    const wf = nextWorkflow()
    const [run] = seedRuns(wf, 1, at('2025-06-21T00:00:00Z')) as [WorkflowRunRecord]
    const results = baseBranchResults(run.id)
    server.state.addArtifact(run.id, ARTIFACT, { [`out/${FILE}`]: JSON.stringify(results), 'out/k6.log': 'ok' })

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result).toMatchObject({ status: 'ok', history: [results] })
  })

  it('reports a download that does not match the artifact digest as unreadable', async () => {
    const wf = nextWorkflow()
    const [run] = seedRuns(wf, 1, at('2025-06-22T00:00:00Z')) as [WorkflowRunRecord]
    const artifact = server.state.addArtifact(run.id, ARTIFACT, { [FILE]: JSON.stringify(baseBranchResults(run.id)) })
    artifact.digest = `sha256:${'0'.repeat(64)}`

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result.status).toBe('partial')
    expect(result.history).toEqual([{ unreadable: true, runId: String(run.id), reason: expect.stringContaining('does not match its digest') }])
    expect(server.violations).toEqual([])
  })

  it('retries a failing download, then reports it unreadable with the status', async () => {
    const wf = nextWorkflow()
    const [broken, good] = seedRuns(wf, 2, at('2025-06-23T00:00:00Z')) as [WorkflowRunRecord, WorkflowRunRecord]
    uploadResults(broken)
    const kept = uploadResults(good)
    server.inject({ path: DOWNLOAD, status: 503, times: 4 })

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result.status).toBe('partial')
    expect(result.history).toEqual([
      { unreadable: true, runId: String(broken.id), reason: expect.stringMatching(/^downloading artifact perf-xi-results \(\d+\): GitHub answered 503 /) },
      kept,
    ])
    expect(statuses(server, DOWNLOAD)).toEqual([503, 503, 503, 503, 302])
    expect(server.violations).toEqual([])
  })

  it('skips a run of a fork pull request whose branch is also called main', async () => {
    const wf = nextWorkflow()
    const pr = server.state.addPullRequest({ number: 77, fromFork: true, headRef: 'main' })
    const [fork] = seedRuns(wf, 1, at('2025-06-25T00:00:00Z'), { event: 'pull_request', pullRequests: [pr.number] }) as [WorkflowRunRecord]
    uploadResults(fork)
    const [own] = seedRuns(wf, 1, at('2025-06-24T00:00:00Z')) as [WorkflowRunRecord]
    const kept = uploadResults(own)

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result.history).toEqual([kept])
    expect(result.notes).toEqual([`run ${fork.id} skipped: it ran on a fork (fork-contributor/${repo}), not on main`])
    expect(server.violations).toEqual([])
  })

  it("says 'none' when the workflow has no runs on the base branch", async () => {
    const wf = nextWorkflow()
    seedRuns(wf, 3, at('2025-07-01T00:00:00Z'), { branch: 'develop' }).forEach((run) => uploadResults(run))
    seedRuns(wf, 2, at('2025-07-02T00:00:00Z'), { conclusion: 'cancelled' }).forEach((run) => uploadResults(run))

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main' })
    expect(result).toEqual({ status: 'none', history: [], scannedRuns: 0, notes: [`no successful run of ${wf} on main left a readable ${ARTIFACT} artifact`] })
    expect(server.violations).toEqual([])
  })

  it("says 'none' with a note when the workflow is not found (renamed)", async () => {
    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: 'renamed-perf.yml', branch: 'main' })
    expect(result).toEqual({
      status: 'none',
      history: [],
      scannedRuns: 0,
      notes: [`workflow renamed-perf.yml was not found in ${owner}/${repo} (renamed or deleted?), so there is no baseline`],
    })
    expect(statuses(server, RUNS)).toEqual([404])
    expect(server.violations).toEqual([])
  })

  it('stops after maxRunsScanned runs and says so', async () => {
    const wf = nextWorkflow()
    seedRuns(wf, 30, at('2025-07-10T00:00:00Z'))

    const result = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: wf, branch: 'main', maxRunsScanned: 25 })
    expect(result.status).toBe('none')
    expect(result.scannedRuns).toBe(25)
    expect(result.notes).toEqual([
      `25 successful runs on main had no ${ARTIFACT} artifact`,
      'stopped after 25 runs (maxRunsScanned) with 0 of 5 readable results files',
      `no successful run of ${wf} on main left a readable ${ARTIFACT} artifact`,
    ])
    expect(statuses(server, ARTIFACTS)).toHaveLength(25)
    expect(server.violations).toEqual([])
  })

  it('keeps what it read when a later page of runs fails', async () => {
    const wf = nextWorkflow()
    const runs = seedRuns(wf, 15, at('2025-07-20T00:00:00Z'))
    const kept = uploadResults(runs[0] as WorkflowRunRecord)
    // The first page is served; from the second listing on, GitHub fails (even after retries).
    const client = testClient(server)
    let listings = 0
    client.hook.before('request', (options) => {
      if (String(options.url).includes('/actions/workflows/') && ++listings === 2) server.inject({ path: RUNS, status: 500, times: Infinity })
    })
    const result = await fetchBaselineHistory(client, { owner, repo, workflowId: wf, branch: 'main' })
    expect(result.status).toBe('partial')
    expect(result.history).toEqual([kept])
    expect(result.notes).toEqual([
      expect.stringMatching(/^listing more runs of workflow perf-\d+\.yml on main: GitHub answered 500 "Server Error"; the history is what was read before$/),
      `9 successful runs on main had no ${ARTIFACT} artifact`,
    ])
    expect(statuses(server, RUNS)).toEqual([200, 500, 500, 500, 500])
  })

  it('throws a GitHubPermissionError when the token may not read Actions', async () => {
    server.inject({ path: RUNS, status: 403 })
    const error = await fetchBaselineHistory(testClient(server), { owner, repo, workflowId: nextWorkflow(), branch: 'main' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubPermissionError)
    expect((error as Error).message).toMatch(
      /^Listing the successful runs of workflow perf-\d+\.yml on main: GitHub answered 403 "Resource not accessible by integration"; the token needs `permissions: actions: read`/,
    )
  })
})

describe('parseResultsZip / parseResultsJson', () => {
  it('reads the captured results file', () => {
    const zip = zipSync({ [FILE]: strToU8(SAMPLE_RESULTS_TEXT) })
    expect(parseResultsZip(zip, FILE)).toEqual({ ok: true, results: sampleResults() })
  })

  it('names an archive that is not a zip', () => {
    expect(parseResultsZip(strToU8('not a zip'), FILE, ARTIFACT)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^perf-xi-results is not a readable zip archive \(/),
    })
  })

  it('names an empty archive and an ambiguous one', () => {
    expect(parseResultsZip(zipSync({}), FILE, ARTIFACT)).toEqual({ ok: false, reason: `${ARTIFACT} has no ${FILE} (it is empty)` })
    const two = zipSync({ [`a/${FILE}`]: strToU8('{}'), [`b/${FILE}`]: strToU8('{}') })
    expect(parseResultsZip(two, FILE, ARTIFACT)).toEqual({ ok: false, reason: `${ARTIFACT} holds 2 files named ${FILE} (a/${FILE}, b/${FILE})` })
  })

  it('names a JSON value that is not a results file at all', () => {
    expect(parseResultsJson('[]', FILE)).toEqual({ ok: false, reason: `${FILE} is not a perf-xi/results@1 results file: its schema has no "schema" field` })
    expect(parseResultsJson(`\uFEFF${SAMPLE_RESULTS_TEXT}`, FILE)).toMatchObject({ ok: true })
  })
})

describe('workflowFileFromRef', () => {
  it.each([
    { ref: 'octo-org/perf-xi-demo/.github/workflows/perf.yml@refs/heads/main', file: 'perf.yml' },
    { ref: 'octo-org/perf-xi-demo/.github/workflows/load-tests.yaml@refs/pull/12/merge', file: 'load-tests.yaml' },
    { ref: 'o/r/.github/workflows/perf.yml@refs/tags/v1.2.3', file: 'perf.yml' },
    { ref: 'o/r/.github/workflows/perf.yml', file: 'perf.yml' },
    { ref: '', file: undefined },
    { ref: 'perf.yml', file: undefined },
    { ref: 'o/r/.github/workflows/nested/perf.yml@refs/heads/main', file: undefined },
  ])('$ref → $file', ({ ref, file }) => {
    expect(workflowFileFromRef(ref)).toBe(file)
  })
})
