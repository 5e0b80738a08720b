/** The words and figures of a regression comparison: labels, changes and the report's headline. */
import { fmtMs, fmtPct, fmtPp, fmtRelative, fmtRps } from '../format/numbers.js'
import type { RegressionMetric } from './regression-metrics.js'

const LABELS: Record<RegressionMetric, string> = {
  p50_ms: 'p50',
  p90_ms: 'p90',
  p95_ms: 'p95',
  p99_ms: 'p99',
  max_ms: 'max',
  avg_ms: 'avg',
  error_rate_pct: 'errors',
  rps: 'throughput',
}

export function label(metric: RegressionMetric): string {
  return LABELS[metric]
}

export function fmt(metric: RegressionMetric, value: number): string {
  if (metric === 'error_rate_pct') return fmtPct(value)
  if (metric === 'rps') return `${fmtRps(value)} req/s`
  return fmtMs(value)
}

export function fmtAbs(metric: RegressionMetric, value: number): string {
  return metric === 'error_rate_pct' ? fmtPp(value) : fmt(metric, value)
}

export function changeText(metric: RegressionMetric, relative: number | null, absolute: number | null): string {
  if (metric === 'error_rate_pct') return absolute === null ? 'no change measured' : `${absolute >= 0 ? '+' : '-'}${fmtPp(Math.abs(absolute))}`
  if (relative === null) return 'no change measured'
  return `${relative >= 0 ? '+' : '-'}${fmtRelative(Math.abs(relative))}`
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** "p95 150 ms", or with several current runs "p95 150 ms over 2 runs (148 ms, 152 ms)". */
export function currentText(metric: RegressionMetric, current: number, now: ReadonlyArray<{ value: number }>): string {
  const base = `${label(metric)} ${fmt(metric, current)}`
  return now.length > 1 ? `${base} over ${now.length} runs (${now.map((s) => fmt(metric, s.value)).join(', ')})` : base
}
