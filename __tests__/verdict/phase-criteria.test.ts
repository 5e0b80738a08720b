/**
 * What a stress and a spike run are for, judged on their timelines: recorded real runs of the
 * gate's scripts against the sample API (__tests__/fixtures/timeline) for what a user sees, and
 * timelines built sample by sample for each rule's edges.
 */
import { TimelineAggregator, type Timeline } from '../../src/k6/timeline.js'
import { judgeSpike, judgeStress, MIN_WINDOW_REQUESTS, peakPhase, stageSpans } from '../../src/verdict/phase-criteria.js'
import { buildExecutor, totalDurationMs, type Executor } from '../../src/plan/profiles.js'
import { recording, timelineOf } from '../k6/recordings.js'

const m = 60_000
const T0 = Date.parse('2026-11-22T20:00:00Z')

interface WindowShape {
  requests: number
  failed?: number
  latencyMs?: number
  vus?: number
}

/** A timeline of 1 s windows from samples spread evenly over each window, with a vus tick at each window's end, as k6 writes them. */
function timelineOf1s(windows: readonly WindowShape[]): Timeline {
  const aggregator = new TimelineAggregator({ windowMs: 1000, maxWindows: windows.length + 10 })
  aggregator.addSample('vus', windows[0]?.vus ?? 10, T0)
  windows.forEach((w, i) => {
    for (let k = 0; k < w.requests; k++) {
      const at = T0 + i * 1000 + ((k + 0.5) * 1000) / w.requests
      aggregator.addSample('http_reqs', 1, at)
      aggregator.addSample('http_req_duration', w.latencyMs ?? 10, at)
      aggregator.addSample('http_req_failed', k < (w.failed ?? 0) ? 1 : 0, at)
    }
    aggregator.addSample('vus', w.vus ?? 10, T0 + (i + 1) * 1000)
  })
  aggregator.end()
  return aggregator.result()
}

const rampingVus = (startVus: number, ...stages: Array<[seconds: number, target: number]>): Executor => ({
  type: 'ramping-vus',
  startVus,
  stages: stages.map(([seconds, target]) => ({ durationMs: seconds * 1000, target })),
})
const repeat = (n: number, w: WindowShape): WindowShape[] => Array.from({ length: n }, () => ({ ...w }))

describe("the profiles' phases, from the design's shapes", () => {
  it('stress: three steps up with holds, then 5 m of recovery after the load leaves its peak at 21 m', () => {
    const stress = buildExecutor('stress')
    expect(stageSpans(stress).map((s) => [s.kind, s.toMs - s.fromMs, s.target])).toEqual([
      ['ramp-up', 2 * m, 100],
      ['hold', 5 * m, 100],
      ['ramp-up', 2 * m, 200],
      ['hold', 5 * m, 200],
      ['ramp-up', 2 * m, 300],
      ['hold', 5 * m, 300],
      ['ramp-down', 5 * m, 0],
    ])
    expect(peakPhase(stress)).toEqual({ peak: 300, fromMs: 14 * m, toMs: 21 * m, totalMs: 26 * m })
  })

  it('spike: 1 m before, the spike from 1 m to 3 m, 3 m of recovery', () => {
    expect(peakPhase(buildExecutor('spike'))).toEqual({ peak: 50, fromMs: 1 * m, toMs: 3 * m, totalMs: 6 * m })
  })
})

