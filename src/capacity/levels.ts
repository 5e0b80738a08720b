/**
 * The stepped run's schedule (one k6 scenario per level, back to back) and the rules that end it
 * early: a level far past the limits (p95 over 10× the target, errors over 20 %), and for `auto`
 * throughput that stopped growing (under 5 % twice in a row) or a p95 past twice the target.
 * Pure: settings and measured levels in, decisions out. docs/capacity.md describes the rules.
 */
import type { CapacitySettings } from './config.js'
import type { CapacityLevel } from './measurements.js'

/** A level past either limit ends the run: what follows would only measure a broken API. */
export const FAR_PAST = { p95Factor: 10, errorRate: 0.2 } as const
/** auto: throughput gains below this, twice in a row, mean the API stopped scaling. */
export const AUTO_STOP = { minGain: 0.05, flatLevels: 2, p95Factor: 2 } as const
/**
 * k6's gracefulStop for each level: none. A request still in flight when its level ends would be
 * counted after the level's end anyway, and with no grace the levels never overlap, so k6 needs no
 * more VUs than the largest level and the next level starts on an idle API.
 */
export const LEVEL_GRACEFUL_STOP_MS = 0

export interface ScheduledLevel {
  /** 1-based. */
  level: number
  vus: number
  /** From the start of the load. */
  startMs: number
  durationMs: number
}

export function levelSchedule(settings: Pick<CapacitySettings, 'levels' | 'levelDurationMs'>): ScheduledLevel[] {
  return settings.levels.map((vus, i) => ({ level: i + 1, vus, startMs: i * settings.levelDurationMs, durationMs: settings.levelDurationMs }))
}

/** The whole stepped run as planned, without its early stop. */
export function plannedDurationMs(settings: Pick<CapacitySettings, 'levels' | 'levelDurationMs'>): number {
  return settings.levels.length * settings.levelDurationMs
}

export interface StopDecision {
  /** far-past: the limits; auto: the API stopped scaling or passed twice the target. */
  kind: 'far-past' | 'auto'
  /** The last level the run keeps: one begun while k6 was being stopped is left out. */
  afterLevel: number
  /** One sentence naming the level and the figure. */
  reason: string
}

/** Whether the run should stop after the levels measured so far (in order, the last one just ended). */
export function stopAfter(measured: readonly CapacityLevel[], settings: Pick<CapacitySettings, 'auto' | 'targetP95Ms'>): StopDecision | undefined {
  const last = measured.at(-1)
  if (!last || last.requests === 0) return undefined
  const at = `level ${last.level} (${last.vus} VUs)`
  if (last.p95Ms > FAR_PAST.p95Factor * settings.targetP95Ms)
    return {
      kind: 'far-past',
      afterLevel: last.level,
      reason: `stopped after ${at}: p95 ${round(last.p95Ms)} ms is over ${FAR_PAST.p95Factor}× the ${settings.targetP95Ms} ms target`,
    }
  if (last.errorRate > FAR_PAST.errorRate)
    return {
      kind: 'far-past',
      afterLevel: last.level,
      reason: `stopped after ${at}: ${round(last.errorRate * 100)} % of requests failed (over ${FAR_PAST.errorRate * 100} %)`,
    }
  if (!settings.auto) return undefined
  if (last.p95Ms > AUTO_STOP.p95Factor * settings.targetP95Ms)
    return {
      kind: 'auto',
      afterLevel: last.level,
      reason: `auto stopped after ${at}: p95 ${round(last.p95Ms)} ms is over twice the ${settings.targetP95Ms} ms target`,
    }
  const recent = measured.slice(-(AUTO_STOP.flatLevels + 1))
  if (recent.length === AUTO_STOP.flatLevels + 1) {
    const gains = recent.slice(1).map((level, i) => level.throughputRps / Math.max(recent[i]!.throughputRps, 1e-9) - 1)
    if (gains.every((gain) => gain < AUTO_STOP.minGain))
      return {
        kind: 'auto',
        afterLevel: last.level,
        reason: `auto stopped after ${at}: throughput grew less than ${AUTO_STOP.minGain * 100} % over each of the last ${AUTO_STOP.flatLevels} levels (${gains.map((g) => `${round(g * 100)} %`).join(', ')})`,
      }
  }
  return undefined
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
