/**
 * A local stand-in for the Claude Messages API (POST /v1/messages) on 127.0.0.1, reached through
 * the SDK's `baseURL`. Each request is checked as the API checks it (the key, anthropic-version,
 * content-type, model, max_tokens, messages, system, tools, tool_choice); a request the API would
 * refuse gets its 400/401 answer and is recorded in `violations`. Answers have the API's shapes: a
 * message with a tool_use block, usage and stop_reason, or an error body
 * `{type:'error', error:{type, message}, request_id}`. Scripted answers (`script()`) give errors
 * (400/401/429/500/529), malformed answers and slow ones. See __tests__/support/README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { randomBytes } from 'node:crypto'

/** The versions the API takes in `anthropic-version` (platform.claude.com/docs/en/api/versioning). */
export const API_VERSIONS = ['2023-06-01', '2026-10-21'] as const

export interface MessagesRequestBody {
  model: string
  max_tokens: number
  system?: string | { type: string; text: string }[]
  messages: { role: 'user' | 'assistant'; content: string | { type: string; text?: string }[] }[]
  tools?: { name: string; description?: string; input_schema: Record<string, unknown> }[]
  tool_choice?: { type: string; name?: string }
  [key: string]: unknown
}

export interface RecordedMessagesRequest {
  headers: Record<string, string>
  body: MessagesRequestBody
  /** The status answered. */
  status: number
}

export type ScriptedAnswer =
  /** The API's error answer for the status, with retry-after (seconds) on 429 unless told otherwise. */
  | { error: 400 | 401 | 429 | 500 | 529; message?: string; retryAfterSeconds?: number }
  /** A tool_use block whose input is this value, whatever the schema says. */
  | { toolInput: unknown }
  /** Only a text block: the model did not call the tool. */
  | { text: string }
  /** A 200 whose body is not JSON. */
  | { notJson: string }
  /** Wait, then answer as usual (or with `then`). */
  | { delayMs: number; then?: ScriptedAnswer }

export interface AnthropicApiServerOptions {
  /** Keys accepted; any other answers 401. Default: any non-empty key. */
  apiKeys?: string[]
  /** The tool input of a normal answer, given the request (the double answers the same whatever the prompt says). */
  answer: (request: MessagesRequestBody) => unknown
  /** Models that answer a forced tool_choice with 400, as Claude Sonnet 5.5, Opus 5.5 and Fable 5.1 do. Default those three. */
  refuseForcedToolChoice?: RegExp
}

export interface AnthropicApiServer {
  /** For the SDK's `baseURL`. */
  readonly url: string
  readonly requests: RecordedMessagesRequest[]
  /** Requests the API would have refused, one line each. */
  readonly violations: string[]
  /** The next `times` requests (default 1) get this answer instead of the normal one. */
  script(answer: ScriptedAnswer, times?: number): void
  clearLog(): void
  close(): Promise<void>
}

