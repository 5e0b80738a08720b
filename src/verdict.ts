/**
 * Verdict stage: SLIs judged against each endpoint's SLO.
 * Per limit: pass, warn (within 10 % of the limit), fail, no-data when k6 did not measure it, or
 * too-few-samples for a percentile from fewer samples than it needs (src/sample-minimums.ts): not
 * judged, named in the reasons, and a run in which no limit could be judged at all is a warning.
 * Overall: error when the test did not run properly or could not be judged, else the worst limit;
 * what the run showed over time (src/liveness.ts: an API that stopped answering) fails it too.
 */
import type { FailOn } from './config/schema.js'
import { fmtLimit, fmtLimitMs, fmtMs, fmtPct, fmtRps } from './format/numbers.js'
import type { SloLimits } from './slo-config.js'
import type { LimitSource, ResolvedSlo } from './plan/planned-endpoint.js'
import type { CriterionStatus, LimitStatus, Percentile, VerdictStatus, EndpointSli } from './results/schema.js'
import { MIN_SAMPLES } from './sample-minimums.js'
import type { RunSli } from './sli.js'

/** How close to a limit counts as a warning: within 10 % of it. */
export const WARN_MARGIN = 0.1

export interface SloCheck {
  endpoint: string
  limit: keyof SloLimits
  /** The limit as configured: ms for latencies, percent for error-rate, req/s for min-rps. */
  threshold: number
  actual: number | null
  status: LimitStatus
  source?: LimitSource
}

export interface Verdict {
  status: VerdictStatus
  /** Most important first: errors, then breaches (furthest over first), then warnings. */
  reasons: string[]
  checks: SloCheck[]
  /** Worst limit status per endpoint; "pass" for an endpoint with no SLO limits. */
  endpointStatus: Record<string, LimitStatus>
}

/** The SLI each SLO limit is judged on. */
export const SLI_FOR_LIMIT: Record<keyof SloLimits, keyof EndpointSli> = {
  p50: 'p50_ms',
  p90: 'p90_ms',
  p95: 'p95_ms',
  p99: 'p99_ms',
  max: 'max_ms',
  'error-rate': 'error_rate_pct',
  'min-rps': 'rps',
}

const SEVERITY: Record<LimitStatus, number> = { pass: 0, 'too-few-samples': 1, warn: 2, fail: 3, 'no-data': 4 }

export function judgeLimit(limit: keyof SloLimits, threshold: number, actual: number | null): LimitStatus {
  if (actual === null) return 'no-data'
  if (limit === 'min-rps') {
    if (actual < threshold) return 'fail'
    return actual < threshold * (1 + WARN_MARGIN) ? 'warn' : 'pass'
  }
  if (actual >= threshold) return 'fail'
  return actual >= threshold * (1 - WARN_MARGIN) ? 'warn' : 'pass'
}

export interface EvaluationInput {
  slis: readonly EndpointSli[]
  total: RunSli
  slos: ReadonlyMap<string, ResolvedSlo>
  /** Set when k6 did not run properly: the verdict is error whatever the numbers say. */
  runError?: string
  /**
   * What was judged on the run over time (src/liveness.ts): a `fail` (the API stopped answering)
   * leads the breaches and fails its endpoint; an `error` (the test did not run as planned) makes
   * the verdict an error.
   */
  findings?: ReadonlyArray<{ status: 'fail' | 'error'; endpoint: string | null; reason: string }>
}

export function evaluateSlos(input: EvaluationInput): Verdict {
  const checks: SloCheck[] = []
  const endpointStatus: Record<string, LimitStatus> = {}
  for (const sli of input.slis) {
    const slo = input.slos.get(sli.endpoint)
    let worst: LimitStatus = 'pass'
    for (const [limit, threshold] of Object.entries(slo?.limits ?? {}) as Array<[keyof SloLimits, number | undefined]>) {
      if (threshold === undefined) continue
      const actual = sli.requests > 0 ? (sli[SLI_FOR_LIMIT[limit]] as number | null) : null
      const tooFew = (sli.too_few_samples as readonly string[] | undefined)?.includes(limit) === true
      const status = tooFew ? 'too-few-samples' : judgeLimit(limit, threshold, actual)
      checks.push({ endpoint: sli.endpoint, limit, threshold, actual, status, source: slo?.sources[limit] })
      if (SEVERITY[status] > SEVERITY[worst]) worst = status
    }
    endpointStatus[sli.endpoint] = worst
  }
  const findings = input.findings ?? []
  for (const finding of findings) {
    if (finding.status === 'fail' && finding.endpoint !== null && endpointStatus[finding.endpoint] !== 'no-data') endpointStatus[finding.endpoint] = 'fail'
  }

  const errors: string[] = []
  if (input.runError) errors.push(input.runError)
  else if (input.total.requests === 0) errors.push('k6 made no requests: the test did not exercise the API')
  else if (input.total.error_rate_pct === 100) errors.push(`every one of ${input.total.requests} requests failed: the target answers only errors`)
  const sliByEndpoint = new Map(input.slis.map((s) => [s.endpoint, s]))
  errors.push(...findings.filter((f) => f.status === 'error').map((f) => f.reason))
  // An endpoint without requests is said once, not once per limit of its SLO.
  const unmeasured = new Set<string>()
  for (const check of checks.filter((c) => c.status === 'no-data')) {
    const sli = sliByEndpoint.get(check.endpoint)
    if (sli && sli.requests === 0) {
      if (!unmeasured.has(check.endpoint))
        errors.push(`${check.endpoint}: no requests were measured, so its SLO cannot be judged (lengthen the test or raise vus)`)
      unmeasured.add(check.endpoint)
    } else errors.push(`${check.endpoint}: k6 did not report ${check.limit} (its machine-readable summary has no such statistic), so that SLO cannot be judged`)
  }
  const breaches = checks.filter((c) => c.status === 'fail').sort((a, b) => overshoot(b) - overshoot(a))
  const warnings = checks.filter((c) => c.status === 'warn').sort((a, b) => overshoot(b) - overshoot(a))
  const stopped = findings.filter((f) => f.status === 'fail').map((f) => f.reason)
  const unjudged = checks.filter((c) => c.status === 'too-few-samples')
  const reasons = [...errors, ...stopped, ...breaches.map(describeCheck), ...warnings.map(describeCheck), ...tooFewReasons(unjudged, sliByEndpoint)]

  const failed = breaches.length > 0 || stopped.length > 0
  const nothingJudged = unjudged.length > 0 && unjudged.length === checks.length
  const status: VerdictStatus = errors.length > 0 ? 'error' : failed ? 'fail' : warnings.length > 0 || nothingJudged ? 'warn' : 'pass'
  const judged = checks.length - unjudged.length
  if (status === 'pass') reasons.push(checks.length > 0 ? `all ${judged} SLO limits held` : 'no SLO limits were set')
  return { status, reasons, checks, endpointStatus }
}

