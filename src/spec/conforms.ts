/**
 * A small, lenient JSON Schema check: does a value conform to an OpenAPI / JSON Schema schema? Used
 * where the sampler chooses between candidates (a spec example that breaks its own schema, a `oneOf`
 * sample that must match exactly one branch). It answers `false` only for violations it is sure of:
 * unknown keywords and formats, unresolvable `$ref`s, nesting beyond MAX_DEPTH and patterns RE2
 * cannot run count as satisfied. No state beyond compiled patterns.
 * The keywords and formats checked: docs/requests.md ("Does a value fit its schema").
 */
import { specPattern } from './pattern.js'

export interface ConformOptions {
  resolveRef?: (ref: string) => unknown
  /** 'request': readOnly properties are not required (and may be absent). */
  direction?: 'request' | 'response'
  /**
   * Values travel as text (parameters, form bodies) and the API reads them back by the schema:
   * a primitive conforms when its text, or that text read as a number or boolean, does. So 1
   * fits both `integer` and `string`, and "10" fits `integer`.
   */
  coerce?: boolean
}

type Schema = Record<string, unknown>

const MAX_DEPTH = 32

export function conforms(value: unknown, schema: unknown, opts: ConformOptions = {}): boolean {
  return check(value, schema, opts, 0)
}

function check(value: unknown, node: unknown, opts: ConformOptions, depth: number): boolean {
  if (depth > MAX_DEPTH || node === true || node === undefined) return true
  if (node === false) return false
  if (!isObject(node)) return true
  let s: Schema = node
  for (let hops = 0; typeof s.$ref === 'string'; hops++) {
    if (hops > 16 || !opts.resolveRef) return true
    const target = opts.resolveRef(s.$ref)
    if (!isObject(target)) return true
    // Keywords beside a $ref apply too (3.1); checking both is the conservative reading.
    const { $ref: _ref, ...siblings } = s
    if (Object.keys(siblings).length > 0 && !check(value, siblings, opts, depth + 1)) return false
    s = target
  }

  if (opts.coerce && value !== null && typeof value !== 'object') {
    const strict = { ...opts, coerce: false }
    return asText(value).some((candidate) => check(candidate, s, strict, depth))
  }
  if (value === null && s.nullable === true) return true
  if (!checkType(value, s)) return false
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value))) return false
  if ('const' in s && !equal(s.const, value)) return false

  if (Array.isArray(s.allOf) && !s.allOf.every((b) => check(value, b, opts, depth + 1))) return false
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0 && !s.anyOf.some((b) => check(value, b, opts, depth + 1))) return false
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0 && countMatches(value, s.oneOf, opts, depth + 1, 2) !== 1) return false
  if (s.not !== undefined && isObject(s.not) && Object.keys(s.not).length > 0 && check(value, s.not, opts, depth + 1)) return false

  if (typeof value === 'string') return checkString(value, s)
  if (typeof value === 'number') return checkNumber(value, s)
  if (Array.isArray(value)) return checkArray(value, s, opts, depth)
  if (isObject(value)) return checkObject(value, s, opts, depth)
  return true
}

/** A primitive as the API may read it back from text: the text itself, and as a number or boolean. */
function asText(value: unknown): unknown[] {
  const text = String(value)
  const out: unknown[] = [text]
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) out.push(Number(text))
  if (text === 'true' || text === 'false') out.push(text === 'true')
  return out
}

/** How many of `branches` `value` matches, counting no further than `stopAt`. */
export function countMatches(value: unknown, branches: unknown[], opts: ConformOptions, depth = 0, stopAt = Infinity): number {
  let n = 0
  for (const b of branches) {
    if (check(value, b, opts, depth)) n++
    if (n >= stopAt) break
  }
  return n
}

function checkType(value: unknown, s: Schema): boolean {
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.filter((t): t is string => typeof t === 'string') : undefined
  if (!types || types.length === 0) return true
  return types.some((t) => {
    switch (t) {
      case 'null':
        return value === null
      case 'boolean':
        return typeof value === 'boolean'
      case 'string':
        return typeof value === 'string'
      case 'number':
        return typeof value === 'number' && Number.isFinite(value)
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value)
      case 'array':
        return Array.isArray(value)
      case 'object':
        return isObject(value)
      case 'file':
        return true
      default:
        return true
    }
  })
}

