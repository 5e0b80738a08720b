/**
 * The config file's `stress:` and `spike:` blocks: the limits a stress run's breaking point and a
 * spike run's pass criteria are judged by (src/verdict/phase-criteria.ts). Merged into
 * ConfigFileSchema as `...PhaseConfigShape`; the defaults are the design's numbers.
 *
 * ```yaml
 * stress:                 # the breaking point: the first of these a window crosses
 *   p95: 5s
 *   error-rate: 10%
 *   throughput-drop: 50%  # below half the best earlier window
 * spike:
 *   error-rate: 5%        # during the spike, at most
 *   recovery: 60s         # back to the pre-spike level within this after the drop
 *                         # (default: a third of the recovery stage, 60 s of the default 180 s)
 * ```
 */
import { z } from 'zod'
import { durationMs } from '../duration.js'

const percentOf = (name: string, max: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx): number => {
    const text = typeof value === 'string' ? value.trim().replace(/\s*%$/, '') : value
    const pct = typeof text === 'number' ? text : /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN
    if (pct > 0 && pct <= max) return pct
    ctx.addIssue({ code: 'custom', message: `${name}: expected a percentage above 0 and at most ${max} such as 10%, got ${JSON.stringify(value)}` })
    return z.NEVER
  })

const StressFileSchema = z.strictObject({
  p95: durationMs('p95').optional(),
  'error-rate': percentOf('error-rate', 100).optional(),
  'throughput-drop': percentOf('throughput-drop', 99).optional(),
})

const SpikeFileSchema = z.strictObject({
  'error-rate': percentOf('error-rate', 100).optional(),
  recovery: durationMs('recovery').optional(),
})

/** Spread into ConfigFileSchema: `z.strictObject({ ...existing, ...PhaseConfigShape })`. */
export const PhaseConfigShape = {
  stress: StressFileSchema.optional(),
  spike: SpikeFileSchema.optional(),
}

/** stress: a window past any of these is the breaking point. */
export interface BreakingPointLimits {
  p95Ms: number
  errorRatePct: number
  /** Throughput below this fraction of the best earlier window. */
  throughputFraction: number
}

/** spike: the pass criteria. */
export interface SpikeLimits {
  errorRatePct: number
  /** The recovery limit; undefined: a third of the recovery stage. */
  recoveryMs?: number
}

export interface PhaseLimits {
  stress: BreakingPointLimits
  spike: SpikeLimits
}

/** The design's numbers. */
export const DEFAULT_PHASE_LIMITS: PhaseLimits = Object.freeze({
  stress: Object.freeze({ p95Ms: 5000, errorRatePct: 10, throughputFraction: 0.5 }),
  spike: Object.freeze({ errorRatePct: 5 }),
})

export function resolvePhaseLimits(file: { stress?: z.infer<typeof StressFileSchema>; spike?: z.infer<typeof SpikeFileSchema> }): PhaseLimits {
  const stress = DEFAULT_PHASE_LIMITS.stress
  const drop = file.stress?.['throughput-drop']
  return {
    stress: {
      p95Ms: file.stress?.p95 ?? stress.p95Ms,
      errorRatePct: file.stress?.['error-rate'] ?? stress.errorRatePct,
      throughputFraction: drop !== undefined ? 1 - drop / 100 : stress.throughputFraction,
    },
    spike: {
      errorRatePct: file.spike?.['error-rate'] ?? DEFAULT_PHASE_LIMITS.spike.errorRatePct,
      ...(file.spike?.recovery !== undefined ? { recoveryMs: file.spike.recovery } : {}),
    },
  }
}
