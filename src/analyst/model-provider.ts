/**
 * Claude through the official @anthropic-ai/sdk Messages API, answering by tool use: one tool whose
 * input schema is derived from a zod schema (z.toJSONSchema), the input validated with the same
 * schema. Every failure (no key, 401, 429, 5xx, 529, timeout, an answer of the wrong shape) is one
 * line starting "Claude analysis skipped:"; nothing here throws, and the key is never part of a
 * message. Retries are the SDK's (429, 408, 409, 5xx and 529, honouring retry-after); a deadline
 * over all attempts bounds how long a retry-after may hold the run.
 */
import Anthropic from '@anthropic-ai/sdk'
import { z } from 'zod'
import { deadline } from '../deadline.js'
import { DEFAULT_MODEL } from './config.js'
import type { ModelAnswer, ModelRequest } from './model-request.js'

/**
 * Models documented to answer a forced `tool_choice` with 400 (Claude Opus 5.5, Sonnet 5.5, Fable
 * 5.1): they get `auto` and the instruction to call the tool. Any other model that refuses forcing
 * is asked once more with `auto`.
 */
const REFUSES_FORCED_TOOL_CHOICE = /^claude-(opus-5-5|sonnet-5-5|fable-5-1)(-|$)/

export const PROVIDER_DEFAULTS = {
  model: DEFAULT_MODEL,
  /** The structured answers are a few hundred words; room for the model's thinking before the tool call. */
  maxTokens: 4096,
  /** One attempt. */
  timeoutMs: 60_000,
  /** The SDK's retries of 408/409/429/5xx/529 and connection errors, after the first attempt. */
  maxRetries: 2,
  /** All attempts and the waits between them. */
  deadlineMs: 180_000,
} as const

export interface ModelProviderOptions {
  /** The anthropic-api-key input or ANTHROPIC_API_KEY. Sent as x-api-key only. */
  apiKey?: string
  model?: string
  maxTokens?: number
  timeoutMs?: number
  maxRetries?: number
  deadlineMs?: number
  /** The Messages API's root; tests point it at a local server. Default: the SDK's (ANTHROPIC_BASE_URL or api.anthropic.com). */
  baseURL?: string
  /** The run was cancelled: stop waiting at once. */
  signal?: AbortSignal
}

const SKIPPED = 'Claude analysis skipped:'

export async function askModel<T>(request: ModelRequest<T>, options: ModelProviderOptions): Promise<ModelAnswer<T>> {
  const apiKey = options.apiKey?.trim()
  if (!apiKey) return { ok: false, warning: `${SKIPPED} no API key (set the anthropic-api-key input from a secret, or ANTHROPIC_API_KEY)` }
  const settings = { ...PROVIDER_DEFAULTS, ...definedOnly({ ...options, apiKey: undefined, baseURL: undefined, signal: undefined }) }
  const redact = (text: string): string => oneLine(text.split(apiKey).join('***'))
  const limit = deadline(settings.deadlineMs, options.signal)
  try {
    const client = new Anthropic({
      apiKey,
      baseURL: options.baseURL,
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries,
      // The outcome is reported as one line by the caller; the SDK's own retry logging would add more.
      logLevel: 'off',
      openTelemetry: false,
    })
    const inputSchema = toolInputSchema(request.tool.input)
    const send = (forced: boolean) =>
      client.messages.create(
        {
          model: settings.model,
          max_tokens: settings.maxTokens,
          system: forced ? request.system : `${request.system}\n\nAnswer only by calling the ${request.tool.name} tool once.`,
          messages: [{ role: 'user', content: request.user }],
          tools: [{ name: request.tool.name, description: request.tool.description, input_schema: inputSchema }],
          tool_choice: forced ? { type: 'tool', name: request.tool.name, disable_parallel_tool_use: true } : { type: 'auto', disable_parallel_tool_use: true },
        },
        { signal: limit.signal },
      )
    const forced = !REFUSES_FORCED_TOOL_CHOICE.test(settings.model)
    let message: Anthropic.Message
    try {
      message = await send(forced)
    } catch (err) {
      if (!(forced && refusedForcedToolChoice(err))) throw err
      message = await send(false)
    }
    return readAnswer(message, request, settings.maxTokens, redact)
  } catch (err) {
    if (options.signal?.aborted) return { ok: false, warning: `${SKIPPED} the run was cancelled` }
    return { ok: false, warning: `${SKIPPED} ${redact(describeFailure(err, settings))}` }
  } finally {
    limit.clear()
  }
}

