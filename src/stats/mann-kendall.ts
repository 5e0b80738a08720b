/**
 * The Mann–Kendall trend test (Mann 1945, Kendall 1975) with tie correction, its variance
 * corrections for autocorrelated series (Hamed & Rao 1998, Yue & Wang 2004), and Sen's slope
 * (Theil 1950, Sen 1968). Pure numbers: a series in time order (null or NaN where a value is
 * missing), a test result out. Computed as pyMannKendall 1.4 does (its published values are the
 * unit tests' fixture); the method and references: docs/drift.md.
 */
import jStat from 'jstat'

/** original: independent values; hamed-rao: variance scaled by the ranks' significant autocorrelation; yue-wang: by the detrended values' autocorrelation. */
export const TREND_METHODS = ['original', 'hamed-rao', 'yue-wang'] as const
export type TrendMethod = (typeof TREND_METHODS)[number]

export interface TrendTestOptions {
  /** Default hamed-rao. */
  method?: TrendMethod
  /** Significance level of the two-sided test, default 0.05. */
  alpha?: number
  /** Autocorrelation lags the corrections consider; default every lag up to n − 1. */
  lag?: number
}

export interface TrendTest {
  method: TrendMethod
  /** Values tested (missing ones left out). */
  n: number
  /** Mann–Kendall's score: concordant minus discordant pairs. */
  s: number
  /** Var(S), tie-corrected and, for the modified tests, scaled for autocorrelation. */
  varS: number
  z: number
  /** Two-sided p-value. */
  p: number
  /** Kendall's tau: S over the number of pairs. */
  tau: number
  trend: 'increasing' | 'decreasing' | 'no trend'
  /** Sen's slope: the median of the pairwise slopes, per step of the series. */
  slope: number
  /** The Kendall–Theil line's value at step 0 (Conover 1980). */
  intercept: number
}

export interface SenSlope {
  slope: number
  intercept: number
}

/** A trend test of `series` (values in time order, one step apart). Fewer than 3 values: no trend, p = 1. */
export function mannKendall(series: ArrayLike<number | null>, options: TrendTestOptions = {}): TrendTest {
  const method = options.method ?? 'hamed-rao'
  const alpha = options.alpha ?? 0.05
  const values = present(series)
  const n = values.length
  const { slope, intercept } = sensSlope(series)
  const s = mkScore(values)
  let varS = tieCorrectedVariance(values)
  if (n >= 3 && method !== 'original') {
    const lags = options.lag === undefined ? n : options.lag + 1
    const scale = method === 'hamed-rao' ? hamedRaoFactor(values, slope, lags, alpha) : yueWangFactor(values, slope, lags)
    // A factor of zero or below (strong negative autocorrelation of a short series) leaves no variance to test against.
    if (scale > 0) varS *= scale
  }
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0
  const p = 2 * (1 - jStat.normal.cdf(Math.abs(z), 0, 1))
  const significant = Math.abs(z) > jStat.normal.inv(1 - alpha / 2, 0, 1)
  return {
    method,
    n,
    s,
    varS,
    z,
    p,
    tau: n >= 2 ? s / (0.5 * n * (n - 1)) : 0,
    trend: significant ? (z > 0 ? 'increasing' : 'decreasing') : 'no trend',
    slope,
    intercept,
  }
}

/**
 * Sen's slope: the median of (x_j − x_i) / (j − i) over every pair of present values, missing values
 * keeping their place in time; NaN with fewer than two values. Exact, in O(n log n) expected time:
 * see medianPairwiseSlope.
 */
export function sensSlope(series: ArrayLike<number | null>): SenSlope {
  const n = series.length
  const positions: number[] = []
  const values: number[] = []
  for (let i = 0; i < n; i++) {
    const v = series[i]
    if (v !== null && v !== undefined && !Number.isNaN(v)) {
      positions.push(i)
      values.push(v)
    }
  }
  if (values.length < 2) return { slope: Number.NaN, intercept: Number.NaN }
  const t = Float64Array.from(positions)
  const x = Float64Array.from(values)
  const slope = medianPairwiseSlope(t, x)
  const intercept = medianInPlace(Float64Array.from(x)) - medianInPlace(Float64Array.from(t)) * slope
  return { slope, intercept }
}

