/**
 * Load profiles: how much load, in what shape, for how long; which k6 executor runs it. Defaults are
 * the planning model the product design inherits; vus, duration, rate, hold, stages,
 * pre-allocated-vus and max-vus override them. Closed model: constant-vus, ramping-vus; open model:
 * the arrival-rate executors (breakpoint is open-model only and aborts at the first SLO crossed).
 * Pure: no I/O, no Config; validation is profileProblems(), which config loading calls.
 * The settings: docs/planning.md ("Load profiles"); the shapes: the README's "Profiles".
 */
import { UserError } from '../errors.js'

export const ALL_PROFILE_NAMES = ['smoke', 'load', 'ramp', 'soak', 'spike', 'stress', 'breakpoint'] as const
export type ProfileName = (typeof ALL_PROFILE_NAMES)[number]

/** closed: a number of VUs loops over the operations; open: iterations start at a rate. */
export const LOAD_MODELS = ['closed', 'open'] as const
export type LoadModel = (typeof LOAD_MODELS)[number]

export interface Stage {
  durationMs: number
  /** VUs (closed model) or iterations per second (open model) at the end of the stage. */
  target: number
}

/** Stop k6 as soon as an SLO threshold is crossed (k6's abortOnFail), after a grace period. */
export interface AbortOnFail {
  delayAbortEvalMs: number
}

export type Executor = (
  | { type: 'constant-vus'; vus: number; durationMs: number }
  | { type: 'ramping-vus'; startVus: number; stages: Stage[] }
  | { type: 'constant-arrival-rate'; rate: number; durationMs: number; preAllocatedVus: number; maxVus: number }
  | { type: 'ramping-arrival-rate'; startRate: number; stages: Stage[]; preAllocatedVus: number; maxVus: number }
) & { abortOnFail?: AbortOnFail }

export interface ProfileOverrides {
  /** Closed model: the peak VUs. Open model: maxVUs. */
  vus?: number
  /** The whole test; the profile's stages scale with it. */
  durationMs?: number
  /** Default: open for breakpoint, closed for every other profile. */
  model?: LoadModel
  /** Open model: the peak arrival rate, iterations per second. */
  rate?: number
  /** Open model: VUs k6 starts with. Default: enough for 100 ms iterations at the peak rate. */
  preAllocatedVus?: number
  /** A custom shape, replacing the profile's. */
  stages?: readonly Stage[]
  /** soak: the time at the target. */
  holdMs?: number
  /** The cap on VUs (max-vus); also the open model's maxVUs unless vus sets it. */
  maxVus?: number
}

/** The cap on virtual users unless the config raises it (max-vus). */
export const DEFAULT_MAX_VUS = 1000
/** The open model pre-allocates VUs for iterations of this length at the peak rate. */
const PREALLOCATED_ITERATION_MS = 100
/** breakpoint: how long k6 waits before an SLO crossed may stop it, at most. */
const MAX_ABORT_DELAY_MS = 10_000

/**
 * A profile's shape: stages in milliseconds whose targets are fractions of the peak, so vus
 * (or rate) scales every target and duration scales every stage alike.
 */
interface Shape {
  /** The peak: VUs in the closed model, iterations/s in the open model. */
  peak: number
  /** Where the test starts, as a fraction of the peak. */
  start: number
  stages: ReadonlyArray<{ ms: number; fraction: number }>
  /** The stage `hold` replaces (soak). */
  holdStage?: number
  /** One constant level for the whole test (smoke): constant-vus / constant-arrival-rate. */
  constant?: boolean
  model: LoadModel
  /** Stop at the first SLO crossed. */
  abortOnFail?: boolean
}

const m = 60_000

