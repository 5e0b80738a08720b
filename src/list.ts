/** Lists written as one action input: items separated by commas or newlines, as GitHub's own multi-value inputs are. */

/** "a, b\nc" → ["a", "b", "c"]: each item trimmed, empty items (a trailing comma, a blank line) left out. */
export function splitList(value: string | undefined): string[] {
  if (!value) return []
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}
