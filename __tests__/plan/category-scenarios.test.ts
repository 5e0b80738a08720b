/**
 * The load by endpoint category: one scenario per category present, sharing the profile's load
 * by VU demand (VUs per endpoint × weights). Pure; the real k6 runs are in
 * category-scenarios-k6.test.ts.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { LOAD_SHAPE_FIELDS, loadShapeHash } from '../../src/config/load-shape.js'
import { categoryLoads } from '../../src/plan/category-defaults.js'
import type { EndpointCategory } from '../../src/results/schema.js'
import { apportion, categoryScenarios, fitExecutorToCategories, splitLevels, type ScenarioInputs } from '../../src/plan/category-scenarios.js'
import { buildPlan } from '../../src/plan/plan.js'
import { buildExecutor, peakTarget, peakVus, totalDurationMs, type Executor, type ProfileName, type ProfileOverrides } from '../../src/plan/profiles.js'
import { loadSpec } from '../../src/spec/load.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Planned endpoints by category, weight 1 each unless given. */
function inputs(executor: Executor, endpoints: Array<EndpointCategory | [EndpointCategory, number]>, loads = categoryLoads(undefined, 0)): ScenarioInputs {
  return {
    executor,
    endpoints: endpoints.map((e) => (Array.isArray(e) ? { category: e[0], weight: e[1] } : { category: e, weight: 1 })),
    categoryLoad: loads,
  }
}

/** Every level of an executor: start, then each stage's target (one level for a constant executor). */
function levels(executor: Executor): number[] {
  switch (executor.type) {
    case 'constant-vus':
      return [executor.vus]
    case 'constant-arrival-rate':
      return [executor.rate]
    case 'ramping-vus':
      return [executor.startVus, ...executor.stages.map((s) => s.target)]
    case 'ramping-arrival-rate':
      return [executor.startRate, ...executor.stages.map((s) => s.target)]
  }
}

function durations(executor: Executor): number[] {
  return 'stages' in executor ? executor.stages.map((s) => s.durationMs) : [executor.durationMs]
}

describe('apportion: whole parts by largest remainder', () => {
  it.each([
    { total: 5, shares: [40 / 105, 60 / 105, 5 / 105], min: 1, parts: [2, 2, 1] },
    { total: 10, shares: [1 / 3, 2 / 3], min: 0, parts: [3, 7] },
    { total: 20, shares: [1 / 3, 2 / 3], min: 0, parts: [7, 13] },
    { total: 3, shares: [0.9, 0.05, 0.05], min: 1, parts: [1, 1, 1] },
    // The minimums take a part from the one furthest above its exact share.
    { total: 4, shares: [0.9, 0.05, 0.05], min: 1, parts: [2, 1, 1] },
    { total: 0, shares: [0.5, 0.5], min: 0, parts: [0, 0] },
  ])('$total by $shares (each at least $min) → $parts', ({ total, shares, min, parts }) => {
    expect(apportion(total, shares, min)).toEqual(parts)
  })

  it('refuses minimums the total cannot give', () => {
    expect(() => apportion(2, [0.5, 0.3, 0.2], 1)).toThrow('cannot give 3 parts at least 1 each out of 2')
  })
})

describe('splitLevels', () => {
  it('adds up to every level, gives each category at least 1 at the peak, and never more than its peak elsewhere', () => {
    // At the peak of 4 the minimum of 1 each leaves the large category 2; at 3 it would get 3 by share.
    const split = splitLevels([0, 3, 4, 3, 0], [0.9, 0.05, 0.05])
    expect(split).toEqual([
      [0, 0, 0],
      [2, 1, 0],
      [2, 1, 1],
      [2, 1, 0],
      [0, 0, 0],
    ])
  })

  it('keeps the sums and the peaks on a long, uneven ramp', () => {
    const shares = [7 / 31, 19 / 31, 5 / 31]
    const ramp = Array.from({ length: 60 }, (_, i) => (i * 37) % 101)
    const split = splitLevels(ramp, shares)
    const peak = Math.max(...ramp)
    split.forEach((parts, i) => expect(parts.reduce((a, b) => a + b, 0)).toBe(ramp[i]))
    const peaks = shares.map((_, c) => Math.max(...split.map((parts) => parts[c]!)))
    expect(peaks.reduce((a, b) => a + b, 0)).toBe(peak)
    expect(peaks.every((p) => p >= 1)).toBe(true)
  })
})

