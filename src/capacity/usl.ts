/**
 * Gunther's Universal Scalability Law, X(N) = λN / (1 + σ(N−1) + κN(N−1)), fitted to measured
 * (concurrency, throughput) points by bounded nonlinear least squares (ml-levenberg-marquardt, σ, κ ≥ 0),
 * with 95 % intervals from the Jacobian at the optimum: s²(JᵀJ)⁻¹ and Student's t with n − 3 degrees
 * of freedom, as R's `usl` package (nls/nlxb) reports them. Pure numbers: no level or report knowledge.
 */
import jStat from 'jstat'
import { levenbergMarquardt } from 'ml-levenberg-marquardt'
import { Matrix, inverse } from 'ml-matrix'
import type { Interval, UslFit } from './measurements.js'

/** Three parameters and at least one degree of freedom for their intervals. */
export const USL_MIN_POINTS = 4

export interface UslPoint {
  concurrency: number
  throughput: number
}

export interface UslCoefficients {
  lambda: number
  sigma: number
  kappa: number
}

export interface UslFitOptions {
  /** Levenberg–Marquardt iterations per start, in all rounds together (default 400). */
  maxIterations?: number
}

/** The fit could not be made: too few or degenerate points (the message says which). */
export class UslFitError extends Error {}

const DEFAULT_MAX_ITERATIONS = 400
const ITERATIONS_PER_ROUND = 25
/** A round that lowers the sum of squares by less than this share of it ends the search. */
const RELATIVE_IMPROVEMENT_DONE = 1e-12
/** The projected gradient, per unit of each parameter's scale, must be this small relative to the sum of squares. */
const GRADIENT_TOLERANCE = 1e-6
const SIGMA_MAX = 1
/** Two fits whose sums of squares differ by less than this share of the total variance fit equally well. */
const SAME_FIT = 1e-12

export function uslThroughput(c: UslCoefficients, n: number): number {
  return (c.lambda * n) / (1 + c.sigma * (n - 1) + c.kappa * n * (n - 1))
}

/** N* = √((1−σ)/κ), at least 1; null when κ = 0 (throughput never turns down). */
export function uslPeakConcurrency(c: UslCoefficients): number | null {
  if (c.kappa <= 0) return null
  return Math.max(1, Math.sqrt(Math.max(0, 1 - c.sigma) / c.kappa))
}

/** X(N*); with κ = 0 the asymptote λ/σ; null when nothing bounds throughput (σ = κ = 0). */
export function uslCeiling(c: UslCoefficients): number | null {
  const peak = uslPeakConcurrency(c)
  if (peak !== null) return uslThroughput(c, peak)
  return c.sigma > 0 ? c.lambda / c.sigma : null
}

/** ∂X/∂(λ, σ, κ) at N. */
function uslGradient(c: UslCoefficients, n: number): [number, number, number] {
  const d = 1 + c.sigma * (n - 1) + c.kappa * n * (n - 1)
  const dd = d * d
  return [n / d, (-c.lambda * n * (n - 1)) / dd, (-c.lambda * n * n * (n - 1)) / dd]
}

/**
 * The optimiser works on parameters of order one: p = [λ/λ₀, σ, κ·N_max] against X/X_max, because
 * its damping is the same for every parameter and λ, σ, κ differ by up to eight orders of magnitude.
 */
interface Scale {
  lambda: number
  kappa: number
  throughput: number
}

function toCoefficients(p: readonly number[], s: Scale): UslCoefficients {
  return { lambda: p[0] * s.lambda, sigma: p[1], kappa: p[2] / s.kappa }
}

function sumOfSquares(points: readonly UslPoint[], c: UslCoefficients): number {
  let sse = 0
  for (const { concurrency, throughput } of points) sse += (throughput - uslThroughput(c, concurrency)) ** 2
  return sse
}

/**
 * Starting values: λ₀ from the lowest level's throughput per unit of concurrency; σ, κ from Gunther's
 * linearisation λ₀N/X − 1 = σ(N−1) + κN(N−1), solved by least squares and kept non-negative.
 */
function linearisedStart(points: readonly UslPoint[], lambda: number): UslCoefficients {
  let saa = 0
  let sab = 0
  let sbb = 0
  let say = 0
  let sby = 0
  for (const { concurrency: n, throughput } of points) {
    const a = n - 1
    const b = n * (n - 1)
    const y = (lambda * n) / throughput - 1
    saa += a * a
    sab += a * b
    sbb += b * b
    say += a * y
    sby += b * y
  }
  const det = saa * sbb - sab * sab
  let sigma = det > 0 ? (say * sbb - sby * sab) / det : 0
  let kappa = det > 0 ? (sby * saa - say * sab) / det : 0
  if (sigma < 0 || !Number.isFinite(sigma)) {
    sigma = 0
    kappa = sbb > 0 ? Math.max(0, sby / sbb) : 0
  } else if (kappa < 0 || !Number.isFinite(kappa)) {
    kappa = 0
    sigma = saa > 0 ? Math.min(SIGMA_MAX, Math.max(0, say / saa)) : 0
  }
  return { lambda, sigma: Math.min(sigma, SIGMA_MAX), kappa }
}

