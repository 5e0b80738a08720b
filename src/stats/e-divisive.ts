/**
 * E-divisive means change points with a permutation significance test: Matteson & James, "A
 * Nonparametric Approach for Multiple Change Point Analysis of Multivariate Data" (JASA 2014,
 * https://doi.org/10.48550/arXiv.1306.4933), as Apache Otava (formerly Hunter) implements it in
 * `otava/analysis.py` `compute_change_points_orig` with `otava/change_point_divisive/`
 * (calculator.py, significance_test.py, detector.py). Pure: numbers in, indices out.
 */

/** Otava's `compute_change_points_orig`: `max_pvalue=0.001`, `permutations=100`, distance exponent 1. */
export const E_DIVISIVE_DEFAULTS = { alpha: 0.001, permutations: 100, seed: 1 } as const

export interface EDivisiveOptions {
  /** A candidate is a change point when its permutation p-value is at most this. Default 0.001. */
  alpha?: number
  /** Permutations per candidate. Default 100. */
  permutations?: number
  /** Seed of the permutations' generator: the same series gives the same answer. Default 1. */
  seed?: number
}

export interface ChangePoint {
  /** Index of the first value after the change (0 < index < series length). */
  index: number
  /** The divergence statistic q̂ at the change. */
  qhat: number
  /** Share of permutations whose q̂ reached this one's: extreme ÷ (permutations + 1), as Otava reports it. */
  pValue: number
  /** Mean of the segment before and after the change (between neighbouring change points). */
  meanBefore: number
  meanAfter: number
}

/**
 * The change points of `series` (in time order), by index. Splits recursively at the (τ, κ) that
 * maximises q̂ within the segments found so far, and stops at the first candidate whose q̂ the
 * permuted series (shuffled within each segment) reach too often. Permutations stop as soon as
 * the count of reached q̂ already rules significance out; that changes no answer.
 */
