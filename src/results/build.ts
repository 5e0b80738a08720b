/**
 * Building the results file (src/results/schema.ts) from a finished run: the context, the config,
 * the plan, the SLIs and the verdict, in the file's snake_case.
 */
import { loadShapeHash } from '../config/load-shape.js'
import type { Config } from '../config/schema.js'
import type { RunContext } from '../context.js'
import type { TestPlan } from '../plan/plan.js'
import { peakVus, totalDurationMs } from '../plan/profiles.js'
import type { BreakpointReport } from '../verdict/breakpoint.js'
import type { RunSli } from '../sli.js'
import type { Verdict } from '../verdict.js'
import { RESULTS_SCHEMA, SKIPPED_LISTED_MAX, type PlanSection, type ResultsFile, type SpikeSection, type StressSection, type EndpointSli } from './schema.js'

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
