/**
 * Streaming SLIs: k6's raw JSON output (`k6 run --out json=…`, one sample per line) folded, as it
 * arrives, into one HDR histogram of http_req_duration per endpoint plus counters of http_reqs and
 * http_req_failed; memory stays flat however long the run is, and the result has computeSlis' shape
 * (src/sli.ts). Only the Point lines it needs are read (K6PointReader, json-lines.ts); the
 * endpoint key is "METHOD name" from the sample's tags; percentiles follow k6's definition.
 * Line grammar, endpoint keys, precision: docs/large-plans.md ("The aggregator").
 */
import hdr from 'hdr-histogram-js'
import { withSampleMinimums } from '../sample-minimums.js'
import { callsOf, REDIRECT_METRICS, type RunSli, type SliInput } from '../sli.js'
import type { EndpointSli, Sli } from '../results/schema.js'
import { K6PointReader, type FailureTags } from './json-lines.js'
import type { EndpointFailures } from '../analyst/diagnosis.js'
import { failureCode } from '../analyst/failure-counts.js'
import type { AggregatorState, StatsState } from '../shards/shard-file.js'

/** Durations are recorded in integer nanoseconds (k6 measures in ns and reports ms). */
const NS_PER_MS = 1e6
/** HDR's resolution: values within 10^-3 of each other may share a bucket. */
const SIGNIFICANT_DIGITS = 3

/** Endpoints beyond this many distinct keys are counted under one overflow key per method. */
export const DEFAULT_MAX_ENDPOINTS = 500

export interface StreamSliOptions {
  /**
   * Most distinct endpoint keys kept (each holds a histogram of 45–110 KiB, growing with its slowest
   * request from 1 ms to 60 s). Past it, new keys are merged into "METHOD (other endpoints)" and a
   * warning says so. Default 500.
   */
  maxEndpoints?: number
  /**
   * The endpoints a generated plan sends, as method and name tag: only these get statistics of their
   * own, and samples of any other name (setup()'s harvesting requests) count in the whole run only,
   * so they can neither take an endpoint's place under maxEndpoints nor be judged.
   */
  endpoints?: ReadonlyArray<{ method: string; name: string }>
}

export interface StreamSlis {
  endpoints: EndpointSli[]
  total: RunSli
  /** The time the samples span, summed over the runs (the rps denominator), in ms. */
  measuredMs: number
  /** Lines read and samples used, for the log and the benchmark. */
  lines: number
  samples: number
  warnings: string[]
  /** Each endpoint's failed requests by status or network error (k6's tags), endpoints without any left out. */
  failures: EndpointFailures[]
}

/** The statistics of one endpoint (or of the whole run): counters, exact extremes, one histogram. */
export class Stats {
  readonly histogram = new hdr.Int32Histogram(1, 2, SIGNIFICANT_DIGITS)
  requests = 0
  durations = 0
  sumMs = 0
  minMs = Infinity
  maxMs = -Infinity
  failedTotal = 0
  failedMatches = 0
  /** Redirect hops among the requests, and the whole wait of each call that redirected (REDIRECT_METRICS). */
  hops = 0
  redirected?: Stats
  /** Failed requests by kind (failureCode), when any failed. */
  failureKinds?: Map<string, number>

  constructor() {
    this.histogram.autoResize = true
  }

  addDuration(ms: number): void {
    this.histogram.recordValue(Math.max(0, Math.round(ms * NS_PER_MS)))
    this.durations++
    this.sumMs += ms
    if (ms < this.minMs) this.minMs = ms
    if (ms > this.maxMs) this.maxMs = ms
  }

  addFailed(value: number, failure?: FailureTags): void {
    this.failedTotal++
    if (value !== 0) this.failedMatches++
    if (failure) {
      const code = failureCode(failure.status, failure.errorCode)
      this.failureKinds ??= new Map()
      this.failureKinds.set(code, (this.failureKinds.get(code) ?? 0) + 1)
    }
  }

  /** The statistics as a shard stores them (src/shards/shard-file.ts). */
  toState(): StatsState {
    return {
      histogram: hdr.encodeIntoCompressedBase64(this.histogram),
      requests: this.requests,
      durations: this.durations,
      sum_ms: this.sumMs,
      min_ms: this.durations > 0 ? this.minMs : null,
      max_ms: this.durations > 0 ? this.maxMs : null,
      failed_total: this.failedTotal,
      failed_matches: this.failedMatches,
      hops: this.hops,
      ...(this.redirected ? { redirected: this.redirected.toState() } : {}),
      ...(this.failureKinds ? { failure_kinds: Object.fromEntries(this.failureKinds) } : {}),
    }
  }

