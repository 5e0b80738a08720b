/**
 * The artifact store through the real @actions/artifact (CreateArtifact, Azure block upload of the
 * zip, FinalizeArtifact) against the local results service (results-service.ts).
 */
import { createHash } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import { RESULTS_ARTIFACT_NAME, RESULTS_FILE_NAME, notAvailableReason, retentionDaysProblem, uploadResults } from '../../src/storage/artifact-store.js'
import { baseBranchRun, captureStdout, isolateRunnerEnv } from './helpers.js'
import { startResultsService, type ResultsService } from './results-service.js'
import { tempDir } from '../support/temp-dirs.js'

let service: ResultsService
let env: ReturnType<typeof isolateRunnerEnv>
let stdout: ReturnType<typeof captureStdout>
let dir: string
let file: string

beforeAll(async () => {
  service = await startResultsService()
})
afterAll(() => service.close())

beforeEach(() => {
  env = isolateRunnerEnv()
  stdout = captureStdout()
  service.clearLog()
  dir = tempDir('perf-xi-artifact-')
  file = path.join(dir, RESULTS_FILE_NAME)
  writeFileSync(file, `${JSON.stringify(baseBranchRun('7001'), null, 2)}\n`)
})
afterEach(() => {
  stdout.restore()
  env.restore()
  rmSync(dir, { recursive: true, force: true })
  expect(service.violations).toEqual([])
})

