/**
 * The artifact store (the default baseline store): uploads this run's results file as a workflow
 * artifact, so later pull-request runs can download it through the REST API as their baseline
 * (downloading is not done here). `@actions/artifact` does the work and reads its runtime variables
 * itself: this module reads no environment, never calls @actions/core, never touches
 * `github.context`, and is loaded only when an upload is asked for. Outside a workflow run the
 * upload answers `not-available`. A re-run replaces the earlier attempt's artifact, so later runs
 * read the attempt that ran last. Retention and the service's steps: docs/baselines.md.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ResultsFileSchema } from '../results/schema.js'

/** Name of the artifact later runs look for. */
export const RESULTS_ARTIFACT_NAME = 'perf-xi-results'
/** Name of the results file inside the artifact's zip. */
export const RESULTS_FILE_NAME = 'perf-xi-results.json'
/** Artifact retention GitHub accepts, in days (a repository or organization may set a lower maximum). */
export const RETENTION_DAYS_RANGE = { min: 1, max: 90 } as const

/** The part of `@actions/artifact`'s client this store uses; tests and callers may pass their own. */
export interface ArtifactUploadClient {
  uploadArtifact(
    name: string,
    files: string[],
    rootDirectory: string,
    options?: { retentionDays?: number },
  ): Promise<{ id?: number; size?: number; digest?: string }>
  /** Deletes the current run's artifact `name`, of any attempt; rejects with an `ArtifactNotFoundError` when there is none. */
  deleteArtifact(name: string): Promise<{ id: number }>
}

export interface UploadResultsOptions {
  /** Artifact name. Default `perf-xi-results` (RESULTS_ARTIFACT_NAME). Must be unique within the workflow run. */
  name?: string
  /**
   * Days the artifact is kept, 1..90. Default: the repository's setting (90 days unless changed).
   * A value above the repository's maximum is lowered to it by `@actions/artifact`.
   */
  retentionDays?: number
  /**
   * The workflow run's attempt (GITHUB_RUN_ATTEMPT, from 1). Default 1. On a re-run (2 and later) the
   * artifact an earlier attempt uploaded under `name` is replaced (see uploadReplacingEarlierAttempt).
   */
  attempt?: number
  /** Upload client. Default: `@actions/artifact`'s DefaultArtifactClient, imported on first use. */
  client?: ArtifactUploadClient
  /**
   * Whether the caller found ACTIONS_RUNTIME_TOKEN set. false: `not-available` at once, without
   * loading `@actions/artifact` (a fifth of a second of a local run). Default: left to the client.
   */
  runtimePresent?: boolean
}

export type ArtifactUploadOutcome =
  /** Uploaded and finalized; `size` is the zip's size in bytes, `digest` its SHA-256 (hex). */
  | { status: 'uploaded'; name: string; id: number; size: number; digest: string | null }
  /** No Actions runtime here (local run, demo, GHES without artifact v4): nothing was attempted. */
  | { status: 'not-available'; reason: string }
  /** The upload was attempted and failed, or the file is not a results file. */
  | { status: 'failed'; reason: string }

/**
 * Errors `@actions/artifact` raises, before any request, when the runner's runtime is absent
 * (missing ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL) or unsupported (GitHub Enterprise Server).
 */
const NOT_AVAILABLE = [
  { test: /ACTIONS_RUNTIME_TOKEN/, reason: 'the Actions runtime token (ACTIONS_RUNTIME_TOKEN) is not set: not running inside a GitHub Actions job' },
  { test: /ACTIONS_RESULTS_URL/, reason: 'the Actions results service (ACTIONS_RESULTS_URL) is not set: this runner does not support artifact uploads' },
  {
    test: /GHES|GitHub Enterprise Server/i,
    reason: 'artifact uploads (@actions/artifact v2+) are not supported on GitHub Enterprise Server: use `baseline.store: cache`',
  },
] as const

