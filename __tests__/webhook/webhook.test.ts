/**
 * The signed webhook against a real HTTP receiver on 127.0.0.1: signatures checked with the
 * receiver-side function on the bytes that actually arrived; waits recorded through the injected
 * sleep, so retry tests are fast and exact.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'
import {
  buildDelivery,
  deliverWebhook,
  parseRetryAfter,
  redactUrl,
  signDelivery,
  verifyDelivery,
  webhookPolicy,
  webhookUrlProblem,
  WEBHOOK_HEADERS,
  type DeliverOptions,
  type Delivery,
  type DeliveryResult,
  type WebhookBody,
} from '../../src/webhook.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const FIXTURE = path.join(here, '..', 'fixtures', 'results', 'webhook-sample-results.json')
const SECRET = 'whsec_9c1f2e7a4b6d8c0e3f5a7b9d1c3e5f70'
const NOW = new Date('2025-06-03T10:15:42Z')
const NOW_S = Math.floor(NOW.getTime() / 1000)

const results: ResultsFile = ResultsFileSchema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')))

function delivery(overrides: Partial<{ secret: string; now: Date; deliveryId: string }> = {}): Delivery {
  return buildDelivery(results, { secret: SECRET, now: NOW, deliveryId: randomUUID(), ...overrides })
}

// --- a real receiver ------------------------------------------------------------------------

interface Received {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: Buffer
}
type Reply = (req: Received, res: http.ServerResponse, index: number) => void

interface Receiver {
  url: string
  requests: Received[]
  close: () => Promise<void>
}

const open: Receiver[] = []

async function startReceiver(reply: Reply): Promise<Receiver> {
  const requests: Received[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
      requests.push(received)
      reply(received, res, requests.length - 1)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/perf-xi`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  open.push(receiver)
  return receiver
}

/** Answers each request with the next status in the list (the last one repeats). */
const statuses =
  (...codes: Array<number | { status: number; headers?: Record<string, string>; body?: string }>): Reply =>
  (_req, res, index) => {
    const step = codes[Math.min(index, codes.length - 1)]
    const { status, headers = {}, body = '' } = typeof step === 'number' ? { status: step } : step
    res.writeHead(status, headers).end(body)
  }

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Injected sleep and jitter; every log line kept, so each test can check none leaks a secret. */
function harness(extra: DeliverOptions = {}) {
  const waits: number[] = []
  const logs: string[] = []
  const opts: DeliverOptions = {
    sleep: async (ms) => {
      waits.push(ms)
    },
    random: () => 0.5,
    log: (line) => logs.push(line),
    redact: [SECRET],
    ...extra,
  }
  return { waits, logs, opts }
}

function expectNoSecrets(d: Delivery, result: DeliveryResult, logs: string[]) {
  const signature = d.headers[WEBHOOK_HEADERS.signature]
  for (const text of [result.reason ?? '', ...logs]) {
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(signature.slice('sha256='.length))
  }
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()))
})

// --- the fixture and the body ----------------------------------------------------------------