/** The tool's input_schema: JSON Schema from the zod schema, an object at its root as the API requires. */
export function toolInputSchema(schema: z.ZodType): Anthropic.Tool.InputSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>
  if (json.type !== 'object') throw new Error('a tool input schema must describe an object')
  return json as Anthropic.Tool.InputSchema
}

function readAnswer<T>(message: Anthropic.Message, request: ModelRequest<T>, maxTokens: number, redact: (text: string) => string): ModelAnswer<T> {
  // A proxy in between may answer 200 with something else entirely.
  if (typeof message !== 'object' || message === null || !Array.isArray(message.content)) {
    return { ok: false, warning: `${SKIPPED} the API's answer was not a message` }
  }
  const usage = { inputTokens: message.usage?.input_tokens ?? 0, outputTokens: message.usage?.output_tokens ?? 0 }
  const call = message.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use' && block.name === request.tool.name)
  if (!call) {
    const why = message.stop_reason === 'max_tokens' ? `it stopped at max_tokens (${maxTokens})` : `stop_reason ${message.stop_reason ?? 'none'}`
    return { ok: false, warning: `${SKIPPED} the model answered without calling the ${request.tool.name} tool (${why})` }
  }
  if (message.stop_reason === 'max_tokens') return { ok: false, warning: `${SKIPPED} the answer was cut off at max_tokens (${maxTokens})` }
  const parsed = request.tool.input.safeParse(call.input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
    return { ok: false, warning: `${SKIPPED} the model's answer did not match the expected shape (${redact(`${where}${issue?.message ?? 'invalid'}`)})` }
  }
  return { ok: true, value: parsed.data, modelUsed: message.model, usage }
}

function refusedForcedToolChoice(err: unknown): boolean {
  return err instanceof Anthropic.BadRequestError && /tool_choice/i.test(err.apiMessage ?? err.message)
}

function describeFailure(err: unknown, settings: { timeoutMs: number; deadlineMs: number; maxRetries: number }): string {
  const attempts = `${settings.maxRetries + 1} attempt${settings.maxRetries === 0 ? '' : 's'}`
  if (err instanceof Anthropic.APIUserAbortError) return `no answer within ${seconds(settings.deadlineMs)} over all attempts`
  if (err instanceof Anthropic.APIConnectionTimeoutError) return `no answer within ${seconds(settings.timeoutMs)} (${attempts})`
  if (err instanceof Anthropic.APIConnectionError) return `the API could not be reached (${cause(err)}; ${attempts})`
  if (err instanceof Anthropic.APIError && err.status !== undefined) {
    const type = err.type ?? 'error'
    const detail = err.apiMessage ? `: ${clip(err.apiMessage, 160)}` : ''
    const retried = RETRIED_STATUSES(err.status) ? ` after ${attempts}` : ''
    return `the API answered ${err.status} ${type}${detail}${retried}`
  }
  // The SDK rejects a non-JSON body of a successful answer with a SyntaxError of its parser.
  if ((err as { name?: unknown } | null)?.name === 'SyntaxError')
    return `the API's answer was not JSON (${clip(String((err as { message?: unknown }).message), 120)})`
  return `unexpected error (${clip(err instanceof Error ? err.message : String(err), 160)})`
}

const RETRIED_STATUSES = (status: number): boolean => status === 408 || status === 409 || status === 429 || status >= 500

function cause(err: Error): string {
  const inner = (err as { cause?: unknown }).cause
  const text =
    inner instanceof Error
      ? `${inner.message}${(inner as { cause?: unknown }).cause instanceof Error ? `: ${((inner as { cause: Error }).cause as Error).message}` : ''}`
      : err.message
  return clip(text, 120)
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`
const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text)
const oneLine = (text: string): string => text.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ').trim()

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
