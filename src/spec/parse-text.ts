/**
 * The text of a spec or of a file one of its `$ref`s reads → a value. JSON fast path, else YAML
 * as swagger-parser reads it (JSON schema: dates and `yes` stay strings) plus `<<` merge keys.
 * A failure says what is wrong and where (line, column), never quoting the text itself.
 */
import jsYaml from 'js-yaml'

const YAML_SCHEMA = jsYaml.JSON_SCHEMA.extend({
  implicit: [new jsYaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' })],
})

export class MalformedTextError extends Error {
  constructor(
    /** What the text was taken for. */
    readonly format: 'JSON' | 'YAML',
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`malformed ${format}: ${reason}${line === undefined ? '' : ` (${line}:${column})`}`)
    this.name = 'MalformedTextError'
  }
}

/** Parses JSON or YAML (a byte-order mark is skipped). Empty text is `undefined`. */
export function parseSpecText(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  const looksJson = /^\s*[{[]/.test(text)
  if (looksJson) {
    try {
      return JSON.parse(text) as unknown
    } catch {
      // Parsed again below as YAML (a superset of JSON), whose errors carry a line and column
      // (JSON.parse's own message quotes the text).
    }
  }
  try {
    return jsYaml.load(text, { schema: YAML_SCHEMA })
  } catch (err) {
    // `reason` is js-yaml's message without the snippet of the text it appends to `message`.
    const e = err as { reason?: string; mark?: { line: number; column: number } }
    const reason = (e.reason ?? 'cannot parse').split('\n')[0]!.trim()
    throw new MalformedTextError(looksJson ? 'JSON' : 'YAML', reason, e.mark && e.mark.line + 1, e.mark && e.mark.column + 1)
  }
}
