/**
 * What a stress or a spike test is for, judged on the run's timeline (src/k6/timeline.ts) against
 * the executor's stages: where the load broke the API and whether it recovered (stress), whether
 * it kept its errors down during the spike and recovered in time (spike). Pure: a timeline and an
 * executor in, a report out. The rules and their numbers: docs/stress-spike.md, with the limits
 * in MIN_WINDOW_REQUESTS, STRESS_SLO, SPIKE_CRITERIA and the config's `stress:`/`spike:` blocks.
 */
import { fmtLimit, fmtLimitMs, fmtMs, fmtOffset, fmtPct, fmtRps } from '../format/numbers.js'
import type { SpanStats, Timeline, TimelineWindow } from '../k6/timeline.js'
import { DEFAULT_PHASE_LIMITS, type BreakingPointLimits, type SpikeLimits } from '../plan/phase-config.js'
import { peakTarget, targetAt, totalDurationMs, type Executor } from '../plan/profiles.js'
import type { CriterionStatus, LoadUnit } from '../results/schema.js'

/** A window's p95 and error rate are judged from this many requests on. */
export const MIN_WINDOW_REQUESTS = 20

/** stress: the design's thresholds, which recovery is measured against. */
export const STRESS_SLO = { p95Ms: 2000, errorRatePct: 10 } as const
/** spike: the design's criteria and the recovery rule. */
export const SPIKE_CRITERIA = {
  /** The recovery limit as a share of the recovery phase: 60 s of 180 s. */
  recoveryShare: 1 / 3,
  p95Factor: 1.5,
  p95SlackMs: 50,
  errorSlackPct: 1,
} as const

export interface StageSpan {
  /** 1-based, as a reader counts the stages. */
  stage: number
  fromMs: number
  toMs: number
  startTarget: number
  target: number
  kind: 'ramp-up' | 'hold' | 'ramp-down'
}

/** The executor's stages on the test's clock (instant jumps, 0 s, left out). */
export function stageSpans(executor: Executor): StageSpan[] {
  if (!('stages' in executor)) {
    const level = executor.type === 'constant-vus' ? executor.vus : executor.rate
    return [{ stage: 1, fromMs: 0, toMs: executor.durationMs, startTarget: level, target: level, kind: 'hold' }]
  }
  const spans: StageSpan[] = []
  let level = executor.type === 'ramping-vus' ? executor.startVus : executor.startRate
  let at = 0
  executor.stages.forEach((stage, i) => {
    if (stage.durationMs > 0) {
      const kind = stage.target > level ? 'ramp-up' : stage.target < level ? 'ramp-down' : 'hold'
      spans.push({ stage: i + 1, fromMs: at, toMs: at + stage.durationMs, startTarget: level, target: stage.target, kind })
    }
    level = stage.target
    at += stage.durationMs
  })
  return spans
}

/** The peak's stretch: from the start of the stage that first takes the load to its peak to the end of the last stage at it. */
export function peakPhase(executor: Executor): { peak: number; fromMs: number; toMs: number; totalMs: number } {
  const peak = peakTarget(executor)
  const totalMs = totalDurationMs(executor)
  if (!('stages' in executor)) return { peak, fromMs: 0, toMs: totalMs, totalMs }
  const start = executor.type === 'ramping-vus' ? executor.startVus : executor.startRate
  let fromMs: number | undefined = start === peak ? 0 : undefined
  let toMs = 0
  let at = 0
  for (const stage of executor.stages) {
    if (stage.target === peak) {
      fromMs ??= at
      toMs = at + stage.durationMs
    }
    at += stage.durationMs
  }
  return { peak, fromMs: fromMs ?? 0, toMs, totalMs }
}

export function loadUnit(executor: Executor): LoadUnit {
  return executor.type.endsWith('arrival-rate') ? 'iterations/s' : 'VUs'
}

// ---------------------------------------------------------------------------------------------
// stress

export type BreakingCriterion = 'p95' | 'error-rate' | 'throughput'

export interface BreakingPoint {
  /** The window's start, from the test's start. */
  atMs: number
  /** The VUs k6 reported at the window's end (null without a sample). */
  vus: number | null
  /** The planned load at the window's end. */
  target: number
  criterion: BreakingCriterion
  /** ms for p95, percent for the error rate, req/s for throughput. */
  value: number
  limit: number
}

export interface ThroughputPeak {
  rps: number
  atMs: number
  vus: number | null
  target: number
}

export interface StressStep extends StageSpan {
  stats: SpanStats
  /** The breaking point fell in this stage. */
  breaking: boolean
}

