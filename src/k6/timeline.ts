/**
 * The run over time: k6's raw JSON output (`--out json=…`) folded, as it arrives, into fixed windows
 * (requests, failed requests, a latency histogram, the VUs k6 reported) that the stress and spike
 * profiles judge (src/verdict/phase-criteria.ts). Samples are counted, never kept: one small
 * histogram per window, at most MAX_WINDOWS windows. Windows are cut from the test's start, placed
 * on the one-second grid of k6's first `vus` sample. Samples are read by K6PointReader (json-lines.ts).
 * Memory bounds and how the start is found: docs/stress-spike.md ("The run over time").
 */
import hdr from 'hdr-histogram-js'
import type { TimelineState } from '../shards/shard-file.js'
import { K6PointReader } from './json-lines.js'

/** Durations are recorded in whole microseconds. */
const US_PER_MS = 1000
/** Two significant digits: values within 1 % may share a bucket; ≈ 11 KiB per histogram up to 60 s. */
const SIGNIFICANT_DIGITS = 2

/** Window lengths to choose from, shortest first: whole seconds a reader can line up with stages. */
export const WINDOW_LENGTHS_MS = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000] as const
/** A test is cut into at most this many windows (a 26 m stress run: 312 windows of 5 s). */
export const MAX_WINDOWS = 360
/** k6 may run past the plan while iterations finish (gracefulStop, gracefulRampDown: 30 s each by default). */
const OVERRUN_MS = 120_000
/** How far past the earliest sample the start may be put (k6's ticks jitter by milliseconds). */
const GRID_TOLERANCE_MS = 50
/** Samples waiting for the start at most: past either limit the earliest sample is taken as the start. */
const PENDING_MAX_MS = 2_500
const PENDING_MAX_SAMPLES = 200_000

export interface TimelineOptions {
  /** Length of each window. */
  windowMs: number
  /** Windows kept; later samples are counted in `samplesPastEnd` and left out. */
  maxWindows: number
  /**
   * The start comes from outside (startAt): a shard's agreed start, so that every shard's windows
   * line up for the merge. Samples before it wait (a paused k6's few ticks).
   */
  awaitStart?: boolean
}

/**
 * The window length for a test planned to last `plannedMs`: the shortest of WINDOW_LENGTHS_MS
 * that cuts it into at most MAX_WINDOWS windows. 1 s up to 6 minutes (a shortened test of seconds
 * still has a window per stage; the default 6 m spike has 360), 5 s for the 26 m stress test.
 */
export function timelineOptionsFor(plannedMs: number): TimelineOptions {
  const windowMs = WINDOW_LENGTHS_MS.find((w) => Math.ceil(plannedMs / w) <= MAX_WINDOWS) ?? WINDOW_LENGTHS_MS.at(-1)!
  return { windowMs, maxWindows: Math.ceil((plannedMs + OVERRUN_MS) / windowMs) + 1 }
}

/** One window, its times from the test's start. */
export interface TimelineWindow {
  index: number
  startMs: number
  endMs: number
  /** The part of the window k6 was running: shorter than the window for the last one. */
  durationMs: number
  requests: number
  /** Requests k6 counted as failed (http_req_failed). */
  failed: number
  /** failed / requests judged by http_req_failed, in percent; null without such samples. */
  errorRatePct: number | null
  p95Ms: number | null
  /** Requests per second over durationMs. */
  rps: number
  /** The most VUs k6 reported active (its `vus` gauge, sampled each second) up to the window's end; null without a sample. */
  vus: number | null
}

/** Several windows taken together: a stage, the time before a spike, the recovery. */
export interface SpanStats {
  /** Windows whose middle falls in the span. */
  windows: number
  requests: number
  failed: number
  errorRatePct: number | null
  p95Ms: number | null
  rps: number | null
  vusMax: number | null
}

class WindowStats {
  readonly histogram = new hdr.Int32Histogram(1, 2, SIGNIFICANT_DIGITS)
  requests = 0
  durations = 0
  judged = 0
  failed = 0
  vus: number | null = null

  constructor() {
    this.histogram.autoResize = true
  }
}

/** The windows of one run, read back; span() merges windows' histograms for a stage or a phase. */
export class Timeline {
  constructor(
    readonly windowMs: number,
    /** The test's start as found from k6's samples (epoch ms); null without samples. Windows count from it. */
    readonly startedAtMs: number | null,
    readonly windows: readonly TimelineWindow[],
    private readonly detail: ReadonlyMap<number, WindowStats>,
    /** Lines read, samples counted, and what could not be used. */
    readonly stats: { lines: number; samples: number; samplesPastEnd: number },
    readonly warnings: readonly string[],
  ) {}

