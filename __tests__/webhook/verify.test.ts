/** The receiver's check, on the raw bytes a real HTTP receiver on 127.0.0.1 got from deliverWebhook. */
import { deliverWebhook } from '../../src/webhook/deliver.js'
import { verifyDelivery } from '../../src/webhook/verify.js'
import { WEBHOOK_HEADERS, type Delivery } from '../../src/webhook/payload.js'
import { closeReceivers, delivery, harness, NOW, NOW_S, SECRET, startReceiver } from './helpers.js'

afterEach(closeReceivers)

// --- receiver-side verification over real HTTP -------------------------------------------------

describe('verifying on the receiver', () => {
  /** A receiver that verifies with verifyDelivery on the raw bytes it got, as docs/webhook.md shows. */
  async function verifyingReceiver(opts: { secret?: string | string[]; now?: Date } = {}) {
    const outcomes: Array<ReturnType<typeof verifyDelivery>> = []
    const receiver = await startReceiver((req, res) => {
      const outcome = verifyDelivery({ body: req.body, headers: req.headers, secret: opts.secret ?? SECRET, now: opts.now ?? NOW })
      outcomes.push(outcome)
      res.writeHead(outcome.ok ? 204 : 401, { 'Content-Type': 'text/plain' }).end(outcome.ok ? '' : outcome.reason)
    })
    return { receiver, outcomes }
  }

  it('accepts a genuine delivery', async () => {
    const { receiver, outcomes } = await verifyingReceiver()
    const d = delivery()
    const result = await deliverWebhook(receiver.url, d, harness().opts)

    expect(result).toEqual({ delivered: true, attempts: 1, status: 204 })
    expect(outcomes).toEqual([{ ok: true, deliveryId: d.headers[WEBHOOK_HEADERS.delivery], timestamp: NOW_S }])
    const got = receiver.requests[0]
    expect(got.method).toBe('POST')
    expect(got.headers['content-type']).toBe('application/json')
    expect(got.headers['user-agent']).toBe('Perf-Xi')
    expect(got.headers['x-perf-xi-event']).toBe('run.completed')
    expect(got.body.toString('utf8')).toBe(d.body)
  })

  it('accepts either secret during a rotation', async () => {
    const { receiver, outcomes } = await verifyingReceiver({ secret: ['whsec_new_one_0000000000', SECRET] })
    await deliverWebhook(receiver.url, delivery(), harness().opts)
    expect(outcomes[0].ok).toBe(true)
  })

  it.each([
    {
      what: 'a tampered body',
      tamper: (d: Delivery): Delivery => ({ ...d, body: d.body.replace('"ci_gate":"fail"', '"ci_gate":"pass"') }),
      reason: /signature does not match/,
    },
    { what: 'the wrong secret', tamper: () => delivery({ secret: 'whsec_someone_else_entirely' }), reason: /signature does not match/ },
    {
      what: 'a timestamp changed after signing',
      tamper: (d: Delivery): Delivery => ({ ...d, headers: { ...d.headers, [WEBHOOK_HEADERS.timestamp]: String(NOW_S + 1) } }),
      reason: /signature does not match/,
    },
    {
      what: 'an old timestamp (a replay)',
      tamper: () => delivery({ now: new Date(NOW.getTime() - 301_000) }),
      reason: /301 s old, outside the 300 s replay window/,
    },
    { what: 'a future timestamp', tamper: () => delivery({ now: new Date(NOW.getTime() + 3_600_000) }), reason: /3600 s in the future/ },
    {
      what: 'a missing signature',
      tamper: (d: Delivery): Delivery => {
        const headers = { ...d.headers }
        delete headers[WEBHOOK_HEADERS.signature]
        return { ...d, headers }
      },
      reason: /missing X-Perf-Xi-Signature/,
    },
    {
      what: 'a malformed signature',
      tamper: (d: Delivery): Delivery => ({ ...d, headers: { ...d.headers, [WEBHOOK_HEADERS.signature]: 'sha1=abc' } }),
      reason: /malformed X-Perf-Xi-Signature/,
    },
  ])('refuses $what', async ({ tamper, reason }) => {
    const { receiver, outcomes } = await verifyingReceiver()
    const d = tamper(delivery())
    const { opts, logs } = harness()
    const result = await deliverWebhook(receiver.url, d, opts)

    expect(outcomes).toHaveLength(1)
    expect(outcomes[0]).toEqual({ ok: false, reason: expect.stringMatching(reason) })
    // A 401 is not retried; the receiver's reason reaches the sender's message.
    expect(result).toMatchObject({ delivered: false, attempts: 1, status: 401 })
    expect(result.reason).toMatch(reason)
    for (const text of [result.reason ?? '', ...logs, outcomes[0].ok ? '' : outcomes[0].reason]) expect(text).not.toContain(SECRET)
  })

  it('accepts a timestamp just inside the window, and honours a custom tolerance', () => {
    const d = delivery({ now: new Date(NOW.getTime() - 299_000) })
    expect(verifyDelivery({ body: d.body, headers: d.headers, secret: SECRET, now: NOW }).ok).toBe(true)
    expect(verifyDelivery({ body: d.body, headers: d.headers, secret: SECRET, now: NOW, toleranceSeconds: 60 })).toEqual({
      ok: false,
      reason: 'timestamp is 299 s old, outside the 60 s replay window',
    })
  })

  it('reads headers from a fetch Headers object as well', () => {
    const d = delivery()
    expect(verifyDelivery({ body: d.body, headers: new Headers(d.headers), secret: SECRET, now: NOW }).ok).toBe(true)
  })

  it('refuses to verify without a secret', () => {
    const d = delivery()
    expect(verifyDelivery({ body: d.body, headers: d.headers, secret: '', now: NOW })).toEqual({
      ok: false,
      reason: 'no webhook secret configured on the receiver',
    })
  })
})