describe('the delivery', () => {
  it('carries the results file plus the headline fields and the breach signal', () => {
    const id = randomUUID()
    const d = buildDelivery(results, { secret: SECRET, now: NOW, deliveryId: id })
    const body = JSON.parse(d.body) as WebhookBody

    expect(body.schema).toBe('perf-xi/webhook@1')
    expect(body.event).toBe('run.completed')
    expect(body.delivery_id).toBe(id)
    expect(body.run_id).toBe(results.run.id)
    expect(body.slo_status).toBe('fail')
    expect(body.ci_gate).toBe('fail')
    expect(body.slis).toEqual(results.slis)
    expect(body.breach).toEqual({ status: 'fail', breaches: results.slo_breaches })
    expect(body.breach?.breaches.length).toBeGreaterThan(0)
    // The full document is inside, unchanged, and still valid against the results schema.
    expect(ResultsFileSchema.parse(body.results)).toEqual(results)
  })

  it('has no breach signal when no SLO was breached', () => {
    const passing: ResultsFile = { ...results, verdict: 'pass', ci_gate: 'pass', slo_breaches: [], reasons: [] }
    const body = JSON.parse(buildDelivery(passing, { secret: SECRET, now: NOW, deliveryId: randomUUID() }).body) as WebhookBody
    expect(body.slo_status).toBe('pass')
    expect(body.breach).toBeNull()
  })

  it('sets every header the receiver needs', () => {
    const id = randomUUID()
    const d = buildDelivery(results, { secret: SECRET, now: NOW, deliveryId: id })
    expect(d.headers).toEqual({
      'Content-Type': 'application/json',
      'User-Agent': 'Perf-Xi',
      'X-Perf-Xi-Event': 'run.completed',
      'X-Perf-Xi-Delivery': id,
      'X-Perf-Xi-Timestamp': String(NOW_S),
      'X-Perf-Xi-Signature': signDelivery(d.body, SECRET, NOW_S),
    })
  })

  it('signs "timestamp.body" with HMAC-SHA256 (vector from openssl dgst -sha256 -hmac)', () => {
    expect(signDelivery('{"hello":"world"}', 'whsec_test_vector', 1700000000)).toBe(
      'sha256=32380ce91a19fd38f321c0b5f43c6124ea9098b5824f991124761a61c36bad35',
    )
  })

  it.each([
    { what: 'an empty secret', opts: { secret: '' }, message: /secret is empty/ },
    { what: 'a delivery id that is not a UUID', opts: { deliveryId: 'run-42' }, message: /must be a UUID/ },
  ])('refuses $what', ({ opts, message }) => {
    expect(() => buildDelivery(results, { secret: SECRET, now: NOW, deliveryId: randomUUID(), ...opts })).toThrow(message)
  })
})

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
    { what: 'an old timestamp (a replay)', tamper: () => delivery({ now: new Date(NOW.getTime() - 301_000) }), reason: /301 s old, outside the 300 s replay window/ },
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
    expect(verifyDelivery({ body: d.body, headers: d.headers, secret: '', now: NOW })).toEqual({ ok: false, reason: 'no webhook secret configured on the receiver' })
  })
})

// --- retries ---------------------------------------------------------------------------------

