/**
 * The single source of Perf-Xi's configuration types: the config file's shape, the action
 * inputs' shape, and the resolved Config every stage reads. Types are inferred from these schemas.
 */
import { z } from 'zod'
import { BaselineConfigSchema, BaselineConfigShape, type BaselineConfig, type ErrorBudgetFileConfig } from '../baseline/config.js'

export const PROFILE_NAMES = ['smoke', 'load'] as const
export type ProfileName = (typeof PROFILE_NAMES)[number]

/** slo: SLO breaches fail the step; regression: regressions against the baseline do; both; never. */
export const FAIL_ON = ['slo', 'regression', 'both', 'never'] as const
export type FailOn = (typeof FAIL_ON)[number]

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

const durationMs = (what: string) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = parseDuration(value)
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${what}: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got ${JSON.stringify(value)}`,
      })
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

const selectorList = z.array(z.string().min(1))

/** The YAML config file (default .github/perf-xi.yml). Unknown keys are rejected: a typo must not silently disable an SLO. */
export const ConfigFileSchema = z.strictObject({
  openapi: z.string().min(1).optional(),
  'base-url': z.string().min(1).optional(),
  profile: z.enum(PROFILE_NAMES).optional(),
  vus: z.number().int().positive().optional(),
  duration: durationMs('duration').optional(),
  'max-vus': z.number().int().positive().optional(),
  'think-time': durationMs('think-time').optional(),
  'allow-writes': z.boolean().optional(),
  endpoints: z.strictObject({ include: selectorList.optional(), exclude: selectorList.optional() }).optional(),
  slos: z.record(z.string().min(1), SloLimitsSchema).optional(),
  auth: AuthSchema.optional(),
  'fail-on': z.enum(FAIL_ON).optional(),
  'k6-version': z.string().optional(),
  /** Post (and update) the pull-request comment. */
  comment: z.boolean().optional(),
  ...BaselineConfigShape,
})
export type ConfigFile = z.infer<typeof ConfigFileSchema>

/** One SLO rule as written: which endpoints it covers, its limits, and where it is written. */
export const SloRuleSchema = z.object({
  selector: z.string(),
  limits: z.record(z.string(), z.number()) as unknown as z.ZodType<SloLimits>,
  line: z.number().int().optional(),
  /** Line of each limit, so a breach can be pinned to the exact limit it broke. */
  limitLines: z.record(z.string(), z.number().int()).optional(),
})
export type SloRule = z.infer<typeof SloRuleSchema>

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

/** The resolved configuration every stage reads: inputs over file over defaults. */
export const ConfigSchema = z.object({
  openapi: z.string(),
  configFile: z.string().optional(),
  baseUrl: z.string().optional(),
  profile: z.enum(PROFILE_NAMES),
  vus: z.number().int().positive().optional(),
  durationMs: z.number().positive().optional(),
  maxVus: z.number().int().positive(),
  thinkTimeMs: z.number().nonnegative(),
  allowWrites: z.boolean(),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  slos: z.array(SloRuleSchema),
  auth: AuthSchema,
  failOn: z.enum(FAIL_ON),
  k6Version: z.string(),
  resultsFile: z.string(),
  comment: z.boolean(),
  baseline: BaselineConfigSchema as unknown as z.ZodType<BaselineConfig>,
  errorBudget: z.custom<ErrorBudgetFileConfig>().optional(),
  /** Secrets: masked by the action before anything is logged, never written to any file. */
  githubToken: z.string().optional(),
  webhook: z
    .object({ url: z.string(), secret: z.string().optional(), required: z.boolean() })
    .optional(),
})
export type Config = Readonly<z.infer<typeof ConfigSchema>>
