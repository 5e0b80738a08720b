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
      const permuted = bestCandidate(shuffled, bounds, scratch, candidate.qhat)
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

/**
 * The best split over all segments of two or more values (Otava's `get_next_candidate`). With
 * `reach`, the first split whose q̂ reaches it is enough: a permutation only asks whether any does.
 */
function bestCandidate(values: Float64Array, bounds: readonly number[], scratch: Scratch, reach = Infinity): { index: number; qhat: number } | undefined {
  let best: { index: number; qhat: number } | undefined
  for (let b = 0; b + 1 < bounds.length; b++) {
    if (bounds[b + 1] - bounds[b] < 2) continue
    const candidate = segmentCandidate(values, bounds[b], bounds[b + 1], scratch, reach)
    if (candidate.qhat >= reach) return candidate
    if (best === undefined || candidate.qhat > best.qhat) best = candidate
  }
  return best
}

/** Reused buffers, so a permutation allocates and divides nothing. */
class Scratch {
  /** W(a, κ − 1) and W(a, κ) for every a, as κ advances. */
  previous: Float64Array
  current: Float64Array
  /** W(start, b) for every b, and W(start, b)/(b − 1): the left segment's terms. */
  readonly fromStart: Float64Array
  readonly leftTerm: Float64Array
  readonly reciprocal: Float64Array
  constructor(length: number) {
    this.previous = new Float64Array(length + 1)
    this.current = new Float64Array(length + 1)
    this.fromStart = new Float64Array(length + 1)
    this.leftTerm = new Float64Array(length + 1)
    this.reciprocal = Float64Array.from({ length: length + 1 }, (_, k) => (k === 0 ? 0 : 1 / k))
  }
}

/**
 * For the segment values[start, stop): the τ maximising, over start < τ < κ ≤ stop,
 *   q̂(X = [start, τ), Y = [τ, κ)) = 2/(n+m)·Σ|x−y| − 2m/((n+m)(n−1))·Σ_{i<k}|xᵢ−xₖ| − 2n/((n+m)(m−1))·Σ_{j<k}|yⱼ−yₖ|
 * with n = |X|, m = |Y| and a within term of 0 for a single value (Otava's PairDistanceCalculator,
 * exponent 1). With W(a, b) the sum of distances within [a, b), the between sum is
 * W(start, κ) − W(start, τ) − W(τ, κ), and W(·, κ) follows from W(·, κ − 1) by one column of
 * distances: O(L²) for the whole segment. Ties keep the smallest τ, as numpy's argmax does.
 */
function segmentCandidate(values: Float64Array, start: number, stop: number, scratch: Scratch, reach: number): { index: number; qhat: number } {
  const L = stop - start
  const { fromStart: W0, leftTerm, reciprocal: inv } = scratch
  let previous = scratch.previous
  let current = scratch.current
  W0[0] = 0
  W0[1] = 0
  leftTerm[1] = 0
  previous[0] = 0
  let bestQ = -Infinity
  let bestTau = 1
  for (let kappa = 2; kappa <= L; kappa++) {
    // W(a, κ) for a from κ − 1 down to 0, and q̂(τ = a, κ) on the way.
    const last = values[start + kappa - 1]
    current[kappa - 1] = 0
    let column = 0
    const invKappa = inv[kappa]
    for (let a = kappa - 2; a >= 0; a--) {
      column += Math.abs(values[start + a] - last)
      current[a] = previous[a] + column
    }
    const w0k = current[0]
    W0[kappa] = w0k
    leftTerm[kappa] = w0k * inv[kappa - 1]
    for (let tau = kappa - 1; tau >= 1; tau--) {
      const m = kappa - tau
      const withinY = current[tau]
      // inv[0] is 0: a single value has no within term.
      const q = 2 * (w0k - W0[tau] - withinY - m * leftTerm[tau] - tau * withinY * inv[m - 1]) * invKappa
      if (q > bestQ || (q === bestQ && tau < bestTau)) {
        bestQ = q
        bestTau = tau
        if (q >= reach) return { index: start + tau, qhat: q }
      }
    }
    const swap = previous
    previous = current
    current = swap
  }
  scratch.previous = previous
  scratch.current = current
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
