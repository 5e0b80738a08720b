import { computeErrorBudget, type ErrorBudgetConfig } from '../../src/baseline/error-budget.js'
import { parseWindowMs } from '../../src/duration.js'
import type { HistoryEntry } from '../../src/baseline/regression.js'
import { results, sli, type RunShape } from './results-builder.js'

const NOW = '2026-11-30T12:00:00.000Z'
const DAY = 86_400_000
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * DAY).toISOString()

/** A run `d` days before NOW with `requests` requests, `failed` of them failed. */
function run(id: string, d: number, requests: number, failed: number, shape: RunShape = {}) {
  return results([sli('GET /a', { requests })], {
    id,
    finishedAt: daysAgo(d),
    requestsTotal: requests,
    errorRatePct: requests > 0 ? (failed / requests) * 100 : 0,
    ...shape,
  })
}

const budget = (current: ReturnType<typeof run>, history: HistoryEntry[], config: Partial<ErrorBudgetConfig> = {}) =>
  computeErrorBudget(current, history, { window: '30d', target: 99.9, ...config })

describe('parsing a window', () => {
  it.each([
    { text: '30d', ms: 30 * DAY },
    { text: '7d', ms: 7 * DAY },
    { text: '1w', ms: 7 * DAY },
    { text: '12h', ms: 12 * 3_600_000 },
    { text: '1d12h', ms: 1.5 * DAY },
    { text: '28800s', ms: 28_800_000 },
    { text: ' 30d ', ms: 30 * DAY },
    { text: '30', ms: undefined },
    { text: '30 days', ms: undefined },
    { text: '1mo', ms: undefined },
    { text: '0d', ms: undefined },
    { text: '', ms: undefined },
  ])('$text → $ms', ({ text, ms }) => {
    expect(parseWindowMs(text)).toBe(ms)
  })
})

