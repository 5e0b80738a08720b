import { geometricMean, median, stdDev } from '../../src/stats/descriptive.js'

describe('descriptive statistics', () => {
  test('the median of an odd and an even number of values, in any order', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  test('the standard deviation is the sample one (n − 1)', () => {
    expect(stdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12)
  })

  test('the geometric mean of multiplicative values', () => {
    expect(geometricMean([1, 100])).toBeCloseTo(10, 12)
    expect(geometricMean([7])).toBe(7)
  })
})
