/**
 * Whether the run measured what it planned: an API that stops answering, or whose answers
 * collapse, is a failure even when the few answers k6 counted were fast; a run that did not last
 * as planned, or whose open-model load could not be sent, cannot pass either. Judged on the
 * answers-over-time series read while k6 ran (src/k6/live-counters.ts) and k6's own totals.
 * Pure; the rules and their numbers are in docs/liveness.md.
 */
import { fmtLimit, fmtPct, fmtSeconds } from './format/numbers.js'
import { targetAt, totalDurationMs, type Executor } from './plan/profiles.js'
import type { LivenessKind } from './results/schema.js'
import { median } from './stats/descriptive.js'

/** Cumulative requests k6 completed (answered, failed or timed out) and how many of them failed. */
export interface AnswerCounts {
  requests: number
  failed: number
}

export interface AnswerSample {
  /** Since the start of k6's test run. */
  atMs: number
  total: AnswerCounts
  /** By endpoint key, where endpoints were polled. */
  endpoints?: Readonly<Record<string, AnswerCounts>>
}

export interface LivenessFinding {
  kind: LivenessKind
  /** fail: the API stopped answering (a measurement of the API); error: the test did not run as planned. */
  status: 'fail' | 'error'
  /** The endpoint, or null for the run as a whole. */
  endpoint: string | null
  reason: string
}

export interface LivenessInput {
  /** The profile's load as a whole: when load was planned, and how much. */
  executor: Executor
  samples: readonly AnswerSample[]
  /** k6's totals at the end of the run (its summary), at the time k6 exited: the last point of the series. */
  final?: AnswerSample
  /** k6's own test-run duration (its summary), including the graceful stop. */
  measuredDurationMs?: number
  /** k6 stopped at the first SLO crossed (breakpoint) and exited 99: a short run is its purpose. */
  stoppedAtSlo: boolean
  /** Open model: iterations k6 could not start (dropped_iterations). */
  droppedIterations: number
  /** The strictest error-rate limit among the endpoints, percent: what unsent requests are judged by. */
  errorRateLimitPct?: number
  /** By endpoint key: the think time of its scenario, for gaps between answers that are planned. */
  thinkTimeMs?: Readonly<Record<string, number>>
}

/** A stretch without answers counts when it is at least this long … */
export const SILENCE_MIN_MS = 2000
/** … and at least this share of the planned load … */
export const SILENCE_MIN_SHARE = 0.2
/** … and the rate seen before it (over at least this many answers) … */
export const SILENCE_MIN_ANSWERS_BEFORE = 5
/** … would have brought at least this many answers, … */
export const SILENCE_MIN_EXPECTED = 5
/** … and it is longer than this many think times of the endpoint's scenario (a VU pauses that long between requests). */
export const SILENCE_THINK_TIMES = 2
/** A window collapses when its answers are below this share of the run's typical rate (per planned VU and per second) … */
export const COLLAPSE_SHARE = 0.1
/** … where at least this many answers were expected in it. */
export const COLLAPSE_MIN_EXPECTED = 20
/** The run is short when k6 measured less than this share of the planned duration (less 1 s of start-up rounding). */
export const SHORT_RUN_SHARE = 0.9

export function judgeLiveness(input: LivenessInput): LivenessFinding[] {
  const findings: LivenessFinding[] = []
  const plannedMs = totalDurationMs(input.executor)
  const short = shortRun(input, plannedMs)
  if (short) findings.push(short)
  const dropped = droppedRequests(input)
  if (dropped) findings.push(dropped)
  if (input.samples.length === 0 || short) return findings

  const points = (pick: (s: AnswerSample) => AnswerCounts | undefined) => series([...input.samples, ...(input.final ? [input.final] : [])], pick)
  const keys = endpointKeys(input)
  const perEndpoint: LivenessFinding[] = []
  for (const key of keys) {
    const finding = judgeSeries(
      points((s) => s.endpoints?.[key]),
      input.executor,
      plannedMs,
      key,
      input.thinkTimeMs?.[key] ?? 0,
    )
    if (finding) perEndpoint.push(finding)
  }
  if (perEndpoint.length > 0) return [...findings, ...perEndpoint]
  const thinkTimes = Object.values(input.thinkTimeMs ?? {})
  const whole = judgeSeries(
    points((s) => s.total),
    input.executor,
    plannedMs,
    null,
    thinkTimes.length > 0 ? Math.min(...thinkTimes) : 0,
  )
  if (whole) findings.push(whole)
  return findings
}

