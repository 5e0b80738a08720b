/**
 * Numbers a person would write: 250 rather than 243.7. Rounding goes up a ladder of steps per
 * decade, so a limit is never tighter than the figure it was computed from.
 */

/**
 * Steps per decade: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8. No two neighbours are more than 1.5× apart (most
 * are 1.25–1.33×), so rounding up adds at most 50 % and usually a quarter; the coarser 1-2-2.5-5
 * ladder could double a limit (2.5 → 5).
 */
export const NICE_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8] as const

/** The smallest number of the ladder at or above `value` (0 for 0 and below). */
export function roundUpToNice(value: number, steps: readonly number[] = NICE_STEPS): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}`)
  if (value <= 0) return 0
  const exponent = Math.floor(Math.log10(value))
  const decade = 10 ** exponent
  // A relative tolerance, so 250 written as 249.99999999997 by floating point stays 250.
  const mantissa = value / decade
  const step = steps.find((s) => s >= mantissa * (1 - 1e-12))
  return Number(((step ?? 10) * decade).toPrecision(12))
}
