/**
 * Rule-based advice from the shape of the measurements: which USL term dominates at the highest
 * measured concurrency (contention σ(N−1) against coherency κN(N−1)), the statuses of the first level
 * whose errors pass the limit, and an endpoint that takes most of the request time. Each rule speaks
 * once, with the figures behind it.
 */
import { fmtMs, fmtPct, fmtRelative, fmtRps } from '../format/numbers.js'
import { errorStatuses } from './attribution.js'
import type { CapacityAttribution, CapacityLevel, CapacityModel, CapacityTargets, Interval, Recommendation, UslFit } from './measurements.js'

/** Below this total (σ(N−1) + κN(N−1) at the highest level), throughput is still within 10 % of linear. */
export const NEAR_LINEAR_TERMS = 0.1
/** An endpoint dominates when it takes at least this share of request time … */
export const DOMINANT_SHARE = 0.5
/** … and its mean is at least this many times the median mean of the others. */
export const DOMINANT_MEAN_FACTOR = 2

function sig(value: number): string {
  return String(Number(value.toPrecision(3)))
}

function fmtInterval(name: string, i: Interval): string {
  return `${name} = ${sig(i.value)} (95 % interval ${sig(i.low)} to ${sig(i.high)})`
}

function statusList(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${status === '0' ? 'no response' : status} × ${count}`)
    .join(', ')
}

function shapeRecommendations(fit: UslFit, levels: readonly CapacityLevel[]): Recommendation[] {
  const n = Math.max(...levels.map((l) => l.vus))
  const contention = fit.sigma.value * (n - 1)
  const coherency = fit.kappa.value * n * (n - 1)
  const terms = `at ${n} VUs the contention term σ(N−1) = ${sig(contention)} and the coherency term κN(N−1) = ${sig(coherency)}: throughput is ${fmtRelative(1 / (1 + contention + coherency))} of linear`
  if (contention + coherency < NEAR_LINEAR_TERMS) {
    return [
      {
        rule: 'near-linear',
        text: `Throughput still grows almost linearly up to ${n} VUs: the run did not reach the API's limit. Add higher levels (or raise max-vus) before relying on the capacity figure.`,
        evidence: [terms, fmtInterval('σ', fit.sigma), fmtInterval('κ', fit.kappa)],
      },
    ]
  }
  if (contention >= coherency) {
    const ceiling = fit.ceilingRps === null ? [] : [`the model levels off at ${fmtRps(fit.ceilingRps)} req/s`]
    return [
      {
        rule: 'contention',
        text: 'Contention limits scaling (σ dominates): part of each request is serialised, so requests queue for it. Look for locks and single-threaded sections on the hot path and for connection or worker pools smaller than the concurrency.',
        evidence: [fmtInterval('σ', fit.sigma), terms, ...ceiling],
      },
    ]
  }
  const peakIndex = levels.reduce((best, l, i) => (l.throughputRps > levels[best].throughputRps ? i : best), 0)
  const retrograde = levels.slice(peakIndex + 1).find((l) => l.throughputRps < levels[peakIndex].throughputRps * 0.95)
  const measuredFall = retrograde
    ? [
        `measured throughput fell from ${fmtRps(levels[peakIndex].throughputRps)} req/s at ${levels[peakIndex].vus} VUs to ${fmtRps(retrograde.throughputRps)} req/s at ${retrograde.vus} VUs`,
      ]
    : []
  const peak =
    fit.peakConcurrency === null
      ? []
      : [`throughput peaks near ${Math.round(fit.peakConcurrency)} VUs (N*) at ${fmtRps(fit.ceilingRps)} req/s and falls beyond it`]
  return [
    {
      rule: 'coherency',
      text: 'Coherency limits scaling (κ dominates): requests wait on one another pairwise, as shared mutable state is kept consistent (cache invalidation, distributed locks, cross-node chatter), so adding load lowers throughput past a peak. Reduce what is shared (partition data, local caches, fewer round trips between nodes) and keep concurrency below N*.',
      evidence: [fmtInterval('κ', fit.kappa), terms, ...peak, ...measuredFall],
    },
  ]
}