describe('stress: the breaking point', () => {
  it('is where errors pass 10 % as the capacity-limited endpoint is pushed to 30 VUs, with the best throughput before it', () => {
    const report = judgeStress(timelineOf('stress-capacity'), recording('stress-capacity').executor)
    expect(report.status).toBe('found')
    expect(report.breakingPoint).toEqual({ atMs: 8000, vus: 29, target: 30, criterion: 'error-rate', value: 26.336, limit: 10 })
    expect(report.peakThroughput).toEqual({ rps: 194, atMs: 5000, vus: 20, target: 20 })
    expect(report.reason).toBe(
      'breaking point at 8s of 15s, 29 VUs (planned 30): error rate 26.34% > 10%; highest throughput before it 194 req/s at 20 VUs (planned 20)',
    )
    // The stage it happened in is marked, and every stage has its figures.
    expect(report.steps.map((s) => [s.stage, s.kind, s.breaking])).toEqual([
      [1, 'ramp-up', false],
      [2, 'hold', false],
      [3, 'ramp-up', false],
      [4, 'hold', false],
      [5, 'ramp-up', true],
      [6, 'hold', false],
      [7, 'ramp-down', false],
    ])
    const steps = Object.fromEntries(report.steps.map((s) => [s.stage, s.stats]))
    expect(steps[2]).toMatchObject({ errorRatePct: 0, vusMax: 10 })
    expect(steps[6]!.errorRatePct!).toBeGreaterThan(40)
    expect(steps[6]!.vusMax).toBe(30)
  })

  it('is where throughput falls under half its best when the endpoint thrashes, without a single error', () => {
    const report = judgeStress(timelineOf('stress-contention'), recording('stress-contention').executor)
    expect(report.breakingPoint).toMatchObject({ criterion: 'throughput' })
    const { value, limit } = report.breakingPoint!
    expect(limit).toBeCloseTo(report.peakThroughput!.rps / 2, 3)
    expect(value).toBeLessThan(limit)
    expect(report.steps.every((s) => s.stats.errorRatePct === 0)).toBe(true)
    expect(report.reason).toMatch(
      /^breaking point at \d+s of 15s, \d+ VUs \(planned \d+\): throughput \d+ req\/s, under half the highest before \(\d+ req\/s\)/,
    )
  })

  it('is not found when the API holds all the way to the top', () => {
    const report = judgeStress(timelineOf('stress-health'), recording('stress-health').executor)
    expect(report.status).toBe('not-found')
    expect(report.breakingPoint).toBeNull()
    expect(report.peakThroughput).toMatchObject({ vus: 30, target: 30 })
    expect(report.reason).toMatch(
      /^no breaking point up to 30 VUs: p95 stayed ≤ 5 s, errors ≤ 10% and throughput never fell by half; highest throughput \d+ req\/s at 30 VUs \(planned 30\)$/,
    )
  })

  it('is where p95 passes 5 s', () => {
    const executor = rampingVus(0, [10, 20])
    const windows = [...repeat(6, { requests: 30, latencyMs: 800 }), ...repeat(4, { requests: 30, latencyMs: 6000 })]
    expect(judgeStress(timelineOf1s(windows), executor).breakingPoint).toMatchObject({
      atMs: 6000,
      criterion: 'p95',
      value: expect.closeTo(6000, -2),
      limit: 5000,
    })
  })

  it('needs the breach to last: one bad window on a busy runner is not a breaking point', () => {
    const executor = rampingVus(0, [10, 20])
    const blip = [...repeat(4, { requests: 40 }), { requests: 40, failed: 20 }, ...repeat(5, { requests: 40 })]
    expect(judgeStress(timelineOf1s(blip), executor).status).toBe('not-found')
    const lasting = [...repeat(4, { requests: 40 }), { requests: 40, failed: 20 }, { requests: 40, failed: 8 }, ...repeat(4, { requests: 40 })]
    expect(judgeStress(timelineOf1s(lasting), executor).breakingPoint).toMatchObject({ atMs: 4000, criterion: 'error-rate', value: 50 })
  })

  it('does not count the planned fall of the load in the recovery stage as throughput lost', () => {
    const executor = rampingVus(0, [4, 20], [3, 20], [4, 0])
    const windows = [
      ...[20, 40, 60, 80].map((requests) => ({ requests })),
      ...repeat(3, { requests: 100 }),
      ...[60, 30, 20, 10].map((requests) => ({ requests })),
    ]
    expect(judgeStress(timelineOf1s(windows), executor).status).toBe('not-found')
    // The same fall while the load still holds at its peak is one.
    const falling = [
      ...[20, 40, 60, 80].map((requests) => ({ requests })),
      { requests: 100 },
      { requests: 40 },
      { requests: 30 },
      ...repeat(4, { requests: 25 }),
    ]
    expect(judgeStress(timelineOf1s(falling), executor).breakingPoint).toMatchObject({ atMs: 5000, criterion: 'throughput', value: 40, limit: 50 })
  })

  it("takes its limits from the config's stress: block: a stricter p95 finds the break earlier, and the reason says the limits used", () => {
    const executor = rampingVus(0, [10, 20])
    const windows = [
      ...repeat(3, { requests: 30, latencyMs: 100 }),
      ...repeat(3, { requests: 30, latencyMs: 800 }),
      ...repeat(4, { requests: 30, latencyMs: 6000 }),
    ]
    const strict = judgeStress(timelineOf1s(windows), executor, { p95Ms: 500, errorRatePct: 1, throughputFraction: 0.8 })
    expect(strict.breakingPoint).toMatchObject({ atMs: 3000, criterion: 'p95', limit: 500 })
    expect(strict.limits).toEqual({ p95Ms: 500, errorRatePct: 1, throughputFraction: 0.8 })
    const healthy = judgeStress(timelineOf1s(repeat(10, { requests: 30, latencyMs: 100 })), executor, { p95Ms: 500, errorRatePct: 1, throughputFraction: 0.8 })
    expect(healthy.reason).toMatch(
      /^no breaking point up to 20 VUs: p95 stayed ≤ 500 ms, errors ≤ 1% and throughput never fell below 80% of its best; highest throughput 30 req\/s/,
    )
  })

  it(`is not judged when no window has ${MIN_WINDOW_REQUESTS} requests, and says what to change`, () => {
    const report = judgeStress(timelineOf1s(repeat(10, { requests: 5, failed: 5 })), rampingVus(0, [10, 5]))
    expect(report.status).toBe('too-few-requests')
    expect(report.reason).toBe('breaking point not judged: no 1s window had 20 requests; lengthen the test, raise vus or lower think-time')
    expect(report.recovery.status).toBe('no-recovery-stage')
  })
})

