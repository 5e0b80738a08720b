/** Numbers as every report shows them (milliseconds, percentages, rates, durations). A leaf: every layer may use it. */

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
