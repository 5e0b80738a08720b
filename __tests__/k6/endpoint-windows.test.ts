import { EndpointWindowAggregator, OPEN_WINDOWS } from '../../src/k6/endpoint-windows.js'

const ENDPOINTS = [
  { key: 'GET /search', method: 'GET', name: 'GET /search' },
  { key: 'POST /orders', method: 'POST', name: 'POST /orders' },
]
const T0 = Date.parse('2026-12-04T10:00:00Z')

/** A line exactly as k6 v1 writes one sample to --out json. */
function line(metric: string, value: number, atMs: number, method: string, name: string): string {
  const tags = { expected_response: 'true', group: '', method, name, proto: 'HTTP/1.1', scenario: 'default', status: '200', url: `http://127.0.0.1${name}` }
  return `${JSON.stringify({ metric, type: 'Point', data: { time: new Date(atMs).toISOString(), value, tags } })}\n`
}

describe('each endpoint in windows of time', () => {
  it("counts requests, failures and p95 per endpoint and window from k6's raw output, in any chunking", () => {
    const aggregator = new EndpointWindowAggregator({ windowMs: 1000, maxWindows: 10, endpoints: ENDPOINTS })
    let text = ''
    for (let i = 0; i < 100; i++) {
      // Window 0: 1..100 ms; window 1: 10 times slower, one in ten failed.
      text += line('http_req_duration', i + 1, T0 + i, 'GET', 'GET /search') + line('http_req_failed', 0, T0 + i, 'GET', 'GET /search')
      text += line('http_req_duration', (i + 1) * 10, T0 + 1000 + i, 'GET', 'GET /search')
      text += line('http_req_failed', i % 10 === 0 ? 1 : 0, T0 + 1000 + i, 'GET', 'GET /search')
    }
    text += line('http_req_duration', 5, T0 + 2500, 'POST', 'POST /orders')
    // A name the plan does not send (setup's requests) is left out.
    text += line('http_req_duration', 9999, T0 + 2600, 'GET', 'GET /setup-only')
    const bytes = Buffer.from(text)
    for (let at = 0; at < bytes.length; at += 777) aggregator.write(bytes.subarray(at, at + 777))
    aggregator.end()
    const result = aggregator.result()
    expect(result.windows).toBe(3)
    const search = result.endpoints.find((e) => e.key === 'GET /search')!
    expect(search.requests).toEqual([100, 100, 0])
    expect(search.p95Ms[0]).toBeCloseTo(95, 0)
    expect(search.p95Ms[1]).toBeCloseTo(950, -1)
    expect(search.p95Ms[2]).toBeNull()
    expect(search.errorRatePct).toEqual([0, 10, null])
    const orders = result.endpoints.find((e) => e.key === 'POST /orders')!
    expect(orders.requests).toEqual([0, 0, 1])
    expect(orders.p95Ms.slice(0, 2)).toEqual([null, null])
    // Two significant digits: within 1 %.
    expect(orders.p95Ms[2]).toBeCloseTo(5, 1)
    expect(result.warnings).toEqual([])
  })

  it(`keeps only the latest ${OPEN_WINDOWS} windows of an endpoint open: a sample for an older one is counted and left out`, () => {
    const aggregator = new EndpointWindowAggregator({ windowMs: 1000, maxWindows: 100, endpoints: ENDPOINTS })
    aggregator.addSample('http_req_duration', 10, T0, 'GET', 'GET /search')
    aggregator.addSample('http_req_duration', 10, T0 + 5000, 'GET', 'GET /search')
    aggregator.addSample('http_req_duration', 10, T0 + 5100, 'GET', 'GET /search')
    // Window 1 is more than OPEN_WINDOWS behind window 5.
    aggregator.addSample('http_req_duration', 10, T0 + 1000, 'GET', 'GET /search')
    // Window 4 is still open.
    aggregator.addSample('http_req_duration', 20, T0 + 4000, 'GET', 'GET /search')
    const result = aggregator.result()
    expect(result.endpoints[0]!.requests).toEqual([1, 0, 0, 0, 1, 2])
    expect(result.warnings).toEqual(['1 sample(s) arrived after their window had closed and were left out of the drift windows'])
  })

  it('samples past the last window are counted and left out', () => {
    const aggregator = new EndpointWindowAggregator({ windowMs: 1000, maxWindows: 2, endpoints: ENDPOINTS })
    aggregator.addSample('http_req_duration', 10, T0, 'GET', 'GET /search')
    aggregator.addSample('http_req_duration', 10, T0 + 2500, 'GET', 'GET /search')
    const result = aggregator.result()
    expect(result.windows).toBe(1)
    expect(result.warnings).toEqual(['1 sample(s) came after the last drift window and were left out'])
  })
})
