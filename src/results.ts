/**
 * The results file: one versioned JSON document that is the run's artifact, the next run's
 * baseline and the webhook body. Its schema is the contract for everything that reads it later.
 */
import { z } from 'zod'
import { UserError } from './errors.js'
import { readUserTextFile } from './files.js'
import { loadShapeHash } from './config/load-shape.js'
import type { Config } from './config/schema.js'
import type { TestPlan } from './plan/plan.js'
import { PlanSectionSchema, SKIPPED_LISTED_MAX, type PlanSection } from './plan/analysis.js'
import { peakVus, totalDurationMs, type BreakpointReport } from './plan/profiles.js'
import { SpikeSectionSchema, StressSectionSchema, type SpikeSection, type StressSection } from './plan/phase-sections.js'
import { PERCENTILES, type Percentile } from './sample-minimums.js'
import type { EndpointSli, RunSli } from './sli.js'
import type { Verdict } from './verdict.js'

export const RESULTS_SCHEMA = 'perf-xi/results@1'

/** Where and when a run happened: plain data, so no stage reaches for the GitHub context. */
export interface RunContext {
  runId: string
  repo?: string
  sha?: string
  ref?: string
  prNumber?: number
  runUrl?: string
  event?: string
  /** The workflow file and job, which with the config file name the run's one PR comment. */
  workflow?: string
  job?: string
}

const nullableNumber = z.number().nullable()
const sliShape = {
  requests: z.number(),
  rps: nullableNumber,
  avg_ms: nullableNumber,
  p50_ms: nullableNumber,
  p90_ms: nullableNumber,
  p95_ms: nullableNumber,
  p99_ms: nullableNumber,
  max_ms: nullableNumber,
  error_rate_pct: nullableNumber,
  /** Percentiles left out (null) for too few samples (src/sample-minimums.ts); absent in files written before the rule. */
  too_few_samples: z.array(z.enum(PERCENTILES as [Percentile, ...Percentile[]])).optional(),
}
const LIMIT_STATUS = z.enum(['pass', 'warn', 'fail', 'no-data', 'too-few-samples'])

