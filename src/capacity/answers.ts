/**
 * The answers of a capacity run from its measured levels and the user's targets: the current capacity
 * (the highest throughput whose p95 and errors stay within the targets, interpolated between levels,
 * projected beyond them only when labelled so), the scaling factor, the replicas and their cost under
 * horizontal scaling, the USL model or why there is none, its confidence, Little's-law checks, the
 * projected p95 at the target, endpoint attribution, recommendations and notes. Pure: data in, data out.
 */
import { fmtLimitMs, fmtMs, fmtPct, fmtRelative, fmtRps } from '../format/numbers.js'
import { attributeEndpoints } from './attribution.js'
import { capacityConfidence } from './confidence.js'
import { latencyChecks, modelCurve, modelMeanMs, p95ToMeanRatio, projectP95 } from './latency.js'
import type { CapacityAnalysis, CapacityLevel, CapacityModel, CapacityTargets, CurrentCapacity, ProjectedP95 } from './measurements.js'
import { recommend } from './recommendations.js'
import { USL_MIN_POINTS, UslFitError, coefficientsOf, fitUsl, uslThroughput } from './usl.js'
import type { UslCoefficients } from './usl.js'

/** Beyond the last level the model carries the capacity at most this many times its concurrency. */
export const EXTRAPOLATION_LIMIT = 2

function passes(level: CapacityLevel, targets: CapacityTargets): boolean {
  return level.p95Ms <= targets.targetP95Ms && level.errorRate <= targets.errorRateLimit
}

function fitModel(levels: readonly CapacityLevel[], options: AnalysisOptions): CapacityModel {
  const points = levels.filter((l) => l.throughputRps > 0).map((l) => ({ concurrency: l.vus, throughput: l.throughputRps }))
  if (points.length < USL_MIN_POINTS) {
    return {
      kind: 'none',
      reason: 'too-few-levels',
      detail: `${points.length} level${points.length === 1 ? '' : 's'} with throughput measured: the USL needs at least ${USL_MIN_POINTS} (λ, σ, κ and one degree of freedom), so the measured points stand alone`,
      fit: null,
    }
  }
  let fit
  try {
    fit = fitUsl(points, { maxIterations: options.fitIterations })
  } catch (error) {
    if (!(error instanceof UslFitError)) throw error
    return { kind: 'none', reason: 'degenerate-data', detail: `the levels cannot be fitted: ${error.message}`, fit: null }
  }
  if (!fit.converged) return { kind: 'none', reason: 'did-not-converge', detail: `the fit did not converge in ${fit.iterations} iterations`, fit }
  if (fit.sigma.value >= 1) {
    return {
      kind: 'none',
      reason: 'on-bound',
      detail: 'σ reached its upper bound 1: throughput did not grow with concurrency at all, so the levels show no scaling to model',
      fit,
    }
  }
  return { kind: 'usl', fit }
}

/** Where, between a passing level and the failing one after it, the first limit is crossed (0..1), and which. */
function crossing(from: CapacityLevel, to: CapacityLevel, targets: CapacityTargets): { t: number; limitedBy: 'p95' | 'errors' } {
  const fraction = (limit: number, a: number, b: number): number => (b > limit ? (b > a ? (limit - a) / (b - a) : 0) : 1)
  const tP95 = fraction(targets.targetP95Ms, from.p95Ms, to.p95Ms)
  const tErrors = fraction(targets.errorRateLimit, from.errorRate, to.errorRate)
  return tErrors < tP95 ? { t: Math.max(0, tErrors), limitedBy: 'errors' } : { t: Math.min(1, Math.max(0, tP95)), limitedBy: 'p95' }
}

/** The concurrency, beyond the last level, at which the projected p95 reaches the target (bisection: R(N) grows with N). */
function projectedTargetConcurrency(c: UslCoefficients, from: number, to: number, ratio: number, targets: CapacityTargets): number | null {
  const p95 = (n: number): number => modelMeanMs(c, n, targets.thinkTimeMs) * ratio
  if (p95(to) <= targets.targetP95Ms) return null
  let lo = from
  let hi = to
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (p95(mid) <= targets.targetP95Ms) lo = mid
    else hi = mid
  }
  return lo
}