const PROFILE_SHAPES: Readonly<Record<ProfileName, Shape>> = {
  /** smoke: 5 VUs for 30 s, steady: a short check that fits a pull-request gate. */
  smoke: { peak: 5, start: 1, stages: [{ ms: 30_000, fraction: 1 }], constant: true, model: 'closed' },
  /** load: 1 m 0→50, 3 m at 50, 1 m 50→100, 3 m at 100, 2 m 100→0 (10 m). */
  load: {
    peak: 100,
    start: 0,
    stages: [
      { ms: 1 * m, fraction: 0.5 },
      { ms: 3 * m, fraction: 0.5 },
      { ms: 1 * m, fraction: 1 },
      { ms: 3 * m, fraction: 1 },
      { ms: 2 * m, fraction: 0 },
    ],
    model: 'closed',
  },
  /** ramp: 4 m 0→100 at an even pace, 30 s at 100, 30 s down: how latency grows with load (5 m). */
  ramp: {
    peak: 100,
    start: 0,
    stages: [
      { ms: 4 * m, fraction: 1 },
      { ms: 30_000, fraction: 1 },
      { ms: 30_000, fraction: 0 },
    ],
    model: 'closed',
  },
  /** soak: 5 m ramp to 100, 2 h at 100 (hold), 5 m down: drift over time (leaks, pools, caches). */
  soak: {
    peak: 100,
    start: 0,
    stages: [
      { ms: 5 * m, fraction: 1 },
      { ms: 120 * m, fraction: 1 },
      { ms: 5 * m, fraction: 0 },
    ],
    holdStage: 1,
    model: 'closed',
  },
  /** spike: 1 m at 10, instant jump to 50 (5×) for 120 s, instant drop to 10 for 180 s of recovery (6 m). */
  spike: {
    peak: 50,
    start: 0.2,
    stages: [
      { ms: 1 * m, fraction: 0.2 },
      { ms: 0, fraction: 1 },
      { ms: 120_000, fraction: 1 },
      { ms: 0, fraction: 0.2 },
      { ms: 180_000, fraction: 0.2 },
    ],
    model: 'closed',
  },
  /** stress: 2 m →100, 5 m at 100, 2 m →200, 5 m at 200, 2 m →300, 5 m at 300, 5 m →0 recovery (26 m). */
  stress: {
    peak: 300,
    start: 0,
    stages: [
      { ms: 2 * m, fraction: 1 / 3 },
      { ms: 5 * m, fraction: 1 / 3 },
      { ms: 2 * m, fraction: 2 / 3 },
      { ms: 5 * m, fraction: 2 / 3 },
      { ms: 2 * m, fraction: 1 },
      { ms: 5 * m, fraction: 1 },
      { ms: 5 * m, fraction: 0 },
    ],
    model: 'closed',
  },
  /** breakpoint: arrival rate ramping 0→1000 iterations/s over 10 m; k6 stops at the first SLO crossed. */
  breakpoint: { peak: 1000, start: 0, stages: [{ ms: 10 * m, fraction: 1 }], model: 'open', abortOnFail: true },
}

/** The model a profile runs in when the config does not say. */
export function defaultModel(profile: ProfileName): LoadModel {
  return PROFILE_SHAPES[profile].model
}

/**
 * Every problem with a profile's overrides, each naming the setting and the value; empty when the
 * executor can be built. Config loading reports these with the rest; buildExecutor refuses them.
 */
