/**
 * The model provider through the real @anthropic-ai/sdk against the local Messages API double:
 * the request the API sees, the validated answer, and each failure as one warning line.
 */
import { z } from 'zod'
import { DEFAULT_MODEL } from '../../src/analyst/config.js'
import { askModel, toolInputSchema, type ModelProviderOptions } from '../../src/analyst/model-provider.js'
import type { ModelRequest } from '../../src/analyst/model-request.js'
import { startAnthropicApiServer, type AnthropicApiServer } from '../support/anthropic-api-server.js'

const KEY = 'sk-ant-api03-test-KEY-4f9c2e7d1b'
const Verdict = z.object({ summary: z.string().min(1), causes: z.array(z.object({ cause: z.string(), rank: z.number().int().min(1) })).max(5) })
type Verdict = z.infer<typeof Verdict>
const GOOD: Verdict = { summary: 'The list endpoint slowed down as a whole.', causes: [{ cause: 'a query without an index', rank: 1 }] }
const REQUEST: ModelRequest<Verdict> = {
  system: 'You explain load-test figures.',
  user: '<figures>\nGET /items p95 120 → 240 ms\n</figures>',
  tool: { name: 'report_findings', description: 'Report the findings.', input: Verdict },
}

let api: AnthropicApiServer
beforeAll(async () => {
  api = await startAnthropicApiServer({ apiKeys: [KEY], answer: () => GOOD })
})
afterAll(() => api.close())
beforeEach(() => api.clearLog())
afterEach(() => expect(api.violations).toEqual([]))

const ask = (options: Partial<ModelProviderOptions> = {}) =>
  askModel(REQUEST, { apiKey: KEY, baseURL: api.url, model: 'claude-haiku-4-5', maxRetries: 0, timeoutMs: 5_000, ...options })

