/**
 * Where each operation's requests go, in all three generated tests, run for real for two seconds
 * each: after the base URL (+ a prefix), after the base URL's scheme://host[:port] (+ a prefix),
 * or to a server of its own. The base URL is given at run time (with a path, /api), so the
 * operations that follow it move with it, and the others do not.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderJmeterPlan } from '../../src/export/jmeter.js'
import { renderLocustfile } from '../../src/export/locust.js'
import { ensureK6 } from '../../src/k6/install.js'
import type { RequestBase } from '../../src/plan/servers.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadTools, NO_THINK_TIME, planFor, run, SAMPLE, sampleConfigWith, startEchoServer, toolEnv } from './helpers.js'
import { tempDir } from '../support/temp-dirs.js'

type Echo = Awaited<ReturnType<typeof startEchoServer>>

const seen: Record<string, { api: string[]; other: string[] }> = {}

beforeAll(async () => {
  const api = await startEchoServer()
  const other = await startEchoServer()
  try {
    const servers: Record<string, RequestBase> = {
      'GET /health': { kind: 'base-url', prefix: '/v1' },
      'GET /products': { kind: 'base-origin', prefix: '/v2' },
      'GET /search': { kind: 'absolute', url: `${other.url}/v3` },
    }
    const { plan, meta } = await planFor(SAMPLE.spec, {
      ...SAMPLE.inputs,
      config: sampleConfigWith(NO_THINK_TIME),
      include: 'GET /health, GET /products, GET /products/{id}, GET /search',
      vus: '2',
      duration: '2s',
    })
    const planned = { ...plan, endpoints: plan.endpoints.map((e) => ({ ...e, server: servers[e.endpoint.key] ?? e.server })) }
    const dir = tempDir('perf-xi-servers-')
    const files = { k6: path.join(dir, 'script.js'), locust: path.join(dir, 'locustfile.py'), jmeter: path.join(dir, 'plan.jmx') }
    writeFileSync(files.k6, renderK6Script(planned, meta))
    writeFileSync(files.locust, renderLocustfile(planned, meta))
    writeFileSync(files.jmeter, renderJmeterPlan(planned, meta))

    const k6 = await ensureK6()
    const { locust, jmeter } = loadTools()
    const baseUrl = `${api.url}/api`
    const token = { SAMPLE_API_TOKEN: 'demo-token' }
    const runs: Array<[string, () => Promise<unknown>]> = [
      ['k6', () => run(k6.path, ['run', '--quiet', files.k6], { cwd: dir, env: toolEnv({ PERF_XI_BASE_URL: baseUrl, K6_NO_USAGE_REPORT: 'true', ...token }) })],
      ['locust', () => run(locust, ['-f', files.locust, '--headless', '--only-summary'], { cwd: dir, env: toolEnv({ PERF_XI_BASE_URL: baseUrl, ...token }) })],
      // JMeter takes the base URL as a property here: BASE_ORIGIN follows it too.
      [
        'jmeter',
        () =>
          run(jmeter, ['-n', '-t', files.jmeter, '-l', path.join(dir, 'results.jtl'), '-j', path.join(dir, 'jmeter.log'), `-Jperfxi.base_url=${baseUrl}`], {
            cwd: dir,
            env: toolEnv(token),
          }),
      ],
    ]
    for (const [tool, go] of runs) {
      const before = { api: api.requests.length, other: other.requests.length }
      await go()
      const urls = (echo: Echo, from: number) => [...new Set(echo.requests.slice(from).map((r) => r.url))].sort()
      seen[tool] = { api: urls(api, before.api), other: urls(other, before.other) }
    }
  } finally {
    await api.close()
    await other.close()
  }
}, 300_000)

describe.each(['k6', 'locust', 'jmeter'])('%s', (tool) => {
  it('sends each operation where its server says, the base URL given at run time', () => {
    expect(seen[tool]).toEqual({
      // base-url: the base URL with its path, + prefix; base-origin: the base URL's origin + prefix.
      api: ['/api/products/42', '/api/v1/health', '/v2/products?limit=20&offset=0'],
      // absolute: its own server, whatever the base URL.
      other: ['/v3/search?q=lamp&category=home'],
    })
  })
})
