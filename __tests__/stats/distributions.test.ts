import { binomialUpperTail, regularizedIncompleteBeta, tCdf, tQuantile } from '../../src/stats/distributions.js'

/** P(X ≥ k), X ~ Binomial(n, p), summed term by term: an independent check of the beta route. */
function binomialTailBySum(k: number, n: number, p: number): number {
  let choose = 1
  let sum = 0
  for (let i = 0; i <= n; i++) {
    if (i > 0) choose = (choose * (n - i + 1)) / i
    if (i >= k) sum += choose * p ** i * (1 - p) ** (n - i)
  }
  return sum
}

describe("Student's t", () => {
  test.each([
    { p: 0.975, df: 10, expected: 2.228138851986274 },
    { p: 0.95, df: 4, expected: 2.131846786326649 },
    { p: 0.95, df: 1, expected: 6.313751514675043 },
  ])('the $p quantile with $df degrees of freedom is the tabled value', ({ p, df, expected }) => {
    expect(tQuantile(p, df)).toBeCloseTo(expected, 9)
  })

  test('the CDF at a quantile gives its probability back', () => {
    expect(tCdf(tQuantile(0.9, 7), 7)).toBeCloseTo(0.9, 10)
    expect(tCdf(0, 3)).toBeCloseTo(0.5, 12)
  })
})

describe('binomial upper tail', () => {
  test.each([
    { k: 3, n: 10, p: 0.3 },
    { k: 2, n: 150, p: 0.01 },
    { k: 40, n: 60, p: 0.5 },
  ])('P(X ≥ $k) for n = $n, p = $p matches the direct sum', ({ k, n, p }) => {
    expect(binomialUpperTail(k, n, p)).toBeCloseTo(binomialTailBySum(k, n, p), 12)
  })

  test('edges: nothing asked is certain, more than n is impossible', () => {
    expect(binomialUpperTail(0, 5, 0.2)).toBe(1)
    expect(binomialUpperTail(6, 5, 0.2)).toBe(0)
  })

  test('the incomplete beta agrees with the binomial identity I_x(a, n − a + 1) = P(X ≥ a)', () => {
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(binomialTailBySum(2, 4, 0.4), 12)
  })
})