describe('askModel: a validated answer', () => {
  it('returns the tool input, the model that answered and the tokens used', async () => {
    const answer = await ask()
    expect(answer).toEqual({
      ok: true,
      value: GOOD,
      modelUsed: 'claude-haiku-4-5',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
    })
    expect(api.requests).toHaveLength(1)
  })

  it('sends one tool whose input schema is the zod schema, forced by tool_choice, with a bounded max_tokens', async () => {
    await ask({ maxTokens: 1500 })
    const { body, headers } = api.requests[0]!
    expect(body.tools).toEqual([{ name: 'report_findings', description: 'Report the findings.', input_schema: toolInputSchema(Verdict) }])
    expect(body.tools![0]!.input_schema).toMatchObject({ type: 'object', required: ['summary', 'causes'] })
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'report_findings', disable_parallel_tool_use: true })
    expect(body.max_tokens).toBe(1500)
    expect(body.system).toBe(REQUEST.system)
    expect(body.messages).toEqual([{ role: 'user', content: REQUEST.user }])
    expect(headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('asks a model that refuses a forced tool_choice (the default, Claude Sonnet 5.5) with auto and the instruction to call the tool', async () => {
    const answer = await ask({ model: undefined })
    expect(answer).toMatchObject({ ok: true, modelUsed: DEFAULT_MODEL })
    expect(api.requests).toHaveLength(1)
    expect(api.requests[0]!.body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    expect(api.requests[0]!.body.system).toContain('Answer only by calling the report_findings tool once.')
  })

  it('asks once more with auto when an unknown model answers a forced tool_choice with 400', async () => {
    const strict = await startAnthropicApiServer({ answer: () => GOOD, refuseForcedToolChoice: /^claude-next-/ })
    try {
      const answer = await askModel(REQUEST, { apiKey: KEY, baseURL: strict.url, model: 'claude-next-1', maxRetries: 0 })
      expect(answer).toMatchObject({ ok: true, value: GOOD })
      expect(strict.requests.map((r) => [r.status, r.body.tool_choice?.type])).toEqual([
        [400, 'tool'],
        [200, 'auto'],
      ])
    } finally {
      await strict.close()
    }
  })

  it('waits as long as retry-after asks before retrying a 429', async () => {
    api.script({ error: 429, retryAfterSeconds: 1 })
    const started = Date.now()
    const answer = await ask({ maxRetries: 1 })
    expect(answer.ok).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(api.requests.map((r) => r.status)).toEqual([429, 200])
  })
})

describe('askModel: every failure is one warning line', () => {
  const cases: {
    what: string
    script?: Parameters<AnthropicApiServer['script']>[0]
    times?: number
    options?: Partial<ModelProviderOptions>
    warning: RegExp
    requests: number
  }[] = [
    { what: 'no key', options: { apiKey: '' }, warning: /^Claude analysis skipped: no API key \(set the anthropic-api-key input/, requests: 0 },
    {
      what: 'a key the API refuses (401)',
      options: { apiKey: 'sk-ant-wrong' },
      warning: /^Claude analysis skipped: the API answered 401 authentication_error: invalid x-api-key$/,
      requests: 1,
    },
    {
      what: 'rate limited (429), retried',
      script: { error: 429 },
      times: 2,
      options: { maxRetries: 1 },
      warning: /^Claude analysis skipped: the API answered 429 rate_limit_error: Number of request tokens .* after 2 attempts$/,
      requests: 2,
    },
    {
      what: 'a server error (500), retried',
      script: { error: 500 },
      times: 2,
      options: { maxRetries: 1 },
      warning: /the API answered 500 api_error: Internal server error after 2 attempts$/,
      requests: 2,
    },
    {
      what: 'overloaded (529), retried',
      script: { error: 529 },
      times: 2,
      options: { maxRetries: 1 },
      warning: /the API answered 529 overloaded_error: Overloaded after 2 attempts$/,
      requests: 2,
    },
    {
      what: 'a request refused (400), not retried',
      script: { error: 400, message: 'prompt is too long' },
      options: { maxRetries: 2 },
      warning: /the API answered 400 invalid_request_error: prompt is too long$/,
      requests: 1,
    },
    {
      what: 'no answer in time',
      script: { delayMs: 3_000 },
      options: { timeoutMs: 300 },
      warning: /^Claude analysis skipped: no answer within 0\.3 s \(1 attempt\)$/,
      requests: 1,
    },
    {
      what: 'a retry-after beyond the deadline',
      script: { error: 429, retryAfterSeconds: 60 },
      options: { maxRetries: 2, deadlineMs: 500 },
      warning: /^Claude analysis skipped: no answer within 0\.5 s over all attempts$/,
      requests: 1,
    },
    {
      what: 'a tool input not matching the schema',
      script: { toolInput: { summary: 'ok', causes: [{ cause: 'x', rank: 0 }] } },
      warning: /the model's answer did not match the expected shape \(causes\.0\.rank: /,
      requests: 1,
    },
    {
      what: 'no tool_use block',
      script: { text: 'I think it is the database.' },
      warning: /the model answered without calling the report_findings tool \(stop_reason end_turn\)$/,
      requests: 1,
    },
    {
      what: 'a body that is not JSON',
      script: { notJson: '<html>502 Bad Gateway</html>' },
      warning: /^Claude analysis skipped: the API's answer was not JSON/,
      requests: 1,
    },
  ]
  it.each(cases)('$what', async ({ script, times, options, warning, requests }) => {
    if (script) api.script(script, times)
    const answer = await ask(options)
    if (answer.ok) throw new Error('expected a warning')
    expect(answer.warning).toMatch(warning)
    expect(answer.warning).not.toMatch(/[\r\n]/)
    expect(api.requests).toHaveLength(requests)
  })
})

describe('askModel: cancellation', () => {
  it('stops waiting at once when the run is cancelled', async () => {
    api.script({ delayMs: 5_000 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const started = Date.now()
    expect(await ask({ signal: controller.signal })).toEqual({ ok: false, warning: 'Claude analysis skipped: the run was cancelled' })
    expect(Date.now() - started).toBeLessThan(4_000)
  })
})

describe('askModel: the key', () => {
  it('is sent as the credential header only and never appears in a warning, even when the API echoes it', async () => {
    api.script({ error: 401, message: `invalid x-api-key ${KEY}` })
    const answer = await ask()
    expect(answer).toEqual({ ok: false, warning: 'Claude analysis skipped: the API answered 401 authentication_error: invalid x-api-key ***' })
    const good = await ask()
    const everything = JSON.stringify({ answer, good, requests: api.requests })
    expect(everything).not.toContain(KEY)
    expect(api.requests.every((r) => !JSON.stringify(r.body).includes(KEY))).toBe(true)
  })
})
