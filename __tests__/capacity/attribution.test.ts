import { attributeEndpoints, errorStatuses, isErrorStatus, slope } from '../../src/capacity/attribution.js'
import { uslLevels } from '../support/capacity-levels.js'

const CURVE = { lambda: 100, sigma: 0.02, kappa: 0.0005, vus: [1, 2, 4, 8, 16, 32] }
const ENDPOINTS = [
  { name: 'GET /items', weight: 3, meanFactor: 1 },
  { name: 'GET /reports', weight: 1, meanFactor: 5 },
  { name: 'POST /orders', weight: 1, meanFactor: 2 },
]

describe('which endpoints slow down fastest', () => {
  test('the endpoint whose p95 grows most per VU, with its growth and its share of request time', () => {
    const a = attributeEndpoints(uslLevels({ ...CURVE, endpoints: ENDPOINTS }), 0.01)
    expect(a.fastestGrowing).toBe('GET /reports')
    const reports = a.endpoints.find((e) => e.name === 'GET /reports')
    expect(reports?.p95GrowthRatio).toBeCloseTo(a.endpoints[0].p95GrowthRatio, 9) // same curve, scaled
    expect(reports?.latencyShare).toBeCloseTo(5 / (3 + 5 + 2), 2)
    expect(a.endpoints.reduce((s, e) => s + e.latencyShare, 0)).toBeCloseTo(1, 9)
  })

  test('the slope is least squares over the levels', () => {
    expect(
      slope([
        { x: 1, y: 2 },
        { x: 2, y: 4 },
        { x: 3, y: 6 },
      ]),
    ).toBeCloseTo(2, 12)
    expect(slope([{ x: 1, y: 2 }])).toBe(0)
  })

  test('one level: no endpoint can be said to grow', () => {
    expect(attributeEndpoints(uslLevels({ ...CURVE, vus: [4], endpoints: ENDPOINTS }), 0.01).fastestGrowing).toBeNull()
  })
})

describe('which endpoint fails first', () => {
  test('the first level at which its error rate passes the limit, with the error statuses seen there', () => {
    const levels = uslLevels({
      ...CURVE,
      endpoints: ENDPOINTS,
      errors: { fromLevel: 4, rate: 0.02, growth: 0.05, statuses: { '503': 0.75, '0': 0.25 }, endpoint: 'POST /orders' },
    })
    const a = attributeEndpoints(levels, 0.01)
    expect(a.firstToFail).toBe('POST /orders')
    const orders = a.endpoints.find((e) => e.name === 'POST /orders')
    expect(orders).toMatchObject({ firstFailingLevel: 4, firstFailingVus: 8 })
    expect(Object.keys(orders?.failingStatuses ?? {}).sort()).toEqual(['0', '503'])
    expect(a.endpoints.find((e) => e.name === 'GET /items')?.firstFailingLevel).toBeNull()
  })

  test('no endpoint over the limit: none fails first', () => {
    expect(attributeEndpoints(uslLevels({ ...CURVE, endpoints: ENDPOINTS }), 0.01).firstToFail).toBeNull()
  })
})

describe('error statuses', () => {
  test.each([
    ['200', false],
    ['304', false],
    ['404', true],
    ['429', true],
    ['503', true],
    ['0', true],
  ])('%s is an error: %p', (status, expected) => {
    expect(isErrorStatus(status)).toBe(expected)
  })

  test('only the error statuses with responses are kept', () => {
    expect(errorStatuses({ '200': 90, '429': 10, '500': 0 })).toEqual({ '429': 10 })
  })
})
