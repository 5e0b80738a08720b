/**
 * Load profiles as k6 executors: the design's numbers, every override, the VU cap, weighted
 * schedules. Pure; the real k6 runs are in profiles-k6.test.ts.
 */
import {
  ALL_PROFILE_NAMES,
  buildExecutor,
  checkVuCap,
  describeExecutor,
  peakVus,
  profileProblems,
  targetAt,
  totalDurationMs,
  weightedSchedule,
  type Executor,
  type ProfileName,
  type ProfileOverrides,
} from '../../src/plan/profiles.js'

const s = (seconds: number, target: number) => ({ durationMs: seconds * 1000, target })

describe('each profile by default: the design numbers', () => {
  const cases: Array<{ profile: ProfileName; expected: Executor; totalS: number; peak: number }> = [
    { profile: 'smoke', expected: { type: 'constant-vus', vus: 5, durationMs: 30_000 }, totalS: 30, peak: 5 },
    {
      profile: 'load',
      // 1 m 0→50, 3 m at 50, 1 m 50→100, 3 m at 100, 2 m 100→0
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(60, 50), s(180, 50), s(60, 100), s(180, 100), s(120, 0)] },
      totalS: 600,
      peak: 100,
    },
    { profile: 'ramp', expected: { type: 'ramping-vus', startVus: 0, stages: [s(240, 100), s(30, 100), s(30, 0)] }, totalS: 300, peak: 100 },
    {
      profile: 'soak',
      // 5 m ramp to 100, hours at 100, 5 m down
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(300, 100), s(7200, 100), s(300, 0)] },
      totalS: 7800,
      peak: 100,
    },
    {
      profile: 'spike',
      // baseline 10 VUs, instant jump to 50 (5×) for 120 s, 180 s recovery
      expected: { type: 'ramping-vus', startVus: 10, stages: [s(60, 10), s(0, 50), s(120, 50), s(0, 10), s(180, 10)] },
      totalS: 360,
      peak: 50,
    },
    {
      profile: 'stress',
      // 2 m →100, 5 m at 100, 2 m →200, 5 m at 200, 2 m →300, 5 m at 300, 5 m →0 (recovery)
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(120, 100), s(300, 100), s(120, 200), s(300, 200), s(120, 300), s(300, 300), s(300, 0)] },
      totalS: 1560,
      peak: 300,
    },
    {
      profile: 'breakpoint',
      // open model, arrival rate ramping until SLOs fail; maxVUs is the 1000 VU cap
      expected: {
        type: 'ramping-arrival-rate',
        startRate: 0,
        stages: [s(600, 1000)],
        preAllocatedVus: 100,
        maxVus: 1000,
        abortOnFail: { delayAbortEvalMs: 10_000 },
      },
      totalS: 600,
      peak: 1000,
    },
  ]

  it('covers every profile', () => {
    expect(cases.map((c) => c.profile)).toEqual([...ALL_PROFILE_NAMES])
  })

  it.each(cases)('$profile', ({ profile, expected, totalS, peak }) => {
    const executor = buildExecutor(profile)
    expect(executor).toEqual(expected)
    expect(totalDurationMs(executor)).toBe(totalS * 1000)
    expect(peakVus(executor)).toBe(peak)
    expect(profileProblems(profile, {})).toEqual([])
  })
})

