/**
 * The diagnosis on real k6 runs of the sample API: a base-branch run, then the same load against
 * the API changed (a slower report, a flaky inventory answering 503, GET /capacity overloaded),
 * each run a few seconds. The base-branch history is the one recorded run, given three times
 * (three runs are the least the baseline judges), so the changes are judged against real figures.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi, type SampleApiOptions } from '../../examples/sample-api/server.js'
import { MOVED_FLOOR_MS, MOVED_FRACTION } from '../../src/analyst/diagnosis.js'
import { resolveConfig } from '../../src/config/load.js'
import { runGate, type GateIo } from '../../src/gate.js'
import { ensureK6, type K6Binary } from '../../src/k6/install.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { renderPrComment } from '../../src/report/comment.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const STORE = '__tests__/fixtures/analyst/diagnosis-store.yml'
const CAPACITY = '__tests__/fixtures/analyst/diagnosis-capacity.yml'

let k6: K6Binary

beforeAll(async () => {
  k6 = await ensureK6()
}, 300_000)

/** One gate run of `configFile` against the sample API started with `options` on `port` (0: any), with `history` as the base branch's runs. */
async function gateRun(
  configFile: string,
  options: SampleApiOptions,
  history?: ResultsFile,
  env: (url: string) => NodeJS.ProcessEnv = () => ({}),
): Promise<{ results: ResultsFile; port: number; scriptPath: string }> {
  const api = await startSampleApi({ seed: 7, ...options })
  try {
    return { ...(await gateRunAgainst(configFile, api.url, history, env)), port: api.port }
  } finally {
    await api.close()
  }
}

/** One gate run of `configFile` against the API at `url`, with `history` as the base branch's runs. */
async function gateRunAgainst(
  configFile: string,
  url: string,
  history?: ResultsFile,
  env: (url: string) => NodeJS.ProcessEnv = () => ({}),
): Promise<{ results: ResultsFile; scriptPath: string }> {
  const workDir = tempDir('perf-xi-diagnosis-')
  const config = resolveConfig({ config: configFile, 'base-url': url, 'results-file': path.join(workDir, 'results.json') }, { cwd: root })
  const io: GateIo = {
    cwd: root,
    workDir,
    env: env(url),
    log: () => {},
    warn: () => {},
    k6Output: () => {},
    ensureK6: async () => k6,
    history: history
      ? async () => ({
          entries: [1, 2, 3].map((n) => ({ ...history, run: { ...history.run, id: `main-${n}` } })),
          source: 'recorded',
          branch: 'main',
          notes: [],
        })
      : undefined,
  }
  return runGate(config, { runId: history ? 'pr' : 'main' }, io)
}

