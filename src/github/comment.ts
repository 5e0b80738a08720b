/**
 * The pull request comment: one per (workflow, job, config), found again by a hidden marker and
 * updated in place, its body capped at GitHub's limit without losing the verdict at its head.
 */
import type { GitHubClient } from './client.js'
import { fitMarkdown } from '../report/markdown.js'
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
  const smallest = head.length + truncationNote(content.split('\n').length, false).length
  if (smallest > limit) throw new RangeError(`a comment limit of ${limit} characters cannot hold the marker and the truncation note (${smallest})`)
  return head + fitMarkdown(content, { limit: limit - head.length, note: truncationNote })
}

function truncationNote(moreLines: number, lineCut: boolean): string {
  if (moreLines <= 0) return '\n\n… the rest is in the job summary'
  const prefix = lineCut ? 'the rest of this line and ' : ''
  return `\n\n… ${prefix}${moreLines} more ${moreLines === 1 ? 'line' : 'lines'} in the job summary`
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
   * The login the token comments as; only its comments are updated. Default: asked of GitHub
   * (tokenLogin) when a comment carries the marker.
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
 * comments is searched (100 per page). Only comments written by the token's own account can be
 * Perf-Xi's: anyone may paste the marker into a comment of their own, and such a comment is
 * neither edited (which would fail with 403 and leave the pull request without a report) nor
 * allowed to stop the post. Of several, the newest is updated.
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

  const marked = comments.filter((c) => (c.body ?? '').includes(marker))
  // The token's account is asked for only when there is a comment to tell apart.
  const login = marked.length > 0 ? (options.authorLogin ?? (await tokenLogin(octokit))) : ACTIONS_BOT_LOGIN
  const existing = newest(marked.filter((c) => writtenBy(c, login)))
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

/**
 * The login the token writes comments as. `GET /user` answers for a personal access token; an
 * installation token (GITHUB_TOKEN, which comments as github-actions[bot]) is refused there with
 * 403 "Resource not accessible by integration".
 */
export async function tokenLogin(octokit: GitHubClient): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return data.login
  } catch (error) {
    const status = errorStatus(error)
    if (status === 403 || status === 404) return ACTIONS_BOT_LOGIN
    throw toGitHubError(error, 'Asking GitHub which account the token belongs to', PERMISSION_HINT)
  }
}

function writtenBy(comment: ListedComment, login: string): boolean {
  const author = comment.user
  if (!author || author.login.toLowerCase() !== login.toLowerCase()) return false
  // Only an app's account has a login ending in [bot]; GitHub says so in its type as well.
  return login !== ACTIONS_BOT_LOGIN || author.type === 'Bot'
}

function newest(candidates: ListedComment[]): ListedComment | undefined {
  let best: ListedComment | undefined
  for (const c of candidates) {
    if (best === undefined || (Date.parse(c.created_at) - Date.parse(best.created_at) || c.id - best.id) > 0) best = c
  }
  return best
}
