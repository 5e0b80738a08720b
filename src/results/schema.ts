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
// The model-written analysis (optional: Claude through the Messages API, src/analyst/). These
// schemas are also the tools' input schemas, so what the model may answer is what the file keeps.
// Lengths are bounded: a runaway answer cannot swell the comment.
// ---------------------------------------------------------------------------

const modelText = (max: number) => z.string().min(1).max(max)
const evidenceList = z.array(modelText(300)).min(1).max(4).describe('Figures from the input that support it, each one short sentence quoting the numbers')

/** Per regressed or breached endpoint: the likely causes, most likely first, and what to check first. */
export const PullRequestAnalysisAnswerSchema = z.object({
  endpoints: z
    .array(
      z.object({
        endpoint: modelText(200).describe('The endpoint exactly as named in the figures, e.g. "GET /reports/{id}"'),
        causes: z
          .array(z.object({ cause: modelText(300).describe('A likely cause, in one sentence'), evidence: evidenceList }))
          .min(1)
          .max(4)
          .describe('Likely causes ranked, the most likely first'),
        check_first: modelText(300).describe('The one thing a developer should check first, naming a changed file when one is likely involved'),
      }),
    )
    .max(20),
})
export type PullRequestAnalysisAnswer = z.infer<typeof PullRequestAnalysisAnswerSchema>

/** A capacity run read by the model: a summary, hypotheses about the bottleneck with their evidence, actions. */
export const CapacityAnalysisAnswerSchema = z.object({
  summary: modelText(800).describe('Two or three sentences: how much the API serves within its target and what limits it'),
  bottlenecks: z
    .array(z.object({ hypothesis: modelText(300).describe('What likely limits throughput or latency'), evidence: evidenceList }))
    .max(5)
    .describe('Bottleneck hypotheses, the most likely first'),
  actions: z.array(modelText(300)).max(6).describe('What to do or measure next, most useful first'),
})
export type CapacityAnalysisAnswer = z.infer<typeof CapacityAnalysisAnswerSchema>

export const AnalysisSectionSchema = z.object({
  kind: z.enum(['pull-request', 'capacity']),
  /** written: the model answered and the answer passed validation; skipped: see note. */
  status: z.enum(['written', 'skipped']),
  model_used: z.string().nullable(),
  input_tokens: nullableNumber,
  output_tokens: nullableNumber,
  /** Why there is no analysis, one line (a fork's pull request has no secrets, the API's answer, …). */
  note: z.string().nullable(),
  pull_request: PullRequestAnalysisAnswerSchema.nullable(),
  capacity: CapacityAnalysisAnswerSchema.nullable(),
})
export type AnalysisSection = z.infer<typeof AnalysisSectionSchema>

// ---------------------------------------------------------------------------
// The diagnosis section (src/analyst/diagnosis.ts builds it): why breached or regressed endpoints did
// ---------------------------------------------------------------------------

/**
 * How a flagged endpoint changed against the base branch: the whole latency distribution moved
 * (p50 with p95/p99), only its tail (p95/p99 with p50 flat), only its median (p50 with p95/p99
 * flat), its error rate instead of its latency, its throughput alone, nothing beyond noise, or no
 * base-branch figures to compare with.
 */
export const DiagnosisShapeSchema = z.enum(['whole-distribution', 'tail', 'median', 'errors', 'throughput', 'unchanged', 'no-baseline'])
export type DiagnosisShape = z.infer<typeof DiagnosisShapeSchema>

/** One percentile before (the base branch's median run) and after; change is relative (0.95 = +95 %). */
const percentileChange = z.object({ before: nullableNumber, after: nullableNumber, change: nullableNumber })

/**
 * Failed answers of one kind: `code` is an HTTP status ("503"), a status class for the rarer ones
 * when they were several ("4xx", "5xx", with `codes` the lowest and highest seen), or an answer
 * that never came ("timeout", "connection-refused", "connection-reset", "network-error");
 * `retry_after` counts those that carried Retry-After.
 */
