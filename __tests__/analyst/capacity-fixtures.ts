/**
 * A capacity run of the sample API's GET /capacity with contention, as the capacity contract
 * describes it: five levels, a USL fit with a throughput peak, two endpoints.
 */
import type { CapacityAnalysis, CapacityLevel, CapacityLevelEndpoint } from '../../src/capacity/measurements.js'

const LEVELS: [vus: number, rps: number, mean: number, p95: number, errors: number][] = [
  [2, 39.6, 50.4, 58.1, 0],
  [4, 77.1, 51.8, 61.0, 0],
  [8, 141.3, 56.6, 74.9, 0],
  [16, 182.5, 87.6, 142.3, 0.004],
  [32, 171.2, 186.9, 402.5, 0.061],
]

function endpoint(name: string, share: number, rps: number, mean: number, p95: number, errors: number): CapacityLevelEndpoint {
  const requests = Math.round(rps * share * 25)
  const failures = Math.round(requests * errors)
  return {
    name,
    requests,
    failures,
    throughputRps: rps * share,
    meanMs: mean * (share > 0.5 ? 1.1 : 0.8),
    p50Ms: mean,
    p95Ms: p95 * (share > 0.5 ? 1.15 : 0.7),
    p99Ms: p95 * 1.4,
    statuses: failures > 0 ? { '200': requests - failures, '503': failures } : { '200': requests },
  }
}

export function capacityLevels(): CapacityLevel[] {
  return LEVELS.map(([vus, rps, mean, p95, errors], i) => {
    const requests = Math.round(rps * 25)
    return {
      level: i + 1,
      vus,
      measuredSeconds: 25,
      requests,
      failures: Math.round(requests * errors),
      throughputRps: rps,
      meanMs: mean,
      p50Ms: mean * 0.95,
      p95Ms: p95,
      p99Ms: p95 * 1.4,
      errorRate: errors,
      droppedIterations: 0,
      endpoints: [endpoint('GET /capacity', 0.7, rps, mean, p95, errors), endpoint('GET /health', 0.3, rps, mean, p95, 0)],
    }
  })
}

export function capacityAnalysis(): CapacityAnalysis {
  const fit = {
    lambda: { value: 20.4, low: 19.1, high: 21.7 },
    sigma: { value: 0.0812, low: 0.052, high: 0.11 },
    kappa: { value: 0.00231, low: 0.0012, high: 0.0034 },
    rSquared: 0.987,
    peakConcurrency: 19.8,
    ceilingRps: 184.9,
    onBound: [] as ('sigma' | 'kappa')[],
    converged: true,
    iterations: 23,
    points: 5,
  }
  return {
    currentCapacityRps: 163.4,
    capacity: {
      rps: 163.4,
      method: 'interpolated',
      vus: 11.6,
      limitedBy: 'p95',
      isLowerBound: false,
      reason: 'Between level 3 (p95 74.9 ms) and level 4 (p95 142.3 ms), where p95 crosses the 100 ms target.',
    },
    targetRps: 500,
    scalingFactor: 3.06,
    replicasNeeded: 5,
    replicas: 1,
    targetMetWithCurrentReplicas: false,
    estimatedCostDelta: { amount: 210, currency: 'USD' },
    confidence: { value: 0.71, fit: 0.987, precision: 0.82, reach: 0.88 },
    model: { kind: 'usl', fit },
    latencyChecks: [{ level: 4, vus: 16, measuredMeanMs: 87.6, littleMeanMs: 87.7, modelMeanMs: 90.2, relativeError: 0.03, agrees: true }],
    projectedP95AtTarget: { projected: true, replicas: 5, atRps: 100, vus: 5.4, meanMs: 53.8, p95Ms: 66.1, p95ToMeanRatio: 1.23, withinMeasuredRange: true },
    curve: [],
    attribution: {
      endpoints: [
        {
          name: 'GET /capacity',
          p95SlopeMsPerVu: 13.2,
          p95GrowthRatio: 6.9,
          latencyShare: 0.81,
          firstFailingLevel: 5,
          firstFailingVus: 32,
          failingStatuses: { '503': 75 },
        },
        {
          name: 'GET /health',
          p95SlopeMsPerVu: 8.1,
          p95GrowthRatio: 6.9,
          latencyShare: 0.19,
          firstFailingLevel: null,
          firstFailingVus: null,
          failingStatuses: {},
        },
      ],
      fastestGrowing: 'GET /capacity',
      firstToFail: 'GET /capacity',
    },
    recommendations: [
      {
        rule: 'coherency',
        text: 'κ dominates past 16 VUs: look for shared caches or cross-node chatter.',
        evidence: ['κ 0.00231, throughput peaks at N* ≈ 20 and falls at 32 VUs.'],
      },
      { rule: 'over-capacity', text: 'GET /capacity answers 503 from 32 VUs.', evidence: ['503 × 75 at level 5.'] },
    ],
    notes: ['Measured against https://deploy:hunter2@staging.example.com/api?token=abc; replicas are assumed to scale horizontally.'],
  }
}
