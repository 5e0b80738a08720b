/**
 * One-sided upper prediction bounds: the value the next run stays under with a given confidence,
 * judged from n earlier runs. Pure numbers only (the reasoning: docs/slo-recommendations.md).
 */
import { stdDev } from './descriptive.js'
import { tQuantile } from './distributions.js'

/**
 * mean + t(confidence; n − 1) · s · √(1 + 1/n) for a normal sample of n ≥ 2 values: the next draw
 * stays under it with probability `confidence`, the unknown mean and spread included.
 */
export function upperPredictionBound(values: readonly number[], confidence: number): number {
  const n = values.length
  if (n < 2) throw new RangeError(`a prediction bound needs at least 2 values, got ${n}`)
  if (!(confidence > 0.5 && confidence < 1)) throw new RangeError(`confidence must be between 0.5 and 1, got ${confidence}`)
  const mean = values.reduce((a, b) => a + b, 0) / n
  return mean + tQuantile(confidence, n - 1) * stdDev(values) * Math.sqrt(1 + 1 / n)
}

/** The same bound on ln(value), returned as a value: for positive figures whose noise is multiplicative (latencies). */
export function logNormalUpperPredictionBound(values: readonly number[], confidence: number): number {
  if (values.some((v) => !(v > 0))) throw new RangeError('a log-normal prediction bound needs positive values')
  return Math.exp(upperPredictionBound(values.map(Math.log), confidence))
}