describe('overrides', () => {
  const cases: Array<{ what: string; profile: ProfileName; overrides: ProfileOverrides; expected: Executor }> = [
    {
      what: 'load: vus is the peak and duration scales every stage (the petstore golden file)',
      profile: 'load',
      overrides: { vus: 20, durationMs: 300_000 },
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(30, 10), s(90, 10), s(30, 20), s(90, 20), s(60, 0)] },
    },
    {
      what: 'smoke: vus and duration',
      profile: 'smoke',
      overrides: { vus: 2, durationMs: 3000 },
      expected: { type: 'constant-vus', vus: 2, durationMs: 3000 },
    },
    {
      what: 'spike: vus is the peak, the baseline a fifth of it',
      profile: 'spike',
      overrides: { vus: 100 },
      expected: { type: 'ramping-vus', startVus: 20, stages: [s(60, 20), s(0, 100), s(120, 100), s(0, 20), s(180, 20)] },
    },
    {
      what: 'spike: duration scales the phases, the jumps stay instant',
      profile: 'spike',
      overrides: { durationMs: 36_000 },
      expected: { type: 'ramping-vus', startVus: 10, stages: [s(6, 10), s(0, 50), s(12, 50), s(0, 10), s(18, 10)] },
    },
    {
      what: 'stress: vus is the last step, the others a third and two thirds of it',
      profile: 'stress',
      overrides: { vus: 30, durationMs: 26_000 },
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(2, 10), s(5, 10), s(2, 20), s(5, 20), s(2, 30), s(5, 30), s(5, 0)] },
    },
    {
      what: 'soak: hold sets the time at the target, the 5 m ramps stay',
      profile: 'soak',
      overrides: { holdMs: 4 * 3_600_000 },
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(300, 100), s(4 * 3600, 100), s(300, 0)] },
    },
    {
      what: 'soak: duration alone scales the whole shape, each stage at least 1 s',
      profile: 'soak',
      overrides: { durationMs: 30_000, vus: 4 },
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(1, 4), s(28, 4), s(1, 0)] },
    },
    {
      what: 'soak: hold and duration, the ramps share what is left',
      profile: 'soak',
      overrides: { durationMs: 30_000, holdMs: 20_000 },
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(5, 100), s(20, 100), s(5, 0)] },
    },
    {
      what: 'smoke in the open model: constant-arrival-rate, VUs for 100 ms iterations, maxVUs the cap',
      profile: 'smoke',
      overrides: { model: 'open', rate: 20, durationMs: 3000 },
      expected: { type: 'constant-arrival-rate', rate: 20, durationMs: 3000, preAllocatedVus: 2, maxVus: 1000 },
    },
    {
      what: 'smoke in the open model without rate: the peak VUs become iterations/s',
      profile: 'smoke',
      overrides: { model: 'open' },
      expected: { type: 'constant-arrival-rate', rate: 5, durationMs: 30_000, preAllocatedVus: 1, maxVus: 1000 },
    },
    {
      what: 'load in the open model: rate is the peak, vus is maxVUs',
      profile: 'load',
      overrides: { model: 'open', rate: 200, vus: 300 },
      expected: {
        type: 'ramping-arrival-rate',
        startRate: 0,
        stages: [s(60, 100), s(180, 100), s(60, 200), s(180, 200), s(120, 0)],
        preAllocatedVus: 20,
        maxVus: 300,
      },
    },
    {
      what: 'spike in the open model: 10 → 50 iterations/s',
      profile: 'spike',
      overrides: { model: 'open', preAllocatedVus: 8 },
      expected: {
        type: 'ramping-arrival-rate',
        startRate: 10,
        stages: [s(60, 10), s(0, 50), s(120, 50), s(0, 10), s(180, 10)],
        preAllocatedVus: 8,
        maxVus: 1000,
      },
    },
    {
      what: 'breakpoint: rate, duration, pre-allocated VUs and maxVUs; the abort delay shrinks with a short test',
      profile: 'breakpoint',
      overrides: { rate: 50, durationMs: 20_000, preAllocatedVus: 5, vus: 40 },
      expected: { type: 'ramping-arrival-rate', startRate: 0, stages: [s(20, 50)], preAllocatedVus: 5, maxVus: 40, abortOnFail: { delayAbortEvalMs: 2000 } },
    },
    {
      what: 'breakpoint: a raised or lowered max-vus is its maxVUs',
      profile: 'breakpoint',
      overrides: { maxVus: 200 },
      expected: {
        type: 'ramping-arrival-rate',
        startRate: 0,
        stages: [s(600, 1000)],
        preAllocatedVus: 100,
        maxVus: 200,
        abortOnFail: { delayAbortEvalMs: 10_000 },
      },
    },
    {
      what: 'custom stages, closed model: ramping-vus from 0',
      profile: 'load',
      overrides: { stages: [s(10, 5), s(0, 20), s(10, 20), s(5, 0)] },
      expected: { type: 'ramping-vus', startVus: 0, stages: [s(10, 5), s(0, 20), s(10, 20), s(5, 0)] },
    },
    {
      what: 'custom stages, open model: ramping-arrival-rate sized for the highest target',
      profile: 'stress',
      overrides: { model: 'open', stages: [s(10, 30), s(10, 300)], vus: 500 },
      expected: { type: 'ramping-arrival-rate', startRate: 0, stages: [s(10, 30), s(10, 300)], preAllocatedVus: 30, maxVus: 500 },
    },
    {
      what: 'custom stages on breakpoint keep the stop at the first SLO crossed',
      profile: 'breakpoint',
      overrides: { stages: [s(60, 100), s(60, 400)] },
      expected: {
        type: 'ramping-arrival-rate',
        startRate: 0,
        stages: [s(60, 100), s(60, 400)],
        preAllocatedVus: 40,
        maxVus: 1000,
        abortOnFail: { delayAbortEvalMs: 10_000 },
      },
    },
  ]

  it.each(cases)('$what', ({ profile, overrides, expected }) => {
    expect(profileProblems(profile, overrides)).toEqual([])
    expect(buildExecutor(profile, overrides)).toEqual(expected)
  })

  it('keeps the total exact when scaling to an odd duration', () => {
    for (const profile of ['load', 'ramp', 'soak', 'spike', 'stress', 'breakpoint'] as const) {
      for (const seconds of [7, 13, 61, 333, 5400]) {
        expect(totalDurationMs(buildExecutor(profile, { durationMs: seconds * 1000 }))).toBe(seconds * 1000)
      }
    }
  })
})

