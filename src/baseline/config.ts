/**
 * Config-file keys for the baseline comparison and error budgets, to be merged into
 * ConfigFileSchema (src/config/schema.ts) as `...BaselineConfigShape`.
 *
 * ```yaml
 * baseline:
 *   branch: main          # default: the pull request's base branch
 *   history: 5            # base-branch runs compared against, 1..50
 *   threshold: 10%        # relative change that can count as a regression (and must beat the noise)
 *   min-history: 3        # runs needed before anything is judged, 1..history
 *   store: artifact       # artifact (lasts, default) or cache (evicted after 7 days unused)
 * error-budget:
 *   window: 30d           # rolling window: ms, s, m, h, d, w, combinable (1d12h)
 *   target: 99.9%         # percent of requests that must succeed
 *   breach-budget: 8h     # optional: time of SLO breach allowed per window
 *   warn-at: 75%          # optional: percent consumed that warns
 * ```
 *
 * Every problem is a custom issue whose message starts with the setting's name and ends with the
 * value it got, as src/config/load.ts expects.
 */
import { z } from 'zod'
import { parseWindowMs } from '../duration.js'

export const BASELINE_STORES = ['artifact', 'cache'] as const
export type BaselineStore = (typeof BASELINE_STORES)[number]

export const BASELINE_DEFAULTS = {
  history: 5,
  /** 10 %, as a fraction. */
  threshold: 0.1,
  minHistory: 3,
  store: 'artifact' as BaselineStore,
} as const

export const ERROR_BUDGET_DEFAULTS = { window: '30d', target: 99.9, warnAtPct: 75 } as const

const got = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value))

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message })
  return z.NEVER as never
}

function wholeNumber(name: string, min: number, max: number, unit: string) {
  return z.unknown().transform((value, ctx): number => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value
    return fail(ctx, `${name}: expected a whole number of ${unit} from ${min} to ${max}, got ${got(value)}`)
  })
}

/** "12.5%", "12.5 %", 12.5 or "12.5" → 12.5; undefined when not a plain non-negative number. */
function percentOf(value: unknown): { pct: number; hasSign: boolean } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? { pct: value, hasSign: false } : undefined
  if (typeof value !== 'string') return undefined
  const match = /^\s*(\d+(\.\d+)?)\s*(%?)\s*$/.exec(value)
  return match ? { pct: Number(match[1]), hasSign: match[3] === '%' } : undefined
}

/**
 * baseline.threshold: a percentage, "10%" or 10, returned as a fraction (0.1). A bare number below
 * 1 is refused: 0.1 is ambiguous between "10 %" written as a fraction and "0.1 %" (which would fail
 * nearly every pull request); write the % sign to mean a small percentage.
 */
const threshold = z.unknown().transform((value, ctx): number => {
  const parsed = percentOf(value)
  if (parsed === undefined || !(parsed.pct > 0 && parsed.pct <= 1000))
    return fail(ctx, `threshold: expected a percentage above 0 such as 10% or 10, got ${got(value)}`)
  if (!parsed.hasSign && parsed.pct < 1)
    return fail(
      ctx,
      `threshold: a bare number is a percentage, so ${got(value)} would mean ${parsed.pct} %; write ${Number((parsed.pct * 100).toFixed(4))}% if you meant a fraction, or "${parsed.pct}%" if you really mean ${parsed.pct} %`,
    )
  return parsed.pct / 100
})

const store = z.unknown().transform((value, ctx): BaselineStore => {
  if (BASELINE_STORES.includes(value as BaselineStore)) return value as BaselineStore
  return fail(ctx, `store: expected artifact (kept with the workflow run, the default) or cache (evicted after 7 days unused), got ${got(value)}`)
})

const branch = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && value.trim() !== '' && !/\s/.test(value.trim())) return value.trim()
  return fail(ctx, `branch: expected a branch name such as main (leave it out to use the pull request's base branch), got ${got(value)}`)
})

export const BaselineConfigSchema = z
  .strictObject({
    branch: branch.optional(),
    history: wholeNumber('history', 1, 50, 'base-branch runs').default(BASELINE_DEFAULTS.history),
    threshold: threshold.default(BASELINE_DEFAULTS.threshold),
    'min-history': wholeNumber('min-history', 1, 50, 'runs').default(BASELINE_DEFAULTS.minHistory),
    store: store.default(BASELINE_DEFAULTS.store),
  })
  .superRefine((config, ctx) => {
    if (config['min-history'] > config.history)
      ctx.addIssue({
        code: 'custom',
        path: ['min-history'],
        message: `min-history: ${config['min-history']} is more than history (${config.history}), so no endpoint could ever be judged; lower min-history or raise history`,
      })
  })
export type BaselineConfig = z.infer<typeof BaselineConfigSchema>

const duration = (name: string, example: string) =>
  z.unknown().transform((value, ctx): string => {
    if (typeof value === 'string' && parseWindowMs(value) !== undefined) return value.trim()
    return fail(ctx, `${name}: expected a duration with its unit such as ${example} (units ms, s, m, h, d, w), got ${got(value)}`)
  })

const target = z.unknown().transform((value, ctx): number => {
  const parsed = percentOf(value)
  if (parsed !== undefined && parsed.pct > 0 && parsed.pct < 100) return parsed.pct
  if (parsed?.pct === 100) return fail(ctx, `target: 100% allows no failed request at all, so there is no budget to track; use e.g. 99.9%, got ${got(value)}`)
  return fail(ctx, `target: expected the percentage of requests that must succeed, above 0 and below 100, such as 99.9%, got ${got(value)}`)
})

const warnAt = z.unknown().transform((value, ctx): number => {
  const parsed = percentOf(value)
  if (parsed !== undefined && parsed.pct > 0 && parsed.pct <= 100) return parsed.pct
  return fail(ctx, `warn-at: expected the percentage of the budget consumed that warns, above 0 and at most 100, such as 75%, got ${got(value)}`)
})

export const ErrorBudgetConfigSchema = z.strictObject({
  window: duration('window', '30d or 7d').default(ERROR_BUDGET_DEFAULTS.window),
  target: target.default(ERROR_BUDGET_DEFAULTS.target),
  'breach-budget': duration('breach-budget', '8h or 28800s').optional(),
  'warn-at': warnAt.default(ERROR_BUDGET_DEFAULTS.warnAtPct),
})
export type ErrorBudgetFileConfig = z.infer<typeof ErrorBudgetConfigSchema>

/** Spread into ConfigFileSchema: `z.strictObject({ ...existing, ...BaselineConfigShape })`. */
export const BaselineConfigShape = {
  baseline: BaselineConfigSchema.optional(),
  'error-budget': ErrorBudgetConfigSchema.optional(),
}
