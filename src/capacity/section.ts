/**
 * The results file's capacity section (src/results/schema.ts) from a capacity run: what each level
 * measured, the analysis (src/capacity/answers.ts), how the run ended and whether the load
 * generator limited it, and the trend against the latest earlier capacity run. Pure.
 */
import type { CapacitySection, ResultsFile } from '../results/schema.js'
import type { CapacitySettings } from './config.js'
import type { GeneratorFinding } from './generator.js'
import type { StopDecision } from './levels.js'
import { coefficientsOf, uslKneeConcurrency } from './usl.js'
import type { CapacityAnalysis, CapacityLevel, CapacityLevelEndpoint, Interval } from './measurements.js'

export interface SectionInputs {
  settings: CapacitySettings
  thinkTimeMs: number
  levels: readonly CapacityLevel[]
  k6Cores: ReadonlyMap<number, number>
  stopped?: StopDecision
  generator: readonly GeneratorFinding[]
  analysis: CapacityAnalysis
}

export function capacitySection(input: SectionInputs): CapacitySection {
  const { settings, analysis } = input
  const limited = input.generator.length > 0
  const model = analysis.model
  const fit = model.kind === 'usl' ? model.fit : model.fit
  const curve = analysis.curve.map((p) => ({
    vus: p.vus,
    rps: round(p.throughputRps),
    mean_ms: round(p.meanMs),
    p95_ms: nullRound(p.p95Ms),
    projected: p.projected,
  }))
  const projected = analysis.projectedP95AtTarget
  return {
    target_rps: settings.targetRps,
    target_p95_ms: settings.targetP95Ms,
    replicas: settings.replicas,
    replica_cost: settings.replicaCost ?? null,
    headroom_pct: round(settings.headroom * 100),
    think_time_ms: round(input.thinkTimeMs),
    auto: settings.auto,
    levels_planned: [...settings.levels],
    level_duration_ms: settings.levelDurationMs,
    warm_up_ms: settings.warmUpMs,
    levels: input.levels.map((l) => ({
      level: l.level,
      vus: l.vus,
      measured_s: round(l.measuredSeconds),
      ...figures({ ...l, statuses: statusesOf(l.endpoints) }),
      dropped_iterations: l.droppedIterations,
      k6_cpu_cores: nullRound(input.k6Cores.get(l.level) ?? null),
      endpoints: l.endpoints.map((e) => ({ endpoint: e.name, ...figures(e) })),
    })),
    stopped_early: input.stopped ? { kind: input.stopped.kind, reason: input.stopped.reason } : null,
    load_generator: { limited, findings: input.generator.map((f) => ({ sign: f.sign, detail: f.detail })) },
    // A run the load generator limited measured k6, not the API: its figure would be false.
    current_capacity_rps: limited ? null : round(analysis.currentCapacityRps),
    capacity_method: analysis.capacity.method,
    capacity_reason: analysis.capacity.reason,
    capacity_is_lower_bound: limited || analysis.capacity.isLowerBound,
    measured_max_rps: round(Math.max(0, ...input.levels.map((l) => l.throughputRps))),
    scaling_factor: limited ? null : nullRound(analysis.scalingFactor),
    replicas_needed: limited ? null : analysis.replicasNeeded,
    target_met_with_current_replicas: limited ? null : analysis.targetMetWithCurrentReplicas,
    estimated_cost_delta:
      limited || !analysis.estimatedCostDelta ? null : { ...analysis.estimatedCostDelta, amount: round(analysis.estimatedCostDelta.amount) },
    confidence: round(analysis.confidence.value),
    confidence_parts: { fit: nullRound(analysis.confidence.fit), precision: nullRound(analysis.confidence.precision), reach: round(analysis.confidence.reach) },
    model_used: model.kind,
    model: {
      kind: model.kind,
      reason: model.kind === 'none' ? model.reason : null,
      detail: model.kind === 'none' ? model.detail : null,
      lambda: fit ? interval(fit.lambda) : null,
      sigma: fit ? interval(fit.sigma) : null,
      kappa: fit ? interval(fit.kappa) : null,
      r_squared: fit ? round(fit.rSquared) : null,
      peak_concurrency: fit ? nullRound(fit.peakConcurrency) : null,
      knee_concurrency: fit ? nullRound(uslKneeConcurrency(coefficientsOf(fit))) : null,
      ceiling_rps: fit ? nullRound(fit.ceilingRps) : null,
      converged: fit ? fit.converged : null,
      on_bound: fit ? [...fit.onBound] : [],
    },
    curve,
    projected_p95_at_target: projected
      ? {
          replicas: projected.replicas,
          at_rps: round(projected.atRps),
          vus: round(projected.vus),
          mean_ms: round(projected.meanMs),
          p95_ms: round(projected.p95Ms),
          within_measured_range: projected.withinMeasuredRange,
        }
      : null,
    latency_checks: analysis.latencyChecks.map((c) => ({
      level: c.level,
      vus: c.vus,
      measured_mean_ms: round(c.measuredMeanMs),
      little_mean_ms: round(c.littleMeanMs),
      model_mean_ms: nullRound(c.modelMeanMs),
      agrees: c.agrees,
    })),
    attribution: {
      fastest_growing: analysis.attribution.fastestGrowing,
      first_to_fail: analysis.attribution.firstToFail,
      endpoints: analysis.attribution.endpoints.map((e) => ({
        endpoint: e.name,
        p95_slope_ms_per_vu: round(e.p95SlopeMsPerVu),
        p95_growth_ratio: round(e.p95GrowthRatio),
        latency_share: round(e.latencyShare),
        first_failing_level: e.firstFailingLevel,
        first_failing_vus: e.firstFailingVus,
        failing_statuses: { ...e.failingStatuses },
      })),
    },
    recommendations: analysis.recommendations.map((r) => ({ rule: r.rule, text: r.text, evidence: [...r.evidence] })),
    notes: [...analysis.notes],
    trend: null,
  }
}

