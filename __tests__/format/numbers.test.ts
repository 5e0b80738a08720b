import { fmtCount, fmtDuration, fmtLimit, fmtLimitMs, fmtMs, fmtOffset, fmtPct, fmtPp, fmtRelative, fmtRps, fmtSeconds } from '../../src/format/numbers.js'

describe('how figures read in every report and message', () => {
  it.each([
    {
      what: 'latency: three significant digits, seconds from 1000 ms, trailing zeros dropped',
      format: fmtMs,
      cases: [
        [1.234, '1.23 ms'],
        [5, '5 ms'],
        [12.34, '12.3 ms'],
        [81, '81 ms'],
        [123.6, '124 ms'],
        [1234, '1.23 s'],
        [2000, '2 s'],
        [null, '–'],
      ],
    },
    {
      what: 'error rate: two decimals, a trace shown as under 0.01%',
      format: fmtPct,
      cases: [
        [0, '0%'],
        [0.004, '<0.01%'],
        [0.25, '0.25%'],
        [26.344, '26.34%'],
        [100, '100%'],
        [null, '–'],
      ],
    },
    {
      what: 'throughput: tenths below 100 req/s',
      format: fmtRps,
      cases: [
        [12.34, '12.3'],
        [32, '32'],
        [123.4, '123'],
        [null, '–'],
      ],
    },
    {
      what: 'a limit as configured, up to three decimals',
      format: fmtLimit,
      cases: [
        [0.005, '0.005'],
        [1, '1'],
        [99.9, '99.9'],
        [1000, '1000'],
      ],
    },
    {
      what: 'a latency limit',
      format: fmtLimitMs,
      cases: [
        [500, '500 ms'],
        [1000, '1 s'],
        [1500, '1.5 s'],
        [2250, '2.25 s'],
      ],
    },
    {
      what: 'a relative change',
      format: fmtRelative,
      cases: [
        [0.094, '9.4%'],
        [0.523, '52%'],
        [1.94, '194%'],
        [Infinity, '∞%'],
      ],
    },
    {
      what: 'a difference of error rates',
      format: fmtPp,
      cases: [
        [0.25, '0.25 pp'],
        [12.345, '12.3 pp'],
      ],
    },
    {
      what: 'a count that may be fractional',
      format: fmtCount,
      cases: [
        [3, '3'],
        [28.8, '28.8'],
        [2.25, '2.3'],
      ],
    },
    {
      what: 'a wait or a timeout',
      format: fmtSeconds,
      cases: [
        [500, '0.5 s'],
        [2000, '2 s'],
        [7_500, '7.5 s'],
      ],
    },
    {
      what: "a test's length",
      format: fmtDuration,
      cases: [
        [45_000, '45s'],
        [120_000, '2m'],
        [150_000, '2m30s'],
      ],
    },
    {
      what: "a time from the test's start",
      format: fmtOffset,
      cases: [
        [1_500, '1.5s'],
        [8_000, '8s'],
        [150_000, '2m30s'],
      ],
    },
  ] as Array<{ what: string; format: (value: never) => string; cases: Array<[number | null, string]> }>)('$what', ({ format, cases }) => {
    expect(cases.map(([value]) => format(value as never))).toEqual(cases.map(([, text]) => text))
  })
})
