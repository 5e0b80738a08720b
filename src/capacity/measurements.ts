/**
 * The capacity analysis contract: what one stepped k6 run measured per concurrency level, what the
 * user asks for, the Universal Scalability Law fit and the answers derived from them. A leaf:
 * it imports nothing, so the runner, the model, the report and the model-written analysis all
 * read the same shapes. Units are in the names (Ms, Rps, Seconds); rates are fractions 0..1.
 */

/** One endpoint at one level, from k6's own data with the warm-up excluded. */
export interface CapacityLevelEndpoint {
  name: string
  requests: number
  failures: number
  throughputRps: number
  meanMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  /** HTTP status → responses; "0" counts requests k6 got no response for (timeouts, resets). */
  statuses: Record<string, number>
}

/** One concurrency level of the stepped run, the whole API at that level. */
export interface CapacityLevel {
  /** 1-based, in the order the run stepped through them. */
  level: number
  vus: number
  /** Seconds measured, the warm-up excluded. */
  measuredSeconds: number
  requests: number
  failures: number
  throughputRps: number
  meanMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  /** failures ÷ requests, 0..1. */
  errorRate: number
  droppedIterations: number
  endpoints: CapacityLevelEndpoint[]
}

/** What the user asks of the API. */
export interface CapacityTargets {
  targetRps: number
  targetP95Ms: number
  /** Instances serving the base URL now (≥ 1). */
  replicas: number
  /** Cost of one instance per month. */
  replicaCost?: { amount: number; currency: string }
  /** Share of each instance's capacity kept free, 0..1 (0.3 = 30 %). */
  headroom: number
  /** Think time per request in the closed model (Z in Little's law). */
  thinkTimeMs: number
  /** The error SLO, 0..1: a level whose error rate is above it does not count as served. */
  errorRateLimit: number
}

/** An estimate with its 95 % confidence interval. */
export interface Interval {
  value: number
  low: number
  high: number
}

/** Gunther's USL X(N) = λN / (1 + σ(N−1) + κN(N−1)) fitted to the measured (N, X) points. */
export interface UslFit {
  /** Throughput of one VU without contention, req/s. */
  lambda: Interval
  /** Contention (serialisation), ≥ 0. */
  sigma: Interval
  /** Coherency (crosstalk), ≥ 0. */
  kappa: Interval
  rSquared: number
  /** N* = √((1−σ)/κ), the concurrency of peak throughput; null when κ = 0 (no peak). */
  peakConcurrency: number | null
  /** X(N*), or λ/σ (the asymptote) when κ = 0 and σ > 0; null when neither bounds throughput. */
  ceilingRps: number | null
  /** Parameters that ended on their bound (0 for σ and κ, 1 for σ). */
  onBound: ('sigma' | 'kappa')[]
  converged: boolean
  iterations: number
  /** Points fitted. */
  points: number
}

/** How the current capacity was found. */
export type CapacityMethod =
  /** Between a level within the target and the next one beyond it. */
  | 'interpolated'
  /** A measured level's own throughput. */
  | 'measured'
  /** Even the first level missed the target: capacity 0. */
  | 'below-first-level'
  /** Every level met the target; the model carries it beyond the last one (a projection). */
  | 'above-last-level-extrapolated'

export interface CurrentCapacity {
  rps: number
  method: CapacityMethod
  /** The concurrency the figure belongs to (interpolated too); null when capacity is 0. */
  vus: number | null
  /** What ends the served range: the p95 target, the error limit, or nothing measured (every level within). */
  limitedBy: 'p95' | 'errors' | 'none'
  /** true when every level met the target and no model could carry it further: the API serves at least this. */
  isLowerBound: boolean
  /** One sentence saying how the figure was found. */
  reason: string
}

/** Why there is no usable model. */
export type NoModelReason = 'too-few-levels' | 'did-not-converge' | 'on-bound' | 'degenerate-data'

export type CapacityModel =
  | { kind: 'usl'; fit: UslFit }
  /** `fit` holds the attempt when one was made (did not converge, on a bound), so the report can show it. */
  | { kind: 'none'; reason: NoModelReason; detail: string; fit: UslFit | null }

