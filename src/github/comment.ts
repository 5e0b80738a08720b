/**
 * The pull request comment: one per (workflow, job, config), found again by a hidden marker and
 * updated in place, its body capped at GitHub's limit without losing the verdict at its head.
 */
import type { GitHubClient } from './client.js'
import { errorStatus, toGitHubError } from './errors.js'

/** GitHub refuses a comment body longer than this (422 "body is too long (maximum is 65536 characters)"). */
export const GITHUB_COMMENT_MAX = 65_536

/** The login GITHUB_TOKEN comments as. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]'

export interface CommentMarkerOptions {
  /** Workflow file, e.g. `perf.yml` (see workflowFileFromRef). */
  workflow: string
  /** Job id, e.g. `perf` (GITHUB_JOB). */
  job: string
  /** Config file path, e.g. `.github/perf-xi.yml`. */
  config: string
}

/**
 * `<!-- perf-xi:comment workflow="perf.yml" job="perf" config=".github/perf-xi.yml" -->`:
 * hidden when rendered, one per (workflow, job, config), so two Perf-Xi jobs on one pull request
 * keep two comments. Values are percent-encoded where they could end the attribute or the comment
 * (`%`, `"`, `<`, `>`, `&`, control characters), so no name can close the comment, and no marker
 * is a substring of another.
 */
export function commentMarker({ workflow, job, config }: CommentMarkerOptions): string {
  return `<!-- perf-xi:comment workflow="${escapeMarkerValue(workflow)}" job="${escapeMarkerValue(job)}" config="${escapeMarkerValue(config)}" -->`
}

function escapeMarkerValue(value: string): string {
  return value.replace(/[%"<>&\u0000-\u001f\u007f\u2028\u2029]/g, (ch) =>
    Array.from(new TextEncoder().encode(ch), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  )
}

/**
 * Fits `body` into `limit` characters (UTF-16 code units, JS `length`; GitHub counts code points,
 * so this never undercounts). A body that fits and carries the marker is returned unchanged.
 * Otherwise the marker goes first, the body follows from its head (verdict, breaches, the start of
 * the table) and is cut at a line boundary, open code fences and `<details>` blocks are closed, and
 * a last line says `… N more lines in the job summary`. Only a first line too long to fit on its
 * own is cut inside the line, never between the halves of a surrogate pair.
 */
export function capCommentBody(body: string, marker: string, limit: number = GITHUB_COMMENT_MAX): string {
  const hasMarker = body.includes(marker)
  if (hasMarker && body.length <= limit) return body

  let content = body
  if (hasMarker) {
    const at = body.indexOf(marker)
    content = body.slice(0, at) + body.slice(at + marker.length).replace(/^\r?\n/, '')
  }
  const head = `${marker}\n`
  if (content.endsWith('\n')) content = content.slice(0, -1)
  if (head.length + content.length <= limit) return head + content

  const lines = content.split('\n')
  const smallest = head.length + truncationNote(lines.length).length
  if (smallest > limit) throw new RangeError(`a comment limit of ${limit} characters cannot hold the marker and the truncation note (${smallest})`)

  const blocks = new OpenBlocks()
  let used = head.length
  let best: { kept: number; closers: string } | undefined
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k] as string
    used += (k > 0 ? 1 : 0) + line.length
    if (used > limit) break
    blocks.see(line)
    const closers = blocks.closers()
    if (used + closers.length + truncationNote(lines.length - k - 1).length <= limit) best = { kept: k + 1, closers }
  }

  if (best !== undefined) {
    return head + lines.slice(0, best.kept).join('\n') + best.closers + truncationNote(lines.length - best.kept)
  }
  // Not even the first line fits: cut inside it.
  const note = truncationNote(lines.length - 1, true)
  let cut = limit - head.length - note.length - 1
  const first = lines[0] as string
  if (cut > 0 && isHighSurrogate(first.charCodeAt(cut - 1))) cut -= 1
  return `${head}${first.slice(0, Math.max(cut, 0))}…${note}`
}

