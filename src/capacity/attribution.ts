/**
 * Which endpoints carry the slowdown and which break first: per endpoint, the least-squares slope of
 * its p95 against concurrency, its share of request time at the most loaded level, and the first level
 * at which its error rate passes the limit, with the error statuses seen there.
 */
import type { CapacityAttribution, CapacityLevel, EndpointAttribution } from './measurements.js'

/** A status that counts as an error: 4xx, 5xx, and "0" (no response: timeout, reset). */
export function isErrorStatus(status: string): boolean {
  const code = Number(status)
  return !Number.isFinite(code) || code === 0 || code >= 400
}

export function errorStatuses(statuses: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(statuses).filter(([status, count]) => count > 0 && isErrorStatus(status)))
}

/** Least-squares slope of y on x; 0 with fewer than two distinct x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return 0
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length
  const my = points.reduce((s, p) => s + p.y, 0) / points.length
  let sxy = 0
  let sxx = 0
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my)
    sxx += (p.x - mx) ** 2
  }
  return sxx > 0 ? sxy / sxx : 0
}

export function attributeEndpoints(levels: readonly CapacityLevel[], errorRateLimit: number): CapacityAttribution {
  const names = [...new Set(levels.flatMap((l) => l.endpoints.map((e) => e.name)))]
  const last = levels[levels.length - 1]
  const lastTime = last ? last.endpoints.reduce((s, e) => s + e.requests * e.meanMs, 0) : 0

  const endpoints: EndpointAttribution[] = names.map((name) => {
    const measured = levels.flatMap((l) => l.endpoints.filter((e) => e.name === name && e.requests > 0).map((e) => ({ level: l, endpoint: e })))
    const p95s = measured.map(({ level, endpoint }) => ({ x: level.vus, y: endpoint.p95Ms }))
    const first = p95s[0]?.y ?? 0
    const lastP95 = p95s[p95s.length - 1]?.y ?? 0
    const failing = measured.find(({ endpoint }) => endpoint.failures / endpoint.requests > errorRateLimit)
    const atLast = last?.endpoints.find((e) => e.name === name)
    return {
      name,
      p95SlopeMsPerVu: slope(p95s),
      p95GrowthRatio: first > 0 ? lastP95 / first : 1,
      latencyShare: atLast && lastTime > 0 ? (atLast.requests * atLast.meanMs) / lastTime : 0,
      firstFailingLevel: failing?.level.level ?? null,
      firstFailingVus: failing?.level.vus ?? null,
      failingStatuses: failing ? errorStatuses(failing.endpoint.statuses) : {},
    }
  })

  const growing = levels.length >= 2 ? endpoints.filter((e) => e.p95SlopeMsPerVu > 0).sort((a, b) => b.p95SlopeMsPerVu - a.p95SlopeMsPerVu) : []
  const errorRateAt = (e: EndpointAttribution): number => {
    const at = levels.find((l) => l.level === e.firstFailingLevel)?.endpoints.find((x) => x.name === e.name)
    return at && at.requests > 0 ? at.failures / at.requests : 0
  }
  const failing = endpoints
    .filter((e) => e.firstFailingLevel !== null)
    .sort((a, b) => (a.firstFailingLevel as number) - (b.firstFailingLevel as number) || errorRateAt(b) - errorRateAt(a))
  return { endpoints, fastestGrowing: growing[0]?.name ?? null, firstToFail: failing[0]?.name ?? null }
}
