/**
 * What an analysis asks a model and what comes back: the prompt builders (pure) and the model
 * provider (the adapter) meet here, so neither imports the other.
 */
import type { z } from 'zod'
import type { AnalysisSection } from '../results/schema.js'

/** One question with a structured answer: the model answers by calling `tool`, whose input `tool.input` validates. */
export interface ModelRequest<T> {
  /** Instructions only. Data never goes here. */
  system: string
  /** The data, each piece inside its own delimiters (see dataBlock). */
  user: string
  tool: { name: string; description: string; input: z.ZodType<T> }
}

export interface TokenUsage {
  inputTokens: number
  outputTokens: number
}

/** A validated answer, or why there is none as one line for the log (the figures stand without it). */
export type ModelAnswer<T> = { ok: true; value: T; modelUsed: string; usage: TokenUsage } | { ok: false; warning: string }

/**
 * Text the model must read as data, never as instructions (a pull request's file names, patches, a
 * spec's summaries): inside `<name>` tags, with anything that would close or open such a tag in
 * the text itself defused, so the data cannot end its own block.
 */
export function dataBlock(name: string, text: string): string {
  const defused = text.replace(/<(\/?)([A-Za-z_][\w-]*)/g, '<\u200b$1$2')
  return `<${name}>\n${defused}\n</${name}>`
}

/** The results file's section when there is no analysis: why, in one line. */
export function skippedSection(kind: AnalysisSection['kind'], note: string): AnalysisSection {
  return { kind, status: 'skipped', model_used: null, input_tokens: null, output_tokens: null, note, pull_request: null, capacity: null }
}