/** One reason per endpoint with percentiles not judged: how many samples it had, how many each needs. */
function tooFewReasons(checks: readonly SloCheck[], slis: ReadonlyMap<string, EndpointSli>): string[] {
  const byEndpoint = new Map<string, string[]>()
  for (const c of checks) byEndpoint.set(c.endpoint, [...(byEndpoint.get(c.endpoint) ?? []), c.limit])
  return [...byEndpoint].map(([endpoint, limits]) => {
    const needs = limits.map((l) => `${l} ${MIN_SAMPLES[l as Percentile]}`).join(', ')
    const samples = slis.get(endpoint)?.requests ?? 0
    return `${endpoint}: ${limits.join(' and ')} not judged: too few samples (${samples}; needed: ${needs}); lengthen the test or raise vus`
  })
}

/**
 * A load profile's own pass criterion (spike: errors during the spike, recovery time), judged on the
 * run's timeline. It counts like an SLO limit: a failure makes the verdict fail, so fail-on slo and
 * both fail the step on it and regression and never do not (gateFails); one that could not be
 * judged (too few requests) makes a pass a warning, since nobody could vouch for it.
 */
export interface ProfileCriterion {
  status: CriterionStatus
  /** One sentence naming the figure and the limit. */
  reason: string
}

/**
 * The SLO verdict with the profile's criteria added. Failed criteria lead the reasons (an error
 * verdict stays an error, its own reasons first); criteria not judged follow the rest; criteria met
 * are noted last.
 */
export function withProfileCriteria(verdict: Verdict, criteria: readonly ProfileCriterion[]): Verdict {
  const failed = criteria.filter((c) => c.status === 'fail').map((c) => c.reason)
  const unjudged = criteria.filter((c) => c.status === 'no-data').map((c) => c.reason)
  const met = criteria.filter((c) => c.status === 'pass').map((c) => c.reason)
  let status = verdict.status
  if (status !== 'error') {
    if (failed.length > 0) status = 'fail'
    else if (unjudged.length > 0 && status === 'pass') status = 'warn'
  }
  // "all N SLO limits held" no longer sums up a run whose criteria failed or went unjudged.
  const rest = status === 'pass' ? verdict.reasons : verdict.reasons.filter((r) => !/^(all \d+ SLO limits held|no SLO limits were set)$/.test(r))
  const reasons = verdict.status === 'error' ? [...rest, ...failed, ...unjudged, ...met] : [...failed, ...rest, ...unjudged, ...met]
  return { ...verdict, status, reasons }
}

/**
 * Whether the step fails for this SLO verdict, as fail-on says. A test that did not run properly
 * fails unless fail-on is never; regressions are judged later, with the baseline (baseline/judge.ts).
 */
export function gateFails(status: VerdictStatus, failOn: FailOn): boolean {
  if (failOn === 'never') return false
  if (status === 'error') return true
  return status === 'fail' && (failOn === 'slo' || failOn === 'both')
}

/** How far past (or how close to) its limit a check is, relative to the limit. */
function overshoot(check: SloCheck): number {
  if (check.actual === null || check.threshold === 0) return Infinity
  const ratio = check.actual / check.threshold
  return check.limit === 'min-rps' ? 1 / Math.max(ratio, 1e-9) : ratio
}

/** A measured figure of the kind the limit bounds, as the reports show it. */
function formatFigure(limit: keyof SloLimits, value: number): string {
  if (limit === 'error-rate') return fmtPct(value)
  if (limit === 'min-rps') return `${fmtRps(value)} req/s`
  return fmtMs(value)
}

/** A limit as configured. */
function formatLimit(limit: keyof SloLimits, value: number): string {
  if (limit === 'error-rate') return `${fmtLimit(value)}%`
  if (limit === 'min-rps') return `${fmtLimit(value)} req/s`
  return fmtLimitMs(value)
}

export function describeCheck(check: SloCheck): string {
  const actual = check.actual === null ? 'not measured' : formatFigure(check.limit, check.actual)
  const comparison = check.limit === 'min-rps' ? '≥' : '<'
  const label =
    check.status === 'fail'
      ? 'breached'
      : check.status === 'warn'
        ? 'close to its limit'
        : check.status === 'too-few-samples'
          ? 'not judged (too few samples)'
          : check.status
  return `${check.endpoint}: ${check.limit} ${actual} ${label} (SLO ${comparison} ${formatLimit(check.limit, check.threshold)})`
}
