/**
 * The optional signed webhook: each run's results, POSTed to a downstream dashboard (Insights360).
 *
 * Sender side: `buildDelivery` (pure: body + headers, HMAC-SHA256 over "timestamp.body") and
 * `deliverWebhook` (POST with bounded retries; never throws for a failed delivery).
 * Receiver side: `verifyDelivery` (constant-time signature check plus a replay window).
 * Policy: `webhookPolicy` turns a delivery result into nothing, a warning or a failed step; it never
 * touches the SLO verdict. docs/webhook.md is the receiver's reference for all of this.
 *
 * Nothing here logs or returns the secret or a signature, and every URL that is shown goes through
 * `redactUrl` first, because webhook URLs often carry tokens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { fmtSeconds } from './format/numbers.js'
import type { ResultsFile } from './results.js'

export const WEBHOOK_SCHEMA = 'perf-xi/webhook@1'
export const WEBHOOK_EVENT = 'run.completed'

/** Header names, exported so tests and receivers use the same spelling. */
export const WEBHOOK_HEADERS = {
  timestamp: 'X-Perf-Xi-Timestamp',
  delivery: 'X-Perf-Xi-Delivery',
  signature: 'X-Perf-Xi-Signature',
  event: 'X-Perf-Xi-Event',
} as const

/** How far a delivery's timestamp may be from the receiver's clock, either way, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300

const SIGNATURE_PREFIX = 'sha256='
const SIGNATURE_PATTERN = /^sha256=[0-9a-f]{64}$/
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// ---------------------------------------------------------------------------------------------
// The body and its signature (pure)

/** The breach signal: present when at least one SLO limit was breached, else null. */
export interface BreachSignal {
  status: 'fail'
  breaches: ResultsFile['slo_breaches']
}

/**
 * The webhook body. The top-level fields are conveniences for dashboards that only want the
 * headline; `results` is the complete results file (the same document as the run's artifact), so
 * nothing is lost and one parser serves both.
 */
export interface WebhookBody {
  schema: typeof WEBHOOK_SCHEMA
  event: typeof WEBHOOK_EVENT
  /** Same as the X-Perf-Xi-Delivery header, but covered by the signature: de-duplicate on this. */
  delivery_id: string
  run_id: string
  /** The overall verdict: pass | warn | fail | error. */
  slo_status: ResultsFile['verdict']
  /** Whether the merge gate let the change through: pass | fail. */
  ci_gate: ResultsFile['ci_gate']
  slis: ResultsFile['slis']
  breach: BreachSignal | null
  results: ResultsFile
}

export interface Delivery {
  /** The exact bytes to send (and the bytes that were signed). */
  body: string
  headers: Record<string, string>
}

export interface BuildDeliveryOptions {
  secret: string
  /** Signing time; the timestamp header is its unix seconds. */
  now: Date
  /** A UUID, generated once per delivery (crypto.randomUUID()); every retry sends the same one. */
  deliveryId: string
}

