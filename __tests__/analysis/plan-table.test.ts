/**
 * `mode: plan`: the plan table (console and Markdown) and the results file's plan section,
 * from the real sample API spec with category SLO defaults wired as plan.ts wires them.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import {
  PlanSectionSchema,
  analysesFor,
  analyzeEndpoints,
  buildPlanSection,
  userSloRules,
  weightWithCategory,
  withCategoryDefaults,
  type EndpointAnalysis,
} from '../../src/plan/analysis.js'
import { buildPlan, resolveSlo, type TestPlan } from '../../src/plan/plan.js'
import { renderPlanMarkdown, renderPlanTable } from '../../src/report/plan-table.js'
import { loadSpec } from '../../src/spec/load.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The plan with category defaults below the user's SLOs, as plan.ts is to build it. */
async function planFor(inputs: RawInputs): Promise<{ plan: TestPlan; analysis: EndpointAnalysis[] }> {
  const config = resolveConfig({ openapi: 'examples/sample-api/openapi.yaml', 'base-url': 'http://127.0.0.1:8080', ...inputs }, { cwd: root })
  const spec = await loadSpec(config.openapi, { cwd: root })
  const analysis = analyzeEndpoints(spec.endpoints)
  const base = buildPlan(config, spec)
  const analyses = analysesFor(base, analysis)
  const weightRules = config.load.weights
  const endpoints = base.endpoints.map((p, i) => ({
    ...p,
    slo: withCategoryDefaults(resolveSlo(p.endpoint, userSloRules(config.slos)), analyses[i]!),
    weight: weightWithCategory(p.endpoint, analyses[i]!, weightRules, p.weight ?? 1),
  }))
  return { plan: { ...base, endpoints }, analysis }
}

describe('the plan table', () => {
  it('shows category, why, auth, weight, SLO and request for every planned endpoint, then what was skipped', async () => {
    const { plan, analysis } = await planFor({ exclude: '/reports/<b>|x' })
    expect(renderPlanTable(plan, analysis)).toBe(
      [
        'Perf-Xi plan (nothing was run): 6 endpoints, 2 skipped; profile smoke, 5 VUs for 30s, against http://127.0.0.1:8080',
        '',
        'Endpoint              Category        Why                                       Auth  Weight       SLO                            Request',
        '--------------------  --------------  ----------------------------------------  ----  -----------  -----------------------------  --------------------------------',
        'GET /health           standard        no critical or data-intensive words       –     1× (13.3%)   p95 < 1 s*, errors < 1%*       GET /health',
        'GET /inventory/flaky  standard        no critical or data-intensive words       –     1× (13.3%)   p95 < 1 s*, errors < 1%*       GET /inventory/flaky',
        'GET /products         critical        list (operationId, summary)               –     2× (26.7%)   p95 < 500 ms*, errors < 0.5%*  GET /products?limit=20&offset=0',
        'GET /products/{id}    standard        no critical or data-intensive words       –     1× (13.3%)   p95 < 1 s*, errors < 1%*       GET /products/42',
        'GET /reports/slow     data-intensive  report (path, operationId, tag)           –     0.5× (6.7%)  p95 < 5 s*, errors < 2%*       GET /reports/slow',
        'GET /search           critical        search (path, operationId, tag, summary)  –     2× (26.7%)   p95 < 500 ms*, errors < 0.5%*  GET /search?q=lamp&category=home',
        '',
        "* from the category's recommended SLO: no SLO of the config sets this limit.",
        '',
        'Skipped:',
        '  GET /account: needs bearerAuth (bearer token); configure auth that satisfies it',
        '  POST /orders: changes data; set allow-writes: true to load-test it',
        '',
        'Warnings:',
        '  exclude "/reports/<b>|x" matches no endpoint of the spec',
      ].join('\n'),
    )
  })

  it('shows the SLOs the config sets without a mark, and auth where it is sent', async () => {
    const { plan, analysis } = await planFor({ config: 'examples/sample-api/perf-xi.yml' })
    const table = renderPlanTable(plan, analysis)
    expect(table).toContain('GET /account          standard        no critical or data-intensive words       required')
    expect(table).toMatch(/GET \/search .* p95 < 100 ms, p99 < 250 ms, errors < 1% {2}GET \/search\?q=lamp&category=home$/m)
    expect(table).not.toContain('*')
    expect(table).not.toContain('Skipped')
  })

  it('cuts long console cells, keeps Markdown cells whole', async () => {
    const { plan, analysis } = await planFor({})
    expect(renderPlanTable(plan, analysis, { maxCellWidth: 12 })).toContain('search (pat…')
    expect(renderPlanMarkdown(plan, analysis)).toContain('search (path, operationId, tag, summary)')
  })

  it('renders Markdown with every cell escaped', async () => {
    const { plan, analysis } = await planFor({ exclude: '/reports/<b>|x' })
    const md = renderPlanMarkdown(plan, analysis)
    expect(md.split('\n').slice(0, 5)).toEqual([
      '## 🗺️ Perf-Xi plan (nothing was run): 6 endpoints, 2 skipped; profile smoke, 5 VUs for 30s, against http://127.0.0.1:8080',
      '',
      '| Endpoint | Category | Why | Auth | Weight | SLO | Request |',
      '|---|---|---|---|---|---|---|',
      '| GET /health | standard | no critical or data-intensive words | – | 1× (13.3%) | p95 &lt; 1 s\\*, errors &lt; 1%\\* | GET /health |',
    ])
    expect(md).toContain('| GET /search | critical | search (path, operationId, tag, summary) | – | 2× (26.7%) | p95 &lt; 500 ms\\*, errors &lt; 0.5%\\* | GET /search?q=lamp&amp;category=home |')
    expect(md).toContain('<details><summary>Skipped 2 endpoints</summary>')
    expect(md).not.toContain('<b>')
    // No table row gains a column from text in it.
    for (const row of md.split('\n').filter((l) => l.startsWith('| GET'))) expect(row.split(' | ')).toHaveLength(7)
  })
})

