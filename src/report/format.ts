/** Text shared by every report (headline, icons, order), so the console, summary and comment agree; numbers: src/format/numbers.ts. */
import type { ResultsFile } from '../results/schema.js'

export const VERDICT_ICON = { pass: '✅', warn: '⚠️', fail: '❌', error: '💥' } as const
export const STATUS_ICON = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', 'no-data': '❔ no data', 'too-few-samples': '⏳ too few samples' } as const

const SEVERITY = { fail: 0, 'no-data': 1, warn: 2, 'too-few-samples': 3, pass: 4 } as const

/** Endpoints in the order a reader needs them: breached first, then warned, then the rest. */
export function slisByConcern(results: ResultsFile): ResultsFile['slis'] {
  return [...results.slis].sort((a, b) => SEVERITY[a.slo_status] - SEVERITY[b.slo_status])
}

/**
 * The report's first line: the verdict and what made it, counted ("1 SLO breach, 1 regression
 * against the baseline"); only what happened is named, never a count of zero.
 */
export function verdictHeadline(results: ResultsFile): string {
  // A capacity run's verdict is its answer (src/report/capacity.ts), not SLO breaches.
  if (results.capacity) return `Perf-Xi capacity: ${results.verdict.toUpperCase()} — ${results.reasons[0] ?? ''}`
  const breaches = results.slo_breaches.length
  const warns = results.slo_checks.filter((c) => c.status === 'warn').length
  const regressions = results.regressions.length
  const unjudged = results.slo_checks.filter((c) => c.status === 'too-few-samples').length
  const spike = results.spike
  const spikeMissed = spike
    ? [spike.spike_errors.status === 'fail' ? 'errors during the spike' : '', spike.recovery.status === 'fail' ? 'recovery' : ''].filter(Boolean)
    : []
  const spikeUnjudged = spike ? [spike.spike_errors, spike.recovery].filter((c) => c.status === 'no-data').length : 0
  const join = (parts: Array<string | false>) => parts.filter(Boolean).join(', ')
  // Drift counts in the verdict only when max-drift is set (src/verdict/drift.ts).
  const driftFailed = results.drift?.status === 'fail' && 'drift past max-drift'
  const driftUnjudged = results.drift?.status === 'too-few-windows' && results.drift.max_drift_pct !== null && 'drift not tested (too few windows)'
  const regressed = regressions > 0 && `${plural(regressions, 'regression', 'regressions')} against the baseline`
  const liveness = livenessFailures(results)
  const detail =
    results.verdict === 'error'
      ? results.reasons[0]
      : results.verdict === 'fail'
        ? join([
            ...liveness,
            (breaches > 0 || (spikeMissed.length === 0 && liveness.length === 0 && !regressed && !driftFailed)) &&
              plural(breaches, 'SLO breach', 'SLO breaches'),
            driftFailed,
            spikeMissed.length > 0 && `spike criteria missed (${spikeMissed.join(', ')})`,
            regressed,
          ])
        : results.verdict === 'warn'
          ? join([
              (warns > 0 || (spikeUnjudged === 0 && unjudged === 0 && !regressed && !driftUnjudged)) &&
                `${plural(warns, 'SLO limit', 'SLO limits')} within 10% of breaching`,
              unjudged > 0 && `${plural(unjudged, 'SLO limit', 'SLO limits')} not judged (too few samples)`,
              spikeUnjudged > 0 && `${spikeUnjudged} spike criteri${spikeUnjudged === 1 ? 'on' : 'a'} not judged (too few requests)`,
              regressed,
              driftUnjudged,
            ])
          : join([
              `${plural(results.slis.length, 'endpoint', 'endpoints')} within their SLOs${unjudged > 0 ? `; ${plural(unjudged, 'limit', 'limits')} not judged (too few samples)` : ''}`,
              results.baseline?.status === 'ok' && 'no regression against the baseline',
            ])
  return `Perf-Xi: ${results.verdict.toUpperCase()} — ${detail}`
}

/**
 * The reasons a report lists under its headline: none for a pass (the headline says it all), and
 * for an error all but the first, which the headline already names.
 */
export function reasonsBelowHeadline(results: ResultsFile): string[] {
  if (results.verdict === 'pass') return []
  return results.verdict === 'error' ? results.reasons.slice(1) : results.reasons
}

/** What the answers over time showed, as the headline names it: "2 endpoints stopped answering". */
function livenessFailures(results: ResultsFile): string[] {
  const failed = (results.liveness?.findings ?? []).filter((f) => f.status === 'fail')
  const count = (kind: string) => failed.filter((f) => f.kind === kind).length
  const silent = count('silence')
  const collapsed = count('collapse')
  return [
    silent > 0 &&
      (failed.some((f) => f.kind === 'silence' && f.endpoint === null)
        ? 'the API stopped answering'
        : `${plural(silent, 'endpoint', 'endpoints')} stopped answering`),
    collapsed > 0 && `answers collapsed (${plural(collapsed, 'finding', 'findings')})`,
    count('dropped') > 0 && 'requests k6 could not send',
  ].filter((part): part is string => typeof part === 'string')
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}