  /** Adds another shard's statistics: bucket counts and counters add, extremes combine, so the result equals one Stats fed every sample. */
  addState(state: StatsState): void {
    // Decoded without WebAssembly with 32-bit buckets: the same class as this.histogram.
    this.histogram.add(hdr.decodeFromCompressedBase64(state.histogram, 32, false) as InstanceType<typeof hdr.Int32Histogram>)
    this.requests += state.requests
    this.durations += state.durations
    this.sumMs += state.sum_ms
    if (state.min_ms !== null && state.min_ms < this.minMs) this.minMs = state.min_ms
    if (state.max_ms !== null && state.max_ms > this.maxMs) this.maxMs = state.max_ms
    this.failedTotal += state.failed_total
    this.failedMatches += state.failed_matches
    this.hops += state.hops
    if (state.redirected) (this.redirected ??= new Stats()).addState(state.redirected)
    for (const [code, count] of Object.entries(state.failure_kinds ?? {})) {
      this.failureKinds ??= new Map()
      this.failureKinds.set(code, (this.failureKinds.get(code) ?? 0) + count)
    }
  }

  toSli(measuredMs: number): Sli {
    // http_reqs is the request count; a script that removed it from the output still has durations.
    // Redirect hops are no calls of their own and never failed (src/sli.ts, REDIRECT_METRICS).
    const requests = callsOf(this.requests > 0 ? this.requests : this.durations, this.hops)
    if (requests === 0) {
      return { requests: 0, rps: 0, avg_ms: null, p50_ms: null, p90_ms: null, p95_ms: null, p99_ms: null, max_ms: null, error_rate_pct: null }
    }
    // Every call redirected: its latency is the whole wait; some did: all answers, as computeSlis.
    const timed: Stats = this.redirected !== undefined && this.redirected.durations === requests ? this.redirected : this
    const [p50, p90, p95, p99] = timed.quantiles([0.5, 0.9, 0.95, 0.99])
    const judged = this.failedTotal - Math.min(this.hops, this.failedTotal)
    return {
      requests,
      rps: measuredMs > 0 ? round(requests / (measuredMs / 1000)) : null,
      avg_ms: timed.durations > 0 ? round(timed.sumMs / timed.durations) : null,
      p50_ms: p50,
      p90_ms: p90,
      p95_ms: p95,
      p99_ms: p99,
      max_ms: timed.durations > 0 ? round(timed.maxMs) : null,
      error_rate_pct: judged > 0 ? round((this.failedMatches / judged) * 100) : null,
    }
  }

  /**
   * k6's percentile: i = q·(n−1), then the values at ranks ⌊i⌋ and ⌈i⌉ (0-based, ascending)
   * interpolated linearly. Ranks are read from the histogram in one pass over its buckets, each as
   * its bucket's middle, clamped to the exact min and max.
   */
  quantiles(qs: readonly number[]): Array<number | null> {
    const n = this.durations
    if (n === 0) return qs.map(() => null)
    const wanted = qs.flatMap((q) => {
      const i = q * (n - 1)
      return [Math.floor(i), Math.ceil(i)]
    })
    const ranks = [...new Set(wanted)].sort((a, b) => a - b)
    const valueAt = new Map<number, number>()
    const h = this.histogram
    let next = 0
    let seen = 0
    for (let index = 0; index < h.countsArrayLength && next < ranks.length; index++) {
      const count = h.getCountAtIndex(index)
      if (count === 0) continue
      seen += count
      const middleMs = h.medianEquivalentValue(h.valueFromIndex(index)) / NS_PER_MS
      while (next < ranks.length && ranks[next]! < seen) {
        const rank = ranks[next]!
        const exact = rank === 0 ? this.minMs : rank === n - 1 ? this.maxMs : Math.min(this.maxMs, Math.max(this.minMs, middleMs))
        valueAt.set(rank, exact)
        next++
      }
    }
    return qs.map((q) => {
      const i = q * (n - 1)
      const lo = valueAt.get(Math.floor(i))
      const hi = valueAt.get(Math.ceil(i))
      if (lo === undefined || hi === undefined) return null
      return round(lo + (hi - lo) * (i - Math.floor(i)))
    })
  }
}

/**
 * Folds k6 samples into per-endpoint statistics. Feed it raw bytes of k6's JSON output with
 * {@link SliAggregator.write} in any chunking; call {@link SliAggregator.endRun} after each k6
 * process so the time it measured is added to the rps denominator; read {@link SliAggregator.result}.
 */