export const AnswerErrorSchema = z.object({
  code: z.string(),
  count: z.number(),
  /** For a status class: the range of the statuses it counted (405–418), when the run knew it. */
  codes: z.object({ min: z.number(), max: z.number() }).optional(),
  label: z.string(),
  retry_after: z.number(),
  /** Not seen on this endpoint in the base branch's runs that recorded failures. */
  new: z.boolean(),
})
export type AnswerError = z.infer<typeof AnswerErrorSchema>

/** What several flagged endpoints have in common. */
export const SharedTraitSchema = z.object({
  kind: z.enum(['path-prefix', 'tag', 'category', 'server']),
  value: z.string(),
  endpoints: z.array(z.string()),
})
export type SharedTrait = z.infer<typeof SharedTraitSchema>

export const EndpointDiagnosisSchema = z.object({
  endpoint: z.string(),
  /** Why it is diagnosed: it breached an SLO, regressed against the base branch, or both. */
  flagged: z.array(z.enum(['breached', 'regressed'])),
  shape: DiagnosisShapeSchema,
  /** The one line the pull-request comment shows. */
  headline: z.string(),
  latency: z.object({ p50: percentileChange, p95: percentileChange, p99: percentileChange }),
  error_rate_pct: z.object({ before: nullableNumber, after: nullableNumber }),
  errors: z.array(AnswerErrorSchema),
  /**
   * Successful answers per second fell while latency rose, by more than the longer waits explain
   * (Little's law): the endpoint, or what is behind it, ran out of capacity.
   */
  saturation: z.object({ rps_before: z.number(), rps_after: z.number(), rps_change: z.number(), p95_change: z.number() }).optional(),
  /** The traits it shares with other flagged endpoints (see RunDiagnosis.shared). */
  shared: z.array(z.string()).optional(),
})
export type EndpointDiagnosis = z.infer<typeof EndpointDiagnosisSchema>

export const DiagnosisSectionSchema = z.object({
  endpoints: z.array(EndpointDiagnosisSchema),
  shared: z.array(SharedTraitSchema),
  /**
   * Every endpoint's failed answers by kind, flagged or not (only those with failures): the next
   * run tells new error codes from ones the base branch already had.
   */
  failures: z.array(z.object({ endpoint: z.string(), errors: z.array(AnswerErrorSchema.pick({ code: true, count: true, codes: true, retry_after: true })) })),
})
export type DiagnosisSection = z.infer<typeof DiagnosisSectionSchema>

// ---------------------------------------------------------------------------
// Capacity mode (mode: capacity, src/capacity/section.ts builds it): the stepped run, the model, the answers
// ---------------------------------------------------------------------------

const money = z.object({ amount: z.number(), currency: z.string() })
/** A 95 % confidence interval; an unbounded end is null. */
const interval = z.object({ value: z.number(), low: nullableNumber, high: nullableNumber })
const statusCounts = z.record(z.string(), z.number())
const levelFigures = {
  requests: z.number(),
  failures: z.number(),
  rps: z.number(),
  mean_ms: z.number(),
  p50_ms: z.number(),
  p95_ms: z.number(),
  p99_ms: z.number(),
  error_rate_pct: z.number(),
  /** HTTP status → responses; "0": no response (timeout, reset). */
  statuses: statusCounts,
}

