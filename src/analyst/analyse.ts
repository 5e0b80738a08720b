/**
 * The model-written analyses, asked and turned into the results file's `analysis` section: of a
 * pull request whose endpoints regressed or breached, and of a capacity run. Each takes finished
 * figures and returns a section beside them; nothing here changes a figure or a verdict, and any
 * failure is one warning line.
 */
import type { AnalysisSection, ResultsFile } from '../results/schema.js'
import type { CapacityAnalysis, CapacityLevel } from '../capacity/measurements.js'
import { capacityAnalysisSection, capacityRequest } from './capacity-analysis.js'
import type { AnalysisSettings } from './config.js'
import { askModel, type ModelProviderOptions } from './model-provider.js'
import { skippedSection } from './model-request.js'
import { endpointsToExplain, pullRequestAnalysisSection, pullRequestRequest, type PullRequestChanges } from './pull-request-analysis.js'

export interface AnalysisIo {
  settings: AnalysisSettings
  /** The spec's operation summaries, by endpoint key. */
  summaries: Record<string, string>
  log: (line: string) => void
  warn: (line: string) => void
  /** Timeouts, retries, the API's root (tests); the key and model come from `settings`. */
  provider?: Omit<ModelProviderOptions, 'apiKey' | 'model'>
}

export interface PullRequestAnalysisIo extends AnalysisIo {
  /** What the pull request changes (GitHub's listing); with `patches` for ai-context: diff. */
  changes?: (patches: boolean) => Promise<PullRequestChanges>
  /** A fork's pull request gets no secrets, so no key: said in a note rather than silently left out. */
  fromFork: boolean
}

export const FORK_NOTE = 'Claude analysis skipped: pull requests from forks get no secrets, so no anthropic-api-key'

/** The section for a pull request run; undefined when nothing regressed or breached, or when no key was configured. */
export async function pullRequestModelAnalysis(results: ResultsFile, io: PullRequestAnalysisIo): Promise<AnalysisSection | undefined> {
  const asked = endpointsToExplain(results)
  if (asked.length === 0 || results.verdict === 'error') return undefined
  if (!io.settings.apiKey) {
    if (!io.fromFork) return undefined
    io.warn(FORK_NOTE)
    return skippedSection('pull-request', FORK_NOTE)
  }
  let changes: PullRequestChanges | undefined
  if (io.settings.context !== 'none' && io.changes) {
    try {
      changes = await io.changes(io.settings.context === 'diff')
    } catch (err) {
      io.warn(`the pull request's changed files could not be read (${firstLine(err)}); Claude analyses the figures without them`)
    }
  }
  const request = pullRequestRequest({ results, summaries: io.summaries, changes, context: io.settings.context })
  const answer = await askModel(request, { ...io.provider, apiKey: io.settings.apiKey, model: io.settings.model })
  report(answer, io)
  return pullRequestAnalysisSection(answer, asked)
}

/** The section for a capacity run; with no key, a warning and a skipped section: the rule-based recommendations stand alone. */
export async function capacityModelAnalysis(analysis: CapacityAnalysis, levels: CapacityLevel[], io: AnalysisIo): Promise<AnalysisSection> {
  const answer = await askModel(capacityRequest({ analysis, levels, summaries: io.summaries }), {
    ...io.provider,
    apiKey: io.settings.apiKey,
    model: io.settings.model,
  })
  report(answer, io)
  return capacityAnalysisSection(answer)
}

function report(answer: Awaited<ReturnType<typeof askModel>>, io: AnalysisIo): void {
  if (answer.ok) io.log(`Claude analysis written by ${answer.modelUsed} (${answer.usage.inputTokens} input, ${answer.usage.outputTokens} output tokens)`)
  else io.warn(answer.warning)
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!
}
