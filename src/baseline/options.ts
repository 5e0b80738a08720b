/** The baseline comparison's and the error budget's options, from the config file's blocks (src/baseline/config.ts). */
import { BaselineConfigSchema, type BaselineConfig, type ErrorBudgetFileConfig } from './config.js'
import type { ErrorBudgetConfig } from './error-budget.js'
import type { RegressionOptions } from './regression.js'

/** The comparison's options from the config file's baseline block (defaults when absent). */
export function toRegressionOptions(config: BaselineConfig | undefined, profile?: string): RegressionOptions {
  const resolved = config ?? BaselineConfigSchema.parse({})
  return { relativeThreshold: resolved.threshold, minHistory: resolved['min-history'], changePoints: true, ...(profile !== undefined ? { profile } : {}) }
}

/** The error budget's config from the config file's error-budget block; undefined when the block is absent. */
export function toErrorBudgetConfig(config: ErrorBudgetFileConfig | undefined): ErrorBudgetConfig | undefined {
  if (config === undefined) return undefined
  return {
    window: config.window,
    target: config.target,
    warnAtPct: config['warn-at'],
    ...(config['breach-budget'] !== undefined ? { breachBudget: config['breach-budget'] } : {}),
  }
}
