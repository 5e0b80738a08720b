/**
 * Data-driven parameters with real k6 against the real sample API: a small recording proxy in
 * front of the API (the API counts requests per path template, not per id) shows which ids,
 * queries and bodies really reached the server.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { resolveConfig } from '../../src/config/load.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import { runK6 } from '../../src/k6/run.js'
import { parseK6Summary } from '../../src/k6/summary.js'
import { buildPlan } from '../../src/plan/plan.js'
import { loadDataset, writeDatasetFile } from '../../src/plan/dataset.js'
import { DatasetConfigSchema } from '../../src/plan/dataset-config.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadSpec } from '../../src/spec/load.js'
import { startEchoServer } from '../export/helpers.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const TOKEN = 'dataset-token'

interface Recorded {
  method: string
  url: string
  body: string
  status: number
}

/** Forwards every request to `target` and records it with the status the API answered. */
async function startRecordingProxy(target: string): Promise<{ url: string; requests: Recorded[]; close: () => Promise<void> }> {
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const requests: Recorded[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
        (answer) => {
          requests.push({ method: req.method!, url: req.url!, body: body.toString('utf8'), status: answer.statusCode! })
          res.writeHead(answer.statusCode!, answer.headers)
          answer.pipe(res)
        },
      )
      forward.on('error', () => res.destroy())
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

let api: Awaited<ReturnType<typeof startSampleApi>>
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>
let k6: K6Binary

beforeAll(async () => {
  k6 = await ensureK6()
  api = await startSampleApi({ port: 0, token: TOKEN, seed: 7 })
  proxy = await startRecordingProxy(api.url)
}, 300_000)

afterAll(async () => {
  await proxy?.close()
  await api?.close()
})

const CSV_IDS = ['3', '17', '28', '41', '56', '62', '75', '88', '93', '100']

it('sends the dataset rows: every product id, query and order body of the CSV reaches the API', async () => {
  const config = resolveConfig(
    // Without the 150 ms report, so the 3-second run goes through the rows many times.
    { openapi: 'examples/sample-api/openapi.yaml', config: '__tests__/fixtures/gate/generous.yml', 'base-url': proxy.url, exclude: 'GET /reports/slow' },
    { cwd: root },
  )
  const built = buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
  // Search weighted 2 among the critical endpoints: twice the order's share of the VUs' time.
  const plan = { ...built, endpoints: built.endpoints.map((p) => ({ ...p, weight: p.endpoint.key === 'GET /search' ? 2 : 1 })) }
  const dataset = loadDataset(
    DatasetConfigSchema.parse({ file: '__tests__/fixtures/datasets/products.csv', map: { id: 'product_id', productId: 'product_id' } }),
    plan.endpoints,
    { cwd: root },
  )
  const workDir = tempDir('perf-xi-dataset-run-')
  const scriptPath = path.join(workDir, 'perf-xi-script.js')
  const summaryPath = path.join(workDir, 'k6-summary.json')
  writeDatasetFile(workDir, dataset)
  writeFileSync(scriptPath, renderK6Script(plan, { title: 'Sample', source: config.openapi, scriptName: 'perf-xi-script.js' }, dataset))

  let output = ''
  const run = await runK6({
    k6Path: k6.path,
    scriptPath,
    summaryPath,
    cwd: workDir,
    env: { PERF_XI_BASE_URL: proxy.url, SAMPLE_API_TOKEN: TOKEN },
    onOutput: (t) => (output += t),
  })
  expect({ exitCode: run.exitCode, output: run.exitCode === 0 ? '' : output }).toEqual({ exitCode: 0, output: '' })

  const products = proxy.requests.filter((r) => r.method === 'GET' && /^\/products\/\d+$/.test(r.url))
  const searches = proxy.requests.filter((r) => r.url.startsWith('/search?'))
  const orders = proxy.requests.filter((r) => r.method === 'POST' && r.url === '/orders')
  // Enough rounds that every row came up, for every data-driven operation.
  expect(products.length).toBeGreaterThan(CSV_IDS.length * 5)
  expect(new Set(products.map((r) => r.url.slice('/products/'.length)))).toEqual(new Set(CSV_IDS))
  expect(new Set(searches.map((r) => new URL(r.url, proxy.url).searchParams.get('q')))).toEqual(
    new Set(['lamp', 'kettle', 'smart lamp', 'robot', 'atlas', 'hose', 'yo-yo', 'puzzle', 'mug', 'charger']),
  )
  expect(new Set(searches.map((r) => new URL(r.url, proxy.url).searchParams.get('category')))).toEqual(new Set(['home']))
  // Weights share a category's VU time: search (2) against the order (1), both critical and about
  // as fast, so about twice the requests.
  expect(searches.length / orders.length).toBeGreaterThan(1.5)
  expect(searches.length / orders.length).toBeLessThan(2.6)
  const bodies = orders.map((r) => JSON.parse(r.body) as { productId: number; quantity: number; note: string })
  expect(new Set(bodies.map((b) => String(b.productId)))).toEqual(new Set(CSV_IDS))
  // One row fills the whole body: its id, quantity and note belong together.
  expect(bodies).toContainEqual({ productId: 28, quantity: 3, note: 'Say "hello" to the porter' })
  expect(bodies).toContainEqual({ productId: 62, quantity: 2, note: 'Two lines:\nsecond line' })
  // The API accepted every data-driven request: right types, valid ids.
  for (const r of [...products, ...searches, ...orders]) expect([r.url, r.status]).toEqual([r.url, r.method === 'POST' ? 201 : 200])
  // Rows spread evenly: each VU takes the next row each time round, so the ids' counts differ by at
  // most what the VUs' unfinished passes over the rows add (fewer than a pass per VU).
  const counts = CSV_IDS.map((id) => products.filter((r) => r.url === `/products/${id}`).length)
  const standardVus = plan.scenarios.find((s) => s.name === 'standard')!.executor
  expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual('vus' in standardVus ? standardVus.vus * 2 : 4)

  // k6 counted the same requests the proxy saw, per endpoint.
  const summary = parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath)
  expect(summary.metrics['http_reqs{name:GET /products/{id}}']?.count).toBe(products.length)
  expect(summary.metrics['http_reqs{name:POST /orders}']?.count).toBe(orders.length)
}, 120_000)

