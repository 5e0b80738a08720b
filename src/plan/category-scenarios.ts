/**
 * The load by endpoint category: one k6 scenario per category present among the planned
 * endpoints (standard, critical, data-intensive), each running only that category's operations,
 * with the category's think time, on its share of the profile's load.
 *
 * The profile's executor stays the whole: its peak is what vus, max-vus and the reports mean.
 * Each scenario runs the same executor type and the same stage durations; its levels (VUs, or
 * iterations/s in the open model) are the profile's times the category's share, where
 *
 *   demand(category) = VUs per endpoint of the category (standard 10, critical 20, data-intensive 5)
 *                      × the sum of its planned endpoints' weights (1 each by default)
 *   share(category)  = demand(category) / the sum of all present categories' demands
 *
 * Levels are whole numbers by largest remainder, so at every stage end the scenarios add up to
 * the profile exactly; at the peak every category gets at least 1 (a profile whose peak is below
 * the number of categories is raised first, see fitExecutorToCategories), and no scenario goes
 * above its own peak anywhere else, so the scenarios' peaks add up to the profile's. Zero stays
 * zero. Open model: preAllocatedVUs and maxVUs are split by the same shares, each at least 1.
 * Stopping at the first SLO crossed (breakpoint's abortOnFail) is a property of the thresholds,
 * which stay global: the scenario executors do not carry it.
 *
 * Pure: the plan's endpoints, executor and category settings in, scenarios out.
 */
import { ENDPOINT_CATEGORIES, type EndpointCategory } from '../results/schema.js'
import type { PlannedEndpoint } from './planned-endpoint.js'
import { peakTarget, type Executor } from './profiles.js'
import { gracefulStopMs, requestTimeoutMs } from './run-bounds.js'

/** What a category's scenario runs with (src/plan/analysis.ts resolves it from the config). */
export interface CategoryLoad {
  /** VUs per endpoint (the category's vus): with its endpoints' weights, its share of the run's VUs. */
  vusPerEndpoint: number
  /** Pause after each of the category's requests. */
  thinkTimeMs: number
}

/** k6 scenario names (and exec function names) are JavaScript identifiers: no '-'. */
export const SCENARIO_NAMES = Object.freeze({ standard: 'standard', critical: 'critical', 'data-intensive': 'data_intensive' } as const)
export type ScenarioName = (typeof SCENARIO_NAMES)[EndpointCategory]

export interface CategoryScenario {
  category: EndpointCategory
  /** The k6 scenario's name and its exec function's. */
  name: ScenarioName
  /** The category's planned endpoints: indexes into plan.endpoints, in the plan's order. */
  endpoints: number[]
  /** The category's VUs per endpoint (its vus setting). */
  vusPerEndpoint: number
  /** vusPerEndpoint × the sum of its endpoints' weights. */
  demand: number
  /** demand / all categories' demand: the fraction of the profile's load this scenario runs. */
  share: number
  /** Pause after each request. */
  thinkTimeMs: number
  /** The profile's executor type and stage durations, with this category's share of its levels. */
  executor: Executor
  /**
   * k6's gracefulStop (and gracefulRampDown): longer than its endpoints' request timeouts, so a
   * request in flight at the end completes or times out while k6 still records it.
   */
  gracefulStopMs: number
}

/** What the split needs of a TestPlan. */
export interface ScenarioInputs {
  executor: Executor
  endpoints: ReadonlyArray<Pick<PlannedEndpoint, 'category' | 'weight'> & Partial<Pick<PlannedEndpoint, 'slo'>>>
  categoryLoad: Readonly<Record<EndpointCategory, CategoryLoad>>
  /** request-timeout: every endpoint's, instead of the one its SLO gives. */
  requestTimeoutMs?: number
}

/** The categories present among the endpoints, in ENDPOINT_CATEGORIES order (the scenarios' order). */
export function presentCategories(endpoints: ReadonlyArray<Pick<PlannedEndpoint, 'category'>>): EndpointCategory[] {
  return ENDPOINT_CATEGORIES.filter((category) => endpoints.some((e) => e.category === category))
}

