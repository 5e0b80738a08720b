/**
 * Category defaults: the planning model's numbers, how they reach SLOs (below every rule the user
 * writes) and each category's load (VUs per endpoint, think time).
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../../src/config/load.js'
import { DEFAULTS, type SloRule } from '../../src/config/schema.js'
import { analyzeEndpoints } from '../../src/plan/analysis.js'
import { CATEGORY_DEFAULTS, categoryLoads, userSloRules, withCategoryDefaults } from '../../src/plan/category-defaults.js'
import { CategoriesConfigSchema } from '../../src/plan/categories-config.js'
import { resolveSlo } from '../../src/plan/plan.js'
import { endpoint } from '../support/endpoints.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

describe('category defaults as SLO defaults', () => {
  it('are the planning model the design inherits', () => {
    expect(CATEGORY_DEFAULTS.standard).toEqual({ vus: 10, thinkTimeMs: 0, slo: { p95: 1000, 'error-rate': 1 } })
    expect(CATEGORY_DEFAULTS.critical).toMatchObject({ vus: 20, thinkTimeMs: 0, slo: { p95: 500, 'error-rate': 0.5 } })
    expect(CATEGORY_DEFAULTS['data-intensive']).toMatchObject({ vus: 5, thinkTimeMs: 3000, slo: { p95: 5000, 'error-rate': 2 } })
    // Standard's SLO is the one Perf-Xi applies without any SLO, so nothing changes for standard endpoints.
    expect(CATEGORY_DEFAULTS.standard.slo).toEqual(DEFAULTS.slo)
  })

  const search = endpoint({ op: 'GET /search', tags: ['search'] })
  const analysis = analyzeEndpoints([search])[0]!

  it('fill only the limits no user rule sets, whatever its selector ("*" included)', () => {
    const rules: SloRule[] = [
      { selector: '*', limits: { p95: 2000 }, line: 3 },
      { selector: 'tag:search', limits: { p99: 900 }, line: 6 },
    ]
    expect(withCategoryDefaults(resolveSlo(search, rules), analysis)).toEqual({
      limits: { p95: 2000, p99: 900, 'error-rate': 0.5 },
      sources: { p95: { selector: '*', line: 3 }, p99: { selector: 'tag:search', line: 6 }, 'error-rate': { selector: 'category:critical' } },
    })
  })

  it('replace the built-in default of a config without SLOs, but never a "*" the user wrote', () => {
    const builtIn = resolveConfig({ openapi: 'examples/sample-api/openapi.yaml' }, { cwd: root }).slos
    expect(builtIn).toEqual([{ selector: '*', limits: DEFAULTS.slo }])
    expect(userSloRules(builtIn)).toEqual([])
    expect(withCategoryDefaults(resolveSlo(search, userSloRules(builtIn)), analysis).limits).toEqual({ p95: 500, 'error-rate': 0.5 })

    const written = resolveConfig({ openapi: 'examples/sample-api/openapi.yaml', config: '__tests__/fixtures/gate/generous.yml' }, { cwd: root }).slos
    expect(userSloRules(written)).toEqual(written)
    expect(withCategoryDefaults(resolveSlo(search, userSloRules(written)), analysis).limits).toEqual({ p95: 2000, 'error-rate': 5 })
  })
})

describe("each category's load: VUs per endpoint and think time", () => {
  it("are the planning model by default; data-intensive keeps its 3 s think time, the others take the config's", () => {
    expect(categoryLoads(undefined, 0)).toEqual({
      standard: { vusPerEndpoint: 10, thinkTimeMs: 0 },
      critical: { vusPerEndpoint: 20, thinkTimeMs: 0 },
      'data-intensive': { vusPerEndpoint: 5, thinkTimeMs: 3000 },
    })
    expect(categoryLoads(undefined, 500)).toEqual({
      standard: { vusPerEndpoint: 10, thinkTimeMs: 500 },
      critical: { vusPerEndpoint: 20, thinkTimeMs: 500 },
      'data-intensive': { vusPerEndpoint: 5, thinkTimeMs: 3000 },
    })
  })

  it("take the categories block's vus and think-time over both, 0 included", () => {
    const config = CategoriesConfigSchema.parse({ critical: { vus: 40, 'think-time': '200ms' }, 'data-intensive': { 'think-time': 0 } })
    expect(categoryLoads(config, 500)).toEqual({
      standard: { vusPerEndpoint: 10, thinkTimeMs: 500 },
      critical: { vusPerEndpoint: 40, thinkTimeMs: 200 },
      'data-intensive': { vusPerEndpoint: 5, thinkTimeMs: 0 },
    })
  })
})
