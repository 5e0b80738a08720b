/**
 * Capacity levels as a stepped k6 run would measure them from an API that follows a known USL curve:
 * throughput X(N), mean response time by Little's law N/X − Z, p95 = mean × a tail ratio, requests
 * split over endpoints by weight (an endpoint's mean scaled by its factor), optional errors from a
 * level on. For the capacity tests and the capacity bench, where the right answer must be known.
 */
import type { CapacityLevel, CapacityLevelEndpoint } from '../../src/capacity/measurements.js'

export interface LevelsEndpoint {
  name: string
  /** Share of requests, relative to the other endpoints. */
  weight: number
  /** This endpoint's mean relative to the others' (1 = average). */
  meanFactor: number
}

export interface LevelsErrors {
  /** From this 1-based level on (inclusive). */
  fromLevel: number
  /** Error rate at that level; grows by `growth` per level after it. */
  rate: number
  growth?: number
  /** Error statuses and their shares of the failures. */
  statuses: Record<string, number>
  /** Only this endpoint fails (default: all alike). */
  endpoint?: string
}

export interface LevelsSpec {
  lambda: number
  sigma: number
  kappa: number
  vus: number[]
  thinkTimeMs?: number
  p95Ratio?: number
  measuredSeconds?: number
  endpoints?: LevelsEndpoint[]
  errors?: LevelsErrors
  /** Multiplies each level's throughput (noise), same length as vus. */
  noise?: number[]
}

export function uslLevels(spec: LevelsSpec): CapacityLevel[] {
  const thinkTimeMs = spec.thinkTimeMs ?? 0
  const ratio = spec.p95Ratio ?? 1.8
  const seconds = spec.measuredSeconds ?? 20
  const endpoints = spec.endpoints ?? [{ name: 'GET /items', weight: 1, meanFactor: 1 }]
  const totalWeight = endpoints.reduce((s, e) => s + e.weight, 0)
  const meanScale = endpoints.reduce((s, e) => s + (e.weight / totalWeight) * e.meanFactor, 0)

  return spec.vus.map((n, i) => {
    const level = i + 1
    const x = ((spec.lambda * n) / (1 + spec.sigma * (n - 1) + spec.kappa * n * (n - 1))) * (spec.noise?.[i] ?? 1)
    const meanMs = (n / x) * 1000 - thinkTimeMs
    const requests = Math.round(x * seconds)
    const e = spec.errors
    const errorRate = e && level >= e.fromLevel ? Math.min(1, e.rate + (e.growth ?? 0) * (level - e.fromLevel)) : 0
    const levelEndpoints: CapacityLevelEndpoint[] = endpoints.map((ep) => {
      const epRequests = Math.round((requests * ep.weight) / totalWeight)
      const failing = e !== undefined && errorRate > 0 && (e.endpoint === undefined || e.endpoint === ep.name)
      const failures = failing ? Math.round(epRequests * (e.endpoint === undefined ? errorRate : Math.min(1, (errorRate * totalWeight) / ep.weight))) : 0
      const statuses: Record<string, number> = { '200': epRequests - failures }
      if (failing) for (const [status, share] of Object.entries(e.statuses)) statuses[status] = Math.round(failures * share)
      const epMean = (meanMs * ep.meanFactor) / meanScale
      return {
        name: ep.name,
        requests: epRequests,
        failures,
        throughputRps: epRequests / seconds,
        meanMs: epMean,
        p50Ms: epMean * 0.8,
        p95Ms: epMean * ratio,
        p99Ms: epMean * ratio * 1.4,
        statuses,
      }
    })
    const failures = levelEndpoints.reduce((s, ep) => s + ep.failures, 0)
    return {
      level,
      vus: n,
      measuredSeconds: seconds,
      requests,
      failures,
      throughputRps: x,
      meanMs,
      p50Ms: meanMs * 0.8,
      p95Ms: meanMs * ratio,
      p99Ms: meanMs * ratio * 1.4,
      errorRate: requests > 0 ? failures / requests : 0,
      droppedIterations: 0,
      endpoints: levelEndpoints,
    }
  })
}