/** "sha256=" + hex HMAC-SHA256 of `${timestamp}.${body}` with the shared secret. */
export function signDelivery(body: string | Uint8Array, secret: string, timestamp: number): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${timestamp}.`)
  hmac.update(body)
  return `${SIGNATURE_PREFIX}${hmac.digest('hex')}`
}

export function webhookBody(results: ResultsFile, deliveryId: string): WebhookBody {
  return {
    schema: WEBHOOK_SCHEMA,
    event: WEBHOOK_EVENT,
    delivery_id: deliveryId,
    run_id: results.run.id,
    slo_status: results.verdict,
    ci_gate: results.ci_gate,
    slis: results.slis,
    breach: results.slo_breaches.length > 0 ? { status: 'fail', breaches: results.slo_breaches } : null,
    results,
  }
}

/** The signed request for one delivery. Throws on an empty secret or a delivery id that is not a UUID (programming errors). */
export function buildDelivery(results: ResultsFile, opts: BuildDeliveryOptions): Delivery {
  if (opts.secret === '') throw new Error('webhook secret is empty: refusing to send an unsigned delivery')
  if (!UUID_PATTERN.test(opts.deliveryId)) throw new Error('webhook delivery id must be a UUID (crypto.randomUUID())')
  const timestamp = Math.floor(opts.now.getTime() / 1000)
  if (!Number.isFinite(timestamp)) throw new Error('webhook signing time is not a valid date')
  const body = JSON.stringify(webhookBody(results, opts.deliveryId))
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Perf-Xi',
      [WEBHOOK_HEADERS.event]: WEBHOOK_EVENT,
      [WEBHOOK_HEADERS.delivery]: opts.deliveryId,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signDelivery(body, opts.secret, timestamp),
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Receiver side

/** Header values as Node's IncomingHttpHeaders, a plain record (any case) or a fetch Headers object. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>

export interface VerifyDeliveryOptions {
  /** The raw request body, exactly as received (verify before parsing JSON). */
  body: string | Uint8Array
  headers: HeaderSource
  /** The shared secret; several during a rotation (any one may match). */
  secret: string | readonly string[]
  /** The receiver's clock; default: now. */
  now?: Date
  /** The replay window: a timestamp further than this from `now`, in either direction, is refused. Default 300. */
  toleranceSeconds?: number
}

export type VerifyResult = { ok: true; deliveryId: string | null; timestamp: number } | { ok: false; reason: string }

/**
 * The receiver's check: signature first (constant-time compare), then the replay window.
 * Reasons never contain the secret or the signature.
 */
export function verifyDelivery(opts: VerifyDeliveryOptions): VerifyResult {
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  const secrets = (typeof opts.secret === 'string' ? [opts.secret] : [...opts.secret]).filter((s) => s !== '')
  if (secrets.length === 0) return { ok: false, reason: 'no webhook secret configured on the receiver' }

  const signature = headerValue(opts.headers, WEBHOOK_HEADERS.signature)
  const timestampText = headerValue(opts.headers, WEBHOOK_HEADERS.timestamp)
  if (signature === undefined) return { ok: false, reason: `missing ${WEBHOOK_HEADERS.signature} header` }
  if (timestampText === undefined) return { ok: false, reason: `missing ${WEBHOOK_HEADERS.timestamp} header` }
  if (!SIGNATURE_PATTERN.test(signature)) return { ok: false, reason: `malformed ${WEBHOOK_HEADERS.signature} header: expected sha256=<64 hex digits>` }
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: `malformed ${WEBHOOK_HEADERS.timestamp} header: expected unix seconds` }
  const timestamp = Number(timestampText)

  const received = Buffer.from(signature, 'utf8')
  let matched = false
  for (const secret of secrets) {
    const expected = Buffer.from(signDelivery(opts.body, secret, timestamp), 'utf8')
    // Both are "sha256=" + 64 hex digits, so the lengths match; compare every candidate anyway.
    if (expected.length === received.length && timingSafeEqual(expected, received)) matched = true
  }
  if (!matched) return { ok: false, reason: 'signature does not match the body and timestamp (wrong secret, or the body was changed)' }

  const nowSeconds = Math.floor((opts.now ?? new Date()).getTime() / 1000)
  const skew = nowSeconds - timestamp
  if (skew > tolerance) return { ok: false, reason: `timestamp is ${skew} s old, outside the ${tolerance} s replay window` }
  if (-skew > tolerance) return { ok: false, reason: `timestamp is ${-skew} s in the future, outside the ${tolerance} s replay window` }

  const deliveryId = headerValue(opts.headers, WEBHOOK_HEADERS.delivery) ?? null
  return { ok: true, deliveryId, timestamp }
}

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue
    return typeof value === 'string' ? value : value.length === 1 ? value[0] : undefined
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// URLs

/** Why a webhook URL cannot be used, or null when it can. The URL itself is never quoted (it may hold tokens). */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'webhook URL is not a valid absolute URL'
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `webhook URL must be http:// or https://, not ${parsed.protocol}//`
  return null
}

const TOKEN_LIKE_SEGMENT = /^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9._~-]{16,}$/

/**
 * The URL as it may appear in a log: user and password, every query value and the fragment
 * become "***", and so does any path segment that looks like a token (16+ characters mixing
 * letters and digits, as in Slack- or Discord-style hook URLs). An unparsable URL is not echoed.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL
  try {
    parsed = new URL(url.toString())
  } catch {
    return '<invalid URL>'
  }
  if (parsed.username) parsed.username = '***'
  if (parsed.password) parsed.password = '***'
  parsed.pathname = parsed.pathname
    .split('/')
    .map((segment) => (TOKEN_LIKE_SEGMENT.test(decodeSafe(segment)) ? '***' : segment))
    .join('/')
  const query = [...parsed.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=***`).join('&')
  const hash = parsed.hash ? '#***' : ''
  parsed.search = ''
  parsed.hash = ''
  return `${parsed.toString()}${query ? `?${query}` : ''}${hash}`
}

function decodeSafe(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

// ---------------------------------------------------------------------------------------------
// Delivery with retries

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
      return { kind: 'give-up', status, reason: `HTTP ${status} redirect${location ? ` to ${redactUrl(new URL(location, target))}` : ''}: set the webhook URL to the final address` }
    }
    return { kind: 'give-up', status, reason }
  } catch (err) {
    if (timedOut) return { kind: 'retry', reason: timeoutReason, retryAfterMs: null }
    const reason = networkReason(err)
    // fetch refuses some ports outright (the Fetch standard's "bad ports": 9, 25, 6000, ...); no retry helps.
    if (reason === 'network error: bad port') return { kind: 'give-up', reason: `the webhook URL's port is one fetch refuses to connect to ("bad port"): use another port` }
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
    return { action: 'none', message: `webhook delivered to ${target} (HTTP ${result.status ?? '2xx'}, ${result.attempts} attempt${result.attempts === 1 ? '' : 's'})` }
  }
  const why = result.reason ?? 'not delivered'
  if (opts.required) {
    return { action: 'fail', message: `webhook to ${target} was not delivered: ${why}. webhook-required is true, so this step fails; the SLO verdict is unchanged.` }
  }
  return { action: 'warn', message: `webhook to ${target} was not delivered: ${why}. The SLO verdict is unchanged; set webhook-required: true to fail the step instead.` }
}
