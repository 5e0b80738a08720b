import type { ResolvedSlo } from '../src/plan/planned-endpoint.js'
import type { RunSli } from '../src/sli.js'
import type { EndpointSli } from '../src/results/schema.js'
import { evaluateSlos, gateFails, judgeLimit, withProfileCriteria, type ProfileCriterion } from '../src/verdict.js'

const sli = (endpoint: string, values: Partial<EndpointSli> = {}): EndpointSli => ({
  endpoint,
  method: endpoint.split(' ')[0],
  requests: 1000,
  rps: 100,
  avg_ms: 20,
  p50_ms: 15,
  p90_ms: 40,
  p95_ms: 50,
  p99_ms: 90,
  max_ms: 200,
  error_rate_pct: 0,
  ...values,
})
const total = (values: Partial<RunSli> = {}): RunSli => ({ ...sli('*'), vus_max: 5, ...values })
const slo = (limits: ResolvedSlo['limits'], line = 7): ResolvedSlo => ({
  limits,
  sources: Object.fromEntries(Object.keys(limits).map((k) => [k, { selector: '*', line }])),
})

describe('one limit', () => {
  it.each([
    { what: 'well under a latency limit passes', limit: 'p95', threshold: 100, actual: 50, expected: 'pass' },
    { what: 'within 10 % of a latency limit warns', limit: 'p95', threshold: 100, actual: 90, expected: 'warn' },
    { what: 'just under 10 % away passes', limit: 'p95', threshold: 100, actual: 89.9, expected: 'pass' },
    { what: 'at the limit fails (the SLO is p95 < limit)', limit: 'p95', threshold: 100, actual: 100, expected: 'fail' },
    { what: 'over the limit fails', limit: 'p99', threshold: 100, actual: 180, expected: 'fail' },
    { what: 'error rate over its limit fails', limit: 'error-rate', threshold: 1, actual: 2.5, expected: 'fail' },
    { what: 'zero errors passes', limit: 'error-rate', threshold: 1, actual: 0, expected: 'pass' },
    { what: 'throughput above its minimum passes', limit: 'min-rps', threshold: 50, actual: 80, expected: 'pass' },
    { what: 'throughput within 10 % of its minimum warns', limit: 'min-rps', threshold: 50, actual: 54, expected: 'warn' },
    { what: 'throughput below its minimum fails', limit: 'min-rps', threshold: 50, actual: 20, expected: 'fail' },
    { what: 'a statistic k6 did not report cannot be judged', limit: 'p99', threshold: 100, actual: null, expected: 'no-data' },
  ] as const)('$what', ({ limit, threshold, actual, expected }) => {
    expect(judgeLimit(limit, threshold, actual)).toBe(expected)
  })
})

