/**
 * The signed webhook against a real HTTP receiver on 127.0.0.1: signatures checked with the
 * receiver-side function on the bytes that actually arrived; waits recorded through the injected
 * sleep, so retry tests are fast and exact.
 */
import { deliverWebhook, parseRetryAfter, webhookPolicy } from '../../src/webhook/deliver.js'
import { webhookUrlProblem } from '../../src/webhook-url.js'
import { verifyDelivery } from '../../src/webhook/verify.js'
import { WEBHOOK_HEADERS } from '../../src/webhook/payload.js'
import { closedPort, closeReceivers, delivery, expectNoSecrets, harness, NOW, SECRET, startReceiver, statuses } from './helpers.js'

afterEach(closeReceivers)

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
    expect(result.reason).toBe(
      `HTTP 302 redirect to ${new URL(receiver.url).origin}/elsewhere?token=***: set the webhook URL to the final address (not retried)`,
    )
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