interface Point {
  atMs: number
  ok: number
  failed: number
}

/** Cumulative successes and failures in time order, from (0, 0, 0); readings that went back (two polls are not atomic) are held. */
function series(samples: readonly AnswerSample[], pick: (s: AnswerSample) => AnswerCounts | undefined): Point[] {
  const out: Point[] = [{ atMs: 0, ok: 0, failed: 0 }]
  for (const sample of [...samples].sort((a, b) => a.atMs - b.atMs)) {
    const counts = pick(sample)
    if (!counts) continue
    const last = out[out.length - 1]!
    out.push({ atMs: sample.atMs, ok: Math.max(last.ok, counts.requests - counts.failed), failed: Math.max(last.failed, counts.failed) })
  }
  return out
}

function judgeSeries(
  points: readonly Point[],
  executor: Executor,
  plannedMs: number,
  endpoint: string | null,
  thinkTimeMs: number,
): LivenessFinding | undefined {
  return silence(points, executor, plannedMs, endpoint, thinkTimeMs) ?? collapse(points, executor, plannedMs, endpoint)
}

/** No successful answer over the end of the planned load, where the rate before promised some. */
function silence(points: readonly Point[], executor: Executor, plannedMs: number, endpoint: string | null, thinkTimeMs: number): LivenessFinding | undefined {
  const last = points[points.length - 1]!
  // Never answered: the error rate and "no requests" say so. A handful of answers give no rate to expect more by.
  if (last.ok < SILENCE_MIN_ANSWERS_BEFORE) return undefined
  const lastAnswer = points.find((p) => p.ok === last.ok)!
  const silentMs = plannedMs - lastAnswer.atMs
  if (silentMs < Math.max(SILENCE_MIN_MS, SILENCE_MIN_SHARE * plannedMs, SILENCE_THINK_TIMES * thinkTimeMs)) return undefined
  const loadBefore = plannedLoad(executor, 0, lastAnswer.atMs)
  const loadDuring = plannedLoad(executor, lastAnswer.atMs, plannedMs)
  if (loadBefore <= 0 || loadDuring <= 0) return undefined
  const expected = (last.ok / loadBefore) * loadDuring
  if (expected < SILENCE_MIN_EXPECTED) return undefined
  const failedSince = last.failed - lastAnswer.failed
  const who = endpoint ?? 'the API (all endpoints)'
  return {
    kind: 'silence',
    status: 'fail',
    endpoint,
    reason:
      `${who}: no successful answer in the last ${fmtSeconds(silentMs)} of ${fmtSeconds(plannedMs)} of load ` +
      `(about ${Math.round(expected)} expected at the rate before); ${failedSince} request${failedSince === 1 ? '' : 's'} failed or timed out meanwhile`,
  }
}

