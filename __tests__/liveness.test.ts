/**
 * Judging whether a run measured what it planned, on answers-over-time series recorded from real
 * k6 runs (__tests__/fixtures/liveness/: the gate's hostile-target and sample-API runs, read from
 * k6's REST API) and on series written out for the cases a short real run cannot produce.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { judgeLiveness, type AnswerSample, type LivenessInput } from '../src/liveness.js'
import type { Executor } from '../src/plan/profiles.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'liveness')

function recorded(name: string): LivenessInput {
  return { stoppedAtSlo: false, ...JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8')) }
}

/** The same run as if only the run as a whole had been read (more endpoints than the cap). */
function runLevelOnly(input: LivenessInput): LivenessInput {
  const strip = (s: AnswerSample): AnswerSample => ({ atMs: s.atMs, total: s.total })
  return { ...input, samples: input.samples.map(strip), final: input.final && strip(input.final) }
}

describe('an API that stops answering fails, each silent endpoint named', () => {
  it.each([
    ['hang-after-2s', 2.6],
    ['hang-after-300ms', 4.6],
    ['slow-after-2s', 2.6],
    ['reset-after-2s', 2.6],
    ['die-after-2s', 2.6],
  ])('%s: no successful answer over the last %s s of the 5 s', (name, silentSeconds) => {
    const findings = judgeLiveness(recorded(name))
    expect(findings.map((f) => [f.kind, f.status, f.endpoint])).toEqual([
      ['silence', 'fail', 'GET /health'],
      ['silence', 'fail', 'GET /items'],
    ])
    expect(findings[0]!.reason).toMatch(
      new RegExp(
        `^GET /health: no successful answer in the last ${silentSeconds} s of 5 s of load \\(about \\d+ expected at the rate before\\); \\d+ requests? failed or timed out meanwhile$`,
      ),
    )
  })

  it('counts the requests that failed or timed out after the last answer', () => {
    // Hung: the 2 VUs of GET /health each had a request stuck, counted when it timed out.
    expect(judgeLiveness(recorded('hang-after-2s'))[0]!.reason).toMatch(/; 2 requests failed or timed out meanwhile$/)
    // Refused: the VUs kept trying, thousands of times.
    expect(judgeLiveness(recorded('die-after-2s'))[0]!.reason).toMatch(/; 4946 requests failed or timed out meanwhile$/)
  })

  it('judges the run as a whole where endpoints were not read one by one', () => {
    expect(judgeLiveness(runLevelOnly(recorded('hang-after-2s')))).toEqual([
      expect.objectContaining({
        kind: 'silence',
        status: 'fail',
        endpoint: null,
        reason: expect.stringMatching(/^the API \(all endpoints\): no successful answer in the last 2\.6 s of 5 s/),
      }),
    ])
  })
})

describe('runs that measured what they planned find nothing', () => {
  it.each(['sample-api-healthy', 'spike-healthy', 'stress-capacity', 'spike-refused'])('%s', (name) => {
    // spike-refused and stress-capacity have many failed requests: errors are judged by the SLOs, not here.
    expect(judgeLiveness(recorded(name))).toEqual([])
    expect(judgeLiveness(runLevelOnly(recorded(name)))).toEqual([])
  })

  it('does not call a planned pause silence: a data-intensive endpoint answers once per think time', () => {
    // 1 VU, 3 s think time, 10 s: answers at 0.2, 3.4, 6.6 s, none in the last 3.4 s.
    const samples = [0.2, 3.4, 6.6].map((s, i) => ({
      atMs: s * 1000 + 100,
      total: { requests: i + 1, failed: 0 },
      endpoints: { 'GET /reports/slow': { requests: i + 1, failed: 0 } },
    }))
    const input: LivenessInput = {
      executor: { type: 'constant-vus', vus: 1, durationMs: 10_000 },
      samples,
      stoppedAtSlo: false,
      droppedIterations: 0,
      thinkTimeMs: { 'GET /reports/slow': 3000 },
    }
    expect(judgeLiveness(input)).toEqual([])
  })
})

/** Cumulative answers of a steady run at `perSecond`, polled every 500 ms, with `rate(t)` changing it. */
function steady(durationMs: number, rate: (atMs: number) => number): AnswerSample[] {
  const samples: AnswerSample[] = []
  let ok = 0
  for (let at = 500; at <= durationMs; at += 500) {
    ok += rate(at) / 2
    samples.push({ atMs: at, total: { requests: Math.round(ok), failed: 0 } })
  }
  return samples
}

