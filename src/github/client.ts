/**
 * The GitHub REST client the action uses: `@actions/github`'s Octokit with
 * @octokit/plugin-throttling (rate limits) and @octokit/plugin-retry (5xx and network errors, with
 * backoff), throttling inside retry; 403 and 429 never retried by plugin-retry (DO_NOT_RETRY).
 * Plain data in: the caller passes the token and `GITHUB_API_URL`; nothing here reads the
 * environment or the GitHub context. The token goes to Octokit's auth only and is never logged.
 * Why the plugins are wired this way: docs/github-client.md.
 */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'

/** The client every function in src/github takes. */
export type GitHubClient = ReturnType<typeof getOctokit>

/** Statuses plugin-retry must not retry: client errors, and 429 (plugin-throttling honours its retry-after). */
export const DO_NOT_RETRY: readonly number[] = [400, 401, 403, 404, 410, 422, 429, 451]

/** Waits and retry counts. The defaults are production values; tests shrink the waits. */
export interface GitHubClientTuning {
  /** plugin-retry: retries of a 5xx or network error. Default 3. */
  retries?: number
  /** plugin-retry waits (retry + 1)² × this many ms before each retry. Default 1000 (1 s, 4 s, 9 s). */
  retryAfterBaseValue?: number
  /** Rate limits: times one request waits out a rate limit before it fails. Default 2. */
  rateLimitRetries?: number
  /** Rate limits: ms waited per second of `retry-after` (or until `x-ratelimit-reset`). Default 1000. */
  rateLimitBaseValue?: number
  /** Rate limits: a longer wait than this (seconds) is not worth the runner's time: fail at once. Default 300. */
  maxRateLimitWaitSeconds?: number
  /**
   * plugin-throttling spaces writes per id (1 s between writes, 3 s between writes that notify,
   * such as a new comment), as GitHub asks. Clients with different ids are spaced independently.
   * Default `perf-xi`.
   */
  throttleId?: string
}

export const CLIENT_DEFAULTS = {
  retries: 3,
  retryAfterBaseValue: 1000,
  rateLimitRetries: 2,
  rateLimitBaseValue: 1000,
  maxRateLimitWaitSeconds: 300,
  throttleId: 'perf-xi',
} as const

export interface GitHubClientOptions {
  /** GITHUB_TOKEN or another token. Sent as the Authorization header only; never logged. */
  token: string
  /** REST API root: GITHUB_API_URL, e.g. https://api.github.com or https://ghes.example.com/api/v3. */
  baseUrl: string
  /** Where rate-limit waits and give-ups are reported (e.g. core.warning). Default: nowhere. */
  log?: { warn(line: string): void }
  /** Waits and retry counts; see GitHubClientTuning. */
  retry?: GitHubClientTuning
  /** User-Agent product. Default `perf-xi`. */
  userAgent?: string
}

interface LimitedRequest {
  method?: string
  url?: string
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  if (options.token.trim() === '') throw new Error('a GitHub token is required (the github-token input, usually ${{ github.token }})')
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  if (!/^https?:\/\//.test(baseUrl)) throw new Error(`the GitHub API URL must start with https:// (got ${JSON.stringify(options.baseUrl)})`)
  const tuning = { ...CLIENT_DEFAULTS, ...definedOnly(options.retry ?? {}) }
  const warn = (line: string): void => options.log?.warn(line)

  // One handler for both kinds of rate limit: wait while it is short and we have retries left.
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: LimitedRequest, _octokit: unknown, retryCount: number): boolean => {
      const what = `${request.method ?? 'request'} ${pathOf(request.url)}`.trim()
      if (retryCount >= tuning.rateLimitRetries) {
        warn(`GitHub ${kind} for ${what}: still limited after ${retryCount} ${retryCount === 1 ? 'wait' : 'waits'}, giving up`)
        return false
      }
      if (retryAfter > tuning.maxRateLimitWaitSeconds) {
        warn(`GitHub ${kind} for ${what}: it clears in ${retryAfter} s, longer than the ${tuning.maxRateLimitWaitSeconds} s worth waiting, giving up`)
        return false
      }
      warn(`GitHub ${kind} for ${what}: waiting ${retryAfter} s, then retry ${retryCount + 1} of ${tuning.rateLimitRetries}`)
      return true
    }

  return getOctokit(
    options.token,
    {
      baseUrl,
      userAgent: options.userAgent ?? 'perf-xi',
      // Octokit's own warnings (deprecations, a throwing limit handler); debug and info stay quiet.
      log: { debug: () => {}, info: () => {}, warn: (message: string) => warn(String(message)), error: (message: string) => warn(String(message)) },
      throttle: {
        id: tuning.throttleId,
        retryAfterBaseValue: tuning.rateLimitBaseValue,
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
      },
      retry: {
        retries: tuning.retries,
        retryAfterBaseValue: tuning.retryAfterBaseValue,
        doNotRetry: [...DO_NOT_RETRY],
      },
    },
    throttling,
    retry,
  )
}

/** The URL's path only: no host, no query string. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return ''
  try {
    return new URL(url, 'http://github.invalid').pathname
  } catch {
    return url.replace(/[?#].*$/, '')
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
