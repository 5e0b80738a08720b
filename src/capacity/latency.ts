/**
 * Response time from throughput by Little's law for a closed system, R(N) = N / X(N) − Z (Z the think
 * time): checked against the measured mean at each level, and carried beyond the measured levels as a
 * projected p95 = R_model(N) × the measured p95/mean ratio of the most loaded level. Every projection
 * is labelled as one.
 */
import type { CapacityLevel, CurvePoint, LatencyCheck, ProjectedP95 } from './measurements.js'
import { uslPeakConcurrency, uslThroughput } from './usl.js'
import type { UslCoefficients } from './usl.js'

/** Model and measurement agree when the means differ by at most this share. */
export const LATENCY_AGREEMENT = 0.25

/** N / X − Z in milliseconds; X in req/s. */
export function littleMeanMs(vus: number, throughputRps: number, thinkTimeMs: number): number {
  return (vus / throughputRps) * 1000 - thinkTimeMs
}

export function modelMeanMs(c: UslCoefficients, vus: number, thinkTimeMs: number): number {
  return littleMeanMs(vus, uslThroughput(c, vus), thinkTimeMs)
}

export function latencyChecks(levels: readonly CapacityLevel[], c: UslCoefficients | null, thinkTimeMs: number): LatencyCheck[] {
  return levels
    .filter((l) => l.throughputRps > 0 && l.meanMs > 0)
    .map((l) => {
      const little = littleMeanMs(l.vus, l.throughputRps, thinkTimeMs)
      const model = c === null ? null : modelMeanMs(c, l.vus, thinkTimeMs)
      const relativeError = ((model ?? little) - l.meanMs) / l.meanMs
      return {
        level: l.level,
        vus: l.vus,
        measuredMeanMs: l.meanMs,
        littleMeanMs: little,
        modelMeanMs: model,
        relativeError,
        agrees: Math.abs(relativeError) <= LATENCY_AGREEMENT,
      }
    })
}

/** p95 ÷ mean at the most loaded level that measured both: the tail shape the projection keeps. */
export function p95ToMeanRatio(levels: readonly CapacityLevel[]): number | null {
  for (let i = levels.length - 1; i >= 0; i--) {
    const l = levels[i]
    if (l.meanMs > 0 && l.p95Ms > 0) return l.p95Ms / l.meanMs
  }
  return null
}

/**
 * The concurrency at which the model serves `throughputRps` on its rising branch: the smaller root of
 * xκN² + (xσ − xκ − λ)N + x(1 − σ) = 0; null when the throughput lies above the model's ceiling.
 */
export function concurrencyForThroughput(c: UslCoefficients, throughputRps: number): number | null {
  const x = throughputRps
  if (c.kappa <= 0) {
    const denominator = c.lambda - x * c.sigma
    return denominator > 0 ? Math.max(1, (x * (1 - c.sigma)) / denominator) : null
  }
  const a = x * c.kappa
  const b = x * c.sigma - x * c.kappa - c.lambda
  const cc = x * (1 - c.sigma)
  const discriminant = b * b - 4 * a * cc
  if (discriminant < 0) return null
  // The smaller root, written so it does not cancel when b² ≫ 4ac.
  const root = (2 * cc) / (-b + Math.sqrt(discriminant))
  return Number.isFinite(root) ? Math.max(1, root) : null
}

/** The projected p95 when `replicas` share `targetRps`, at the concurrency where the model serves each one's share; null beyond the ceiling or without a tail ratio. */
export function projectP95(
  c: UslCoefficients,
  levels: readonly CapacityLevel[],
  targetRps: number,
  replicas: number,
  thinkTimeMs: number,
): ProjectedP95 | null {
  const atRps = targetRps / replicas
  const ratio = p95ToMeanRatio(levels)
  const vus = concurrencyForThroughput(c, atRps)
  if (ratio === null || vus === null) return null
  const meanMs = Math.max(0, modelMeanMs(c, vus, thinkTimeMs))
  const maxVus = Math.max(...levels.map((l) => l.vus))
  return { projected: true, replicas, atRps, vus, meanMs, p95Ms: meanMs * ratio, p95ToMeanRatio: ratio, withinMeasuredRange: vus <= maxVus }
}

const CURVE_STEPS_BEYOND = 6

/** The modelled curve at every measured concurrency and a few steps beyond: to twice the last level, or 1.5 N* when that is further (at most 4×). */
export function modelCurve(c: UslCoefficients, levels: readonly CapacityLevel[], thinkTimeMs: number): CurvePoint[] {
  if (levels.length === 0) return []
  const ratio = p95ToMeanRatio(levels)
  const lastVus = Math.max(...levels.map((l) => l.vus))
  const peak = uslPeakConcurrency(c)
  const end = Math.min(4 * lastVus, Math.max(2 * lastVus, peak === null ? 0 : 1.5 * peak))
  const beyond = Array.from({ length: CURVE_STEPS_BEYOND }, (_, i) => Math.round(lastVus + ((end - lastVus) * (i + 1)) / CURVE_STEPS_BEYOND))
  const concurrencies = [...new Set([...levels.map((l) => l.vus), ...beyond])].sort((a, b) => a - b)
  return concurrencies.map((vus) => {
    const meanMs = Math.max(0, modelMeanMs(c, vus, thinkTimeMs))
    return { vus, throughputRps: uslThroughput(c, vus), meanMs, p95Ms: ratio === null ? null : meanMs * ratio, projected: vus > lastVus }
  })
}