export class SliAggregator {
  private readonly endpoints = new Map<string, { method: string; stats: Stats }>()
  private readonly total = new Stats()
  private readonly maxEndpoints: number
  private readonly knownKeys: ReadonlySet<string> | undefined
  private overflowSamples = 0
  private readonly reader = new K6PointReader(
    { metrics: METRICS, timed: TIMED, tags: true, failureMetric: 'http_req_failed' },
    (metric, value, timeMs, method, name, failure) => this.add(metric, value, method, name, timeMs, failure),
  )
  private runFirstMs = Infinity
  private runLastMs = -Infinity
  /** The span of every sample seen, across runs (a shard's part of a sharded run). */
  private spanFirstMs = Infinity
  private spanLastMs = -Infinity
  private measuredMs = 0
  private vusMax: number | null = null
  private samples = 0

  constructor(options: StreamSliOptions = {}) {
    this.maxEndpoints = options.maxEndpoints ?? DEFAULT_MAX_ENDPOINTS
    this.knownKeys = options.endpoints && new Set(options.endpoints.map((e) => keyOf(e.method, e.name)))
  }

  /** A chunk of k6's JSON output; lines may span chunks. The chunk is not kept after the call. */
  write(chunk: Buffer): void {
    this.reader.write(chunk)
  }

  /** The end of one k6 run's output: a last line without a newline is read, the run's time span is added. */
  endRun(): void {
    this.reader.end()
    this.spanFirstMs = Math.min(this.spanFirstMs, this.runFirstMs)
    this.spanLastMs = Math.max(this.spanLastMs, this.runLastMs)
    if (this.runLastMs > this.runFirstMs) this.measuredMs += this.runLastMs - this.runFirstMs
    this.runFirstMs = Infinity
    this.runLastMs = -Infinity
  }

  /** HTTP requests counted so far (http_reqs), all runs. */
  get requests(): number {
    return this.total.requests
  }

  /** One sample, already decoded (the JSON path calls this; tests and other decoders may too). */
  addSample(metric: string, value: number, tags: Readonly<Record<string, string | undefined>>, timeMs?: number): void {
    this.add(metric, value, tags.method ?? '', tags.name || tags.url || '', timeMs)
  }

  private add(metric: string, value: number, method: string, name: string, timeMs: number | undefined, failure?: FailureTags): void {
    if (timeMs !== undefined && Number.isFinite(timeMs)) {
      if (timeMs < this.runFirstMs) this.runFirstMs = timeMs
      if (timeMs > this.runLastMs) this.runLastMs = timeMs
    }
    switch (metric) {
      case 'vus_max':
        if (this.vusMax === null || value > this.vusMax) this.vusMax = value
        return
      case 'iteration_duration':
        // Stamped when the iteration ended: it began `value` ms earlier, which brings the span
        // close to the test's duration as k6 counts it (its http_reqs rate).
        if (timeMs !== undefined && Number.isFinite(timeMs) && timeMs - value < this.runFirstMs) this.runFirstMs = timeMs - value
        return
    }
    const stats = this.statsFor(method, name)
    this.samples++
    switch (metric) {
      case 'http_req_duration':
        stats?.addDuration(value)
        this.total.addDuration(value)
        return
      case 'http_reqs':
        if (stats) stats.requests += value
        this.total.requests += value
        return
      case 'http_req_failed':
        stats?.addFailed(value, failure)
        this.total.addFailed(value)
        return
      case REDIRECT_METRICS.hops:
        if (stats) stats.hops += value
        this.total.hops += value
        return
      case REDIRECT_METRICS.duration:
        if (stats) (stats.redirected ??= new Stats()).addDuration(value)
        ;(this.total.redirected ??= new Stats()).addDuration(value)
        return
    }
  }

