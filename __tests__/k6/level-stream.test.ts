import { LevelAggregator } from '../../src/k6/level-stream.js'
import type { CapacityLevel } from '../../src/capacity/measurements.js'

const T0 = Date.parse('2026-12-04T09:00:00.000Z')
const iso = (ms: number) => new Date(T0 + ms).toISOString().replace('Z', '+00:00')

/** The lines k6's JSON output writes for one request, in its key order. */
function request(atMs: number, level: number, durationMs: number, status = 200, name = 'GET /capacity'): string {
  const tags = `{"expected_response":"${status < 400}","group":"","level":"${level}","method":"GET","name":"${name}","proto":"HTTP/1.1","scenario":"level_${level}","status":"${status}","url":"http://127.0.0.1:1/capacity"}`
  return [
    `{"metric":"http_reqs","type":"Point","data":{"time":"${iso(atMs)}","value":1,"tags":${tags}}}`,
    `{"metric":"http_req_duration","type":"Point","data":{"time":"${iso(atMs)}","value":${durationMs},"tags":${tags}}}`,
    `{"metric":"http_req_failed","type":"Point","data":{"time":"${iso(atMs)}","value":${status >= 400 ? 1 : 0},"tags":${tags}}}`,
  ].join('\n')
}
const levelStart = (level: number, atMs: number) =>
  `{"metric":"perf_xi_level_start","type":"Point","data":{"time":"${iso(atMs)}","value":${T0 + atMs},"tags":{"group":"","level":"${level}","scenario":"level_${level}"}}}`

const ENDPOINTS = [{ key: 'GET /capacity', method: 'GET', metricName: 'GET /capacity' }]
const LEVELS = [
  { level: 1, vus: 1, durationMs: 4000 },
  { level: 2, vus: 2, durationMs: 4000 },
]

function feed(lines: string[], opts: { onLevelEnd?: (l: CapacityLevel) => void } = {}) {
  const aggregator = new LevelAggregator({ levels: LEVELS, warmUpMs: 1000, endpoints: ENDPOINTS, onLevelEnd: opts.onLevelEnd })
  const text = Buffer.from(`${lines.join('\n')}\n`)
  // Cut anywhere: lines span chunks as they do in a pipe.
  for (let i = 0; i < text.length; i += 97) aggregator.write(text.subarray(i, i + 97))
  aggregator.end()
  return aggregator
}

describe('levels read from k6 samples', () => {
  const lines = [levelStart(1, 0)]
  // Level 1: 10 ms answers every 100 ms; level 2: 20 ms answers every 50 ms, some refused with 503.
  for (let t = 50; t < 4000; t += 100) lines.push(request(t, 1, t < 1000 ? 500 : 10))
  lines.push(levelStart(2, 4000))
  for (let t = 4025; t < 8000; t += 50) lines.push(request(t, 2, 20, (t - 4025) % 500 === 0 ? 503 : 200))

  it('count each level from its start + warm-up to its end, by its level tag', () => {
    const { levels } = feed(lines).result()
    expect(levels.map((l) => [l.level, l.vus, l.requests, l.measuredSeconds])).toEqual([
      [1, 1, 30, 3],
      [2, 2, 60, 3],
    ])
    // The slow warm-up answers of level 1 are left out.
    expect(levels[0]).toMatchObject({ throughputRps: 10, p50Ms: 10, p95Ms: 10, meanMs: 10, errorRate: 0, failures: 0 })
    expect(levels[1]).toMatchObject({ throughputRps: 20, failures: 6, errorRate: 0.1 })
  })

  it('keep the status codes per endpoint', () => {
    const level2 = feed(lines).result().levels[1]!
    expect(level2.endpoints).toEqual([expect.objectContaining({ name: 'GET /capacity', requests: 60, failures: 6, statuses: { '200': 54, '503': 6 } })])
  })

  it('report each level once it is over, while the run goes on', () => {
    const ended: number[] = []
    const aggregator = new LevelAggregator({ levels: LEVELS, warmUpMs: 1000, endpoints: ENDPOINTS, onLevelEnd: (l) => ended.push(l.level) })
    const cut = lines.findIndex((l) => l.includes(iso(5625)))
    aggregator.write(Buffer.from(`${lines.slice(0, cut).join('\n')}\n`))
    // 1.5 s past level 1's end: its samples are all in.
    expect(ended).toEqual([1])
    aggregator.write(Buffer.from(`${lines.slice(cut).join('\n')}\n`))
    aggregator.end()
    expect(ended).toEqual([1, 2])
  })

  it('end a level stopped early where its samples end', () => {
    const stopped = lines.filter((l) => !/"time":"[^"]*T09:00:0[67]/.test(l))
    const level2 = feed(stopped).result().levels[1]!
    expect(level2.measuredSeconds).toBeCloseTo(0.975, 3)
  })

  it('leave out a level that measured nothing after its warm-up', () => {
    const { levels } = feed(lines.filter((l) => !l.includes('"level":"2"') || l.includes(iso(4025)))).result()
    expect(levels.map((l) => l.level)).toEqual([1])
  })
})