export const CapacitySectionSchema = z.object({
  target_rps: z.number(),
  target_p95_ms: z.number(),
  replicas: z.number(),
  replica_cost: money.nullable(),
  headroom_pct: z.number(),
  /** Z of Little's law: the think time of the run's mix. */
  think_time_ms: z.number(),
  auto: z.boolean(),
  levels_planned: z.array(z.number()),
  level_duration_ms: z.number(),
  warm_up_ms: z.number(),
  /** Each level measured, the warm-up excluded; k6_cpu_cores null where it could not be read. */
  levels: z.array(
    z.object({
      level: z.number(),
      vus: z.number(),
      measured_s: z.number(),
      ...levelFigures,
      dropped_iterations: z.number(),
      k6_cpu_cores: nullableNumber,
      endpoints: z.array(z.object({ endpoint: z.string(), ...levelFigures })),
    }),
  ),
  stopped_early: z.object({ kind: z.enum(['far-past', 'auto']), reason: z.string() }).nullable(),
  /** When the load generator, not the API, was the limit, no capacity figure is given (current_capacity_rps null). */
  load_generator: z.object({ limited: z.boolean(), findings: z.array(z.object({ sign: z.string(), detail: z.string() })) }),
  current_capacity_rps: nullableNumber,
  /** interpolated, measured, below-first-level, above-last-level-extrapolated. */
  capacity_method: z.string(),
  capacity_reason: z.string(),
  /** Every level met the target: the API serves at least current_capacity_rps. */
  capacity_is_lower_bound: z.boolean(),
  /** What the measured figures reached, also when no capacity figure is given. */
  measured_max_rps: z.number(),
  scaling_factor: nullableNumber,
  replicas_needed: nullableNumber,
  target_met_with_current_replicas: z.boolean().nullable(),
  estimated_cost_delta: money.nullable(),
  confidence: z.number(),
  confidence_parts: z.object({ fit: nullableNumber, precision: nullableNumber, reach: z.number() }),
  /** usl, or none with model.reason. */
  model_used: z.string(),
  model: z.object({
    kind: z.enum(['usl', 'none']),
    reason: z.string().nullable(),
    detail: z.string().nullable(),
    lambda: interval.nullable(),
    sigma: interval.nullable(),
    kappa: interval.nullable(),
    r_squared: nullableNumber,
    peak_concurrency: nullableNumber,
    /** ceiling ÷ λ: where linear scaling meets the ceiling; on an API with a fixed pool, the knee near its size. */
    knee_concurrency: nullableNumber.optional(),
    ceiling_rps: nullableNumber,
    converged: z.boolean().nullable(),
    on_bound: z.array(z.string()),
  }),
  /** The modelled curve: measured concurrencies and projected ones beyond. */
  curve: z.array(z.object({ vus: z.number(), rps: z.number(), mean_ms: z.number(), p95_ms: nullableNumber, projected: z.boolean() })),
  projected_p95_at_target: z
    .object({ replicas: z.number(), at_rps: z.number(), vus: z.number(), mean_ms: z.number(), p95_ms: z.number(), within_measured_range: z.boolean() })
    .nullable(),
  latency_checks: z.array(
    z.object({
      level: z.number(),
      vus: z.number(),
      measured_mean_ms: z.number(),
      little_mean_ms: z.number(),
      model_mean_ms: nullableNumber,
      agrees: z.boolean(),
    }),
  ),
  attribution: z.object({
    fastest_growing: z.string().nullable(),
    first_to_fail: z.string().nullable(),
    endpoints: z.array(
      z.object({
        endpoint: z.string(),
        p95_slope_ms_per_vu: z.number(),
        p95_growth_ratio: z.number(),
        latency_share: z.number(),
        first_failing_level: nullableNumber,
        first_failing_vus: nullableNumber,
        failing_statuses: statusCounts,
      }),
    ),
  }),
  recommendations: z.array(z.object({ rule: z.string(), text: z.string(), evidence: z.array(z.string()) })),
  notes: z.array(z.string()),
  /** The latest earlier capacity run of the same workflow (found as baselines are). */
  trend: z
    .object({ previous_rps: z.number(), previous_at: z.string(), previous_ref: z.string().nullable(), change_pct: z.number(), text: z.string() })
    .nullable(),
})
export type CapacitySection = z.infer<typeof CapacitySectionSchema>

// ---------------------------------------------------------------------------
// SLO recommendations from the base branch's history (src/analyst/slo-recommendations.ts builds it)
// ---------------------------------------------------------------------------

/** The limits a recommendation proposes: latency at the tail, and the error rate. */
export const RECOMMENDED_LIMITS = ['p95', 'p99', 'error-rate'] as const
export type RecommendedLimit = (typeof RECOMMENDED_LIMITS)[number]

