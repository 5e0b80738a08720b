/**
 * Why a breached or regressed endpoint did, without any model: the shape of its latency change
 * against the base branch (the whole distribution, only the tail or the median, or errors instead), throughput
 * falling while latency rose (saturation), its failed answers by status or network error, and
 * what several flagged endpoints share (a path prefix, a tag, a category, a server). Pure: this
 * run's results, the base branch's runs and the run's failure counts in, a diagnosis out.
 */
import { median } from '../stats/descriptive.js'
import { fmtMs, fmtPct, fmtRelative } from '../format/numbers.js'
import { REGRESSION_DEFAULTS } from '../baseline/regression.js'
import type { TestPlan } from '../plan/plan.js'
import type { AnswerError, DiagnosisSection, DiagnosisShape, EndpointDiagnosis, ResultsFile, SharedTrait } from '../results/schema.js'

export type { AnswerError, DiagnosisShape, EndpointDiagnosis, SharedTrait }
/** The diagnosis of a run: the flagged endpoints, what they share, and every endpoint's failures. */
export type RunDiagnosis = DiagnosisSection

/** One kind of failed answer as the run counted it (before labels and comparison). */
export type FailureCount = Pick<AnswerError, 'code' | 'count' | 'codes' | 'retry_after'>

/** One endpoint's failed answers by kind: the script's counters (failure-counts.ts) or k6's tags (src/k6/stream-slis.ts). */
export interface EndpointFailures {
  endpoint: string
  errors: FailureCount[]
}

/** What an endpoint is, for finding what flagged endpoints share. */
export interface EndpointTraits {
  endpoint: string
  /** The path template, e.g. /reports/{id}. */
  path: string
  tags: readonly string[]
  category?: string
  /** Where its requests go (scheme://host[:port] or base URL). */
  server?: string
}

export interface DiagnosisInput {
  /**
   * This run's results after the baseline comparison: SLIs, SLO breaches and the regressions that
   * count (gating metrics), the ones the comment calls regressed.
   */
  results: Pick<ResultsFile, 'slis' | 'slo_breaches' | 'regressions'>
  /** The base branch's readable runs of the same load shape (the "before" figures are their medians). */
  history: readonly ResultsFile[]
  /** This run's failed answers per endpoint; endpoints without failures may be left out. */
  failures: readonly EndpointFailures[]
  /** Every planned endpoint's traits; without them nothing shared is looked for. */
  traits?: readonly EndpointTraits[]
}

/** A percentile or throughput moved when it changed by more than this fraction (the regression threshold) … */
export const MOVED_FRACTION = REGRESSION_DEFAULTS.relativeThreshold
/** … and by at least this many ms (sub-millisecond jitter on a fast endpoint is no shape). */
export const MOVED_FLOOR_MS = REGRESSION_DEFAULTS.latencyFloorMs
/** The error rate rose when it went up by at least this many percentage points. */
export const ERRORS_ROSE_PP = REGRESSION_DEFAULTS.errorRateFloorPp
/** Kinds of error named in the one-line headline; the rest are in the job summary. */
const HEADLINE_ERRORS = 3

const LABELS: Readonly<Record<string, string>> = {
  '400': 'bad_request',
  '401': 'unauthorized',
  '403': 'forbidden',
  '404': 'not_found',
  '405': 'method_not_allowed',
  '408': 'request_timeout',
  '409': 'conflict',
  '410': 'gone',
  '413': 'payload_too_large',
  '422': 'unprocessable',
  '429': 'rate_limited',
  '500': 'server_error',
  '501': 'not_implemented',
  '502': 'bad_gateway',
  '503': 'unavailable',
  '504': 'gateway_timeout',
  '4xx': 'client_error',
  '5xx': 'server_error',
  timeout: 'timeout',
  'connection-refused': 'connection_refused',
  'connection-reset': 'connection_reset',
  'network-error': 'network_error',
}

/** What a kind of failure means; a 503 that mostly says when to come back is a service over its capacity. */
export function errorLabel(error: FailureCount): string {
  if (error.code === '503' && error.retry_after * 2 >= error.count) return 'over_capacity'
  return LABELS[error.code] ?? (error.code.startsWith('4') ? 'client_error' : error.code.startsWith('5') ? 'server_error' : 'error')
}

