/**
 * The config file's `slos:` block: per endpoint selector, the limits the verdict (src/verdict.ts)
 * judges the SLIs by, in milliseconds and percent. A leaf, merged into src/config/schema.ts.
 */
import { z } from 'zod'
import { durationMs } from './duration.js'

/** Latency limits an SLO can set, and the SLI each one reads. */
export const LATENCY_LIMITS = ['p50', 'p90', 'p95', 'p99', 'max'] as const
export type LatencyLimit = (typeof LATENCY_LIMITS)[number]

/** "1%", "0.5 %" or 1 → 1 (percent). */
const percent = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = typeof value === 'string' ? value.trim().replace(/\s*%$/, '') : value
  const pct = typeof text === 'number' ? text : /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN
  if (!(pct >= 0 && pct <= 100)) {
    ctx.addIssue({ code: 'custom', message: `error-rate: expected a percentage from 0 to 100 such as 1% or 0.5, got ${JSON.stringify(value)}` })
    return z.NEVER
  }
  return pct
})

export const SloLimitsSchema = z
  .strictObject({
    p50: durationMs('p50').optional(),
    p90: durationMs('p90').optional(),
    p95: durationMs('p95').optional(),
    p99: durationMs('p99').optional(),
    max: durationMs('max').optional(),
    'error-rate': percent.optional(),
    'min-rps': z.number().positive({ message: 'min-rps: expected a positive number of requests per second' }).optional(),
  })
  .refine((limits) => Object.values(limits).some((v) => v !== undefined), {
    message: 'an SLO needs at least one limit: p50, p90, p95, p99, max, error-rate or min-rps',
  })
/** Limits in milliseconds and percent, as the rest of Perf-Xi reads them. */
export type SloLimits = z.infer<typeof SloLimitsSchema>