describe('uploadResults', () => {
  it('uploads the results file on the base branch as a zip holding it, with the retention asked for', async () => {
    const token = service.issueToken()
    env.set(token.env)

    const outcome = await uploadResults(file, { retentionDays: 14 })

    const artifact = service.artifacts.find((a) => a.runBackendId === token.runBackendId)!
    expect(artifact).toMatchObject({ name: RESULTS_ARTIFACT_NAME, version: 7, mimeType: 'application/zip', finalized: true, jobBackendId: token.jobBackendId })
    const zipBytes = artifact.blob!
    const sha256 = createHash('sha256').update(zipBytes).digest('hex')
    expect(outcome).toEqual({ status: 'uploaded', name: RESULTS_ARTIFACT_NAME, id: artifact.id, size: zipBytes.length, digest: sha256 })
    expect(artifact.hash).toBe(`sha256:${sha256}`)
    // The zip holds exactly the file, byte for byte (the service checked sizes and CRC-32s).
    expect(artifact.files.map((f) => f.name)).toEqual([RESULTS_FILE_NAME])
    expect(artifact.files[0]!.data.equals(readFileSync(file))).toBe(true)
    // 14 days from now, give or take the test's own duration.
    expect(Math.abs(artifact.expiresAt!.getTime() - (Date.now() + 14 * 86_400_000))).toBeLessThan(60_000)

    expect(service.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
      'CreateArtifact 200',
      'blob:put-block 201',
      'blob:put-block-list 201',
      'FinalizeArtifact 200',
    ])
    expect(stdout.lines()).toContain(`Artifact perf-xi-results successfully finalized. Artifact ID ${artifact.id}`)
    expect(service.requests[0]!.headers['user-agent']).toMatch(/@actions\/artifact/)
    const ids = { workflow_run_backend_id: token.runBackendId, workflow_job_run_backend_id: token.jobBackendId, name: RESULTS_ARTIFACT_NAME }
    expect(service.requests.filter((r) => !r.operation.startsWith('blob:')).map((r) => r.body)).toEqual([
      { ...ids, expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/), version: 7, mime_type: 'application/zip' },
      { ...ids, size: String(zipBytes.length), hash: `sha256:${sha256}` },
    ])
  })

  it('leaves retention to the repository when none is given (no expires_at is sent)', async () => {
    env.set(service.issueToken().env)
    const outcome = await uploadResults(file, { name: 'perf-xi-results-default-retention' })
    expect(outcome.status).toBe('uploaded')
    const create = service.requests.find((r) => r.operation === 'CreateArtifact')!
    expect(create.body).not.toHaveProperty('expires_at')
    expect(service.artifacts.find((a) => a.name === 'perf-xi-results-default-retention')!.expiresAt).toBeNull()
  })

  it('reports a refused upload as failed, with the service’s reason (a name already used in this run)', async () => {
    const token = service.issueToken()
    env.set(token.env)
    expect((await uploadResults(file)).status).toBe('uploaded')

    const again = await uploadResults(file)

    expect(again.status).toBe('failed')
    expect(again.status === 'failed' && again.reason).toMatch(/^artifact perf-xi-results upload failed: .*409.*already exists/)
    expect(service.artifacts.filter((a) => a.runBackendId === token.runBackendId)).toHaveLength(1)
    // The first attempt never deletes: the artifact already there is another job's of this attempt.
    expect(service.requests.map((r) => r.operation)).not.toContain('DeleteArtifact')
  })

  describe('on a re-run (GITHUB_RUN_ATTEMPT 2 and later)', () => {
    /** A job of the re-run: the same workflow run, a new job run. */
    function rerunOf(first: ReturnType<ResultsService['issueToken']>, spec: { expiresInSeconds?: number } = {}) {
      return service.issueToken({ runBackendId: first.runBackendId, ...spec })
    }

    it('replaces the earlier attempt’s perf-xi-results: the run lists exactly one, holding the re-run’s file', async () => {
      const first = service.issueToken()
      env.set(first.env)
      const firstUpload = await uploadResults(file, { attempt: 1 })
      expect(firstUpload.status).toBe('uploaded')
      // The first attempt makes no extra call.
      expect(service.requests.map((r) => r.operation)).toEqual(['CreateArtifact', 'blob:put-block', 'blob:put-block-list', 'FinalizeArtifact'])

      service.clearLog()
      const rerun = rerunOf(first)
      env.set(rerun.env)
      writeFileSync(file, `${JSON.stringify(baseBranchRun('7001', 1.25), null, 2)}\n`)
      const outcome = await uploadResults(file, { attempt: 2 })

      expect(outcome.status).toBe('uploaded')
      expect(service.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
        'ListArtifacts 200',
        'DeleteArtifact 200',
        'CreateArtifact 200',
        'blob:put-block 201',
        'blob:put-block-list 201',
        'FinalizeArtifact 200',
      ])
      // The delete names the job of attempt 1 that uploaded it, as the listing answered.
      expect(service.requests.find((r) => r.operation === 'DeleteArtifact')!.body).toEqual({
        workflow_run_backend_id: first.runBackendId,
        workflow_job_run_backend_id: first.jobBackendId,
        name: RESULTS_ARTIFACT_NAME,
      })
      const firstId = firstUpload.status === 'uploaded' ? firstUpload.id : -1
      expect(stdout.lines()).toContain(`Artifact '${RESULTS_ARTIFACT_NAME}' (ID: ${firstId}) deleted`)

      // What a later job of the run sees through @actions/artifact: one perf-xi-results, attempt 2's file.
      const client = new DefaultArtifactClient()
      const listed = (await client.listArtifacts()).artifacts.filter((a) => a.name === RESULTS_ARTIFACT_NAME)
      expect(listed.map((a) => a.id)).toEqual([outcome.status === 'uploaded' ? outcome.id : -1])
      const downloadDir = path.join(dir, 'download')
      await client.downloadArtifact(listed[0]!.id, { path: downloadDir })
      expect(readFileSync(path.join(downloadDir, RESULTS_FILE_NAME)).equals(readFileSync(file))).toBe(true)
      expect(JSON.parse(readFileSync(path.join(downloadDir, RESULTS_FILE_NAME), 'utf8'))).toEqual(baseBranchRun('7001', 1.25))
    })

    it('uploads when the earlier attempt left no results artifact (none to replace is no failure)', async () => {
      env.set(rerunOf(service.issueToken()).env)
      const outcome = await uploadResults(file, { attempt: 3 })
      expect(outcome.status).toBe('uploaded')
      expect(service.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
        'ListArtifacts 200',
        'CreateArtifact 200',
        'blob:put-block 201',
        'blob:put-block-list 201',
        'FinalizeArtifact 200',
      ])
    })

    it('still tries the upload when the delete fails, and the failure names both in one line', async () => {
      const first = service.issueToken()
      env.set(first.env)
      expect((await uploadResults(file, { attempt: 1 })).status).toBe('uploaded')
      service.clearLog()
      // The re-run's token has expired: the service refuses both the listing and the upload.
      env.set(rerunOf(first, { expiresInSeconds: -10 }).env)

      const outcome = await uploadResults(file, { attempt: 2 })

      expect(service.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['ListArtifacts 401', 'CreateArtifact 401'])
      expect(outcome).toEqual({
        status: 'failed',
        reason:
          'artifact perf-xi-results upload failed: Failed to CreateArtifact: Received non-retryable error: Failed request: (401) Unauthorized: the bearer token has expired' +
          " (deleting the earlier attempt's artifact perf-xi-results first had failed:" +
          ' Failed to ListArtifacts: Received non-retryable error: Failed request: (401) Unauthorized: the bearer token has expired)',
      })
      // Attempt 1's results stay the run's baseline.
      expect(service.artifacts.filter((a) => a.runBackendId === first.runBackendId).map((a) => a.jobBackendId)).toEqual([first.jobBackendId])
      expect(service.violations.map((v) => v.kind)).toEqual(['auth', 'auth'])
      service.clearLog()
    })
  })

  it('answers not-available, without a request, when the Actions runtime is absent (local run, demo)', async () => {
    const outcome = await uploadResults(file)
    expect(outcome).toEqual({
      status: 'not-available',
      reason: 'artifact perf-xi-results not uploaded: the Actions runtime token (ACTIONS_RUNTIME_TOKEN) is not set: not running inside a GitHub Actions job',
    })
    expect(service.requests).toEqual([])
  })

  it('answers not-available at once, without asking @actions/artifact, when the caller found no runtime token', async () => {
    // The service would accept an upload here: only the caller's word stops it.
    env.set(service.issueToken().env)
    expect(await uploadResults(file, { runtimePresent: false })).toEqual({
      status: 'not-available',
      reason: 'artifact perf-xi-results not uploaded: the Actions runtime token (ACTIONS_RUNTIME_TOKEN) is not set: not running inside a GitHub Actions job',
    })
    expect(service.requests).toEqual([])
  })

  it('answers not-available when the token is there but the results service URL is not', async () => {
    env.set({ ACTIONS_RUNTIME_TOKEN: service.issueToken().token })
    const outcome = await uploadResults(file)
    expect(outcome.status).toBe('not-available')
    expect(outcome.status === 'not-available' && outcome.reason).toMatch(/ACTIONS_RESULTS_URL/)
    expect(service.requests).toEqual([])
  })

  it('answers not-available on GitHub Enterprise Server, where @actions/artifact v2+ does not work', async () => {
    env.set({ ...service.issueToken().env, GITHUB_SERVER_URL: 'https://ghes.example.com' })
    const outcome = await uploadResults(file)
    expect(outcome.status).toBe('not-available')
    expect(outcome.status === 'not-available' && outcome.reason).toMatch(/Enterprise Server.*baseline\.store: cache/)
    expect(service.requests).toEqual([])
    // @actions/artifact itself warns here; the store adds nothing to the log.
    expect(stdout.lines().filter((l) => l.startsWith('::warning::'))).toEqual([
      expect.stringMatching(/^::warning::Artifact upload failed with error: GHESNotSupportedError/),
    ])
  })

  it('refuses to upload a file that is not a results file, so it never becomes a baseline', async () => {
    env.set(service.issueToken().env)
    writeFileSync(file, JSON.stringify({ ...baseBranchRun('7002'), schema: 'perf-xi/results@0' }))
    const outcome = await uploadResults(file)
    expect(outcome).toEqual({
      status: 'failed',
      reason: `results file ${file} does not match the results schema: schema: Invalid input: expected "perf-xi/results@1"`,
    })
    expect(await uploadResults(path.join(dir, 'missing.json'))).toEqual({
      status: 'failed',
      reason: `results file ${path.join(dir, 'missing.json')} could not be read: ENOENT`,
    })
    expect(service.requests).toEqual([])
  })

  it('refuses a retention outside 1..90 days before doing anything', async () => {
    await expect(uploadResults(file, { retentionDays: 0 })).rejects.toThrow('artifact retention: expected a whole number of days from 1 to 90, got 0')
    expect(retentionDaysProblem(90)).toBeUndefined()
    expect(retentionDaysProblem(2.5)).toMatch(/got 2.5/)
  })
})

describe('notAvailableReason', () => {
  it.each([
    ['Error: Unable to get the ACTIONS_RUNTIME_TOKEN env variable', /ACTIONS_RUNTIME_TOKEN/],
    ['Error: Unable to get the ACTIONS_RESULTS_URL env variable', /ACTIONS_RESULTS_URL/],
    ['Failed request: (500) Internal Server Error', undefined],
  ])('%s', (message, expected) => {
    const reason = notAvailableReason(new Error(message.replace(/^Error: /, '')))
    if (expected === undefined) expect(reason).toBeUndefined()
    else expect(reason).toMatch(expected)
  })
})