/** Below this many values every pairwise slope is listed: the sampling below would not pay. */
const DIRECT_SLOPES_BELOW = 48

/**
 * The median pairwise slope of points (t, x), t strictly increasing, without listing all n(n−1)/2
 * slopes (after Matoušek 1991 and Dillencourt, Mount & Netanyahu 1992): a sample of slopes brackets
 * the median between lo and hi; the pairs below lo are counted as inversions of x − lo·t, and the
 * pairs between lo and hi are exactly those whose order flips from x − lo·t to x − hi·t, listed by a
 * merge sort. Should the bracket miss (rarely, or for values that differ only in rounding), every
 * slope is listed instead: the result is exact either way.
 */
export function medianPairwiseSlope(t: Float64Array, x: Float64Array): number {
  const m = x.length
  const pairs = (m * (m - 1)) / 2
  if (m < DIRECT_SLOPES_BELOW) return medianInPlace(allSlopes(t, x))
  const k1 = Math.floor((pairs - 1) / 2)
  const k2 = Math.floor(pairs / 2)

  // A sample of slopes of random pairs, reproducible: the same series gives the same work.
  const sampleSize = 8 * m
  const sample = new Float64Array(sampleSize)
  let state = 0x9e3779b9 ^ m
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4294967296
  }
  for (let s = 0; s < sampleSize; s++) {
    let i = Math.floor(next() * m)
    let j = Math.floor(next() * (m - 1))
    if (j >= i) j++
    else [i, j] = [j, i]
    sample[s] = (x[j]! - x[i]!) / (t[j]! - t[i]!)
  }
  // The sample's median rank wanders by about half the root of its size: four of those either side.
  const margin = Math.ceil(2 * Math.sqrt(sampleSize))
  const lo = select(sample, Math.max(0, Math.floor((k1 / pairs) * sampleSize) - margin))
  const hi = select(sample, Math.min(sampleSize - 1, Math.ceil((k2 / pairs) * sampleSize) + margin))

  const timeOrder = new Int32Array(m)
  for (let i = 0; i < m; i++) timeOrder[i] = i
  const yLo = new Float64Array(m)
  const yHi = new Float64Array(m)
  for (let i = 0; i < m; i++) {
    yLo[i] = x[i]! - lo * t[i]!
    yHi[i] = x[i]! - hi * t[i]!
  }
  // Ordered by x − lo·t, ties in time order: the inversions are the pairs of slope below lo.
  const byLo = mergeSortCounting(timeOrder, yLo)
  const below = byLo.inversions
  if (lo === hi) {
    // Ties at the bracket (a flat series: every slope 0): the median is lo if it lies among them.
    const reversed = Int32Array.from(timeOrder).reverse()
    const above = mergeSortCounting(reversed, negated(yHi)).inversions
    if (below <= k1 && k2 < pairs - above) return lo
    return medianInPlace(allSlopes(t, x))
  }
  // Ordered by x − hi·t, ties in reverse time order, so a slope of exactly lo or hi flips.
  const byHi = mergeSortCounting(Int32Array.from(timeOrder).reverse(), yHi).order
  const hiPosition = new Float64Array(m)
  for (let p = 0; p < m; p++) hiPosition[byHi[p]!] = p
  const flips = mergeSortCounting(byLo.order, hiPosition, true)
  const candidates = flips.pairs!.subarray(0, flips.inversions)
  if (!(below <= k1 && k2 < below + candidates.length)) return medianInPlace(allSlopes(t, x))
  for (let c = 0; c < candidates.length; c++) {
    // Each flipped pair, as two indices packed in one number: its slope, earlier point first.
    const a = Math.floor(candidates[c]! / m)
    const b = candidates[c]! - a * m
    const i = a < b ? a : b
    const j = a < b ? b : a
    candidates[c] = (x[j]! - x[i]!) / (t[j]! - t[i]!)
  }
  const upper = select(candidates, k2 - below)
  if (k1 === k2) return upper
  // Every candidate before k2 − below is ≤ upper after selection: the lower middle is their largest.
  let lower = -Infinity
  for (let c = 0; c < k2 - below; c++) if (candidates[c]! > lower) lower = candidates[c]!
  return (lower + upper) / 2
}