describe("the results file's plan section", () => {
  it('carries every endpoint of the spec, planned or skipped, and parses with its schema', async () => {
    const { plan, analysis } = await planFor({})
    const section = buildPlanSection(plan, analysis)
    expect(PlanSectionSchema.parse(JSON.parse(JSON.stringify(section)))).toEqual(section)
    expect(section.endpoints).toHaveLength(8)
    expect(section.categories.critical).toEqual({ vus: 20, duration_ms: 60_000, ramp_up_ms: 30_000, think_time_ms: 0, weight: 2, slo: { p95: 500, 'error-rate': 0.5 } })
    expect(section.endpoints.find((e) => e.endpoint === 'GET /search')).toEqual({
      endpoint: 'GET /search',
      method: 'GET',
      path: '/search',
      category: 'critical',
      forced_by: null,
      why: 'search (path, operationId, tag, summary)',
      access: 'read',
      critical: ['search (path, operationId, tag, summary)'],
      data_intensive: [],
      auth_required: false,
      complexity: { score: 3, level: 'low', params: 2, path_depth: 1, body_bytes: 0, body_depth: 0 },
      weight: 2,
      planned: true,
      skipped_reason: null,
      auth_sent: false,
      slo: { p95: 500, 'error-rate': 0.5 },
      slo_from: { p95: 'category:critical', 'error-rate': 'category:critical' },
      request: 'GET /search?q=lamp&category=home',
      data: [],
    })
    expect(section.endpoints.find((e) => e.endpoint === 'POST /orders')).toMatchObject({
      category: 'critical',
      access: 'write',
      planned: false,
      skipped_reason: 'changes data; set allow-writes: true to load-test it',
      slo: null,
      request: null,
    })
    expect(section.dataset).toBeNull()
  })
})
