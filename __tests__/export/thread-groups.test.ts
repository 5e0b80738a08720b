/**
 * k6 load profiles as standard JMeter Thread Groups: the user count JMeter runs at each second
 * follows k6's (exact when holding, within one user when rising, a staircase of at most
 * MAX_STEPS_PER_FALL steps when falling), with a bounded number of groups.
 */
import { exportLoad, type ClosedExecutor } from '../../src/export/load-shape.js'
import { MAX_STEPS_PER_FALL, threadGroupsFor, threadsAt } from '../../src/export/thread-groups.js'
import { buildExecutor, type Executor } from '../../src/plan/profiles.js'

function closed(executor: Executor): ClosedExecutor {
  if (executor.type !== 'constant-vus' && executor.type !== 'ramping-vus') throw new Error(`not a closed-model executor: ${executor.type}`)
  return executor
}

/** k6's target at `t` seconds: linear between stage targets. */
function k6Users(executor: ClosedExecutor, t: number): number {
  if (executor.type === 'constant-vus') return t < executor.durationMs / 1000 ? executor.vus : 0
  let start = 0
  let from = executor.startVus
  for (const stage of executor.stages) {
    const seconds = stage.durationMs / 1000
    if (t < start + seconds) return from + ((stage.target - from) * (t - start)) / seconds
    start += seconds
    from = stage.target
  }
  return 0
}

const profiles: ReadonlyArray<{ name: string; executor: ClosedExecutor; maxGroups: number }> = [
  { name: 'smoke, 5 users for 30 s', executor: closed(buildExecutor('smoke', {})), maxGroups: 1 },
  { name: 'load, 0→50→100→0 over 10 min', executor: closed(buildExecutor('load', {})), maxGroups: 2 * MAX_STEPS_PER_FALL },
  { name: 'load, 20 users over 5 min', executor: closed(buildExecutor('load', { vus: 20, durationMs: 300_000 })), maxGroups: 2 * MAX_STEPS_PER_FALL },
  {
    name: 'spike, 10 users, 50 for 2 min, back to 10',
    executor: {
      type: 'ramping-vus',
      startVus: 10,
      stages: [
        { durationMs: 1000, target: 50 },
        { durationMs: 120_000, target: 50 },
        { durationMs: 1000, target: 10 },
        { durationMs: 180_000, target: 10 },
      ],
    },
    maxGroups: 1 + MAX_STEPS_PER_FALL,
  },
  {
    name: 'stress, stepped to 300 and a recovery',
    executor: {
      type: 'ramping-vus',
      startVus: 0,
      stages: [
        { durationMs: 120_000, target: 100 },
        { durationMs: 300_000, target: 100 },
        { durationMs: 120_000, target: 200 },
        { durationMs: 300_000, target: 200 },
        { durationMs: 120_000, target: 300 },
        { durationMs: 300_000, target: 300 },
        { durationMs: 300_000, target: 0 },
      ],
    },
    maxGroups: 3 * MAX_STEPS_PER_FALL,
  },
]

