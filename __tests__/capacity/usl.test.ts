import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import jStat from 'jstat'
import { USL_MIN_POINTS, UslFitError, fitUsl, uslCeiling, uslPeakConcurrency, uslThroughput } from '../../src/capacity/usl.js'
import type { UslPoint } from '../../src/capacity/usl.js'
import type { Interval } from '../../src/capacity/measurements.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'usl')

interface Reference {
  points: [number, number][]
  published: Record<string, unknown> & { lambda: number; sigma: number; kappa: number }
}

function reference(name: string): Reference {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Reference
}

function pointsOf(ref: Reference): UslPoint[] {
  return ref.points.map(([concurrency, throughput]) => ({ concurrency, throughput }))
}

/** Within 1 % of the published value (absolutely within 1e-9 when it is published as 0). */
function expectWithinOnePercent(actual: number, published: number): void {
  if (published === 0) expect(Math.abs(actual)).toBeLessThan(1e-9)
  else expect(Math.abs(actual - published) / Math.abs(published)).toBeLessThan(0.01)
}

/** The standard error behind one of our intervals: its upper half-width over t(0.975, n − 3). */
function standardError(i: Interval, points: number): number {
  return (i.high - i.value) / jStat.studentt.inv(0.975, points - 3)
}

const synthetic = (lambda: number, sigma: number, kappa: number, levels: number[]): UslPoint[] =>
  levels.map((n) => ({ concurrency: n, throughput: uslThroughput({ lambda, sigma, kappa }, n) }))

describe('the USL fit reproduces the published reference fits within 1 %', () => {
  test("R usl's specsdm91: λ, σ, κ, their standard errors, R² and the peak", () => {
    const ref = reference('specsdm91')
    const fit = fitUsl(pointsOf(ref))
    expectWithinOnePercent(fit.lambda.value, ref.published.lambda)
    expectWithinOnePercent(fit.sigma.value, ref.published.sigma)
    expectWithinOnePercent(fit.kappa.value, ref.published.kappa)
    const se = ref.published.standardErrors as Record<'lambda' | 'sigma' | 'kappa', number>
    expectWithinOnePercent(standardError(fit.lambda, fit.points), se.lambda)
    expectWithinOnePercent(standardError(fit.sigma, fit.points), se.sigma)
    expectWithinOnePercent(standardError(fit.kappa, fit.points), se.kappa)
    expectWithinOnePercent(fit.rSquared, ref.published.rSquared as number)
    expect(Math.round(fit.peakConcurrency as number)).toBe(ref.published.peakConcurrency)
    expect(fit.converged).toBe(true)
    expect(fit.onBound).toEqual([])
  })

  test("R usl's raytracer: κ lands on its bound 0, λ and σ and every standard error as published", () => {
    const ref = reference('raytracer')
    const fit = fitUsl(pointsOf(ref))
    expectWithinOnePercent(fit.lambda.value, ref.published.lambda)
    expectWithinOnePercent(fit.sigma.value, ref.published.sigma)
    expectWithinOnePercent(fit.kappa.value, ref.published.kappa)
    expect(fit.onBound).toEqual(['kappa'])
    expect(fit.converged).toBe(true)
    // R states estimate ± SE × qt(0.95, n − 1): recover its standard errors from its bounds.
    const rQuantile = jStat.studentt.inv(0.95, fit.points - 1)
    const intervals = ref.published.intervals as Record<'lambda' | 'sigma' | 'kappa', [number, number]>
    for (const name of ['lambda', 'sigma', 'kappa'] as const) {
      const [low, high] = intervals[name]
      expectWithinOnePercent(standardError(fit[name], fit.points), (high - low) / 2 / rQuantile)
    }
    // A parameter bounded at 0 keeps its interval within the bound; with κ = 0 the ceiling is the asymptote λ/σ.
    expect(fit.kappa.low).toBe(0)
    expect(fit.peakConcurrency).toBeNull()
    expect(fit.ceilingRps).toBeCloseTo(fit.lambda.value / fit.sigma.value, 9)
  })

  test("usl4j's Cisco benchmark: λ, σ, κ, and usl4j's maximum concurrency and throughput", () => {
    const ref = reference('cisco')
    const fit = fitUsl(pointsOf(ref))
    expectWithinOnePercent(fit.lambda.value, ref.published.lambda)
    expectWithinOnePercent(fit.sigma.value, ref.published.sigma)
    expectWithinOnePercent(fit.kappa.value, ref.published.kappa)
    // usl4j floors N* and evaluates X there.
    const floored = Math.floor(fit.peakConcurrency as number)
    expect(floored).toBe(ref.published.maxConcurrency)
    expectWithinOnePercent(
      uslThroughput({ lambda: fit.lambda.value, sigma: fit.sigma.value, kappa: fit.kappa.value }, floored),
      ref.published.maxThroughput as number,
    )
  })

  test("R usl's normalised coefficient test: σ = κ = 0.02, λ = 1", () => {
    const ref = reference('normalised')
    const fit = fitUsl(pointsOf(ref))
    expectWithinOnePercent(fit.lambda.value, ref.published.lambda)
    expectWithinOnePercent(fit.sigma.value, ref.published.sigma)
    expectWithinOnePercent(fit.kappa.value, ref.published.kappa)
  })
})