it('keeps the unmapped properties of a JSON body the spec declares no media type for, sent without a Content-Type', async () => {
  // Swagger 2.0 without consumes: POST /orders sends its Order as JSON with no Content-Type header.
  const echo = await startEchoServer()
  try {
    const config = resolveConfig(
      { openapi: '__tests__/fixtures/specs/no-consumes-2.0.yaml', 'base-url': echo.url, 'allow-writes': 'true', vus: '1', duration: '2s' },
      { cwd: root },
    )
    const plan = buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
    // Only petId comes from the rows; quantity keeps the spec's sample.
    const dataset = loadDataset(
      DatasetConfigSchema.parse({
        file: '__tests__/fixtures/datasets/products.csv',
        map: { petId: 'product_id', quantity: false },
        endpoints: ['POST /orders'],
      }),
      plan.endpoints,
      { cwd: root },
    )
    expect(dataset.endpoints['POST /orders']?.map((v) => `${v.in} ${v.name}`)).toEqual(['body petId'])
    const workDir = tempDir('perf-xi-dataset-unlabelled-')
    const scriptPath = path.join(workDir, 'perf-xi-script.js')
    writeDatasetFile(workDir, dataset)
    writeFileSync(scriptPath, renderK6Script(plan, { title: 'No consumes', source: config.openapi, scriptName: 'perf-xi-script.js' }, dataset))

    let output = ''
    const run = await runK6({
      k6Path: k6.path,
      scriptPath,
      summaryPath: path.join(workDir, 'k6-summary.json'),
      cwd: workDir,
      env: { PERF_XI_BASE_URL: echo.url },
      onOutput: (t) => (output += t),
    })
    // 99: the echo server answers 200 where the spec promises 201, so SLOs fail; any other code: the script did not run.
    expect(run.exitCode === 0 || run.exitCode === 99 ? '' : `k6 exited ${String(run.exitCode)}: ${output}`).toBe('')

    const orders = echo.requests.filter((r) => r.method === 'POST' && r.url === '/orders')
    expect(orders.length).toBeGreaterThan(CSV_IDS.length * 2)
    expect(new Set(orders.map((r) => r.headers['content-type']))).toEqual(new Set([undefined]))
    const bodies = orders.map((r) => JSON.parse(r.body) as Record<string, unknown>)
    expect(new Set(bodies.map((b) => String(b.petId)))).toEqual(new Set(CSV_IDS))
    // The whole Order: the row's petId, and the sample's quantity kept beside it.
    for (const body of bodies) expect(body).toEqual({ petId: body.petId, quantity: 1 })
  } finally {
    await echo.close()
  }
}, 120_000)
