/**
 * The config file's `soak:` block: how drift within a long run is judged (src/verdict/drift.ts).
 * `max-drift` makes a drift fail the gate as an SLO breach does; the window, the shortest run judged
 * and the warm-up default to the numbers below and can be set low to try the judgement in seconds.
 * Merged into ConfigFileSchema as `...DriftConfigShape`. The block: docs/drift.md ("Configuration").
 */
import { z } from 'zod'
import { durationMs } from '../duration.js'

const maxDrift = z.union([z.number(), z.string()]).transform((value, ctx): number => {
  const text = typeof value === 'string' ? value.trim().replace(/\s*%$/, '') : value
  const pct = typeof text === 'number' ? text : /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN
  if (pct > 0 && pct <= 1000) return pct
  ctx.addIssue({
    code: 'custom',
    message: `max-drift: expected a percentage above 0 such as 20% (p95's rise over the run; for the error rate, points), got ${JSON.stringify(value)}`,
  })
  return z.NEVER
})

const SoakFileSchema = z.strictObject({
  'max-drift': maxDrift.optional(),
  /** The length of each window; default: chosen from the run's length (at most 360 windows). */
  window: durationMs('window').optional(),
  /** Runs planned at least this long are judged for drift (soak runs always are); default 10m. */
  'min-duration': durationMs('min-duration').optional(),
  /** Left out at the start of the time at peak load, besides the ramp to it; default one window. */
  'warm-up': durationMs('warm-up').optional(),
})

/** Spread into ConfigFileSchema: `z.strictObject({ ...existing, ...DriftConfigShape })`. */
export const DriftConfigShape = {
  soak: SoakFileSchema.optional(),
}

export interface DriftSettings {
  /** Fail when p95 rises more than this percentage over the run, or the error rate more than this many points; undefined: drift is a finding only. */
  maxDriftPct?: number
  windowMs?: number
  minDurationMs: number
  warmUpMs?: number
}

/** Runs of at least 10 minutes are judged for drift. */
export const DEFAULT_DRIFT_MIN_DURATION_MS = 600_000

export function resolveDriftSettings(file: { soak?: z.infer<typeof SoakFileSchema> }): DriftSettings {
  const soak = file.soak ?? {}
  return {
    ...(soak['max-drift'] !== undefined ? { maxDriftPct: soak['max-drift'] } : {}),
    ...(soak.window !== undefined ? { windowMs: soak.window } : {}),
    minDurationMs: soak['min-duration'] ?? DEFAULT_DRIFT_MIN_DURATION_MS,
    ...(soak['warm-up'] !== undefined ? { warmUpMs: soak['warm-up'] } : {}),
  }
}
