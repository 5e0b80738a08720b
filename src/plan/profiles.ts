/**
 * Load profiles: how many virtual users, for how long, in what shape.
 * Defaults come from the design's inherited planning model; vus and duration override them.
 */
import type { ProfileName } from '../config/schema.js'

export interface Stage {
  durationMs: number
  target: number
}

export type Executor =
  | { type: 'constant-vus'; vus: number; durationMs: number }
  | { type: 'ramping-vus'; startVus: number; stages: Stage[] }

export interface ProfileOverrides {
  vus?: number
  durationMs?: number
}

/** smoke: a short, steady check that fits a pull-request gate. */
const SMOKE = { vus: 5, durationMs: 30_000 }

/**
 * load: 1 m ramp to half the peak, 3 m there, 1 m ramp to the peak, 3 m at the peak, 2 m down
 * (10 m in all, peak 100 VUs). A duration override scales every stage alike.
 */
const LOAD_SHAPE: ReadonlyArray<{ share: number; peakFraction: number }> = [
  { share: 0.1, peakFraction: 0.5 },
  { share: 0.3, peakFraction: 0.5 },
  { share: 0.1, peakFraction: 1 },
  { share: 0.3, peakFraction: 1 },
  { share: 0.2, peakFraction: 0 },
]
const LOAD = { vus: 100, durationMs: 600_000 }

export function buildExecutor(profile: ProfileName, overrides: ProfileOverrides): Executor {
  switch (profile) {
    case 'smoke':
      return { type: 'constant-vus', vus: overrides.vus ?? SMOKE.vus, durationMs: overrides.durationMs ?? SMOKE.durationMs }
    case 'load': {
      const peak = overrides.vus ?? LOAD.vus
      const total = overrides.durationMs ?? LOAD.durationMs
      return {
        type: 'ramping-vus',
        startVus: 0,
        stages: LOAD_SHAPE.map(({ share, peakFraction }) => ({
          durationMs: Math.max(1000, Math.round((total * share) / 1000) * 1000),
          target: Math.max(peakFraction === 0 ? 0 : 1, Math.round(peak * peakFraction)),
        })),
      }
    }
  }
}

export function peakVus(executor: Executor): number {
  return executor.type === 'constant-vus' ? executor.vus : Math.max(executor.startVus, ...executor.stages.map((s) => s.target))
}

export function totalDurationMs(executor: Executor): number {
  return executor.type === 'constant-vus' ? executor.durationMs : executor.stages.reduce((sum, s) => sum + s.durationMs, 0)
}