export interface StressRecovery {
  /** no-recovery-stage: the plan ends at its peak. */
  status: 'recovered' | 'not-recovered' | 'too-few-requests' | 'no-recovery-stage'
  /** From the load's fall to the first window of lasting recovery, in whole windows. */
  afterMs: number | null
  reason: string
}

export interface StressReport {
  status: 'found' | 'not-found' | 'too-few-requests'
  windowMs: number
  unit: LoadUnit
  breakingPoint: BreakingPoint | null
  /** What counted as the breaking point. */
  limits: BreakingPointLimits
  /** The highest throughput of any window before the breaking point (of the whole ramp when none). */
  peakThroughput: ThroughputPeak | null
  recovery: StressRecovery
  steps: StressStep[]
  reason: string
}

export function judgeStress(timeline: Timeline, executor: Executor, limits: BreakingPointLimits = DEFAULT_PHASE_LIMITS.stress): StressReport {
  const unit = loadUnit(executor)
  const { toMs: peakEnd, totalMs, peak } = peakPhase(executor)
  const spans = stageSpans(executor)
  const inPlan = timeline.windows.filter((w) => middle(w) < totalMs)
  // The planned load at a window's end, where k6's once-a-second `vus` sample of it is taken.
  const plannedAt = (w: TimelineWindow) => Math.round(targetAt(executor, Math.min(w.endMs, totalMs)))
  const judged = (w: TimelineWindow) => w.requests >= MIN_WINDOW_REQUESTS
  const complete = (w: TimelineWindow) => w.durationMs >= timeline.windowMs
  const loadNotFalling = (w: TimelineWindow) => {
    const span = spans.find((s) => middle(w) >= s.fromMs && middle(w) < s.toMs)
    return span !== undefined && span.kind !== 'ramp-down'
  }

  // Each window's criterion, if any: the first that fires, in the design's order.
  type Best = { rps: number; window: TimelineWindow } | null
  let best: Best = null
  const verdicts: Array<{ window: TimelineWindow; criterion: BreakingCriterion; value: number; limit: number } | null | undefined> = []
  const bestBefore: Best[] = []
  for (const w of inPlan) {
    bestBefore.push(best)
    let found: { criterion: BreakingCriterion; value: number; limit: number } | null = null
    let judgedHere = false
    if (judged(w)) {
      judgedHere = true
      if (w.p95Ms !== null && w.p95Ms > limits.p95Ms) found = { criterion: 'p95', value: w.p95Ms, limit: limits.p95Ms }
      else if (w.errorRatePct !== null && w.errorRatePct > limits.errorRatePct)
        found = { criterion: 'error-rate', value: w.errorRatePct, limit: limits.errorRatePct }
    }
    if (!found && complete(w) && loadNotFalling(w) && best !== null) {
      judgedHere = true
      const limit = best.rps * limits.throughputFraction
      if (w.rps < limit) found = { criterion: 'throughput', value: w.rps, limit: round(limit) }
    }
    // undefined: nothing could be judged in this window.
    verdicts.push(found ? { window: w, ...found } : judgedHere ? null : undefined)
    if (judged(w) && complete(w) && loadNotFalling(w) && (best === null || w.rps > best.rps)) best = { rps: w.rps, window: w }
  }

  // The first window whose finding is confirmed by the next window where anything was judged.
  let breaking: BreakingPoint | null = null
  let peakBefore: Best = best
  for (let i = 0; i < verdicts.length && breaking === null; i++) {
    const v = verdicts[i]
    if (!v) continue
    const next = verdicts.slice(i + 1).find((x) => x !== undefined)
    if (!next) continue
    breaking = { atMs: v.window.startMs, vus: v.window.vus, target: plannedAt(v.window), criterion: v.criterion, value: v.value, limit: v.limit }
    peakBefore = bestBefore[i] ?? null
  }

  const peakThroughput: ThroughputPeak | null = peakBefore
    ? { rps: peakBefore.rps, atMs: peakBefore.window.startMs, vus: peakBefore.window.vus, target: plannedAt(peakBefore.window) }
    : null
  const anyJudged = inPlan.some(judged)
  const status: StressReport['status'] = breaking ? 'found' : anyJudged ? 'not-found' : 'too-few-requests'
  const steps = spans.map((s) => {
    const stats = timeline.span(s.fromMs, s.toMs)
    return { ...s, stats, breaking: breaking !== null && breaking.atMs + timeline.windowMs / 2 >= s.fromMs && breaking.atMs + timeline.windowMs / 2 < s.toMs }
  })
  const recovery = stressRecovery(
    inPlan.filter((w) => middle(w) >= peakEnd),
    peakEnd,
    totalMs,
    timeline.windowMs,
  )
  return {
    status,
    windowMs: timeline.windowMs,
    unit,
    breakingPoint: breaking,
    limits,
    peakThroughput,
    recovery,
    steps,
    reason: stressReason(status, breaking, peakThroughput, { unit, peak, totalMs, windowMs: timeline.windowMs, limits }),
  }
}