/** Why an upload error means "no runtime here" rather than a failure; undefined for real failures. */
export function notAvailableReason(error: unknown): string | undefined {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return NOT_AVAILABLE.find((n) => n.test.test(message))?.reason
}

/** A problem with `retentionDays`, or undefined when it is absent or a whole number in 1..90. */
export function retentionDaysProblem(days: number | undefined): string | undefined {
  if (days === undefined) return undefined
  const { min, max } = RETENTION_DAYS_RANGE
  if (Number.isInteger(days) && days >= min && days <= max) return undefined
  return `artifact retention: expected a whole number of days from ${min} to ${max}, got ${JSON.stringify(days)}`
}

/**
 * Uploads the results file at `file` as a workflow artifact (a zip holding the file under its own
 * name; name it `perf-xi-results.json`). The file is checked against the results schema first, so a
 * broken file never becomes a later run's baseline.
 */
export async function uploadResults(file: string, options: UploadResultsOptions = {}): Promise<ArtifactUploadOutcome> {
  const name = options.name ?? RESULTS_ARTIFACT_NAME
  const retentionProblem = retentionDaysProblem(options.retentionDays)
  if (retentionProblem) throw new RangeError(retentionProblem)

  const problem = await resultsFileProblem(file)
  if (problem) return { status: 'failed', reason: problem }
  if (options.runtimePresent === false && !options.client)
    return { status: 'not-available', reason: `artifact ${name} not uploaded: ${NOT_AVAILABLE[0].reason}` }

  try {
    const client = options.client ?? (await defaultClient())
    const absolute = path.resolve(file)
    const uploaded = await uploadReplacingEarlierAttempt(
      client,
      options.attempt ?? 1,
      name,
      [absolute],
      path.dirname(absolute),
      options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays },
    )
    if (uploaded.id === undefined) return { status: 'failed', reason: `artifact ${name}: the results service returned no artifact id` }
    return { status: 'uploaded', name, id: uploaded.id, size: uploaded.size ?? 0, digest: uploaded.digest ?? null }
  } catch (error) {
    const reason = notAvailableReason(error)
    if (reason) return { status: 'not-available', reason: `artifact ${name} not uploaded: ${reason}` }
    return { status: 'failed', reason: `artifact ${name} upload failed: ${error instanceof Error ? error.message : String(error)}` }
  }
}

/**
 * Uploads an artifact through `client`. Names are unique within a workflow run across its attempts
 * (the service refuses a second one with 409), so on a re-run (attempt 2 and later) the artifact an
 * earlier attempt left under `name` is deleted first, as upload-artifact's `overwrite` does; none
 * there is fine. The first attempt makes no extra call. A failed delete does not stop the upload;
 * if the upload then fails as well, its error names both failures in one line.
 */
export async function uploadReplacingEarlierAttempt(
  client: ArtifactUploadClient,
  attempt: number,
  name: string,
  files: string[],
  rootDirectory: string,
  options?: { retentionDays?: number },
): Promise<{ id?: number; size?: number; digest?: string }> {
  let deleteFailure: string | undefined
  if (attempt > 1) {
    try {
      await client.deleteArtifact(name)
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ArtifactNotFoundError')) deleteFailure = oneLine(error)
    }
  }
  try {
    return await client.uploadArtifact(name, files, rootDirectory, options)
  } catch (error) {
    if (deleteFailure === undefined) throw error
    throw new Error(`${oneLine(error)} (deleting the earlier attempt's artifact ${name} first had failed: ${deleteFailure})`, { cause: error })
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ')
}

async function resultsFileProblem(file: string): Promise<string | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    return `results file ${file} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return `results file ${file} is not JSON: ${(error as Error).message}`
  }
  const parsed = ResultsFileSchema.safeParse(json)
  if (parsed.success) return undefined
  const issue = parsed.error.issues[0]!
  return `results file ${file} does not match the results schema: ${issue.path.join('.') || '(root)'}: ${issue.message}`
}

async function defaultClient(): Promise<ArtifactUploadClient> {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return new DefaultArtifactClient()
}
