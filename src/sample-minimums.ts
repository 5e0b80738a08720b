/**
 * How many samples a percentile needs before Perf-Xi reports or judges it: 1 ÷ (1 − p), so at
 * least one sample lies above it (p50 from 2, p90 from 10, p95 from 20, p99 from 100). From fewer,
 * k6's figure is the sample's top value or a step towards it, not the percentile: it is shown as
 * "too few samples" and its SLO is not judged, with a reason saying so (docs/samples.md).
 */
import { PercentileSchema, type Percentile } from './results/schema.js'

export const MIN_SAMPLES: Readonly<Record<Percentile, number>> = Object.freeze({ p50: 2, p90: 10, p95: 20, p99: 100 })
export const PERCENTILES: readonly Percentile[] = PercentileSchema.options

/** What withSampleMinimums needs of an SLI (src/sli.ts). */
type PercentileFigures = { [P in Percentile as `${P}_ms`]: number | null } & { too_few_samples?: Percentile[] }

/** The percentiles `samples` samples are too few for, in PERCENTILES order. */
export function tooFewSamplesFor(samples: number): Percentile[] {
  return PERCENTILES.filter((p) => samples > 0 && samples < MIN_SAMPLES[p])
}

/** The SLI with every percentile its samples are too few for taken out (null) and named in too_few_samples. */
export function withSampleMinimums<T extends PercentileFigures>(sli: T, samples: number): T {
  const tooFew = tooFewSamplesFor(samples)
  if (tooFew.length === 0) return sli
  const out: T = { ...sli, too_few_samples: tooFew }
  for (const p of tooFew) out[`${p}_ms`] = null
  return out
}
