/**
 * Before the run: the endpoints the profile cannot give enough samples for a percentile
 * (src/sample-minimums.ts), whatever the API's speed. Open model: the rate's requests over the
 * test, by weight. Closed model with think time: its VU-seconds by weight (each endpoint's share
 * of a VU's time, templates/k6-script.js.hbs), over the think time. Closed model without think
 * time: a fast API can always be sent enough, so only the run can tell (too few samples then).
 */
import type { Percentile } from '../results/schema.js'
import { MIN_SAMPLES, PERCENTILES } from '../sample-minimums.js'
import type { CategoryScenario } from './category-scenarios.js'
import type { PlannedEndpoint } from './planned-endpoint.js'
import type { Executor } from './profiles.js'

/** The most requests each planned endpoint can get, by plan.endpoints index; undefined when unbounded. */
export function requestBounds(scenarios: readonly CategoryScenario[], endpoints: ReadonlyArray<Pick<PlannedEndpoint, 'weight'>>): Array<number | undefined> {
  const bounds: Array<number | undefined> = endpoints.map(() => undefined)
  for (const scenario of scenarios) {
    const open = scenario.executor.type.endsWith('arrival-rate')
    if (!open && scenario.thinkTimeMs === 0) continue
    const levelSeconds = levelIntegralMs(scenario.executor) / 1000
    const weights = scenario.endpoints.reduce((sum, i) => sum + endpoints[i]!.weight, 0)
    for (const i of scenario.endpoints) {
      const share = endpoints[i]!.weight / weights
      // Open model: iterations/s × s; closed: VU-seconds ÷ the think time each request is followed by.
      bounds[i] = Math.floor(open ? levelSeconds * share : (levelSeconds * share * 1000) / scenario.thinkTimeMs + share * peakLevel(scenario.executor))
    }
  }
  return bounds
}

/** One warning per endpoint whose bound is below a percentile's minimum: those of its SLO, else p95. */
export function sampleWarnings(
  scenarios: readonly CategoryScenario[],
  endpoints: ReadonlyArray<Pick<PlannedEndpoint, 'weight' | 'slo' | 'endpoint'>>,
): string[] {
  const bounds = requestBounds(scenarios, endpoints)
  return endpoints.flatMap((planned, i) => {
    const bound = bounds[i]
    if (bound === undefined) return []
    const limited = PERCENTILES.filter((p) => planned.slo.limits[p] !== undefined)
    const short = (limited.length > 0 ? limited : (['p95'] as Percentile[])).filter((p) => bound < MIN_SAMPLES[p])
    if (short.length === 0) return []
    const needs = short.map((p) => `${p} needs ${MIN_SAMPLES[p]}`).join(', ')
    return [
      `${planned.endpoint.key}: the profile gives it at most ${bound} requests (${needs}): its ${short.join(' and ')} will show "too few samples" and not be judged; lengthen the test, raise vus (rate) or lower its category's think time`,
    ]
  })
}

/** ∫ level dt over the test in level·ms: VU-ms (closed model) or iterations/s · ms (open model). */
function levelIntegralMs(executor: Executor): number {
  switch (executor.type) {
    case 'constant-vus':
      return executor.vus * executor.durationMs
    case 'constant-arrival-rate':
      return executor.rate * executor.durationMs
    case 'ramping-vus':
    case 'ramping-arrival-rate': {
      let level = executor.type === 'ramping-vus' ? executor.startVus : executor.startRate
      let sum = 0
      for (const stage of executor.stages) {
        sum += ((level + stage.target) / 2) * stage.durationMs
        level = stage.target
      }
      return sum
    }
  }
}

/** A VU's first request goes out before its first think time: one more per VU at most. */
function peakLevel(executor: Executor): number {
  return executor.type === 'constant-vus'
    ? executor.vus
    : executor.type === 'ramping-vus'
      ? Math.max(executor.startVus, ...executor.stages.map((s) => s.target))
      : 0
}
