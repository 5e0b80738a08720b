/**
 * The base branch's history: the results files uploaded as artifacts by the latest successful runs
 * of the same workflow on the base branch, newest first, ready for compareWithBaseline().
 *
 * "No baseline" and "a baseline we could not read" stay distinct: a run without the artifact, or
 * whose artifact has expired, is skipped (with a note); an artifact that is there but cannot be
 * used (download failed, not a zip, the file missing, bad JSON, another schema) becomes an
 * unreadable history entry with the precise reason, which the regression report shows.
 */
import { createHash } from 'node:crypto'
import { strFromU8, unzipSync, type UnzipFileInfo } from 'fflate'
import type { HistoryEntry, UnreadableHistoryEntry } from '../baseline/regression.js'
import { RESULTS_SCHEMA, ResultsFileSchema, type ResultsFile } from '../results/schema.js'
import type { GitHubClient } from './client.js'
import { errorStatus, toGitHubError } from './errors.js'

export const BASELINE_DEFAULTS = {
  artifactName: 'perf-xi-results',
  fileName: 'perf-xi-results.json',
  limit: 5,
  maxRunsScanned: 50,
  /** A results file is a few hundred KB at most; anything far bigger is not one (or is a zip bomb). */
  maxFileBytes: 64 * 1024 * 1024,
} as const

export interface BaselineQuery {
  owner: string
  repo: string
  /** The workflow: its file name (`perf.yml`, see workflowFileFromRef) or numeric id. */
  workflowId: string | number
  /** Base branch, e.g. `main` (the pull request's base ref). */
  branch: string
  /** Artifact the results file was uploaded in. Default `perf-xi-results`. */
  artifactName?: string
  /** The results file inside the artifact. Default `perf-xi-results.json`. */
  fileName?: string
  /** Readable results files wanted (the history's length). Default 5. */
  limit?: number
  /** A run to leave out (this run, when it is itself on the base branch). */
  excludeRunId?: number | string
  /** Successful runs looked at, at most, before giving up. Default 50. */
  maxRunsScanned?: number
}

export interface BaselineHistory {
  /**
   * ok: every run that carried the artifact was read (there may be fewer than `limit`);
   * none: no base-branch run carried a usable artifact (or the workflow is unknown);
   * partial: something was there but could not all be read: unreadable entries, or the listing failed part-way.
   */
  status: 'ok' | 'none' | 'partial'
  /** Newest first. Readable entries are validated results files; the others say why they are not. */
  history: HistoryEntry[]
  /** Successful base-branch runs looked at. */
  scannedRuns: number
  /** What a reader should know: runs skipped and why, where the search stopped. */
  notes: string[]
}

interface ListedRun {
  id: number
  run_attempt?: number
  head_branch: string | null
  conclusion: string | null
  created_at: string
  html_url?: string
  repository?: { id: number; full_name: string }
  head_repository?: { id: number; full_name: string }
}

interface ListedArtifact {
  id: number
  name: string
  expired: boolean
  created_at: string | null
  expires_at: string | null
  digest?: string | null
}

/**
 * Reads the base branch's recent results files.
 *
 * Lists the workflow's successful runs on `branch` (newest first, paging as needed), and for each
 * run the artifact named `artifactName`; downloads and unzips it, and validates `fileName`
 * against the results schema. Stops at `limit` readable entries, when the runs run out, or after
 * `maxRunsScanned` runs.
 *
 * Throws GitHubPermissionError when the first listing is refused (403: the token lacks
 * `actions: read`) and GitHubApiError when it fails otherwise; a 404 for the workflow (renamed or
 * deleted) is no history: status `none` with a note.
 */
