/**
 * Escaping for the destinations of the exported load tests: Python source (the locustfile) and a
 * JMeter test plan (XML whose text JMeter itself evaluates for `${...}` functions).
 * Every value from the spec or the config reaches a generated file through one of these.
 */

/**
 * Characters that must not appear raw in generated source: C0 and C1 controls, DEL, the Unicode
 * line and paragraph separators, the byte-order mark and the bidirectional overrides and isolates
 * (which let text display in another order than it runs: "Trojan Source").
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]/g
const INVISIBLE_ONE = /^[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]$/

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0')
}

// ---------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------

const PY_SHORT: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * A Python 3 string literal (double-quoted) whose value is exactly `value`: quotes and backslashes
 * escaped, invisible characters and lone surrogates as `\xNN` / `\uNNNN` escapes, everything else
 * (printable non-ASCII included) as is, so the literal stays readable.
 */
export function pythonString(value: string): string {
  let out = '"'
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    const code = value.charCodeAt(i)
    if (PY_SHORT[ch] !== undefined) out += PY_SHORT[ch]
    else if (code < 0x100 && INVISIBLE_ONE.test(ch)) out += `\\x${hex(code, 2)}`
    else if (INVISIBLE_ONE.test(ch)) out += `\\u${hex(code, 4)}`
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length && isLowSurrogate(value.charCodeAt(i + 1))) {
      out += ch + value[i + 1]
      i++
    } else if (code >= 0xd800 && code <= 0xdfff)
      out += `\\u${hex(code, 4)}` // lone surrogate
    else out += ch
  }
  return `${out}"`
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}

/**
 * A JSON value as a Python literal (dict, list, str, int/float, True/False/None), indented by
 * `indent` spaces per level from `depth`, so `json.dumps` of it gives back the same JSON.
 */
export function pythonValue(value: unknown, indent = 4, depth = 0): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not representable in JSON: ${value}`)
    // JSON.stringify's spelling (1e+21, 0.1) is valid Python and reads back as the same number.
    return JSON.stringify(value)
  }
  if (typeof value === 'string') return pythonString(value)
  const pad = ' '.repeat(indent * (depth + 1))
  const end = ' '.repeat(indent * depth)
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map((v) => `${pad}${pythonValue(v, indent, depth + 1)},`).join('\n')}\n${end}]`
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    if (entries.length === 0) return '{}'
    return `{\n${entries.map(([k, v]) => `${pad}${pythonString(k)}: ${pythonValue(v, indent, depth + 1)},`).join('\n')}\n${end}}`
  }
  throw new Error(`not a JSON value: ${typeof value}`)
}

/** Text for a `#` comment: anything that could end the line or hide characters becomes a space. */
export function pythonComment(value: string): string {
  return value.replace(INVISIBLE, ' ')
}

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from global if ' +
    'import in is lambda nonlocal not or pass raise return try while with yield match case type _'
  ).split(' '),
)

/**
 * A readable snake_case Python identifier from an operationId or "method path", unique among
 * `taken` (which it joins) and never one of `reserved`.
 */
export function pythonIdentifier(source: string, taken: Set<string>, reserved: ReadonlySet<string> = new Set()): string {
  const words = source
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
  let base = words.map((w) => w.toLowerCase()).join('_') || 'operation'
  if (/^[0-9]/.test(base)) base = `op_${base}`
  if (PYTHON_KEYWORDS.has(base) || reserved.has(base) || base.startsWith('__')) base = `${base}_op`
  let name = base
  for (let n = 2; taken.has(name) || reserved.has(name); n++) name = `${base}_${n}`
  taken.add(name)
  return name
}

// ---------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
}

/** Characters XML 1.0 cannot carry at all, not even as character references. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Text for a double- or single-quoted XML attribute. Tab, newline and carriage return become
 * character references, so attribute-value normalisation cannot turn them into spaces. Throws on
 * characters XML 1.0 cannot represent (see {@link jmeterValue}, which never leaves any).
 */