function currentCapacity(levels: readonly CapacityLevel[], targets: CapacityTargets, model: CapacityModel): CurrentCapacity {
  if (levels.length === 0) return { rps: 0, method: 'below-first-level', vus: null, limitedBy: 'none', isLowerBound: false, reason: 'no level was measured' }
  if (!levels.some((l) => passes(l, targets))) {
    const first = levels[0]
    if (levels.every((l) => l.errorRate > targets.errorRateLimit)) {
      return {
        rps: 0,
        method: 'below-first-level',
        vus: null,
        limitedBy: 'errors',
        isLowerBound: false,
        reason: `every level had errors above the ${fmtPct(targets.errorRateLimit * 100)} limit, from ${fmtPct(first.errorRate * 100)} at ${first.vus} VUs: the API served nothing within its error SLO`,
      }
    }
    const limitedBy = first.errorRate > targets.errorRateLimit ? 'errors' : 'p95'
    return {
      rps: 0,
      method: 'below-first-level',
      vus: null,
      limitedBy,
      isLowerBound: false,
      reason:
        limitedBy === 'p95'
          ? `the first level (${first.vus} VUs) already had a p95 of ${fmtMs(first.p95Ms)}, above the ${fmtLimitMs(targets.targetP95Ms)} target, and no level met it: capacity lies below the lowest level measured`
          : `the first level (${first.vus} VUs) already had ${fmtPct(first.errorRate * 100)} errors and no level met both targets: capacity lies below the lowest level measured`,
    }
  }

  let best: CurrentCapacity | null = null
  const consider = (candidate: CurrentCapacity): void => {
    if (best === null || candidate.rps > best.rps) best = candidate
  }
  levels.forEach((level, i) => {
    if (!passes(level, targets)) return
    const next = levels[i + 1]
    if (next === undefined) {
      consider({
        rps: level.throughputRps,
        method: 'measured',
        vus: level.vus,
        limitedBy: 'none',
        isLowerBound: true,
        reason: `every level up to the last (${level.vus} VUs) met the targets: the API serves at least ${fmtRps(level.throughputRps)} req/s`,
      })
      return
    }
    if (passes(next, targets)) return
    const { t, limitedBy } = crossing(level, next, targets)
    const rps = level.throughputRps + t * (next.throughputRps - level.throughputRps)
    const what = limitedBy === 'p95' ? `p95 reaches ${fmtLimitMs(targets.targetP95Ms)}` : `errors reach ${fmtPct(targets.errorRateLimit * 100)}`
    if (rps > level.throughputRps) {
      consider({
        rps,
        method: 'interpolated',
        vus: level.vus + t * (next.vus - level.vus),
        limitedBy,
        isLowerBound: false,
        reason: `${what} between ${level.vus} and ${next.vus} VUs, interpolated linearly between the two levels`,
      })
    } else {
      consider({
        rps: level.throughputRps,
        method: 'measured',
        vus: level.vus,
        limitedBy,
        isLowerBound: false,
        reason: `measured at ${level.vus} VUs; at ${next.vus} VUs ${what}`,
      })
    }
  })
  const found = best as unknown as CurrentCapacity

  // Every level met the targets: with a model, carry the p95 target beyond the last level, labelled as a projection.
  const ratio = p95ToMeanRatio(levels)
  if (found.isLowerBound && model.kind === 'usl' && ratio !== null) {
    const c = coefficientsOf(model.fit)
    const last = levels[levels.length - 1]
    let end = EXTRAPOLATION_LIMIT * last.vus
    if (model.fit.peakConcurrency !== null) end = Math.min(end, Math.max(last.vus, model.fit.peakConcurrency))
    const reached = projectedTargetConcurrency(c, last.vus, end, ratio, targets)
    const vus = reached ?? end
    const rps = uslThroughput(c, vus)
    if (vus > last.vus && rps > found.rps) {
      return {
        rps,
        method: 'above-last-level-extrapolated',
        vus,
        limitedBy: reached === null ? 'none' : 'p95',
        isLowerBound: reached === null,
        reason:
          reached === null
            ? `every level met the targets; the model projects ${fmtRps(rps)} req/s at ${Math.round(vus)} VUs, as far as it is carried (${EXTRAPOLATION_LIMIT}× the last level or N*), still within them`
            : `every level met the targets; the model projects the p95 target to be reached near ${Math.round(vus)} VUs, at ${fmtRps(rps)} req/s (projected, not measured)`,
      }
    }
  }
  return found
}

export interface AnalysisOptions {
  /** Levenberg–Marquardt iterations per start (the fit's default when unset). */
  fitIterations?: number
}