export function eDivisive(series: readonly number[], options: EDivisiveOptions = {}): ChangePoint[] {
  const alpha = options.alpha ?? E_DIVISIVE_DEFAULTS.alpha
  const permutations = options.permutations ?? E_DIVISIVE_DEFAULTS.permutations
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`)
  if (!(Number.isInteger(permutations) && permutations >= 1)) throw new RangeError(`permutations must be a whole number from 1, got ${permutations}`)
  if (series.some((v) => !Number.isFinite(v))) throw new RangeError('the series must hold finite numbers only')
  const values = Float64Array.from(series)
  const random = mulberry32(options.seed ?? E_DIVISIVE_DEFAULTS.seed)
  const scratch = new Scratch(values.length)
  const found: Array<{ index: number; qhat: number; pValue: number }> = []
  // Most reached q̂ a significant candidate may have: p = extreme / (permutations + 1) ≤ alpha.
  const maxExtreme = Math.floor(alpha * (permutations + 1) + 1e-9)

  for (;;) {
    const bounds = segmentBounds(found, values.length)
    const candidate = bestCandidate(values, bounds, scratch)
    if (candidate === undefined) break
    const shuffled = new Float64Array(values.length)
    let extreme = 0
    for (let p = 0; p < permutations && extreme <= maxExtreme; p++) {
      shuffled.set(values)
      for (let b = 0; b + 1 < bounds.length; b++) shuffle(shuffled, bounds[b], bounds[b + 1], random)
      const permuted = bestCandidate(shuffled, bounds, scratch)
      if (permuted !== undefined && permuted.qhat >= candidate.qhat) extreme++
    }
    if (extreme > maxExtreme) break
    found.push({ ...candidate, pValue: extreme / (permutations + 1) })
    found.sort((a, b) => a.index - b.index)
  }

  const bounds = segmentBounds(found, values.length)
  return found.map((cp, i) => ({
    ...cp,
    meanBefore: mean(values, bounds[i], cp.index),
    meanAfter: mean(values, cp.index, bounds[i + 2]),
  }))
}

/** 0, each change point's index, the series' length: the segments' boundaries. */
function segmentBounds(found: ReadonlyArray<{ index: number }>, length: number): number[] {
  return [0, ...found.map((cp) => cp.index), length]
}

/** The best split over all segments of two or more values (Otava's `get_next_candidate`). */
function bestCandidate(values: Float64Array, bounds: readonly number[], scratch: Scratch): { index: number; qhat: number } | undefined {
  let best: { index: number; qhat: number } | undefined
  for (let b = 0; b + 1 < bounds.length; b++) {
    if (bounds[b + 1] - bounds[b] < 2) continue
    const candidate = segmentCandidate(values, bounds[b], bounds[b + 1], scratch)
    if (best === undefined || candidate.qhat > best.qhat) best = candidate
  }
  return best
}

/** Reused sums of within-segment distances, so a permutation allocates nothing. */
class Scratch {
  readonly stride: number
  readonly within: Float64Array
  constructor(length: number) {
    this.stride = length + 1
    this.within = new Float64Array(this.stride * this.stride)
  }
}

/**
 * For the segment values[start, stop): the τ maximising, over start < τ < κ ≤ stop,
 *   q̂(X = [start, τ), Y = [τ, κ)) = 2/(n+m)·Σ|x−y| − 2m/((n+m)(n−1))·Σ_{i<k}|xᵢ−xₖ| − 2n/((n+m)(m−1))·Σ_{j<k}|yⱼ−yₖ|
 * with n = |X|, m = |Y| and a within term of 0 for a single value (Otava's PairDistanceCalculator,
 * exponent 1). W(a, b), the sum of distances within [a, b), gives every term in O(1): the between
 * sum is W(start, κ) − W(start, τ) − W(τ, κ). Ties keep the first (τ, κ), as numpy's argmax does.
 */
function segmentCandidate(values: Float64Array, start: number, stop: number, scratch: Scratch): { index: number; qhat: number } {
  const L = stop - start
  const { stride, within: W } = scratch
  // W[a * stride + b] for 0 ≤ a ≤ b ≤ L, relative to start.
  for (let b = 0; b <= L; b++) {
    W[b * stride + b] = 0
    if (b === 0) continue
    const last = values[start + b - 1]
    let column = 0
    W[(b - 1) * stride + b] = 0
    for (let a = b - 2; a >= 0; a--) {
      column += Math.abs(values[start + a] - last)
      W[a * stride + b] = W[a * stride + b - 1] + column
    }
  }
  let bestQ = -Infinity
  let bestTau = 1
  for (let tau = 1; tau < L; tau++) {
    const n = tau
    const withinX = W[tau]
    const xTerm = n > 1 ? withinX / (n - 1) : 0
    for (let kappa = tau + 1; kappa <= L; kappa++) {
      const m = kappa - tau
      const withinY = W[tau * stride + kappa]
      const between = W[kappa] - withinX - withinY
      const yTerm = m > 1 ? (n * withinY) / (m - 1) : 0
      const q = (2 * (between - m * xTerm - yTerm)) / (n + m)
      if (q > bestQ) {
        bestQ = q
        bestTau = tau
      }
    }
  }
  return { index: start + bestTau, qhat: bestQ }
}

function mean(values: Float64Array, from: number, to: number): number {
  let sum = 0
  for (let i = from; i < to; i++) sum += values[i]
  return sum / (to - from)
}

/** Fisher–Yates over values[from, to). */
function shuffle(values: Float64Array, from: number, to: number, random: () => number): void {
  for (let i = to - 1; i > from; i--) {
    const j = from + Math.floor(random() * (i - from + 1))
    const t = values[i]
    values[i] = values[j]
    values[j] = t
  }
}

/** mulberry32: a small seeded generator of uniform numbers in [0, 1); enough for shuffling. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