describe('the USL fit on curves whose answer is known', () => {
  test('an exact USL curve gives back its own λ, σ, κ, a perfect R² and N*', () => {
    const fit = fitUsl(synthetic(50, 0.03, 0.0004, [1, 2, 4, 8, 16, 32, 64]))
    expect(fit.lambda.value).toBeCloseTo(50, 6)
    expect(fit.sigma.value).toBeCloseTo(0.03, 8)
    expect(fit.kappa.value).toBeCloseTo(0.0004, 10)
    expect(fit.rSquared).toBeCloseTo(1, 12)
    expect(fit.peakConcurrency).toBeCloseTo(Math.sqrt(0.97 / 0.0004), 4)
    expect(fit.ceilingRps).toBeCloseTo(uslThroughput({ lambda: 50, sigma: 0.03, kappa: 0.0004 }, Math.sqrt(0.97 / 0.0004)), 4)
  })

  test('an exact curve that does not start at one VU, with noise, keeps its coefficients within their intervals', () => {
    const noise = [1.01, 0.99, 1.005, 0.995, 1.01, 0.99, 1.0, 1.005]
    const points = synthetic(120, 0.05, 0.001, [2, 4, 8, 12, 16, 24, 32, 48]).map((p, i) => ({ ...p, throughput: p.throughput * noise[i] }))
    const fit = fitUsl(points)
    for (const [name, truth] of [
      ['lambda', 120],
      ['sigma', 0.05],
      ['kappa', 0.001],
    ] as const) {
      expect(fit[name].low).toBeLessThanOrEqual(truth)
      expect(fit[name].high).toBeGreaterThanOrEqual(truth)
    }
  })

  test('linear scaling puts both σ and κ on their bound and leaves no ceiling', () => {
    const fit = fitUsl(synthetic(10, 0, 0, [1, 2, 4, 8, 16]))
    expect(fit.onBound).toEqual(['sigma', 'kappa'])
    expect(fit.lambda.value).toBeCloseTo(10, 6)
    expect(fit.peakConcurrency).toBeNull()
    expect(fit.ceilingRps).toBeNull()
  })

  test('super-linear throughput never gives a negative σ or κ: both stay on their bound', () => {
    const fit = fitUsl([
      { concurrency: 1, throughput: 100 },
      { concurrency: 2, throughput: 210 },
      { concurrency: 4, throughput: 430 },
      { concurrency: 8, throughput: 900 },
    ])
    expect(fit.sigma.value).toBeGreaterThanOrEqual(0)
    expect(fit.kappa.value).toBeGreaterThanOrEqual(0)
    expect(fit.onBound).toEqual(['sigma', 'kappa'])
  })

  test('an optimiser stopped before the optimum says it did not converge', () => {
    const fit = fitUsl(pointsOf(reference('raytracer')), { maxIterations: 1 })
    expect(fit.converged).toBe(false)
  })
})

describe('points the USL cannot be fitted to', () => {
  test.each([
    { what: 'fewer than four points', points: synthetic(10, 0.1, 0.01, [1, 2, 4]), message: /at least 4/ },
    { what: 'two distinct concurrencies', points: synthetic(10, 0.1, 0.01, [1, 1, 2, 2]), message: /distinct/ },
    { what: 'a zero throughput', points: [...synthetic(10, 0.1, 0.01, [1, 2, 4]), { concurrency: 8, throughput: 0 }], message: /positive/ },
  ])('$what', ({ points, message }) => {
    expect(USL_MIN_POINTS).toBe(4)
    expect(() => fitUsl(points)).toThrow(UslFitError)
    expect(() => fitUsl(points)).toThrow(message)
  })
})

describe('the peak and the ceiling', () => {
  test('N* = √((1−σ)/κ), and X(N*) is the highest throughput of the curve', () => {
    const c = { lambda: 100, sigma: 0.1, kappa: 0.01 }
    const peak = uslPeakConcurrency(c) as number
    expect(peak).toBeCloseTo(Math.sqrt(0.9 / 0.01), 12)
    const ceiling = uslCeiling(c) as number
    for (const n of [1, 5, peak - 0.5, peak + 0.5, 20, 100]) expect(uslThroughput(c, n)).toBeLessThanOrEqual(ceiling + 1e-9)
  })
})