/** Every breached or regressed endpoint of the run, diagnosed, with what they share. */
export function diagnoseEndpoints(input: DiagnosisInput): RunDiagnosis {
  const flagged = flaggedEndpoints(input.results)
  const failuresOf = new Map(input.failures.map((f) => [f.endpoint, f.errors]))
  const seenBefore = codesSeenBefore(input.history)
  const shared = sharedTraits([...flagged.keys()], input.traits ?? [])
  const endpoints = input.results.slis
    .filter((sli) => flagged.has(sli.endpoint))
    .map((sli) => {
      const errors = (failuresOf.get(sli.endpoint) ?? [])
        .filter((e) => e.count > 0)
        .map((e) => ({ ...e, label: errorLabel(e), new: !(seenBefore.get(sli.endpoint)?.has(e.code) ?? false) }))
        .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
      const diagnosis = diagnoseOne(sli, flagged.get(sli.endpoint)!, beforeOf(sli.endpoint, input.history), errors)
      const mine = shared.filter((t) => t.endpoints.includes(sli.endpoint)).map(traitText)
      return mine.length > 0 ? { ...diagnosis, shared: mine } : diagnosis
    })
  return {
    endpoints,
    shared,
    failures: input.failures
      .filter((f) => f.errors.some((e) => e.count > 0))
      .map((f) => ({ endpoint: f.endpoint, errors: f.errors.filter((e) => e.count > 0) })),
  }
}

type Flag = EndpointDiagnosis['flagged'][number]
type Sli = ResultsFile['slis'][number]

function flaggedEndpoints(results: DiagnosisInput['results']): Map<string, Flag[]> {
  const flagged = new Map<string, Flag[]>()
  const add = (endpoint: string, flag: Flag) => {
    const flags = flagged.get(endpoint) ?? []
    if (!flags.includes(flag)) flagged.set(endpoint, [...flags, flag])
  }
  for (const breach of results.slo_breaches) add(breach.endpoint, 'breached')
  for (const regression of results.regressions) add(regression.endpoint, 'regressed')
  return flagged
}

/** The base branch's figures of an endpoint: each the median over the runs that measured it. */
interface Before {
  avg_ms: number | null
  p50_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  rps: number | null
  error_rate_pct: number | null
}

function beforeOf(endpoint: string, history: readonly ResultsFile[]): Before {
  const slis = history.flatMap((run) => run.slis.filter((s) => s.endpoint === endpoint && s.requests > 0))
  const med = (metric: keyof Before): number | null => {
    const values = slis.map((s) => s[metric]).filter((v): v is number => v !== null)
    return values.length > 0 ? median(values) : null
  }
  return { avg_ms: med('avg_ms'), p50_ms: med('p50_ms'), p95_ms: med('p95_ms'), p99_ms: med('p99_ms'), rps: med('rps'), error_rate_pct: med('error_rate_pct') }
}

/** Per endpoint, the failure codes any base-branch run recorded. */
function codesSeenBefore(history: readonly ResultsFile[]): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>()
  for (const run of history) {
    for (const f of run.diagnosis?.failures ?? []) {
      const codes = seen.get(f.endpoint) ?? new Set<string>()
      for (const e of f.errors) codes.add(e.code)
      seen.set(f.endpoint, codes)
    }
  }
  return seen
}

function change(before: number | null, after: number | null): number | null {
  if (before === null || after === null || before <= 0) return null
  return round((after - before) / before)
}

function rose(before: number | null, after: number | null): boolean {
  const c = change(before, after)
  return c !== null && c > MOVED_FRACTION && after! - before! >= MOVED_FLOOR_MS
}

/** Answers that succeeded per second: a service past its capacity answers more, faster, with errors. */
function goodput(rps: number | null, errorRatePct: number | null): number | null {
  return rps === null ? null : rps * (1 - (errorRatePct ?? 0) / 100)
}

