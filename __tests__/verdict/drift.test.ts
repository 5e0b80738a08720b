import { buildExecutor, type Executor } from '../../src/plan/profiles.js'
import { judgeDrift, judgedSpan, judgesDrift, MIN_TREND_WINDOWS, type EndpointSeries, type EndpointWindows } from '../../src/verdict/drift.js'
import type { DriftSettings } from '../../src/verdict/drift-config.js'

const FINDING_ONLY: DriftSettings = { minDurationMs: 600_000 }

/** Reproducible noise in [-1, 1). */
function noise(seed: number): () => number {
  let state = seed
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 30 - 1
}

/** A constant load for `windows` windows: every window is judged but the first (warm-up). */
function constantRun(windows: number, windowMs: number): Executor {
  return { type: 'constant-vus', vus: 10, durationMs: windows * windowMs }
}

function endpoint(
  key: string,
  windows: number,
  p95At: (i: number) => number,
  opts: { errorsAt?: (i: number) => number; requestsAt?: (i: number) => number } = {},
): EndpointSeries {
  const requestsAt = opts.requestsAt ?? (() => 100)
  return {
    key,
    requests: Array.from({ length: windows }, (_, i) => requestsAt(i)),
    p95Ms: Array.from({ length: windows }, (_, i) => p95At(i)),
    errorRatePct: Array.from({ length: windows }, (_, i) => opts.errorsAt?.(i) ?? 0),
  }
}

function run(windowMs: number, windows: number, endpoints: EndpointSeries[]): EndpointWindows {
  return { windowMs, windows, endpoints, warnings: [] }
}

describe('drift of p95 over an hour', () => {
  const windows = 360
  const windowMs = 10_000
  const jitter = noise(7)
  // 0.8 ms per 10 min (60 windows) on a p95 of about 2.5 ms, with ±0.2 ms of noise.
  const rising = endpoint('GET /search', windows, (i) => 2.5 + (0.8 / 60) * i + 0.2 * jitter())
  const flat = endpoint('GET /health', windows, () => 1 + 0.2 * jitter())

  it('reads as a person would say it: how fast, how much from the first to the last quarter, how sure', () => {
    const report = judgeDrift(run(windowMs, windows, [rising, flat]), constantRun(windows, windowMs), FINDING_ONLY)
    expect(report.status).toBe('drift')
    expect(report.windows).toBe(windows - 1)
    expect(report.findings).toHaveLength(1)
    const [finding] = report.findings
    expect(finding).toMatchObject({ endpoint: 'GET /search', metric: 'p95', breach: false })
    expect(finding!.sentence).toMatch(/^p95 of GET \/search rose 0\.8\d? ms per 10 min, \+\d+% from the first to the last quarter of the run, p < 0\.001$/)
    expect(finding!.slopePerHour).toBeCloseTo(4.8, 1)
    expect(report.reason).toBe(`drift: ${finding!.sentence}`)
    // The chart keeps the windows of the drifting endpoint only.
    expect(report.series.map((s) => s.endpoint)).toEqual(['GET /search'])
    expect(report.series[0]!.p95Ms).toHaveLength(windows - 1)
  })

  it('fails the gate past max-drift, and stays a finding below it', () => {
    const executor = constantRun(windows, windowMs)
    const strict = judgeDrift(run(windowMs, windows, [rising, flat]), executor, { ...FINDING_ONLY, maxDriftPct: 20 })
    expect(strict.status).toBe('fail')
    expect(strict.findings[0]!.breach).toBe(true)
    expect(strict.reason).toMatch(/^drift past max-drift 20%: p95 of GET \/search rose /)
    const lenient = judgeDrift(run(windowMs, windows, [rising, flat]), executor, { ...FINDING_ONLY, maxDriftPct: 500 })
    expect(lenient.status).toBe('drift')
    expect(lenient.findings[0]!.breach).toBe(false)
  })

  it('a steady endpoint alone is no drift, and the reason says what was tested', () => {
    const report = judgeDrift(run(windowMs, windows, [flat]), constantRun(windows, windowMs), { ...FINDING_ONLY, maxDriftPct: 20 })
    expect(report.status).toBe('none')
    expect(report.findings).toEqual([])
    // p95 and throughput; the error rate is constant 0 and still tested (no trend).
    expect(report.tested).toBe(3)
    expect(report.reason).toBe('no drift in 3 series over 359 windows of 10s (Mann–Kendall, Hamed–Rao, p < 0.01)')
  })

  it('a p95 that falls is no drift', () => {
    const falling = endpoint('GET /search', windows, (i) => 10 - (2 / windows) * i + 0.2 * jitter())
    expect(judgeDrift(run(windowMs, windows, [falling]), constantRun(windows, windowMs), FINDING_ONLY).status).toBe('none')
  })
})

