/**
 * The `stress` and `spike` sections of the results file: what the stress and spike profiles found
 * (src/verdict/phase-criteria.ts), in the file's snake_case. Both are `.nullable().default(null)` in
 * the results schema, so results written before they existed still parse.
 */
import { z } from 'zod'
import type { SpanStats } from '../k6/timeline.js'
import type { SpikeReport, StressReport } from './phase-criteria.js'

const nullableNumber = z.number().nullable()
const LOAD_UNIT = z.enum(['VUs', 'iterations/s'])
const CRITERION_STATUS = z.enum(['pass', 'fail', 'no-data'])

/** Requests, throughput, p95, errors and the VUs k6 reported over a stretch of the run. */
const spanShape = {
  requests: z.number(),
  rps: nullableNumber,
  p95_ms: nullableNumber,
  error_rate_pct: nullableNumber,
  vus_max: nullableNumber,
}

export const StressSectionSchema = z.object({
  /** found, not-found, or too-few-requests (no window had enough requests to judge). */
  status: z.enum(['found', 'not-found', 'too-few-requests']),
  window_ms: z.number(),
  unit: LOAD_UNIT,
  breaking_point: z
    .object({
      at_ms: z.number(),
      /** The VUs k6 reported then. */
      vus: nullableNumber,
      /** The planned load then (VUs or iterations/s, as unit says). */
      target: z.number(),
      criterion: z.enum(['p95', 'error-rate', 'throughput']),
      /** ms for p95, percent for error-rate, req/s for throughput. */
      value: z.number(),
      limit: z.number(),
    })
    .nullable(),
  /** What counted as the breaking point (the design's numbers unless the config's stress: block says otherwise). */
  limits: z.object({ p95_ms: z.number(), error_rate_pct: z.number(), throughput_drop_pct: z.number() }).nullable().default(null),
  /** The highest throughput of any window before the breaking point (of the whole ramp when none). */
  peak_throughput: z.object({ rps: z.number(), at_ms: z.number(), vus: nullableNumber, target: z.number() }).nullable(),
  recovery: z.object({
    status: z.enum(['recovered', 'not-recovered', 'too-few-requests', 'no-recovery-stage']),
    after_ms: nullableNumber,
    reason: z.string(),
  }),
  /** Each stage of the plan with what was measured in it. */
  steps: z.array(
    z.object({
      stage: z.number(),
      from_ms: z.number(),
      to_ms: z.number(),
      start_target: z.number(),
      target: z.number(),
      kind: z.enum(['ramp-up', 'hold', 'ramp-down']),
      ...spanShape,
      breaking: z.boolean(),
    }),
  ),
  reason: z.string(),
})
export type StressSection = z.infer<typeof StressSectionSchema>

export const SpikeSectionSchema = z.object({
  /** The worst of the two criteria: fail fails the gate (as fail-on says), no-data warns. */
  status: CRITERION_STATUS,
  window_ms: z.number(),
  unit: LOAD_UNIT,
  phases: z.array(z.object({ name: z.enum(['before', 'spike', 'recovery']), from_ms: z.number(), to_ms: z.number(), target: z.number(), ...spanShape })),
  baseline: z.object({ p95_ms: z.number(), error_rate_pct: z.number(), requests: z.number() }).nullable(),
  spike_errors: z.object({
    status: CRITERION_STATUS,
    error_rate_pct: nullableNumber,
    limit_pct: z.number(),
    requests: z.number(),
    failed: z.number(),
    reason: z.string(),
  }),
  recovery: z.object({
    status: CRITERION_STATUS,
    after_ms: nullableNumber,
    limit_ms: z.number(),
    p95_limit_ms: nullableNumber,
    error_limit_pct: nullableNumber,
    reason: z.string(),
  }),
})
export type SpikeSection = z.infer<typeof SpikeSectionSchema>

function span(stats: SpanStats) {
  return { requests: stats.requests, rps: stats.rps, p95_ms: stats.p95Ms, error_rate_pct: stats.errorRatePct, vus_max: stats.vusMax }
}

export function stressSection(report: StressReport): StressSection {
  const b = report.breakingPoint
  const t = report.peakThroughput
  return {
    status: report.status,
    window_ms: report.windowMs,
    unit: report.unit,
    breaking_point: b ? { at_ms: b.atMs, vus: b.vus, target: b.target, criterion: b.criterion, value: b.value, limit: b.limit } : null,
    limits: { p95_ms: report.limits.p95Ms, error_rate_pct: report.limits.errorRatePct, throughput_drop_pct: Math.round((1 - report.limits.throughputFraction) * 100) },
    peak_throughput: t ? { rps: t.rps, at_ms: t.atMs, vus: t.vus, target: t.target } : null,
    recovery: { status: report.recovery.status, after_ms: report.recovery.afterMs, reason: report.recovery.reason },
    steps: report.steps.map((s) => ({
      stage: s.stage,
      from_ms: s.fromMs,
      to_ms: s.toMs,
      start_target: s.startTarget,
      target: s.target,
      kind: s.kind,
      ...span(s.stats),
      breaking: s.breaking,
    })),
    reason: report.reason,
  }
}

export function spikeSection(report: SpikeReport): SpikeSection {
  const { spikeErrors: e, recovery: r } = report
  return {
    status: report.status,
    window_ms: report.windowMs,
    unit: report.unit,
    phases: report.phases.map((p) => ({ name: p.name, from_ms: p.fromMs, to_ms: p.toMs, target: p.target, ...span(p.stats) })),
    baseline: report.baseline ? { p95_ms: report.baseline.p95Ms, error_rate_pct: report.baseline.errorRatePct, requests: report.baseline.requests } : null,
    spike_errors: { status: e.status, error_rate_pct: e.errorRatePct, limit_pct: e.limitPct, requests: e.requests, failed: e.failed, reason: e.reason },
    recovery: { status: r.status, after_ms: r.afterMs, limit_ms: r.limitMs, p95_limit_ms: r.p95LimitMs, error_limit_pct: r.errorLimitPct, reason: r.reason },
  }
}