export const ResultsFileSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  run: z.object({
    id: z.string(),
    repo: z.string().nullable(),
    sha: z.string().nullable(),
    ref: z.string().nullable(),
    pr: z.number().nullable(),
    url: z.string().nullable(),
    event: z.string().nullable(),
    workflow: z.string().nullable().default(null),
    job: z.string().nullable().default(null),
    config_file: z.string().nullable().default(null),
    /** Hash of the settings that shape the load (src/config/load-shape.ts): runs are compared only with runs of the same shape. */
    load_shape: z.string().nullable().default(null),
    started_at: z.string(),
    finished_at: z.string(),
    k6_version: z.string().nullable(),
    /** k6's own exit code: 0 thresholds held, 99 thresholds crossed, anything else the test did not run properly. */
    k6_exit_code: z.number().nullable(),
    profile: z.string(),
    base_url: z.string(),
    spec: z.string(),
  }),
  summary: z.object({
    vus_max: nullableNumber,
    duration_ms: z.number(),
    planned_duration_ms: z.number(),
    requests_total: z.number(),
    rps_avg: nullableNumber,
    p95_ms: nullableNumber,
    error_rate_pct: nullableNumber,
  }),
  slis: z.array(z.object({ endpoint: z.string(), method: z.string(), ...sliShape, slo_status: LIMIT_STATUS })),
  slo_checks: z.array(
    z.object({
      endpoint: z.string(),
      limit: z.string(),
      threshold: z.number(),
      actual: nullableNumber,
      status: LIMIT_STATUS,
      selector: z.string().nullable(),
      line: z.number().nullable(),
    }),
  ),
  slo_breaches: z.array(z.object({ endpoint: z.string(), limit: z.string(), threshold: z.number(), actual: nullableNumber })),
  regressions: z.array(
    z.object({
      endpoint: z.string(),
      metric: z.string(),
      current: nullableNumber,
      baseline: nullableNumber,
      change: nullableNumber,
      reason: z.string(),
    }),
  ),
  /** The comparison with earlier runs of the base branch; null where none was attempted (push runs, local runs). */
  baseline: z
    .object({
      /** ok, none (no earlier run), unreadable (earlier runs, none readable), too-few (history too short to judge noise). */
      status: z.enum(['ok', 'none', 'unreadable', 'too-few']),
      source: z.string(),
      branch: z.string().nullable(),
      history_runs: z.number(),
      unreadable: z.array(z.object({ run_id: z.string(), reason: z.string() })),
      notes: z.array(z.string()),
      headline: z.string(),
      /** Endpoints re-measured in a confirmation run before being called regressed. */
      confirmed_with_rerun: z.array(z.string()),
      comparisons: z.array(
        z.object({
          endpoint: z.string(),
          metric: z.string(),
          state: z.enum(['regressed', 'improved', 'unchanged', 'insufficient-history', 'no-baseline', 'no-data']),
          current: nullableNumber,
          baseline: nullableNumber,
          relative_change: nullableNumber,
          gating: z.boolean(),
          reason: z.string(),
        }),
      ),
    })
    .nullable()
    .default(null),
  error_budget: z
    .object({
      window: z.string(),
      target_pct: z.number(),
      runs_counted: z.number(),
      requests: z.number(),
      allowed_failures: z.number(),
      failures: z.number(),
      consumed_pct: z.number(),
      status: z.enum(['ok', 'warning', 'exhausted']),
      reason: z.string(),
    })
    .nullable()
    .default(null),
  /** For the breakpoint profile: the arrival rate at which an SLO first failed. */
  breakpoint: z
    .object({
      status: z.enum(['reached', 'not-reached']),
      rate: z.number(),
      max_rate: z.number(),
      elapsed_ms: z.number(),
      dropped_iterations: z.number(),
      reason: z.string(),
    })
    .nullable()
    .default(null),
  /** For the stress profile: the breaking point, the stages' figures and the recovery (src/plan/phase-criteria.ts). */
  stress: StressSectionSchema.nullable().default(null),
  /** For the spike profile: errors during the spike and the recovery, its pass criteria. */
  spike: SpikeSectionSchema.nullable().default(null),
  /**
   * Whether the run measured what it planned (src/liveness.ts): the answers read while k6 ran and
   * what was found in them; null for runs of the user's own scripts and for files from before it.
   */
  liveness: z
    .object({
      /** k6's own test-run duration, graceful stop included; null when its summary did not tell. */
      measured_duration_ms: nullableNumber,
      /** Points of the answers-over-time series read from k6's REST API. */
      samples: z.number(),
      /** Whether endpoints were read one by one (up to 50) or only the run as a whole. */
      per_endpoint: z.boolean(),
      /** Open model: iterations k6 could not start, each a request not sent. */
      dropped_iterations: z.number(),
      findings: z.array(
        z.object({
          kind: z.enum(['silence', 'collapse', 'short-run', 'dropped']),
          status: z.enum(['fail', 'error']),
          endpoint: z.string().nullable(),
          reason: z.string(),
        }),
      ),
    })
    .nullable()
    .default(null),
  /** What was planned and why: every endpoint's category, reasons, weight and SLO, and each category's scenario (its VUs or rate, think time). */
  plan: PlanSectionSchema.nullable().default(null),
  /** The first SKIPPED_LISTED_MAX skipped endpoints, with why: a spec of thousands of operations must not make a results file of megabytes. */
  skipped: z.array(z.object({ endpoint: z.string(), reason: z.string() })),
  /** Skipped endpoints beyond those listed, only counted. */
  skipped_not_listed: z.number().default(0),
  verdict: z.enum(['pass', 'warn', 'fail', 'error']),
  reasons: z.array(z.string()),
  ci_gate: z.enum(['pass', 'fail']),
})
export type ResultsFile = z.infer<typeof ResultsFileSchema>

/**
 * A results file written by a run (mode comment reads one from an untrusted run): one line naming
 * the file and the first field that is wrong, never a raw parser or schema dump.
 */
