/**
 * A capacity run's levels from k6's raw JSON output, folded as it streams: per level (the `level`
 * tag of its scenario) and per endpoint, one HDR histogram of http_req_duration (stream-slis.ts'
 * Stats, k6's percentile definition), requests, failures and status codes. Each level counts only
 * the samples from its start + warm-up to its end, its start being the `perf_xi_level_start` gauge
 * its first iteration writes; memory is bounded by levels × endpoints, never by the run's length.
 */
import type { CapacityLevel, CapacityLevelEndpoint } from '../capacity/measurements.js'
import { REDIRECT_METRICS } from '../sli.js'
import { K6PointReader } from './json-lines.js'
import { OVERFLOW_NAME, Stats } from './stream-slis.js'

/** The gauge each level's first iteration writes (src/capacity/script.ts), and the tag of every sample. */
const LEVEL_START_METRIC = 'perf_xi_level_start'
/** Endpoints kept apart per level; the rest share one "(other endpoints)" entry per level. */
export const LEVEL_ENDPOINTS_MAX = 50
/** A level is complete once samples are this far past its end (k6 flushes its output about every second). */
const SETTLE_MS = 1500
/** Samples ending this long before a level's planned end mean the run was cut short there. */
const CUT_SHORT_MS = 1000

export interface LevelPlan {
  level: number
  vus: number
  durationMs: number
}

export interface LevelStreamOptions {
  levels: readonly LevelPlan[]
  warmUpMs: number
  /** The plan's endpoints: the name tag (metricName) and method each is sent with, and the key reports use. */
  endpoints: ReadonlyArray<{ key: string; method: string; metricName: string }>
  /** Called once per level when it is complete (in order), so the run can stop early. */
  onLevelEnd?: (level: CapacityLevel, measured: readonly CapacityLevel[]) => void
}

interface EndpointState {
  stats: Stats
  statuses: Record<string, number>
}

interface LevelState {
  plan: LevelPlan
  startEpochMs?: number
  endpoints: Map<string, EndpointState>
  total: Stats
  statuses: Record<string, number>
  dropped: number
  done: boolean
}

export class LevelAggregator {
  private readonly levels: LevelState[]
  private readonly byLevel = new Map<string, LevelState>()
  private readonly keys: Map<string, string>
  private readonly measured: CapacityLevel[] = []
  private lastTimeMs = -Infinity
  /** Samples seen before their level's start was known, left out as part of its warm-up. */
  private early = 0
  private readonly reader = new K6PointReader(
    {
      metrics: new Set([
        'http_reqs',
        'http_req_duration',
        'http_req_failed',
        'dropped_iterations',
        LEVEL_START_METRIC,
        REDIRECT_METRICS.hops,
        REDIRECT_METRICS.duration,
      ]),
      tags: true,
      extraTags: ['level', 'status'],
    },
    (metric, value, timeMs, method, name, _failure, extra) => this.add(metric, value, timeMs, method, name, extra?.[0], extra?.[1]),
  )

  constructor(private readonly options: LevelStreamOptions) {
    this.levels = options.levels.map((plan) => ({ plan, endpoints: new Map(), total: new Stats(), statuses: {}, dropped: 0, done: false }))
    for (const state of this.levels) this.byLevel.set(String(state.plan.level), state)
    this.keys = new Map(options.endpoints.map((e) => [`${e.method} ${e.metricName}`, e.key]))
  }

  write(chunk: Buffer): void {
    this.reader.write(chunk)
  }

  /** The end of k6's output: every level not yet complete is completed with what it measured. */
  end(): void {
    this.reader.end()
    for (const state of this.levels) this.complete(state)
  }

  /** When each level began (epoch ms), for the levels that began. */
  get starts(): Map<number, number> {
    return new Map(this.levels.flatMap((s) => (s.startEpochMs === undefined ? [] : [[s.plan.level, s.startEpochMs] as [number, number]])))
  }

  /** The levels measured (at least one request after their warm-up), in order. */
  result(): { levels: CapacityLevel[]; unreadableLines: number; earlySamples: number } {
    return { levels: [...this.measured], unreadableLines: this.reader.unreadable, earlySamples: this.early }
  }

