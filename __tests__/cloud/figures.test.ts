/** A cloud run's aggregates as SLIs: per name tag, rps over Grafana's execution time, no maximum (Grafana reports none). */
import { cloudSlis, type CloudFigures } from '../../src/cloud/figures.js'

const figures = (byName: Record<string, Record<string, number>>, total: Record<string, number>): CloudFigures =>
  Object.fromEntries(
    (['p50', 'p90', 'p95', 'p99', 'avg', 'requests', 'failed'] as const).map((key) => [
      key,
      { byName: new Map(Object.entries(byName).map(([name, v]) => [name, v[key] ?? null])), total: total[key] ?? null },
    ]),
  ) as unknown as CloudFigures

it("maps each endpoint's figures by its name tag", () => {
  const f = figures(
    { 'GET /a': { p50: 1.23456, p90: 2, p95: 3, p99: 4, avg: 1.5, requests: 200, failed: 0.015 } },
    { p50: 1, p90: 2, p95: 3, p99: 4, avg: 1.5, requests: 200, failed: 0.015 },
  )
  const { endpoints, total } = cloudSlis(
    f,
    [
      { key: 'GET /a', method: 'GET', metricName: 'GET /a' },
      { key: 'GET /b', method: 'GET', metricName: 'GET /b' },
    ],
    10_000,
  )
  expect(endpoints[0]).toEqual({
    endpoint: 'GET /a',
    method: 'GET',
    requests: 200,
    rps: 20,
    avg_ms: 1.5,
    p50_ms: 1.235,
    p90_ms: 2,
    p95_ms: 3,
    p99_ms: 4,
    max_ms: null,
    error_rate_pct: 1.5,
  })
  // An endpoint Grafana has no series for was not requested: no figures, never guessed.
  expect(endpoints[1]).toMatchObject({ endpoint: 'GET /b', requests: 0, p95_ms: null, error_rate_pct: null })
  expect(total).toMatchObject({ requests: 200, p95_ms: 3, vus_max: null })
})

it('leaves out percentiles from too few requests, as for a local run', () => {
  const f = figures({ 'GET /a': { p50: 1, p90: 2, p95: 3, p99: 4, avg: 1, requests: 15, failed: 0 } }, {})
  const [sli] = cloudSlis(f, [{ key: 'GET /a', method: 'GET', metricName: 'GET /a' }], 5_000).endpoints
  expect(sli).toMatchObject({ p50_ms: 1, p90_ms: 2, p95_ms: null, p99_ms: null, too_few_samples: ['p95', 'p99'] })
})
