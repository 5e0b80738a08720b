/**
 * `mode: plan`: the plan table (console and Markdown) and the results file's plan section,
 * from the real sample API spec as buildPlan plans it.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import type { EndpointAnalysis } from '../../src/plan/analysis.js'
import { buildPlanSection } from '../../src/plan/plan-section.js'
import { PlanSectionSchema, SKIPPED_LISTED_MAX } from '../../src/results/schema.js'
import { buildPlan, type TestPlan } from '../../src/plan/plan.js'
import { renderPlanMarkdown, renderPlanTable } from '../../src/report/plan-table.js'
import { oneLine, utf8Bytes } from '../../src/report/markdown.js'
import { SUMMARY_MAX_BYTES } from '../../src/report/summary.js'
import { loadSpec } from '../../src/spec/load.js'
import { elements, HOSTILE, hrefs, liveReferences, renderGfm, visibleText } from '../report/gfm.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

async function planFor(inputs: RawInputs): Promise<{ plan: TestPlan; analysis: EndpointAnalysis[] }> {
  const config = resolveConfig({ openapi: 'examples/sample-api/openapi.yaml', 'base-url': 'http://127.0.0.1:8080', ...inputs }, { cwd: root })
  const spec = await loadSpec(config.openapi, { cwd: root })
  const plan = buildPlan(config, spec)
  return { plan, analysis: plan.analysis }
}

const tempDirs: string[] = []
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

/** The plan of a spec written to a temporary folder: one GET operation per path, everything in it from `text`. */
async function planOfSpec(paths: string[], text: (i: number) => string, inputs: RawInputs = {}): Promise<{ plan: TestPlan; analysis: EndpointAnalysis[] }> {
  const dir = tempDir('perf-xi-plan-spec-')
  tempDirs.push(dir)
  const operations = Object.fromEntries(
    paths.map((p, i) => [
      p,
      { get: { operationId: `op${i}`, summary: text(i), description: text(i), tags: [text(i)], responses: { '200': { description: text(i) } } } },
    ]),
  )
  writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify({ openapi: '3.0.3', info: { title: text(0), version: text(1) }, paths: operations }))
  const config = resolveConfig({ openapi: path.join(dir, 'openapi.json'), 'base-url': 'http://127.0.0.1:8080', ...inputs }, { cwd: dir })
  const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: dir }))
  return { plan, analysis: plan.analysis }
}

/** A config file with these settings (JSON is YAML), as a user would write it. */
function configFile(settings: Record<string, unknown>): string {
  const file = path.join(tempDir('perf-xi-plan-table-'), 'perf-xi.yml')
  writeFileSync(file, JSON.stringify(settings))
  return file
}