  /** The windows whose middle falls within [fromMs, toMs), taken together. */
  span(fromMs: number, toMs: number): SpanStats {
    const inside = this.windows.filter((w) => {
      const middle = (w.startMs + w.endMs) / 2
      return middle >= fromMs && middle < toMs
    })
    const merged = new hdr.Int32Histogram(1, 2, SIGNIFICANT_DIGITS)
    merged.autoResize = true
    let requests = 0
    let failed = 0
    let judged = 0
    let durationMs = 0
    let vusMax: number | null = null
    for (const w of inside) {
      const stats = this.detail.get(w.index)
      if (stats && stats.durations > 0) merged.add(stats.histogram)
      judged += stats?.judged ?? 0
      requests += w.requests
      failed += w.failed
      durationMs += w.durationMs
      if (w.vus !== null && (vusMax === null || w.vus > vusMax)) vusMax = w.vus
    }
    const result: SpanStats = {
      windows: inside.length,
      requests,
      failed,
      errorRatePct: judged > 0 ? round((failed / judged) * 100) : null,
      p95Ms: merged.totalCount > 0 ? round(merged.getValueAtPercentile(95) / US_PER_MS) : null,
      rps: durationMs > 0 ? round(requests / (durationMs / 1000)) : null,
      vusMax,
    }
    merged.destroy()
    return result
  }
}

/**
 * Folds k6 samples into windows of time. Feed it raw bytes with {@link write} in any chunking (or
 * decoded samples with {@link addSample}); call {@link end} once k6 has exited; read {@link result}.
 */
export class TimelineAggregator {
  private readonly windows = new Map<number, WindowStats>()
  private readonly reader = new K6PointReader({ metrics: METRICS }, (metric, value, timeMs) => this.addSample(metric, value, timeMs))
  /** The test's start (epoch ms), once known; until then samples wait in `pending`. */
  private startMs: number | null = null
  private earliestMs = Infinity
  private lastMs = -Infinity
  private pending: Array<{ metric: string; value: number; timeMs: number }> = []
  private samples = 0
  private samplesPastEnd = 0

