/**
 * The plan's warning before a run whose profile cannot give an endpoint the samples its
 * percentiles need, whatever the API's speed.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { buildPlan } from '../../src/plan/plan.js'
import { requestBounds } from '../../src/plan/sample-bounds.js'
import { loadSpec } from '../../src/spec/load.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

async function samplePlan(inputs: RawInputs) {
  const config = resolveConfig(
    { openapi: 'examples/sample-api/openapi.yaml', config: 'examples/sample-api/perf-xi.yml', 'base-url': 'http://127.0.0.1:8080', ...inputs },
    { cwd: root },
  )
  return buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
}

describe('endpoints the profile cannot give enough samples', () => {
  it('warns for the 3 s think time report of a 10 s smoke test, naming its SLO percentiles and what they need', async () => {
    const plan = await samplePlan({})
    expect(plan.warnings.filter((w) => w.includes('too few samples'))).toEqual([
      'GET /reports/slow: the profile gives it at most 4 requests (p95 needs 20, p99 needs 100): its p95 and p99 will show "too few samples" and not be judged; lengthen the test, raise vus (rate) or lower its category\'s think time',
    ])
    // Without think time a fast API can always be sent enough: only the run can tell.
    const bounds = requestBounds(plan.scenarios, plan.endpoints)
    expect(plan.endpoints.filter((_, i) => bounds[i] !== undefined).map((p) => p.endpoint.key)).toEqual(['GET /reports/slow'])
  })

  it('counts the open model by its rate: 10 iterations/s for 10 s over 8 endpoints', async () => {
    const dir = tempDir('perf-xi-sample-bounds-')
    writeFileSync(path.join(dir, 'perf-xi.yml'), `${readFileSync(path.join(root, 'examples/sample-api/perf-xi.yml'), 'utf8')}\nmodel: open\nrate: 10\n`)
    const plan = await samplePlan({ config: path.join(dir, 'perf-xi.yml') })
    const bounds = requestBounds(plan.scenarios, plan.endpoints)
    const total = bounds.reduce((sum, b) => sum! + b!, 0)!
    expect(total).toBeGreaterThanOrEqual(90)
    expect(total).toBeLessThanOrEqual(100)
    expect(plan.warnings.some((w) => w.startsWith('GET /health: the profile gives it at most'))).toBe(true)
  })

  it('says nothing when the profile is long enough', async () => {
    const plan = await samplePlan({ duration: '10m' })
    expect(plan.warnings.filter((w) => w.includes('too few samples'))).toEqual([])
  })
})
