/**
 * The results file's contract, `perf-xi/results@1`: one versioned JSON document that is the run's
 * artifact, the next run's baseline and the webhook body. Every status and SLI shape a stage uses
 * is declared here once and derived elsewhere. A leaf: zod only, so no stage can change the format.
 */
import { z } from 'zod'

export const RESULTS_SCHEMA = 'perf-xi/results@1'

const nullableNumber = z.number().nullable()

// ---------------------------------------------------------------------------
// Statuses and SLIs, as every stage reads them
// ---------------------------------------------------------------------------

/** One SLO limit judged: pass, warn (within 10 % of it), fail, or no-data when k6 did not measure it. */
export const LimitStatusSchema = z.enum(['pass', 'warn', 'fail', 'no-data', 'too-few-samples'])
export type LimitStatus = z.infer<typeof LimitStatusSchema>

/** The run's verdict: error when the test did not run properly or could not be judged, else the worst limit. */
export const VerdictStatusSchema = z.enum(['pass', 'warn', 'fail', 'error'])
export type VerdictStatus = z.infer<typeof VerdictStatusSchema>

/**
 * One endpoint's metric against the base branch's runs:
 * - regressed / improved / unchanged: judged against at least `min-history` base-branch runs;
 * - insufficient-history: fewer runs measured it; the change is reported but not judged;
 * - no-baseline: no readable base-branch run measured it;
 * - no-data: this run did not measure it (no requests, the statistic missing, or, for the error
 *   rate, too few requests).
 */
export const ComparisonStateSchema = z.enum(['regressed', 'improved', 'unchanged', 'insufficient-history', 'no-baseline', 'no-data'])
export type ComparisonState = z.infer<typeof ComparisonStateSchema>

/** ok, none (no earlier run), unreadable (earlier runs, none readable), too-few (history too short to judge noise). */
export const HistoryStatusSchema = z.enum(['ok', 'none', 'unreadable', 'too-few'])
export type HistoryStatus = z.infer<typeof HistoryStatusSchema>

export const BudgetStatusSchema = z.enum(['ok', 'warning', 'exhausted'])
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>

/** A load profile's own pass criterion (spike: errors during the spike, recovery): no-data when too few requests. */
export const CriterionStatusSchema = z.enum(['pass', 'fail', 'no-data'])
export type CriterionStatus = z.infer<typeof CriterionStatusSchema>

/** What the run's answers over time showed (src/liveness.ts). */
export const LivenessKindSchema = z.enum(['silence', 'collapse', 'short-run', 'dropped'])
export type LivenessKind = z.infer<typeof LivenessKindSchema>

/** The planning model's endpoint categories (src/plan/analysis.ts). */
export const ENDPOINT_CATEGORIES = ['standard', 'critical', 'data-intensive'] as const
export type EndpointCategory = (typeof ENDPOINT_CATEGORIES)[number]

/** Skipped endpoints a results file names (with their analysis and reason); the rest are counted. */
export const SKIPPED_LISTED_MAX = 100

/** The percentiles an SLI reports, each only from enough samples (src/sample-minimums.ts). */
export const PercentileSchema = z.enum(['p50', 'p90', 'p95', 'p99'])
export type Percentile = z.infer<typeof PercentileSchema>

/** Service level indicators of an endpoint or the whole run; a statistic k6 did not report is null, never guessed. */
export const SliSchema = z.object({
  requests: z.number(),
  rps: nullableNumber,
  avg_ms: nullableNumber,
  p50_ms: nullableNumber,
  p90_ms: nullableNumber,
  p95_ms: nullableNumber,
  p99_ms: nullableNumber,
  max_ms: nullableNumber,
  error_rate_pct: nullableNumber,
  /** Percentiles left out (null) for too few samples; absent in files written before the rule. */
  too_few_samples: z.array(PercentileSchema).optional(),
})
export type Sli = z.infer<typeof SliSchema>

export const EndpointSliSchema = z.object({
  /** "GET /users/{id}", the endpoint key. */
  endpoint: z.string(),
  method: z.string(),
  ...SliSchema.shape,
})
export type EndpointSli = z.infer<typeof EndpointSliSchema>

// ---------------------------------------------------------------------------
// The plan section: what was planned and why (src/plan/plan-section.ts builds it)
// ---------------------------------------------------------------------------

const limitsRecord = z.record(z.string(), z.number())
const categoryDefaultsJson = z.object({
  vus: z.number(),
  think_time_ms: z.number(),
  slo: limitsRecord,
})

