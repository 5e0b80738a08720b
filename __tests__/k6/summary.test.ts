/**
 * k6's end-of-test summary export, in both formats, as real k6 1.8.1 wrote them for the generated
 * sample-API script (the flaky endpoint at a 20 % failure rate, so its error-rate SLO is crossed).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { UserError } from '../../src/errors.js'
import { parseK6Summary } from '../../src/k6/summary.js'
import { computeSlis } from '../../src/sli.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'k6')
const read = (name: string) => parseK6Summary(readFileSync(path.join(fixtures, name), 'utf8'), name)
const ENDPOINTS = [
  'GET /account',
  'GET /health',
  'GET /inventory/flaky',
  'POST /orders',
  'GET /products',
  'GET /products/{id}',
  'GET /reports/slow',
  'GET /search',
].map((key) => ({ key, method: key.split(' ')[0], metricName: key }))

describe('the legacy summary (k6 v1 default)', () => {
  const summary = read('summary-legacy.json')

  it('is recognised, with every statistic Perf-Xi asks for', () => {
    expect(summary.format).toBe('legacy')
    expect(summary.metrics['http_req_duration{name:GET /reports/slow}']).toEqual({
      avg: 151.22068154517126,
      min: 149.373914,
      p50: 150.788154,
      p90: 152.704196,
      p95: 154.391085,
      p99: 162.45195460000002,
      max: 167.534561,
      count: 321,
    })
  })

  it('turns k6 rate metrics into matches, total and rate', () => {
    expect(summary.metrics['http_req_failed{name:GET /inventory/flaky}']).toEqual({ matches: 70, total: 321, rate: 70 / 321 })
  })

  it('gives per-endpoint SLIs, p99 included', () => {
    const { endpoints, total } = computeSlis(summary, ENDPOINTS, 10_000)
    expect(endpoints.find((e) => e.endpoint === 'GET /inventory/flaky')).toEqual({
      endpoint: 'GET /inventory/flaky',
      method: 'GET',
      requests: 321,
      rps: 31.7877286542383,
      avg_ms: 0.583,
      p50_ms: 0.27,
      p90_ms: 0.869,
      p95_ms: 1.98,
      p99_ms: 4.948,
      max_ms: 24.502,
      error_rate_pct: 21.807,
    })
    expect(endpoints.every((e) => e.requests > 0 && e.p99_ms !== null)).toBe(true)
    expect(total.vus_max).toBe(5)
    expect(total.requests).toBe(endpoints.reduce((sum, e) => sum + e.requests, 0))
  })
})

describe('the machine-readable summary (--new-machine-readable-summary, k6 v2 default)', () => {
  const summary = read('summary-machine-readable.json')

  it('is recognised, with k6 version and test duration', () => {
    expect(summary.format).toBe('machine-readable')
    expect(summary.k6Version).toBe('1.8.1')
    expect(summary.durationMs).toBeCloseTo(10_140.1, 0)
  })

  it('gives per-endpoint SLIs, with rps from the count over the test duration', () => {
    const { endpoints } = computeSlis(summary, ENDPOINTS, 99_999)
    const flaky = endpoints.find((e) => e.endpoint === 'GET /inventory/flaky')!
    expect(flaky).toMatchObject({ requests: 324, p50_ms: 0.191, p95_ms: 1.078, max_ms: 11.09, error_rate_pct: 25.309 })
    expect(flaky.rps).toBeCloseTo(324 / 10.140106909, 6)
  })

  it('leaves p99 unknown: the format does not carry it, and Perf-Xi does not guess', () => {
    const { endpoints } = computeSlis(summary, ENDPOINTS, 10_000)
    expect(endpoints.every((e) => e.p99_ms === null && e.p95_ms !== null)).toBe(true)
  })
})

describe('what is not a k6 summary', () => {
  it.each([
    ['not JSON', '{"metrics": ', /^broken\.json: k6 summary is not valid JSON \(/],
    ['some other JSON', '{"name": "perf-xi"}', /^broken\.json: not a k6 summary export \(neither the legacy nor the machine-readable format\)$/],
  ])('%s is a one-line error naming the file', (_what, text, message) => {
    let error: unknown
    try {
      parseK6Summary(text, 'broken.json')
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(UserError)
    expect(String(error)).toMatch(message)
  })

  it('an endpoint k6 saw no request for has no statistics, not zeros', () => {
    const { endpoints } = computeSlis(read('summary-legacy.json'), [{ key: 'GET /never', method: 'GET', metricName: 'GET /never' }], 10_000)
    expect(endpoints[0]).toMatchObject({ requests: 0, p95_ms: null, error_rate_pct: null })
  })
})