function stressRecovery(after: TimelineWindow[], dropMs: number, totalMs: number, windowMs: number): StressRecovery {
  const slo = `p95 < ${fmtLimitMs(STRESS_SLO.p95Ms)}, errors < ${STRESS_SLO.errorRatePct}%`
  if (dropMs >= totalMs)
    return { status: 'no-recovery-stage', afterMs: null, reason: 'recovery: not judged, the plan ends at its peak load with no stage where the load falls' }
  const healthy = (w: TimelineWindow) => (w.p95Ms ?? 0) < STRESS_SLO.p95Ms && (w.errorRatePct ?? 0) < STRESS_SLO.errorRatePct
  const found = lastingRecovery(after, healthy)
  if (found === 'none') {
    return {
      status: 'too-few-requests',
      afterMs: null,
      reason: `recovery: not judged, no ${fmtOffset(windowMs)} window after the load fell had ${MIN_WINDOW_REQUESTS} requests`,
    }
  }
  if (found === 'never') {
    const last = after.filter((w) => w.requests >= MIN_WINDOW_REQUESTS).at(-1)!
    return {
      status: 'not-recovered',
      afterMs: null,
      reason: `recovery: none after the load fell, still ${describeWindow(last)} at ${fmtOffset(last.startMs)} (stress SLO: ${slo})`,
    }
  }
  const afterMs = wholeWindows(found.startMs - dropMs, windowMs)
  return {
    status: 'recovered',
    afterMs,
    reason: `recovery: ${afterMs === 0 ? 'within the stress SLO as soon as the load fell' : `back within the stress SLO ${fmtOffset(afterMs)} after the load fell`} (${slo})`,
  }
}

function stressReason(
  status: StressReport['status'],
  breaking: BreakingPoint | null,
  peak: ThroughputPeak | null,
  ctx: { unit: LoadUnit; peak: number; totalMs: number; windowMs: number; limits: BreakingPointLimits },
): string {
  const best = peak ? `; highest throughput before it ${fmtRps(peak.rps)} req/s at ${atLoad(peak.vus, peak.target, ctx.unit)}` : ''
  if (status === 'found' && breaking) {
    return `breaking point at ${fmtOffset(breaking.atMs)} of ${fmtOffset(ctx.totalMs)}, ${atLoad(breaking.vus, breaking.target, ctx.unit)}: ${describeCriterion(breaking)}${best}`
  }
  if (status === 'too-few-requests') {
    return `breaking point not judged: no ${fmtOffset(ctx.windowMs)} window had ${MIN_WINDOW_REQUESTS} requests; lengthen the test, raise vus or lower think-time`
  }
  const highest = peak ? `; highest throughput ${fmtRps(peak.rps)} req/s at ${atLoad(peak.vus, peak.target, ctx.unit)}` : ''
  return `no breaking point up to ${ctx.peak} ${ctx.unit}: p95 stayed ≤ ${fmtLimitMs(ctx.limits.p95Ms)}, errors ≤ ${ctx.limits.errorRatePct}% and throughput never fell ${ctx.limits.throughputFraction === 0.5 ? 'by half' : `below ${Math.round(ctx.limits.throughputFraction * 100)}% of its best`}${highest}`
}

export function describeCriterion(b: Pick<BreakingPoint, 'criterion' | 'value' | 'limit'>): string {
  switch (b.criterion) {
    case 'p95':
      return `p95 ${fmtMs(b.value)} > ${fmtLimitMs(b.limit)}`
    case 'error-rate':
      return `error rate ${fmtPct(b.value)} > ${`${fmtLimit(b.limit)}%`}`
    case 'throughput':
      return `throughput ${fmtRps(b.value)} req/s, under half the highest before (${fmtRps(b.limit * 2)} req/s)`
  }
}

// ---------------------------------------------------------------------------------------------
// spike

export interface SpikePhase {
  name: 'before' | 'spike' | 'recovery'
  fromMs: number
  toMs: number
  /** The planned load at the phase's end (its level for before, spike and the end of recovery). */
  target: number
  stats: SpanStats
}