/**
 * Proposed SLOs with their backtest, and the SLOs in force that flap or catch nothing. `status`
 * too-few-runs: fewer usable runs than `runs_needed`; nothing is proposed.
 */
export const SloRecommendationsSchema = z.object({
  status: z.enum(['ok', 'too-few-runs']),
  runs_needed: z.number(),
  /** Readable base-branch runs of the same load shape that ran properly. */
  runs_used: z.number(),
  source: z.string(),
  branch: z.string().nullable(),
  /** The prediction bound's one-sided confidence (0.95) and the margin it is multiplied by (1.2). */
  confidence: z.number(),
  margin: z.number(),
  /** Whether every SLO limit in force came from the defaults (no line of a config file sets it). */
  only_defaults: z.boolean(),
  /** History entries not used, each named with why: unreadable, another load shape, a run that did not run properly. */
  left_out: z.array(z.object({ run_id: z.string(), kind: z.enum(['unreadable', 'other-shape', 'did-not-run']), reason: z.string() })),
  endpoints: z.array(
    z.object({
      endpoint: z.string(),
      limits: z.array(
        z.object({
          limit: z.enum(RECOMMENDED_LIMITS),
          /** The proposed limit, rounded up to a number a person would write: ms, or percent for error-rate. */
          value: z.number(),
          /** The upper prediction bound before the margin and the rounding. */
          bound: z.number(),
          /** The history's median of the figure. */
          median: z.number(),
          /** Runs that measured the figure. */
          runs: z.number(),
          /** Backtest: how many of those runs the proposed limit would have failed. */
          failed_runs: z.number(),
          /** The smallest regression that still breaches it: value ÷ median for latency, value − median in percentage points for error-rate. */
          smallest_caught: z.number(),
        }),
      ),
      /** Limits not proposed, with why (e.g. measured in too few runs). */
      notes: z.array(z.string()),
    }),
  ),
  /** SLO limits in force that failed in more than 20 % of the runs (flapping) or that a doubling would not breach (catches-nothing). */
  gates_in_force: z.array(
    z.object({
      endpoint: z.string(),
      limit: z.string(),
      threshold: z.number(),
      selector: z.string().nullable(),
      line: z.number().nullable(),
      kind: z.enum(['flapping', 'catches-nothing']),
      runs: z.number(),
      failed_runs: z.number(),
      median: z.number().nullable(),
      reason: z.string(),
    }),
  ),
  /** One line: what a reader needs first (or, for too-few-runs, how many runs are needed and how many there are). */
  headline: z.string(),
})
export type SloRecommendations = z.infer<typeof SloRecommendationsSchema>

// ---------------------------------------------------------------------------
// The drift section (src/verdict/drift-section.ts builds it): trends within a long run
// ---------------------------------------------------------------------------

export const DriftSectionSchema = z.object({
  /** none: no drift found; drift: findings; fail: past max-drift; too-few-windows: not tested. */
  status: z.enum(['none', 'drift', 'fail', 'too-few-windows']),
  reason: z.string(),
  window_ms: z.number(),
  /** Windows tested and the span they cover, from the test's start (warm-up and ramps left out). */
  windows: z.number(),
  from_ms: z.number(),
  to_ms: z.number(),
  method: z.literal('mann-kendall-hamed-rao'),
  /** A trend counts below this p-value. */
  p_below: z.number(),
  max_drift_pct: nullableNumber,
  /** Series tested: endpoints × metrics (p95, error rate, throughput) with data. */
  tested: z.number(),
  findings: z.array(
    z.object({
      endpoint: z.string(),
      metric: z.enum(['p95', 'error-rate', 'throughput']),
      sentence: z.string(),
      p: z.number(),
      /** Sen's slope per hour: ms, percentage points or req/s. */
      slope_per_hour: z.number(),
      first_quarter: z.number(),
      last_quarter: z.number(),
      /** Last quarter against the first: percent (p95, throughput) or points (error rate); null when the first quarter was 0. */
      change: nullableNumber,
      breach: z.boolean(),
    }),
  ),
  /** The windows of the endpoints with findings, for the chart. */
  series: z.array(z.object({ endpoint: z.string(), p95_ms: z.array(nullableNumber), error_rate_pct: z.array(nullableNumber), rps: z.array(z.number()) })),
})
export type DriftSection = z.infer<typeof DriftSectionSchema>

