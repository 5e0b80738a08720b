/**
 * The `stress` and `spike` sections of the results file (declared in src/results/schema.ts): what
 * the stress and spike profiles found (src/verdict/phase-criteria.ts), in the file's snake_case.
 */
import type { SpanStats } from '../k6/timeline.js'
import type { SpikeSection, StressSection } from '../results/schema.js'
import type { SpikeReport, StressReport } from './phase-criteria.js'

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
    limits: {
      p95_ms: report.limits.p95Ms,
      error_rate_pct: report.limits.errorRatePct,
      throughput_drop_pct: Math.round((1 - report.limits.throughputFraction) * 100),
    },
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