/**
 * The scenarios of a plan. Computed from the plan's endpoints and executor each time (rather than
 * read from plan.scenarios) so a plan narrowed to some endpoints, such as the gate's confirmation
 * run, gets the split of its own categories.
 */
export function categoryScenarios(plan: ScenarioInputs): CategoryScenario[] {
  const categories = presentCategories(plan.endpoints)
  if (categories.length === 0) return []
  const executor = fitExecutorToCategories(plan.executor, categories.length).executor
  const parts = categories.map((category) => {
    const endpoints = plan.endpoints.flatMap((e, i) => (e.category === category ? [i] : []))
    const load = plan.categoryLoad[category]
    const weights = endpoints.reduce((sum, i) => sum + plan.endpoints[i]!.weight, 0)
    return { category, endpoints, load, demand: load.vusPerEndpoint * weights }
  })
  const total = parts.reduce((sum, p) => sum + p.demand, 0)
  const shares = parts.map((p) => p.demand / total)
  const executors = splitExecutor(executor, shares)
  return parts.map((p, i) => ({
    category: p.category,
    name: SCENARIO_NAMES[p.category],
    endpoints: p.endpoints,
    vusPerEndpoint: p.load.vusPerEndpoint,
    demand: p.demand,
    share: shares[i]!,
    thinkTimeMs: p.load.thinkTimeMs,
    executor: executors[i]!,
    gracefulStopMs: gracefulStopMs(p.endpoints.map((e) => requestTimeoutMs(plan.endpoints[e]!.slo?.limits, plan.requestTimeoutMs))),
  }))
}

export interface FittedExecutor {
  executor: Executor
  /** What was raised and from what, for the plan's warning; empty when nothing was. */
  raised: string[]
}

/**
 * Every category's scenario needs at least 1 VU (and, in the open model, 1 iteration/s) at the
 * peak: a profile whose peak is below the number of categories gets its peak levels raised to
 * that number, and the open model's preAllocatedVUs and maxVUs likewise.
 */
export function fitExecutorToCategories(executor: Executor, categories: number): FittedExecutor {
  const peak = peakTarget(executor)
  const raised: string[] = []
  const level = (value: number) => (value === peak && peak < categories ? categories : value)
  const unit = executor.type.endsWith('arrival-rate') ? 'iterations/s' : 'VUs'
  if (peak < categories) raised.push(`the peak from ${peak} to ${categories} ${unit}`)
  let fitted: Executor
  switch (executor.type) {
    case 'constant-vus':
      fitted = { ...executor, vus: level(executor.vus) }
      break
    case 'ramping-vus':
      fitted = { ...executor, startVus: level(executor.startVus), stages: executor.stages.map((s) => ({ ...s, target: level(s.target) })) }
      break
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      if (executor.maxVus < categories) raised.push(`maxVUs from ${executor.maxVus} to ${categories}`)
      const vus = { preAllocatedVus: Math.max(categories, executor.preAllocatedVus), maxVus: Math.max(categories, executor.maxVus) }
      fitted =
        executor.type === 'constant-arrival-rate'
          ? { ...executor, rate: level(executor.rate), ...vus }
          : { ...executor, startRate: level(executor.startRate), stages: executor.stages.map((s) => ({ ...s, target: level(s.target) })), ...vus }
      break
    }
  }
  return { executor: fitted, raised }
}

