/**
 * GitHub API failures as one-line, typed errors: the HTTP status and GitHub's own message, what
 * Perf-Xi was doing, and (for permissions) what the user can do. Never a stack, never the token.
 *
 * - GitHubPermissionError: 403 / 404 that is not a rate limit. The token may not do this (a fork
 *   PR's read-only GITHUB_TOKEN, missing `permissions:`), or the thing is not there. The caller
 *   turns it into a warning; the verdict never changes because a report could not be posted.
 * - GitHubApiError: anything else (5xx after retries, a rate limit not worth waiting out, 422, a
 *   network failure).
 */

export class GitHubApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or undefined when no answer came (network failure). */
    readonly status: number | undefined,
    /** GitHub's `message` field (or the network error), as received. */
    readonly githubMessage: string,
  ) {
    super(message)
    this.name = 'GitHubApiError'
  }
}

export class GitHubPermissionError extends GitHubApiError {
  constructor(message: string, status: number, githubMessage: string) {
    super(message, status, githubMessage)
    this.name = 'GitHubPermissionError'
  }
}

interface ErrorLike {
  status?: unknown
  message?: unknown
  response?: { headers?: Record<string, unknown>; data?: unknown }
  cause?: unknown
}

/** The HTTP status of an Octokit RequestError, or undefined. */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as ErrorLike | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** GitHub's message for a failed request: `message` plus any `errors[].message`, on one line. */
export function githubMessage(error: unknown): string {
  const e = (error ?? {}) as ErrorLike
  const data = e.response?.data
  if (data !== null && typeof data === 'object') {
    const d = data as { message?: unknown; errors?: unknown }
    const parts: string[] = []
    if (typeof d.message === 'string' && d.message.trim() !== '') parts.push(d.message.trim())
    if (Array.isArray(d.errors)) {
      for (const item of d.errors.slice(0, 3)) {
        const text = typeof item === 'string' ? item : typeof item?.message === 'string' ? item.message : undefined
        if (text) parts.push(text)
      }
    }
    if (parts.length > 0) return oneLine(parts.join(': '))
  }
  if (typeof data === 'string' && data.trim() !== '' && data.length < 300) return oneLine(data)
  const cause = e.cause as ErrorLike | undefined
  const message = typeof e.message === 'string' ? e.message : String(error)
  const causeText = cause && typeof cause.message === 'string' && !message.includes(cause.message) ? ` (${cause.message})` : ''
  return oneLine(message + causeText)
}

/** A primary or secondary rate limit, which is not a permission problem even when it is a 403. */
export function isRateLimit(error: unknown): boolean {
  const e = (error ?? {}) as ErrorLike
  const status = errorStatus(error)
  if (status === 429) return true
  if (status !== 403) return false
  const remaining = e.response?.headers?.['x-ratelimit-remaining']
  return String(remaining) === '0' || /rate limit/i.test(githubMessage(error))
}

/**
 * Wraps whatever a request threw as a one-line typed error.
 * @param doing what Perf-Xi was doing, e.g. "creating the pull request comment on #12"
 * @param permissionHint what the user can do when the token may not do this
 */
export function toGitHubError(error: unknown, doing: string, permissionHint?: string): GitHubApiError {
  if (error instanceof GitHubApiError) return error
  const status = errorStatus(error)
  const message = githubMessage(error)
  if ((status === 403 || status === 404) && !isRateLimit(error)) {
    const hint = permissionHint ? `; ${permissionHint}` : ''
    return new GitHubPermissionError(`${doing}: GitHub answered ${status} ${quote(message)}${hint}`, status, message)
  }
  // Octokit reports a request that got no answer (connection refused, DNS, TLS) as a 500 without a response.
  const answered = status !== undefined && (error as ErrorLike).response !== undefined
  if (!answered) return new GitHubApiError(`${doing}: no answer from GitHub: ${message}`, undefined, message)
  const limited = isRateLimit(error) ? ' (rate limited)' : ''
  // Octokit says "Unknown error" when the response carries no message (a bare 502 from a proxy).
  const said = message === '' || message === OCTOKIT_NO_MESSAGE ? 'without a message' : quote(message)
  return new GitHubApiError(`${doing}: GitHub answered ${status}${limited} ${said}`, status, message)
}

const OCTOKIT_NO_MESSAGE = 'Unknown error'

function quote(text: string): string {
  return `"${text.replace(/"/g, "'")}"`
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim()
  return line.length > 300 ? `${line.slice(0, 299)}…` : line
}