describe('delivering with retries', () => {
  it('retries 500, 502 and 503 with jittered exponential backoff, then succeeds with the same delivery each time', async () => {
    const receiver = await startReceiver(statuses(500, 502, 503, 200))
    const d = delivery()
    const { opts, waits, logs } = harness()
    const result = await deliverWebhook(receiver.url, d, opts)

    expect(result).toEqual({ delivered: true, attempts: 4, status: 200 })
    // Full jitter with random() = 0.5: half of 1 s, 2 s, 4 s.
    expect(waits).toEqual([500, 1000, 2000])
    expect(receiver.requests).toHaveLength(4)
    const ids = new Set(receiver.requests.map((r) => r.headers['x-perf-xi-delivery']))
    expect([...ids]).toEqual([d.headers[WEBHOOK_HEADERS.delivery]])
    for (const req of receiver.requests) {
      expect(verifyDelivery({ body: req.body, headers: req.headers, secret: SECRET, now: new Date(NOW.getTime() + 60_000) }).ok).toBe(true)
    }
    expect(logs).toEqual([
      expect.stringMatching(/attempt 1\/5 failed \(HTTP 500\); retrying in 0\.5 s$/),
      expect.stringMatching(/attempt 2\/5 failed \(HTTP 502\); retrying in 1 s$/),
      expect.stringMatching(/attempt 3\/5 failed \(HTTP 503\); retrying in 2 s$/),
    ])
    expectNoSecrets(d, result, logs)
  })

  it('caps each backoff at maxDelayMs', async () => {
    const receiver = await startReceiver(statuses(503))
    const { opts, waits } = harness({ random: () => 0.999, baseDelayMs: 1000, maxDelayMs: 3000, maxAttempts: 5 })
    const result = await deliverWebhook(receiver.url, delivery(), opts)
    expect(result).toMatchObject({ delivered: false, attempts: 5, status: 503 })
    expect(waits).toEqual([999, 1998, 2997, 2997])
  })

  it('honours Retry-After on 429, in seconds and as an HTTP date, capped at maxDelayMs', async () => {
    const clock = () => NOW.getTime()
    const receiver = await startReceiver(
      statuses(
        { status: 429, headers: { 'Retry-After': '7' } },
        { status: 429, headers: { 'Retry-After': new Date(NOW.getTime() + 12_000).toUTCString() } },
        { status: 429, headers: { 'Retry-After': '3600' } },
        { status: 503, headers: { 'Retry-After': '2' } },
        202,
      ),
    )
    const d = delivery()
    const { opts, waits, logs } = harness({ clock, maxDelayMs: 20_000, maxTotalMs: 120_000 })
    const result = await deliverWebhook(receiver.url, d, opts)

    expect(result).toEqual({ delivered: true, attempts: 5, status: 202 })
    expect(waits).toEqual([7000, 12_000, 20_000, 2000])
    expectNoSecrets(d, result, logs)
  })

  it('falls back to backoff when Retry-After is unreadable', async () => {
    const receiver = await startReceiver(statuses({ status: 429, headers: { 'Retry-After': 'soon' } }, 200))
    const { opts, waits } = harness()
    expect(await deliverWebhook(receiver.url, delivery(), opts)).toMatchObject({ delivered: true, attempts: 2 })
    expect(waits).toEqual([500])
  })

  it.each([400, 401, 403, 404, 410, 422])('gives up at once on HTTP %i', async (status) => {
    const receiver = await startReceiver(statuses({ status, body: `{"error":"rejected with ${status}"}` }))
    const d = delivery()
    const { opts, waits, logs } = harness()
    const result = await deliverWebhook(receiver.url, d, opts)

    expect(result).toEqual({ delivered: false, attempts: 1, status, reason: `HTTP ${status}: {"error":"rejected with ${status}"} (not retried)` })
    expect(receiver.requests).toHaveLength(1)
    expect(waits).toEqual([])
    expectNoSecrets(d, result, logs)
  })

  it('does not follow a redirect, and redacts where it pointed', async () => {
    const receiver = await startReceiver(statuses({ status: 302, headers: { Location: '/elsewhere?token=s3cr3t-redirect-token' } }))
    const { opts } = harness()
    const result = await deliverWebhook(receiver.url, delivery(), opts)

    expect(result).toMatchObject({ delivered: false, attempts: 1, status: 302 })
    expect(result.reason).toBe(`HTTP 302 redirect to ${new URL(receiver.url).origin}/elsewhere?token=***: set the webhook URL to the final address (not retried)`)
    expect(receiver.requests).toHaveLength(1)
  })

  it('retries a refused connection, and stops after maxAttempts', async () => {
    const port = await closedPort()
    const d = delivery()
    const { opts, waits, logs } = harness()
    const result = await deliverWebhook(`http://127.0.0.1:${port}/hook`, d, opts)

    expect(result.delivered).toBe(false)
    expect(result.attempts).toBe(5)
    expect(result.status).toBeUndefined()
    expect(result.reason).toMatch(/^gave up after 5 attempts; last: network error: .*ECONNREFUSED/)
    expect(waits).toEqual([500, 1000, 2000, 4000])
    expect(logs).toHaveLength(5)
    expectNoSecrets(d, result, logs)
  })

  it('gives up at once on a port fetch always refuses', async () => {
    const { opts, waits } = harness()
    const result = await deliverWebhook('http://127.0.0.1:9/hook', delivery(), opts)
    expect(result).toEqual({ delivered: false, attempts: 1, reason: expect.stringMatching(/"bad port"\): use another port \(not retried\)$/) })
    expect(waits).toEqual([])
  })

  it('times out an attempt against a server that never answers, and retries', async () => {
    const receiver = await startReceiver(() => {
      /* never answers */
    })
    const { opts, waits } = harness({ attemptTimeoutMs: 200, maxAttempts: 2 })
    const started = Date.now()
    const result = await deliverWebhook(receiver.url, delivery(), opts)
    const elapsed = Date.now() - started

    expect(result).toEqual({ delivered: false, attempts: 2, reason: 'gave up after 2 attempts; last: no response within 0.2 s' })
    expect(receiver.requests).toHaveLength(2)
    expect(waits).toEqual([500])
    expect(elapsed).toBeGreaterThanOrEqual(380)
    expect(elapsed).toBeLessThan(3000)
  })

  it('keeps all attempts and waits within maxTotalMs (virtual clock)', async () => {
    const receiver = await startReceiver(statuses(503))
    let virtual = 0
    const { opts, waits } = harness({
      clock: () => Date.now() + virtual,
      sleep: async (ms) => {
        waits.push(ms)
        virtual += ms
      },
      random: () => 1,
      baseDelayMs: 4000,
      maxTotalMs: 10_000,
    })
    const result = await deliverWebhook(receiver.url, delivery(), opts)

    // 4 s wait, then the next (8 s) would end past 10 s: stop there rather than overrun.
    expect(waits).toEqual([4000])
    expect(result).toMatchObject({ delivered: false, attempts: 2, status: 503 })
    expect(result.reason).toBe('gave up after 2 attempts (the next retry (in 8 s) would pass the 10 s limit); last: HTTP 503')
  })

  it('cuts a hanging attempt short when the total limit is nearer than the attempt timeout (real clock)', async () => {
    const receiver = await startReceiver(() => {})
    const { opts } = harness({ attemptTimeoutMs: 10_000, maxTotalMs: 300 })
    const started = Date.now()
    const result = await deliverWebhook(receiver.url, delivery(), opts)

    expect(Date.now() - started).toBeLessThan(2000)
    expect(result.delivered).toBe(false)
    expect(result.attempts).toBe(1)
    expect(result.reason).toMatch(/no response within 0\.3 s \(what was left of the total limit\)/)
  })

  it('never returns or logs the secret or the signature, even when the receiver echoes them', async () => {
    const receiver = await startReceiver((req, res) => {
      res.writeHead(400).end(`bad signature ${String(req.headers['x-perf-xi-signature'])} for secret ${SECRET}`)
    })
    const d = delivery()
    const { opts, logs } = harness()
    const result = await deliverWebhook(receiver.url, d, opts)

    expect(result.reason).toBe('HTTP 400: bad signature *** for secret *** (not retried)')
    expectNoSecrets(d, result, logs)
  })

  it('sends URL credentials as Basic auth, and never shows them or query tokens', async () => {
    const receiver = await startReceiver(statuses(503, 200))
    const { port } = new URL(receiver.url)
    const url = `http://hook-user:hook-pass-123@127.0.0.1:${port}/hooks/perf-xi?token=query-token-456`
    const { opts, logs } = harness()
    const result = await deliverWebhook(url, delivery(), opts)

    expect(result).toMatchObject({ delivered: true, attempts: 2 })
    expect(receiver.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('hook-user:hook-pass-123').toString('base64')}`)
    expect(receiver.requests[0].url).toBe('/hooks/perf-xi?token=query-token-456')
    expect(logs).toEqual([`webhook to http://***:***@127.0.0.1:${port}/hooks/perf-xi?token=***: attempt 1/5 failed (HTTP 503); retrying in 0.5 s`])
    for (const line of logs) {
      expect(line).not.toContain('hook-pass-123')
      expect(line).not.toContain('query-token-456')
    }
  })

  it.each([
    { what: 'a non-HTTP scheme', url: 'ftp://example.com/hook', reason: 'webhook URL must be http:// or https://, not ftp://' },
    { what: 'a file URL', url: 'file:///etc/passwd', reason: 'webhook URL must be http:// or https://, not file://' },
    { what: 'no URL at all', url: 'not a url ?token=abc', reason: 'webhook URL is not a valid absolute URL' },
  ])('refuses $what without sending anything', async ({ url, reason }) => {
    const { opts, logs } = harness({ fetch: () => Promise.reject(new Error('must not be called')) })
    expect(webhookUrlProblem(url)).toBe(reason)
    expect(await deliverWebhook(url, delivery(), opts)).toEqual({ delivered: false, attempts: 0, reason })
    expect(logs).toEqual([])
  })
})

