import { NICE_STEPS, roundUpToNice } from '../../src/stats/nice-numbers.js'

describe('roundUpToNice: limits a person would write', () => {
  it.each([
    { what: 'the classic: 243.7 ms', value: 243.7, nice: 250 },
    { what: 'a number already on the ladder stays', value: 250, nice: 250 },
    { what: 'just above a step goes to the next', value: 250.01, nice: 300 },
    { what: 'a whole decade', value: 1000, nice: 1000 },
    { what: 'just above a decade', value: 1001, nice: 1500 },
    { what: 'between 3 and 4', value: 3.2, nice: 4 },
    { what: 'between 6 and 8', value: 61, nice: 80 },
    { what: 'above 8 goes to the next decade', value: 8.1, nice: 10 },
    { what: 'seconds', value: 1264, nice: 1500 },
    { what: 'a fraction of a percent', value: 0.13, nice: 0.15 },
    { what: 'a small fraction, without floating-point dust', value: 0.0243, nice: 0.025 },
    { what: 'a value written by floating point just under a step', value: 249.99999999999997, nice: 250 },
    { what: 'zero', value: 0, nice: 0 },
    { what: 'a negative figure (an error-rate bound below zero)', value: -0.4, nice: 0 },
  ])('$what: $value → $nice', ({ value, nice }) => {
    expect(roundUpToNice(value)).toBe(nice)
  })

  it('never rounds down, and adds at most 50 % (a quarter to a third for most steps)', () => {
    for (let value = 0.01; value < 100_000; value *= 1.0137) {
      const nice = roundUpToNice(value)
      expect(nice).toBeGreaterThanOrEqual(value)
      expect(nice / value).toBeLessThanOrEqual(1.5 + 1e-9)
    }
  })

  it('gives only numbers of the ladder: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten', () => {
    for (let value = 0.01; value < 100_000; value *= 1.07) {
      const nice = roundUpToNice(value)
      const mantissa = Number((nice / 10 ** Math.floor(Math.log10(nice))).toPrecision(6))
      expect(NICE_STEPS).toContain(mantissa)
    }
  })

  it('takes another ladder: 1-2-2.5-5', () => {
    expect(roundUpToNice(243.7, [1, 2, 2.5, 5])).toBe(250)
    expect(roundUpToNice(260, [1, 2, 2.5, 5])).toBe(500)
  })

  it('refuses what is not a number', () => {
    expect(() => roundUpToNice(Number.NaN)).toThrow(RangeError)
    expect(() => roundUpToNice(Infinity)).toThrow(RangeError)
  })
})