function allSlopes(t: Float64Array, x: Float64Array): Float64Array {
  const m = x.length
  const slopes = new Float64Array((m * (m - 1)) / 2)
  let k = 0
  for (let i = 0; i < m - 1; i++) {
    const xi = x[i]!
    const ti = t[i]!
    for (let j = i + 1; j < m; j++) slopes[k++] = (x[j]! - xi) / (t[j]! - ti)
  }
  return slopes
}

function negated(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = -a[i]!
  return out
}

/**
 * A stable bottom-up merge sort of `ids` by keys[id], counting the inversions of the input order
 * (pairs a before b with keys[a] > keys[b]; equal keys are none); with `listPairs`, each one as
 * before × n + after (ids < n), the list growing as needed.
 */
function mergeSortCounting(ids: Int32Array, keys: Float64Array, listPairs = false): { order: Int32Array; inversions: number; pairs?: Float64Array } {
  const n = ids.length
  let src = Int32Array.from(ids)
  let dst = new Int32Array(n)
  let inversions = 0
  let pairs = listPairs ? new Float64Array(16 * n) : undefined
  for (let width = 1; width < n; width *= 2) {
    for (let start = 0; start < n; start += 2 * width) {
      const mid = Math.min(start + width, n)
      const end = Math.min(start + 2 * width, n)
      let i = start
      let j = mid
      let k = start
      while (i < mid && j < end) {
        const right = src[j]!
        if (keys[src[i]!]! <= keys[right]!) dst[k++] = src[i++]!
        else {
          if (pairs) {
            if (inversions + mid - i > pairs.length) {
              const grown = new Float64Array(Math.max(2 * pairs.length, inversions + mid - i))
              grown.set(pairs)
              pairs = grown
            }
            for (let a = i; a < mid; a++) pairs[inversions + a - i] = src[a]! * n + right
          }
          inversions += mid - i
          dst[k++] = right
          j++
        }
      }
      while (i < mid) dst[k++] = src[i++]!
      while (j < end) dst[k++] = src[j++]!
    }
    const swap = src
    src = dst
    dst = swap
  }
  return { order: src, inversions, pairs }
}

function present(series: ArrayLike<number | null>): Float64Array {
  const out: number[] = []
  for (let i = 0; i < series.length; i++) {
    const v = series[i]
    if (v !== null && v !== undefined && !Number.isNaN(v)) out.push(v)
  }
  return Float64Array.from(out)
}

/** Concordant minus discordant pairs, as all pairs less twice the discordant ones less the tied ones (O(n log n)). */
function mkScore(x: Float64Array): number {
  const n = x.length
  if (n < 2) return 0
  const ids = new Int32Array(n)
  for (let i = 0; i < n; i++) ids[i] = i
  const discordant = mergeSortCounting(ids, x).inversions
  const sorted = Float64Array.from(x).sort()
  let tied = 0
  for (let i = 0; i < n;) {
    let j = i + 1
    while (j < n && sorted[j] === sorted[i]) j++
    tied += ((j - i) * (j - i - 1)) / 2
    i = j
  }
  return (n * (n - 1)) / 2 - 2 * discordant - tied
}

/** n(n−1)(2n+5)/18 less each group of t tied values' t(t−1)(2t+5)/18. */
function tieCorrectedVariance(x: Float64Array): number {
  const n = x.length
  const sorted = Float64Array.from(x).sort()
  let ties = 0
  for (let i = 0; i < n;) {
    let j = i + 1
    while (j < n && sorted[j] === sorted[i]) j++
    const t = j - i
    if (t > 1) ties += t * (t - 1) * (2 * t + 5)
    i = j
  }
  return (n * (n - 1) * (2 * n + 5) - ties) / 18
}

