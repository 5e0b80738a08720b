/**
 * A load profile (users over time, see load-shape.ts) as standard JMeter Thread Groups (no plugins).
 * Constant VUs: one group. Ramping VUs: the curve cut into layers of groups, users starting as k6
 * adds them; a falling stage becomes a staircase of at most MAX_STEPS_PER_FALL steps. Times are
 * whole seconds. The construction: docs/export.md ("src/export/thread-groups.ts").
 */
import type { ClosedExecutor } from './load-shape.js'

/** How many steps a falling stage becomes at most: it bounds the number of Thread Groups. */
export const MAX_STEPS_PER_FALL = 10

export interface ThreadGroupSpec {
  threads: number
  /** Seconds from the start of the test until the group starts its first thread. */
  delaySeconds: number
  /** Seconds over which the group starts its threads, evenly. */
  rampSeconds: number
  /** Seconds from the group's start (after its delay) until all its threads stop. */
  durationSeconds: number
}

interface Life {
  user: number
  /** Index of the rising stage that starts this user; -1 when the user runs from the start. */
  stage: number
  start: number
  /** Seconds between two users starting in that stage. */
  spacing: number
  end: number
}

export function threadGroupsFor(executor: ClosedExecutor): ThreadGroupSpec[] {
  if (executor.type === 'constant-vus') {
    return [{ threads: executor.vus, delaySeconds: 0, rampSeconds: 0, durationSeconds: Math.max(1, Math.round(executor.durationMs / 1000)) }]
  }
  const lives = livesOf(
    executor.startVus,
    executor.stages.map((s) => ({ seconds: s.durationMs / 1000, target: s.target })),
  )
  // One group per run of consecutive users that start in the same stage and stop at the same time.
  const byKey = new Map<string, Life[]>()
  for (const life of lives) {
    const key = `${life.stage}:${life.end}`
    byKey.set(key, [...(byKey.get(key) ?? []), life])
  }
  const groups: ThreadGroupSpec[] = []
  for (const members of byKey.values()) {
    members.sort((a, b) => a.user - b.user)
    let run: Life[] = []
    const flush = (): void => {
      if (run.length === 0) return
      const first = run[0]!
      const delay = Math.round(first.start)
      const ramp = first.stage === -1 ? 0 : Math.round(run.length * first.spacing)
      groups.push({ threads: run.length, delaySeconds: delay, rampSeconds: ramp, durationSeconds: Math.max(1, Math.round(first.end) - delay) })
      run = []
    }
    for (const life of members) {
      if (run.length > 0 && life.user !== run[run.length - 1]!.user + 1) flush()
      run.push(life)
    }
    flush()
  }
  return groups.sort(
    (a, b) => a.delaySeconds - b.delaySeconds || b.durationSeconds - a.durationSeconds || a.rampSeconds - b.rampSeconds || b.threads - a.threads,
  )
}

/** When each virtual user runs: one entry per uninterrupted stretch. */
function livesOf(startVus: number, stages: ReadonlyArray<{ seconds: number; target: number }>): Life[] {
  const total = stages.reduce((sum, s) => sum + s.seconds, 0)
  const peak = Math.max(startVus, ...stages.map((s) => s.target))
  const lives: Life[] = []
  for (let user = 1; user <= peak; user++) {
    let current: Omit<Life, 'end'> | undefined = user <= startVus ? { user, stage: -1, start: 0, spacing: 0 } : undefined
    let t0 = 0
    let from = startVus
    for (const [index, stage] of stages.entries()) {
      const to = stage.target
      if (to > from && !current && user > from && user <= to) {
        const spacing = stage.seconds / (to - from)
        current = { user, stage: index, start: t0 + (user - 0.5 - from) * spacing, spacing }
      } else if (to < from && current && user > to && user <= from) {
        const exact = t0 + ((from - user + 0.5) * stage.seconds) / (from - to)
        // JMeter stops threads on whole seconds, so a step is never shorter than one.
        const step = stage.seconds / Math.max(1, Math.min(MAX_STEPS_PER_FALL, from - to, Math.floor(stage.seconds)))
        lives.push({ ...current, end: Math.max(current.start, Math.round(t0 + Math.round((exact - t0) / step) * step)) })
        current = undefined
      }
      t0 += stage.seconds
      from = to
    }
    if (current) lives.push({ ...current, end: Math.round(total) })
  }
  // A stretch that rounds to nothing never runs.
  return lives.filter((life) => Math.round(life.end) > Math.round(life.start))
}

/** Virtual users running at `second` under these groups (for tests and documentation). */
export function threadsAt(groups: readonly ThreadGroupSpec[], second: number): number {
  let running = 0
  for (const g of groups) {
    for (let j = 0; j < g.threads; j++) {
      const start = g.delaySeconds + (j * g.rampSeconds) / g.threads
      if (second >= start && second < g.delaySeconds + g.durationSeconds) running++
    }
  }
  return running
}
