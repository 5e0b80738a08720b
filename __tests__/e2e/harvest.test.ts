/**
 * Ids the spec gives no example of, harvested in the k6 script's setup() from the collection
 * endpoint: real k6 against the real sample API (its order history), and against a small server
 * whose collection fails, on 127.0.0.1.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PAST_ORDER_COUNT, startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import { runGate, type GateIo } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const ORDERS_SPEC = 'examples/sample-api/orders.openapi.yaml'

let k6: K6Binary
beforeAll(async () => {
  k6 = await ensureK6()
}, 300_000)

async function gate(baseUrl: string) {
  const workDir = tempDir('perf-xi-harvest-')
  const config = resolveConfig(
    { openapi: ORDERS_SPEC, 'base-url': baseUrl, profile: 'smoke', vus: '2', duration: '2s', 'results-file': path.join(workDir, 'results.json') },
    { cwd: root },
  )
  const logs: string[] = []
  const warnings: string[] = []
  let k6Output = ''
  const io: GateIo = {
    cwd: root,
    workDir,
    env: {},
    log: (line) => logs.push(line),
    warn: (line) => warnings.push(line),
    k6Output: (text) => (k6Output += text),
    ensureK6: async () => k6,
  }
  const outcome = await runGate(config, { runId: 'harvest' }, io)
  const sli = (key: string) => outcome.results.slis.find((s) => s.endpoint === key)!
  return { ...outcome, logs, warnings, k6Output: () => k6Output, sli }
}

describe('ids harvested in setup()', () => {
  it('sends only real order ids, so the item endpoint has no errors', async () => {
    const api = await startSampleApi({ port: 0 })
    try {
      const run = await gate(api.url)
      expect(run.logs).toContain('GET /orders/{order_id}: order_id harvested in setup() from GET /orders (data[].id); "string" if that finds none')
      const item = run.sli('GET /orders/{order_id}')
      expect(item.requests).toBeGreaterThan(PAST_ORDER_COUNT)
      expect(item.error_rate_pct).toBe(0)
      expect(run.sli('GET /orders').error_rate_pct).toBe(0)
      // setup() read the list under a name of its own, so the endpoint's figures are the load's alone.
      expect(api.stats()['GET /orders']).toBeGreaterThan(run.sli('GET /orders').requests)
      expect(run.k6Output()).not.toContain('gave no values')
      // The pre-flight probe sent the sample id and got 404; the load sends harvested ids, so no warning.
      expect(run.warnings.filter((w) => w.includes('probe'))).toEqual([])
      const plan = run.results.plan!.endpoints.find((e) => e.endpoint === 'GET /orders/{order_id}')!
      expect(plan.values).toEqual([expect.objectContaining({ name: 'order_id', source: 'harvested', from: 'GET /orders (data[].id)' })])
    } finally {
      await api.close()
    }
  }, 120_000)

  it('falls back to the sample value with one warning when the collection lists nothing', async () => {
    const server = http.createServer((req, res) => {
      res
        .writeHead(req.url === '/orders' ? 200 : 404, { 'content-type': 'application/json' })
        .end(req.url === '/orders' ? '{"data":[]}' : '{"error":"not_found"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const run = await gate(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
      const warnings = run
        .k6Output()
        .split('\n')
        .filter((line) => line.includes('gave no values'))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain('Perf-Xi: GET /orders (status 200) gave no values for {order_id} of GET /orders/{order_id}; sending string instead')
      expect(run.sli('GET /orders/{order_id}').error_rate_pct).toBe(100)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  }, 120_000)
})