interface StartResult {
  coefficients: UslCoefficients
  sse: number
  iterations: number
}

/** Which of σ and κ a search holds at 0: the faces of the feasible region, searched one by one. */
interface Face {
  sigmaFixed: boolean
  kappaFixed: boolean
}

const FACES: Face[] = [
  { sigmaFixed: false, kappaFixed: false },
  { sigmaFixed: false, kappaFixed: true },
  { sigmaFixed: true, kappaFixed: false },
  { sigmaFixed: true, kappaFixed: true },
]

/**
 * Levenberg–Marquardt on one face, in rounds until a round no longer lowers the sum of squares. The
 * library clamps each step into [minValues, maxValues]; a parameter whose optimum lies beyond its
 * bound makes the clamped steps wander, so that bound is searched as a face of its own (the parameter
 * fixed at 0), and the lowest sum of squares over all faces is the constrained optimum.
 */
function runFrom(points: readonly UslPoint[], start: UslCoefficients, face: Face, scale: Scale, maxIterations: number): StartResult {
  const data = { x: points.map((p) => p.concurrency), y: points.map((p) => p.throughput / scale.throughput) }
  const ratio = scale.lambda / scale.throughput
  const model = ([l, s, k]: number[]) => {
    const kappa = k / scale.kappa
    return (n: number) => (l * ratio * n) / (1 + s * (n - 1) + kappa * n * (n - 1))
  }
  const jacobian = ([l, s, k]: number[]) => {
    const kappa = k / scale.kappa
    return (n: number) => {
      const d = 1 + s * (n - 1) + kappa * n * (n - 1)
      const dd = d * d
      return [(ratio * n) / d, face.sigmaFixed ? 0 : (-l * ratio * n * (n - 1)) / dd, face.kappaFixed ? 0 : (-l * ratio * n * n * (n - 1)) / dd / scale.kappa]
    }
  }
  const minValues = [1e-12, 0, 0]
  const maxValues = [1e12, face.sigmaFixed ? 0 : SIGMA_MAX, face.kappaFixed ? 0 : 1e12]
  let p = [start.lambda / scale.lambda, face.sigmaFixed ? 0 : start.sigma, face.kappaFixed ? 0 : start.kappa * scale.kappa]
  let sse = sumOfSquares(points, toCoefficients(p, scale))
  let iterations = 0
  while (iterations < maxIterations) {
    const round = Math.min(ITERATIONS_PER_ROUND, maxIterations - iterations)
    const result = levenbergMarquardt(data, model, {
      initialValues: p,
      jacobianFunction: jacobian,
      minValues,
      maxValues,
      maxIterations: round,
      errorTolerance: 0,
    })
    iterations += round
    const next = result.parameterValues
    const nextSse = sumOfSquares(points, toCoefficients(next, scale))
    if (!Number.isFinite(nextSse) || nextSse >= sse) break
    const improvement = sse - nextSse
    p = next
    sse = nextSse
    if (improvement <= RELATIVE_IMPROVEMENT_DONE * sse) break
  }
  return { coefficients: toCoefficients(p, scale), sse, iterations }
}

/**
 * First-order optimality with bounds: every parameter off its bound has a vanishing derivative of the
 * sum of squares; one on its bound may only have a derivative pushing it further out.
 */
function isStationary(points: readonly UslPoint[], c: UslCoefficients, sse: number, sst: number): boolean {
  const grad = [0, 0, 0]
  for (const { concurrency: n, throughput } of points) {
    const residual = throughput - uslThroughput(c, n)
    const g = uslGradient(c, n)
    for (let k = 0; k < 3; k++) grad[k] += -2 * residual * g[k]
  }
  const maxN = Math.max(...points.map((p) => p.concurrency))
  const scales = [Math.max(c.lambda, 1e-12), Math.max(c.sigma, 1e-3), Math.max(c.kappa, 1e-3 / (maxN * maxN))]
  const values = [c.lambda, c.sigma, c.kappa]
  const tolerance = GRADIENT_TOLERANCE * sse + 1e-14 * sst
  return grad.every((g, k) => {
    const atLower = k > 0 && values[k] <= 0
    const atUpper = k === 1 && values[k] >= SIGMA_MAX
    const projected = (atLower && g > 0) || (atUpper && g < 0) ? 0 : g
    return Math.abs(projected) * scales[k] <= tolerance
  })
}

