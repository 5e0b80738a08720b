/**
 * The Grafana Cloud k6 REST API, as the action reads it after `k6 cloud run`: the test run
 * (`/cloud/v6/test_runs/{id}`) followed until it has completed, then its per-endpoint figures from
 * the v5 metrics API (`query_aggregate_k6`). 429 and 5xx answers are retried (Retry-After
 * honoured), every other failure is one line with Grafana's own message; the token is only ever
 * sent in the Authorization header.
 */
import { deadline } from '../deadline.js'
import { UserError } from '../errors.js'

export const DEFAULT_CLOUD_API_URL = 'https://api.k6.io'

export interface CloudApiOptions {
  /** The API's root, e.g. https://api.k6.io (no trailing slash needed). */
  baseUrl: string
  token: string
  stackId: string
  /** Attempts per request when Grafana answers 429 or 5xx or does not answer. Default 5. */
  maxAttempts?: number
  /** Longest wait for one answer. Default 30 s. */
  requestTimeoutMs?: number
  /** Longest pause between attempts, whatever Retry-After says. Default 60 s. */
  maxRetryDelayMs?: number
  signal?: AbortSignal
  log?: (line: string) => void
  /** For tests: the clock's sleep. */
  sleep?: (ms: number) => Promise<void>
}

/** A test run as the v6 API describes it (the fields the action reads). */
export interface CloudTestRun {
  id: number
  test_id: number
  project_id: number
  status: string
  status_details?: { type: string; entered: string; extra?: { message?: string | null; code?: number | null } | null }
  result: string | null
  result_details?: { type?: string; message?: string | null; code?: number | null } | null
  created: string
  ended: string | null
  execution_duration?: number
  distribution?: Array<{ load_zone: string; percent: number }> | null
}

/** A failed call: its HTTP status (null when Grafana did not answer) and Grafana's message. */
export class CloudApiError extends UserError {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message)
    this.name = 'CloudApiError'
  }
}

