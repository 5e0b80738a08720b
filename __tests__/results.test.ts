/**
 * The results file: a spec of thousands of operations does not make a file of megabytes, and files
 * written before the skipped endpoints were capped still read (mode comment and baselines read them).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../src/config/load.js'
import { buildPlanSection } from '../src/plan/plan-section.js'
import { buildPlan } from '../src/plan/plan.js'
import { buildResults } from '../src/results/build.js'
import { ResultsFileSchema, SKIPPED_LISTED_MAX } from '../src/results/schema.js'
import { loadSpec } from '../src/spec/load.js'
import { evaluateSlos } from '../src/verdict.js'
import { tempDir } from './support/temp-dirs.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'results')
let dir: string

beforeAll(() => {
  dir = tempDir('perf-xi-results-')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a results file for a spec of 5,000 operations, one of them tested', () => {
  it(`names ${SKIPPED_LISTED_MAX} skipped endpoints, counts the rest, and stays small`, async () => {
    const paths = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [
        `/resource-${i}/items/{id}`,
        {
          get: {
            operationId: `getResource${i}`,
            summary: `Get one item of resource ${i}`,
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
            responses: { '200': { description: 'ok' } },
          },
        },
      ]),
    )
    writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'huge', version: '1' }, paths }))
    const config = resolveConfig({ openapi: 'openapi.json', 'base-url': 'http://127.0.0.1:8080', include: 'GET /resource-0/items/{id}' }, { cwd: dir })
    const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: dir }))
    const slis = [
      {
        endpoint: 'GET /resource-0/items/{id}',
        method: 'GET',
        requests: 10,
        rps: 1,
        avg_ms: 1,
        p50_ms: 1,
        p90_ms: 1,
        p95_ms: 1,
        p99_ms: 1,
        max_ms: 1,
        error_rate_pct: 0,
      },
    ]
    const total = { ...slis[0]!, vus_max: 1 }
    const verdict = evaluateSlos({ slis, total, slos: new Map(plan.endpoints.map((p) => [p.endpoint.key, p.slo])) })
    const results = buildResults({
      context: { runId: 'huge' },
      config,
      plan,
      k6Version: '1.8.1',
      k6ExitCode: 0,
      startedAt: new Date(0),
      finishedAt: new Date(10_000),
      wallTimeMs: 10_000,
      slis,
      total,
      verdict,
      gateFails: false,
      planSection: buildPlanSection(plan, plan.analysis),
    })
    expect(results.skipped).toHaveLength(SKIPPED_LISTED_MAX)
    expect(results.skipped[0]).toEqual({ endpoint: 'GET /resource-1/items/{id}', reason: 'not matched by include' })
    expect(results.skipped_not_listed).toBe(4999 - SKIPPED_LISTED_MAX)
    expect(results.plan?.skipped_not_listed).toBe(4999 - SKIPPED_LISTED_MAX)
    const text = JSON.stringify(results, null, 2)
    expect(text.length).toBeLessThan(250_000)
    expect(ResultsFileSchema.parse(JSON.parse(text))).toEqual(results)
  }, 60_000)
})

describe('results files written before the cap', () => {
  it.each(['webhook-sample-results.json', 'stress-capacity-results.json', 'spike-health-results.json'])('%s reads, with nothing left unlisted', (name) => {
    const raw = JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'))
    expect(raw.skipped_not_listed).toBeUndefined()
    const results = ResultsFileSchema.parse(raw)
    expect(results.skipped_not_listed).toBe(0)
    if (results.plan) expect(results.plan.skipped_not_listed).toBe(0)
  })
})

describe('results files written before the samples rule', () => {
  it('read without too_few_samples, and a newer one keeps it', () => {
    const raw = JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8'))
    expect(raw.slis.some((s: object) => 'too_few_samples' in s)).toBe(false)
    const older = ResultsFileSchema.parse(raw)
    expect(older.slis[0]!.too_few_samples).toBeUndefined()
    raw.slis[0] = { ...raw.slis[0], p99_ms: null, too_few_samples: ['p99'], slo_status: 'too-few-samples' }
    expect(ResultsFileSchema.parse(raw).slis[0]).toMatchObject({ p99_ms: null, too_few_samples: ['p99'], slo_status: 'too-few-samples' })
  })
})