export interface SpikeReport {
  status: CriterionStatus
  windowMs: number
  unit: LoadUnit
  phases: SpikePhase[]
  /** The time before the spike, its first window left out when it has three or more. */
  baseline: { p95Ms: number; errorRatePct: number; requests: number } | null
  spikeErrors: { status: CriterionStatus; errorRatePct: number | null; limitPct: number; requests: number; failed: number; reason: string }
  recovery: {
    status: CriterionStatus
    /** From the drop to the first window of lasting recovery, in whole windows; null when it did not recover or was not judged. */
    afterMs: number | null
    limitMs: number
    /** What recovered means: p95 at most this, errors at most this (from the baseline). */
    p95LimitMs: number | null
    errorLimitPct: number | null
    reason: string
  }
}

export function judgeSpike(timeline: Timeline, executor: Executor, limits: SpikeLimits = DEFAULT_PHASE_LIMITS.spike): SpikeReport {
  const unit = loadUnit(executor)
  const { fromMs: spikeFrom, toMs: spikeTo, totalMs, peak } = peakPhase(executor)
  const W = timeline.windowMs
  const phases: SpikePhase[] = [
    { name: 'before', fromMs: 0, toMs: spikeFrom, target: Math.round(targetAt(executor, Math.max(0, spikeFrom - 1))), stats: timeline.span(0, spikeFrom) },
    { name: 'spike', fromMs: spikeFrom, toMs: spikeTo, target: peak, stats: timeline.span(spikeFrom, spikeTo) },
    { name: 'recovery', fromMs: spikeTo, toMs: totalMs, target: Math.round(targetAt(executor, totalMs)), stats: timeline.span(spikeTo, totalMs) },
  ]

  const before = timeline.windows.filter((w) => middle(w) < spikeFrom)
  const baselineWindows = before.length >= 3 ? before.slice(1) : before
  const baselineStats = baselineWindows.length > 0 ? timeline.span(baselineWindows[0]!.startMs, baselineWindows.at(-1)!.endMs) : undefined
  const baseline =
    baselineStats && baselineStats.requests >= MIN_WINDOW_REQUESTS && baselineStats.p95Ms !== null
      ? { p95Ms: baselineStats.p95Ms, errorRatePct: baselineStats.errorRatePct ?? 0, requests: baselineStats.requests }
      : null

  const spike = phases[1]!.stats
  const limitPct = limits.errorRatePct
  const spikeErrors: SpikeReport['spikeErrors'] =
    spike.requests < MIN_WINDOW_REQUESTS || spike.errorRatePct === null
      ? {
          status: 'no-data',
          errorRatePct: spike.errorRatePct,
          limitPct,
          requests: spike.requests,
          failed: spike.failed,
          reason: `spike: errors during the spike not judged: ${spike.requests} requests, fewer than ${MIN_WINDOW_REQUESTS}; lengthen the test or raise vus`,
        }
      : spike.errorRatePct < limitPct
        ? {
            status: 'pass',
            errorRatePct: spike.errorRatePct,
            limitPct,
            requests: spike.requests,
            failed: spike.failed,
            reason: `spike: ${fmtPct(spike.errorRatePct)} of requests failed during the spike (limit < ${limitPct}%)`,
          }
        : {
            status: 'fail',
            errorRatePct: spike.errorRatePct,
            limitPct,
            requests: spike.requests,
            failed: spike.failed,
            reason: `spike: ${fmtPct(spike.errorRatePct)} of requests failed during the spike (${spike.failed} of ${spike.requests}), limit < ${limitPct}%`,
          }

  const limitMs = limits.recoveryMs ?? Math.round((totalMs - spikeTo) * SPIKE_CRITERIA.recoveryShare)
  const recovery = spikeRecovery(
    timeline.windows.filter((w) => middle(w) >= spikeTo && middle(w) < totalMs),
    baseline,
    { dropMs: spikeTo, totalMs, limitMs, windowMs: W },
  )
  const statuses = [spikeErrors.status, recovery.status]
  const status: CriterionStatus = statuses.includes('fail') ? 'fail' : statuses.includes('no-data') ? 'no-data' : 'pass'
  return { status, windowMs: W, unit, phases, baseline, spikeErrors, recovery }
}