export function analyseCapacity(input: readonly CapacityLevel[], targets: CapacityTargets, options: AnalysisOptions = {}): CapacityAnalysis {
  const levels = [...input].sort((a, b) => a.vus - b.vus)
  const model = fitModel(levels, options)
  const coefficients = model.kind === 'usl' ? coefficientsOf(model.fit) : null
  const capacity = currentCapacity(levels, targets, model)
  const notes: string[] = []

  const current = capacity.rps
  const scalingFactor = current > 0 ? targets.targetRps / current : null
  const perReplica = current / targets.replicas
  const replicasNeeded = current > 0 ? Math.max(1, Math.ceil(targets.targetRps / (perReplica * (1 - targets.headroom)) - 1e-9)) : null
  const estimatedCostDelta =
    targets.replicaCost && replicasNeeded !== null
      ? { amount: Math.round((replicasNeeded - targets.replicas) * targets.replicaCost.amount * 100) / 100, currency: targets.replicaCost.currency }
      : null
  if (current > 0) {
    notes.push(
      `Replicas assume the ${targets.replicas === 1 ? 'instance' : `${targets.replicas} instances`} behind the base URL scale horizontally: each serves ${fmtRps(perReplica)} req/s, of which ${fmtRelative(1 - targets.headroom)} is planned (${fmtRelative(targets.headroom)} headroom).`,
    )
  }
  if (capacity.isLowerBound) notes.push('The capacity is a lower bound (no level missed the targets), so the replicas needed are an upper bound.')
  if (capacity.method === 'above-last-level-extrapolated')
    notes.push('The capacity lies beyond the measured levels: it is the model’s projection, not a measurement.')

  if (model.kind === 'none') notes.push(`No model: ${model.detail}.`)
  else {
    if (model.fit.onBound.includes('kappa'))
      notes.push('κ landed on its bound 0: no coherency delay was measured, so the model predicts no peak (N*) and no retrograde throughput.')
    if (model.fit.onBound.includes('sigma')) notes.push('σ landed on its bound 0: no contention was measured.')
  }

  let projectedP95AtTarget: ProjectedP95 | null = null
  if (coefficients !== null) {
    projectedP95AtTarget = projectP95(coefficients, levels, targets.targetRps, targets.replicas, targets.thinkTimeMs)
    if (projectedP95AtTarget === null) {
      const ceiling = model.kind === 'usl' && model.fit.ceilingRps !== null ? ` (${fmtRps(model.fit.ceilingRps)} req/s)` : ''
      notes.push(
        `The target per current replica (${fmtRps(targets.targetRps / targets.replicas)} req/s) lies beyond what the model says one replica can serve${ceiling}.`,
      )
      if (replicasNeeded !== null && replicasNeeded > targets.replicas) {
        projectedP95AtTarget = projectP95(coefficients, levels, targets.targetRps, replicasNeeded, targets.thinkTimeMs)
      }
    }
  }
  const checks = latencyChecks(levels, coefficients, targets.thinkTimeMs)
  const disagreeing = checks.filter((c) => !c.agrees)
  if (disagreeing.length > 0) {
    notes.push(
      `Little's law (R = N/X − Z) and the measured mean differ by more than 25 % at ${disagreeing.map((c) => `${c.vus} VUs`).join(', ')}: think time, open arrivals or the load generator are not as the closed model assumes there.`,
    )
  }

  const maxVus = levels.length > 0 ? levels[levels.length - 1].vus : 0
  const maxMeasuredRps = Math.max(0, ...levels.map((l) => l.throughputRps))
  const attribution = attributeEndpoints(levels, targets.errorRateLimit)
  return {
    currentCapacityRps: current,
    capacity,
    targetRps: targets.targetRps,
    scalingFactor,
    replicasNeeded,
    replicas: targets.replicas,
    targetMetWithCurrentReplicas: replicasNeeded !== null && replicasNeeded <= targets.replicas,
    estimatedCostDelta,
    confidence: capacityConfidence(model.kind === 'usl' ? model.fit : null, maxVus, targets.targetRps, maxMeasuredRps),
    model,
    latencyChecks: checks,
    projectedP95AtTarget,
    curve: coefficients === null ? [] : modelCurve(coefficients, levels, targets.thinkTimeMs),
    attribution,
    recommendations: recommend(levels, targets, model, attribution),
    notes,
  }
}