/** One k6 scenario: a category's endpoints with its share of the profile's load. */
const scenarioJson = z.object({
  /** The k6 scenario's name: standard, critical or data_intensive. */
  name: z.string(),
  category: z.enum(ENDPOINT_CATEGORIES),
  endpoints: z.array(z.string()),
  vus_per_endpoint: z.number(),
  /** vus_per_endpoint × the sum of its endpoints' weights. */
  demand: z.number(),
  /** Its fraction of the profile's load: demand / all categories' demand. */
  share: z.number(),
  executor: z.string(),
  /** Closed model: the most VUs it runs; open model: its maxVUs. */
  peak_vus: z.number(),
  /** Open model: its peak arrival rate, iterations/s; null in the closed model. */
  peak_rate: z.number().nullable(),
  think_time_ms: z.number(),
})

/**
 * The analysis as the results file carries it (snake_case, like the rest of the file): every
 * endpoint of the spec, planned or skipped, with its category, the reason, its weight and the SLO
 * and request it ran with, and the scenario each category ran as. In ResultsFileSchema as
 * `plan: PlanSectionSchema.nullable().default(null)`, so results written before it existed still parse.
 */
export const PlanSectionSchema = z.object({
  categories: z.object({ standard: categoryDefaultsJson, critical: categoryDefaultsJson, 'data-intensive': categoryDefaultsJson }),
  /** Results written before categories had scenarios of their own have none. */
  scenarios: z.array(scenarioJson).default([]),
  endpoints: z.array(
    z.object({
      endpoint: z.string(),
      method: z.string(),
      path: z.string(),
      category: z.enum(ENDPOINT_CATEGORIES),
      forced_by: z.string().nullable(),
      why: z.string(),
      access: z.enum(['read', 'write']),
      /** Critical keywords found, e.g. "search (path, tag)". */
      critical: z.array(z.string()),
      /** Data-intensive keywords and body signals found. */
      data_intensive: z.array(z.string()),
      auth_required: z.boolean(),
      complexity: z.object({
        score: z.number(),
        level: z.enum(['low', 'medium', 'high']),
        params: z.number(),
        path_depth: z.number(),
        body_bytes: z.number(),
        body_depth: z.number(),
      }),
      /** The user's weight: its share of its category's iterations; null when skipped (it sent nothing). */
      weight: z.number().nullable(),
      planned: z.boolean(),
      skipped_reason: z.string().nullable(),
      /** Whether the configured auth was sent (false for skipped endpoints). */
      auth_sent: z.boolean(),
      /** The SLO it ran under (null when skipped), and for each limit the selector it came from ("category:critical" for a category default). */
      slo: limitsRecord.nullable(),
      slo_from: z.record(z.string(), z.string()).nullable(),
      /** Method and path with sample values; dataset values as {data:column}. */
      request: z.string().nullable(),
      data: z.array(z.object({ name: z.string(), in: z.enum(['path', 'query', 'body']), column: z.string() })),
      /**
       * Parameter values the spec does not give (the dataset's left out): harvested in the script's
       * setup() from another endpoint (`from`), or invented (`why`). Absent in results written before.
       */
      values: z
        .array(
          z.object({
            name: z.string(),
            in: z.string(),
            source: z.enum(['harvested', 'invented']),
            from: z.string().nullable(),
            why: z.string().nullable(),
            note: z.string(),
          }),
        )
        .default([]),
    }),
  ),
  dataset: z
    .object({
      file: z.string(),
      format: z.enum(['csv', 'json']),
      rows: z.number(),
      columns: z.array(z.string()),
      unused_columns: z.array(z.string()),
    })
    .nullable(),
  /** Skipped endpoints left out of `endpoints` beyond the first SKIPPED_LISTED_MAX, only counted. */
  skipped_not_listed: z.number().default(0),
})
export type PlanSection = z.infer<typeof PlanSectionSchema>

// ---------------------------------------------------------------------------
// The stress and spike sections (src/plan/phase-sections.ts builds them)
// ---------------------------------------------------------------------------

/** The unit of a profile's planned load. */
export const LoadUnitSchema = z.enum(['VUs', 'iterations/s'])
export type LoadUnit = z.infer<typeof LoadUnitSchema>

/** Requests, throughput, p95, errors and the VUs k6 reported over a stretch of the run. */
const spanShape = {
  requests: z.number(),
  rps: nullableNumber,
  p95_ms: nullableNumber,
  error_rate_pct: nullableNumber,
  vus_max: nullableNumber,
}

