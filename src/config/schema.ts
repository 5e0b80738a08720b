/**
 * The single source of Perf-Xi's configuration types: the config file's schema, composed from the
 * sections each feature owns (src/plan/*-config.ts, src/baseline/config.ts, src/slo-config.ts,
 * src/spec/auth-config.ts), and the resolved Config every stage reads, a plain interface.
 */
import { z } from 'zod'
import type { AnalysisSettings } from '../analyst/config.js'
import { AuthSchema, type Auth } from '../spec/auth-config.js'
import { SloLimitsSchema, type SloLimits } from '../slo-config.js'
import { BaselineConfigShape, type BaselineConfig, type ErrorBudgetFileConfig } from '../baseline/config.js'
import { CategoriesConfigShape, type CategoriesConfig } from '../plan/categories-config.js'
import { DatasetConfigShape, type DatasetConfig } from '../plan/dataset-config.js'
import { PhaseConfigShape, type PhaseLimits } from '../plan/phase-config.js'
import { CapacityConfigShape, type CapacitySettings } from '../capacity/config.js'
import { DriftConfigShape, type DriftSettings } from '../verdict/drift-config.js'
import { ProfileConfigShape, type ProfileConfig } from '../plan/profile-config.js'
import { ALL_PROFILE_NAMES, type ProfileName } from '../plan/profiles.js'
import { SloRecommendationsConfigShape, type SloRecommendationsConfig } from '../analyst/slo-recommendations-config.js'
import { boundedDuration, MAX_TEST_DURATION_MS, MAX_THINK_TIME_MS } from '../plan/run-bounds.js'
import type { Shard } from '../shards/shard.js'
import { OutputsConfigShape, type K6Output } from '../outputs/config.js'
import { CloudConfigShape, type CloudSettings } from '../cloud/config.js'

/** k6 always runs the gate; locust and jmeter also write the same plan for those tools. */
export const EXPORT_FORMATS = ['k6', 'locust', 'jmeter'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/**
 * slo: SLO breaches fail the step; regression: regressions against the baseline do; both; never;
 * capacity (capacity mode): a target out of reach with the current replicas does.
 */
export const FAIL_ON = ['slo', 'regression', 'both', 'never', 'capacity'] as const
export type FailOn = (typeof FAIL_ON)[number]

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
  profile: z.enum(ALL_PROFILE_NAMES).optional(),
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
  ...CapacityConfigShape,
  ...SloRecommendationsConfigShape,
  ...DriftConfigShape,
  ...OutputsConfigShape,
  ...CloudConfigShape,
})
export type ConfigFile = z.infer<typeof ConfigFileSchema>

/** One SLO rule as written: which endpoints it covers, its limits, and where it is written. */
export interface SloRule {
  selector: string
  limits: SloLimits
  line?: number
  /** Line of each limit, so a breach can be pinned to the exact limit it broke. */
  limitLines?: Record<string, number>
}

/** The resolved configuration every stage reads: inputs over file over defaults (src/config/load.ts builds it, frozen). */
export interface Config {
  readonly openapi: string
  /** Absolute paths of the user's k6 scripts, when they run instead of a generated one. */
  readonly scripts?: string[]
  readonly scriptEnv: string[]
  readonly configFile?: string
  readonly baseUrl?: string
  readonly profile: ProfileName
  readonly vus?: number
  readonly durationMs?: number
  readonly maxVus: number
  readonly thinkTimeMs: number
  readonly allowWrites: boolean
  readonly include: string[]
  readonly exclude: string[]
  readonly slos: SloRule[]
  readonly auth: Auth
  readonly failOn: FailOn
  readonly k6Version: string
  readonly resultsFile: string
  readonly comment: boolean
  readonly format: ExportFormat
  /** Load model, rate, stages, weights and the host allow-list. */
  readonly load: ProfileConfig
  /** Endpoint categories forced or re-tuned (critical, data-intensive, standard). */
  readonly categories?: CategoriesConfig
  /** A CSV or JSON file whose rows feed path, query and body values. */
  readonly dataset?: DatasetConfig
  /** stress: what counts as the breaking point; spike: its pass criteria. */
  readonly phases: PhaseLimits
  /** Drift within long runs: the soak: block. */
  readonly drift: DriftSettings
  readonly baseline: BaselineConfig
  readonly errorBudget?: ErrorBudgetFileConfig
  /** Capacity mode (mode: capacity, --capacity): levels, targets, replicas; absent in the other modes. */
  readonly capacity?: CapacitySettings
  /** SLO recommendations from history: the margin over the bound and the runs read (mode recommend-slos). */
  readonly sloRecommendations?: SloRecommendationsConfig
  /** Secrets: masked by the action before anything is logged, never written to any file. */
  readonly githubToken?: string
  readonly webhook?: { url: string; secret?: string; required: boolean }
  /** The model-written analysis (anthropic-api-key, anthropic-model, ai-context); the key is a secret like githubToken. */
  readonly analysis: AnalysisSettings
  /** This job runs one shard of a sharded run (input shard: i/N); waitMs bounds its wait for the others (input shard-wait). */
  readonly shard?: Shard & { waitMs?: number }
  /** k6 outputs for live dashboards (experimental-prometheus-rw, cloud), set up by their K6_* variables. */
  readonly outputs: K6Output[]
  /** Write k6's web dashboard report (K6_WEB_DASHBOARD_EXPORT) and upload it as an artifact. */
  readonly htmlReport: boolean
  /** Where k6 runs (runner: local, cloud, cloud-local) and the Grafana Cloud k6 settings (src/cloud/config.ts). */
  readonly cloud: CloudSettings
}