describe('the diagnosis of a real run against the base branch', () => {
  it('tells a slowed endpoint (the whole distribution moved) from a flaky one answering 503 (errors instead)', async () => {
    const base = await gateRun(STORE, { slowMs: 20, flakyRate: 0 })
    expect(base.results.diagnosis).toBeUndefined()
    const { results } = await gateRun(STORE, { port: base.port, slowMs: 60, flakyRate: 0.3, flakyStatus: 503 }, base.results)

    const byEndpoint = new Map(results.diagnosis!.endpoints.map((d) => [d.endpoint, d]))
    expect([...byEndpoint.keys()].sort()).toEqual(['GET /inventory/flaky', 'GET /reports/slow'])

    const slow = byEndpoint.get('GET /reports/slow')!
    expect(slow.shape).toBe('whole-distribution')
    expect(slow.latency.p50.before).toBeGreaterThanOrEqual(19)
    expect(slow.latency.p50.before).toBeLessThan(40)
    expect(slow.latency.p50.after).toBeGreaterThanOrEqual(59)
    expect(slow.latency.p50.change).toBeGreaterThan(0.5)
    expect(slow.latency.p95.change).toBeGreaterThan(0.5)
    expect(slow.errors).toEqual([])
    expect(slow.saturation).toBeUndefined()
    expect(slow.headline).toMatch(/^whole distribution \+\d+%: p50 (19|2\d)(\.\d)? ms → (59|6\d)(\.\d)? ms(, p99 [+−]\d+(\.\d)?%)?; no errors$/)

    const flaky = byEndpoint.get('GET /inventory/flaky')!
    const failed = Math.round((flaky.error_rate_pct.after! / 100) * results.slis.find((s) => s.endpoint === 'GET /inventory/flaky')!.requests)
    expect(flaky.errors).toEqual([{ code: '503', count: failed, label: 'unavailable', retry_after: 0, new: true }])
    // Its answers take a fraction of a millisecond: on a busy machine its tail can move past the
    // latency floor too, and then the diagnosis rightly says the tail rose, the 503s beside it.
    const tailRose = [flaky.latency.p95, flaky.latency.p99].some(
      (p) => p.change !== null && p.change > MOVED_FRACTION && p.after! - p.before! >= MOVED_FLOOR_MS,
    )
    if (tailRose) {
      expect(flaky.shape).toBe('tail')
      expect(flaky.headline).toMatch(/; errors: 503 × [\d,]+ \(unavailable\)$/)
    } else {
      expect(flaky.shape).toBe('errors')
      expect(flaky.headline).toMatch(/^errors instead of latency: error rate 0% → \d+(\.\d)?%, p95 [+−]\d+(\.\d)?%; errors: 503 × [\d,]+ \(unavailable\)$/)
    }

    // The steady health check is not diagnosed; the comment has one line per diagnosed endpoint.
    const comment = renderPrComment(results)
    expect(comment).toContain(`- GET /reports/slow: ${slow.headline}`)
    expect(comment).toContain(`- GET /inventory/flaky: ${flaky.headline}`)
    expect(comment).not.toMatch(/- GET \/health: /)
  }, 120_000)

  it('diagnoses an overloaded GET /capacity: 503 over_capacity with Retry-After, and saturation', async () => {
    const base = await gateRun(CAPACITY, { capacity: { slots: 64, queue: 0, workMs: 20 } })
    expect(base.results.slis[0]!.error_rate_pct).toBe(0)
    const { results } = await gateRun(CAPACITY, { port: base.port, capacity: { slots: 1, queue: 1, workMs: 20 } }, base.results)

    const [capacity] = results.diagnosis!.endpoints
    expect(capacity!.endpoint).toBe('GET /capacity')
    const [over] = capacity!.errors
    expect(over).toMatchObject({ code: '503', label: 'over_capacity', new: true })
    // Every refusal says when to come back.
    expect(over!.retry_after).toBe(over!.count)
    expect(over!.count).toBeGreaterThan(50)
    expect(capacity!.saturation).toBeDefined()
    expect(capacity!.saturation!.rps_change).toBeLessThan(-0.3)
    expect(capacity!.headline).toMatch(/saturation: throughput −\d+(\.\d)?% .*; errors: 503 × [\d,]+ \(over_capacity\), retry-after present$/)
  }, 120_000)

  it('diagnoses the user’s own k6 script from k6’s tags: the breached endpoint’s 503s counted', async () => {
    const { results } = await gateRun('__tests__/fixtures/analyst/diagnosis-scripts.yml', { flakyRate: 0.5, flakyStatus: 503 }, undefined, (url) => ({
      BASE_URL: url,
      ITERATIONS: '30',
    }))
    const flaky = results.slis.find((s) => s.endpoint === 'GET /inventory/flaky')!
    const [d] = results.diagnosis!.endpoints
    expect(d).toMatchObject({ endpoint: 'GET /inventory/flaky', flagged: ['breached'], shape: 'no-baseline' })
    expect(d!.errors).toEqual([
      { code: '503', count: Math.round((flaky.error_rate_pct! / 100) * flaky.requests), label: 'unavailable', retry_after: 0, new: true },
    ])
  }, 120_000)

  it('counts failed answers by kind in a plan of over 50 endpoints too (tagged counters), exactly', async () => {
    // 58 routes the sample API does not have (404 each), its flaky inventory (503) and its health
    // check, which it answers to GET and refuses to HEAD (405, a status counted only by class).
    const missing = Array.from({ length: 58 }, (_, i) => `/missing/route-${i}`)
    const paths = [...missing, '/inventory/flaky', '/health']
    const operation = (method: string) => [`    ${method}:`, '      responses:', "        '200': { description: ok }"]
    const spec = [
      'openapi: 3.0.3',
      'info: { title: Sixty routes, version: "1" }',
      'paths:',
      ...paths.flatMap((p) => [`  ${p}:`, ...operation('get'), ...(p === '/health' ? operation('head') : [])]),
    ].join('\n')
    const dir = tempDir('perf-xi-diagnosis-sixty-')
    writeFileSync(path.join(dir, 'sixty.yaml'), spec)
    const config = path.join(dir, 'perf-xi.yml')
    writeFileSync(config, `openapi: ${path.join(dir, 'sixty.yaml')}\nprofile: smoke\nvus: 2\nduration: 3s\nslos:\n  "*":\n    p95: 2s\n    error-rate: 100%\n`)
    const { results, scriptPath } = await gateRun(config, { flakyRate: 0.5, flakyStatus: 503 })
    // Counted by the script (one counter per kind, tagged), not streamed from k6's output.
    expect(readFileSync(scriptPath, 'utf8')).toContain('failedTags: { "perf_xi_op": "59" }')

    expect(results.slis).toHaveLength(61)
    const failures = new Map(results.diagnosis?.failures.map((f) => [f.endpoint, f.errors]) ?? [])
    const requests = (endpoint: string) => results.slis.find((s) => s.endpoint === endpoint)!.requests
    for (const route of missing) expect(failures.get(`GET ${route}`)).toEqual([{ code: '404', count: requests(`GET ${route}`), retry_after: 0 }])
    const flaky = failures.get('GET /inventory/flaky')!
    const flakySli = results.slis.find((s) => s.endpoint === 'GET /inventory/flaky')!
    expect(flaky).toEqual([{ code: '503', count: Math.round((flakySli.error_rate_pct! / 100) * flakySli.requests), retry_after: 0 }])
    expect(flaky[0]!.count).toBeGreaterThan(0)
    expect(failures.has('GET /health')).toBe(false)
    // 405 is no counter of its own: its class's trend names it.
    expect(failures.get('HEAD /health')).toEqual([{ code: '405', count: requests('HEAD /health'), retry_after: 0 }])
  }, 120_000)

  it('names the statuses counted only by class: one status exactly, several by their range', async () => {
    // A tiny API answering statuses the script has no counter for: 418 always, 410 and 418 by
    // turns, 501 always, 200 on its health check.
    const turns = new Map<string, number>()
    const server = http.createServer((req, res) => {
      const turn = turns.get(req.url!) ?? 0
      turns.set(req.url!, turn + 1)
      const status = { '/teapot': 418, '/gone-or-teapot': turn % 2 === 0 ? 410 : 418, '/not-implemented': 501 }[req.url!] ?? 200
      req.resume()
      res.writeHead(status, { 'content-length': 0 }).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const dir = tempDir('perf-xi-diagnosis-unlisted-')
    const paths = ['/teapot', '/gone-or-teapot', '/not-implemented', '/health']
    const spec = [
      'openapi: 3.0.3',
      'info: { title: Unlisted statuses, version: "1" }',
      'paths:',
      ...paths.flatMap((p) => [`  ${p}:`, '    get:', '      responses:', "        '200': { description: ok }"]),
    ].join('\n')
    writeFileSync(path.join(dir, 'unlisted.yaml'), spec)
    const config = path.join(dir, 'perf-xi.yml')
    writeFileSync(config, `openapi: ${path.join(dir, 'unlisted.yaml')}\nprofile: smoke\nvus: 2\nduration: 2s\nslos:\n  "*":\n    p95: 2s\n    error-rate: 1%\n`)
    let results: ResultsFile
    try {
      ;({ results } = await gateRunAgainst(config, `http://127.0.0.1:${(server.address() as AddressInfo).port}`))
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }

    const requests = (endpoint: string) => results.slis.find((s) => s.endpoint === endpoint)!.requests
    expect(requests('GET /gone-or-teapot')).toBeGreaterThan(1)
    const failures = new Map(results.diagnosis!.failures.map((f) => [f.endpoint, f.errors]))
    expect(failures.get('GET /teapot')).toEqual([{ code: '418', count: requests('GET /teapot'), retry_after: 0 }])
    expect(failures.get('GET /gone-or-teapot')).toEqual([
      { code: '4xx', count: requests('GET /gone-or-teapot'), codes: { min: 410, max: 418 }, retry_after: 0 },
    ])
    expect(failures.get('GET /not-implemented')).toEqual([{ code: '501', count: requests('GET /not-implemented'), retry_after: 0 }])
    expect(failures.has('GET /health')).toBe(false)

    // The breached endpoints' lines in the comment name them.
    const headline = (endpoint: string) => results.diagnosis!.endpoints.find((d) => d.endpoint === endpoint)!.headline
    const count = (endpoint: string) => requests(endpoint).toLocaleString('en-US')
    expect(headline('GET /teapot')).toMatch(new RegExp(`; errors: 418 × ${count('GET /teapot')} \\(client_error\\)$`))
    expect(headline('GET /gone-or-teapot')).toMatch(new RegExp(`; errors: 4xx × ${count('GET /gone-or-teapot')} \\(codes 410–418\\)$`))
    expect(headline('GET /not-implemented')).toMatch(new RegExp(`; errors: 501 × ${count('GET /not-implemented')} \\(not_implemented\\)$`))
    expect(renderPrComment(results)).toContain(`- GET /gone-or-teapot: ${headline('GET /gone-or-teapot')}`)
  }, 120_000)
})
