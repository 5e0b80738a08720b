/**
 * Sending a webhook delivery: POST with bounded retries (`deliverWebhook`, never throws for a
 * failed delivery), and the policy that turns its result into nothing, a warning or a failed step
 * (`webhookPolicy`); it never touches the SLO verdict. Nothing logged holds the secret, a
 * signature or an unredacted URL.
 */
import { fmtSeconds } from '../format/numbers.js'
import { WEBHOOK_HEADERS, type Delivery } from './payload.js'
import { webhookUrlProblem } from '../webhook-url.js'
import { decodeSafe, redactUrl } from './url.js'
import { headerValue } from './verify.js'

export interface DeliverOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number
  /** Wall-clock bound for all attempts and waits together, in ms. Default 60,000. */
  maxTotalMs?: number
  /** How long one attempt may take (connect, send, response), in ms. Default 10,000. */
  attemptTimeoutMs?: number
  /** The first backoff ceiling, in ms; it doubles per attempt (full jitter: a random wait up to it). Default 1,000. */
  baseDelayMs?: number
  /** Cap on any single wait, backoff or Retry-After, in ms. Default 30,000. */
  maxDelayMs?: number
  /** Strings to scrub from anything returned or logged (pass the secret). The signature is always scrubbed. */
  redact?: readonly string[]
  /** One line per attempt that did not succeed; never contains the secret, the signature or an unredacted URL. */
  log?: (line: string) => void
  fetch?: typeof fetch
  sleep?: (ms: number) => Promise<void>
  /** In [0, 1); the jitter source. Default Math.random. */
  random?: () => number
  /** Epoch ms; measures the total bound and dates in Retry-After. Default Date.now. */
  clock?: () => number
}

export interface DeliveryResult {
  delivered: boolean
  /** Requests made (0 when the URL was refused before any). */
  attempts: number
  /** The last HTTP status received, if any. */
  status?: number
  /** Why it was not delivered; absent when delivered. */
  reason?: string
}

export const DELIVER_DEFAULTS = Object.freeze({
  maxAttempts: 5,
  maxTotalMs: 60_000,
  attemptTimeoutMs: 10_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
})

type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status?: number; reason: string; retryAfterMs: number | null }
  | { kind: 'give-up'; status?: number; reason: string }

/**
 * POSTs one delivery. Retries with exponential backoff and full jitter on 408, 429, 5xx, timeouts
 * and network errors, honouring Retry-After (seconds or an HTTP date, capped at maxDelayMs); gives
 * up at once on any other status (400, 401, 404, 410, redirects, ...). Stops after maxAttempts or
 * when the next wait would pass maxTotalMs. Never throws for a failed delivery.
 */
export async function deliverWebhook(url: string, delivery: Delivery, opts: DeliverOptions = {}): Promise<DeliveryResult> {
  const maxAttempts = Math.max(1, Math.floor(opts.maxAttempts ?? DELIVER_DEFAULTS.maxAttempts))
  const maxTotalMs = opts.maxTotalMs ?? DELIVER_DEFAULTS.maxTotalMs
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? DELIVER_DEFAULTS.attemptTimeoutMs
  const baseDelayMs = opts.baseDelayMs ?? DELIVER_DEFAULTS.baseDelayMs
  const maxDelayMs = opts.maxDelayMs ?? DELIVER_DEFAULTS.maxDelayMs
  const doFetch = opts.fetch ?? globalThis.fetch
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const random = opts.random ?? Math.random
  const clock = opts.clock ?? Date.now
  const log = opts.log ?? (() => {})

  const shown = redactUrl(url)
  const scrub = scrubber(url, shown, [...(opts.redact ?? []), headerValue(delivery.headers, WEBHOOK_HEADERS.signature) ?? ''])

  const problem = webhookUrlProblem(url)
  if (problem) return { delivered: false, attempts: 0, reason: problem }
  const { target, headers } = requestTarget(url, delivery.headers)

  const start = clock()
  let last: { status?: number; reason: string } = { reason: 'not attempted' }
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const remaining = maxTotalMs - (clock() - start)
    if (remaining <= 0) {
      return giveUp(attempt - 1, last, `the ${fmtSeconds(maxTotalMs)} limit for all attempts was reached`)
    }
    const timeoutMs = Math.min(attemptTimeoutMs, remaining)
    const outcome = await attemptOnce(doFetch, target, delivery.body, headers, timeoutMs, timeoutMs < attemptTimeoutMs, clock)
    if (outcome.kind === 'delivered') return { delivered: true, attempts: attempt, status: outcome.status }
    last = { status: outcome.status, reason: scrub(outcome.reason) }
    if (outcome.kind === 'give-up') {
      log(`webhook to ${shown}: attempt ${attempt}/${maxAttempts} failed (${last.reason}); not retrying`)
      return { delivered: false, attempts: attempt, ...withStatus(last.status), reason: `${last.reason} (not retried)` }
    }
    if (attempt === maxAttempts) {
      log(`webhook to ${shown}: attempt ${attempt}/${maxAttempts} failed (${last.reason})`)
      return giveUp(attempt, last)
    }
    const backoff = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
    const delay = Math.round(outcome.retryAfterMs !== null ? Math.min(outcome.retryAfterMs, maxDelayMs) : backoff)
    if (clock() - start + delay >= maxTotalMs) {
      log(`webhook to ${shown}: attempt ${attempt}/${maxAttempts} failed (${last.reason})`)
      return giveUp(attempt, last, `the next retry (in ${fmtSeconds(delay)}) would pass the ${fmtSeconds(maxTotalMs)} limit`)
    }
    log(`webhook to ${shown}: attempt ${attempt}/${maxAttempts} failed (${last.reason}); retrying in ${fmtSeconds(delay)}`)
    await sleep(delay)
  }
  return giveUp(maxAttempts, last)

  function giveUp(attempts: number, lastFailure: { status?: number; reason: string }, why?: string): DeliveryResult {
    const after = `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}${why ? ` (${why})` : ''}`
    return { delivered: false, attempts, ...withStatus(lastFailure.status), reason: `${after}; last: ${lastFailure.reason}` }
  }
}