  result(): StreamSlis {
    const endpoints = [...this.endpoints.entries()]
      .map(([key, { method, stats }]) => ({ endpoint: key, method, ...stats.toSli(this.measuredMs) }))
      .sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0))
    const warnings: string[] = []
    if (this.overflowSamples > 0) {
      warnings.push(
        `more than ${this.maxEndpoints} distinct endpoints (method + name tag): ${this.overflowSamples} samples were counted under "(other endpoints)"; ` +
          `give requests whose URLs carry ids a name tag ({ tags: { name: '/users/{id}' } }) or use http.url\`\``,
      )
    }
    const unreadable = this.reader.unreadable
    if (unreadable > 0) warnings.push(`${unreadable} line(s) of k6's JSON output could not be read and were skipped`)
    return {
      endpoints,
      total: { ...this.total.toSli(this.measuredMs), vus_max: this.vusMax },
      measuredMs: this.measuredMs,
      lines: this.reader.lines,
      samples: this.samples,
      warnings,
      failures: [...this.endpoints.entries()].flatMap(([endpoint, { stats }]) =>
        stats.failureKinds ? [{ endpoint, errors: [...stats.failureKinds].map(([code, count]) => ({ code, count, retry_after: 0 })) }] : [],
      ),
    }
  }

  /** Everything counted so far, in the shard file's form (call after endRun). */
  state(): AggregatorState {
    return {
      endpoints: [...this.endpoints.entries()].map(([key, { method, stats }]) => ({ key, method, stats: stats.toState() })),
      total: this.total.toState(),
      first_ms: Number.isFinite(this.spanFirstMs) ? this.spanFirstMs : null,
      last_ms: Number.isFinite(this.spanLastMs) ? this.spanLastMs : null,
      vus_max: this.vusMax,
      samples: this.samples,
      overflow_samples: this.overflowSamples,
    }
  }

  /**
   * The shards of one run merged, as one aggregator that saw all their samples: the shards ran at
   * the same time, so the measured time is the span from the first shard's first sample to the
   * last one's last, and the concurrent VUs add up.
   */
  static merged(states: readonly AggregatorState[], options: StreamSliOptions = {}): SliAggregator {
    const merged = new SliAggregator(options)
    let first = Infinity
    let last = -Infinity
    for (const state of states) {
      for (const e of state.endpoints) {
        let entry = merged.endpoints.get(e.key)
        if (entry === undefined) merged.endpoints.set(e.key, (entry = { method: e.method, stats: new Stats() }))
        entry.stats.addState(e.stats)
      }
      merged.total.addState(state.total)
      if (state.first_ms !== null) first = Math.min(first, state.first_ms)
      if (state.last_ms !== null) last = Math.max(last, state.last_ms)
      if (state.vus_max !== null) merged.vusMax = (merged.vusMax ?? 0) + state.vus_max
      merged.samples += state.samples
      merged.overflowSamples += state.overflow_samples
    }
    if (last > first) merged.measuredMs = last - first
    merged.spanFirstMs = first
    merged.spanLastMs = last
    return merged
  }

  /** The endpoint's statistics; undefined for a name outside a plan's known endpoints. */
  private statsFor(method: string, name: string): Stats | undefined {
    let key = keyOf(method, name)
    if (this.knownKeys !== undefined && !this.knownKeys.has(key)) return undefined
    let entry = this.endpoints.get(key)
    if (entry === undefined) {
      if (this.endpoints.size >= this.maxEndpoints) {
        this.overflowSamples++
        key = keyOf(method, OVERFLOW_NAME)
        entry = this.endpoints.get(key)
      }
      if (entry === undefined) {
        entry = { method, stats: new Stats() }
        this.endpoints.set(key, entry)
      }
    }
    return entry.stats
  }
}

/**
 * A generated plan's SLIs from its streamed samples: each planned endpoint by its name tag (the
 * plan's metricName), in the plan's order, those without a sample as zero requests; the whole run
 * as streamed; percentiles from too few samples taken out (src/sample-minimums.ts). Samples of other names (none in a generated script) count in the whole run only.
 */
export function planSlis(streamed: Pick<StreamSlis, 'endpoints' | 'total'>, endpoints: readonly SliInput[]): { endpoints: EndpointSli[]; total: RunSli } {
  const byKey = new Map(streamed.endpoints.map((e) => [e.endpoint, e]))
  return {
    endpoints: endpoints.map((e) => {
      const sli = byKey.get(keyOf(e.method, e.metricName))
      return withSampleMinimums({ ...(sli ?? new Stats().toSli(0)), endpoint: e.key, method: e.method }, sli?.requests ?? 0)
    }),
    total: withSampleMinimums(streamed.total, streamed.total.requests),
  }
}

/** A generated plan's failures from its streamed samples, keyed by the plan's endpoint keys (as planSlis). */
export function planFailures(streamed: Pick<StreamSlis, 'failures'>, endpoints: readonly SliInput[]): EndpointFailures[] {
  const byKey = new Map(streamed.failures.map((f) => [f.endpoint, f.errors]))
  return endpoints.flatMap((e) => {
    const errors = byKey.get(keyOf(e.method, e.metricName))
    return errors ? [{ endpoint: e.key, errors }] : []
  })
}

function keyOf(method: string, name: string): string {
  const shown = name || '(no name)'
  return method ? `${method} ${shown}` : shown
}

/** "METHOD name": the `name` tag, which k6 sets to the URL when the script sets none. */
export function endpointKey(tags: Readonly<Record<string, string | undefined>>): string {
  return keyOf(tags.method ?? '', tags.name || tags.url || '')
}

export const OVERFLOW_NAME = '(other endpoints)'

const METRICS: ReadonlySet<string> = new Set([
  'http_reqs',
  'http_req_duration',
  'http_req_failed',
  'vus_max',
  'iteration_duration',
  REDIRECT_METRICS.hops,
  REDIRECT_METRICS.duration,
])
/** Metrics whose sample time is read: enough to know when each run began and ended. */
const TIMED = new Set(['http_reqs', 'vus_max', 'iteration_duration'])

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