describe('the plan table', () => {
  it('shows category, why, auth, weight, SLO and request for every planned endpoint, then what was skipped', async () => {
    const { plan, analysis } = await planFor({ exclude: '/reports/<b>|x' })
    expect(renderPlanTable(plan, analysis)).toBe(
      [
        'Perf-Xi plan (nothing was run): 6 endpoints, 2 skipped; profile smoke, 5 VUs for 30s, against http://127.0.0.1:8080',
        '',
        'Endpoint              Category        Why                                       Auth  Weight      SLO                            Request',
        '--------------------  --------------  ----------------------------------------  ----  ----------  -----------------------------  --------------------------------',
        'GET /health           standard        no critical or data-intensive words       –     1× (33.3%)  p95 < 1 s*, errors < 1%*       GET /health',
        'GET /inventory/flaky  standard        no critical or data-intensive words       –     1× (33.3%)  p95 < 1 s*, errors < 1%*       GET /inventory/flaky',
        'GET /products         critical        list (operationId, summary)               –     1× (50%)    p95 < 500 ms*, errors < 0.5%*  GET /products?limit=20&offset=0',
        'GET /products/{id}    standard        no critical or data-intensive words       –     1× (33.3%)  p95 < 1 s*, errors < 1%*       GET /products/42',
        'GET /reports/slow     data-intensive  report (path, operationId, tag)           –     1× (100%)   p95 < 5 s*, errors < 2%*       GET /reports/slow',
        'GET /search           critical        search (path, operationId, tag, summary)  –     1× (50%)    p95 < 500 ms*, errors < 0.5%*  GET /search?q=lamp&category=home',
        '',
        "* from the category's recommended SLO: no SLO of the config sets this limit.",
        "Weight: the endpoint's share of its category's requests.",
        '',
        "Load by category: each runs as its own k6 scenario, on a share of the profile's load in proportion to its endpoints (by weight) × VUs per endpoint:",
        'Scenario        Endpoints                                              Share               Peak   Think time',
        '--------------  -----------------------------------------------------  ------------------  -----  ----------',
        'standard        GET /health, GET /inventory/flaky, GET /products/{id}  40% (3 × 10 VUs)    2 VUs  none',
        'critical        GET /products, GET /search                             53.3% (2 × 20 VUs)  2 VUs  none',
        'data_intensive  GET /reports/slow                                      6.7% (1 × 5 VUs)    1 VU   3s',
        '',
        'Skipped:',
        '  GET /account: needs bearerAuth (bearer token); configure auth that satisfies it',
        '  POST /orders: changes data; set allow-writes: true to load-test it',
        '',
        'Warnings:',
        '  exclude "/reports/<b>|x" matches no endpoint of the spec',
        '  GET /reports/slow: the profile gives it at most 11 requests (p95 needs 20): its p95 will show "too few samples" and not be judged; lengthen the test, raise vus (rate) or lower its category\'s think time',
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
      // A joiner after "http" keeps GitHub from linking the bare URL.
      '## 🗺️ Perf-Xi plan (nothing was run): 6 endpoints, 2 skipped; profile smoke, 5 VUs for 30s, against http\u200d://127.0.0.1:8080',
      '',
      '| Endpoint | Category | Why | Auth | Weight | SLO | Request |',
      '|---|---|---|---|---|---|---|',
      '| GET /health | standard | no critical or data-intensive words | – | 1× (33.3%) | p95 &lt; 1 s\\*, errors &lt; 1%\\* | GET /health |',
    ])
    expect(md).toContain(
      '| GET /search | critical | search (path, operationId, tag, summary) | – | 1× (50%) | p95 &lt; 500 ms\\*, errors &lt; 0.5%\\* | GET /search?q=lamp&amp;category=home |',
    )
    expect(md).toContain(
      '| Scenario | Endpoints | Share | Peak | Think time |\n|---|---|---|---|---|\n| standard | GET /health, GET /inventory/flaky, GET /products/{id} | 40% (3 × 10 VUs) | 2 VUs | none |',
    )
    expect(md).toContain('| data\\_intensive | GET /reports/slow | 6.7% (1 × 5 VUs) | 1 VU | 3s |')
    expect(md).toContain('<details><summary>Skipped 2 endpoints</summary>')
    expect(md).not.toContain('<b>')
    // No table row gains a column from text in it.
    for (const row of md.split('\n').filter((l) => l.startsWith('| GET'))) expect(row.split(' | ')).toHaveLength(7)
  })
})

describe('the plan of a spec full of hostile strings (paths, summaries, tags, title)', () => {
  const hostile = () =>
    planOfSpec(
      HOSTILE.map((h, i) => `/h${i}/${h}`),
      (i) => HOSTILE[i % HOSTILE.length]!,
    )
  const benign = () =>
    planOfSpec(
      HOSTILE.map((_, i) => `/h${i}/plain-${i}`),
      (i) => `plain words ${i}`,
    )

  it('renders in Markdown only the kinds of elements a plain spec renders, with nothing live and every endpoint shown as it is', async () => {
    const h = await hostile()
    const b = await benign()
    const html = renderGfm(renderPlanMarkdown(h.plan, h.analysis))
    // Words in the hostile strings put some endpoints in other categories (one more scenario row),
    // so the kinds of elements are compared, and the headings and folds counted.
    const plain = elements(renderGfm(renderPlanMarkdown(b.plan, b.analysis)))
    expect([...new Set(elements(html))].sort()).toEqual([...new Set(plain)].sort())
    const count = (list: string[], names: string[]) => list.filter((e) => names.includes(e)).length
    expect(count(elements(html), ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'details', 'summary', 'img', 'a'])).toBe(
      count(plain, ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'details', 'summary', 'img', 'a']),
    )
    expect(hrefs(html)).toEqual([])
    expect(liveReferences(html)).toEqual([])
    const text = visibleText(html)
    for (const p of h.plan.endpoints) expect(text).toContain(oneLine(p.endpoint.key))
  })

  it('prints a console table with no control character and no line the runner would take as a command', async () => {
    const h = await hostile()
    const table = renderPlanTable(h.plan, h.analysis, { maxCellWidth: 1000 })
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/)
    expect(table.split('\n').filter((l) => /^\s*::/.test(l))).toEqual([])
    expect(table).toContain('GET /h1/x\\n## ✅ Approved by @octo-org/security — safe to merge')
  })
})