export function profileProblems(profile: ProfileName, o: ProfileOverrides): string[] {
  const problems: string[] = []
  const model = o.model ?? defaultModel(profile)
  const cap = o.maxVus ?? DEFAULT_MAX_VUS
  if (profile === 'breakpoint' && model === 'closed') {
    problems.push('model: breakpoint runs in the open model only (arrival rate ramping until an SLO fails); remove model: closed or pick the stress profile')
  }
  if (model === 'closed') {
    if (o.rate !== undefined) problems.push(`rate: ${o.rate} iterations/s applies to the open model only; set model: open, or set vus for the closed model`)
    if (o.preAllocatedVus !== undefined) problems.push('pre-allocated-vus: applies to the open model only; set model: open or remove it')
  }
  if (o.holdMs !== undefined && profile !== 'soak') problems.push(`hold: applies to the soak profile only (profile is ${profile}); use duration or stages`)
  if (o.stages !== undefined) {
    if (o.durationMs !== undefined) problems.push('stages and duration are both set: stages give the whole shape and its length; remove one')
    if (o.holdMs !== undefined) problems.push('stages and hold are both set: stages give the whole shape; remove hold')
    if (model === 'closed' && o.vus !== undefined) problems.push("stages and vus are both set: the stages' targets are the VUs; remove vus")
    if (model === 'open' && o.rate !== undefined) problems.push("stages and rate are both set: the stages' targets are the rates; remove rate")
    if (o.stages.length === 0) problems.push('stages: expected at least one { duration, target }')
    else if (o.stages.every((s) => s.durationMs === 0)) problems.push('stages: every stage lasts 0 s, so no load would run')
    if (model === 'closed') {
      const peak = Math.max(0, ...o.stages.map((s) => s.target))
      if (peak > cap) problems.push(`stages: a target of ${peak} virtual users is above the cap of ${cap}; lower it or raise max-vus`)
    }
  }
  if (o.holdMs !== undefined && o.durationMs !== undefined && o.holdMs >= o.durationMs && o.stages === undefined) {
    problems.push(
      `hold: ${k6DurationText(o.holdMs)} leaves no time to ramp up and down within duration ${k6DurationText(o.durationMs)}; lengthen duration or shorten hold`,
    )
  }
  if (model === 'open') {
    const maxVus = o.vus ?? cap
    if (maxVus > cap) problems.push(`vus: ${maxVus} (the open model's maxVUs) is above the cap of ${cap}; lower vus or raise max-vus`)
    if (o.preAllocatedVus !== undefined && o.preAllocatedVus > maxVus) {
      const source = o.vus === undefined ? 'max-vus' : 'vus'
      problems.push(
        `pre-allocated-vus: ${o.preAllocatedVus} is more than maxVUs (${maxVus}, ${source === 'vus' ? 'from vus' : 'the max-vus cap'}); lower it or raise ${source}`,
      )
    }
    if (o.stages?.some((s) => !Number.isInteger(s.target))) problems.push('stages: in the open model targets are iterations per second, whole numbers')
  }
  return problems
}

/** The k6 executor for a profile: its default shape with the overrides applied. */
export function buildExecutor(profile: ProfileName, overrides: ProfileOverrides = {}): Executor {
  const problems = profileProblems(profile, overrides)
  if (problems.length > 0) throw new UserError(`profile ${profile}: ${problems.join('; ')}`)
  const shape = PROFILE_SHAPES[profile]
  const model = overrides.model ?? shape.model
  const cap = overrides.maxVus ?? DEFAULT_MAX_VUS

  let executor: Executor
  if (overrides.stages !== undefined) {
    const stages = overrides.stages.map((s) => ({ durationMs: s.durationMs, target: s.target }))
    executor = model === 'closed' ? { type: 'ramping-vus', startVus: 0, stages } : openExecutor({ startRate: 0, stages }, overrides, cap)
  } else {
    const peak = (model === 'closed' ? overrides.vus : overrides.rate) ?? shape.peak
    const level = (fraction: number) => (fraction === 0 ? 0 : Math.max(1, Math.round(peak * fraction)))
    const durations = stageDurations(shape, overrides)
    if (shape.constant) {
      executor =
        model === 'closed'
          ? { type: 'constant-vus', vus: peak, durationMs: durations[0] }
          : { type: 'constant-arrival-rate', rate: peak, durationMs: durations[0], ...openVus(peak, overrides, cap) }
    } else {
      const stages = shape.stages.map((s, i) => ({ durationMs: durations[i], target: level(s.fraction) }))
      executor =
        model === 'closed'
          ? { type: 'ramping-vus', startVus: level(shape.start), stages }
          : openExecutor({ startRate: level(shape.start), stages }, overrides, cap)
    }
  }
  if (shape.abortOnFail) executor.abortOnFail = { delayAbortEvalMs: abortDelayMs(totalDurationMs(executor)) }
  return executor
}

function openExecutor(ramp: { startRate: number; stages: Stage[] }, overrides: ProfileOverrides, cap: number): Executor {
  const peakRate = Math.max(ramp.startRate, ...ramp.stages.map((s) => s.target))
  return { type: 'ramping-arrival-rate', ...ramp, ...openVus(peakRate, overrides, cap) }
}

function openVus(peakRate: number, overrides: ProfileOverrides, cap: number): { preAllocatedVus: number; maxVus: number } {
  const maxVus = overrides.vus ?? cap
  const preAllocatedVus = overrides.preAllocatedVus ?? Math.min(maxVus, Math.max(1, Math.ceil((peakRate * PREALLOCATED_ITERATION_MS) / 1000)))
  return { preAllocatedVus, maxVus }
}