describe('threadGroupsFor', () => {
  it.each(profiles)('$name: follows k6 second by second', ({ executor, maxGroups }) => {
    const groups = threadGroupsFor(executor)
    expect(groups.length).toBeGreaterThanOrEqual(1)
    expect(groups.length).toBeLessThanOrEqual(maxGroups)
    for (const g of groups) {
      expect(Number.isInteger(g.delaySeconds) && Number.isInteger(g.rampSeconds) && Number.isInteger(g.durationSeconds)).toBe(true)
      expect(g.threads).toBeGreaterThan(0)
      expect(g.durationSeconds).toBeGreaterThan(0)
    }
    const stages = executor.type === 'constant-vus' ? [{ durationMs: executor.durationMs, target: executor.vus }] : executor.stages
    const total = stages.reduce((s, x) => s + x.durationMs / 1000, 0)
    const peak = Math.max(...stages.map((s) => s.target), executor.type === 'ramping-vus' ? executor.startVus : 0)
    // JMeter's times are whole seconds: compare with k6 anywhere within a second either side.
    for (let t = 0; t < total; t += 0.5) {
      const near = [t - 1, t - 0.5, t, t + 0.5, t + 1].filter((x) => x >= 0 && x < total).map((x) => k6Users(executor, x))
      const falling = executor.type === 'ramping-vus' && isFalling(executor, t)
      const slack = falling ? Math.ceil(peak / MAX_STEPS_PER_FALL) + 1 : 1
      const running = threadsAt(groups, t)
      if (running < Math.min(...near) - slack || running > Math.max(...near) + slack) {
        throw new Error(`at ${t} s JMeter runs ${running} users, k6 ${k6Users(executor, t)} (allowed ±${slack} within a second)`)
      }
    }
    expect(threadsAt(groups, total + 1)).toBe(0)
  })

  it('writes a constant profile as one group, all users at once', () => {
    expect(threadGroupsFor({ type: 'constant-vus', vus: 5, durationMs: 10_000 })).toEqual([
      { threads: 5, delaySeconds: 0, rampSeconds: 0, durationSeconds: 10 },
    ])
  })

  it('keeps the users a spike adds in groups of their own', () => {
    const groups = threadGroupsFor(profiles[3]!.executor)
    expect(groups[0]).toEqual({ threads: 10, delaySeconds: 0, rampSeconds: 0, durationSeconds: 302 })
    expect(groups.slice(1).reduce((n, g) => n + g.threads, 0)).toBe(40)
  })
})

function isFalling(executor: Extract<ClosedExecutor, { type: 'ramping-vus' }>, t: number): boolean {
  let start = 0
  let from = executor.startVus
  for (const stage of executor.stages) {
    const seconds = stage.durationMs / 1000
    // The second around a stage boundary counts with the stage on either side.
    if (t < start + seconds + 1 && t >= start - 1 && stage.target < from) return true
    start += seconds
    from = stage.target
  }
  return false
}

describe('exportLoad', () => {
  it('keeps closed-model executors as they are', () => {
    const executor = closed(buildExecutor('load', { vus: 20, durationMs: 300_000 }))
    const load = exportLoad(executor)
    expect(load).toMatchObject({ model: 'closed', users: executor })
    expect(load.perUserRate).toBeUndefined()
  })

  it('turns a constant arrival rate into paced users whose rates add up to it', () => {
    const load = exportLoad({ type: 'constant-arrival-rate', rate: 40, durationMs: 5000, preAllocatedVus: 4, maxVus: 100 })
    expect(load).toMatchObject({ model: 'open', users: { type: 'constant-vus', vus: 8, durationMs: 5000 }, perUserRate: 5 })
  })

  it('never exceeds maxVUs: the users get faster instead', () => {
    const load = exportLoad({ type: 'constant-arrival-rate', rate: 1000, durationMs: 5000, preAllocatedVus: 100, maxVus: 50 })
    expect(load).toMatchObject({ users: { vus: 50 }, perUserRate: 20 })
  })

  it('follows a ramping arrival rate with the number of paced users', () => {
    const load = exportLoad({
      type: 'ramping-arrival-rate',
      startRate: 0,
      stages: [
        { durationMs: 60_000, target: 100 },
        { durationMs: 60_000, target: 1000 },
      ],
      preAllocatedVus: 100,
      maxVus: 1000,
    })
    expect(load.perUserRate).toBe(5)
    expect(load.users).toEqual({
      type: 'ramping-vus',
      startVus: 0,
      stages: [
        { durationMs: 60_000, target: 20 },
        { durationMs: 60_000, target: 200 },
      ],
    })
  })

  it.each(['smoke', 'load', 'ramp', 'soak', 'spike', 'stress', 'breakpoint'] as const)('exports every built-in profile: %s', (profile) => {
    const load = exportLoad(buildExecutor(profile, {}))
    expect(threadGroupsFor(load.users).length).toBeGreaterThan(0)
  })
})
