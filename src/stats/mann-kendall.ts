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
  const points = presentPoints(series)
  const { s, ties } = mkScore(points.x)
  return testFromScore(points, ties, s, options)
}

/**
 * The trend test of `series` when only a trend one way matters (a p95 that rises, a throughput that
 * falls): null, at the cost of one sort, when the score does not point that way, since neither the
 * autocorrelation correction nor Sen's slope can turn its sign. Otherwise exactly mannKendall's result.
 */
export function mannKendallToward(series: ArrayLike<number | null>, direction: 'increasing' | 'decreasing', options: TrendTestOptions = {}): TrendTest | null {
  const points = presentPoints(series)
  const { s, ties } = mkScore(points.x)
  // z is (S − 1)/σ above zero and (S + 1)/σ below: a score of ±1 is no trend either way.
  if (direction === 'increasing' ? s <= 1 : s >= -1) return null
  return testFromScore(points, ties, s, options)
}

function testFromScore(points: Points, ties: readonly number[], s: number, options: TrendTestOptions): TrendTest {
  const values = points.x
  const method = options.method ?? 'hamed-rao'
  const alpha = options.alpha ?? 0.05
  const critical = criticalZ(alpha)
  const n = values.length
  const { slope, intercept } = sensSlopeOf(points)
  let varS = tieCorrectedVariance(n, ties)
  if (n >= 3 && method !== 'original') {
    const lags = options.lag === undefined ? n : options.lag + 1
    const scale = method === 'hamed-rao' ? hamedRaoFactor(values, slope, lags, critical) : yueWangFactor(values, slope, lags)
    // A factor of zero or below (strong negative autocorrelation of a short series) leaves no variance to test against.
    if (scale > 0) varS *= scale
  }
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0
  const p = 2 * (1 - jStat.normal.cdf(Math.abs(z), 0, 1))
  const significant = Math.abs(z) > critical
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

/** The two-sided test's critical z, kept per level: a drift judgement tests hundreds of series at one. */
const criticalZs = new Map<number, number>()
function criticalZ(alpha: number): number {
  let z = criticalZs.get(alpha)
  if (z === undefined) {
    z = jStat.normal.inv(1 - alpha / 2, 0, 1) as number
    criticalZs.set(alpha, z)
  }
  return z
}

/**
 * Sen's slope: the median of (x_j − x_i) / (j − i) over every pair of present values, missing values
 * keeping their place in time; NaN with fewer than two values. Exact, in O(n log n) expected time:
 * see medianPairwiseSlope.
 */
export function sensSlope(series: ArrayLike<number | null>): SenSlope {
  return sensSlopeOf(presentPoints(series))
}

function sensSlopeOf({ t, x }: Points): SenSlope {
  if (x.length < 2) return { slope: Number.NaN, intercept: Number.NaN }
  const slope = medianPairwiseSlope(t, x)
  // The places are in order already: their median is read, not selected.
  const m = t.length
  const middleT = m % 2 === 1 ? t[m >> 1]! : (t[(m >> 1) - 1]! + t[m >> 1]!) / 2
  const intercept = medianInPlace(Float64Array.from(x)) - middleT * slope
  return { slope, intercept }
}

/** Below this many values every pairwise slope is listed: the sampling below would not pay. */
const DIRECT_SLOPES_BELOW = 48

/**
 * The median pairwise slope of points (t, x), t strictly increasing, without listing all n(n−1)/2
 * slopes (after Matoušek 1991 and Dillencourt, Mount & Netanyahu 1992): a sample of slopes brackets
 * the median between lo and hi; the pairs below lo are counted as inversions of x − lo·t, and the
 * pairs between lo and hi are exactly those whose order flips from x − lo·t to x − hi·t, listed by a
 * merge sort. Should the bracket miss (about once in 400 series, or for values that differ only in
 * rounding), every slope is listed instead: the result is exact either way.
 */
export function medianPairwiseSlope(t: Float64Array, x: Float64Array): number {
  const m = x.length
  const pairs = (m * (m - 1)) / 2
  if (m < DIRECT_SLOPES_BELOW) return medianInPlace(allSlopes(t, x))
  const k1 = Math.floor((pairs - 1) / 2)
  const k2 = Math.floor(pairs / 2)

  // A sample of slopes of random pairs (xorshift32), reproducible: the same series gives the same
  // work. Indices come from the low 31 bits, so the remainder stays in small-integer arithmetic.
  const sampleSize = 4 * m
  const sample = new Float64Array(sampleSize)
  let state = 0x9e3779b9 ^ m
  for (let s = 0; s < sampleSize; s++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    let i = (state & 0x7fffffff) % m
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    let j = (state & 0x7fffffff) % (m - 1)
    if (j >= i) j++
    else [i, j] = [j, i]
    sample[s] = (x[j]! - x[i]!) / (t[j]! - t[i]!)
  }
  // The sample's count below the median slope is binomial, σ = √size / 2: three σ either side.
  const margin = Math.ceil(1.5 * Math.sqrt(sampleSize))
  const loRank = Math.max(0, Math.floor((k1 / pairs) * sampleSize) - margin)
  const hiRank = Math.min(sampleSize - 1, Math.ceil((k2 / pairs) * sampleSize) + margin)
  const lo = select(sample, loRank)
  // Selection left everything from loRank on at or above lo: hi is chosen among those alone.
  const hi = select(sample.subarray(loRank), hiRank - loRank)

  const byLo = new Int32Array(m)
  const yLo = new Float64Array(m)
  const yHi = new Float64Array(m)
  for (let i = 0; i < m; i++) {
    byLo[i] = i
    yLo[i] = x[i]! - lo * t[i]!
    yHi[i] = x[i]! - hi * t[i]!
  }
  // Ordered by x − lo·t, ties in time order: the inversions are the pairs of slope below lo.
  const below = sortCounting(byLo, yLo)
  if (lo === hi) {
    // Ties at the bracket (a flat series: every slope 0): the median is lo if it lies among them.
    const backwards = new Int32Array(m)
    for (let i = 0; i < m; i++) {
      backwards[i] = m - 1 - i
      yHi[i] = -yHi[i]!
    }
    const above = sortCounting(backwards, yHi)
    if (below <= k1 && k2 < pairs - above) return lo
    return medianInPlace(allSlopes(t, x))
  }
  // Reordered by x − hi·t, ties in reverse time order, so a slope of exactly lo or hi flips.
  const candidates = flippedSlopes(byLo, yHi, t, x)
  if (!(below <= k1 && k2 < below + candidates.length)) return medianInPlace(allSlopes(t, x))
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

/** The merge sorts' second buffer, kept between calls: a drift judgement sorts thousands of short series. */
let mergeBuffer = new Int32Array(0)
function mergeSpace(n: number): Int32Array {
  if (mergeBuffer.length < n) mergeBuffer = new Int32Array(n)
  return mergeBuffer.subarray(0, n)
}

/** Short runs are insertion-sorted before merging: fewer passes over the ids. */
const INSERTION_RUN = 8

/**
 * Sorts `ids` in place by keys[id], stably, and returns the inversions of their input order (pairs a
 * before b with keys[a] > keys[b]; equal keys are none).
 */
function sortCounting(ids: Int32Array, keys: Float64Array): number {
  const n = ids.length
  let inversions = 0
  for (let start = 0; start < n; start += INSERTION_RUN) {
    const end = Math.min(start + INSERTION_RUN, n)
    for (let i = start + 1; i < end; i++) {
      const id = ids[i]!
      const key = keys[id]!
      let j = i - 1
      while (j >= start && keys[ids[j]!]! > key) {
        ids[j + 1] = ids[j]!
        j--
        inversions++
      }
      ids[j + 1] = id
    }
  }
  let src = ids
  let dst = mergeSpace(n)
  for (let width = INSERTION_RUN; width < n; width *= 2) {
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
  if (src !== ids) ids.set(src)
  return inversions
}

/** The candidate slopes' buffer, kept between calls and grown as needed. */
let flipBuffer = new Float64Array(0)

/**
 * The slope of every pair of points whose order in `ids` is the opposite of their order by `keys`
 * (ties: the later point first), found while merge-sorting a copy of `ids` by that order. The slope
 * of a pair reads the same either way round: (x_a − x_b)/(t_a − t_b) is bit for bit (x_b − x_a)/(t_b − t_a).
 * Its merge passes repeat sortCounting's on purpose: shared through a callback, they made the drift
 * judgement 6 % slower (bench:drift).
 */
function flippedSlopes(ids: Int32Array, keys: Float64Array, t: Float64Array, x: Float64Array): Float64Array {
  const n = ids.length
  let src: Int32Array = Int32Array.from(ids)
  let dst = mergeSpace(n)
  let count = 0
  for (let width = 1; width < n; width *= 2) {
    for (let start = 0; start < n; start += 2 * width) {
      const mid = Math.min(start + width, n)
      const end = Math.min(start + 2 * width, n)
      let i = start
      let j = mid
      let k = start
      while (i < mid && j < end) {
        const left = src[i]!
        const right = src[j]!
        const leftKey = keys[left]!
        const rightKey = keys[right]!
        if (leftKey < rightKey || (leftKey === rightKey && left > right)) {
          dst[k++] = left
          i++
        } else {
          if (count + mid - i > flipBuffer.length) {
            const grown = new Float64Array(Math.max(2 * flipBuffer.length, count + mid - i, 16 * n))
            grown.set(flipBuffer.subarray(0, count))
            flipBuffer = grown
          }
          const xr = x[right]!
          const tr = t[right]!
          for (let a = i; a < mid; a++) {
            const other = src[a]!
            flipBuffer[count++] = (xr - x[other]!) / (tr - t[other]!)
          }
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
  return flipBuffer.subarray(0, count)
}

/** The present values of a series (x) and their places in it (t). */
interface Points {
  t: Float64Array
  x: Float64Array
}

function presentPoints(series: ArrayLike<number | null>): Points {
  let count = 0
  for (let i = 0; i < series.length; i++) {
    const v = series[i]
    if (v !== null && v !== undefined && !Number.isNaN(v)) count++
  }
  const t = new Float64Array(count)
  const x = new Float64Array(count)
  let k = 0
  for (let i = 0; i < series.length; i++) {
    const v = series[i]
    if (v !== null && v !== undefined && !Number.isNaN(v)) {
      t[k] = i
      x[k++] = v
    }
  }
  return { t, x }
}

/**
 * Mann–Kendall's score, concordant minus discordant pairs, as all pairs less twice the discordant
 * ones (the inversions of a merge sort) less the tied ones; and the size of each group of two or
 * more equal values, read off the same sort. O(n log n).
 */
function mkScore(x: Float64Array): { s: number; ties: number[] } {
  const n = x.length
  const ids = new Int32Array(n)
  for (let i = 0; i < n; i++) ids[i] = i
  const discordant = sortCounting(ids, x)
  const ties: number[] = []
  let tied = 0
  for (let i = 0; i < n;) {
    let j = i + 1
    while (j < n && x[ids[j]!] === x[ids[i]!]) j++
    const t = j - i
    if (t > 1) {
      ties.push(t)
      tied += (t * (t - 1)) / 2
    }
    i = j
  }
  return { s: (n * (n - 1)) / 2 - 2 * discordant - tied, ties }
}

/** n(n−1)(2n+5)/18 less each group of t tied values' t(t−1)(2t+5)/18. */
function tieCorrectedVariance(n: number, ties: readonly number[]): number {
  let tied = 0
  for (const t of ties) tied += t * (t - 1) * (2 * t + 5)
  return (n * (n - 1) * (2 * n + 5) - tied) / 18
}

/** Hamed & Rao (1998): n/n* from the autocorrelation of the detrended series' ranks, significant lags only. */
function hamedRaoFactor(x: Float64Array, slope: number, lags: number, critical: number): number {
  const n = x.length
  const ranks = averageRanks(detrend(x, slope))
  const acf = autocorrelation(ranks, lags - 1)
  const bound = critical / Math.sqrt(n)
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
  sortCounting(ids, x)
  const order = ids
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
  let k = 0
  // Four lags per pass over the series, each sum still added in time order: the same figures, fewer loads.
  for (; k + 3 <= lags; k += 4) {
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    let t = 0
    for (; t + k + 3 < n; t++) {
      const v = y[t]!
      s0 += v * y[t + k]!
      s1 += v * y[t + k + 1]!
      s2 += v * y[t + k + 2]!
      s3 += v * y[t + k + 3]!
    }
    for (; t + k + 2 < n; t++) {
      const v = y[t]!
      s0 += v * y[t + k]!
      s1 += v * y[t + k + 1]!
      s2 += v * y[t + k + 2]!
    }
    if (t + k + 1 < n) {
      s0 += y[t]! * y[t + k]!
      s1 += y[t]! * y[t + k + 1]!
      t++
    }
    if (t + k < n) s0 += y[t]! * y[t + k]!
    acov[k] = s0 / n
    acov[k + 1] = s1 / n
    acov[k + 2] = s2 / n
    acov[k + 3] = s3 / n
  }
  for (; k <= lags; k++) {
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
