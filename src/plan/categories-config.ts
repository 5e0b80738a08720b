/**
 * The config file's `categories:` block: endpoints forced into a category, and each category's
 * VUs, think time and recommended SLO (src/plan/category-defaults.ts applies them). A leaf, merged into
 * ConfigFileSchema as `...CategoriesConfigShape`.
 */
import { z } from 'zod'
import { parseDuration } from '../duration.js'
import { SloLimitsSchema } from '../slo-config.js'
import { aboveMaximum, MAX_THINK_TIME_MS } from './run-bounds.js'

const got = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value))

const duration = (name: string, maxMs: number) =>
  z.unknown().transform((value, ctx): number => {
    const ms = parseDuration(value)
    const problem =
      ms === undefined
        ? `${name}: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got ${got(value)}`
        : aboveMaximum(name, ms, maxMs, 'for the pause after a request')
    if (problem === undefined) return ms!
    ctx.addIssue({ code: 'custom', message: problem })
    return z.NEVER
  })

const CategoryOverridesSchema = z.strictObject({
  /** Selectors forced into this category, as in endpoints.include. */
  endpoints: z.array(z.string().min(1)).optional(),
  vus: z.number().int().positive().optional(),
  'think-time': duration('think-time', MAX_THINK_TIME_MS).optional(),
  /**
   * Not settings of a category: every category's scenario follows the profile's shape, so a
   * length of its own could not apply. Kept in the schema only to say so.
   */
  duration: z
    .never({ error: "is not a category setting: every category's scenario follows the profile's shape; set duration (or stages) for the whole test" })
    .optional(),
  'ramp-up': z
    .never({ error: "is not a category setting: every category's scenario follows the profile's shape; set stages for a ramp of your own" })
    .optional(),
  /**
   * Removed: a category's share of the traffic comes from its vus now. Kept in the schema only to
   * say so: as an unknown key it would get a bare "unknown setting".
   */
  weight: z
    .never({
      error:
        "is no longer a setting: a category's share of the traffic comes from its vus now " +
        '(VUs per endpoint: standard 10, critical 20, data-intensive 5); use vus instead, e.g. vus: 40 on critical for twice its default share',
    })
    .optional(),
  slo: SloLimitsSchema.optional(),
})
export type CategoryOverrides = z.infer<typeof CategoryOverridesSchema>

/**
 * ```yaml
 * categories:
 *   detect: true                 # false: no word or shape heuristics, only the endpoints below
 *   critical:
 *     endpoints: ["GET /account", "tag:checkout"]   # forced into this category
 *     vus: 30                    # VUs per endpoint: the category's share of the run's VUs (default 20)
 *     slo: { p95: 300ms, error-rate: 0.1% }        # the category's recommended SLO
 *   data-intensive:
 *     think-time: 1s             # pause after each of its requests (default 3s)
 *   standard:
 *     endpoints: ["GET /search/help"]              # a false positive, back to standard
 * ```
 * Every category's scenario follows the profile's shape: its length and ramps are the profile's.
 */
export const CategoriesConfigSchema = z.strictObject({
  detect: z.boolean().optional(),
  standard: CategoryOverridesSchema.optional(),
  critical: CategoryOverridesSchema.optional(),
  'data-intensive': CategoryOverridesSchema.optional(),
})
export type CategoriesConfig = z.infer<typeof CategoriesConfigSchema>

/** Spread into ConfigFileSchema: `z.strictObject({ ...existing, ...CategoriesConfigShape })`. */
export const CategoriesConfigShape = {
  categories: CategoriesConfigSchema.optional(),
}