describe('the overall verdict', () => {
  it('passes when every limit holds, and says so', () => {
    const verdict = evaluateSlos({
      slis: [sli('GET /a'), sli('GET /b')],
      total: total(),
      slos: new Map([
        ['GET /a', slo({ p95: 100, 'error-rate': 1 })],
        ['GET /b', slo({ p95: 100 })],
      ]),
    })
    expect(verdict.status).toBe('pass')
    expect(verdict.reasons).toEqual(['all 3 SLO limits held'])
    expect(verdict.endpointStatus).toEqual({ 'GET /a': 'pass', 'GET /b': 'pass' })
  })

  it('fails on any breach and lists the worst breach first, then warnings', () => {
    const verdict = evaluateSlos({
      slis: [sli('GET /a', { p95_ms: 120 }), sli('GET /b', { p95_ms: 300, error_rate_pct: 0.95 }), sli('GET /c')],
      total: total(),
      slos: new Map([
        ['GET /a', slo({ p95: 100 })],
        ['GET /b', slo({ p95: 100, 'error-rate': 1 })],
        ['GET /c', slo({ p95: 100 })],
      ]),
    })
    expect(verdict.status).toBe('fail')
    expect(verdict.reasons).toEqual([
      'GET /b: p95 300 ms breached (SLO < 100 ms)',
      'GET /a: p95 120 ms breached (SLO < 100 ms)',
      'GET /b: error-rate 0.95% close to its limit (SLO < 1%)',
    ])
    expect(verdict.endpointStatus).toEqual({ 'GET /a': 'fail', 'GET /b': 'fail', 'GET /c': 'pass' })
    expect(verdict.checks.find((c) => c.endpoint === 'GET /a')?.source).toEqual({ selector: '*', line: 7 })
  })

  it('warns when the worst limit is within 10 %', () => {
    const verdict = evaluateSlos({ slis: [sli('GET /a', { p95_ms: 95 })], total: total(), slos: new Map([['GET /a', slo({ p95: 100 })]]) })
    expect(verdict.status).toBe('warn')
  })

  it('is an error, not a pass, when k6 did not run properly, whatever the numbers say', () => {
    const verdict = evaluateSlos({
      slis: [sli('GET /a')],
      total: total(),
      slos: new Map([['GET /a', slo({ p95: 100 })]]),
      runError: 'the script threw an exception (exit code 107): ReferenceError: x is not defined',
    })
    expect(verdict.status).toBe('error')
    expect(verdict.reasons[0]).toBe('the script threw an exception (exit code 107): ReferenceError: x is not defined')
  })

  it('is an error when an endpoint with an SLO got no requests', () => {
    const verdict = evaluateSlos({
      slis: [sli('GET /a', { requests: 0, p95_ms: null })],
      total: total(),
      slos: new Map([['GET /a', slo({ p95: 100 })]]),
    })
    expect(verdict.status).toBe('error')
    expect(verdict.reasons[0]).toMatch(/^GET \/a: no requests were measured/)
  })

  it('says once that an endpoint got no requests, however many limits its SLO has', () => {
    const verdict = evaluateSlos({
      slis: [sli('GET /a', { requests: 0, p95_ms: null, error_rate_pct: null })],
      total: total(),
      slos: new Map([['GET /a', slo({ p95: 100, 'error-rate': 1 })]]),
    })
    expect(verdict.checks.filter((c) => c.status === 'no-data')).toHaveLength(2)
    expect(verdict.reasons.filter((r) => r.startsWith('GET /a: no requests were measured'))).toHaveLength(1)
  })

  it('is an error when k6 did not report a statistic an SLO needs', () => {
    const verdict = evaluateSlos({ slis: [sli('GET /a', { p99_ms: null })], total: total(), slos: new Map([['GET /a', slo({ p99: 100 })]]) })
    expect(verdict.status).toBe('error')
    expect(verdict.reasons[0]).toMatch(/did not report p99/)
  })

  it('is an error when every request failed', () => {
    const verdict = evaluateSlos({
      slis: [sli('GET /a', { error_rate_pct: 100 })],
      total: total({ error_rate_pct: 100, requests: 42 }),
      slos: new Map([['GET /a', slo({ p95: 100 })]]),
    })
    expect(verdict.status).toBe('error')
    expect(verdict.reasons[0]).toBe('every one of 42 requests failed: the target answers only errors')
  })
})

describe('what the run showed over time (src/liveness.ts)', () => {
  const silent =
    'GET /a: no successful answer in the last 3.1 s of 5 s of load (about 900 expected at the rate before); 4 requests failed or timed out meanwhile'

  it('fails an endpoint that stopped answering, though its figures held, leading the reasons', () => {
    const verdict = evaluateSlos({
      slis: [sli('GET /a'), sli('GET /b', { p95_ms: 95 })],
      total: total(),
      slos: new Map([
        ['GET /a', slo({ p95: 100 })],
        ['GET /b', slo({ p95: 100 })],
      ]),
      findings: [{ status: 'fail', endpoint: 'GET /a', reason: silent }],
    })
    expect(verdict.status).toBe('fail')
    expect(verdict.reasons).toEqual([silent, 'GET /b: p95 95 ms close to its limit (SLO < 100 ms)'])
    expect(verdict.endpointStatus).toEqual({ 'GET /a': 'fail', 'GET /b': 'warn' })
  })

  it('is an error when the test did not run as planned', () => {
    const short = 'k6 ran the load for 1.2 s of the planned 60 s: the test did not run as planned, so its figures are not a measurement of the plan'
    const verdict = evaluateSlos({
      slis: [sli('GET /a')],
      total: total(),
      slos: new Map([['GET /a', slo({ p95: 100 })]]),
      findings: [{ status: 'error', endpoint: null, reason: short }],
    })
    expect(verdict.status).toBe('error')
    expect(verdict.reasons).toEqual([short])
  })
})

describe('fail-on', () => {
  it.each([
    ['pass', 'slo', false],
    ['warn', 'slo', false],
    ['fail', 'slo', true],
    ['error', 'slo', true],
    ['fail', 'both', true],
    ['fail', 'regression', false],
    ['error', 'regression', true],
    ['fail', 'never', false],
    ['error', 'never', false],
  ] as const)('%s with fail-on %s fails the step: %p', (status, failOn, expected) => {
    expect(gateFails(status, failOn)).toBe(expected)
  })
})