describe('stress: recovery after the load falls', () => {
  it('is back within p95 < 2 s and errors < 10 % a window after the load falls, once the capacity-limited endpoint stops refusing', () => {
    const { recovery } = judgeStress(timelineOf('stress-capacity'), recording('stress-capacity').executor)
    expect(recovery).toEqual({
      status: 'recovered',
      afterMs: 1000,
      reason: 'recovery: back within the stress SLO 1s after the load fell (p95 < 2 s, errors < 10%)',
    })
  })

  it('is "none" when the errors last to the end, with the last figures', () => {
    const executor = rampingVus(0, [5, 20], [5, 0])
    const windows = [...repeat(5, { requests: 50 }), ...repeat(5, { requests: 40, failed: 30 })]
    const { recovery } = judgeStress(timelineOf1s(windows), executor)
    expect(recovery.status).toBe('not-recovered')
    expect(recovery.reason).toBe('recovery: none after the load fell, still p95 10 ms, errors 75% at 9s (stress SLO: p95 < 2 s, errors < 10%)')
  })
})

describe('spike: errors during the spike and recovery', () => {
  it('passes both when the API takes the spike: the healthy endpoint', () => {
    const report = judgeSpike(timelineOf('spike-health'), recording('spike-health').executor)
    expect(report.status).toBe('pass')
    expect(report.spikeErrors).toMatchObject({ status: 'pass', errorRatePct: 0, limitPct: 5 })
    // A third of the 6 s recovery stage: the design's 60 s of 180 s, scaled with duration.
    expect(report.recovery).toMatchObject({ status: 'pass', afterMs: 0, limitMs: 2000, errorLimitPct: 1 })
    expect(report.phases.map((p) => [p.name, p.fromMs, p.toMs, p.target, p.stats.vusMax])).toEqual([
      ['before', 0, 2000, 10, 10],
      ['spike', 2000, 6000, 50, 50],
      ['recovery', 6000, 12000, 10, 10],
    ])
  })

  it('fails both when the endpoint refuses the spike and stays slow after it, naming the figures and the limits', () => {
    const report = judgeSpike(timelineOf('spike-capacity'), recording('spike-capacity').executor)
    expect(report.status).toBe('fail')
    expect(report.spikeErrors.status).toBe('fail')
    expect(report.spikeErrors.errorRatePct!).toBeGreaterThan(90)
    expect(report.spikeErrors.reason).toMatch(/^spike: 9\d\.\d\d?% of requests failed during the spike \(\d+ of \d+\), limit < 5%$/)
    expect(report.recovery).toMatchObject({ status: 'fail', afterMs: null, limitMs: 2000 })
    expect(report.recovery.reason).toMatch(
      /^spike: did not recover in the 6s after the load dropped \(limit 2s\): still p95 2\d\d ms, errors 0% at 11s, recovered means p95 ≤ \d+(\.\d)? ms and errors ≤ 1%, as before the spike$/,
    )
  })

  it('fails recovery when it comes, but later than the limit', () => {
    const { recovery } = judgeSpike(timelineOf('spike-late-recovery'), recording('spike-late-recovery').executor)
    expect(recovery).toMatchObject({ status: 'fail', afterMs: 4000, limitMs: 2000 })
    expect(recovery.reason).toMatch(/^spike: recovered 4s after the load dropped, limit 2s \(p95 ≤ [\d.]+ ms and errors ≤ 1%, as before the spike\)$/)
  })

  it("takes its limits from the config's spike: block: the error rate during the spike and the recovery time", () => {
    const report = judgeSpike(timelineOf('spike-late-recovery'), recording('spike-late-recovery').executor, { errorRatePct: 100, recoveryMs: 5000 })
    expect(report.spikeErrors).toMatchObject({ status: 'pass', limitPct: 100 })
    expect(report.recovery).toMatchObject({ status: 'pass', afterMs: 4000, limitMs: 5000 })
  })

  it.each([
    { what: 'the default 6 m spike', duration: undefined, limitMs: 60_000 },
    { what: 'a 12 s spike', duration: 12_000, limitMs: 2000 },
    { what: 'a 36 s spike', duration: 36_000, limitMs: 6000 },
  ])('gives $what a third of its recovery stage to recover: $limitMs ms', ({ duration, limitMs }) => {
    const executor = buildExecutor('spike', duration === undefined ? {} : { durationMs: duration })
    const report = judgeSpike(timelineOf1s([]), executor)
    expect(report.recovery.limitMs).toBe(limitMs)
    expect(limitMs).toBe(Math.round((totalDurationMs(executor) - peakPhase(executor).toMs) / 3))
  })

  it('calls recovered what is within 1.5× the p95 before the spike, or 50 ms of it for a fast API, and within 1 point of its errors', () => {
    const executor = rampingVus(10, [4, 10], [0, 50], [4, 50], [0, 10], [6, 10])
    const spikeOf = (before: WindowShape, after: WindowShape) =>
      judgeSpike(timelineOf1s([...repeat(4, before), ...repeat(4, { requests: 100, latencyMs: 400 }), ...repeat(6, after)]), executor).recovery
    expect(spikeOf({ requests: 40, latencyMs: 2 }, { requests: 40, latencyMs: 45 })).toMatchObject({ status: 'pass', p95LimitMs: expect.closeTo(52, 0) })
    expect(spikeOf({ requests: 40, latencyMs: 200 }, { requests: 40, latencyMs: 290 })).toMatchObject({ status: 'pass', p95LimitMs: expect.closeTo(300, -1) })
    expect(spikeOf({ requests: 40, latencyMs: 200 }, { requests: 40, latencyMs: 330 })).toMatchObject({ status: 'fail', afterMs: null })
    expect(spikeOf({ requests: 40, latencyMs: 20 }, { requests: 40, latencyMs: 20, failed: 2 })).toMatchObject({ status: 'fail', errorLimitPct: 1 })
  })

  it('takes one slow window late in the recovery for noise, two for a relapse', () => {
    const executor = rampingVus(10, [4, 10], [0, 50], [4, 50], [0, 10], [6, 10])
    const before = repeat(4, { requests: 40, latencyMs: 10 })
    const spike = repeat(4, { requests: 100, latencyMs: 300 })
    const slow = { requests: 40, latencyMs: 300 }
    const fast = { requests: 40, latencyMs: 10 }
    const recovery = (after: WindowShape[]) => judgeSpike(timelineOf1s([...before, ...spike, ...after]), executor).recovery
    expect(recovery([slow, fast, fast, fast, slow, fast])).toMatchObject({ status: 'pass', afterMs: 1000 })
    expect(recovery([slow, fast, fast, slow, slow, fast])).toMatchObject({ status: 'fail', afterMs: 5000 })
  })

  it('leaves the first window before the spike, when connections open, out of the baseline', () => {
    const executor = rampingVus(10, [4, 10], [0, 50], [4, 50], [0, 10], [6, 10])
    const windows = [
      { requests: 40, latencyMs: 400 },
      ...repeat(3, { requests: 40, latencyMs: 10 }),
      ...repeat(4, { requests: 100, latencyMs: 50 }),
      ...repeat(6, { requests: 40, latencyMs: 10 }),
    ]
    expect(judgeSpike(timelineOf1s(windows), executor).baseline).toMatchObject({ p95Ms: expect.closeTo(10, 0), requests: 120 })
  })

  it('says what it could not judge, and why, rather than passing', () => {
    const report = judgeSpike(timelineOf1s(repeat(12, { requests: 3 })), buildExecutor('spike', { durationMs: 12_000 }))
    expect(report.status).toBe('no-data')
    expect(report.spikeErrors.reason).toBe('spike: errors during the spike not judged: 12 requests, fewer than 20; lengthen the test or raise vus')
    expect(report.recovery.reason).toBe('spike: recovery not judged: fewer than 20 requests before the spike to compare with; lengthen the test or raise vus')
  })
})