export function readResultsFile(file: string): ResultsFile {
  const text = readUserTextFile(file, 'input results-file')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new UserError(`not a Perf-Xi results file: invalid JSON (${(err as Error).message})`, { file })
  }
  const parsed = ResultsFileSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(the whole file)'
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem${parsed.error.issues.length === 2 ? '' : 's'})` : ''
  throw new UserError(`not a Perf-Xi results file: ${field}: ${issue.message.replace(/^Invalid input: /, '')}${more}`, { file })
}

export interface ResultsInput {
  context: RunContext
  config: Config
  /** The generated plan; absent when the user's own k6 scripts ran instead. */
  plan?: TestPlan
  k6Version: string | null
  k6ExitCode: number | null
  startedAt: Date
  finishedAt: Date
  wallTimeMs: number
  slis: EndpointSli[]
  total: RunSli
  verdict: Verdict
  gateFails: boolean
  breakpoint?: BreakpointReport
  planSection?: PlanSection
  /** What the stress profile found: its reason and recovery lead the verdict's reasons. */
  stress?: StressSection
  /** The spike profile's criteria; the verdict already carries their outcome (withProfileCriteria). */
  spike?: SpikeSection
  /** What the run's answers over time showed; the verdict already carries the findings. */
  liveness?: ResultsFile['liveness']
}

export function buildResults(input: ResultsInput): ResultsFile {
  const { context, config, plan, verdict } = input
  return {
    schema: RESULTS_SCHEMA,
    run: {
      id: context.runId,
      repo: context.repo ?? null,
      sha: context.sha ?? null,
      ref: context.ref ?? null,
      pr: context.prNumber ?? null,
      url: context.runUrl ?? null,
      event: context.event ?? null,
      workflow: context.workflow ?? null,
      job: context.job ?? null,
      config_file: config.configFile ?? null,
      load_shape: loadShapeHash(config),
      started_at: input.startedAt.toISOString(),
      finished_at: input.finishedAt.toISOString(),
      k6_version: input.k6Version,
      k6_exit_code: input.k6ExitCode,
      profile: plan?.profile ?? 'scripts',
      base_url: plan?.baseUrl ?? config.baseUrl ?? '',
      spec: config.scripts ? config.scripts.join(', ') : config.openapi,
    },
    summary: {
      vus_max: input.total.vus_max ?? (plan ? peakVus(plan.executor) : null),
      duration_ms: input.wallTimeMs,
      planned_duration_ms: plan ? totalDurationMs(plan.executor) : input.wallTimeMs,
      requests_total: input.total.requests,
      rps_avg: input.total.rps,
      p95_ms: input.total.p95_ms,
      error_rate_pct: input.total.error_rate_pct,
    },
    slis: input.slis.map((sli) => ({ ...sli, slo_status: verdict.endpointStatus[sli.endpoint] ?? 'pass' })),
    slo_checks: verdict.checks.map((c) => ({
      endpoint: c.endpoint,
      limit: c.limit,
      threshold: c.threshold,
      actual: c.actual,
      status: c.status,
      selector: c.source?.selector ?? null,
      line: c.source?.line ?? null,
    })),
    slo_breaches: verdict.checks
      .filter((c) => c.status === 'fail')
      .map((c) => ({ endpoint: c.endpoint, limit: c.limit, threshold: c.threshold, actual: c.actual })),
    regressions: [],
    baseline: null,
    error_budget: null,
    breakpoint: input.breakpoint
      ? {
          status: input.breakpoint.status,
          rate: input.breakpoint.rate,
          max_rate: input.breakpoint.maxRate,
          elapsed_ms: input.breakpoint.elapsedMs,
          dropped_iterations: input.breakpoint.droppedIterations,
          reason: input.breakpoint.reason,
        }
      : null,
    stress: input.stress ?? null,
    spike: input.spike ?? null,
    liveness: input.liveness ?? null,
    plan: input.planSection ?? null,
    skipped: (plan?.skipped ?? []).slice(0, SKIPPED_LISTED_MAX).map((s) => ({ endpoint: s.key, reason: s.reason })),
    skipped_not_listed: Math.max(0, (plan?.skipped.length ?? 0) - SKIPPED_LISTED_MAX),
    verdict: verdict.status,
    // The breaking point is what a breakpoint or stress run is for: it leads the reasons.
    reasons: [
      ...(input.breakpoint ? [input.breakpoint.reason] : []),
      ...(input.stress ? [input.stress.reason, input.stress.recovery.reason] : []),
      ...verdict.reasons,
    ],
    ci_gate: input.gateFails ? 'fail' : 'pass',
  }
}