describe('throughput that collapses mid-run while the load holds fails', () => {
  const executor: Executor = { type: 'constant-vus', vus: 10, durationMs: 60_000 }

  it('names the stretch and the answers against those expected', () => {
    const samples = steady(60_000, (at) => (at > 20_000 && at <= 32_000 ? 2 : 400))
    expect(judgeLiveness({ executor, samples, stoppedAtSlo: false, droppedIterations: 0 })).toEqual([
      {
        kind: 'collapse',
        status: 'fail',
        endpoint: null,
        reason: 'the API (all endpoints): answers collapsed to 18 of about 3600 expected between 21 s and 30 s of 60 s while the planned load held',
      },
    ])
  })

  it('leaves a slower stretch that still answers at a fifth of the rate to the latency SLOs', () => {
    const samples = steady(60_000, (at) => (at > 20_000 && at <= 32_000 ? 80 : 400))
    expect(judgeLiveness({ executor, samples, stoppedAtSlo: false, droppedIterations: 0 })).toEqual([])
  })

  it('does not judge a planned ramp down as a collapse', () => {
    const ramp: Executor = {
      type: 'ramping-vus',
      startVus: 10,
      stages: [
        { durationMs: 30_000, target: 10 },
        { durationMs: 30_000, target: 0 },
      ],
    }
    const samples = steady(60_000, (at) => (at <= 30_000 ? 400 : at < 55_000 ? 400 * ((60_000 - at) / 30_000) : 0))
    expect(judgeLiveness({ executor: ramp, samples, stoppedAtSlo: false, droppedIterations: 0 })).toEqual([])
  })
})

describe('a run that did not run as planned is an error', () => {
  const executor: Executor = { type: 'constant-vus', vus: 5, durationMs: 60_000 }

  it('k6 measured far less than the planned duration', () => {
    const findings = judgeLiveness({ executor, samples: [], measuredDurationMs: 12_400, stoppedAtSlo: false, droppedIterations: 0 })
    expect(findings).toEqual([
      {
        kind: 'short-run',
        status: 'error',
        endpoint: null,
        reason: 'k6 ran the load for 12.4 s of the planned 60 s: the test did not run as planned, so its figures are not a measurement of the plan',
      },
    ])
  })

  it('but not the breakpoint profile stopped at its first SLO crossed, which is its purpose', () => {
    const breakpoint: Executor = {
      type: 'ramping-arrival-rate',
      startRate: 0,
      stages: [{ durationMs: 60_000, target: 100 }],
      preAllocatedVus: 10,
      maxVus: 100,
      abortOnFail: { delayAbortEvalMs: 6000 },
    }
    expect(judgeLiveness({ executor: breakpoint, samples: [], measuredDurationMs: 12_400, stoppedAtSlo: true, droppedIterations: 0 })).toEqual([])
  })

  it('a run that lasted its plan plus the graceful stop is no short run', () => {
    expect(judgeLiveness({ executor, samples: [], measuredDurationMs: 66_000, stoppedAtSlo: false, droppedIterations: 0 })).toEqual([])
  })
})

describe('open model: iterations k6 could not start count as failed requests', () => {
  const executor: Executor = { type: 'constant-arrival-rate', rate: 100, durationMs: 10_000, preAllocatedVus: 5, maxVus: 10 }
  const final = { atMs: 11_000, total: { requests: 880, failed: 0 } }

  it('fails when they take the error rate to the strictest error-rate SLO', () => {
    expect(judgeLiveness({ executor, samples: [], final, stoppedAtSlo: false, droppedIterations: 120, errorRateLimitPct: 1 })).toEqual([
      {
        kind: 'dropped',
        status: 'fail',
        endpoint: null,
        reason:
          "k6 could not send 120 of 1000 scheduled requests (dropped iterations: every VU was still waiting on an answer); counted as failed, the run's error rate is 12%, at or above the 1% error-rate SLO",
      },
    ])
  })

  it('passes a few below it', () => {
    expect(judgeLiveness({ executor, samples: [], final, stoppedAtSlo: false, droppedIterations: 2, errorRateLimitPct: 1 })).toEqual([])
  })
})