describe('one scenario per category, sharing the profile', () => {
  const profiles: Array<{ profile: ProfileName; overrides?: ProfileOverrides }> = [
    { profile: 'smoke' },
    { profile: 'load' },
    { profile: 'ramp' },
    { profile: 'soak' },
    { profile: 'spike' },
    { profile: 'stress' },
    { profile: 'breakpoint' },
    { profile: 'smoke', overrides: { model: 'open', rate: 50, vus: 40, preAllocatedVus: 6 } },
    { profile: 'spike', overrides: { model: 'open', vus: 200 } },
  ]

  it.each(profiles)('$profile $overrides: same executor type and stages, levels adding up, peaks adding up', ({ profile, overrides }) => {
    const executor = buildExecutor(profile, overrides)
    // The sample API's shape of categories: 4 standard, 3 critical (one weighted 2), 1 data-intensive.
    const scenarios = categoryScenarios(
      inputs(executor, ['standard', 'standard', 'critical', ['critical', 2], 'standard', 'critical', 'standard', 'data-intensive']),
    )
    expect(scenarios.map((s) => s.name)).toEqual(['standard', 'critical', 'data_intensive'])
    for (const s of scenarios) {
      expect(s.executor.type).toBe(executor.type)
      expect(durations(s.executor)).toEqual(durations(executor))
      expect(totalDurationMs(s.executor)).toBe(totalDurationMs(executor))
      // Stopping at the first SLO crossed is the thresholds' business, global to the run.
      expect(s.executor.abortOnFail).toBeUndefined()
      expect(peakTarget(s.executor)).toBeGreaterThanOrEqual(1)
    }
    const total = levels(executor)
    total.forEach((level, i) => expect(scenarios.reduce((sum, s) => sum + levels(s.executor)[i]!, 0)).toBe(level))
    expect(scenarios.reduce((sum, s) => sum + peakTarget(s.executor), 0)).toBe(peakTarget(executor))
    expect(scenarios.reduce((sum, s) => sum + peakVus(s.executor), 0)).toBe(peakVus(executor))
    if (executor.type === 'constant-arrival-rate' || executor.type === 'ramping-arrival-rate') {
      for (const s of scenarios) {
        const vus = s.executor as { preAllocatedVus: number; maxVus: number }
        expect(vus.preAllocatedVus).toBeGreaterThanOrEqual(1)
        expect(vus.preAllocatedVus).toBeLessThanOrEqual(vus.maxVus)
      }
    }
  })

  it('shares by VUs per endpoint × the weights of its endpoints', () => {
    const executor = buildExecutor('load', { vus: 90 })
    // standard 10 × 2, critical 20 × (1 + 3), data-intensive 5 × 4: 20, 80, 20 of 120.
    const scenarios = categoryScenarios(inputs(executor, ['standard', 'standard', 'critical', ['critical', 3], ['data-intensive', 4]]))
    expect(scenarios.map((s) => [s.name, s.endpoints, s.vusPerEndpoint, s.demand, s.share, peakVus(s.executor), s.thinkTimeMs])).toEqual([
      ['standard', [0, 1], 10, 20, 1 / 6, 15, 0],
      ['critical', [2, 3], 20, 80, 2 / 3, 60, 0],
      ['data_intensive', [4], 5, 20, 1 / 6, 15, 3000],
    ])
    // The load profile's plateau at half the peak (45 VUs), shared alike: 7.5, 30, 7.5; the largest remainder goes to the first.
    expect(scenarios.map((s) => (s.executor as Extract<Executor, { type: 'ramping-vus' }>).stages[1]!.target)).toEqual([8, 30, 7])
  })

  it("follows the categories block's vus and think time", () => {
    const config = { critical: { vus: 10, 'think-time': 250 }, 'data-intensive': { vus: 30 } }
    const scenarios = categoryScenarios(inputs(buildExecutor('smoke', { vus: 10 }), ['standard', 'critical', 'data-intensive'], categoryLoads(config, 100)))
    expect(scenarios.map((s) => [s.name, peakVus(s.executor), s.thinkTimeMs])).toEqual([
      ['standard', 2, 100],
      ['critical', 2, 250],
      ['data_intensive', 6, 3000],
    ])
  })

  it('runs one category as one scenario named after it, with the whole profile', () => {
    const executor = buildExecutor('spike', { vus: 20 })
    const [only, ...none] = categoryScenarios(inputs(executor, ['critical', 'critical']))
    expect(none).toEqual([])
    expect(only).toMatchObject({ name: 'critical', category: 'critical', endpoints: [0, 1], share: 1 })
    expect(only!.executor).toEqual(executor)
  })

  it('splits a narrowed plan (the confirmation run) among the categories left', () => {
    const executor = buildExecutor('smoke', { vus: 6 })
    const scenarios = categoryScenarios(inputs(executor, ['data-intensive', 'standard']))
    // standard 10, data-intensive 5: 4 and 2 of the 6 VUs.
    expect(scenarios.map((s) => [s.name, s.endpoints, peakVus(s.executor)])).toEqual([
      ['standard', [1], 4],
      ['data_intensive', [0], 2],
    ])
  })
})