describe('a spec of thousands of operations, one included', () => {
  const count = 3000
  const huge = () =>
    planOfSpec(
      Array.from({ length: count }, (_, i) => `/resource-${i}/items`),
      (i) => `operation ${i}`,
      { include: 'GET /resource-0/items' },
    )

  it(`names the first ${SKIPPED_LISTED_MAX} skipped endpoints in the plan Markdown and counts the rest`, async () => {
    const { plan, analysis } = await huge()
    const md = renderPlanMarkdown(plan, analysis)
    expect(md).toContain(`<details><summary>Skipped ${count - 1} endpoints</summary>`)
    expect(md.split('\n').filter((l) => l.endsWith(': not matched by include'))).toHaveLength(SKIPPED_LISTED_MAX)
    expect(md).toContain(`- and ${count - 1 - SKIPPED_LISTED_MAX} more`)
  })

  it("keeps the results file's plan section small: every planned endpoint, the first skipped ones, a count of the rest", async () => {
    const { plan, analysis } = await huge()
    const section = buildPlanSection(plan, analysis)
    expect(section.endpoints.filter((e) => e.planned).map((e) => e.endpoint)).toEqual(['GET /resource-0/items'])
    expect(section.endpoints.filter((e) => !e.planned)).toHaveLength(SKIPPED_LISTED_MAX)
    expect(section.skipped_not_listed).toBe(count - 1 - SKIPPED_LISTED_MAX)
    expect(JSON.stringify(section).length).toBeLessThan(150_000)
    expect(PlanSectionSchema.parse(JSON.parse(JSON.stringify(section)))).toEqual(section)
  })

  it('keeps the plan Markdown within the job summary limit when every endpoint is planned', async () => {
    const { plan, analysis } = await planOfSpec(
      Array.from({ length: 6000 }, (_, i) => `/resource-${i}/${'segment/'.repeat(12)}items`),
      (i) => `operation ${i}`,
    )
    const md = renderPlanMarkdown(plan, analysis)
    expect(utf8Bytes(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(md).toMatch(/\n\n… \d+ more lines left out: GitHub keeps at most 1 MiB of a job summary\./)
    expect(md.startsWith('## 🗺️ Perf-Xi plan (nothing was run): 6000 endpoints')).toBe(true)
  }, 60_000)
})

describe("the results file's plan section", () => {
  it('carries every endpoint of the spec, planned or skipped, and parses with its schema', async () => {
    const { plan, analysis } = await planFor({})
    const section = buildPlanSection(plan, analysis)
    expect(PlanSectionSchema.parse(JSON.parse(JSON.stringify(section)))).toEqual(section)
    expect(section.endpoints).toHaveLength(8)
    expect(section.categories.critical).toEqual({ vus: 20, think_time_ms: 0, slo: { p95: 500, 'error-rate': 0.5 } })
    // 5 VUs shared by VU demand: standard 3 × 10, critical 2 × 20, data-intensive 1 × 5 (of 75).
    expect(section.scenarios).toEqual([
      {
        name: 'standard',
        category: 'standard',
        endpoints: ['GET /health', 'GET /inventory/flaky', 'GET /products/{id}'],
        vus_per_endpoint: 10,
        demand: 30,
        share: 0.4,
        executor: 'constant-vus',
        peak_vus: 2,
        peak_rate: null,
        think_time_ms: 0,
      },
      {
        name: 'critical',
        category: 'critical',
        endpoints: ['GET /products', 'GET /search'],
        vus_per_endpoint: 20,
        demand: 40,
        share: 0.533333,
        executor: 'constant-vus',
        peak_vus: 2,
        peak_rate: null,
        think_time_ms: 0,
      },
      {
        name: 'data_intensive',
        category: 'data-intensive',
        endpoints: ['GET /reports/slow'],
        vus_per_endpoint: 5,
        demand: 5,
        share: 0.0666667,
        executor: 'constant-vus',
        peak_vus: 1,
        peak_rate: null,
        think_time_ms: 3000,
      },
    ])
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
      weight: 1,
      planned: true,
      skipped_reason: null,
      auth_sent: false,
      slo: { p95: 500, 'error-rate': 0.5 },
      slo_from: { p95: 'category:critical', 'error-rate': 'category:critical' },
      request: 'GET /search?q=lamp&category=home',
      data: [],
      values: [],
    })
    expect(section.endpoints.find((e) => e.endpoint === 'POST /orders')).toMatchObject({
      category: 'critical',
      access: 'write',
      planned: false,
      skipped_reason: 'changes data; set allow-writes: true to load-test it',
      weight: null,
      slo: null,
      request: null,
    })
    expect(section.dataset).toBeNull()
  })

  it('reads results written before scenarios existed', async () => {
    const { plan, analysis } = await planFor({})
    const { scenarios: _, ...older } = buildPlanSection(plan, analysis)
    expect(PlanSectionSchema.parse(JSON.parse(JSON.stringify(older))).scenarios).toEqual([])
  })
})