function checkString(value: string, s: Schema): boolean {
  const length = [...value].length
  if (typeof s.minLength === 'number' && length < s.minLength) return false
  if (typeof s.maxLength === 'number' && length > s.maxLength) return false
  if (typeof s.pattern === 'string') {
    const re = specPattern(s.pattern)
    if (re && !re.test(value)) return false
  }
  if (typeof s.format === 'string') {
    const test = FORMATS[s.format]
    if (test && !test(value)) return false
  }
  return true
}

function checkNumber(value: number, s: Schema): boolean {
  if (typeof s.minimum === 'number' && (s.exclusiveMinimum === true ? value <= s.minimum : value < s.minimum)) return false
  if (typeof s.maximum === 'number' && (s.exclusiveMaximum === true ? value >= s.maximum : value > s.maximum)) return false
  if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) return false
  if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) return false
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    const q = value / s.multipleOf
    if (Math.abs(q - Math.round(q)) > 1e-9) return false
  }
  if (s.format === 'int32' && (!Number.isInteger(value) || value < -2147483648 || value > 2147483647)) return false
  if (s.format === 'int64' && !Number.isInteger(value)) return false
  return true
}

function checkArray(value: unknown[], s: Schema, opts: ConformOptions, depth: number): boolean {
  if (typeof s.minItems === 'number' && value.length < s.minItems) return false
  if (typeof s.maxItems === 'number' && value.length > s.maxItems) return false
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined
  if (tuple) {
    for (let i = 0; i < Math.min(tuple.length, value.length); i++) if (!check(value[i], tuple[i], opts, depth + 1)) return false
  } else if (s.items !== undefined) {
    for (const item of value) if (!check(item, s.items, opts, depth + 1)) return false
  }
  if (s.uniqueItems === true) {
    for (let i = 0; i < value.length; i++) for (let j = i + 1; j < value.length; j++) if (equal(value[i], value[j])) return false
  }
  return true
}

function checkObject(value: Record<string, unknown>, s: Schema, opts: ConformOptions, depth: number): boolean {
  const properties = isObject(s.properties) ? s.properties : {}
  const keys = Object.keys(value)
  if (typeof s.minProperties === 'number' && keys.length < s.minProperties) return false
  if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) return false
  if (Array.isArray(s.required)) {
    for (const name of s.required) {
      if (typeof name !== 'string' || Object.hasOwn(value, name)) continue
      if (opts.direction === 'request' && isReadOnly(properties[name], opts)) continue
      return false
    }
  }
  const patterns = isObject(s.patternProperties) ? Object.entries(s.patternProperties) : []
  for (const key of keys) {
    if (Object.hasOwn(properties, key)) {
      if (!check(value[key], properties[key], opts, depth + 1)) return false
      continue
    }
    let matchedPattern = false
    for (const [pattern, sub] of patterns) {
      const re = specPattern(pattern)
      if (re && re.test(key)) {
        matchedPattern = true
        if (!check(value[key], sub, opts, depth + 1)) return false
      }
    }
    if (matchedPattern) continue
    if (s.additionalProperties === false) return false
    if (isObject(s.additionalProperties) && !check(value[key], s.additionalProperties, opts, depth + 1)) return false
  }
  return true
}

function isReadOnly(prop: unknown, opts: ConformOptions): boolean {
  let p = prop
  for (let i = 0; i < 16 && isObject(p) && typeof p.$ref === 'string'; i++) {
    if (p.readOnly === true) return true
    p = opts.resolveRef?.(p.$ref)
  }
  return isObject(p) && p.readOnly === true
}

// --- formats ------------------------------------------------------------------------------------

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
const TIME = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/i
const FORMATS: Readonly<Record<string, (v: string) => boolean>> = {
  date: (v) => DATE.test(v),
  time: (v) => TIME.test(v),
  'date-time': (v) => {
    const [date, time] = v.split(/[Tt ]/, 2)
    return date !== undefined && time !== undefined && DATE.test(date) && TIME.test(time) && /(z|[+-]\d\d:?\d\d)$/i.test(time)
  },
  uuid: (v) => /^(urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  ipv4: (v) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(v),
  ipv6: (v) => v.includes(':') && /^[0-9a-f:.]+$/i.test(v),
  uri: (v) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(v),
  duration: (v) => /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/.test(v),
  'json-pointer': (v) => v === '' || /^(\/([^/~]|~[01])*)*$/.test(v),
}

// --- helpers ------------------------------------------------------------------------------------

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => equal(v, (b as unknown[])[i]))
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal((a as Schema)[k], (b as Schema)[k]))
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