describe('a peak below the number of categories', () => {
  it('is raised so each category has 1 VU, and so are the open model maxVUs and preAllocatedVUs', () => {
    expect(fitExecutorToCategories({ type: 'constant-vus', vus: 2, durationMs: 3000 }, 3)).toEqual({
      executor: { type: 'constant-vus', vus: 3, durationMs: 3000 },
      raised: ['the peak from 2 to 3 VUs'],
    })
    const ramp: Executor = {
      type: 'ramping-vus',
      startVus: 0,
      stages: [
        { durationMs: 1000, target: 2 },
        { durationMs: 1000, target: 1 },
      ],
    }
    expect(fitExecutorToCategories(ramp, 3).executor).toEqual({
      ...ramp,
      stages: [
        { durationMs: 1000, target: 3 },
        { durationMs: 1000, target: 1 },
      ],
    })
    const open: Executor = { type: 'constant-arrival-rate', rate: 1, durationMs: 3000, preAllocatedVus: 1, maxVus: 2 }
    expect(fitExecutorToCategories(open, 3)).toEqual({
      executor: { ...open, rate: 3, preAllocatedVus: 3, maxVus: 3 },
      raised: ['the peak from 1 to 3 iterations/s', 'maxVUs from 2 to 3'],
    })
    expect(fitExecutorToCategories(buildExecutor('smoke'), 3)).toEqual({ executor: buildExecutor('smoke'), raised: [] })
  })
})

