/**
 * The building blocks of Perf-Xi's configuration (durations, percentages, SLO limits, auth) and
 * its defaults: imported by the config schema and by the stages that define config keys of their own.
 */
import { z } from 'zod'
import type { FailOn } from './schema.js'
import type { ProfileName } from '../plan/profiles.js'

/** Latency limits an SLO can set, and the SLI each one reads. */
export const LATENCY_LIMITS = ['p50', 'p90', 'p95', 'p99', 'max'] as const
export type LatencyLimit = (typeof LATENCY_LIMITS)[number]

const DURATION_PATTERN = /^(\d+(\.\d+)?(ms|s|m|h))+$/
const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** "1m30s" → 90000. Numbers are milliseconds. Returns undefined for anything else. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text)
  if (!DURATION_PATTERN.test(text)) return undefined
  let total = 0
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * DURATION_UNIT_MS[unit]
  }
  return total
}

/** A duration setting; with `bound`, values above bound.maxMs are refused with bound.message. */
export const durationMs = (what: string, bound?: { maxMs: number; message: (ms: number) => string }) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = parseDuration(value)
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${what}: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got ${JSON.stringify(value)}`,
      })
      return z.NEVER
    }
    if (bound && ms > bound.maxMs) {
      ctx.addIssue({ code: 'custom', message: bound.message(ms) })
      return z.NEVER
    }
    return ms
  })

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

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected the name of an environment variable (letters, digits, _), not a secret value' })

export const AuthSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({ type: z.literal('bearer'), 'token-env': envName }),
    z.strictObject({
      type: z.literal('api-key'),
      in: z.enum(['header', 'query']).default('header'),
      name: z.string().min(1),
      'value-env': envName,
    }),
    z.strictObject({ type: z.literal('cookie'), name: z.string().min(1), 'value-env': envName }),
    z.strictObject({ type: z.literal('basic'), 'username-env': envName, 'password-env': envName }),
  ],
  { error: () => 'auth.type: expected one of none, bearer, api-key, cookie, basic' },
)
export type Auth = z.infer<typeof AuthSchema>


export const DEFAULTS = {
  configFile: '.github/perf-xi.yml',
  profile: 'smoke' as ProfileName,
  maxVus: 1000,
  thinkTimeMs: 0,
  failOn: 'slo' as FailOn,
  resultsFile: 'perf-xi-results.json',
  /** The design's standard-load SLO: p95 under 1 s, errors under 1 %. */
  slo: { p95: 1000, 'error-rate': 1 } satisfies SloLimits,
} as const