// --- pure helpers ----------------------------------------------------------------------------

describe('redactUrl', () => {
  it.each([
    { what: 'a plain URL is unchanged', url: 'https://insights360.example.com/api/v1/webhooks/perf-xi', expected: 'https://insights360.example.com/api/v1/webhooks/perf-xi' },
    { what: 'credentials', url: 'https://user:p%40ss@hooks.example.com/in', expected: 'https://***:***@hooks.example.com/in' },
    { what: 'query values, names kept', url: 'https://hooks.example.com/in?token=abc123&team=perf', expected: 'https://hooks.example.com/in?token=***&team=***' },
    { what: 'the fragment', url: 'https://hooks.example.com/in#sig=abc', expected: 'https://hooks.example.com/in#***' },
    {
      what: 'token-like path segments (Slack style)',
      url: 'https://hooks.slack.com/services/T0000AAAA/B0000BBBB/XXXXxxxxXXXX1234abcdWXYZ',
      expected: 'https://hooks.slack.com/services/T0000AAAA/B0000BBBB/***',
    },
    { what: 'an unparsable URL is not echoed', url: 'https://user:pw@:::bad', expected: '<invalid URL>' },
  ])('hides $what', ({ url, expected }) => {
    expect(redactUrl(url)).toBe(expected)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-03T10:15:42Z')
  it.each([
    { what: 'seconds', value: '30', expected: 30_000 },
    { what: 'zero', value: '0', expected: 0 },
    { what: 'an HTTP date', value: 'Tue, 03 Jun 2025 10:16:12 GMT', expected: 30_000 },
    { what: 'a date in the past', value: 'Tue, 03 Jun 2025 10:00:00 GMT', expected: 0 },
    { what: 'absent', value: null, expected: null },
    { what: 'a negative number', value: '-5', expected: null },
    { what: 'a fraction', value: '1.5', expected: null },
    { what: 'nonsense', value: 'later please', expected: null },
  ])('reads $what', ({ value, expected }) => {
    expect(parseRetryAfter(value, now)).toBe(expected)
  })
})

describe('webhookPolicy: the step, never the verdict', () => {
  const url = 'https://insights360.example.com/hook?token=abc'
  it.each([
    { what: 'delivered', result: { delivered: true, attempts: 2, status: 200 }, required: true, action: 'none' },
    { what: 'failed, optional: a warning', result: { delivered: false, attempts: 5, status: 503, reason: 'gave up' }, required: false, action: 'warn' },
    { what: 'failed, required: the step fails', result: { delivered: false, attempts: 1, status: 401, reason: 'HTTP 401' }, required: true, action: 'fail' },
  ] as const)('$what', ({ result, required, action }) => {
    const decision = webhookPolicy(result, { required, url })
    expect(decision.action).toBe(action)
    expect(decision.message).toContain('https://insights360.example.com/hook?token=***')
    expect(decision.message).not.toContain('abc')
    if (action !== 'none') expect(decision.message).toMatch(/SLO verdict is unchanged/)
  })
})