const ERROR_TYPES = { 400: 'invalid_request_error', 401: 'authentication_error', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' } as const
const ERROR_MESSAGES = {
  400: 'Invalid request',
  401: 'invalid x-api-key',
  429: 'Number of request tokens has exceeded your per-minute rate limit',
  500: 'Internal server error',
  529: 'Overloaded',
} as const
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/

export async function startAnthropicApiServer(options: AnthropicApiServerOptions): Promise<AnthropicApiServer> {
  const requests: RecordedMessagesRequest[] = []
  const violations: string[] = []
  const scripted: ScriptedAnswer[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const refuseForced = options.refuseForcedToolChoice ?? /^claude-(opus-5-5|sonnet-5-5|fable-5-1)(-|$)/

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      violations.push(`the double itself failed: ${String(err)}`)
      if (!res.headersSent) sendError(res, 500, 'api_error', 'Internal server error')
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req)
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]))
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const refuse = (status: 400 | 401 | 404 | 405, type: string, message: string, body?: MessagesRequestBody): void => {
      violations.push(`${status} ${type}: ${message}`)
      if (body) requests.push({ headers: withoutKey(headers), body, status })
      sendError(res, status, type, message)
    }
    if (path !== '/v1/messages') return refuse(404, 'not_found_error', `Not Found: ${req.method} ${path}`)
    if (req.method !== 'POST') return refuse(405, 'invalid_request_error', `Method ${req.method} not allowed`)
    // The key travels as x-api-key, or (the SDK since API version 2026-10-21) as a bearer token.
    const key = headers['x-api-key'] || /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1]
    if (!key) return refuse(401, 'authentication_error', 'x-api-key header is required')
    const version = headers['anthropic-version']
    if (!version) return refuse(400, 'invalid_request_error', 'anthropic-version: header is required')
    if (!(API_VERSIONS as readonly string[]).includes(version))
      return refuse(400, 'invalid_request_error', `anthropic-version: ${JSON.stringify(version)} is not a valid version`)
    if (!/^application\/json\b/.test(headers['content-type'] ?? '')) return refuse(400, 'invalid_request_error', 'content-type must be application/json')
    let body: MessagesRequestBody
    try {
      body = JSON.parse(text) as MessagesRequestBody
    } catch {
      return refuse(400, 'invalid_request_error', 'The request body is not valid JSON')
    }
    const problem = requestProblem(body, version)
    if (problem) return refuse(400, 'invalid_request_error', problem, body)
    // A wrong key is not a malformed request: answered 401 without counting as a violation.
    if (options.apiKeys && !options.apiKeys.includes(key)) {
      requests.push({ headers: withoutKey(headers), body, status: 401 })
      return sendError(res, 401, 'authentication_error', 'invalid x-api-key')
    }
    if (body.tool_choice?.type === 'tool' || body.tool_choice?.type === 'any') {
      if (refuseForced.test(body.model)) {
        requests.push({ headers: withoutKey(headers), body, status: 400 })
        return sendError(res, 400, 'invalid_request_error', `tool_choice: forced tool use is not supported for ${body.model}; use tool_choice auto`)
      }
    }
    const recorded: RecordedMessagesRequest = { headers: withoutKey(headers), body, status: 0 }
    requests.push(recorded)
    await answer(res, body, scripted.shift(), recorded)
  }

  async function answer(res: ServerResponse, body: MessagesRequestBody, plan: ScriptedAnswer | undefined, recorded: RecordedMessagesRequest): Promise<void> {
    if (plan && 'delayMs' in plan) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve()
        }, plan.delayMs)
        timers.add(timer)
      })
      if (res.destroyed || res.socket?.destroyed) return
      return answer(res, body, plan.then, recorded)
    }
    if (plan && 'error' in plan) {
      recorded.status = plan.error
      const extra: Record<string, string> = {}
      if (plan.error === 429 || plan.retryAfterSeconds !== undefined) extra['retry-after'] = String(plan.retryAfterSeconds ?? 0)
      if (plan.error === 429) extra['anthropic-ratelimit-requests-limit'] = '50'
      return sendError(res, plan.error, ERROR_TYPES[plan.error], plan.message ?? ERROR_MESSAGES[plan.error], extra)
    }
    recorded.status = 200
    if (plan && 'notJson' in plan) {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId() })
      return void res.end(plan.notJson)
    }
    const tool = body.tools?.[0]
    const content =
      plan && 'text' in plan
        ? [{ type: 'text', text: plan.text }]
        : tool
          ? [
              {
                type: 'tool_use',
                id: `toolu_${randomBytes(12).toString('hex')}`,
                name: tool.name,
                input: plan && 'toolInput' in plan ? plan.toolInput : options.answer(body),
              },
            ]
          : [{ type: 'text', text: 'No tools were offered.' }]
    const outputTokens = Math.max(1, Math.ceil(JSON.stringify(content).length / 4))
    const message = {
      id: `msg_${randomBytes(12).toString('hex')}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: content[0]!.type === 'tool_use' ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: Math.max(1, Math.ceil(JSON.stringify(body.messages).length / 4)), output_tokens: Math.min(outputTokens, body.max_tokens) },
    }
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId() })
    res.end(JSON.stringify(message))
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    script(plan, times = 1) {
      for (let i = 0; i < times; i++) scripted.push(plan)
    },
    clearLog() {
      requests.length = 0
      violations.length = 0
      scripted.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** What the Messages API refuses with 400 invalid_request_error, in the order it checks. */
function requestProblem(body: MessagesRequestBody, version: string): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the request body must be an object'
  if (typeof body.model !== 'string' || body.model.trim() === '') return 'model: Field required'
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: must be a positive integer'
  if (version === '2026-10-21')
    for (const removed of ['temperature', 'top_p', 'top_k']) if (removed in body) return `${removed}: not supported in API version 2026-10-21`
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required'
  for (const [i, m] of body.messages.entries()) {
    if (m.role !== 'user' && m.role !== 'assistant') return `messages.${i}.role: must be user or assistant`
    if (i === 0 && m.role !== 'user') return 'messages: the first message must use the user role'
    if (i > 0 && body.messages[i - 1]!.role === m.role) return `messages: roles must alternate between "user" and "assistant" (messages.${i})`
    if (typeof m.content === 'string') {
      if (m.content === '') return `messages.${i}.content: must not be empty`
    } else if (!Array.isArray(m.content) || m.content.length === 0 || m.content.some((b) => typeof b?.type !== 'string')) {
      return `messages.${i}.content: must be a string or a non-empty list of content blocks`
    }
  }
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) return 'system: must be a string or a list of text blocks'
  const names = new Set<string>()
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return 'tools: must be a list'
    for (const [i, tool] of body.tools.entries()) {
      if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) return `tools.${i}.name: must match ^[a-zA-Z0-9_-]{1,64}$`
      if (names.has(tool.name)) return `tools: tool names must be unique (${tool.name})`
      names.add(tool.name)
      if (tool.description !== undefined && typeof tool.description !== 'string') return `tools.${i}.description: must be a string`
      const schema = tool.input_schema
      if (typeof schema !== 'object' || schema === null || schema.type !== 'object') return `tools.${i}.input_schema.type: must be "object"`
    }
  }
  const choice = body.tool_choice
  if (choice !== undefined) {
    if (!['auto', 'any', 'tool', 'none'].includes(choice.type)) return `tool_choice.type: must be one of auto, any, tool, none`
    if ((choice.type === 'any' || choice.type === 'tool') && names.size === 0) return `tool_choice: ${choice.type} requires tools`
    if (choice.type === 'tool' && (typeof choice.name !== 'string' || !names.has(choice.name)))
      return `tool_choice.name: ${JSON.stringify(choice.name)} is not one of the tools`
  }
  return undefined
}

function sendError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  const id = requestId()
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': id, ...headers })
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: id }))
}

const requestId = (): string => `req_${randomBytes(12).toString('hex')}`

/** The recorded headers never keep the key: tests print them. */
function withoutKey(headers: Record<string, string>): Record<string, string> {
  const { 'x-api-key': _key, authorization: _auth, ...rest } = headers
  return rest
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