describe('the request budget', () => {
  it.each([
    {
      what: 'a clean month is ok',
      current: run('now', 0, 10_000, 0),
      history: [run('h1', 1, 10_000, 2), run('h2', 5, 10_000, 3)],
      expected: { requests: 30_000, allowedFailures: 30, failures: 5, remainingFailures: 25, status: 'ok', runsCounted: 3 },
    },
    {
      what: '75 % consumed warns',
      current: run('now', 0, 10_000, 10),
      history: [run('h1', 1, 10_000, 5), run('h2', 2, 20_000, 15)],
      expected: { requests: 40_000, allowedFailures: 40, failures: 30, status: 'warning' },
    },
    {
      what: '100 % consumed is exhausted',
      current: run('now', 0, 10_000, 20),
      history: [run('h1', 1, 10_000, 0)],
      expected: { allowedFailures: 20, failures: 20, status: 'exhausted', remainingFailures: 0 },
    },
    {
      what: 'runs before the window do not count',
      current: run('now', 0, 10_000, 0),
      history: [run('h1', 29, 10_000, 1), run('old', 31, 10_000, 500)],
      expected: { failures: 1, runsCounted: 2, runsOutsideWindow: 1, status: 'ok' },
    },
    {
      what: 'a shorter window counts fewer runs',
      current: run('now', 0, 10_000, 0),
      history: [run('h1', 3, 10_000, 1), run('h2', 8, 10_000, 9)],
      config: { window: '7d' },
      expected: { failures: 1, runsCounted: 2, runsOutsideWindow: 1 },
    },
  ])('$what', ({ current, history, config, expected }) => {
    const report = budget(current, history, config)
    expect(report).toMatchObject(expected)
    expect(report.allowedFailures).toBeCloseTo(report.requests * 0.001)
  })

  it('reports percent consumed and one line for a human', () => {
    const report = budget(run('now', 0, 10_000, 10), [run('h1', 1, 10_000, 5), run('h2', 2, 20_000, 15)])
    expect(report.consumedPct).toBeCloseTo(75)
    expect(report.window).toEqual({ label: '30d', ms: 30 * DAY, from: daysAgo(30), to: NOW })
    expect(report.reason).toBe('error budget 99.9% over 30d: 30 of 40 allowed failed requests used (75%), 10 left, across 3 runs (warning)')
  })

  it('says when the budget is overspent', () => {
    const report = budget(run('now', 0, 10_000, 50), [])
    expect(report.consumedPct).toBeCloseTo(500)
    expect(report.reason).toBe('error budget 99.9% over 30d exhausted: 50 failed requests against 10 allowed (500%) across 1 run')
  })

  it('a window with no requests has consumed nothing', () => {
    const report = budget(run('now', 0, 0, 0), [])
    expect(report).toMatchObject({ requests: 0, failures: 0, consumedPct: 0, status: 'ok' })
    expect(report.reason).toBe('error budget 99.9% over 30d: no requests in the window yet (1 run)')
  })

  it('leaves out unreadable runs, broken runs and duplicates, and says so', () => {
    const history: HistoryEntry[] = [
      run('now', 0, 10_000, 0),
      { unreadable: true, reason: 'not JSON', runId: '41' },
      run('broken', 2, 100, 100, { verdict: 'error' }),
      run('h1', 3, 10_000, 4),
    ]
    const report = budget(run('now', 0, 10_000, 1), history)
    expect(report).toMatchObject({ runsCounted: 2, failures: 5, requests: 20_000 })
    expect(report.skipped).toEqual([
      { runId: 'now', reason: 'duplicate of a run already counted' },
      { runId: '41', reason: 'unreadable: not JSON' },
      { runId: 'broken', reason: 'the test did not run properly (verdict error)' },
    ])
  })

  it('does not guess failures for a run without an error rate', () => {
    const report = budget(run('now', 0, 10_000, 1), [run('h1', 1, 10_000, 0, { errorRatePct: null })])
    expect(report).toMatchObject({ runsCounted: 2, runsWithoutErrorRate: 1, requests: 10_000, failures: 1 })
  })

  it('ends the window at an explicit time when given', () => {
    const report = budget(run('now', 0, 10_000, 0), [run('h1', 10, 10_000, 3)], { now: daysAgo(5), window: '7d' })
    expect(report).toMatchObject({ runsCounted: 1, runsOutsideWindow: 1, failures: 3 })
  })

  it.each([
    {
      what: 'a window without a unit',
      config: { window: '30' },
      message: 'error-budget.window: expected a duration such as 30d, 7d, 12h or 1w (or milliseconds), got "30"',
    },
    { what: 'a target of 0', config: { target: 0 }, message: 'error-budget.target: expected a percentage above 0 and at most 100, got 0' },
    { what: 'a target over 100', config: { target: 100.5 }, message: /got 100.5/ },
  ])('rejects $what', ({ config, message }) => {
    expect(() => budget(run('now', 0, 1, 0), [], config)).toThrow(message)
  })
})

describe('the SLO-breach time budget (e.g. 8 h per 30 days)', () => {
  const failing = (id: string, d: number, minutes: number) => run(id, d, 1000, 0, { verdict: 'fail', durationMs: minutes * 60_000 })

  it('spends the duration of every failing run in the window', () => {
    const report = budget(failing('now', 0, 60), [failing('h1', 1, 120), run('h2', 2, 1000, 0, { durationMs: 600 * 60_000 }), failing('old', 40, 600)], {
      breachBudget: '8h',
    })
    expect(report.breach).toEqual({
      budgetMs: 8 * 3_600_000,
      breachMs: 3 * 3_600_000,
      consumedPct: 37.5,
      remainingMs: 5 * 3_600_000,
      status: 'ok',
      runsBreached: 2,
    })
    expect(report.reason).toMatch(/; SLO breach 3h of 8h \(38%\)$/)
  })

  it.each([
    { minutes: 360, status: 'warning' },
    { minutes: 480, status: 'exhausted' },
    { minutes: 30, status: 'ok' },
  ])('$minutes minutes of breach in 8 h is $status', ({ minutes, status }) => {
    expect(budget(failing('now', 0, minutes), [], { breachBudget: '28800s' }).breach?.status).toBe(status)
  })

  it('is absent unless configured', () => {
    expect(budget(failing('now', 0, 60), []).breach).toBeUndefined()
  })
})
