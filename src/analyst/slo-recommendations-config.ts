/**
 * Config-file keys for SLO recommendations (`slo-recommendations:` margin, history), merged into
 * ConfigFileSchema (src/config/schema.ts) as `...SloRecommendationsConfigShape`. A leaf: every
 * problem is a custom issue that starts with the setting's name and ends with the value it got.
 */
import { z } from 'zod'

export const SLO_RECOMMENDATION_CONFIG_DEFAULTS = {
  /** 20 % headroom over the prediction bound, as a factor. */
  margin: 1.2,
  /** Base-branch runs `mode: recommend-slos` reads, at most. */
  history: 20,
} as const

const got = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value))

/** "20%", 20 or "20" → 1.2: headroom over the bound, from 0 to 200 %. */
const margin = z.unknown().transform((value, ctx): number => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().replace(/\s*%$/, '') : ''
  const pct = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN
  if (pct >= 0 && pct <= 200) return 1 + pct / 100
  ctx.addIssue({
    code: 'custom',
    message: `margin: expected the headroom over the history's bound as a percentage from 0 to 200 such as 20%, got ${got(value)}`,
  })
  return z.NEVER
})

const history = z.unknown().transform((value, ctx): number => {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 5 && value <= 50) return value
  ctx.addIssue({ code: 'custom', message: `history: expected a whole number of base-branch runs from 5 to 50, got ${got(value)}` })
  return z.NEVER
})

export const SloRecommendationsConfigSchema = z.strictObject({
  margin: margin.default(SLO_RECOMMENDATION_CONFIG_DEFAULTS.margin),
  history: history.default(SLO_RECOMMENDATION_CONFIG_DEFAULTS.history),
})
/** margin as a factor (1.2), history in runs. */
export type SloRecommendationsConfig = z.infer<typeof SloRecommendationsConfigSchema>

/** Spread into ConfigFileSchema. */
export const SloRecommendationsConfigShape = { 'slo-recommendations': SloRecommendationsConfigSchema.optional() }