describe('buildPlan records the scenarios', () => {
  async function plan(inputs: RawInputs) {
    const config = resolveConfig({ config: 'examples/sample-api/perf-xi.yml', 'base-url': 'http://127.0.0.1:8080', ...inputs }, { cwd: root })
    return buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
  }

  /** The sample's config with more settings, written as a config file (JSON is YAML). */
  async function planWith(settings: Record<string, unknown>) {
    const file = path.join(tempDir('perf-xi-scenarios-'), 'perf-xi.yml')
    const sample = parse(readFileSync(path.join(root, 'examples/sample-api/perf-xi.yml'), 'utf8')) as Record<string, unknown>
    writeFileSync(file, JSON.stringify({ ...sample, ...settings }))
    const config = resolveConfig({ config: file, 'base-url': 'http://127.0.0.1:8080' }, { cwd: root })
    return buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
  }

  it('with each endpoint in its category, the user weight only, and the base URL as its server', async () => {
    const p = await plan({})
    expect(p.scenarios.map((s) => [s.name, s.endpoints.map((i) => p.endpoints[i]!.endpoint.key), peakVus(s.executor)])).toEqual([
      ['standard', ['GET /account', 'GET /health', 'GET /inventory/flaky', 'GET /products/{id}'], 2],
      ['critical', ['POST /orders', 'GET /products', 'GET /search'], 2],
      ['data_intensive', ['GET /reports/slow'], 1],
    ])
    expect(p.endpoints.every((e) => e.weight === 1 && e.server.kind === 'base-url')).toBe(true)
    expect(p.executor).toEqual({ type: 'constant-vus', vus: 5, durationMs: 10_000 })
    expect(p.warnings.filter((w) => !w.startsWith('GET /reports/slow: the profile gives it at most'))).toEqual([])
  })

  it('raises a peak below the number of categories, and says so', async () => {
    const p = await plan({ vus: '2' })
    expect(p.executor).toEqual({ type: 'constant-vus', vus: 3, durationMs: 10_000 })
    expect(p.scenarios.map((s) => peakVus(s.executor))).toEqual([1, 1, 1])
    expect(p.warnings.filter((w) => !w.startsWith('GET /reports/slow: the profile gives it at most'))).toEqual([
      'the planned endpoints fall into 3 categories (standard, critical, data-intensive), each run as its own k6 scenario with at least 1 VU at the peak: ' +
        "raised the peak from 2 to 3 VUs; give the profile a peak of at least 3 (vus, rate or the stages' targets) to set the load yourself",
    ])
  })

  it('refuses a raise above the VU cap', async () => {
    await expect(planWith({ vus: 1, 'max-vus': 2 })).rejects.toThrow(
      'the 3 endpoint categories need at least 3 virtual users, above the cap of 2; raise max-vus or include fewer endpoints',
    )
  })
})

describe('the load-shape hash (which earlier runs are baselines)', () => {
  function shapeOf(settings: Record<string, unknown>): string {
    const file = path.join(tempDir('perf-xi-shape-'), 'perf-xi.yml')
    writeFileSync(file, JSON.stringify({ openapi: 'examples/sample-api/openapi.yaml', ...settings }))
    return loadShapeHash(resolveConfig({ config: file, 'base-url': 'http://127.0.0.1:8080' }, { cwd: root }))
  }

  it.each([
    ["a category's vus", { critical: { vus: 40 } }],
    ["a category's think time", { 'data-intensive': { 'think-time': '1s' } }],
    ['the endpoints forced into a category', { critical: { endpoints: ['GET /health'] } }],
    ['detection turned off', { detect: false }],
  ])('changes with %s', (_what, categories) => {
    expect(shapeOf({ categories })).not.toBe(shapeOf({}))
    expect(shapeOf({ categories })).toBe(shapeOf({ categories }))
  })

  it("stays the same for a category's SLO", () => {
    expect(shapeOf({ categories: { critical: { slo: { p95: '300ms' } } } })).toBe(shapeOf({}))
  })

  it('differs from the hash runs had before categories shaped the load, so those runs are no baseline', () => {
    // Runs recorded before each category ran as its own scenario hashed the fields alone; the same
    // config now sends other load (VUs split by category, data-intensive think time).
    const config = resolveConfig({ openapi: 'examples/sample-api/openapi.yaml', 'base-url': 'http://127.0.0.1:8080' }, { cwd: root })
    const fields = LOAD_SHAPE_FIELDS.map((field) => [field, config[field] ?? null])
    expect(loadShapeHash(config)).not.toBe(createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 16))
  })
})