  constructor(private readonly options: TimelineOptions) {
    if (!(options.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${options.windowMs}`)
  }

  write(chunk: Buffer): void {
    this.reader.write(chunk)
  }

  /** The end of k6's output: a last line without a newline is read. */
  end(): void {
    this.reader.end()
    if (this.startMs === null && this.pending.length > 0) this.start(this.earliestMs)
  }

  /** One sample, already decoded: the metric's name, its value, its time (epoch ms). */
  addSample(metric: string, value: number, timeMs: number): void {
    if (!Number.isFinite(timeMs) || !Number.isFinite(value)) return
    if (timeMs > this.lastMs) this.lastMs = timeMs
    if (this.startMs !== null) return this.record(metric, value, timeMs)
    if (timeMs < this.earliestMs) this.earliestMs = timeMs
    this.pending.push({ metric, value, timeMs })
    if (this.options.awaitStart) return
    if (metric === 'vus') {
      // The latest point of the vus sample's one-second grid that is not after the earliest sample.
      const ticks = Math.max(0, Math.ceil((timeMs - this.earliestMs - GRID_TOLERANCE_MS) / 1000))
      this.start(timeMs - ticks * 1000)
    } else if (timeMs - this.earliestMs > PENDING_MAX_MS || this.pending.length >= PENDING_MAX_SAMPLES) {
      this.start(this.earliestMs)
    }
  }

  /** Windows count from `startMs` (epoch ms), with awaitStart; the samples waiting are placed. */
  startAt(startMs: number): void {
    if (this.startMs === null) this.start(startMs)
  }

  /** The windows as a shard stores them (src/shards/shard-file.ts); call after end(). */
  state(): TimelineState {
    return {
      window_ms: this.options.windowMs,
      start_ms: this.startMs,
      last_ms: Number.isFinite(this.lastMs) ? this.lastMs : null,
      windows: [...this.windows.entries()].map(([index, w]) => ({
        index,
        histogram: hdr.encodeIntoCompressedBase64(w.histogram),
        requests: w.requests,
        durations: w.durations,
        judged: w.judged,
        failed: w.failed,
        vus: w.vus,
      })),
      samples: this.samples,
      samples_past_end: this.samplesPastEnd,
    }
  }

  /**
   * The shards' windows added up: they share one start (the agreed one), so window i of every
   * shard is the same stretch of time; the VUs of a window are the sum of the shards' VUs.
   */
  static merged(states: readonly TimelineState[], options: TimelineOptions): TimelineAggregator {
    const merged = new TimelineAggregator(options)
    for (const state of states) {
      if (state.start_ms !== null && merged.startMs === null) merged.startMs = state.start_ms
      if (state.last_ms !== null && state.last_ms > merged.lastMs) merged.lastMs = state.last_ms
      merged.samples += state.samples
      merged.samplesPastEnd += state.samples_past_end
      for (const w of state.windows) {
        let window = merged.windows.get(w.index)
        if (window === undefined) merged.windows.set(w.index, (window = new WindowStats()))
        window.histogram.add(hdr.decodeFromCompressedBase64(w.histogram, 32, false) as InstanceType<typeof hdr.Int32Histogram>)
        window.requests += w.requests
        window.durations += w.durations
        window.judged += w.judged
        window.failed += w.failed
        if (w.vus !== null) window.vus = (window.vus ?? 0) + w.vus
      }
    }
    return merged
  }

  private start(startMs: number): void {
    this.startMs = startMs
    const waiting = this.pending
    this.pending = []
    for (const s of waiting) this.record(s.metric, s.value, s.timeMs)
  }

  private record(metric: string, value: number, timeMs: number): void {
    const sinceStart = timeMs - this.startMs!
    const { windowMs } = this.options
    // A `vus` tick on a window's end (give or take a millisecond) tells the VUs of the window it
    // closes. A sample stamped before the start (a tick's jitter) joins the first window.
    const index = Math.max(0, metric === 'vus' ? Math.ceil((sinceStart - GRID_TOLERANCE_MS) / windowMs) - 1 : Math.floor(sinceStart / windowMs))
    if (index >= this.options.maxWindows) {
      this.samplesPastEnd++
      return
    }
    let window = this.windows.get(index)
    if (window === undefined) {
      window = new WindowStats()
      this.windows.set(index, window)
    }
    this.samples++
    switch (metric) {
      case 'http_reqs':
        window.requests += value
        return
      case 'http_req_duration':
        window.histogram.recordValue(Math.max(0, Math.round(value * US_PER_MS)))
        window.durations++
        return
      case 'http_req_failed':
        window.judged++
        if (value !== 0) window.failed++
        return
      case 'vus':
        if (window.vus === null || value > window.vus) window.vus = value
        return
    }
  }

  /** The windows so far, in order, gaps (no sample at all) included as empty windows. */
  result(): Timeline {
    const { windowMs } = this.options
    const warnings: string[] = []
    const unreadable = this.reader.unreadable
    if (unreadable > 0) warnings.push(`${unreadable} line(s) of k6's JSON output could not be read and were left out of the timeline`)
    if (this.samplesPastEnd > 0)
      warnings.push(
        `${this.samplesPastEnd} sample(s) came more than ${Math.round((this.options.maxWindows * windowMs) / 1000)} s after the test started and were left out of the timeline`,
      )
    const stats = { lines: this.reader.lines, samples: this.samples, samplesPastEnd: this.samplesPastEnd }
    if (this.startMs === null || this.windows.size === 0) return new Timeline(windowMs, null, [], new Map(), stats, warnings)

    const count = Math.max(...this.windows.keys()) + 1
    const ranMs = this.lastMs - this.startMs
    const windows: TimelineWindow[] = []
    for (let index = 0; index < count; index++) {
      const w = this.windows.get(index)
      // The last window lasts as long as k6 ran into it; never less than a millisecond.
      const durationMs = index === count - 1 ? Math.max(1, Math.min(windowMs, ranMs - index * windowMs)) : windowMs
      const requests = w ? (w.requests > 0 ? w.requests : w.durations) : 0
      windows.push({
        index,
        startMs: index * windowMs,
        endMs: (index + 1) * windowMs,
        durationMs,
        requests,
        failed: w?.failed ?? 0,
        errorRatePct: w && w.judged > 0 ? round((w.failed / w.judged) * 100) : null,
        p95Ms: w && w.durations > 0 ? round(w.histogram.getValueAtPercentile(95) / US_PER_MS) : null,
        rps: round(requests / (durationMs / 1000)),
        vus: w?.vus ?? null,
      })
    }
    return new Timeline(windowMs, this.startMs, windows, this.windows, stats, warnings)
  }
}

const METRICS: ReadonlySet<string> = new Set(['http_reqs', 'http_req_duration', 'http_req_failed', 'vus'])

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