  private add(metric: string, value: number, timeMs: number, method: string, name: string, levelTag: string | undefined, status: string | undefined): void {
    if (Number.isFinite(timeMs) && timeMs > this.lastTimeMs) {
      this.lastTimeMs = timeMs
      this.settle()
    }
    const state = levelTag === undefined ? undefined : this.byLevel.get(levelTag)
    if (!state) return
    if (metric === LEVEL_START_METRIC) {
      state.startEpochMs ??= value
      return
    }
    if (metric === 'dropped_iterations') {
      state.dropped += value
      return
    }
    if (state.startEpochMs === undefined) {
      this.early++
      return
    }
    const from = state.startEpochMs + this.options.warmUpMs
    if (!(timeMs >= from && timeMs <= state.startEpochMs + state.plan.durationMs)) return
    const endpoint = this.endpointState(state, method, name)
    switch (metric) {
      case 'http_req_duration':
        endpoint.stats.addDuration(value)
        state.total.addDuration(value)
        return
      case 'http_reqs': {
        endpoint.stats.requests += value
        state.total.requests += value
        const code = status ?? '0'
        endpoint.statuses[code] = (endpoint.statuses[code] ?? 0) + value
        state.statuses[code] = (state.statuses[code] ?? 0) + value
        return
      }
      case 'http_req_failed':
        endpoint.stats.addFailed(value)
        state.total.addFailed(value)
        return
      case REDIRECT_METRICS.hops:
        endpoint.stats.hops += value
        state.total.hops += value
        return
      case REDIRECT_METRICS.duration:
        ;(endpoint.stats.redirected ??= new Stats()).addDuration(value)
        ;(state.total.redirected ??= new Stats()).addDuration(value)
        return
    }
  }

  private endpointState(state: LevelState, method: string, name: string): EndpointState {
    let key = this.keys.get(`${method} ${name}`) ?? `${method} ${name || '(no name)'}`
    if (!state.endpoints.has(key) && state.endpoints.size >= LEVEL_ENDPOINTS_MAX) key = `${method} ${OVERFLOW_NAME}`
    let entry = state.endpoints.get(key)
    if (!entry) {
      entry = { stats: new Stats(), statuses: {} }
      state.endpoints.set(key, entry)
    }
    return entry
  }

  /** Completes, in order, the levels whose end the samples have passed. */
  private settle(): void {
    for (const state of this.levels) {
      if (state.done) continue
      if (state.startEpochMs === undefined || this.lastTimeMs < state.startEpochMs + state.plan.durationMs + SETTLE_MS) return
      this.complete(state)
    }
  }

  private complete(state: LevelState): void {
    if (state.done) return
    state.done = true
    if (state.startEpochMs === undefined) return
    const from = state.startEpochMs + this.options.warmUpMs
    // A run stopped early ends its last level where its samples end (well before the level's planned end).
    const plannedEnd = state.startEpochMs + state.plan.durationMs
    const to = this.lastTimeMs < plannedEnd - CUT_SHORT_MS ? this.lastTimeMs : plannedEnd
    const windowMs = to - from
    if (windowMs <= 0) return
    const total = toLevelFigures(state.total, state.statuses, windowMs)
    if (total.requests === 0) return
    const level: CapacityLevel = {
      level: state.plan.level,
      vus: state.plan.vus,
      measuredSeconds: windowMs / 1000,
      requests: total.requests,
      failures: total.failures,
      throughputRps: total.throughputRps,
      meanMs: total.meanMs,
      p50Ms: total.p50Ms,
      p95Ms: total.p95Ms,
      p99Ms: total.p99Ms,
      errorRate: total.requests > 0 ? total.failures / total.requests : 0,
      droppedIterations: state.dropped,
      endpoints: [...state.endpoints.entries()]
        .map(([name, e]) => ({ name, ...toLevelFigures(e.stats, e.statuses, windowMs) }))
        .filter((e) => e.requests > 0)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    }
    // The per-level histograms are no longer needed: only the figures are kept.
    state.endpoints.clear()
    this.measured.push(level)
    this.options.onLevelEnd?.(level, this.measured)
  }
}

function toLevelFigures(stats: Stats, statuses: Record<string, number>, windowMs: number): Omit<CapacityLevelEndpoint, 'name'> {
  const sli = stats.toSli(windowMs)
  const requests = sli.requests
  const failures = Math.round(((sli.error_rate_pct ?? 0) / 100) * requests)
  return {
    requests,
    failures,
    throughputRps: requests / (windowMs / 1000),
    meanMs: sli.avg_ms ?? 0,
    p50Ms: sli.p50_ms ?? 0,
    p95Ms: sli.p95_ms ?? 0,
    p99Ms: sli.p99_ms ?? 0,
    statuses: { ...statuses },
  }
}
