/**
 * Error budgets over a rolling window, from the run history plus this run. Pure: results files in,
 * a report out; "now" is this run's finish time, never the clock. A request budget (allowed failures
 * = requests × (1 − target / 100)) and an optional breach-time budget (durations of failed runs);
 * status warning from warn-at consumed, exhausted from 100 %. Runs count once, by run id; unreadable
 * files and runs with verdict error are left out and listed.
 * The formulas: docs/baselines.md ("Error budgets").
 */
import type { BudgetStatus, ResultsFile } from '../results/schema.js'
import { parseWindowMs } from '../duration.js'
import { fmtCount, fmtRelative } from '../format/numbers.js'
import { ERROR_BUDGET_DEFAULTS } from './config.js'
import { isUnreadable, type HistoryEntry } from './regression.js'

export interface ErrorBudgetConfig {
  /** Rolling window: "30d", "7d", "12h", "1w", "1d12h", or milliseconds. */
  window: string | number
  /** Percent of requests that must succeed, e.g. 99.9. */
  target: number
  /** Optional SLO-breach budget per window: "8h", "28800s", or milliseconds. Default: none. */
  breachBudget?: string | number
  /** Percent consumed from which the status is warning. Default 75. */
  warnAtPct?: number
  /** End of the window. Default: this run's run.finished_at. */
  now?: string | Date
}

export interface BreachBudget {
  budgetMs: number
  /** Summed duration of the window's runs whose verdict was fail. */
  breachMs: number
  consumedPct: number
  remainingMs: number
  status: BudgetStatus
  runsBreached: number
}

export interface ErrorBudgetReport {
  window: { label: string; ms: number; from: string; to: string }
  target: number
  /** Runs inside the window that count (this run included). */
  runsCounted: number
  /** Readable runs that finished before the window opened, or after its end. */
  runsOutsideWindow: number
  /** Runs left out, with why: unreadable, the test did not run properly, a duplicate, no finish time. */
  skipped: Array<{ runId: string; reason: string }>
  /** Counted runs with requests but no recorded error rate: their requests count toward neither side. */
  runsWithoutErrorRate: number
  requests: number
  /** Failed requests the target allows over the window's requests (fractional). */
  allowedFailures: number
  failures: number
  /** failures / allowedFailures × 100; above 100 when overspent; Infinity when nothing was allowed but something failed. */
  consumedPct: number
  /** allowedFailures − failures, never below 0. */
  remainingFailures: number
  status: BudgetStatus
  breach?: BreachBudget
  /** One line for a human. */
  reason: string
}

function toMs(value: string | number, what: string): number {
  const ms = typeof value === 'number' ? value : parseWindowMs(value)
  if (ms === undefined || !(ms > 0) || !Number.isFinite(ms))
    throw new RangeError(`${what}: expected a duration such as 30d, 7d, 12h or 1w (or milliseconds), got ${JSON.stringify(value)}`)
  return ms
}