// ---------------------------------------------------------------------------
// The file
// ---------------------------------------------------------------------------

/** A run on Grafana Cloud k6: cloud (k6 cloud run, figures from Grafana's API) or cloud-local (k6 here, streamed to Grafana). */
export const CloudSectionSchema = z.object({
  runner: z.enum(['cloud', 'cloud-local']),
  /** Grafana Cloud k6's test run id; null when k6 did not get as far as creating it. */
  test_run_id: z.string().nullable(),
  url: z.string().nullable(),
  /** The v6 API's status (completed, aborted) and result (passed, failed, error); null for cloud-local, whose figures are local. */
  status: z.string().nullable(),
  result: z.string().nullable(),
  /** Grafana's own words on how the run ended, when it said any. */
  message: z.string().nullable(),
  load_zones: z.array(z.object({ zone: z.string(), percent: z.number() })),
})
export type CloudSection = z.infer<typeof CloudSectionSchema>

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
  /** Drift within a long run (soak, or 10 minutes or more): absent for other runs and for files from before it. */
  drift: DriftSectionSchema.optional(),
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
  /** Why breached or regressed endpoints did (src/analyst/diagnosis.ts); absent when nothing was flagged or in files from before it. */
  diagnosis: DiagnosisSectionSchema.optional(),
  /** What was planned and why: every endpoint's category, reasons, weight and SLO, and each category's scenario (its VUs or rate, think time). */
  plan: PlanSectionSchema.nullable().default(null),
  /** The first SKIPPED_LISTED_MAX skipped endpoints, with why: a spec of thousands of operations must not make a results file of megabytes. */
  skipped: z.array(z.object({ endpoint: z.string(), reason: z.string() })),
  /** Skipped endpoints beyond those listed, only counted. */
  skipped_not_listed: z.number().default(0),
  /** SLOs proposed from the base branch's history, when the SLOs in force are only defaults; absent otherwise and in files from before. */
  slo_recommendations: SloRecommendationsSchema.optional(),

  // ---- Change points in the base branch's history (src/baseline/change-points.ts) ----
  /**
   * Step changes found per endpoint and metric in the history compared with: the latest of each,
   * where it began (run, commit) and the runs since, which this run was compared with instead of
   * the whole history. Absent where no history was compared and in files from before it.
   */
  change_points: z
    .object({
      /** too-few: fewer than min_runs comparable runs, nothing looked for. */
      status: z.enum(['ok', 'too-few']),
      runs: z.number(),
      min_runs: z.number(),
      method: z.string(),
      shifts: z.array(
        z.object({
          endpoint: z.string(),
          metric: z.string(),
          run_id: z.string(),
          sha: z.string().nullable(),
          finished_at: z.string(),
          runs_since: z.number(),
          before: z.number(),
          after: z.number(),
          relative_change: nullableNumber,
          p_value: z.number(),
        }),
      ),
    })
    .optional(),
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
      /** Present when one runner would have judged the run for drift (src/verdict/drift.ts): shards keep no per-endpoint windows. */
      drift_judged: z.literal(false).optional(),
    })
    .optional(),
  verdict: VerdictStatusSchema,
  reasons: z.array(z.string()),
  ci_gate: z.enum(['pass', 'fail']),
  /** Capacity mode only: the capacity report (absent in gate runs). */
  capacity: CapacitySectionSchema.optional(),
  /** The model-written analysis, when a key was given and there was something to explain; it never changes a figure or the verdict. */
  analysis: AnalysisSectionSchema.optional(),
  /** Runs on Grafana Cloud k6 (runner cloud or cloud-local): the test run, its address and how Grafana ended it; absent for local runs. */
  cloud: CloudSectionSchema.optional(),
})
export type ResultsFile = z.infer<typeof ResultsFileSchema>