function diagnoseOne(sli: Sli, flagged: Flag[], before: Before, errors: AnswerError[]): EndpointDiagnosis {
  const latency = {
    p50: { before: before.p50_ms, after: sli.p50_ms, change: change(before.p50_ms, sli.p50_ms) },
    p95: { before: before.p95_ms, after: sli.p95_ms, change: change(before.p95_ms, sli.p95_ms) },
    p99: { before: before.p99_ms, after: sli.p99_ms, change: change(before.p99_ms, sli.p99_ms) },
  }
  const errorRate = { before: before.error_rate_pct, after: sli.error_rate_pct }
  const hasBaseline = before.p50_ms !== null || before.p95_ms !== null
  const p50Up = rose(before.p50_ms, sli.p50_ms)
  const tailUp = rose(before.p95_ms, sli.p95_ms) || rose(before.p99_ms, sli.p99_ms)
  const errorsUp = sli.error_rate_pct !== null && sli.error_rate_pct - (before.error_rate_pct ?? 0) >= ERRORS_ROSE_PP
  const goodBefore = goodput(before.rps, before.error_rate_pct)
  const goodAfter = goodput(sli.rps, sli.error_rate_pct)
  const throughputChange = change(goodBefore, goodAfter)
  const throughputFell = throughputChange !== null && throughputChange < -MOVED_FRACTION
  // A VU waits for each answer, so longer answers alone mean fewer of them: throughput × latency
  // (Little's law, the requests in service at once) is what falls when the service, not the
  // waiting, is the limit: refusals, or requests held back while others are served.
  const served = (good: number | null, avgMs: number | null) => (good === null || avgMs === null ? null : good * avgMs)
  const servedChange = change(served(goodBefore, before.avg_ms), served(goodAfter, sli.avg_ms))
  const saturated = throughputFell && servedChange !== null && servedChange < -MOVED_FRACTION
  const shape: DiagnosisShape = !hasBaseline
    ? 'no-baseline'
    : p50Up && tailUp
      ? 'whole-distribution'
      : tailUp
        ? 'tail'
        : p50Up
          ? 'median'
          : errorsUp
            ? 'errors'
            : throughputFell
              ? 'throughput'
              : 'unchanged'
  const latencyChange = Math.max(latency.p50.change ?? 0, latency.p95.change ?? 0)
  const saturation =
    saturated && (p50Up || tailUp)
      ? { rps_before: round(goodBefore!), rps_after: round(goodAfter!), rps_change: throughputChange, p95_change: round(latencyChange) }
      : undefined
  const diagnosis: EndpointDiagnosis = {
    endpoint: sli.endpoint,
    flagged,
    shape,
    headline: '',
    latency,
    error_rate_pct: errorRate,
    errors,
  }
  if (saturation) diagnosis.saturation = saturation
  diagnosis.headline = headline(diagnosis)
  return diagnosis
}

/** The one line the comment shows: "whole distribution +95 %: p50 150 → 301 ms, p99 +97 %; no new errors". */
export function headline(d: Pick<EndpointDiagnosis, 'shape' | 'latency' | 'error_rate_pct' | 'errors' | 'saturation'>): string {
  const { p50, p95, p99 } = d.latency
  const arrow = (p: typeof p50) => `${fmtMs(p.before)} → ${fmtMs(p.after)}`
  const plus = (c: number | null) => (c === null ? '' : `${c >= 0 ? '+' : '−'}${fmtRelative(Math.abs(c))}`)
  const p99Text = p99.change === null ? '' : `, p99 ${plus(p99.change)}`
  const parts: string[] = []
  switch (d.shape) {
    case 'whole-distribution':
      parts.push(`whole distribution ${plus(p95.change ?? p50.change)}: p50 ${arrow(p50)}${p99Text}`)
      break
    case 'tail': {
      // Fast failures (refusals) pull p50 down while the answers that were served wait longer.
      const median = p50.change !== null && p50.change < -MOVED_FRACTION ? `p50 down ${arrow(p50)}` : `p50 flat at ${fmtMs(p50.after)}`
      parts.push(`tail only: p95 ${arrow(p95)} (${plus(p95.change)})${p99Text}, ${median}`)
      break
    }
    case 'median':
      // The typical answer slowed while the slowest did not: the tail's own change says how flat it stayed.
      parts.push(`median ${plus(p50.change)}: p50 ${arrow(p50)}, tail unchanged${p95.change === null ? '' : ` (p95 ${plus(p95.change)})`}`)
      break
    case 'errors':
      parts.push(`errors instead of latency: error rate ${pct(d.error_rate_pct.before)} → ${pct(d.error_rate_pct.after)}, p95 ${plus(p95.change)}`)
      break
    case 'throughput':
      parts.push(`throughput only, latency flat: p95 ${plus(p95.change)}`)
      break
    case 'unchanged':
      parts.push(`no change beyond noise: p50 ${fmtMs(p50.after)}, p95 ${fmtMs(p95.after)}`)
      break
    case 'no-baseline':
      parts.push(`no baseline: p50 ${fmtMs(p50.after)}, p95 ${fmtMs(p95.after)}, p99 ${fmtMs(p99.after)}`)
      break
  }
  if (d.saturation)
    parts.push(`saturation: throughput ${plus(d.saturation.rps_change)} (${trim(d.saturation.rps_before)} → ${trim(d.saturation.rps_after)} ok/s)`)
  parts.push(errorsText(d.errors))
  return parts.join('; ')
}