describe("a profile's own pass criteria (the spike profile's)", () => {
  const passing = () => evaluateSlos({ slis: [sli('GET /a')], total: total(), slos: new Map([['GET /a', slo({ p95: 100 })]]) })
  const errorsMissed: ProfileCriterion = { status: 'fail', reason: 'spike: 94.2% of requests failed during the spike (2723 of 2891), limit < 5%' }
  const recovered: ProfileCriterion = {
    status: 'pass',
    reason: 'spike: recovered as soon as the load dropped (limit 2s; p95 ≤ 61.8 ms and errors ≤ 1%, as before the spike)',
  }
  const notJudged: ProfileCriterion = {
    status: 'no-data',
    reason: 'spike: recovery not judged: fewer than 20 requests before the spike to compare with; lengthen the test or raise vus',
  }

  it('fail the verdict when missed, leading the reasons with the figure and the limit', () => {
    const verdict = withProfileCriteria(passing(), [errorsMissed, recovered])
    expect(verdict.status).toBe('fail')
    expect(verdict.reasons).toEqual([errorsMissed.reason, recovered.reason])
  })

  it('fail the step as SLO breaches do: with fail-on slo or both, not regression or never', () => {
    const verdict = withProfileCriteria(passing(), [errorsMissed])
    expect((['slo', 'both', 'regression', 'never'] as const).map((failOn) => [failOn, gateFails(verdict.status, failOn)])).toEqual([
      ['slo', true],
      ['both', true],
      ['regression', false],
      ['never', false],
    ])
  })

  it('keep a pass a pass when met, and say so after the SLOs', () => {
    const verdict = withProfileCriteria(passing(), [recovered])
    expect(verdict.status).toBe('pass')
    expect(verdict.reasons).toEqual(['all 1 SLO limits held', recovered.reason])
  })

  it('turn a pass into a warning when they could not be judged', () => {
    const verdict = withProfileCriteria(passing(), [recovered, notJudged])
    expect(verdict.status).toBe('warn')
    expect(verdict.reasons).toEqual([notJudged.reason, recovered.reason])
  })

  it('come after the SLO breaches they join, and leave an error an error', () => {
    const breached = evaluateSlos({ slis: [sli('GET /a', { p95_ms: 300 })], total: total(), slos: new Map([['GET /a', slo({ p95: 100 })]]) })
    expect(withProfileCriteria(breached, [errorsMissed]).reasons).toEqual([errorsMissed.reason, 'GET /a: p95 300 ms breached (SLO < 100 ms)'])
    const failedRun = evaluateSlos({ slis: [sli('GET /a')], total: total(), slos: new Map(), runError: 'k6 was killed (signal SIGKILL)' })
    const verdict = withProfileCriteria(failedRun, [errorsMissed])
    expect(verdict.status).toBe('error')
    expect(verdict.reasons).toEqual(['k6 was killed (signal SIGKILL)', errorsMissed.reason])
  })
})

describe('percentiles from too few samples (src/sample-minimums.ts)', () => {
  const slos = new Map([
    ['GET /fast', slo({ p95: 100, p99: 200, 'error-rate': 1 })],
    ['GET /slow', slo({ p95: 100, p99: 200, 'error-rate': 1 })],
  ])
  const slow = sli('GET /slow', { requests: 12, p95_ms: null, p99_ms: null, too_few_samples: ['p95', 'p99'] })

  it('are not judged, and the reasons say which, with the count and what each needs', () => {
    const verdict = evaluateSlos({ slis: [sli('GET /fast'), slow], total: total(), slos })
    expect(verdict.status).toBe('pass')
    expect(verdict.checks.filter((c) => c.endpoint === 'GET /slow').map((c) => [c.limit, c.status])).toEqual([
      ['p95', 'too-few-samples'],
      ['p99', 'too-few-samples'],
      ['error-rate', 'pass'],
    ])
    expect(verdict.endpointStatus['GET /slow']).toBe('too-few-samples')
    expect(verdict.reasons).toEqual([
      'GET /slow: p95 and p99 not judged: too few samples (12; needed: p95 20, p99 100); lengthen the test or raise vus',
      'all 4 SLO limits held',
    ])
  })

  it('never let a breach or a warning through: those still decide the verdict', () => {
    const verdict = evaluateSlos({ slis: [sli('GET /fast', { p95_ms: 150 }), slow], total: total(), slos })
    expect(verdict.status).toBe('fail')
    expect(verdict.reasons[0]).toBe('GET /fast: p95 150 ms breached (SLO < 100 ms)')
  })

  it('make a warning, not a pass, of a run in which no limit could be judged', () => {
    const only = new Map([['GET /slow', slo({ p95: 100 })]])
    const verdict = evaluateSlos({ slis: [slow], total: total(), slos: only })
    expect(verdict.status).toBe('warn')
    expect(verdict.reasons).toEqual(['GET /slow: p95 not judged: too few samples (12; needed: p95 20); lengthen the test or raise vus'])
  })
})