export async function fetchBaselineHistory(octokit: GitHubClient, query: BaselineQuery): Promise<BaselineHistory> {
  const { owner, repo, branch } = query
  const artifactName = query.artifactName ?? BASELINE_DEFAULTS.artifactName
  const fileName = query.fileName ?? BASELINE_DEFAULTS.fileName
  const limit = query.limit ?? BASELINE_DEFAULTS.limit
  const maxRunsScanned = query.maxRunsScanned ?? BASELINE_DEFAULTS.maxRunsScanned
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the baseline history length must be a positive integer (got ${limit})`)
  if (!Number.isInteger(maxRunsScanned) || maxRunsScanned < 1) throw new RangeError(`maxRunsScanned must be a positive integer (got ${maxRunsScanned})`)
  const workflow = String(query.workflowId)
  const excluded = query.excludeRunId === undefined ? undefined : String(query.excludeRunId).replace(/-\d+$/, '')

  const history: HistoryEntry[] = []
  const notes: string[] = []
  let readable = 0
  let scannedRuns = 0
  let withoutArtifact = 0
  let listingFailed = false

  // Small pages: the newest few runs usually carry the artifact, and each run costs requests of its own.
  const perPage = Math.min(100, maxRunsScanned, Math.max(10, limit * 2))
  const pages = octokit.paginate.iterator(octokit.rest.actions.listWorkflowRuns, {
    owner,
    repo,
    workflow_id: query.workflowId,
    branch,
    status: 'success',
    per_page: perPage,
  })

  try {
    for await (const page of pageIterator(pages)) {
      for (const run of page as ListedRun[]) {
        if (readable >= limit || scannedRuns >= maxRunsScanned) break
        if (String(run.id) === excluded) continue
        // The server filters by branch and conclusion; a fork's pull request from its own `main`
        // also has head_branch `main`, and its numbers are not the base branch's.
        if (run.head_branch !== branch || run.conclusion !== 'success') continue
        scannedRuns++
        if (run.head_repository && run.repository && run.head_repository.id !== run.repository.id) {
          notes.push(`run ${run.id} skipped: it ran on a fork (${run.head_repository.full_name}), not on ${branch}`)
          continue
        }
        const outcome = await readRun(octokit, { owner, repo, run, artifactName, fileName })
        if (outcome.kind === 'missing') withoutArtifact++
        else if (outcome.kind === 'skipped') notes.push(outcome.note)
        else {
          history.push(outcome.entry)
          if (outcome.kind === 'readable') readable++
        }
      }
      if (readable >= limit || scannedRuns >= maxRunsScanned) break
    }
  } catch (error) {
    const status = errorStatus(error)
    if (scannedRuns === 0 && history.length === 0) {
      if (status === 404) {
        notes.push(`workflow ${workflow} was not found in ${owner}/${repo} (renamed or deleted?), so there is no baseline`)
        return { status: 'none', history: [], scannedRuns: 0, notes }
      }
      throw toGitHubError(
        error,
        `Listing the successful runs of workflow ${workflow} on ${branch}`,
        'the token needs `permissions: actions: read` to read base-branch results',
      )
    }
    listingFailed = true
    notes.push(`${toGitHubError(error, `listing more runs of workflow ${workflow} on ${branch}`).message}; the history is what was read before`)
  }

  if (withoutArtifact > 0) {
    notes.push(`${withoutArtifact} successful ${withoutArtifact === 1 ? 'run' : 'runs'} on ${branch} had no ${artifactName} artifact`)
  }
  if (readable < limit && scannedRuns >= maxRunsScanned) {
    notes.push(`stopped after ${scannedRuns} runs (maxRunsScanned) with ${readable} of ${limit} readable results files`)
  }
  const unreadable = history.length - readable
  const status = history.length === 0 ? 'none' : unreadable > 0 || listingFailed ? 'partial' : 'ok'
  if (status === 'none' && !listingFailed) notes.push(`no successful run of ${workflow} on ${branch} left a readable ${artifactName} artifact`)
  return { status, history, scannedRuns, notes }
}

/** `owner/repo/.github/workflows/perf.yml@refs/heads/main` (GITHUB_WORKFLOW_REF) → `perf.yml`. */
export function workflowFileFromRef(workflowRef: string): string | undefined {
  const match = /^[^/]+\/[^/]+\/\.github\/workflows\/([^/@]+\.ya?ml)(?:@|$)/.exec(workflowRef.trim())
  return match?.[1]
}

type RunOutcome =
  { kind: 'readable'; entry: ResultsFile } | { kind: 'unreadable'; entry: UnreadableHistoryEntry } | { kind: 'missing' } | { kind: 'skipped'; note: string }

async function readRun(
  octokit: GitHubClient,
  args: { owner: string; repo: string; run: ListedRun; artifactName: string; fileName: string },
): Promise<RunOutcome> {
  const { owner, repo, run, artifactName, fileName } = args
  const runId = String(run.id)
  const unreadable = (reason: string): RunOutcome => ({ kind: 'unreadable', entry: { unreadable: true, reason, runId } })

  let artifacts: ListedArtifact[]
  try {
    artifacts = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, { owner, repo, run_id: run.id, name: artifactName, per_page: 100 })
  } catch (error) {
    return unreadable(toGitHubError(error, `listing the artifacts of run ${runId}`).message)
  }
  const named = artifacts.filter((a) => a.name === artifactName).sort((a, b) => b.id - a.id)
  if (named.length === 0) return { kind: 'missing' }
  const artifact = named.find((a) => !a.expired)
  if (artifact === undefined) {
    const on = named[0]?.expires_at ? ` on ${named[0].expires_at.slice(0, 10)}` : ''
    return { kind: 'skipped', note: `run ${runId}: artifact ${artifactName} expired${on} (raise retention-days to keep a longer history)` }
  }

  let zip: Uint8Array
  try {
    const response = await octokit.rest.actions.downloadArtifact({ owner, repo, artifact_id: artifact.id, archive_format: 'zip' })
    zip = toBytes(response.data)
  } catch (error) {
    if (errorStatus(error) === 410) return { kind: 'skipped', note: `run ${runId}: artifact ${artifactName} expired (410 Gone)` }
    return unreadable(toGitHubError(error, `downloading artifact ${artifactName} (${artifact.id})`).message)
  }

  const digest = artifact.digest ?? ''
  if (digest.startsWith('sha256:')) {
    const actual = createHash('sha256').update(zip).digest('hex')
    if (actual !== digest.slice('sha256:'.length).toLowerCase()) {
      return unreadable(`artifact ${artifactName} (${artifact.id}) does not match its digest (${digest}, downloaded sha256:${actual}): damaged download`)
    }
  }
  const parsed = parseResultsZip(zip, fileName, artifactName)
  return parsed.ok ? { kind: 'readable', entry: parsed.results } : unreadable(parsed.reason)
}

/**
 * Unzips an artifact and validates the results file in it. Pure, for tests and the CLI. The file is
 * looked up by exact path, then by name in a folder when exactly one entry has that name.
 */
export function parseResultsZip(
  zip: Uint8Array,
  fileName: string,
  artifactName = 'the artifact',
): { ok: true; results: ResultsFile } | { ok: false; reason: string } {
  const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1)
  const seen: string[] = []
  const tooBig: string[] = []
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(zip, {
      filter: (file: UnzipFileInfo) => {
        seen.push(file.name)
        if (file.name !== fileName && base(file.name) !== base(fileName)) return false
        if (file.originalSize > BASELINE_DEFAULTS.maxFileBytes) {
          tooBig.push(file.name)
          return false
        }
        return true
      },
    })
  } catch (error) {
    return { ok: false, reason: `${artifactName} is not a readable zip archive (${error instanceof Error ? error.message : String(error)})` }
  }
  if (tooBig.length > 0)
    return { ok: false, reason: `${tooBig[0]} in ${artifactName} is larger than ${BASELINE_DEFAULTS.maxFileBytes / 1024 / 1024} MB, not a results file` }
  const entries = Object.keys(files)
  const name = files[fileName] !== undefined ? fileName : entries.length === 1 ? entries[0] : undefined
  if (name === undefined) {
    const listing = seen.filter((n) => !n.endsWith('/'))
    const holds =
      listing.length === 0 ? 'it is empty' : `it holds ${listing.slice(0, 5).join(', ')}${listing.length > 5 ? `, … (${listing.length} files)` : ''}`
    return {
      ok: false,
      reason:
        entries.length > 1
          ? `${artifactName} holds ${entries.length} files named ${base(fileName)} (${entries.join(', ')})`
          : `${artifactName} has no ${fileName} (${holds})`,
    }
  }
  return parseResultsJson(strFromU8(files[name] as Uint8Array), name)
}

/** Parses and validates one results file's text. */
export function parseResultsJson(text: string, fileName: string): { ok: true; results: ResultsFile } | { ok: false; reason: string } {
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    return { ok: false, reason: `${fileName} is not valid JSON (${error instanceof Error ? error.message : String(error)})` }
  }
  const schema = json !== null && typeof json === 'object' ? (json as { schema?: unknown }).schema : undefined
  if (schema !== RESULTS_SCHEMA) {
    const what = schema === undefined ? 'has no "schema" field' : `is ${JSON.stringify(schema)}`
    return { ok: false, reason: `${fileName} is not a ${RESULTS_SCHEMA} results file: its schema ${what}` }
  }
  const parsed = ResultsFileSchema.safeParse(json)
  if (parsed.success) return { ok: true, results: parsed.data }
  const issues = parsed.error.issues
  const shown = issues.slice(0, 3).map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : ''
  return { ok: false, reason: `${fileName} does not match ${RESULTS_SCHEMA}: ${shown.join('; ')}${more}` }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  if (typeof data === 'string') return new TextEncoder().encode(data)
  throw new TypeError(`unexpected artifact download body (${typeof data})`)
}

/** paginate.iterator yields responses; we want each page's items. */
async function* pageIterator(pages: AsyncIterable<{ data: unknown }>): AsyncGenerator<unknown[]> {
  for await (const response of pages) yield Array.isArray(response.data) ? response.data : []
}