function errorRecommendations(levels: readonly CapacityLevel[], limit: number): Recommendation[] {
  const level = levels.find((l) => l.errorRate > limit)
  if (!level) return []
  const statuses: Record<string, number> = {}
  for (const e of level.endpoints) for (const [status, count] of Object.entries(errorStatuses(e.statuses))) statuses[status] = (statuses[status] ?? 0) + count
  const where = `level ${level.level} (${level.vus} VUs)`
  const seen = `at ${where} ${fmtPct(level.errorRate * 100)} of requests failed, above the ${fmtPct(limit * 100)} limit: ${statusList(statuses) || 'no error status recorded'}`
  const pick = (codes: (s: string) => boolean): Record<string, number> => Object.fromEntries(Object.entries(statuses).filter(([s]) => codes(s)))
  const out: Recommendation[] = []
  const limited = pick((s) => s === '429')
  if (Object.keys(limited).length > 0)
    out.push({
      rule: 'rate-limited',
      text: `Requests are rate limited from ${where}: 429 is a limit the API or a gateway sets, not its capacity. Raise or exempt the limit for the load test, or treat it as the throughput the API is allowed to serve.`,
      evidence: [seen],
    })
  const shed = pick((s) => s === '503')
  if (Object.keys(shed).length > 0)
    out.push({
      rule: 'over-capacity',
      text: `The API sheds load with 503 from ${where}: a pool or queue is exhausted (database connections, worker threads) or the instances are over capacity. Size the pools to the concurrency or add replicas.`,
      evidence: [seen],
    })
  const timeouts = pick((s) => s === '0' || s === '408' || s === '504' || !Number.isFinite(Number(s)))
  if (Object.keys(timeouts).length > 0)
    out.push({
      rule: 'timeouts',
      text: `Requests time out from ${where}: they wait longer than the client or a proxy allows, because the API accepts work faster than it completes it. Bound the queue (and answer 503 early) or add capacity.`,
      evidence: [seen],
    })
  const server = pick((s) => Number(s) >= 500 && !['503', '504'].includes(s))
  if (Object.keys(server).length > 0)
    out.push({
      rule: 'server-errors',
      text: `Server errors appear under load from ${where}: resources run out or a dependency fails at that concurrency. Read the API's logs for that period.`,
      evidence: [seen],
    })
  return out
}

function dominantEndpoint(levels: readonly CapacityLevel[], attribution: CapacityAttribution): Recommendation[] {
  const last = levels[levels.length - 1]
  if (!last || last.endpoints.length < 2) return []
  const top = [...attribution.endpoints].sort((a, b) => b.latencyShare - a.latencyShare)[0]
  const topMean = last.endpoints.find((e) => e.name === top.name)?.meanMs ?? 0
  const others = last.endpoints
    .filter((e) => e.name !== top.name && e.requests > 0)
    .map((e) => e.meanMs)
    .sort((a, b) => a - b)
  if (others.length === 0) return []
  const median = others.length % 2 ? others[others.length >> 1] : (others[others.length / 2 - 1] + others[others.length / 2]) / 2
  if (top.latencyShare < DOMINANT_SHARE || topMean < DOMINANT_MEAN_FACTOR * median) return []
  return [
    {
      rule: 'dominant-endpoint',
      text: `${top.name} dominates the request time: a data-intensive operation. Page or limit its results, return fewer fields, cache or precompute them, or make it asynchronous.`,
      evidence: [
        `${fmtRelative(top.latencyShare)} of request time at ${last.vus} VUs`,
        `mean ${fmtMs(topMean)} against a median of ${fmtMs(median)} for the other endpoints`,
        `its p95 grows by ${sig(top.p95SlopeMsPerVu)} ms per VU`,
      ],
    },
  ]
}

export function recommend(
  levels: readonly CapacityLevel[],
  targets: CapacityTargets,
  model: CapacityModel,
  attribution: CapacityAttribution,
): Recommendation[] {
  return [
    ...(model.kind === 'usl' && levels.length > 0 ? shapeRecommendations(model.fit, levels) : []),
    ...errorRecommendations(levels, targets.errorRateLimit),
    ...dominantEndpoint(levels, attribution),
  ]
}
