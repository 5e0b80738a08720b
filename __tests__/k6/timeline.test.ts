/**
 * The run in windows of time, folded from real k6 output (recorded stress and spike runs of the
 * gate's own scripts, __tests__/fixtures/timeline) as it streams: every request in its window, the
 * start of the test found from k6's own samples, nothing kept but a small histogram per window.
 */
import { TimelineAggregator, timelineOptionsFor, MAX_WINDOWS } from '../../src/k6/timeline.js'
import { buildExecutor, targetAt, totalDurationMs } from '../../src/plan/profiles.js'
import { recording, samplesOf, timelineOf } from './recordings.js'

describe('the window length fits the test', () => {
  const minutes = 60_000
  it.each([
    { what: 'a stress run shortened to 15 s', plannedMs: 15_000, windowMs: 1000, windows: 15 },
    { what: 'the default spike (6 m)', plannedMs: totalDurationMs(buildExecutor('spike')), windowMs: 1000, windows: 360 },
    { what: 'the default stress (26 m)', plannedMs: totalDurationMs(buildExecutor('stress')), windowMs: 5000, windows: 312 },
    { what: 'a stress run stretched to 2 h', plannedMs: 120 * minutes, windowMs: 30_000, windows: 240 },
  ])('$what: $windowMs ms windows, $windows of them', ({ plannedMs, windowMs, windows }) => {
    const options = timelineOptionsFor(plannedMs)
    expect(options.windowMs).toBe(windowMs)
    expect(Math.ceil(plannedMs / options.windowMs)).toBe(windows)
    expect(windows).toBeLessThanOrEqual(MAX_WINDOWS)
    // Room for k6 to finish its iterations after the plan (2 minutes), and no more.
    expect(options.maxWindows * options.windowMs).toBeGreaterThanOrEqual(plannedMs + 2 * minutes)
    expect(options.maxWindows * options.windowMs).toBeLessThan(plannedMs + 2 * minutes + 2 * options.windowMs)
  })
})

describe('a recorded stress run, window by window', () => {
  const timeline = timelineOf('stress-capacity')
  const samples = samplesOf('stress-capacity')
  const start = timeline.startedAtMs!
  const inWindow = (timeMs: number) => Math.max(0, Math.floor((timeMs - start) / timeline.windowMs))

  it('counts every request and every failure, each in the window of its time', () => {
    const requests = samples.filter((s) => s.metric === 'http_reqs')
    const failures = samples.filter((s) => s.metric === 'http_req_failed' && s.value === 1)
    expect(timeline.windows.reduce((n, w) => n + w.requests, 0)).toBe(requests.length)
    expect(timeline.windows.reduce((n, w) => n + w.failed, 0)).toBe(failures.length)
    for (const w of timeline.windows) {
      expect({ window: w.index, requests: w.requests }).toEqual({ window: w.index, requests: requests.filter((s) => inWindow(s.timeMs) === w.index).length })
      expect({ window: w.index, failed: w.failed }).toEqual({ window: w.index, failed: failures.filter((s) => inWindow(s.timeMs) === w.index).length })
    }
  })

  it("gives each window's p95 within 1 % of the exact one from its requests' durations", () => {
    for (const w of timeline.windows.filter((x) => x.requests >= 20)) {
      const durations = samples
        .filter((s) => s.metric === 'http_req_duration' && inWindow(s.timeMs) === w.index)
        .map((s) => s.value)
        .sort((a, b) => a - b)
      const exact = durations[Math.ceil(0.95 * durations.length) - 1]!
      expect({ window: w.index, p95Ms: w.p95Ms, within1Pct: Math.abs(w.p95Ms! / exact - 1) <= 0.01 }).toEqual({
        window: w.index,
        p95Ms: w.p95Ms,
        within1Pct: true,
      })
    }
  })

  it('finds the start of the test on the one-second grid of k6 vus samples, just before the first request', () => {
    const first = Math.min(...samples.map((s) => s.timeMs))
    expect(start).toBeLessThanOrEqual(first)
    expect(first - start).toBeLessThan(1000)
    for (const tick of samples.filter((s) => s.metric === 'vus')) {
      const offGrid = (tick.timeMs - start) % 1000
      expect(Math.min(offGrid, 1000 - offGrid)).toBeLessThan(50)
    }
  })

  it('shows the VUs k6 ran at the end of each window, as the plan ramps them', () => {
    const { executor } = recording('stress-capacity')
    const planned = timeline.windows.filter((w) => w.endMs <= totalDurationMs(executor))
    expect(planned).toHaveLength(15)
    for (const w of planned) expect(Math.abs(w.vus! - targetAt(executor, w.endMs))).toBeLessThanOrEqual(2)
    expect(Math.max(...planned.map((w) => w.vus!))).toBe(30)
  })

  it('is the same whatever the chunks k6 output arrives in', () => {
    const whole = timelineOf('stress-capacity', Number.MAX_SAFE_INTEGER)
    for (const chunkBytes of [1, 17, 4096]) {
      expect(timelineOf('stress-capacity', chunkBytes).windows).toEqual(whole.windows)
    }
    expect(timeline.windows).toEqual(whole.windows)
  })

  it('takes windows together by where their middle falls, for a stage or a phase', () => {
    const hold = timeline.span(1000, 4000)
    const windows = timeline.windows.slice(1, 4)
    expect(hold.windows).toBe(3)
    expect(hold.requests).toBe(windows.reduce((n, w) => n + w.requests, 0))
    expect(hold.failed).toBe(windows.reduce((n, w) => n + w.failed, 0))
    expect(hold.rps).toBeCloseTo(hold.requests / 3, 3)
    expect(hold.p95Ms!).toBeGreaterThanOrEqual(Math.min(...windows.map((w) => w.p95Ms!)))
    expect(hold.p95Ms!).toBeLessThanOrEqual(Math.max(...windows.map((w) => w.p95Ms!)))
    expect(hold.vusMax).toBe(10)
    expect(timeline.span(0, 0)).toEqual({ windows: 0, requests: 0, failed: 0, errorRatePct: null, p95Ms: null, rps: null, vusMax: null })
  })

  it('reads every line it was given and warns about none', () => {
    expect(timeline.stats.lines).toBe(samples.length)
    expect(timeline.stats.samples).toBe(samples.length)
    expect(timeline.warnings).toEqual([])
  })
})