/** "errors: 503 × 1,412 (over_capacity), retry-after present, 4xx × 12 (codes 405–418)", or "no new errors". */
export function errorsText(errors: readonly AnswerError[]): string {
  if (errors.length === 0) return 'no errors'
  const fresh = errors.filter((e) => e.new)
  const shown = (fresh.length > 0 ? fresh : errors).slice(0, HEADLINE_ERRORS)
  const more = (fresh.length > 0 ? fresh : errors).length - shown.length
  const items = shown.map(
    (e) =>
      `${e.code} × ${e.count.toLocaleString('en-US')} (${e.codes ? `codes ${e.codes.min}–${e.codes.max}` : e.label})${e.retry_after > 0 ? ', retry-after present' : ''}`,
  )
  const text = `${items.join(', ')}${more > 0 ? `, ${more} more kind${more === 1 ? '' : 's'}` : ''}`
  return fresh.length > 0 ? `errors: ${text}` : `no new errors (as before: ${text})`
}

/** Traits at least two flagged endpoints share; one every endpoint of the run has says nothing unless all were flagged. */
function sharedTraits(flagged: readonly string[], traits: readonly EndpointTraits[]): SharedTrait[] {
  if (flagged.length < 2 || traits.length === 0) return []
  const groups = new Map<string, SharedTrait>()
  const byTrait = new Map<string, string[]>()
  const note = (kind: SharedTrait['kind'], value: string | undefined, endpoint: string) => {
    if (!value) return
    const key = `${kind}\u0000${value}`
    byTrait.set(key, [...(byTrait.get(key) ?? []), endpoint])
    if (!groups.has(key)) groups.set(key, { kind, value, endpoints: [] })
  }
  for (const t of traits) {
    note('path-prefix', pathPrefix(t.path), t.endpoint)
    for (const tag of t.tags) note('tag', tag, t.endpoint)
    note('category', t.category, t.endpoint)
    note('server', t.server, t.endpoint)
  }
  const isFlagged = new Set(flagged)
  const allFlagged = traits.every((t) => isFlagged.has(t.endpoint))
  const shared: SharedTrait[] = []
  for (const [key, members] of byTrait) {
    const hit = members.filter((e) => isFlagged.has(e))
    if (hit.length < 2) continue
    if (members.length === traits.length && !allFlagged) continue
    shared.push({ ...groups.get(key)!, endpoints: hit })
  }
  return shared.sort((a, b) => b.endpoints.length - a.endpoints.length || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
}

const KIND_ORDER: ReadonlyArray<SharedTrait['kind']> = ['path-prefix', 'tag', 'category', 'server']

/** The first literal segment: /reports/{id}/pdf → /reports; none for a path that starts with a parameter. */
function pathPrefix(path: string): string | undefined {
  const first = path.split('/').filter((s) => s !== '')[0]
  return first === undefined || first.includes('{') ? undefined : `/${first}`
}

/** "path /reports/*", "tag inventory", "category critical", "server http://127.0.0.1:8080". */
export function traitText(trait: Pick<SharedTrait, 'kind' | 'value'>): string {
  return trait.kind === 'path-prefix' ? `path ${trait.value}/*` : `${trait.kind} ${trait.value}`
}

function pct(value: number | null): string {
  return fmtPct(value === null ? null : Math.round(value * 10) / 10)
}

function trim(n: number): string {
  return String(Math.round(n))
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

/**
 * The results file's diagnosis section: the flagged endpoints diagnosed, and every endpoint's
 * failures (kept so the next run can tell new error codes); undefined when there is neither.
 */
export function diagnosisSection(input: DiagnosisInput): RunDiagnosis | undefined {
  const diagnosis = diagnoseEndpoints(input)
  return diagnosis.endpoints.length > 0 || diagnosis.failures.length > 0 ? diagnosis : undefined
}

/** A plan's endpoints as traits: path, tags, category, and the origin their requests go to. */
export function planTraits(plan: Pick<TestPlan, 'endpoints' | 'baseUrl'>): EndpointTraits[] {
  return plan.endpoints.map((p) => {
    const base = p.server.kind === 'absolute' ? p.server.url : p.server.kind === 'base-origin' ? (originOf(plan.baseUrl) ?? plan.baseUrl) : plan.baseUrl
    return { endpoint: p.endpoint.key, path: p.endpoint.path, tags: p.endpoint.tags, category: p.category, server: originOf(base) }
  })
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}