describe('settings that do not fit together are refused, every problem at once', () => {
  const cases: Array<{ what: string; profile: ProfileName; overrides: ProfileOverrides; expected: RegExp[] }> = [
    {
      what: 'rate in the closed model',
      profile: 'load',
      overrides: { rate: 100 },
      expected: [/^rate: 100 iterations\/s applies to the open model only; set model: open/],
    },
    {
      what: 'pre-allocated VUs in the closed model',
      profile: 'smoke',
      overrides: { preAllocatedVus: 3 },
      expected: [/^pre-allocated-vus: applies to the open model only/],
    },
    {
      what: 'breakpoint in the closed model',
      profile: 'breakpoint',
      overrides: { model: 'closed' },
      expected: [/^model: breakpoint runs in the open model only/],
    },
    { what: 'hold outside soak', profile: 'load', overrides: { holdMs: 60_000 }, expected: [/^hold: applies to the soak profile only \(profile is load\)/] },
    {
      what: 'hold as long as the duration',
      profile: 'soak',
      overrides: { holdMs: 60_000, durationMs: 60_000 },
      expected: [/^hold: 1m leaves no time to ramp up and down within duration 1m/],
    },
    {
      what: 'stages with duration and vus',
      profile: 'load',
      overrides: { stages: [s(10, 5)], durationMs: 5000, vus: 3 },
      expected: [/^stages and duration are both set/, /^stages and vus are both set/],
    },
    {
      what: 'stages with rate in the open model',
      profile: 'breakpoint',
      overrides: { stages: [s(10, 5)], rate: 20 },
      expected: [/^stages and rate are both set/],
    },
    { what: 'stages of no length', profile: 'spike', overrides: { stages: [s(0, 5), s(0, 0)] }, expected: [/^stages: every stage lasts 0 s/] },
    {
      what: 'a stage above the VU cap',
      profile: 'load',
      overrides: { stages: [s(10, 2000)] },
      expected: [/^stages: a target of 2000 virtual users is above the cap of 1000; lower it or raise max-vus$/],
    },
    {
      what: 'open-model maxVUs above the cap',
      profile: 'breakpoint',
      overrides: { vus: 500, maxVus: 100 },
      expected: [/^vus: 500 \(the open model's maxVUs\) is above the cap of 100; lower vus or raise max-vus$/],
    },
    {
      what: 'more pre-allocated VUs than maxVUs',
      profile: 'breakpoint',
      overrides: { preAllocatedVus: 300, maxVus: 200 },
      expected: [/^pre-allocated-vus: 300 is more than maxVUs \(200, the max-vus cap\); lower it or raise max-vus$/],
    },
  ]

  it.each(cases)('$what', ({ profile, overrides, expected }) => {
    const problems = profileProblems(profile, overrides)
    expect(problems).toHaveLength(expected.length)
    expected.forEach((pattern, i) => expect(problems[i]).toMatch(pattern))
    expect(() => buildExecutor(profile, overrides)).toThrow(`profile ${profile}: ${problems.join('; ')}`)
  })
})

describe('the VU cap (max-vus)', () => {
  it.each([
    { what: 'a closed-model peak within the cap', profile: 'stress' as const, overrides: {}, cap: 300, expected: undefined },
    {
      what: 'a closed-model peak above the cap',
      profile: 'stress' as const,
      overrides: {},
      cap: 250,
      expected: "profile stress needs 300 virtual users at its peak, above the cap of 250; lower vus (or the stages' targets) or raise max-vus",
    },
    {
      what: 'open-model maxVUs above the cap',
      profile: 'breakpoint' as const,
      overrides: { vus: 1000 },
      cap: 500,
      expected: 'profile breakpoint may use up to 1000 virtual users (maxVUs), above the cap of 500; lower vus or raise max-vus',
    },
    { what: 'open-model maxVUs at the cap', profile: 'breakpoint' as const, overrides: { maxVus: 500 }, cap: 500, expected: undefined },
  ])('$what', ({ profile, overrides, cap, expected }) => {
    expect(checkVuCap(buildExecutor(profile, overrides), cap, profile)).toBe(expected)
  })
})

describe('weighted schedules', () => {
  const count = (schedule: number[], n: number) => Array.from({ length: n }, (_, i) => schedule.filter((x) => x === i).length)

  it('gives each operation turns in proportion to its weight, in the smallest cycle', () => {
    const schedule = weightedSchedule([1, 3, 2])
    expect(schedule).toHaveLength(6)
    expect(count(schedule, 3)).toEqual([1, 3, 2])
    expect(weightedSchedule([2, 6, 4])).toEqual(schedule)
    expect(weightedSchedule([0.5, 1.5, 1])).toEqual(schedule)
  })

  it('spreads turns evenly: no operation waits longer than its fair gap', () => {
    const schedule = weightedSchedule([5, 1, 1])
    expect(schedule).toEqual([0, 0, 1, 0, 2, 0, 0])
    const weights = [7, 3, 1, 1]
    const cycle = weightedSchedule(weights)
    const total = weights.reduce((a, b) => a + b, 0)
    weights.forEach((w, op) => {
      const positions = cycle.flatMap((x, i) => (x === op ? [i] : []))
      const gaps = positions.map((p, i) => (i === 0 ? p + total - positions.at(-1)! : p - positions[i - 1]))
      expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(total / w) + 1)
    })
  })

  it('is the same for the same weights', () => {
    expect(weightedSchedule([3, 1, 4, 1, 5, 9, 2, 6])).toEqual(weightedSchedule([3, 1, 4, 1, 5, 9, 2, 6]))
  })

  it('rounds ratios that need a long cycle, keeping every operation', () => {
    const schedule = weightedSchedule([1, 1000.3, Math.PI])
    expect(schedule.length).toBeLessThanOrEqual(1000)
    const counts = count(schedule, 3)
    expect(counts[0]).toBeGreaterThanOrEqual(1)
    expect(counts[1] / schedule.length).toBeCloseTo(1000.3 / (1001.3 + Math.PI), 2)
  })

  it('keeps one turn each for a large spec (GitHub has 1,223 operations)', () => {
    const weights = Array.from({ length: 1223 }, (_, i) => (i % 10 === 0 ? 3 : 1))
    const schedule = weightedSchedule(weights)
    const counts = count(schedule, weights.length)
    expect(counts.every((c, i) => c === weights[i])).toBe(true)
  })

  it('refuses weights that are not positive', () => {
    expect(() => weightedSchedule([1, 0])).toThrow('weights must be positive numbers, got 1, 0')
  })
})

describe('the schedule at a moment and the one-line description', () => {
  it('interpolates within a stage and holds after the last', () => {
    const spike = buildExecutor('spike')
    expect(targetAt(spike, 30_000)).toBe(10)
    expect(targetAt(spike, 60_000)).toBe(50)
    expect(targetAt(spike, 180_000)).toBe(10)
    expect(targetAt(buildExecutor('breakpoint'), 300_000)).toBe(500)
    expect(targetAt(buildExecutor('breakpoint'), 10 * 3_600_000)).toBe(1000)
  })

  it.each([
    { profile: 'smoke' as const, overrides: {}, text: '5 VUs for 30s' },
    { profile: 'soak' as const, overrides: {}, text: '0→100 VUs over 130m in 3 stage(s)' },
    { profile: 'stress' as const, overrides: {}, text: '0→300 VUs over 26m in 7 stage(s)' },
    { profile: 'smoke' as const, overrides: { model: 'open' as const, rate: 20 }, text: '20 iterations/s for 30s (2–1000 VUs)' },
    { profile: 'breakpoint' as const, overrides: {}, text: '0→1000 iterations/s over 10m in 1 stage(s) (100–1000 VUs), stopping at the first SLO crossed' },
  ])('$profile: $text', ({ profile, overrides, text }) => {
    expect(describeExecutor(buildExecutor(profile, overrides))).toBe(text)
  })
})
