/**
 * The model-written analysis's settings: the anthropic-api-key, anthropic-model and ai-context
 * inputs. A leaf, so the config reader and the model provider share one default.
 */

/** The current Claude Sonnet (platform.claude.com, "Models overview"): the best balance of speed and reasoning for a short structured answer. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5'

/** What of a pull request the model sees: nothing but the figures, the changed files' names and line counts, or also their patches. */
export const AI_CONTEXTS = ['none', 'files', 'diff'] as const
export type AiContext = (typeof AI_CONTEXTS)[number]
export const DEFAULT_AI_CONTEXT: AiContext = 'files'

export interface AnalysisSettings {
  /** Secret: masked by the action before anything is logged; sent to the Messages API only. */
  readonly apiKey?: string
  readonly model: string
  readonly context: AiContext
}