function spikeRecovery(
  after: TimelineWindow[],
  baseline: SpikeReport['baseline'],
  ctx: { dropMs: number; totalMs: number; limitMs: number; windowMs: number },
): SpikeReport['recovery'] {
  const { limitMs } = ctx
  if (ctx.dropMs >= ctx.totalMs) {
    return {
      status: 'no-data',
      afterMs: null,
      limitMs,
      p95LimitMs: null,
      errorLimitPct: null,
      reason: 'spike: recovery not judged: the plan ends at its peak load, with no recovery stage',
    }
  }
  if (baseline === null) {
    return {
      status: 'no-data',
      afterMs: null,
      limitMs,
      p95LimitMs: null,
      errorLimitPct: null,
      reason: `spike: recovery not judged: fewer than ${MIN_WINDOW_REQUESTS} requests before the spike to compare with; lengthen the test or raise vus`,
    }
  }
  const p95LimitMs = round(Math.max(baseline.p95Ms * SPIKE_CRITERIA.p95Factor, baseline.p95Ms + SPIKE_CRITERIA.p95SlackMs))
  const errorLimitPct = round(baseline.errorRatePct + SPIKE_CRITERIA.errorSlackPct)
  const rule = `p95 ≤ ${fmtMs(p95LimitMs)} and errors ≤ ${fmtPct(errorLimitPct)}, as before the spike`
  const healthy = (w: TimelineWindow) => (w.p95Ms ?? 0) <= p95LimitMs && (w.errorRatePct ?? 0) <= errorLimitPct
  const found = lastingRecovery(after, healthy)
  const base = { limitMs, p95LimitMs, errorLimitPct }
  if (found === 'none') {
    return {
      status: 'no-data',
      afterMs: null,
      ...base,
      reason: `spike: recovery not judged: no ${fmtOffset(ctx.windowMs)} window after the drop had ${MIN_WINDOW_REQUESTS} requests; lengthen the test or raise vus`,
    }
  }
  if (found === 'never') {
    const last = after.filter((w) => w.requests >= MIN_WINDOW_REQUESTS).at(-1)!
    return {
      status: 'fail',
      afterMs: null,
      ...base,
      reason: `spike: did not recover in the ${fmtOffset(ctx.totalMs - ctx.dropMs)} after the load dropped (limit ${fmtOffset(limitMs)}): still ${describeWindow(last)} at ${fmtOffset(last.startMs)}, recovered means ${rule}`,
    }
  }
  const afterMs = wholeWindows(found.startMs - ctx.dropMs, ctx.windowMs)
  if (afterMs > limitMs) {
    return { status: 'fail', afterMs, ...base, reason: `spike: recovered ${fmtOffset(afterMs)} after the load dropped, limit ${fmtOffset(limitMs)} (${rule})` }
  }
  return {
    status: 'pass',
    afterMs,
    ...base,
    reason: `spike: recovered ${afterMs === 0 ? 'as soon as' : `${fmtOffset(afterMs)} after`} the load dropped (limit ${fmtOffset(limitMs)}; ${rule})`,
  }
}

// ---------------------------------------------------------------------------------------------
// shared

/**
 * The first healthy judged window after which at most one judged window strays (one window's blip
 * on a busy runner is noise, as for the breaking point). 'none': no window had enough requests;
 * 'never': no such window.
 */
function lastingRecovery(windows: readonly TimelineWindow[], healthy: (w: TimelineWindow) => boolean): TimelineWindow | 'none' | 'never' {
  const judged = windows.filter((w) => w.requests >= MIN_WINDOW_REQUESTS)
  if (judged.length === 0) return 'none'
  const ok = judged.map(healthy)
  // strays[i]: unhealthy judged windows after window i.
  const strays: number[] = new Array(judged.length).fill(0)
  for (let i = judged.length - 2; i >= 0; i--) strays[i] = strays[i + 1]! + (ok[i + 1] ? 0 : 1)
  const from = judged.findIndex((_, i) => ok[i] && strays[i]! <= 1)
  return from === -1 ? 'never' : judged[from]!
}

function middle(w: TimelineWindow): number {
  return (w.startMs + w.endMs) / 2
}

/** A time from a boundary, in whole windows (window starts sit a few ms off the stage grid). */
function wholeWindows(ms: number, windowMs: number): number {
  return Math.max(0, Math.round(ms / windowMs) * windowMs)
}

function describeWindow(w: TimelineWindow): string {
  return `p95 ${w.p95Ms === null ? '–' : fmtMs(w.p95Ms)}, errors ${w.errorRatePct === null ? '–' : fmtPct(w.errorRatePct)}`
}

function atLoad(vus: number | null, target: number, unit: LoadUnit): string {
  if (unit === 'VUs') return vus === null ? `about ${target} VUs planned` : `${vus} VUs (planned ${target})`
  return `${target} iterations/s planned${vus === null ? '' : `, ${vus} VUs active`}`
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
