/**
 * Regular expressions taken from a spec (`pattern`, `patternProperties`), run by RE2JS, a
 * linear-time engine: a spec is input from outside, and a pattern that backtracks exponentially in
 * JavaScript's engine (beezup.com's URL pattern stalled the loader for 89 s) must not stall the gate.
 * A pattern RE2 cannot run (lookaround, backreferences) checks nothing: the values it constrains
 * count as matching, and `collectUnrunnablePatterns` lets the loader say so once.
 */
import { RE2JS } from 're2js'

/** A spec pattern as Perf-Xi runs it: `test` finds a match anywhere, as ECMA-262 `RegExp.test` does. */
export interface SpecPattern {
  test(text: string): boolean
}

const compiled = new Map<string, SpecPattern | { unrunnable: string }>()
let collector: Map<string, string> | undefined

/** The pattern compiled for linear-time matching, or undefined (recorded) when RE2 cannot run it. */
export function specPattern(source: string): SpecPattern | undefined {
  let entry = compiled.get(source)
  if (entry === undefined) {
    try {
      const re = RE2JS.compile(RE2JS.translateRegExp(source))
      entry = { test: (text: string) => re.test(text) }
    } catch (error) {
      entry = { unrunnable: unrunnableReason(error) }
    }
    compiled.set(source, entry)
  }
  if ('unrunnable' in entry) {
    collector?.set(source, entry.unrunnable)
    return undefined
  }
  return entry
}

function unrunnableReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/^error parsing regexp: /, '')
}

/**
 * Runs `read` (synchronous: the loader's conversion of a document) and returns what it produced
 * with the patterns it met that RE2 cannot run, each with RE2's reason.
 */
export function collectUnrunnablePatterns<T>(read: () => T): { value: T; unrunnable: Map<string, string> } {
  const outer = collector
  const unrunnable = new Map<string, string>()
  collector = unrunnable
  try {
    return { value: read(), unrunnable }
  } finally {
    collector = outer
    for (const [source, reason] of unrunnable) outer?.set(source, reason)
  }
}

/** One warning for all the patterns RE2 could not run, or undefined when there were none. */
export function unrunnablePatternsWarning(unrunnable: ReadonlyMap<string, string>): string | undefined {
  if (unrunnable.size === 0) return undefined
  const shown = [...unrunnable].slice(0, 3).map(([source, reason]) => `${JSON.stringify(clip(source))} (${reason})`)
  const more = unrunnable.size > shown.length ? ` and ${unrunnable.size - shown.length} more` : ''
  const count = unrunnable.size === 1 ? 'a pattern' : `${unrunnable.size} patterns`
  return (
    `the spec has ${count} Perf-Xi cannot run in linear time (lookaround or backreferences): ${shown.join(', ')}${more}; ` +
    `examples and generated values are not checked against ${unrunnable.size === 1 ? 'it' : 'them'}, so the API may refuse some of them`
  )
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