describe('the scenarios in the plan', () => {
  it("show a category's own vus and think time, and the open model's rates", async () => {
    const config = configFile({
      profile: 'smoke',
      model: 'open',
      rate: 30,
      vus: 12,
      weights: { 'GET /search': 3 },
      categories: { critical: { vus: 10, 'think-time': '250ms' }, 'data-intensive': { 'think-time': 0 } },
    })
    const { plan, analysis } = await planFor({ config })
    // Demand: standard 3 × 10, critical 10 × (1 + 3), data-intensive 5: 30, 40, 5 of 75.
    const table = renderPlanTable(plan, analysis)
    expect(table).toContain('Perf-Xi plan (nothing was run): 6 endpoints, 2 skipped; profile smoke, 30 iterations/s for 30s (up to 12 VUs)')
    expect(table).toContain('GET /search           critical        search (path, operationId, tag, summary)  –     3× (75%)')
    const rows = table.split('\n').filter((line) => /^(standard|critical|data_intensive) /.test(line))
    expect(rows.map((line) => line.split(/ {2,}/))).toEqual([
      ['standard', 'GET /health, GET /inventory/flaky, GET /products/{id}', '40% (3 × 10 VUs)', '12 iterations/s (up to 5 VUs)', 'none'],
      ['critical', 'GET /products, GET /search', '53.3% (2 × 10 VUs, weighted)', '16 iterations/s (up to 6 VUs)', '250ms'],
      ['data_intensive', 'GET /reports/slow', '6.7% (1 × 5 VUs)', '2 iterations/s (up to 1 VU)', 'none'],
    ])
    expect(buildPlanSection(plan, analysis).scenarios.map((s) => [s.name, s.peak_rate, s.peak_vus, s.think_time_ms])).toEqual([
      ['standard', 12, 5, 0],
      ['critical', 16, 6, 250],
      ['data_intensive', 2, 1, 0],
    ])
  })
})

describe('an operation the spec leaves unsendable', () => {
  it('is skipped with its reason and file:line while the rest of the spec is planned', async () => {
    // httpbin's generated description has GET /anything/{anything} without the parameter.
    const dir = tempDir('perf-xi-plan-unsendable-')
    writeFileSync(
      path.join(dir, 'openapi.json'),
      JSON.stringify(
        {
          swagger: '2.0',
          info: { title: 't', version: '1' },
          paths: {
            '/get': { get: { responses: { 200: { description: 'ok' } } } },
            '/anything/{anything}': { get: { responses: { 200: { description: 'ok' } } } },
          },
        },
        null,
        1,
      ),
    )
    const config = resolveConfig({ openapi: 'openapi.json', 'base-url': 'http://127.0.0.1:8080' }, { cwd: dir })
    const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: dir }))
    expect(plan.endpoints.map((e) => e.endpoint.key)).toEqual(['GET /get'])
    expect(plan.skipped).toEqual([
      {
        key: 'GET /anything/{anything}',
        reason: 'openapi.json:18:4: path parameter {anything} is not declared (add a parameter with in: path, name: anything, required: true)',
      },
    ])
  })
})