function truncationNote(moreLines: number, lineCut = false): string {
  if (moreLines <= 0) return '\n\n… the rest is in the job summary'
  const prefix = lineCut ? 'the rest of this line and ' : ''
  return `\n\n… ${prefix}${moreLines} more ${moreLines === 1 ? 'line' : 'lines'} in the job summary`
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

/** Tracks Markdown code fences and HTML `<details>` blocks left open by a cut. */
class OpenBlocks {
  private fence: string | undefined
  private details = 0

  see(line: string): void {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (this.fence !== undefined) {
      const closing = fence?.[1]
      if (closing !== undefined && closing[0] === this.fence[0] && closing.length >= this.fence.length && line.trim() === closing) this.fence = undefined
      return
    }
    if (fence) {
      this.fence = fence[1]
      return
    }
    this.details += (line.match(/<details\b/gi) ?? []).length
    this.details = Math.max(0, this.details - (line.match(/<\/details\s*>/gi) ?? []).length)
  }

  closers(): string {
    return (this.fence !== undefined ? `\n${this.fence}` : '') + '\n\n</details>'.repeat(this.details)
  }
}

export interface UpsertCommentOptions {
  owner: string
  repo: string
  /** Pull request (or issue) number. */
  issueNumber: number
  /** From commentMarker(). */
  marker: string
  /** The comment; capped with capCommentBody, which also puts the marker in when it is missing. */
  body: string
  /**
   * Preferred author when several comments carry the marker (someone may quote it). Default
   * `github-actions[bot]`, the login of GITHUB_TOKEN.
   */
  authorLogin?: string
}

export interface UpsertCommentResult {
  action: 'created' | 'updated'
  id: number
  /** The comment's html_url. */
  url: string
}

const PERMISSION_HINT =
  'the token cannot write pull request comments (a pull request from a fork gets a read-only GITHUB_TOKEN; ' +
  'otherwise add `permissions: pull-requests: write`); the report is still in the job summary and the results artifact'

interface ListedComment {
  id: number
  body?: string | null
  html_url: string
  created_at: string
  user?: { login: string; type?: string } | null
}

/**
 * Creates the pull request comment that carries `marker`, or updates it in place. Every page of
 * comments is searched (100 per page). When several carry the marker, the newest by
 * `authorLogin` wins, else the newest by any bot, else the newest.
 *
 * Throws GitHubPermissionError on 403/404 (read-only token, fork pull request, no such pull
 * request): the caller warns and carries on, the verdict does not change. Other failures throw
 * GitHubApiError with a one-line message (status and GitHub's message).
 */
export async function upsertPullRequestComment(octokit: GitHubClient, options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { owner, repo, issueNumber, marker } = options
  if (!Number.isInteger(issueNumber) || issueNumber <= 0) throw new RangeError(`pull request number must be a positive integer (got ${issueNumber})`)
  if (marker.trim() === '') throw new RangeError('the comment marker is empty')
  const body = capCommentBody(options.body, marker)
  const where = `${owner}/${repo}#${issueNumber}`

  let comments: ListedComment[]
  try {
    comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })
  } catch (error) {
    throw toGitHubError(error, `Listing the comments of ${where}`, PERMISSION_HINT)
  }

  const existing = pickComment(
    comments.filter((c) => (c.body ?? '').includes(marker)),
    options.authorLogin ?? ACTIONS_BOT_LOGIN,
  )
  if (existing !== undefined) {
    try {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body })
      return { action: 'updated', id: data.id, url: data.html_url }
    } catch (error) {
      // Deleted between listing and updating: fall through and create a new one.
      if (errorStatus(error) !== 404) throw toGitHubError(error, `Updating comment ${existing.id} on ${where}`, PERMISSION_HINT)
    }
  }
  try {
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })
    return { action: 'created', id: data.id, url: data.html_url }
  } catch (error) {
    throw toGitHubError(error, `Creating the comment on ${where}`, PERMISSION_HINT)
  }
}

/**
 * The commit a pull request's head is at now, to check that results still belong to it.
 * Throws GitHubPermissionError on 403/404 and GitHubApiError otherwise, each naming the call.
 */
export async function pullRequestHeadSha(octokit: GitHubClient, options: { owner: string; repo: string; number: number }): Promise<string> {
  const { owner, repo, number } = options
  try {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number })
    return data.head.sha
  } catch (error) {
    throw toGitHubError(error, `Reading pull request ${owner}/${repo}#${number}`, 'the token needs `permissions: pull-requests: read`')
  }
}

function pickComment(candidates: ListedComment[], login: string): ListedComment | undefined {
  const rank = (c: ListedComment): number => (c.user?.login === login ? 2 : c.user?.type === 'Bot' ? 1 : 0)
  let best: ListedComment | undefined
  for (const c of candidates) {
    if (best === undefined) best = c
    else {
      const byRank = rank(c) - rank(best)
      const newer = Date.parse(c.created_at) - Date.parse(best.created_at) || c.id - best.id
      if (byRank > 0 || (byRank === 0 && newer > 0)) best = c
    }
  }
  return best
}
