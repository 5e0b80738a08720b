/** Number and text formatting shared by every report, so the console, summary and comment agree. */
import type { ResultsFile } from '../results.js'


export function fmtMs(value: number | null): string {
  if (value === null) return '–'
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`
  if (value >= 100) return `${value.toFixed(0)} ms`
  if (value >= 10) return `${value.toFixed(1)} ms`
  return `${value.toFixed(2)} ms`
}

export function fmtPct(value: number | null): string {
  if (value === null) return '–'
  return value === 0 ? '0%' : value < 0.01 ? '<0.01%' : `${Number(value.toFixed(2))}%`
}

export function fmtRps(value: number | null): string {
  if (value === null) return '–'
  return value >= 100 ? value.toFixed(0) : value.toFixed(1)
}

export function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}` : `${s}s`
}

export const VERDICT_ICON = { pass: '✅', warn: '⚠️', fail: '❌', error: '💥' } as const
export const STATUS_ICON = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', 'no-data': '❔ no data', 'too-few-samples': '⏳ too few samples' } as const

const SEVERITY = { fail: 0, 'no-data': 1, warn: 2, 'too-few-samples': 3, pass: 4 } as const

/** Endpoints in the order a reader needs them: breached first, then warned, then the rest. */
export function slisByConcern(results: ResultsFile): ResultsFile['slis'] {
  return [...results.slis].sort((a, b) => SEVERITY[a.slo_status] - SEVERITY[b.slo_status])
}

export function verdictHeadline(results: ResultsFile): string {
  const breaches = results.slo_breaches.length
  const warns = results.slo_checks.filter((c) => c.status === 'warn').length
  const unjudged = results.slo_checks.filter((c) => c.status === 'too-few-samples').length
  const spike = results.spike
  const spikeMissed = spike ? [spike.spike_errors.status === 'fail' ? 'errors during the spike' : '', spike.recovery.status === 'fail' ? 'recovery' : ''].filter(Boolean) : []
  const spikeUnjudged = spike ? [spike.spike_errors, spike.recovery].filter((c) => c.status === 'no-data').length : 0
  const join = (parts: Array<string | false>) => parts.filter(Boolean).join(', ')
  const liveness = livenessFailures(results)
  const detail =
    results.verdict === 'error'
      ? results.reasons[0]
      : results.verdict === 'fail'
        ? join([
            ...liveness,
            (breaches > 0 || (spikeMissed.length === 0 && liveness.length === 0)) && `${breaches} SLO breach${breaches === 1 ? '' : 'es'}`,
            spikeMissed.length > 0 && `spike criteria missed (${spikeMissed.join(', ')})`,
          ])
        : results.verdict === 'warn'
          ? join([
              (warns > 0 || (spikeUnjudged === 0 && unjudged === 0)) && `${warns} SLO limit${warns === 1 ? '' : 's'} within 10% of breaching`,
              unjudged > 0 && `${unjudged} SLO limit${unjudged === 1 ? '' : 's'} not judged (too few samples)`,
              spikeUnjudged > 0 && `${spikeUnjudged} spike criteri${spikeUnjudged === 1 ? 'on' : 'a'} not judged (too few requests)`,
            ])
          : `${results.slis.length} endpoint${results.slis.length === 1 ? '' : 's'} within their SLOs${unjudged > 0 ? `; ${unjudged} limit${unjudged === 1 ? '' : 's'} not judged (too few samples)` : ''}`
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
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  const silent = count('silence')
  const collapsed = count('collapse')
  return [
    silent > 0 && (failed.some((f) => f.kind === 'silence' && f.endpoint === null) ? 'the API stopped answering' : `${plural(silent, 'endpoint', 'endpoints')} stopped answering`),
    collapsed > 0 && `answers collapsed (${plural(collapsed, 'finding', 'findings')})`,
    count('dropped') > 0 && 'requests k6 could not send',
  ].filter((part): part is string => typeof part === 'string')
}

/** A time from the test's start, as a reader lines it up with stages: "8s", "2m30s", "1.5s" below 10 s. */
export function fmtOffset(ms: number): string {
  if (ms < 10_000 && ms % 1000 !== 0) return `${Number((ms / 1000).toFixed(1))}s`
  return fmtDuration(ms)
}