/**
 * The trend against the latest earlier capacity run among `earlier` (newest first or in any order):
 * "capacity 1,840 req/s, 12 % below the run of 2026-11-30 on main". Null when none has a figure.
 */
export function capacityTrend(current: CapacitySection, earlier: readonly ResultsFile[]): CapacitySection['trend'] {
  if (current.current_capacity_rps === null) return null
  const previous = earlier.filter((r) => (r.capacity?.current_capacity_rps ?? 0) > 0).sort((a, b) => (a.run.started_at < b.run.started_at ? 1 : -1))[0]
  if (!previous) return null
  const previousRps = previous.capacity!.current_capacity_rps!
  const changePct = round(((current.current_capacity_rps - previousRps) / previousRps) * 100)
  const date = previous.run.started_at.slice(0, 10)
  const branch = previous.run.ref?.replace(/^refs\/heads\//, '') ?? null
  const direction = Math.abs(changePct) < 0.5 ? 'the same as' : `${Math.abs(Math.round(changePct))} % ${changePct > 0 ? 'above' : 'below'}`
  const text = `capacity ${thousands(current.current_capacity_rps)} req/s, ${direction} the run of ${date}${branch ? ` on ${branch}` : ''} (${thousands(previousRps)} req/s)`
  return { previous_rps: previousRps, previous_at: previous.run.started_at, previous_ref: previous.run.ref, change_pct: changePct, text }
}

function figures(f: Omit<CapacityLevelEndpoint, 'name'>) {
  return {
    requests: f.requests,
    failures: f.failures,
    rps: round(f.throughputRps),
    mean_ms: round(f.meanMs),
    p50_ms: round(f.p50Ms),
    p95_ms: round(f.p95Ms),
    p99_ms: round(f.p99Ms),
    error_rate_pct: f.requests > 0 ? round((f.failures / f.requests) * 100) : 0,
    statuses: { ...f.statuses },
  }
}

function statusesOf(endpoints: readonly CapacityLevelEndpoint[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const e of endpoints) for (const [code, n] of Object.entries(e.statuses)) out[code] = (out[code] ?? 0) + n
  return out
}

function interval(i: Interval) {
  return { value: sig(i.value), low: finite(sig(i.low)), high: finite(sig(i.high)) }
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

function nullRound(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : round(value)
}

/** κ and σ are small: six significant digits rather than three decimals. */
function sig(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : value
}
