/**
 * Whether the load generator rather than the API limited a capacity run. On a CI runner k6 shares
 * the machine and can saturate first; then the run measured k6, not the API, and no capacity figure
 * may be given. Four signs, each enough: k6's CPU near the runner's cores, dropped iterations, the
 * VU cap reached while throughput still grew, and throughput flat while latency stays flat (the VUs
 * wait on k6, not on the API). Pure. Thresholds: docs/capacity.md ("The load generator").
 */
import type { CapacityLevel } from './measurements.js'

export const GENERATOR_LIMITS = {
  /** k6 busy on this share of the runner's cores. */
  cpuShare: 0.85,
  /** A level gaining at least this much throughput is still scaling. */
  stillGrowing: 0.05,
  /** Concurrency up by at least this factor with throughput and mean latency each up by less than their share. */
  flatStep: 1.5,
  flatLatencyGrowth: 0.1,
} as const

export type GeneratorSign = 'k6-cpu' | 'dropped-iterations' | 'vu-cap' | 'flat-throughput-flat-latency'

export interface GeneratorFinding {
  sign: GeneratorSign
  /** One sentence with the figures. */
  detail: string
}

export interface GeneratorInputs {
  levels: readonly CapacityLevel[]
  /** k6's CPU per level, in cores, by level number (missing: unknown). */
  k6Cores: ReadonlyMap<number, number>
  runnerCores: number
  maxVus: number
}

export function loadGeneratorFindings(input: GeneratorInputs): GeneratorFinding[] {
  const findings: GeneratorFinding[] = []
  const { levels } = input
  const busiest = [...input.k6Cores.entries()].sort((a, b) => b[1] - a[1])[0]
  if (busiest && busiest[1] >= GENERATOR_LIMITS.cpuShare * input.runnerCores) {
    findings.push({
      sign: 'k6-cpu',
      detail: `k6 kept ${busiest[1].toFixed(2)} of the runner's ${input.runnerCores} cores busy at level ${busiest[0]}`,
    })
  }
  const dropped = levels.reduce((sum, l) => sum + l.droppedIterations, 0)
  if (dropped > 0) findings.push({ sign: 'dropped-iterations', detail: `k6 dropped ${dropped} iterations it had no VU for` })
  const last = levels.at(-1)
  const before = levels.at(-2)
  if (last && before && last.vus >= input.maxVus) {
    const gain = last.throughputRps / Math.max(before.throughputRps, 1e-9) - 1
    if (gain >= GENERATOR_LIMITS.stillGrowing)
      findings.push({
        sign: 'vu-cap',
        detail: `the last level ran at the cap of ${input.maxVus} VUs while throughput still grew ${Math.round(gain * 100)} % over the level before: the API had not stopped scaling`,
      })
  }
  for (let i = 1; i < levels.length; i++) {
    const a = levels[i - 1]!
    const b = levels[i]!
    if (b.vus / a.vus < GENERATOR_LIMITS.flatStep || b.errorRate > a.errorRate + 0.01 || a.meanMs <= 0) continue
    const gain = b.throughputRps / Math.max(a.throughputRps, 1e-9) - 1
    const latencyGrowth = b.meanMs / a.meanMs - 1
    if (gain < GENERATOR_LIMITS.stillGrowing && latencyGrowth < GENERATOR_LIMITS.flatLatencyGrowth) {
      findings.push({
        sign: 'flat-throughput-flat-latency',
        detail: `from ${a.vus} to ${b.vus} VUs throughput grew ${Math.round(gain * 100)} % while the mean latency grew only ${Math.round(latencyGrowth * 100)} %: the VUs waited on k6, not on the API`,
      })
      break
    }
  }
  return findings
}
