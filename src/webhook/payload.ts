/**
 * What a webhook delivery sends: the body (the run's results with the breach signal) and its
 * headers, signed with HMAC-SHA256 over "timestamp.body". Pure. docs/webhook.md is the receiver's
 * reference; the secret and the signature are never logged or returned elsewhere.
 */
import { createHmac } from 'node:crypto'
import type { ResultsFile } from '../results/schema.js'

export const WEBHOOK_SCHEMA = 'perf-xi/webhook@1'
export const WEBHOOK_EVENT = 'run.completed'

/** Header names, exported so tests and receivers use the same spelling. */
export const WEBHOOK_HEADERS = {
  timestamp: 'X-Perf-Xi-Timestamp',
  delivery: 'X-Perf-Xi-Delivery',
  signature: 'X-Perf-Xi-Signature',
  event: 'X-Perf-Xi-Event',
} as const

const SIGNATURE_PREFIX = 'sha256='
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

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