export const StressSectionSchema = z.object({
  /** found, not-found, or too-few-requests (no window had enough requests to judge). */
  status: z.enum(['found', 'not-found', 'too-few-requests']),
  window_ms: z.number(),
  unit: LoadUnitSchema,
  breaking_point: z
    .object({
      at_ms: z.number(),
      /** The VUs k6 reported then. */
      vus: nullableNumber,
      /** The planned load then (VUs or iterations/s, as unit says). */
      target: z.number(),
      criterion: z.enum(['p95', 'error-rate', 'throughput']),
      /** ms for p95, percent for error-rate, req/s for throughput. */
      value: z.number(),
      limit: z.number(),
    })
    .nullable(),
  /** What counted as the breaking point (the design's numbers unless the config's stress: block says otherwise). */
  limits: z.object({ p95_ms: z.number(), error_rate_pct: z.number(), throughput_drop_pct: z.number() }).nullable().default(null),
  /** The highest throughput of any window before the breaking point (of the whole ramp when none). */
  peak_throughput: z.object({ rps: z.number(), at_ms: z.number(), vus: nullableNumber, target: z.number() }).nullable(),
  recovery: z.object({
    status: z.enum(['recovered', 'not-recovered', 'too-few-requests', 'no-recovery-stage']),
    after_ms: nullableNumber,
    reason: z.string(),
  }),
  /** Each stage of the plan with what was measured in it. */
  steps: z.array(
    z.object({
      stage: z.number(),
      from_ms: z.number(),
      to_ms: z.number(),
      start_target: z.number(),
      target: z.number(),
      kind: z.enum(['ramp-up', 'hold', 'ramp-down']),
      ...spanShape,
      breaking: z.boolean(),
    }),
  ),
  reason: z.string(),
})
export type StressSection = z.infer<typeof StressSectionSchema>

export const SpikeSectionSchema = z.object({
  /** The worst of the two criteria: fail fails the gate (as fail-on says), no-data warns. */
  status: CriterionStatusSchema,
  window_ms: z.number(),
  unit: LoadUnitSchema,
  phases: z.array(z.object({ name: z.enum(['before', 'spike', 'recovery']), from_ms: z.number(), to_ms: z.number(), target: z.number(), ...spanShape })),
  baseline: z.object({ p95_ms: z.number(), error_rate_pct: z.number(), requests: z.number() }).nullable(),
  spike_errors: z.object({
    status: CriterionStatusSchema,
    error_rate_pct: nullableNumber,
    limit_pct: z.number(),
    requests: z.number(),
    failed: z.number(),
    reason: z.string(),
  }),
  recovery: z.object({
    status: CriterionStatusSchema,
    after_ms: nullableNumber,
    limit_ms: z.number(),
    p95_limit_ms: nullableNumber,
    error_limit_pct: nullableNumber,
    reason: z.string(),
  }),
})
export type SpikeSection = z.infer<typeof SpikeSectionSchema>

// ---------------------------------------------------------------------------
// The file
// ---------------------------------------------------------------------------

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
  slis: z.array(EndpointSliSchema.extend({ slo_status: LimitStatusSchema })),
  slo_checks: z.array(
    z.object({
      endpoint: z.string(),
      limit: z.string(),
      threshold: z.number(),
      actual: nullableNumber,
      status: LimitStatusSchema,
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
      status: HistoryStatusSchema,
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
          state: ComparisonStateSchema,
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
      status: BudgetStatusSchema,
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
          kind: LivenessKindSchema,
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
  // ---- Sharded runs (src/shards/): present only on the merge of a run split across jobs ----
  /** The shards merged into this file: how many, of which plan, and how far apart they started. */
  shards: z
    .object({
      count: z.number(),
      plan_fingerprint: z.string(),
      /** Between the first and the last shard's resume of k6; null when a shard did not start. */
      start_skew_ms: nullableNumber,
      shards: z.array(
        z.object({
          shard: z.string(),
          status: z.enum(['ok', 'failed', 'missing']),
          requests: z.number(),
          resumed_at: z.string().nullable(),
          reason: z.string().nullable(),
        }),
      ),
      /** Suspected regressions are judged on the merged run: no confirmation re-run. */
      confirmation_rerun: z.literal(false),
    })
    .optional(),
  verdict: VerdictStatusSchema,
  reasons: z.array(z.string()),
  ci_gate: z.enum(['pass', 'fail']),
})
export type ResultsFile = z.infer<typeof ResultsFileSchema>