/**
 * Stage lengths: the shape's own, or scaled so the whole lasts `duration`. Stage ends are rounded
 * to whole seconds from the start, so the total is exact; a stage that lasts keeps at least 1 s,
 * and an instant jump (0 s) stays instant.
 */
function stageDurations(shape: Shape, o: ProfileOverrides): number[] {
  const natural = shape.stages.map((s) => s.ms)
  if (shape.holdStage !== undefined && o.holdMs !== undefined) {
    const rampMs = o.durationMs !== undefined ? Math.round((o.durationMs - o.holdMs) / 2) : undefined
    return natural.map((stageMs, i) => (i === shape.holdStage ? o.holdMs! : stageMs > 0 ? (rampMs ?? stageMs) : 0))
  }
  if (o.durationMs === undefined) return natural
  if (shape.constant) return [o.durationMs]
  const total = natural.reduce((a, b) => a + b, 0)
  let stagesLeft = natural.filter((stageMs) => stageMs > 0).length
  let elapsed = 0
  let end = 0
  return natural.map((stageMs) => {
    elapsed += stageMs
    if (stageMs === 0) return 0
    stagesLeft--
    const ideal = Math.round((o.durationMs! * elapsed) / total / 1000) * 1000
    const next = Math.max(end + 1000, Math.min(ideal, o.durationMs! - stagesLeft * 1000))
    const length = next - end
    end = next
    return length
  })
}

/** 10 s, or a tenth of a short test (at least 1 s), so a test of seconds can still stop early. */
function abortDelayMs(totalMs: number): number {
  return Math.min(MAX_ABORT_DELAY_MS, Math.max(1000, Math.floor(totalMs / 10_000) * 1000))
}

/** The most VUs the executor may run: the peak (closed model) or maxVUs (open model). */
export function peakVus(executor: Executor): number {
  switch (executor.type) {
    case 'constant-vus':
      return executor.vus
    case 'ramping-vus':
      return peakTarget(executor)
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return executor.maxVus
  }
}

/** The highest level the executor schedules: VUs (closed model) or iterations/s (open model). */
export function peakTarget(executor: Executor): number {
  switch (executor.type) {
    case 'constant-vus':
      return executor.vus
    case 'constant-arrival-rate':
      return executor.rate
    case 'ramping-vus':
      return Math.max(executor.startVus, ...executor.stages.map((s) => s.target))
    case 'ramping-arrival-rate':
      return Math.max(executor.startRate, ...executor.stages.map((s) => s.target))
  }
}

/** The planned length of the test (k6 may add up to 30 s for iterations to finish). */
export function totalDurationMs(executor: Executor): number {
  return 'stages' in executor ? executor.stages.reduce((sum, s) => sum + s.durationMs, 0) : executor.durationMs
}

/** The arrival rate (open model) or VU count (closed model) the executor schedules at `atMs` into the test. */
export function targetAt(executor: Executor, atMs: number): number {
  switch (executor.type) {
    case 'constant-vus':
      return executor.vus
    case 'constant-arrival-rate':
      return executor.rate
    case 'ramping-vus':
    case 'ramping-arrival-rate': {
      let level = executor.type === 'ramping-vus' ? executor.startVus : executor.startRate
      let start = 0
      for (const stage of executor.stages) {
        if (atMs < start + stage.durationMs) return level + ((stage.target - level) * (atMs - start)) / stage.durationMs
        level = stage.target
        start += stage.durationMs
      }
      return level
    }
  }
}

/**
 * The cap on virtual users (max-vus) applied to the executor: the closed model's peak and the open
 * model's maxVUs and preAllocatedVUs. undefined when within the cap, else the message.
 */
export function checkVuCap(executor: Executor, maxVus: number, profile?: string): string | undefined {
  const what = profile ? `profile ${profile}` : 'the load profile'
  if (executor.type === 'constant-vus' || executor.type === 'ramping-vus') {
    const peak = peakVus(executor)
    return peak > maxVus
      ? `${what} needs ${peak} virtual users at its peak, above the cap of ${maxVus}; lower vus (or the stages' targets) or raise max-vus`
      : undefined
  }
  if (executor.maxVus > maxVus) return `${what} may use up to ${executor.maxVus} virtual users (maxVUs), above the cap of ${maxVus}; lower vus or raise max-vus`
  if (executor.preAllocatedVus > maxVus)
    return `${what} pre-allocates ${executor.preAllocatedVus} virtual users, above the cap of ${maxVus}; lower pre-allocated-vus or raise max-vus`
  return undefined
}