/** Hamed & Rao (1998): n/n* from the autocorrelation of the detrended series' ranks, significant lags only. */
function hamedRaoFactor(x: Float64Array, slope: number, lags: number, alpha: number): number {
  const n = x.length
  const ranks = averageRanks(detrend(x, slope))
  const acf = autocorrelation(ranks, lags - 1)
  const bound = jStat.normal.inv(1 - alpha / 2, 0, 1) / Math.sqrt(n)
  let sum = 0
  for (let i = 1; i < lags && i < acf.length; i++) {
    const r = acf[i]!
    if (r > bound || r < -bound) sum += (n - i) * (n - i - 1) * (n - i - 2) * r
  }
  return 1 + (2 / (n * (n - 1) * (n - 2))) * sum
}

/** Yue & Wang (2004): the effective sample size from the detrended series' autocorrelation. */
function yueWangFactor(x: Float64Array, slope: number, lags: number): number {
  const n = x.length
  const acf = autocorrelation(detrend(x, slope), lags - 1)
  let sum = 0
  for (let i = 1; i < lags && i < acf.length; i++) sum += (1 - i / n) * acf[i]!
  return 1 + 2 * sum
}

/** The series less slope × step, steps counted from 1 over the present values (as the reference does). */
function detrend(x: Float64Array, slope: number): Float64Array {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = x[i]! - (i + 1) * slope
  return out
}

/** Ranks from 1, ties sharing their average rank. */
function averageRanks(x: Float64Array): Float64Array {
  const n = x.length
  const ids = new Int32Array(n)
  for (let i = 0; i < n; i++) ids[i] = i
  const order = mergeSortCounting(ids, x).order
  const ranks = new Float64Array(n)
  for (let i = 0; i < n;) {
    let j = i + 1
    while (j < n && x[order[j]!] === x[order[i]!]) j++
    const rank = (i + j + 1) / 2
    for (let k = i; k < j; k++) ranks[order[k]!] = rank
    i = j
  }
  return ranks
}

/** Sample autocorrelation at lags 0..maxLag (biased estimator, as statsmodels' acf); all zero for a constant series but lag 0. */
function autocorrelation(x: Float64Array, maxLag: number): Float64Array {
  const n = x.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += x[i]!
  mean /= n
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) y[i] = x[i]! - mean
  const lags = Math.min(maxLag, n - 1)
  const acov = new Float64Array(lags + 1)
  for (let k = 0; k <= lags; k++) {
    let sum = 0
    for (let t = 0; t + k < n; t++) sum += y[t]! * y[t + k]!
    acov[k] = sum / n
  }
  const c0 = acov[0]!
  if (c0 !== 0) for (let k = 0; k <= lags; k++) acov[k] = acov[k]! / c0
  return acov
}

/** The median (the mean of the middle two for an even count), reordering `a`. */
function medianInPlace(a: Float64Array): number {
  const n = a.length
  const upper = n >> 1
  const hi = select(a, upper)
  if (n % 2 === 1) return hi
  // After selection every element below `upper` is ≤ hi: the lower middle is their largest.
  let lo = -Infinity
  for (let i = 0; i < upper; i++) if (a[i]! > lo) lo = a[i]!
  return (lo + hi) / 2
}

/** The k-th smallest (from 0) by Hoare's selection with a median-of-three pivot, partitioning `a` around it. */
function select(a: Float64Array, k: number): number {
  let left = 0
  let right = a.length - 1
  while (right > left) {
    const mid = (left + right) >> 1
    // Median of three as pivot keeps sorted and reversed inputs linear.
    if (a[mid]! < a[left]!) swap(a, mid, left)
    if (a[right]! < a[left]!) swap(a, right, left)
    if (a[right]! < a[mid]!) swap(a, right, mid)
    const pivot = a[mid]!
    let i = left
    let j = right
    while (i <= j) {
      while (a[i]! < pivot) i++
      while (a[j]! > pivot) j--
      if (i <= j) {
        swap(a, i, j)
        i++
        j--
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else return a[k]!
  }
  return a[k]!
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!
  a[i] = a[j]!
  a[j] = t
}
