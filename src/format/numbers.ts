/**
 * How every figure reads, in every report, reason and message: one rule per kind of number, so a
 * p95 reads the same in the PR comment, the console, an annotation and a stress test's finding.
 * Measured figures keep three significant digits at most, trailing zeros dropped; limits read as
 * the user wrote them. A missing figure (null) reads "–".
 */

const MISSING = '–'

/** `value` with at most `decimals` decimals, trailing zeros dropped: 12.50 → "12.5", 2.00 → "2". */
export function trimNumber(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)))
}

/** A measured latency: "1.23 ms", "12.3 ms", "123 ms", "1.23 s", "2 s". */
export function fmtMs(ms: number | null): string {
  if (ms === null) return MISSING
  if (ms >= 1000) return `${trimNumber(ms / 1000, 2)} s`
  return `${trimNumber(ms, ms >= 100 ? 0 : ms >= 10 ? 1 : 2)} ms`
}

/** An error rate in percent: "0%", "<0.01%", "0.25%", "12.35%". */
export function fmtPct(pct: number | null): string {
  if (pct === null) return MISSING
  return pct === 0 ? '0%' : pct < 0.01 ? '<0.01%' : `${trimNumber(pct, 2)}%`
}

/** Requests per second: "12.5", "12", "123". */
export function fmtRps(rps: number | null): string {
  if (rps === null) return MISSING
  return trimNumber(rps, rps >= 100 ? 0 : 1)
}

/** A limit as configured (SLO thresholds, weights): as written, up to three decimals. */
export function fmtLimit(value: number): string {
  return trimNumber(value, 3)
}

/** A latency limit: "500 ms", "1 s", "1.5 s". */
export function fmtLimitMs(ms: number): string {
  return ms >= 1000 ? `${fmtLimit(ms / 1000)} s` : `${fmtLimit(ms)} ms`
}

/** A relative change, given as a fraction: 0.523 → "52%", 0.094 → "9.4%", ∞ → "∞%". */
export function fmtRelative(fraction: number): string {
  if (!Number.isFinite(fraction)) return '∞%'
  const pct = fraction * 100
  return `${trimNumber(pct, Math.abs(pct) >= 10 ? 0 : 1)}%`
}

/** A difference of two percentages, in percentage points: "0.25 pp", "12.5 pp". */
export function fmtPp(pp: number): string {
  return `${trimNumber(pp, Math.abs(pp) >= 10 ? 1 : 2)} pp`
}

/** A count that may be fractional (allowed failures of a budget): "12", "12.5". */
export function fmtCount(n: number): string {
  return Number.isInteger(n) ? String(n) : trimNumber(n, 1)
}

/** A wait or a timeout in prose: "0.5 s", "2 s", "7.5 s". */
export function fmtSeconds(ms: number): string {
  return `${trimNumber(ms / 1000, 1)} s`
}

/** A test's length: "45s", "2m", "2m30s". */
export function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}` : `${s}s`
}

/** A time from the test's start, as a reader lines it up with stages: "8s", "2m30s", "1.5s" below 10 s. */
export function fmtOffset(ms: number): string {
  if (ms < 10_000 && ms % 1000 !== 0) return `${trimNumber(ms / 1000, 1)}s`
  return fmtDuration(ms)
}

/** A window's length: "1.25s", "5s", "2m". */
export function fmtWindow(ms: number): string {
  return ms < 60_000 ? `${trimNumber(ms / 1000, 2)}s` : fmtDuration(ms)
}