/** One line for logs and reports: "ramping-vus 0→100 VUs over 10m (5 stages)". */
export function describeExecutor(executor: Executor): string {
  const total = k6DurationText(totalDurationMs(executor))
  const stop = executor.abortOnFail ? `, stopping at the first SLO crossed` : ''
  switch (executor.type) {
    case 'constant-vus':
      return `${executor.vus} ${executor.vus === 1 ? 'VU' : 'VUs'} for ${total}`
    case 'constant-arrival-rate':
      return `${executor.rate} iterations/s for ${total} (${executor.preAllocatedVus}–${executor.maxVus} VUs)${stop}`
    case 'ramping-vus':
      return `${executor.startVus}→${peakVus(executor)} VUs over ${total} in ${executor.stages.length} stage(s)${stop}`
    case 'ramping-arrival-rate': {
      return `${executor.startRate}→${peakTarget(executor)} iterations/s over ${total} in ${executor.stages.length} stage(s) (${executor.preAllocatedVus}–${executor.maxVus} VUs)${stop}`
    }
  }
}

/**
 * Operations' shares of the iterations as a fixed interleaving: operation i appears in proportion to
 * weights[i] and evenly spread (smooth weighted round-robin), so any stretch of the test keeps the
 * shares, and the script picks an operation with one array lookup per iteration.
 * Weights are reduced to the smallest whole counts with the same ratios (2:4 → 1:2); ratios that
 * would need a longer cycle than `limit` are rounded, each operation keeping at least one turn.
 */
export function weightedSchedule(weights: readonly number[], limit = Math.max(1000, 10 * weights.length)): number[] {
  if (weights.length === 0) return []
  if (weights.some((w) => !(w > 0) || !Number.isFinite(w))) throw new RangeError(`weights must be positive numbers, got ${weights.join(', ')}`)
  const counts = wholeCounts(weights, limit)
  const total = counts.reduce((a, b) => a + b, 0)
  const current = counts.map(() => 0)
  const schedule: number[] = []
  for (let turn = 0; turn < total; turn++) {
    let best = 0
    for (let i = 0; i < counts.length; i++) {
      current[i] += counts[i]
      if (current[i] > current[best]) best = i
    }
    current[best] -= total
    schedule.push(best)
  }
  return schedule
}

function wholeCounts(weights: readonly number[], limit: number): number[] {
  for (const scale of [1, 2, 4, 5, 10, 20, 25, 50, 100, 1000]) {
    const scaled = weights.map((w) => w * scale)
    if (scaled.every((v) => Math.abs(v - Math.round(v)) < 1e-9)) {
      const whole = scaled.map((v) => Math.round(v))
      const divisor = whole.reduce(gcd)
      const counts = whole.map((v) => v / divisor)
      if (counts.reduce((a, b) => a + b, 0) <= limit) return counts
      break
    }
  }
  // Largest remainder over `limit` turns, every operation at least one.
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (w / sum) * limit)
  const counts = exact.map((v) => Math.max(1, Math.floor(v)))
  let left = limit - counts.reduce((a, b) => a + b, 0)
  const order = exact.map((v, i) => ({ i, rest: v - Math.floor(v) })).sort((a, b) => b.rest - a.rest || a.i - b.i)
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].i]++
  const divisor = counts.reduce(gcd)
  return counts.map((v) => v / divisor)
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}

/** A duration as k6 writes one: "90s" → "1m30s", "2h", "1.5s". */
export function k6DurationText(value: number): string {
  if (value === 0) return '0s'
  if (value % 3_600_000 === 0) return `${value / 3_600_000}h`
  if (value >= 60_000 && value % 60_000 === 0) return `${value / 60_000}m`
  if (value >= 60_000 && value % 1000 === 0) return `${Math.floor(value / 60_000)}m${(value % 60_000) / 1000}s`
  return value % 1000 === 0 ? `${value / 1000}s` : `${(value / 1000).toFixed(1)}s`
}