/** The statuses after which a test run changes no more. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'aborted'])

export class CloudApi {
  private readonly baseUrl: string
  private readonly sleep: (ms: number) => Promise<void>

  constructor(private readonly opts: CloudApiOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '')
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  async testRun(id: string): Promise<CloudTestRun> {
    return (await this.get(`/cloud/v6/test_runs/${encodeURIComponent(id)}`)) as CloudTestRun
  }

  /**
   * The test run once Grafana has completed it (its metrics processed), or aborted it; polled every
   * `intervalMs`. Past `timeoutMs` a UserError names the last status seen.
   */
  async waitForCompletion(id: string, wait: { timeoutMs: number; intervalMs?: number; onStatus?: (run: CloudTestRun) => void }): Promise<CloudTestRun> {
    const deadline = Date.now() + wait.timeoutMs
    let last: string | undefined
    for (;;) {
      const run = await this.testRun(id)
      if (run.status !== last) wait.onStatus?.(run)
      last = run.status
      if (FINAL_STATUSES.has(run.status)) return run
      if (Date.now() >= deadline)
        throw new CloudApiError(
          `Grafana Cloud k6 did not complete test run ${id} within ${seconds(wait.timeoutMs)} s (last status ${run.status}); raise cloud.wait or see the run in Grafana`,
          null,
        )
      this.throwIfAborted()
      await this.sleep(Math.min(wait.intervalMs ?? 2000, Math.max(0, deadline - Date.now())))
    }
  }

  /**
   * One aggregate of a finished run's metric (the v5 metrics API): e.g. `histogram_quantile(0.95) by (name)`
   * over http_req_duration. Returns each series' labels and value.
   */
  async aggregate(id: string, query: string, metric: string): Promise<Array<{ labels: Record<string, string>; value: number | null }>> {
    const fn = `query_aggregate_k6(query='${encodeURIComponent(query)}',metric='${encodeURIComponent(metric)}')`
    const answer = (await this.get(`/cloud/v5/test_runs/${encodeURIComponent(id)}/${fn}`)) as PrometheusAnswer
    if (answer?.status !== 'success' || !Array.isArray(answer.data?.result))
      throw new CloudApiError(
        `Grafana Cloud k6 API: ${query} of ${metric} for test run ${id} answered no result (${answer?.error ?? 'unexpected shape'})`,
        null,
      )
    return answer.data.result.map((series) => {
      const point = series.values?.at(-1) ?? series.value
      const value = point === undefined ? null : Number(point[1])
      return { labels: series.metric ?? {}, value: value === null || Number.isNaN(value) ? null : value }
    })
  }

  private async get(path: string): Promise<unknown> {
    const maxAttempts = this.opts.maxAttempts ?? 5
    const what = `GET ${path.replace(/\(.*$/, '(…)')}`
    for (let attempt = 1; ; attempt++) {
      this.throwIfAborted()
      let response: Response
      let text: string
      // The time limit covers the answer and its body alike.
      const limit = deadline(this.opts.requestTimeoutMs ?? 30_000, this.opts.signal)
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          headers: { Authorization: `Bearer ${this.opts.token}`, 'X-Stack-Id': this.opts.stackId, Accept: 'application/json', 'User-Agent': 'perf-xi' },
          signal: limit.signal,
        })
        text = await response.text()
      } catch (err) {
        this.throwIfAborted()
        const reason = (err as Error).name === 'TimeoutError' ? 'no answer in time' : ((err as { cause?: Error }).cause?.message ?? (err as Error).message)
        if (attempt >= maxAttempts) throw new CloudApiError(`Grafana Cloud k6 API: ${what}: ${reason} (after ${attempt} attempts)`, null)
        await this.pause(attempt, undefined, `${what}: ${reason}`)
        continue
      } finally {
        limit.clear()
      }
      if (response.ok) {
        try {
          return JSON.parse(text) as unknown
        } catch {
          throw new CloudApiError(`Grafana Cloud k6 API: ${what} answered ${response.status} with a body that is not JSON`, response.status)
        }
      }
      const message = grafanaMessage(text)
      if ((response.status === 429 || response.status >= 500) && attempt < maxAttempts) {
        await this.pause(attempt, response.headers.get('retry-after') ?? undefined, `${what} answered ${response.status}${message ? `: ${message}` : ''}`)
        continue
      }
      throw new CloudApiError(describeFailure(what, response.status, message, attempt), response.status)
    }
  }

  private async pause(attempt: number, retryAfter: string | undefined, why: string): Promise<void> {
    const max = this.opts.maxRetryDelayMs ?? 60_000
    const ms = Math.min(max, retryAfterMs(retryAfter) ?? 1000 * 2 ** (attempt - 1))
    this.opts.log?.(`Grafana Cloud k6 API: ${why}; retrying in ${Math.round(ms / 100) / 10} s`)
    await this.sleep(ms)
  }

  private throwIfAborted(): void {
    if (this.opts.signal?.aborted) throw new CloudApiError('cancelled while following the Grafana Cloud k6 test run', null)
  }
}

interface PrometheusAnswer {
  status?: string
  error?: string
  data?: {
    resultType?: string
    result: Array<{ metric?: Record<string, string>; values?: Array<[number, string | number]>; value?: [number, string | number] }>
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Grafana's message from an error body: v6 `{error: {message, code}}`, k6's v1 the same, v5 `{status: "error", error}`. */
export function grafanaMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown }
    const error = parsed.error
    if (error && typeof error === 'object') {
      const { message, code } = error as { message?: unknown; code?: unknown }
      if (typeof message === 'string') return oneLine(code !== undefined && code !== null ? `${message} (code ${String(code)})` : message)
    }
    for (const candidate of [error, parsed.message, parsed.detail]) if (typeof candidate === 'string') return oneLine(candidate)
  } catch {
    // Not JSON: a proxy's page, shown only as its first line.
  }
  const first = body.trim().split('\n')[0]?.trim()
  return first ? oneLine(first.slice(0, 200)) : undefined
}

const STATUS_HINTS: Record<number, string> = {
  401: 'the token was refused; check K6_CLOUD_TOKEN (a Grafana Cloud k6 personal or stack API token)',
  403: 'not allowed (a plan limit, or the token has no access to this stack or project)',
  404: 'not found (check K6_CLOUD_STACK_ID and the project)',
  429: 'rate limited',
}

function describeFailure(what: string, status: number, message: string | undefined, attempts: number): string {
  const hint = STATUS_HINTS[status] ?? (status >= 500 ? 'Grafana Cloud k6 failed' : 'refused')
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : ''
  return `Grafana Cloud k6 API: ${what} answered ${status}, ${hint}${message ? `: ${message}` : ''}${tries}`
}

function seconds(ms: number): number {
  return ms < 10_000 ? Number((ms / 1000).toFixed(1)) : Math.round(ms / 1000)
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
