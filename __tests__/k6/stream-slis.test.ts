/**
 * The streaming aggregator without k6: a real k6 JSON output captured from one run of
 * fixtures/user-scripts/groups-custom-metrics.js (k6 1.8.1, 6 iterations, the sample API with
 * flakyRate 0.3), read back and compared with k6's own summary export of that same run; then
 * chunking, percentiles, the endpoint cap and unreadable lines.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { endpointKey, planSlis, SliAggregator, type StreamSlis } from '../../src/k6/stream-slis.js'
import { parseK6Summary, type MetricValues } from '../../src/k6/summary.js'
import type { Sli } from '../../src/results/schema.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'user-scripts')
const output = readFileSync(path.join(fixtures, 'k6-output.json'))
const summaryFile = path.join(fixtures, 'k6-summary.json')
const summary = parseK6Summary(readFileSync(summaryFile, 'utf8'), summaryFile)

/** HDR keeps 3 significant digits; the SLIs are rounded to the microsecond. */
function expectWithinHdr(ours: number | null, k6: number | undefined, what: string): void {
  expect({ what, defined: ours !== null && k6 !== undefined }).toEqual({ what, defined: true })
  const tolerance = Math.abs(k6!) * 1e-3 + 0.0005
  if (Math.abs(ours! - k6!) > tolerance) throw new Error(`${what}: streamed ${ours} ms, k6 says ${k6} ms (allowed ±${tolerance.toFixed(4)})`)
}

function expectLatenciesMatch(sli: Sli, k6: MetricValues, what: string): void {
  expect(sli.requests).toBe(k6.count)
  for (const [stat, k6Stat] of [
    ['p50_ms', 'p50'],
    ['p90_ms', 'p90'],
    ['p95_ms', 'p95'],
    ['p99_ms', 'p99'],
    ['max_ms', 'max'],
    ['avg_ms', 'avg'],
  ] as const) {
    expectWithinHdr(sli[stat], k6[k6Stat], `${what} ${stat}`)
  }
}

function aggregate(chunks: Iterable<Buffer>, maxEndpoints?: number): StreamSlis {
  const aggregator = new SliAggregator({ maxEndpoints })
  for (const chunk of chunks) aggregator.write(chunk)
  aggregator.endRun()
  return aggregator.result()
}