describe('drift of errors and throughput', () => {
  const windows = 40
  const windowMs = 2500
  const jitter = noise(11)

  it('a rising error rate is measured in points, and max-drift applies to it in points', () => {
    const failing = endpoint('POST /orders', windows, () => 5 + jitter(), { errorsAt: (i) => (i * 4) / windows + 0.3 * Math.abs(jitter()) })
    const report = judgeDrift(run(windowMs, windows, [failing]), constantRun(windows, windowMs), { ...FINDING_ONLY, maxDriftPct: 2 })
    const finding = report.findings.find((f) => f.metric === 'error-rate')!
    expect(finding.change).toBeGreaterThan(2)
    expect(finding.change).toBeLessThan(4)
    expect(finding.breach).toBe(true)
    expect(finding.sentence).toMatch(
      /^errors of POST \/orders rose [\d.]+ points per minute, \+[\d.]+ points from the first to the last quarter of the run, p < 0\.001$/,
    )
  })

  it('falling throughput is a finding but never fails the gate (a closed model slows down when latency rises)', () => {
    const slowing = endpoint('GET /feed', windows, () => 5 + jitter(), { requestsAt: (i) => Math.round(200 - 3 * i + 5 * jitter()) })
    const report = judgeDrift(run(windowMs, windows, [slowing]), constantRun(windows, windowMs), { ...FINDING_ONLY, maxDriftPct: 1 })
    expect(report.status).toBe('drift')
    expect(report.findings).toEqual([expect.objectContaining({ metric: 'throughput', breach: false })])
    expect(report.findings[0]!.sentence).toMatch(/^throughput of GET \/feed fell [\d.]+ req\/s per minute, −\d+% from the first/)
  })
})

describe('too few windows', () => {
  it(`fewer than ${MIN_TREND_WINDOWS} windows after warm-up: no trend test, and the reason says so`, () => {
    const windows = 8
    const report = judgeDrift(run(1000, windows, [endpoint('GET /a', windows, (i) => i)]), constantRun(windows, 1000), { ...FINDING_ONLY, maxDriftPct: 20 })
    expect(report.status).toBe('too-few-windows')
    expect(report.reason).toBe('drift not tested: 7 windows of 1s at peak load after warm-up, at least 8 are needed for a trend test')
    expect(report.findings).toEqual([])
  })
})

describe('which runs and which windows are judged', () => {
  it('soak runs always, other runs from 10 minutes (or soak.min-duration)', () => {
    expect(judgesDrift('soak', buildExecutor('soak', { durationMs: 20_000, vus: 2 }), FINDING_ONLY)).toBe(true)
    expect(judgesDrift('load', buildExecutor('load', { durationMs: 600_000 }), FINDING_ONLY)).toBe(true)
    expect(judgesDrift('load', buildExecutor('load', { durationMs: 300_000 }), FINDING_ONLY)).toBe(false)
    expect(judgesDrift('load', buildExecutor('load', { durationMs: 300_000 }), { minDurationMs: 60_000 })).toBe(true)
  })

  it('the soak profile is judged at its hold, after the ramp and one window of warm-up, until the ramp down', () => {
    const soak = buildExecutor('soak', { vus: 100 })
    // 5 m ramp to 100, 2 h at 100, 5 m down.
    expect(judgedSpan(soak, 20_000)).toEqual({ fromMs: 300_000 + 20_000, toMs: 300_000 + 7_200_000 })
    expect(judgedSpan(soak, 20_000, 60_000)).toEqual({ fromMs: 360_000, toMs: 7_500_000 })
  })

  it('windows at lower load before the peak are left out, so a ramp is not taken for drift', () => {
    const windows = 30
    const windowMs = 1000
    const executor: Executor = {
      type: 'ramping-vus',
      startVus: 0,
      stages: [
        { durationMs: 10_000, target: 10 },
        { durationMs: 20_000, target: 10 },
      ],
    }
    // p95 climbs during the ramp only, then holds.
    const ramping = endpoint('GET /a', windows, (i) => (i < 10 ? 1 + i : 11) + 0.05 * Math.sin(i))
    const report = judgeDrift(run(windowMs, windows, [ramping]), executor, FINDING_ONLY)
    expect(report.fromMs).toBe(11_000)
    expect(report.status).toBe('none')
  })
})
