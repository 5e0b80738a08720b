/**
 * SLO recommendations as the reader gets them: a YAML block that parses back through the config
 * loader to the proposed limits, a folded job-summary section with the backtest, and plain text.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { recommendSlos, slosInForce } from '../../src/analyst/slo-recommendations.js'
import { isUnreadable } from '../../src/baseline/regression.js'
import { parseConfigFile, resolveConfig } from '../../src/config/load.js'
import { renderSloRecommendationsMarkdown, renderSloRecommendationsText, renderSloYaml } from '../../src/report/slo-recommendations.js'
import { renderSummaryMarkdown } from '../../src/report/summary.js'
import { ResultsFileSchema, type ResultsFile, type SloRecommendations } from '../../src/results/schema.js'
import { FIXTURE_SHAPE, history } from '../analyst/history-fixtures.js'
import { tempDir } from '../support/temp-dirs.js'
import { elements, hrefs, HOSTILE, liveReferences, renderGfm, visibleText } from './gfm.js'

const steady = history('steady')
const newest = steady.entries.find((e): e is ResultsFile => !isUnreadable(e))!
const rec = recommendSlos({ history: steady, loadShape: FIXTURE_SHAPE, inForce: slosInForce(newest.slo_checks) })

describe('the YAML block', () => {
  const yaml = renderSloYaml(rec)

  it('reads as a person would write it: quoted endpoint keys, 80ms, 1.5s, 0.5%', () => {
    expect(yaml).toContain('# Recommended from 8 base-branch runs: the 95 % upper prediction bound × 1.2, rounded up\n')
    expect(yaml).toContain('slos:\n  "GET /health":\n    p95: 6ms\n    p99: 10ms\n    error-rate: 0.5%\n')
    expect(yaml).toContain('  "GET /products/{id}":\n    p95: 1.5s\n    p99: 2s\n    error-rate: 0.5%\n')
  })

  it('parses back through the real config loader to exactly the proposed limits', () => {
    const dir = tempDir('perf-xi-slo-yaml-')
    writeFileSync(path.join(dir, 'perf-xi.yml'), `openapi: api.yaml\nprofile: smoke\n\n${yaml}`)
    const config = resolveConfig({ config: 'perf-xi.yml' }, { cwd: dir })
    const loaded = Object.fromEntries(config.slos.map((rule) => [rule.selector, rule.limits]))
    const expected = Object.fromEntries(rec.endpoints.map((e) => [e.endpoint, Object.fromEntries(e.limits.map((l) => [l.limit, l.value]))]))
    expect(loaded).toEqual(expected)
    // Each limit has its own line, so a later breach is pinned to it.
    expect(config.slos.find((r) => r.selector === 'GET /products')?.limitLines).toEqual({ p95: 15, p99: 16, 'error-rate': 17 })
  })

  it('parses back whatever the endpoint is called', () => {
    const odd: SloRecommendations = {
      ...rec,
      endpoints: HOSTILE.map((name, i) => ({ ...rec.endpoints[0], endpoint: `GET /x${i} ${name}` })),
    }
    const { file, problems } = parseConfigFile(renderSloYaml(odd), 'perf-xi.yml')
    expect(problems).toEqual([])
    expect(Object.keys(file.slos ?? {})).toEqual(odd.endpoints.map((e) => e.endpoint))
  })
})

describe('the job summary', () => {
  const withSection = (r: SloRecommendations): ResultsFile => ResultsFileSchema.parse({ ...newest, slo_recommendations: r })

  it('has a folded section, with the headline, the YAML and the backtest, when the run carries recommendations', () => {
    const markdown = renderSummaryMarkdown(withSection(rec))
    expect(markdown).toContain('<details><summary>Recommended SLOs (the SLOs in force are only defaults)</summary>')
    expect(markdown).toContain('```yaml\n# Recommended from 8 base-branch runs')
    expect(markdown).toContain('| `GET /products` | p95 | 80 ms | 50.5 ms | 60.3 ms | 0 of 8 | +58% over the median 50.5 ms |')
    expect(markdown).toContain('| `GET /inventory/flaky` | error-rate | 8% | 5.25% | 6.42% | 0 of 8 | +2.75 pp over the median 5.25% |')
    expect(markdown).toContain('- **Flaps**: `GET /products/{id}` p95 1 s failed in 2 of 8 base-branch runs (25%): it flaps on unchanged code')
    expect(markdown).toContain('- `GET /reports/slow`: p99: measured in 0 of 8 runs, 5 needed')
  })

  it('has none when the run carries no recommendations (SLOs of its own in force)', () => {
    expect(renderSummaryMarkdown(newest)).not.toContain('Recommended SLOs')
  })

  it('says how many runs are needed and how many there are when the history is too short, and names what was left out', () => {
    const short = recommendSlos({ history: history('short', 'damaged'), loadShape: FIXTURE_SHAPE, inForce: slosInForce(newest.slo_checks) })
    const markdown = renderSummaryMarkdown(withSection(short))
    expect(markdown).toMatch(/SLO recommendations need at least 5 base-branch runs of the same load shape; folder \S+ has 3/)
    expect(markdown).not.toContain('```yaml')
    expect(markdown).toContain('History entries left out (4):')
    expect(markdown).toMatch(/- `k6-summary`: k6-summary\.json is not a Perf-Xi results file/)
  })

  it('shows hostile endpoint names as text: no element, link or mention of their own', () => {
    const named = (names: readonly string[]): SloRecommendations => ({
      ...rec,
      endpoints: names.map((name) => ({ ...rec.endpoints[0], endpoint: name, notes: [`p99: ${name}`] })),
      gates_in_force: names.map((name) => ({ ...rec.gates_in_force[0], endpoint: name, reason: name })),
      left_out: names.map((name) => ({ run_id: name, kind: 'unreadable' as const, reason: name })),
    })
    const hostile = renderGfm(renderSloRecommendationsMarkdown(named(HOSTILE), { folded: true }).join('\n'))
    const benign = renderGfm(renderSloRecommendationsMarkdown(named(HOSTILE.map((_, i) => `GET /plain${i}`)), { folded: true }).join('\n'))
    expect(elements(hostile)).toEqual(elements(benign))
    expect(hrefs(hostile)).toEqual([])
    expect(liveReferences(hostile)).toEqual([])
    expect(visibleText(hostile)).toContain('</details><details open><summary>x</summary>')
  })
})

describe('the plain-text report (the log and the CLI)', () => {
  it('gives the headline, the YAML, then a backtest line per limit', () => {
    const text = renderSloRecommendationsText(rec)
    expect(text.split('\n')[0]).toMatch(/^SLOs proposed for 5 endpoints from 8 runs of folder \S+; 2 limits in force flap, 4 limits in force catch nothing$/)
    expect(text).toContain('slos:\n  "GET /health":')
    expect(text).toContain('  GET /products p95 80 ms: would have failed 0 of 8 runs; catches +58% over the median 50.5 ms (bound 60.3 ms)')
  })
})