function* chunked(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

function pointLine(metric: string, value: number, tags: Record<string, string>, time = '2026-11-22T19:16:00.000000000Z'): string {
  return `${JSON.stringify({ metric, type: 'Point', data: { time, value, tags } })}\n`
}

describe('a captured k6 JSON output', () => {
  const slis = aggregate([output])
  const byKey = new Map(slis.endpoints.map((e) => [e.endpoint, e]))

  it('has one row per METHOD + name tag, groups and custom metrics notwithstanding', () => {
    expect(slis.endpoints.map((e) => [e.endpoint, e.method, e.requests])).toEqual([
      ['GET /health', 'GET', 6],
      ['GET /inventory/flaky', 'GET', 6],
      ['GET /products', 'GET', 6],
      ['GET /products/{id}', 'GET', 18],
      ['GET /search', 'GET', 6],
    ])
    expect(slis.warnings).toEqual([])
  })

  it("agrees with k6's own end-of-test summary of the same run", () => {
    expectLatenciesMatch(byKey.get('GET /products/{id}')!, summary.metrics['http_req_duration{name:/products/{id}}']!, '/products/{id}')
    expectLatenciesMatch(byKey.get('GET /search')!, summary.metrics['http_req_duration{name:/search}']!, '/search')
    expectLatenciesMatch(byKey.get('GET /inventory/flaky')!, summary.metrics['http_req_duration{name:/inventory/flaky}']!, '/inventory/flaky')
    expectLatenciesMatch(slis.total, summary.metrics.http_req_duration!, 'all endpoints')
    expect(byKey.get('GET /products/{id}')!.requests).toBe(summary.metrics['http_reqs{name:/products/{id}}']!.count)
    expect(slis.total.requests).toBe(summary.metrics.http_reqs!.count)
  })

  it("counts failures as k6's http_req_failed does", () => {
    const flaky = summary.metrics['http_req_failed{name:/inventory/flaky}']!
    expect(flaky.matches).toBeGreaterThan(0) // the run this was captured from had failures to count
    expect(byKey.get('GET /inventory/flaky')!.error_rate_pct).toBe(Math.round(flaky.rate! * 100 * 1000) / 1000)
    expect(slis.total.error_rate_pct).toBe(Math.round(summary.metrics.http_req_failed!.rate! * 100 * 1000) / 1000)
    expect(byKey.get('GET /health')!.error_rate_pct).toBe(0)
  })

  it('keeps each endpoint’s failures by status, as many as k6 counted failed', () => {
    expect(slis.failures).toEqual([{ endpoint: 'GET /inventory/flaky', errors: [{ code: '500', count: 2, retry_after: 0 }] }])
    expect(summary.metrics['http_req_failed{name:/inventory/flaky}']!.matches).toBe(2)
  })

  it('names answers that never came by what stopped them, escaped or not, and reads no tag of a request that succeeded', () => {
    const lines = [
      pointLine('http_req_failed', 1, { error_code: '1212', method: 'GET', name: '/down', status: '0' }),
      pointLine('http_req_failed', 1, { error_code: '1050', method: 'GET', name: '/down', status: '0' }),
      // An escape sends the line through JSON.parse: the same tags.
      pointLine('http_req_failed', 1, { error_code: '1050', method: 'GET', name: '/down', status: '0', note: 'a "quoted" value' }),
      pointLine('http_req_failed', 0, { method: 'GET', name: '/down', status: '200' }),
    ]
    expect(aggregate([Buffer.from(lines.join(''))]).failures).toEqual([
      {
        endpoint: 'GET /down',
        errors: [
          { code: 'connection-refused', count: 1, retry_after: 0 },
          { code: 'timeout', count: 2, retry_after: 0 },
        ],
      },
    ])
  })

  it('takes rps over the time the samples span, and vus_max only where k6 reported it', () => {
    // k6 samples vus_max once a second: this sub-second run has none, in its output as in its summary.
    expect(summary.metrics.vus_max).toBeUndefined()
    expect(slis.total.vus_max).toBeNull()
    const aggregator = new SliAggregator()
    aggregator.write(Buffer.from(pointLine('vus_max', 3, {}) + pointLine('vus_max', 5, {}) + pointLine('vus_max', 4, {})))
    expect(aggregator.result().total.vus_max).toBe(5)
    expect(slis.measuredMs).toBeGreaterThan(0)
    expect(slis.total.rps).toBeCloseTo(slis.total.requests / (slis.measuredMs / 1000), 2)
  })

  it.each([1, 7, 333, 4096])('gives the same result whatever the chunking (%i-byte chunks)', (size) => {
    expect(aggregate(chunked(output, size))).toEqual(slis)
  })
})

/** k6's percentile over the raw samples (lib/metrics/sink.go): linear between the nearest ranks. */
function k6Percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 1) return sorted[0]!
  const i = q * (sorted.length - 1)
  const lo = sorted[Math.floor(i)]!
  const hi = sorted[Math.ceil(i)]!
  return lo + (hi - lo) * (i - Math.floor(i))
}