function withStatus(status: number | undefined): { status?: number } {
  return status === undefined ? {} : { status }
}

/** fetch refuses URLs with credentials: move user:password into a Basic Authorization header. */
function requestTarget(url: string, headers: Record<string, string>): { target: string; headers: Record<string, string> } {
  const parsed = new URL(url)
  if (!parsed.username && !parsed.password) return { target: parsed.toString(), headers }
  const credentials = `${decodeSafe(parsed.username)}:${decodeSafe(parsed.password)}`
  parsed.username = ''
  parsed.password = ''
  return { target: parsed.toString(), headers: { ...headers, Authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` } }
}

async function attemptOnce(
  doFetch: typeof fetch,
  target: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  limitedByTotal: boolean,
  clock: () => number,
): Promise<AttemptOutcome> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  const timeoutReason = `no response within ${fmtSeconds(timeoutMs)}${limitedByTotal ? ' (what was left of the total limit)' : ''}`
  try {
    const response = await doFetch(target, { method: 'POST', body, headers, redirect: 'manual', signal: controller.signal })
    const status = response.status
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => {})
      return { kind: 'delivered', status }
    }
    const text = await response.text().catch(() => '')
    const reason = `HTTP ${status}${excerpt(text)}`
    if (status === 408 || status === 429 || status >= 500) {
      return { kind: 'retry', status, reason, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), clock()) }
    }
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location')
      return {
        kind: 'give-up',
        status,
        reason: `HTTP ${status} redirect${location ? ` to ${redactUrl(new URL(location, target))}` : ''}: set the webhook URL to the final address`,
      }
    }
    return { kind: 'give-up', status, reason }
  } catch (err) {
    if (timedOut) return { kind: 'retry', reason: timeoutReason, retryAfterMs: null }
    const reason = networkReason(err)
    // fetch refuses some ports outright (the Fetch standard's "bad ports": 9, 25, 6000, ...); no retry helps.
    if (reason === 'network error: bad port')
      return { kind: 'give-up', reason: `the webhook URL's port is one fetch refuses to connect to ("bad port"): use another port` }
    return { kind: 'retry', reason, retryAfterMs: null }
  } finally {
    clearTimeout(timer)
  }
}

/** Retry-After as a wait in ms: delay-seconds or an HTTP date (a past date is 0). Null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/[a-z]/i.test(text)) return null // "-1", "1.5": not a valid Retry-After
  const date = Date.parse(text)
  if (Number.isNaN(date)) return null
  return Math.max(0, date - nowMs)
}

function networkReason(err: unknown): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (test sandboxes).
  const cause = (err as { cause?: unknown } | null)?.cause ?? err
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown }
  const text = typeof message === 'string' ? message.trim() : ''
  if (typeof code === 'string') return text.includes(code) ? `network error: ${text}` : `network error: ${code}${text ? `: ${text}` : ''}`
  return `network error: ${text || String(cause)}`
}

/** The first 200 characters of a response body, on one line, for the reason. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  if (!line) return ''
  return `: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`
}

/** Removes secrets, signatures and the raw URL from text that is about to be returned or logged. */
function scrubber(rawUrl: string, shownUrl: string, secrets: readonly string[]): (text: string) => string {
  const needles = [...secrets, rawUrl].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)
  return (text) => {
    let out = text
    for (const needle of needles) out = out.split(needle).join(needle === rawUrl ? shownUrl : '***')
    return out.replace(/sha256=[0-9a-f]{64}/gi, 'sha256=***')
  }
}

// ---------------------------------------------------------------------------------------------
// Policy

export interface WebhookPolicyDecision {
  /** none: delivered; warn: a warning, the step goes on; fail: the step fails (webhook-required). */
  action: 'none' | 'warn' | 'fail'
  message: string
}

/**
 * What a delivery result means for the step. A failed delivery is a warning unless
 * webhook-required is true, then the step fails. Either way the SLO verdict and ci_gate stay as
 * judged: this decision is about the step, never about the results.
 */
export function webhookPolicy(result: DeliveryResult, opts: { required: boolean; url: string }): WebhookPolicyDecision {
  const target = redactUrl(opts.url)
  if (result.delivered) {
    return {
      action: 'none',
      message: `webhook delivered to ${target} (HTTP ${result.status ?? '2xx'}, ${result.attempts} attempt${result.attempts === 1 ? '' : 's'})`,
    }
  }
  const why = result.reason ?? 'not delivered'
  if (opts.required) {
    return {
      action: 'fail',
      message: `webhook to ${target} was not delivered: ${why}. webhook-required is true, so this step fails; the SLO verdict is unchanged.`,
    }
  }
  return {
    action: 'warn',
    message: `webhook to ${target} was not delivered: ${why}. The SLO verdict is unchanged; set webhook-required: true to fail the step instead.`,
  }
}