/** Windows where answers fell far below the run's typical rate, both per planned VU and per second, while load was not planned to fall. */
function collapse(points: readonly Point[], executor: Executor, plannedMs: number, endpoint: string | null): LivenessFinding | undefined {
  const width = Math.max(1000, plannedMs / 20)
  const windows: Array<{ from: number; to: number; answers: number; load: number; rising: boolean }> = []
  for (let from = 0; from < plannedMs - 1; from += width) {
    const to = Math.min(plannedMs, from + width)
    windows.push({
      from,
      to,
      answers: okAt(points, to) - okAt(points, from),
      load: plannedLoad(executor, from, to),
      rising: targetAt(executor, to - 1) >= targetAt(executor, from),
    })
  }
  const live = windows.filter((w) => w.load > 0 && w.answers > 0)
  if (live.length === 0) return undefined
  const perLoad = median(live.map((w) => w.answers / w.load))
  const perSecond = median(live.map((w) => w.answers / ((w.to - w.from) / 1000)))
  const collapsed = windows.filter((w) => {
    if (w.load <= 0 || !w.rising) return false
    const expected = perLoad * w.load
    const perSecondExpected = perSecond * ((w.to - w.from) / 1000)
    return expected >= COLLAPSE_MIN_EXPECTED && w.answers < COLLAPSE_SHARE * expected && w.answers < COLLAPSE_SHARE * perSecondExpected
  })
  if (collapsed.length === 0) return undefined
  const from = collapsed[0]!.from
  const to = collapsed[collapsed.length - 1]!.to
  const answers = collapsed.reduce((sum, w) => sum + w.answers, 0)
  const expected = collapsed.reduce((sum, w) => sum + perLoad * w.load, 0)
  const who = endpoint ?? 'the API (all endpoints)'
  return {
    kind: 'collapse',
    status: 'fail',
    endpoint,
    reason:
      `${who}: answers collapsed to ${Math.round(answers)} of about ${Math.round(expected)} expected ` +
      `between ${fmtSeconds(from)} and ${fmtSeconds(to)} of ${fmtSeconds(plannedMs)} while the planned load held`,
  }
}

function shortRun(input: LivenessInput, plannedMs: number): LivenessFinding | undefined {
  const measured = input.measuredDurationMs
  if (measured === undefined || input.stoppedAtSlo) return undefined
  if (measured >= SHORT_RUN_SHARE * plannedMs - 1000) return undefined
  return {
    kind: 'short-run',
    status: 'error',
    endpoint: null,
    reason: `k6 ran the load for ${fmtSeconds(measured)} of the planned ${fmtSeconds(plannedMs)}: the test did not run as planned, so its figures are not a measurement of the plan`,
  }
}

/** Open model: an iteration k6 could not start is a request the plan scheduled and the API's slowness kept from being sent. */
function droppedRequests(input: LivenessInput): LivenessFinding | undefined {
  if (input.droppedIterations <= 0 || !input.executor.type.endsWith('arrival-rate') || input.stoppedAtSlo || input.executor.abortOnFail) return undefined
  const last = input.final?.total
  const sent = last?.requests ?? 0
  const scheduled = sent + input.droppedIterations
  const failedPct = ((input.droppedIterations + (last?.failed ?? 0)) / scheduled) * 100
  const limit = input.errorRateLimitPct
  if (limit !== undefined && failedPct < limit) return undefined
  const limitText = limit === undefined ? '' : `, at or above the ${fmtLimit(limit)}% error-rate SLO`
  return {
    kind: 'dropped',
    status: 'fail',
    endpoint: null,
    reason:
      `k6 could not send ${input.droppedIterations} of ${scheduled} scheduled requests (dropped iterations: every VU was still waiting on an answer); ` +
      `counted as failed, the run's error rate is ${fmtPct(failedPct)}${limitText}`,
  }
}

function endpointKeys(input: LivenessInput): string[] {
  const keys = new Set<string>()
  for (const sample of input.samples) for (const key of Object.keys(sample.endpoints ?? {})) keys.add(key)
  return [...keys]
}

/** Successes at `atMs`, linear between points. */
function okAt(points: readonly Point[], atMs: number): number {
  let prev = points[0]!
  for (const point of points) {
    if (point.atMs >= atMs) {
      if (point.atMs === prev.atMs) return point.ok
      return prev.ok + ((point.ok - prev.ok) * (atMs - prev.atMs)) / (point.atMs - prev.atMs)
    }
    prev = point
  }
  return prev.ok
}

/** The planned level (VUs or iterations/s) integrated over [from, to), in level-seconds. */
function plannedLoad(executor: Executor, from: number, to: number): number {
  if (to <= from) return 0
  const steps = 50
  const step = (to - from) / steps
  let sum = 0
  for (let i = 0; i < steps; i++) sum += targetAt(executor, from + (i + 0.5) * step) * step
  return sum / 1000
}