/** A seeded generator, so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe("percentiles: k6's definition, read from the histogram", () => {
  const random = mulberry32(42)
  const cases: Array<{ what: string; values: number[] }> = [
    { what: 'one sample', values: [12.345678] },
    { what: 'two samples', values: [0.2, 150.5] },
    { what: 'three samples', values: [3, 1, 2] },
    { what: 'ten sub-millisecond samples', values: Array.from({ length: 10 }, (_, i) => 0.1 + i * 0.0371) },
    { what: '5,000 log-normal samples', values: Array.from({ length: 5000 }, () => Math.exp(random() * 6 - 2)) },
    {
      what: '5,000 bimodal samples (fast and 150 ms slow)',
      values: Array.from({ length: 5000 }, () => (random() < 0.9 ? 0.2 + random() : 150 + random() * 5)),
    },
    { what: 'a long timeout among fast requests', values: [...Array.from({ length: 999 }, () => 0.5 + random()), 60_000] },
  ]
  it.each(cases)('$what', ({ values }) => {
    const aggregator = new SliAggregator()
    for (const value of values) aggregator.addSample('http_req_duration', value, { method: 'GET', name: '/x' })
    const { endpoints } = aggregator.result()
    const sorted = [...values].sort((a, b) => a - b)
    const sli = endpoints[0]!
    expectWithinHdr(sli.p50_ms, k6Percentile(sorted, 0.5), 'p50')
    expectWithinHdr(sli.p90_ms, k6Percentile(sorted, 0.9), 'p90')
    expectWithinHdr(sli.p95_ms, k6Percentile(sorted, 0.95), 'p95')
    expectWithinHdr(sli.p99_ms, k6Percentile(sorted, 0.99), 'p99')
    expect(sli.max_ms).toBe(Math.round(sorted.at(-1)! * 1000) / 1000)
    expect(sli.requests).toBe(values.length) // no http_reqs samples: the durations count
  })
})

describe('endpoint keys', () => {
  it.each([
    { what: 'a name tag', tags: { method: 'GET', name: '/users/{id}', url: 'http://h/users/7' }, key: 'GET /users/{id}' },
    { what: "k6's default name (the URL)", tags: { method: 'POST', name: 'http://h/orders', url: 'http://h/orders' }, key: 'POST http://h/orders' },
    { what: 'no name tag at all', tags: { method: 'GET', url: 'http://h/a?b=1' }, key: 'GET http://h/a?b=1' },
    { what: 'no method', tags: { name: 'ws://h/feed' }, key: 'ws://h/feed' },
  ])('$what → $key', ({ tags, key }) => {
    expect(endpointKey(tags)).toBe(key)
  })
})

describe('what the aggregator refuses to hold', () => {
  it('caps distinct endpoints and says how to group URLs', () => {
    const lines = [1, 2, 3, 4, 5].flatMap((id) => [
      pointLine('http_reqs', 1, { method: 'GET', name: `http://h/items/${id}` }),
      pointLine('http_req_duration', id, { method: 'GET', name: `http://h/items/${id}` }),
    ])
    const slis = aggregate([Buffer.from(lines.join(''))], 3)
    expect(slis.endpoints.map((e) => [e.endpoint, e.requests])).toEqual([
      ['GET (other endpoints)', 2],
      ['GET http://h/items/1', 1],
      ['GET http://h/items/2', 1],
      ['GET http://h/items/3', 1],
    ])
    expect(slis.total.requests).toBe(5)
    expect(slis.warnings).toEqual([expect.stringContaining('more than 3 distinct endpoints')])
    expect(slis.warnings[0]).toContain("tags: { name: '/users/{id}' }")
  })

  it('skips metric definitions, other metrics and blank lines, reads CRLF and a last line without newline, reports broken lines', () => {
    const text = [
      '{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}\n',
      pointLine('checkout_time', 99, { method: 'GET', name: '/x' }),
      pointLine('http_req_waiting', 99, { method: 'GET', name: '/x' }),
      '\n',
      pointLine('http_reqs', 1, { method: 'GET', name: '/x' }).replace('\n', '\r\n'),
      '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-22T19:16:00Z","val\n',
      pointLine('http_req_failed', 1, { method: 'GET', name: '/x' }),
      pointLine('iteration_duration', 2000, {}, '2026-11-22T19:16:02Z'),
      // A name with an escaped quote, and metadata: read through JSON.parse rather than the fast path.
      pointLine('http_req_failed', 0, { method: 'GET', name: '/say "hi"' }),
      JSON.stringify({
        metric: 'http_reqs',
        type: 'Point',
        data: { time: '2026-11-22T19:16:01Z', value: 1, tags: { method: 'GET', name: '/x' }, metadata: { trace_id: 'abc' } },
      }) + '\n',
      pointLine('http_req_duration', 4.5, { method: 'GET', name: '/x' }).trimEnd(),
    ].join('')
    const slis = aggregate([Buffer.from(text)])
    expect(slis.endpoints).toEqual([
      {
        endpoint: 'GET /say "hi"',
        method: 'GET',
        requests: 0,
        rps: 0,
        avg_ms: null,
        p50_ms: null,
        p90_ms: null,
        p95_ms: null,
        p99_ms: null,
        max_ms: null,
        error_rate_pct: null,
      },
      {
        endpoint: 'GET /x',
        method: 'GET',
        requests: 2,
        rps: 1,
        avg_ms: 4.5,
        p50_ms: 4.5,
        p90_ms: 4.5,
        p95_ms: 4.5,
        p99_ms: 4.5,
        max_ms: 4.5,
        error_rate_pct: 100,
      },
    ])
    expect(slis.measuredMs).toBe(2000)
    expect(slis.warnings).toEqual(["1 line(s) of k6's JSON output could not be read and were skipped"])
  })

  it('drops a line longer than k6 ever writes instead of buffering it', () => {
    const aggregator = new SliAggregator()
    const huge = Buffer.alloc(256 * 1024, 'x')
    aggregator.write(Buffer.from('{"metric":"http_reqs","type":"Point","data":{"tags":{"name":"'))
    for (let i = 0; i < 8; i++) aggregator.write(huge)
    aggregator.write(Buffer.from(`"}}}\n${pointLine('http_reqs', 1, { method: 'GET', name: '/after' })}`))
    aggregator.endRun()
    const slis = aggregator.result()
    expect(slis.endpoints.map((e) => [e.endpoint, e.requests])).toEqual([['GET /after', 1]])
    expect(slis.lines).toBe(2)
    expect(slis.warnings).toEqual(["1 line(s) of k6's JSON output could not be read and were skipped"])
  })

  it('adds the time of each run, not the gap between runs, to the rps denominator', () => {
    const aggregator = new SliAggregator()
    aggregator.write(
      Buffer.from(
        pointLine('http_reqs', 1, { method: 'GET', name: '/a' }, '2026-01-01T00:00:00Z') +
          pointLine('http_reqs', 1, { method: 'GET', name: '/a' }, '2026-01-01T00:00:01Z'),
      ),
    )
    aggregator.endRun()
    aggregator.write(
      Buffer.from(
        pointLine('http_reqs', 1, { method: 'GET', name: '/a' }, '2026-01-01T01:00:00Z') +
          pointLine('http_reqs', 1, { method: 'GET', name: '/a' }, '2026-01-01T01:00:03Z'),
      ),
    )
    aggregator.endRun()
    const slis = aggregator.result()
    expect(slis.measuredMs).toBe(4000)
    expect(slis.endpoints[0]).toMatchObject({ requests: 4, rps: 1, p95_ms: null, error_rate_pct: null })
  })
})

describe("a generated plan's SLIs from its samples", () => {
  it('gives every planned endpoint its row by name tag, in plan order, and one without samples zero requests', () => {
    const aggregator = new SliAggregator()
    const lines = [
      pointLine('http_reqs', 1, { method: 'GET', name: 'GET /b%2Cc' }, '2026-01-01T00:00:00Z'),
      pointLine('http_req_duration', 12, { method: 'GET', name: 'GET /b%2Cc' }),
      pointLine('http_req_failed', 1, { method: 'GET', name: 'GET /b%2Cc' }),
      pointLine('http_reqs', 1, { method: 'GET', name: 'GET /b%2Cc' }, '2026-01-01T00:00:02Z'),
      pointLine('http_req_duration', 20, { method: 'GET', name: 'GET /b%2Cc' }),
      pointLine('http_req_failed', 0, { method: 'GET', name: 'GET /b%2Cc' }),
    ]
    aggregator.write(Buffer.from(lines.join('')))
    aggregator.endRun()
    const slis = planSlis(aggregator.result(), [
      { key: 'GET /a', method: 'GET', metricName: 'GET /a' },
      { key: 'GET /b,c', method: 'GET', metricName: 'GET /b%2Cc' },
    ])
    expect(slis.endpoints).toEqual([
      {
        endpoint: 'GET /a',
        method: 'GET',
        requests: 0,
        rps: 0,
        avg_ms: null,
        p50_ms: null,
        p90_ms: null,
        p95_ms: null,
        p99_ms: null,
        max_ms: null,
        error_rate_pct: null,
      },
      // Two samples: enough for a p50, too few for the rest (src/sample-minimums.ts).
      {
        endpoint: 'GET /b,c',
        method: 'GET',
        requests: 2,
        rps: 1,
        avg_ms: 16,
        p50_ms: expect.any(Number),
        p90_ms: null,
        p95_ms: null,
        p99_ms: null,
        max_ms: 20,
        error_rate_pct: 50,
        too_few_samples: ['p90', 'p95', 'p99'],
      },
    ])
    expect(slis.total).toMatchObject({ requests: 2, error_rate_pct: 50, max_ms: 20 })
  })
})

describe("setup()'s harvesting requests in a large plan's samples", () => {
  it('count in the whole run but take no endpoint slot, so every planned endpoint keeps its own row', () => {
    const planned = ['GET /a', 'GET /b', 'GET /c'].map((name) => ({ method: 'GET', name }))
    const aggregator = new SliAggregator({ maxEndpoints: planned.length, endpoints: planned })
    const lines = [
      // setup() lists collections before the load: names of their own, not planned endpoints.
      ...['GET /x (setup)', 'GET /y (setup)'].flatMap((name) => [
        pointLine('http_reqs', 1, { method: 'GET', name }, '2026-01-01T00:00:00Z'),
        pointLine('http_req_duration', 5, { method: 'GET', name }),
        pointLine('http_req_failed', 0, { method: 'GET', name }),
      ]),
      ...planned.flatMap(({ name }) => [
        pointLine('http_reqs', 1, { method: 'GET', name }, '2026-01-01T00:00:01Z'),
        pointLine('http_req_duration', 10, { method: 'GET', name }),
        pointLine('http_req_failed', 0, { method: 'GET', name }),
      ]),
    ]
    aggregator.write(Buffer.from(lines.join('')))
    aggregator.endRun()
    const result = aggregator.result()
    expect(result.warnings).toEqual([])
    const slis = planSlis(
      result,
      planned.map(({ name }) => ({ key: name, method: 'GET', metricName: name })),
    )
    expect(slis.endpoints.map((e) => [e.endpoint, e.requests])).toEqual([
      ['GET /a', 1],
      ['GET /b', 1],
      ['GET /c', 1],
    ])
    expect(slis.total.requests).toBe(5)
  })
})