describe('what the timeline keeps, and what it does not read', () => {
  const T0 = Date.parse('2026-11-22T20:00:00Z')

  it('keeps a bounded number of windows: samples past the last are counted and said, not kept', () => {
    const aggregator = new TimelineAggregator({ windowMs: 1000, maxWindows: 10 })
    aggregator.addSample('vus', 5, T0)
    for (let ms = 0; ms < 60_000; ms += 10) {
      aggregator.addSample('http_reqs', 1, T0 + ms)
      aggregator.addSample('http_req_duration', 12.5, T0 + ms)
    }
    aggregator.end()
    const timeline = aggregator.result()
    expect(timeline.windows).toHaveLength(10)
    expect(timeline.windows.every((w) => w.requests === 100)).toBe(true)
    expect(timeline.stats.samplesPastEnd).toBe(2 * 5000)
    expect(timeline.warnings).toEqual(['10000 sample(s) came more than 10 s after the test started and were left out of the timeline'])
  })

  it('skips metrics it does not need, reads CRLF line ends and a last line without newline, and says how many lines it could not read', () => {
    const lines = recording('spike-health').output.toString('utf8').split('\n').slice(0, 40)
    const input = [
      '{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}',
      '{"metric":"data_sent","type":"Point","data":{"time":"2026-11-22T20:57:00.000Z","value":83,"tags":{}}}',
      ...lines.slice(0, 20).map((l) => `${l}\r`),
      '{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-22T20:57:',
      '',
      ...lines.slice(20, 40),
    ].join('\n')
    const aggregator = new TimelineAggregator({ windowMs: 1000, maxWindows: 100 })
    aggregator.write(Buffer.from(input.replace(/\n$/, '')))
    aggregator.end()
    const timeline = aggregator.result()
    const requests = lines.filter((l) => l.startsWith('{"metric":"http_reqs"')).length
    expect(timeline.windows.reduce((n, w) => n + w.requests, 0)).toBe(requests)
    expect(timeline.warnings).toEqual(["1 line(s) of k6's JSON output could not be read and were left out of the timeline"])
  })

  it('has no windows when k6 wrote no sample (it stopped before the test began)', () => {
    const aggregator = new TimelineAggregator(timelineOptionsFor(15_000))
    aggregator.write(Buffer.from('{"type":"Metric","data":{"name":"vus","type":"gauge"},"metric":"vus"}\n'))
    aggregator.end()
    const timeline = aggregator.result()
    expect(timeline.windows).toEqual([])
    expect(timeline.startedAtMs).toBeNull()
  })

  it('takes the earliest sample as the start when k6 reported no vus sample', () => {
    const aggregator = new TimelineAggregator({ windowMs: 1000, maxWindows: 10 })
    aggregator.addSample('http_reqs', 1, T0 + 300)
    aggregator.addSample('http_reqs', 1, T0 + 250)
    aggregator.addSample('http_reqs', 1, T0 + 1400)
    aggregator.end()
    const timeline = aggregator.result()
    expect(timeline.startedAtMs).toBe(T0 + 250)
    expect(timeline.windows.map((w) => w.requests)).toEqual([2, 1])
  })
})

describe('the windows of shards that started together, merged', () => {
  it('equal the windows of one timeline fed every shard’s samples', () => {
    const options = { windowMs: 1000, maxWindows: 20, awaitStart: true }
    const start = 1_700_000_000_000
    const shards = [new TimelineAggregator(options), new TimelineAggregator(options)]
    const union = new TimelineAggregator(options)
    // Samples before the agreed start (a paused k6's ticks) wait for it.
    for (const t of [...shards, union]) t.addSample('vus', 0, start - 3000)
    for (const t of [...shards, union]) t.startAt(start)
    for (let n = 0; n < 400; n++) {
      const shard = shards[n % 2]!
      const at = start + n * 17
      const ms = 1 + ((n * 37) % 200) / 7
      for (const t of [shard, union]) {
        t.addSample('http_reqs', 1, at)
        t.addSample('http_req_duration', ms, at)
        t.addSample('http_req_failed', n % 11 === 0 ? 1 : 0, at)
      }
    }
    for (const [k, shard] of shards.entries()) shard.addSample('vus', 3 + k, start + 2000)
    union.addSample('vus', 7, start + 2000)
    for (const t of [...shards, union]) t.end()
    const merged = TimelineAggregator.merged(
      shards.map((s) => s.state()),
      options,
    ).result()
    expect(merged.windows).toEqual(union.result().windows)
    expect(merged.windows.reduce((sum, w) => sum + w.requests, 0)).toBe(400)
    expect(merged.span(0, 7000)).toEqual(union.result().span(0, 7000))
  })
})