/**
 * confidence = fit × precision × reach, each in 0..1 (formula in docs/capacity-model.md):
 * fit = max(0, R²); precision = 1 / (1 + relative change of X(N_max) across the three intervals);
 * reach = 1 when the target is within the measured throughput, else 1 / (1 + ln(target ÷ X_max)).
 * Without a model, fit and precision are null and confidence = 0.25 × reach.
 */
export interface CapacityConfidence {
  value: number
  fit: number | null
  precision: number | null
  reach: number
}

/** Little's law at one level: the mean response time the throughput implies, against the measured mean. */
export interface LatencyCheck {
  level: number
  vus: number
  measuredMeanMs: number
  /** N / X_measured − Z: the run's own consistency. */
  littleMeanMs: number
  /** N / X_model(N) − Z; null without a model. */
  modelMeanMs: number | null
  /** (modelMeanMs − measuredMeanMs) ÷ measuredMeanMs, or from littleMeanMs without a model. */
  relativeError: number
  /** |relativeError| ≤ 25 %. */
  agrees: boolean
}

/** A p95 the model projects rather than measures: always labelled so. */
export interface ProjectedP95 {
  projected: true
  /** Replicas the projection assumes: the current ones, or the replicas needed when the current ones cannot serve the target. */
  replicas: number
  /** Throughput per replica the projection is for: target ÷ replicas. */
  atRps: number
  vus: number
  meanMs: number
  p95Ms: number
  /** Measured p95 ÷ mean used to turn the modelled mean into a p95. */
  p95ToMeanRatio: number
  /** true when the concurrency lies within the measured levels. */
  withinMeasuredRange: boolean
}

/** The modelled curve for charts: measured concurrencies and a few beyond them. */
export interface CurvePoint {
  vus: number
  throughputRps: number
  meanMs: number
  p95Ms: number | null
  /** Beyond the last measured level. */
  projected: boolean
}

export interface EndpointAttribution {
  name: string
  /** Least-squares slope of p95 against concurrency, ms per VU. */
  p95SlopeMsPerVu: number
  /** p95 at the last level ÷ p95 at the first level it was measured. */
  p95GrowthRatio: number
  /** Share of all time spent in requests (requests × mean) at the last level, 0..1. */
  latencyShare: number
  /** The first level whose error rate for this endpoint exceeds the limit; null when none. */
  firstFailingLevel: number | null
  firstFailingVus: number | null
  /** Error statuses at that level (status → count). */
  failingStatuses: Record<string, number>
}

export interface CapacityAttribution {
  endpoints: EndpointAttribution[]
  /** The endpoint whose p95 grows fastest with concurrency; null with fewer than 2 levels. */
  fastestGrowing: string | null
  /** The endpoint that fails at the lowest level (ties: the higher error rate); null when none fails. */
  firstToFail: string | null
}

export type RecommendationRule =
  'contention' | 'coherency' | 'near-linear' | 'rate-limited' | 'over-capacity' | 'timeouts' | 'server-errors' | 'dominant-endpoint'

export interface Recommendation {
  rule: RecommendationRule
  text: string
  /** The figures behind it, each one short sentence. */
  evidence: string[]
}

/** The answers for one capacity run. */
export interface CapacityAnalysis {
  currentCapacityRps: number
  capacity: CurrentCapacity
  targetRps: number
  /** target ÷ current; null when current capacity is 0. */
  scalingFactor: number | null
  /** ⌈target ÷ (current ÷ replicas × (1 − headroom))⌉; null when current capacity is 0. */
  replicasNeeded: number | null
  replicas: number
  /** true when the current replicas serve the target with the headroom kept. */
  targetMetWithCurrentReplicas: boolean
  /** (needed − replicas) × replica cost per month; null without a replica cost or a replica count. */
  estimatedCostDelta: { amount: number; currency: string } | null
  confidence: CapacityConfidence
  model: CapacityModel
  latencyChecks: LatencyCheck[]
  /** The p95 at the target per replica (current replicas, else the replicas needed); null with the reason in `notes`. */
  projectedP95AtTarget: ProjectedP95 | null
  curve: CurvePoint[]
  attribution: CapacityAttribution
  recommendations: Recommendation[]
  /** Assumptions and caveats, each one sentence. */
  notes: string[]
}
