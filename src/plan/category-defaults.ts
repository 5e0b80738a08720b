/**
 * What the planning model gives each endpoint category (CATEGORY_DEFAULTS: VUs per endpoint, think
 * time, recommended SLO), with the `categories:` block's overrides, and how those defaults join the
 * plan: as each category's load (categoryLoads) and as SLO limits below every rule the user writes
 * (withCategoryDefaults, userSloRules). Pure. The model's numbers: docs/planning.md.
 */
import { DEFAULTS, type SloRule } from '../config/schema.js'
import type { SloLimits } from '../slo-config.js'
import type { EndpointCategory } from '../results/schema.js'
import type { CategoriesConfig } from './categories-config.js'
import type { CategoryLoad } from './category-scenarios.js'
import type { ResolvedSlo } from './planned-endpoint.js'

/** What the planning model gives each category. */
export interface CategoryDefaults {
  /**
   * Virtual users the planning model gives an endpoint of this category on its own. The run's
   * VUs are shared among the categories in proportion to this × their endpoints' weights
   * (src/plan/category-scenarios.ts), so it is also the category's share of the traffic.
   */
  vus: number
  /** Pause after each request of this category; 0 leaves the config's think-time in charge. */
  thinkTimeMs: number
  /** Recommended SLO: applied below every SLO the user writes (see withCategoryDefaults). */
  slo: SloLimits
}

/**
 * The planning model Perf-Xi inherits: standard load 10 VUs, p95 < 1 s, errors < 1 %; critical
 * path 20 VUs, p95 < 500 ms, errors < 0.5 %; data-intensive 5 VUs, 3 s think time, p95 < 5 s,
 * errors < 2 %. (The model's 60 s with a 30 s ramp-up is a run's shape, which the profile gives
 * every category alike.)
 */
export const CATEGORY_DEFAULTS: Readonly<Record<EndpointCategory, Readonly<CategoryDefaults>>> = Object.freeze({
  standard: Object.freeze({ vus: 10, thinkTimeMs: 0, slo: Object.freeze({ p95: 1000, 'error-rate': 1 }) }),
  critical: Object.freeze({ vus: 20, thinkTimeMs: 0, slo: Object.freeze({ p95: 500, 'error-rate': 0.5 }) }),
  'data-intensive': Object.freeze({ vus: 5, thinkTimeMs: 3000, slo: Object.freeze({ p95: 5000, 'error-rate': 2 }) }),
})

/** A category's defaults with the config's overrides applied. */
export function categoryDefaults(category: EndpointCategory, config?: CategoriesConfig): CategoryDefaults {
  const base = CATEGORY_DEFAULTS[category]
  const o = config?.[category]
  return {
    vus: o?.vus ?? base.vus,
    thinkTimeMs: o?.['think-time'] ?? base.thinkTimeMs,
    // A category's slo replaces its recommended limits as a whole: `slo: { p99: 2s }` means exactly that.
    slo: { ...(o?.slo ?? base.slo) },
  }
}

/** The selector recorded as the source of a limit that came from a category's defaults. */
export function categorySelector(category: EndpointCategory): string {
  return `category:${category}`
}

/**
 * The endpoint's category SLO at the lowest precedence: each limit the user's SLO rules set
 * (any selector, "*" included) stays; limits no user rule sets come from the category, with
 * source `category:<name>`. User SLOs always win, limit by limit, as rules do among themselves.
 */
export function withCategoryDefaults(resolved: ResolvedSlo, analysis: { category: EndpointCategory; defaults: CategoryDefaults }): ResolvedSlo {
  const limits: Record<string, number> = { ...(resolved.limits as Record<string, number>) }
  const sources: ResolvedSlo['sources'] = { ...resolved.sources }
  for (const [name, value] of Object.entries(analysis.defaults.slo) as Array<[keyof SloLimits, number | undefined]>) {
    if (value === undefined || limits[name] !== undefined) continue
    limits[name] = value
    sources[name] = { selector: categorySelector(analysis.category) }
  }
  return { limits: limits as SloLimits, sources }
}

/**
 * The user's own SLO rules: resolveConfig adds `"*": { p95: 1s, error-rate: 1% }` (without a
 * line) when the config file sets no SLO; that built-in rule is the standard category's SLO, and
 * with categories it must not override the critical and data-intensive defaults, so it is dropped.
 * A "*" the user writes always has a line and is kept.
 */
export function userSloRules(rules: readonly SloRule[]): SloRule[] {
  return rules.filter((rule) => !isBuiltInDefaultRule(rule))
}

function isBuiltInDefaultRule(rule: SloRule): boolean {
  if (rule.selector !== '*' || rule.line !== undefined || rule.limitLines !== undefined) return false
  const limits = rule.limits as Record<string, number | undefined>
  const builtIn = DEFAULTS.slo as Record<string, number>
  const set = Object.keys(limits).filter((k) => limits[k] !== undefined)
  return set.length === Object.keys(builtIn).length && set.every((k) => limits[k] === builtIn[k])
}

/**
 * Each category's load settings. Think time: the category's own `think-time` when the config sets
 * one (0 included); else its default when that is not 0 (data-intensive's 3 s: large payloads are
 * not requested back to back); else the config's `think-time`, as before categories existed.
 */
export function categoryLoads(config: CategoriesConfig | undefined, thinkTimeMs: number): Record<EndpointCategory, CategoryLoad> {
  const load = (category: EndpointCategory): CategoryLoad => ({
    vusPerEndpoint: config?.[category]?.vus ?? CATEGORY_DEFAULTS[category].vus,
    thinkTimeMs: config?.[category]?.['think-time'] ?? (CATEGORY_DEFAULTS[category].thinkTimeMs || thinkTimeMs),
  })
  return { standard: load('standard'), critical: load('critical'), 'data-intensive': load('data-intensive') }
}
