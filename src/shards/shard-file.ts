/**
 * The shard file: what one shard of a sharded run stores as its artifact for the merge job. It
 * carries the shard's samples folded into mergeable statistics (a serialized HDR histogram and
 * exact counters per endpoint), never percentiles, so the merge is exact. A persisted contract:
 * zod only, no imports from stages.
 */
import { z } from 'zod'

/** One endpoint's (or the whole run's) statistics as src/k6/stream-slis.ts keeps them. */
export interface StatsState {
  /** HDR histogram of durations in ns, hdr-histogram-js's compressed base64 encoding. */
  histogram: string
  requests: number
  durations: number
  sum_ms: number
  /** null when no duration was recorded. */
  min_ms: number | null
  max_ms: number | null
  failed_total: number
  failed_matches: number
  hops: number
  redirected?: StatsState
  /** Failed answers by kind ("503", "timeout", …; src/analyst/failure-counts.ts), for the diagnosis. */
  failure_kinds?: Record<string, number>
}

export const StatsStateSchema: z.ZodType<StatsState> = z.lazy(() =>
  z.object({
    histogram: z.string(),
    requests: z.number().nonnegative(),
    durations: z.number().int().nonnegative(),
    sum_ms: z.number(),
    min_ms: z.number().nullable(),
    max_ms: z.number().nullable(),
    failed_total: z.number().int().nonnegative(),
    failed_matches: z.number().int().nonnegative(),
    hops: z.number().nonnegative(),
    redirected: StatsStateSchema.optional(),
    failure_kinds: z.record(z.string(), z.number().int().nonnegative()).optional(),
  }),
)

/** An aggregator's whole state: per endpoint, the run, and the time its samples span (epoch ms). */
export const AggregatorStateSchema = z.object({
  endpoints: z.array(z.object({ key: z.string(), method: z.string(), stats: StatsStateSchema })),
  total: StatsStateSchema,
  first_ms: z.number().nullable(),
  last_ms: z.number().nullable(),
  vus_max: z.number().nullable(),
  samples: z.number().int().nonnegative(),
  overflow_samples: z.number().int().nonnegative(),
})
export type AggregatorState = z.infer<typeof AggregatorStateSchema>

/** A shard's run in windows of time (src/k6/timeline.ts), windows counted from the agreed start. */
export const TimelineStateSchema = z.object({
  window_ms: z.number().positive(),
  start_ms: z.number().nullable(),
  last_ms: z.number().nullable(),
  windows: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      histogram: z.string(),
      requests: z.number().nonnegative(),
      durations: z.number().int().nonnegative(),
      judged: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      vus: z.number().nullable(),
    }),
  ),
  samples: z.number().int().nonnegative(),
  samples_past_end: z.number().int().nonnegative(),
})
export type TimelineState = z.infer<typeof TimelineStateSchema>

export const SHARD_FILE_KIND = 'perf-xi-shard'

export const ShardFileSchema = z.object({
  kind: z.literal(SHARD_FILE_KIND),
  version: z.literal(1),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }),
  /** Hash of the rendered script, base URL and shard count: shards of one plan share it. */
  plan_fingerprint: z.string(),
  status: z.enum(['ok', 'failed']),
  /** Why the shard failed (status failed). */
  reason: z.string().optional(),
  k6_version: z.string().nullable(),
  k6_exit_code: z.number().int().nullable(),
  /** When the shard's k6 was initialised and paused, when the shards agreed to start, when this one resumed (epoch ms). */
  ready_at_ms: z.number().nullable(),
  resume_at_ms: z.number().nullable(),
  resumed_at_ms: z.number().nullable(),
  wall_time_ms: z.number().nonnegative(),
  stats: AggregatorStateSchema.nullable(),
  /** The run over time, for the profiles judged over time (stress, spike). */
  timeline: TimelineStateSchema.nullable().optional(),
})
export type ShardFile = z.infer<typeof ShardFileSchema>