export function xmlAttribute(value: string): string {
  assertXmlChars(value)
  return value.replace(/[&<>"'\t\n\r]/g, (ch) => XML_ENTITIES[ch]!)
}

/**
 * Text for XML element content: &, < and > escaped (quotes need no escaping there); tab, newline
 * and carriage return as character references, so a multi-line value stays one line of the file
 * (a template may indent the lines it writes, which must not reach inside a value) and a parser
 * cannot turn a carriage return into a newline. Throws like {@link xmlAttribute}.
 */
export function xmlText(value: string): string {
  assertXmlChars(value)
  return value.replace(/[&<>\t\n\r]/g, (ch) => XML_ENTITIES[ch]!)
}

function assertXmlChars(value: string): void {
  const bad = XML_FORBIDDEN.exec(value)
  if (bad) throw new Error(`U+${hex(bad[0].charCodeAt(0), 4).toUpperCase()} cannot be written in XML 1.0`)
}

// ---------------------------------------------------------------------------
// JMeter
// ---------------------------------------------------------------------------

/**
 * JMeter evaluates `${...}` (variables and functions such as `${__groovy(...)}`) in every string
 * property of a test plan, so text from a spec must never be able to form one. Its parser's rules
 * (FunctionParser.compileString):
 *  - a property with no function or variable in it is used exactly as written, backslashes included;
 *  - in a property with at least one, `\` escapes the next character: `\$`, `\,` and `\\` stand for
 *    `$`, `,` and `\`; before any other character the backslash is kept.
 * A part of a property is a literal string, a reference to a JMeter variable, or a trusted
 * expression built by Perf-Xi itself (a `${__groovy(...)}` call whose text holds no spec value).
 */
export type JmeterPart = string | { variable: string } | { trusted: string }

const JMETER_VARIABLE = /^[A-Za-z_][A-Za-z0-9_.]*$/

/**
 * A JMeter property value made of literal text, `${VARIABLE}` references and trusted expressions
 * (which must contain a function or variable reference themselves): literal text is
 * inert whatever it contains. With no reference and no `$`, the text is returned unchanged.
 * Otherwise the property is evaluated, so literal `\` and `,` are escaped, every `$` is written
 * `\$` (or `${__char(36)}` when the value has no reference, which is what makes JMeter evaluate
 * it), and characters XML cannot carry become `${__char(N)}`.
 */
export function jmeterValue(parts: readonly JmeterPart[]): string {
  for (const part of parts) {
    if (typeof part !== 'string' && 'variable' in part && !JMETER_VARIABLE.test(part.variable)) {
      throw new Error(`not a JMeter variable name: ${JSON.stringify(part.variable)}`)
    }
    if (typeof part !== 'string' && 'trusted' in part && !part.trusted.includes('${')) {
      throw new Error(`a trusted JMeter expression must call a function or name a variable: ${JSON.stringify(part.trusted)}`)
    }
  }
  const hasReference = parts.some((p) => typeof p !== 'string')
  const literal = parts.filter((p): p is string => typeof p === 'string').join('')
  const unrepresentable = new RegExp(XML_FORBIDDEN.source, 'g')
  if (!hasReference && !literal.includes('$') && !unrepresentable.test(literal)) return literal
  // Evaluated from here on: at least one function or variable is present once we are done.
  return parts
    .map((part) => {
      if (typeof part !== 'string') return 'variable' in part ? `\${${part.variable}}` : part.trusted
      return part.replace(new RegExp(`[\\\\,$]|${XML_FORBIDDEN.source}`, 'g'), (ch) => {
        if (ch === '\\' || ch === ',') return `\\${ch}`
        if (ch === '$') return hasReference ? '\\$' : '${__char(36)}'
        return `\${__char(${ch.charCodeAt(0)})}`
      })
    })
    .join('')
}

/** A literal JMeter property value: {@link jmeterValue} of one string. */
export function jmeterText(value: string): string {
  return jmeterValue([value])
}

/** Java's String.hashCode, which JMeter uses to name the entries of a collection property. */
export function javaHashCode(value: string): number {
  let hash = 0
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0
  return hash
}