/** The executor's levels split by shares: one executor per share, same type and stage durations. */
function splitExecutor(executor: Executor, shares: readonly number[]): Executor[] {
  switch (executor.type) {
    case 'constant-vus': {
      const [vus] = splitLevels([executor.vus], shares)
      return shares.map((_, c) => ({ type: 'constant-vus', vus: vus![c]!, durationMs: executor.durationMs }))
    }
    case 'ramping-vus': {
      const [start, ...targets] = splitLevels([executor.startVus, ...executor.stages.map((s) => s.target)], shares)
      return shares.map((_, c) => ({
        type: 'ramping-vus',
        startVus: start![c]!,
        stages: executor.stages.map((s, i) => ({ durationMs: s.durationMs, target: targets[i]![c]! })),
      }))
    }
    case 'constant-arrival-rate': {
      const [rate] = splitLevels([executor.rate], shares)
      const vus = splitVus(executor, shares)
      return shares.map((_, c) => ({ type: 'constant-arrival-rate', rate: rate![c]!, durationMs: executor.durationMs, ...vus[c]! }))
    }
    case 'ramping-arrival-rate': {
      const [start, ...targets] = splitLevels([executor.startRate, ...executor.stages.map((s) => s.target)], shares)
      const vus = splitVus(executor, shares)
      return shares.map((_, c) => ({
        type: 'ramping-arrival-rate',
        startRate: start![c]!,
        stages: executor.stages.map((s, i) => ({ durationMs: s.durationMs, target: targets[i]![c]! })),
        ...vus[c]!,
      }))
    }
  }
}

function splitVus(executor: { preAllocatedVus: number; maxVus: number }, shares: readonly number[]): Array<{ preAllocatedVus: number; maxVus: number }> {
  const max = apportion(executor.maxVus, shares, 1)
  const pre = apportion(executor.preAllocatedVus, shares, 1)
  // k6 refuses a scenario that pre-allocates more than its maxVUs.
  return shares.map((_, c) => ({ preAllocatedVus: Math.min(pre[c]!, max[c]!), maxVus: max[c]! }))
}

/**
 * Each level split by the shares: result[level][category]. The peak is split first (each category
 * at least 1); every other level is split by largest remainder and then held to each category's
 * peak, the excess going to categories below theirs (largest remainder's Alabama paradox could
 * otherwise give a category more at a lower level), so the categories' peaks add up to the peak.
 */
export function splitLevels(levels: readonly number[], shares: readonly number[]): number[][] {
  const peak = Math.max(0, ...levels)
  const atPeak = apportion(peak, shares, 1)
  return levels.map((level) => {
    if (level === peak) return atPeak
    if (level === 0) return shares.map(() => 0)
    const counts = apportion(level, shares, 0)
    let excess = 0
    counts.forEach((n, c) => {
      if (n > atPeak[c]!) {
        excess += n - atPeak[c]!
        counts[c] = atPeak[c]!
      }
    })
    for (const c of byRemainder(level, shares)) {
      const room = Math.min(excess, atPeak[c]! - counts[c]!)
      counts[c]! += room
      excess -= room
    }
    return counts
  })
}

/**
 * `total` in whole parts by the shares, largest remainder (Hamilton): each gets the floor of its
 * exact part (at least `min`), the rest goes one by one to the largest fractions (ties: the earlier
 * category). When the minimums take more than the total allows, the parts furthest above their
 * exact share give one back. Needs total ≥ shares.length × min.
 */
export function apportion(total: number, shares: readonly number[], min: number): number[] {
  if (total < shares.length * min) throw new RangeError(`cannot give ${shares.length} parts at least ${min} each out of ${total}`)
  const exact = shares.map((s) => total * s)
  const counts = exact.map((v) => Math.max(min, Math.floor(v + 1e-9)))
  let left = total - counts.reduce((a, b) => a + b, 0)
  const order = byRemainder(total, shares)
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]!]! += 1
  while (left < 0) {
    let give = -1
    counts.forEach((n, c) => {
      if (n > min && (give === -1 || n - exact[c]! > counts[give]! - exact[give]!)) give = c
    })
    counts[give]! -= 1
    left++
  }
  return counts
}

/** Category indexes by the fraction of their exact part of `total`, largest first, ties in order. */
function byRemainder(total: number, shares: readonly number[]): number[] {
  return shares
    .map((s, c) => ({ c, rest: total * s - Math.floor(total * s + 1e-9) }))
    .sort((a, b) => b.rest - a.rest || a.c - b.c)
    .map((x) => x.c)
}
