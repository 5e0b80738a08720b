/** The receiver's side of a webhook delivery: a constant-time signature check plus a replay window. */
import { timingSafeEqual } from 'node:crypto'
import { signDelivery, WEBHOOK_HEADERS } from './payload.js'

/** How far a delivery's timestamp may be from the receiver's clock, either way, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300

const SIGNATURE_PATTERN = /^sha256=[0-9a-f]{64}$/

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

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue
    return typeof value === 'string' ? value : value.length === 1 ? value[0] : undefined
  }
  return undefined
}
