import { loadGeneratorFindings } from '../../src/capacity/generator.js'
import type { CapacityLevel } from '../../src/capacity/measurements.js'

function level(n: number, vus: number, rps: number, meanMs: number, dropped = 0): CapacityLevel {
  return {
    level: n,
    vus,
    measuredSeconds: 10,
    requests: rps * 10,
    failures: 0,
    throughputRps: rps,
    meanMs,
    p50Ms: meanMs,
    p95Ms: meanMs * 2,
    p99Ms: meanMs * 3,
    errorRate: 0,
    droppedIterations: dropped,
    endpoints: [],
  }
}

const scaling = [level(1, 1, 50, 20), level(2, 2, 100, 20), level(3, 4, 180, 22), level(4, 8, 200, 40)]
const none = new Map<number, number>()

describe('the load generator as the limit', () => {
  it('is not suspected when the API stops scaling and its latency grows', () => {
    expect(loadGeneratorFindings({ levels: scaling, k6Cores: new Map([[4, 0.4]]), runnerCores: 2, maxVus: 100 })).toEqual([])
  })

  it("is found when k6 keeps the runner's cores busy", () => {
    const findings = loadGeneratorFindings({
      levels: scaling,
      k6Cores: new Map([
        [3, 0.9],
        [4, 1.8],
      ]),
      runnerCores: 2,
      maxVus: 100,
    })
    expect(findings).toEqual([{ sign: 'k6-cpu', detail: "k6 kept 1.80 of the runner's 2 cores busy at level 4" }])
  })

  it('is found when k6 dropped iterations', () => {
    expect(loadGeneratorFindings({ levels: [level(1, 1, 50, 20, 3)], k6Cores: none, runnerCores: 2, maxVus: 100 })[0]).toMatchObject({
      sign: 'dropped-iterations',
    })
  })

  it('is found when the last level ran at the VU cap while throughput still grew', () => {
    const linear = [level(1, 1, 200, 5), level(2, 2, 400, 5), level(3, 4, 800, 5)]
    expect(loadGeneratorFindings({ levels: linear, k6Cores: none, runnerCores: 2, maxVus: 4 })).toEqual([
      {
        sign: 'vu-cap',
        detail: 'the last level ran at the cap of 4 VUs while throughput still grew 100 % over the level before: the API had not stopped scaling',
      },
    ])
  })

  it('is found when throughput stays flat while latency stays flat as concurrency doubles', () => {
    const flat = [level(1, 1, 2000, 0.4), level(2, 2, 3000, 0.45), level(3, 4, 3050, 0.46)]
    expect(loadGeneratorFindings({ levels: flat, k6Cores: none, runnerCores: 2, maxVus: 100 })).toEqual([
      {
        sign: 'flat-throughput-flat-latency',
        detail: 'from 2 to 4 VUs throughput grew 2 % while the mean latency grew only 2 %: the VUs waited on k6, not on the API',
      },
    ])
  })
})
