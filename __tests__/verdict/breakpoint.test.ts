/** What a finished breakpoint run reports: the breaking point, or that every SLO held. Pure. */
import type { K6Summary } from '../../src/k6/summary.js'
import { buildExecutor } from '../../src/plan/profiles.js'
import { breakpointReport, testDurationMs } from '../../src/verdict/breakpoint.js'

describe('what a breakpoint run reports', () => {
  const executor = buildExecutor('breakpoint', { rate: 200, durationMs: 100_000, vus: 50 })
  const summary = (seconds: number, dropped?: number): K6Summary => ({
    format: 'legacy',
    metrics: {
      iterations: { count: 30 * seconds, rate: 30 },
      ...(dropped ? { dropped_iterations: { count: dropped, rate: dropped / seconds } } : {}),
    },
  })

  it('maps k6 exit 99 after an abort to the rate the ramp had reached: the breaking point, not a crash', () => {
    const report = breakpointReport(executor, { exitCode: 99, summary: summary(42), wallTimeMs: 43_500 })
    expect(report).toEqual({
      status: 'reached',
      elapsedMs: 42_000,
      rate: 84,
      maxRate: 200,
      droppedIterations: 0,
      reason:
        'breaking point reached at about 84 iterations/s: an SLO was crossed and k6 stopped the test after 42s of 1m40s (the ramp went up to 200 iterations/s)',
    })
  })

  it('says when every SLO held to the top of the ramp, and when k6 ran out of VUs', () => {
    const report = breakpointReport(executor, { exitCode: 0, summary: summary(100, 12), wallTimeMs: 101_000 })
    expect(report).toMatchObject({ status: 'not-reached', rate: 200, droppedIterations: 12 })
    expect(report?.reason).toBe(
      'no breaking point: every SLO held up to 200 iterations/s, the top of the ramp; raise rate to search further; k6 dropped 12 iterations because all 50 VUs were busy (raise vus to push further)',
    )
  })

  it('says nothing for a run that did not run properly, or a profile that does not stop at SLOs', () => {
    expect(breakpointReport(executor, { exitCode: 107, wallTimeMs: 1000 })).toBeUndefined()
    expect(breakpointReport(buildExecutor('stress'), { exitCode: 99, wallTimeMs: 1000 })).toBeUndefined()
  })

  it('reads the test length from either summary format, else the wall time', () => {
    expect(testDurationMs({ format: 'machine-readable', durationMs: 5000, metrics: {} })).toBe(5000)
    expect(testDurationMs(summary(7))).toBe(7000)
    expect(breakpointReport(executor, { exitCode: 99, wallTimeMs: 10_000 })?.rate).toBe(20)
  })
})