export function computeErrorBudget(current: ResultsFile, history: readonly HistoryEntry[], config: ErrorBudgetConfig): ErrorBudgetReport {
  const windowMs = toMs(config.window, 'error-budget.window')
  const breachBudgetMs = config.breachBudget === undefined ? undefined : toMs(config.breachBudget, 'error-budget.breach-budget')
  if (!(config.target > 0 && config.target <= 100))
    throw new RangeError(`error-budget.target: expected a percentage above 0 and at most 100, got ${config.target}`)
  const warnAt = config.warnAtPct ?? ERROR_BUDGET_DEFAULTS.warnAtPct
  const now = config.now === undefined ? Date.parse(current.run.finished_at) : new Date(config.now).getTime()
  if (!Number.isFinite(now)) throw new RangeError(`error budget: the end of the window is not a valid time (${String(config.now ?? current.run.finished_at)})`)
  const from = now - windowMs

  const skipped: Array<{ runId: string; reason: string }> = []
  const seen = new Set<string>()
  const counted: ResultsFile[] = []
  let outside = 0
  for (const entry of [current, ...history]) {
    if (isUnreadable(entry)) {
      skipped.push({ runId: entry.runId, reason: `unreadable: ${entry.reason}` })
      continue
    }
    const id = entry.run.id
    if (seen.has(id)) {
      if (entry !== current) skipped.push({ runId: id, reason: 'duplicate of a run already counted' })
      continue
    }
    seen.add(id)
    const finished = Date.parse(entry.run.finished_at)
    if (!Number.isFinite(finished)) skipped.push({ runId: id, reason: `finish time ${JSON.stringify(entry.run.finished_at)} is not a date` })
    else if (entry.verdict === 'error') skipped.push({ runId: id, reason: 'the test did not run properly (verdict error)' })
    else if (finished <= from || finished > now) outside++
    else counted.push(entry)
  }

  let requests = 0
  let failures = 0
  let withoutErrorRate = 0
  for (const run of counted) {
    const { requests_total: total, error_rate_pct: rate } = run.summary
    if (total <= 0) continue
    if (rate === null) {
      withoutErrorRate++
      continue
    }
    requests += total
    failures += Math.round((total * rate) / 100)
  }
  // Rounded to a millionth, so 99.9 % of 20,000 requests allows exactly 20 failures, not 19.99999999.
  const allowedFailures = Math.round(requests * (100 - config.target) * 10_000) / 1_000_000
  const consumedPct = allowedFailures > 0 ? (failures / allowedFailures) * 100 : failures > 0 ? Infinity : 0
  const status = statusOf(consumedPct, warnAt)
  const label = typeof config.window === 'string' ? config.window.trim() : formatSpan(windowMs)

  const report: ErrorBudgetReport = {
    window: { label, ms: windowMs, from: new Date(from).toISOString(), to: new Date(now).toISOString() },
    target: config.target,
    runsCounted: counted.length,
    runsOutsideWindow: outside,
    skipped,
    runsWithoutErrorRate: withoutErrorRate,
    requests,
    allowedFailures,
    failures,
    consumedPct,
    remainingFailures: Math.max(0, allowedFailures - failures),
    status,
    reason: '',
  }
  if (breachBudgetMs !== undefined) {
    const breached = counted.filter((run) => run.verdict === 'fail')
    const breachMs = breached.reduce((sum, run) => sum + Math.max(0, run.summary.duration_ms), 0)
    const pct = (breachMs / breachBudgetMs) * 100
    report.breach = {
      budgetMs: breachBudgetMs,
      breachMs,
      consumedPct: pct,
      remainingMs: Math.max(0, breachBudgetMs - breachMs),
      status: statusOf(pct, warnAt),
      runsBreached: breached.length,
    }
  }
  report.reason = describe(report)
  return report
}

function statusOf(consumedPct: number, warnAt: number): BudgetStatus {
  return consumedPct >= 100 ? 'exhausted' : consumedPct >= warnAt ? 'warning' : 'ok'
}

function describe(r: ErrorBudgetReport): string {
  const runs = `${r.runsCounted} run${r.runsCounted === 1 ? '' : 's'}`
  const allowed = fmtCount(r.allowedFailures)
  let text: string
  if (r.requests === 0) text = `error budget ${r.target}% over ${r.window.label}: no requests in the window yet (${runs})`
  else if (r.status === 'exhausted')
    text = `error budget ${r.target}% over ${r.window.label} exhausted: ${r.failures} failed requests against ${allowed} allowed (${formatPct(r.consumedPct)}) across ${runs}`
  else
    text = `error budget ${r.target}% over ${r.window.label}: ${r.failures} of ${allowed} allowed failed requests used (${formatPct(r.consumedPct)}), ${fmtCount(r.remainingFailures)} left, across ${runs}${r.status === 'warning' ? ' (warning)' : ''}`
  if (r.breach) {
    const b = r.breach
    text += `; SLO breach ${formatSpan(b.breachMs)} of ${formatSpan(b.budgetMs)} (${formatPct(b.consumedPct)}${b.status === 'ok' ? '' : `, ${b.status}`})`
  }
  return text
}

/** The share of the budget used: "52%", "9.4%". */
function formatPct(pct: number): string {
  return Number.isFinite(pct) ? fmtRelative(pct / 100) : 'nothing was allowed'
}

/** 90061000 → "1d1h1m1s"; under a second → "0s". */
function formatSpan(ms: number): string {
  let s = Math.round(ms / 1000)
  if (s === 0) return '0s'
  const parts: string[] = []
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(s / size)
    if (n > 0) parts.push(`${n}${unit}`)
    s -= n * size
  }
  return parts.join('')
}
