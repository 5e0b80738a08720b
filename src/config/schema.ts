/**
 * The single source of Perf-Xi's configuration types: the config file's shape, the action
 * inputs' shape, and the resolved Config every stage reads. Types are inferred from these schemas.
 */
import { z } from 'zod'
import { AuthSchema } from '../spec/auth-config.js'
import { SloLimitsSchema, type SloLimits } from '../slo-config.js'
import { BaselineConfigSchema, BaselineConfigShape, type BaselineConfig, type ErrorBudgetFileConfig } from '../baseline/config.js'
import { CategoriesConfigShape, type CategoriesConfig } from '../plan/categories-config.js'
import { DatasetConfigShape, type DatasetConfig } from '../plan/dataset-config.js'
import { PhaseConfigShape, PhaseLimitsSchema } from '../plan/phase-config.js'
import { ProfileConfigSchema, ProfileConfigShape } from '../plan/profile-config.js'
import { ALL_PROFILE_NAMES, type ProfileName } from '../plan/profiles.js'
import { boundedDuration, MAX_TEST_DURATION_MS, MAX_THINK_TIME_MS } from '../plan/run-bounds.js'

export const PROFILE_NAMES = ALL_PROFILE_NAMES
export type { ProfileName }

/** k6 always runs the gate; locust and jmeter also write the same plan for those tools. */
export const EXPORT_FORMATS = ['k6', 'locust', 'jmeter'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** slo: SLO breaches fail the step; regression: regressions against the baseline do; both; never. */
export const FAIL_ON = ['slo', 'regression', 'both', 'never'] as const
export type FailOn = (typeof FAIL_ON)[number]

export { parseDuration } from '../duration.js'
export { AuthSchema, type Auth } from '../spec/auth-config.js'
export { LATENCY_LIMITS, SloLimitsSchema, type LatencyLimit, type SloLimits } from '../slo-config.js'

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

const selectorList = z.array(z.string().min(1))

/** The YAML config file (default .github/perf-xi.yml). Unknown keys are rejected: a typo must not silently disable an SLO. */
export const ConfigFileSchema = z.strictObject({
  openapi: z.string().min(1).optional(),
  /** The user's own k6 scripts (files or globs) instead of generated ones. */
  script: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  /** Environment variables passed through to the user's scripts (their names). */
  'script-env': z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected names of environment variables' })).optional(),
  'base-url': z.string().min(1).optional(),
  profile: z.enum(PROFILE_NAMES).optional(),
  vus: z.number().int().positive().optional(),
  duration: boundedDuration('duration', MAX_TEST_DURATION_MS, 'for a whole test').optional(),
  'max-vus': z.number().int().positive().optional(),
  'think-time': boundedDuration('think-time', MAX_THINK_TIME_MS, 'for the pause after a request').optional(),
  'allow-writes': z.boolean().optional(),
  endpoints: z.strictObject({ include: selectorList.optional(), exclude: selectorList.optional() }).optional(),
  slos: z.record(z.string().min(1), SloLimitsSchema).optional(),
  auth: AuthSchema.optional(),
  'fail-on': z.enum(FAIL_ON).optional(),
  'k6-version': z.string().optional(),
  format: z.enum(EXPORT_FORMATS).optional(),
  /** Post (and update) the pull-request comment. */
  comment: z.boolean().optional(),
  ...BaselineConfigShape,
  ...ProfileConfigShape,
  ...CategoriesConfigShape,
  ...DatasetConfigShape,
  ...PhaseConfigShape,
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


/** The resolved configuration every stage reads: inputs over file over defaults. */
export const ConfigSchema = z.object({
  openapi: z.string(),
  /** Absolute paths of the user's k6 scripts, when they run instead of a generated one. */
  scripts: z.array(z.string()).optional(),
  scriptEnv: z.array(z.string()),
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
  format: z.enum(EXPORT_FORMATS),
  /** Load model, rate, stages, weights and the host allow-list. */
  load: ProfileConfigSchema,
  /** Endpoint categories forced or re-tuned (critical, data-intensive, standard). */
  categories: z.custom<CategoriesConfig>().optional(),
  /** A CSV or JSON file whose rows feed path, query and body values. */
  dataset: z.custom<DatasetConfig>().optional(),
  /** stress: what counts as the breaking point; spike: its pass criteria. */
  phases: PhaseLimitsSchema,
  baseline: BaselineConfigSchema as unknown as z.ZodType<BaselineConfig>,
  errorBudget: z.custom<ErrorBudgetFileConfig>().optional(),
  /** Secrets: masked by the action before anything is logged, never written to any file. */
  githubToken: z.string().optional(),
  webhook: z
    .object({ url: z.string(), secret: z.string().optional(), required: z.boolean() })
    .optional(),
})
export type Config = Readonly<z.infer<typeof ConfigSchema>>
