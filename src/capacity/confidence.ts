/**
 * How much the capacity answers can be trusted, in 0..1 (docs/capacity-model.md gives the same formula):
 *
 *   confidence = fit × precision × reach
 *   fit       = max(0, R²)
 *   precision = 1 / (1 + w_λ + w_σ + w_κ), where, with D = 1 + σ(N−1) + κN(N−1) at the highest measured N,
 *               w_λ = (λ_high − λ_low) / λ, w_σ = (σ_high − σ_low)(N−1) / D, w_κ = (κ_high − κ_low) N(N−1) / D:
 *               each the relative change of the modelled throughput X(N) across that parameter's 95 % interval
 *   reach     = 1 when the target is within the highest measured throughput X_max,
 *               else 1 / (1 + ln(target / X_max))   (twice the measured range: 0.59; ten times: 0.30)
 *
 * Without a model, fit and precision are unknown (null) and confidence = 0.25 × reach.
 */
import type { CapacityConfidence, UslFit } from './measurements.js'

export const NO_MODEL_CONFIDENCE = 0.25

export function reachFactor(targetRps: number, maxMeasuredRps: number): number {
  if (!(maxMeasuredRps > 0)) return 0
  return targetRps <= maxMeasuredRps ? 1 : 1 / (1 + Math.log(targetRps / maxMeasuredRps))
}

export function precisionFactor(fit: UslFit, maxVus: number): number {
  const n = maxVus
  const d = 1 + fit.sigma.value * (n - 1) + fit.kappa.value * n * (n - 1)
  const wLambda = (fit.lambda.high - fit.lambda.low) / fit.lambda.value
  const wSigma = ((fit.sigma.high - fit.sigma.low) * (n - 1)) / d
  const wKappa = ((fit.kappa.high - fit.kappa.low) * n * (n - 1)) / d
  const width = wLambda + wSigma + wKappa
  return Number.isFinite(width) ? 1 / (1 + width) : 0
}

export function capacityConfidence(fit: UslFit | null, maxVus: number, targetRps: number, maxMeasuredRps: number): CapacityConfidence {
  const reach = reachFactor(targetRps, maxMeasuredRps)
  if (fit === null) return { value: NO_MODEL_CONFIDENCE * reach, fit: null, precision: null, reach }
  const fitPart = Math.min(1, Math.max(0, fit.rSquared))
  const precision = precisionFactor(fit, maxVus)
  return { value: fitPart * precision * reach, fit: fitPart, precision, reach }
}
