import { readFileSync } from 'node:fs'
import { eDivisive, E_DIVISIVE_DEFAULTS } from '../../src/stats/e-divisive.js'

/** Published series with known change points: Apache Otava's own tests (source in the fixture). */
const published = JSON.parse(readFileSync(new URL('../fixtures/change-points/published-series.json', import.meta.url), 'utf8')) as {
  series: Array<{ name: string; values: number[]; alpha: number; changePoints: number[] }>
}

/** q̂ over every split X = series[0, τ), Y = series[τ, κ), straight from the definition (Otava's compute_Q_and_candidate_slow). */
function slowMaxQhat(series: number[]): number {
  let best = -Infinity
  for (let tau = 1; tau < series.length; tau++)
    for (let kappa = tau + 1; kappa <= series.length; kappa++) {
      const x = series.slice(0, tau)
      const y = series.slice(tau, kappa)
      const n = x.length
      const m = y.length
      let between = 0
      for (const a of x) for (const b of y) between += Math.abs(a - b)
      let withinX = 0
      for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) withinX += Math.abs(x[i] - x[k])
      let withinY = 0
      for (let j = 0; j < m; j++) for (let k = j + 1; k < m; k++) withinY += Math.abs(y[j] - y[k])
      const q = (2 / (m + n)) * between - (n > 1 ? ((2 * m) / (m + n) / (n - 1)) * withinX : 0) - (m > 1 ? ((2 * n) / (m + n) / (m - 1)) * withinY : 0)
      best = Math.max(best, q)
    }
  return best
}

describe('E-divisive means with a permutation test', () => {
  test.each(published.series.map((s) => [s.name, s] as const))('finds the published change points: %s', (_name, s) => {
    expect(eDivisive(s.values, { alpha: s.alpha }).map((cp) => cp.index)).toEqual(s.changePoints)
  })

  test('the first change point carries the largest q̂ of the whole series, as the definition gives it', () => {
    for (const s of published.series.filter((x) => x.changePoints.length > 0)) {
      expect(eDivisive(s.values, { alpha: s.alpha })[0]?.qhat ?? NaN).toBeCloseTo(slowMaxQhat(s.values), 9)
    }
  })

  test('Otava’s defaults: p ≤ 0.001 over 100 permutations, so a change counts only when no permutation reaches its q̂', () => {
    expect(E_DIVISIVE_DEFAULTS).toMatchObject({ alpha: 0.001, permutations: 100 })
    const step = published.series[0]
    const [cp] = eDivisive(step.values)
    expect(cp).toMatchObject({ index: 10, pValue: 0 })
    expect(cp.meanBefore).toBeCloseTo(1.004, 9)
    expect(cp.meanAfter).toBeCloseTo(0.501, 9)
  })

  test('the same series and seed give the same answer; the seed is what varies a borderline one', () => {
    const split = published.series[3].values
    const first = eDivisive(split, { alpha: 0.01, seed: 7 })
    expect(eDivisive(split, { alpha: 0.01, seed: 7 })).toEqual(first)
    // Ten runs split five and five: q̂ is reached by about 1 permutation in 100, right at Otava's 0.01.
    const pValues = [1, 2, 3, 4, 5].map((seed) => eDivisive(split, { alpha: 0.01, seed })[0]?.pValue)
    expect(new Set(pValues)).toEqual(new Set([0, 1 / 101]))
  })

  test('a constant series and a series too short to split have no change point', () => {
    expect(eDivisive([5, 5, 5, 5, 5, 5, 5, 5])).toEqual([])
    expect(eDivisive([1])).toEqual([])
    expect(eDivisive([])).toEqual([])
  })

  test('refuses what is not a series or not a level', () => {
    expect(() => eDivisive([1, Number.NaN, 2])).toThrow('finite numbers')
    expect(() => eDivisive([1, 2, 3], { alpha: 0 })).toThrow('alpha must be between 0 and 1, got 0')
    expect(() => eDivisive([1, 2, 3], { permutations: 0.5 })).toThrow('permutations must be a whole number')
  })
})
