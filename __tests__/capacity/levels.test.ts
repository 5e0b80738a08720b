import { levelSchedule, plannedDurationMs, stopAfter } from '../../src/capacity/levels.js'
import type { CapacityLevel } from '../../src/capacity/measurements.js'

function level(n: number, vus: number, rps: number, p95Ms: number, errorRate = 0): CapacityLevel {
  return {
    level: n,
    vus,
    measuredSeconds: 10,
    requests: rps * 10,
    failures: Math.round(rps * 10 * errorRate),
    throughputRps: rps,
    meanMs: p95Ms / 2,
    p50Ms: p95Ms / 2,
    p95Ms,
    p99Ms: p95Ms,
    errorRate,
    droppedIterations: 0,
    endpoints: [],
  }
}

describe('the level schedule', () => {
  it('runs the levels back to back, each for level-duration', () => {
    expect(levelSchedule({ levels: [1, 2, 4], levelDurationMs: 30_000 })).toEqual([
      { level: 1, vus: 1, startMs: 0, durationMs: 30_000 },
      { level: 2, vus: 2, startMs: 30_000, durationMs: 30_000 },
      { level: 3, vus: 4, startMs: 60_000, durationMs: 30_000 },
    ])
    expect(plannedDurationMs({ levels: [1, 2, 4], levelDurationMs: 30_000 })).toBe(90_000)
  })
})

describe('the run stops early', () => {
  const listed = { auto: false, targetP95Ms: 100 }
  const auto = { auto: true, targetP95Ms: 100 }

  it('after a level whose p95 is over 10× the target, levels listed or auto', () => {
    expect(stopAfter([level(1, 1, 50, 20), level(2, 2, 60, 1200)], listed)).toEqual({
      kind: 'far-past',
      afterLevel: 2,
      reason: 'stopped after level 2 (2 VUs): p95 1200 ms is over 10× the 100 ms target',
    })
  })

  it('after a level with more than 20 % errors', () => {
    expect(stopAfter([level(1, 1, 50, 20, 0.25)], listed)?.reason).toBe('stopped after level 1 (1 VUs): 25 % of requests failed (over 20 %)')
  })

  it('not for listed levels that are merely past the target', () => {
    expect(stopAfter([level(1, 1, 50, 20), level(2, 2, 50, 300), level(3, 4, 50, 600)], listed)).toBeUndefined()
  })

  it('with auto, once p95 passes twice the target', () => {
    expect(stopAfter([level(1, 1, 50, 20), level(2, 2, 90, 250)], auto)).toMatchObject({
      kind: 'auto',
      reason: expect.stringMatching(/over twice the 100 ms target/),
    })
  })

  it('with auto, once throughput grew under 5 % twice in a row', () => {
    const flat = [level(1, 1, 50, 20), level(2, 2, 100, 20), level(3, 4, 103, 40), level(4, 8, 104, 80)]
    expect(stopAfter(flat, auto)?.reason).toBe('auto stopped after level 4 (8 VUs): throughput grew less than 5 % over each of the last 2 levels (3 %, 1 %)')
    // Once is not enough: a noisy level must not end the run.
    expect(stopAfter(flat.slice(0, 3), auto)).toBeUndefined()
  })

  it('never on a level that measured nothing', () => {
    expect(stopAfter([{ ...level(1, 1, 0, 0), requests: 0 }], auto)).toBeUndefined()
  })
})
