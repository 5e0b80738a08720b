import { MIN_SAMPLES, tooFewSamplesFor, withSampleMinimums } from '../src/sample-minimums.js'

describe('how many samples a percentile needs', () => {
  it('is 1 ÷ (1 − p): p50 from 2, p90 from 10, p95 from 20, p99 from 100', () => {
    expect(MIN_SAMPLES).toEqual({ p50: 2, p90: 10, p95: 20, p99: 100 })
    expect(tooFewSamplesFor(19)).toEqual(['p95', 'p99'])
    expect(tooFewSamplesFor(20)).toEqual(['p99'])
    expect(tooFewSamplesFor(100)).toEqual([])
    expect(tooFewSamplesFor(1)).toEqual(['p50', 'p90', 'p95', 'p99'])
  })

  it('leaves no requests to the "no requests" state rather than calling them too few', () => {
    expect(tooFewSamplesFor(0)).toEqual([])
  })

  it('takes a percentile out of an SLI and names it, keeping the rest', () => {
    const sli = { requests: 15, p50_ms: 10, p90_ms: 30, p95_ms: 40, p99_ms: 41, max_ms: 41 }
    expect(withSampleMinimums(sli, 15)).toEqual({
      requests: 15,
      p50_ms: 10,
      p90_ms: 30,
      p95_ms: null,
      p99_ms: null,
      max_ms: 41,
      too_few_samples: ['p95', 'p99'],
    })
    expect(withSampleMinimums(sli, 150)).toBe(sli)
  })
})
