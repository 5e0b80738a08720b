/**
 * Durations as a config file writes them: "500ms", "30s", "1m30s" (a bare number is milliseconds)
 * for the test's settings, and windows such as "30d" or "1w" for error budgets. A leaf.
 */
import { z } from 'zod'

const DURATION_PATTERN = /^(\d+(\.\d+)?(ms|s|m|h))+$/
const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** "1m30s" → 90000. Numbers are milliseconds. Returns undefined for anything else. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text)
  if (!DURATION_PATTERN.test(text)) return undefined
  let total = 0
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * DURATION_UNIT_MS[unit]
  }
  return total
}

/** A duration setting; with `bound`, values above bound.maxMs are refused with bound.message. */
export const durationMs = (what: string, bound?: { maxMs: number; message: (ms: number) => string }) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = parseDuration(value)
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${what}: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got ${JSON.stringify(value)}`,
      })
      return z.NEVER
    }
    if (bound && ms > bound.maxMs) {
      ctx.addIssue({ code: 'custom', message: bound.message(ms) })
      return z.NEVER
    }
    return ms
  })

const WINDOW_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
const WINDOW_PATTERN = /^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/

/**
 * Grammar: one or more `<number><unit>`, unit one of ms, s, m (minutes), h, d, w; e.g. "30d",
 * "1w", "1d12h", "28800s". A bare number is not accepted: its unit would be a guess.
 * Returns milliseconds, or undefined when the text does not match or is zero.
 */
export function parseWindowMs(text: string): number | undefined {
  const trimmed = text.trim()
  if (!WINDOW_PATTERN.test(trimmed)) return undefined
  let total = 0
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(amount) * WINDOW_UNIT_MS[unit]
  return total > 0 ? total : undefined
}