/** s²(JᵀJ)⁻¹, the columns of J scaled to unit length first so the inverse stays well conditioned. */
function covariance(points: readonly UslPoint[], c: UslCoefficients, sse: number): Matrix {
  const j = new Matrix(points.map(({ concurrency }) => uslGradient(c, concurrency)))
  const norms = [0, 1, 2].map((k) => Math.hypot(...j.getColumn(k)) || 1)
  const scaled = new Matrix(j.to2DArray().map((row) => row.map((v, k) => v / norms[k])))
  const inv = inverse(scaled.transpose().mmul(scaled))
  const s2 = sse / (points.length - 3)
  const cov = new Matrix(3, 3)
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov.set(a, b, (s2 * inv.get(a, b)) / (norms[a] * norms[b]))
  return cov
}

function interval(value: number, halfWidth: number): Interval {
  return { value, low: Math.max(0, value - halfWidth), high: value + halfWidth }
}

/**
 * Fits the USL to at least USL_MIN_POINTS points with positive throughput and at least three distinct
 * concurrencies. Several starts (the linearised one and a few shapes around it); the lowest sum of
 * squares wins. Throws UslFitError when the points cannot determine the three parameters.
 */
export function fitUsl(input: readonly UslPoint[], options: UslFitOptions = {}): UslFit {
  const points = [...input].sort((a, b) => a.concurrency - b.concurrency)
  if (points.length < USL_MIN_POINTS) throw new UslFitError(`${points.length} points: the USL needs at least ${USL_MIN_POINTS}`)
  if (points.some((p) => !(p.concurrency >= 1) || !(p.throughput > 0) || !Number.isFinite(p.throughput))) {
    throw new UslFitError('every point needs a concurrency ≥ 1 and a positive, finite throughput')
  }
  if (new Set(points.map((p) => p.concurrency)).size < 3) throw new UslFitError('fewer than 3 distinct concurrencies')

  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS
  const maxN = points[points.length - 1].concurrency
  const lambda0 = points[0].throughput / points[0].concurrency
  const scale: Scale = { lambda: lambda0, kappa: maxN, throughput: Math.max(...points.map((p) => p.throughput)) }
  const linear = linearisedStart(points, lambda0)
  const starts: UslCoefficients[] = [
    linear,
    { lambda: lambda0, sigma: linear.sigma, kappa: 0 },
    { lambda: lambda0, sigma: 0, kappa: 1 / (maxN * maxN) },
    { lambda: lambda0 * 1.5, sigma: 0.1, kappa: 1 / (maxN * maxN) },
  ]
  const results: (StartResult & { fixed: number })[] = []
  let iterations = 0
  for (const face of FACES) {
    for (const start of face.sigmaFixed || face.kappaFixed ? starts.slice(0, 1) : starts) {
      const result = runFrom(points, start, face, scale, maxIterations)
      iterations += result.iterations
      results.push({ ...result, fixed: Number(face.sigmaFixed) + Number(face.kappaFixed) })
    }
  }
  const mean = points.reduce((sum, p) => sum + p.throughput, 0) / points.length
  const sst = points.reduce((sum, p) => sum + (p.throughput - mean) ** 2, 0)
  // When a face with a parameter held at 0 fits as well (within rounding), the simpler model is the answer:
  // exact data without coherency must give κ = 0, not 1e-20.
  const lowest = Math.min(...results.map((r) => r.sse))
  const { coefficients: c, sse } = results.filter((r) => r.sse <= lowest + SAME_FIT * sst).sort((a, b) => b.fixed - a.fixed || a.sse - b.sse)[0]
  const cov = covariance(points, c, sse)
  const diagonal = [0, 1, 2].map((k) => cov.get(k, k))
  if (diagonal.some((v) => !Number.isFinite(v) || v < 0)) throw new UslFitError('the points do not determine λ, σ and κ apart (singular Jacobian)')
  const t = jStat.studentt.inv(0.975, points.length - 3)
  const [seLambda, seSigma, seKappa] = diagonal.map(Math.sqrt)

  const onBound: ('sigma' | 'kappa')[] = []
  if (c.sigma <= 0 || c.sigma >= SIGMA_MAX) onBound.push('sigma')
  if (c.kappa <= 0) onBound.push('kappa')
  return {
    lambda: interval(c.lambda, t * seLambda),
    sigma: interval(c.sigma, t * seSigma),
    kappa: interval(c.kappa, t * seKappa),
    rSquared: sst > 0 ? 1 - sse / sst : 1,
    peakConcurrency: uslPeakConcurrency(c),
    ceilingRps: uslCeiling(c),
    onBound,
    converged: isStationary(points, c, sse, sst),
    iterations,
    points: points.length,
  }
}

export function coefficientsOf(fit: UslFit): UslCoefficients {
  return { lambda: fit.lambda.value, sigma: fit.sigma.value, kappa: fit.kappa.value }
}
