/**
 * Deterministic example values from OpenAPI / JSON Schema schemas: the schema's own `example`,
 * `examples[0]`, `default`, first non-null `enum` value or `const` when it conforms (`conforms`),
 * else a value synthesized from `type`, `format` (or a name hint) and the constraints. `allOf`
 * merged, `oneOf` the first branch whose sample matches exactly one, discriminators set; a recursive
 * `$ref` ends after one level, `maxDepth` bounds the rest. Same schema in, same value out.
 * The order of preference and the rules: docs/requests.md ("Example values").
 */

import { conforms, countMatches } from './conforms.js'
import { specPattern } from './pattern.js'
import { disambiguate } from './disambiguate.js'

export interface SampleOptions {
  /**
   * 'request' leaves out readOnly properties, 'response' leaves out writeOnly ones.
   * Default: neither is left out.
   */
  direction?: 'request' | 'response'
  /** Resolves a `$ref` string to the schema it names. Default: none, so `$ref`s give no value. */
  resolveRef?: (ref: string) => unknown
  /** Schema nesting depth at which synthesis stops. Default 16. */
  maxDepth?: number
  /**
   * The value travels as text (a parameter, a form body): examples are checked, and oneOf
   * branches told apart, the way the API reads text back (see `conforms`). Default false.
   */
  coerce?: boolean
  /**
   * Include every property of an object, not only the required ones and those with an example.
   * Default false. (Useful where an empty object cannot be sent, e.g. a path parameter.)
   */
  allProperties?: boolean
  /**
   * The name the value is for (a parameter's): a top-level string with no format, pattern or enum
   * takes the format its name suggests (see FORMAT_BY_NAME). Default: none.
   */
  nameHint?: string
}

type Schema = Record<string, unknown>

/** Fixed values for string formats (one per format, so samples are stable). */
const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  iri: 'https://example.com',
  'uri-reference': '/',
  'iri-reference': '/',
  'uri-template': 'https://example.com/{id}',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'c3RyaW5n',
  base64: 'c3RyaW5n',
  binary: 'string',
  'json-pointer': '/',
  'relative-json-pointer': '0',
  regex: '.*',
  int32: '1',
  int64: '1',
  decimal: '1.0',
  float: '1.0',
  double: '1.0',
  ulid: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  ip: '192.0.2.1',
  cidr: '192.0.2.0/24',
  mac: '00:00:5e:00:53:01',
  phone: '+15555550100',
}

/** Formats a string's name suggests when its schema names none; first match wins. */
const FORMAT_BY_NAME: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|[^a-z])(uuid|guid)$|(Uuid|Guid|UUID|GUID)$/, 'uuid'],
  [/(^|[^a-z])e-?mail$|Email$/i, 'email'],
  [/(^|[^a-z])(url|uri|href)$|(Url|Uri|URL|URI|Href)$/, 'uri'],
  [/(^|[^a-z])date$|Date$/, 'date'],
  [/(^|[^a-z])(at|time|timestamp|datetime)$|(At|Time|Timestamp|DateTime)$/, 'date-time'],
]

/** The format a value's name suggests (`user_email` → email), if any. */
export function formatFromName(name: string): string | undefined {
  return FORMAT_BY_NAME.find(([pattern]) => pattern.test(name))?.[1]
}

const DEFAULT_STRING = 'string'

/**
 * The small file sent wherever a request carries a file (a binary body, a multipart file part):
 * plain text, so the generated script stays readable and byte-for-byte reproducible.
 */
export const SAMPLE_FILE_CONTENT = 'Perf-Xi sample upload\n'
export const SAMPLE_FILE_NAME = 'perf-xi-sample.txt'
const DEFAULT_MAX_DEPTH = 16

interface Ctx {
  direction?: 'request' | 'response'
  coerce: boolean
  resolveRef?: (ref: string) => unknown
  maxDepth: number
  allProperties: boolean
  /** `$ref`s being expanded on the current path: meeting one again means recursion. */
  activeRefs: Set<string>
  /** Schema objects on the current path: catches cycles made of plain object references. */
  activeObjects: Set<object>
  /** The next object sampled includes all its properties (one level only): set to tell oneOf branches apart. */
  allPropertiesOnce: boolean
  nameHint?: string
}

/** A deterministic example value for `schema`; `undefined` when the schema allows nothing or recursion was cut. */
export function sampleFromSchema(schema: unknown, opts: SampleOptions = {}): unknown {
  const ctx: Ctx = {
    direction: opts.direction,
    coerce: opts.coerce ?? false,
    resolveRef: opts.resolveRef,
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    allProperties: opts.allProperties ?? false,
    activeRefs: new Set(),
    activeObjects: new Set(),
    allPropertiesOnce: false,
    nameHint: opts.nameHint,
  }
  return sample(schema, ctx, 0)
}

/**
 * The explicit example of an OpenAPI parameter or media type object: `example`, else the
 * `value` of the first entry of its `examples` map (entries may be `$ref`s; entries with only
 * an `externalValue` are skipped), else the first item when `examples` is an array.
 * `undefined` when there is none.
 */
export function explicitExample(holder: unknown, opts: Pick<SampleOptions, 'resolveRef'> = {}): { value: unknown } | undefined {
  if (!isObject(holder)) return undefined
  if (isPresent(holder.example)) return { value: exampleValue(holder.example, opts.resolveRef) }
  const examples = holder.examples
  if (Array.isArray(examples)) return examples.length > 0 ? { value: exampleValue(examples[0], opts.resolveRef) } : undefined
  if (!isObject(examples)) return undefined
  for (const entry of Object.values(examples)) {
    const ex = followRefs(entry, opts.resolveRef)
    if (isObject(ex) && 'value' in ex && ex.value !== undefined) return { value: exampleValue(ex.value, opts.resolveRef) }
  }
  return undefined
}

/**
 * Whether the spec gives a value for a schema rather than leaving one to be synthesized: an
 * `example`, `examples`, `default`, `enum` or `const`, on it, its items or one of its `allOf` parts.
 */
export function hasSpecValue(schema: unknown, opts: Pick<SampleOptions, 'resolveRef'> = {}, depth = 0): boolean {
  const s = followRefs(schema, opts.resolveRef)
  if (!isObject(s) || depth > DEFAULT_MAX_DEPTH) return false
  if (hasExplicitValue(s, opts) || (Array.isArray(s.enum) && s.enum.length > 0) || s.const !== undefined) return true
  // An array whose items the spec gives values for (an enum of items) is given too.
  if (isObject(s.items) && hasSpecValue(s.items, opts, depth + 1)) return true
  return Array.isArray(s.allOf) && s.allOf.some((part) => hasSpecValue(part, opts, depth + 1))
}

/** Whether a schema carries its own example, enum-free: `example`, `examples` or `default`. */
export function hasExplicitValue(schema: unknown, opts: Pick<SampleOptions, 'resolveRef'> = {}): boolean {
  const s = followRefs(schema, opts.resolveRef)
  if (!isObject(s)) return false
  return isPresent(s.example) || (Array.isArray(s.examples) && s.examples.length > 0) || isPresent(s.default)
}

// ---------------------------------------------------------------------------------------------

function sample(node: unknown, ctx: Ctx, depth: number): unknown {
  if (depth > ctx.maxDepth) return undefined
  if (node === true) return {}
  if (!isObject(node)) return undefined

  const entered = enter(node, ctx)
  if (!entered) return undefined
  try {
    return sampleResolved(entered.schema, ctx, depth, entered.refs[entered.refs.length - 1])
  } finally {
    leave(entered, ctx)
  }
}

interface Entered {
  schema: Schema
  refs: string[]
  objects: object[]
}

/** Follows the `$ref` chain of `node` and marks every step active; `undefined` on recursion. */
function enter(node: Schema, ctx: Ctx): Entered | undefined {
  const refs: string[] = []
  const objects: object[] = []
  let current: unknown = node
  let siblings: Schema | undefined
  const release = (): undefined => {
    for (const r of refs) ctx.activeRefs.delete(r)
    for (const o of objects) ctx.activeObjects.delete(o)
    return undefined
  }
  for (;;) {
    if (!isObject(current)) return release()
    if (ctx.activeObjects.has(current)) return release()
    ctx.activeObjects.add(current)
    objects.push(current)
    const ref = current.$ref
    if (typeof ref !== 'string') break
    if (ctx.activeRefs.has(ref)) return release()
    ctx.activeRefs.add(ref)
    refs.push(ref)
    const rest = withoutKeys(current, ['$ref'])
    // Keywords beside a $ref (an example, a description) refine the target; the outermost wins.
    if (Object.keys(rest).length > 0) siblings = { ...rest, ...siblings }
    current = ctx.resolveRef?.(ref)
  }
  return { schema: siblings ? { ...current, ...siblings } : current, refs, objects }
}

function leave(entered: Entered, ctx: Ctx): void {
  for (const r of entered.refs) ctx.activeRefs.delete(r)
  for (const o of entered.objects) ctx.activeObjects.delete(o)
}

/** `ref`: the `$ref` this schema was reached through, if any (names the schema for discriminators). */
function sampleResolved(s: Schema, ctx: Ctx, depth: number, ref?: string): unknown {
  const fits = (v: unknown): boolean => conforms(v, s, conformOptions(ctx))
  if (isPresent(s.example)) {
    const v = exampleValue(s.example, ctx.resolveRef)
    if (fits(v)) return v
  }
  if (Array.isArray(s.examples)) {
    for (const example of s.examples) {
      const v = exampleValue(example, ctx.resolveRef)
      if (isPresent(v) && fits(v)) return v
    }
  }
  if (isPresent(s.default) && fits(s.default)) return clone(s.default)
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    const choice = s.enum.find((v) => v !== null && fits(v)) ?? s.enum.find((v) => v !== null) ?? s.enum[0]
    return clone(choice)
  }
  if ('const' in s) return clone(s.const)

  if (Array.isArray(s.allOf) && s.allOf.length > 0) return sampleAllOf(s, ctx, depth, ref)
  const choices = Array.isArray(s.oneOf) && s.oneOf.length > 0 ? s.oneOf : Array.isArray(s.anyOf) && s.anyOf.length > 0 ? s.anyOf : undefined
  if (choices) return sampleChoice(s, choices, ctx, depth)

  switch (typeOf(s)) {
    case 'object':
      return sampleObject(s, ctx, depth)
    case 'array':
      return sampleArray(s, ctx, depth)
    case 'string':
      return sampleString(s, depth === 0 ? ctx.nameHint : undefined)
    case 'integer':
      return sampleNumber(s, true)
    case 'number':
      return sampleNumber(s, false)
    case 'boolean':
      return true
    case 'null':
      return null
    case 'file':
      return DEFAULT_STRING
    default:
      return {}
  }
}

/**
 * allOf: every branch merged into one schema (properties in branch order, `required` united).
 * A discriminator inherited from a branch gets the value that names this schema (`ref`).
 */
function sampleAllOf(s: Schema, ctx: Ctx, depth: number, ref: string | undefined): unknown {
  const held: Entered[] = []
  try {
    const branches: Schema[] = []
    for (const branch of s.allOf as unknown[]) {
      if (!isObject(branch)) continue
      const entered = enter(branch, ctx)
      if (!entered) continue
      held.push(entered)
      branches.push(entered.schema)
    }
    const own = withoutKeys(s, ['allOf'])
    // A branch's own example describes only that branch, unless it is the only one (a $ref wrapper).
    const parts = branches.length === 1 ? [branches[0]!, own] : [...branches.map(stripExamples), own]
    const merged = mergeSchemas(parts)
    const value = sample(merged, ctx, depth + 1)
    const discriminator = isObject(merged.discriminator) ? merged.discriminator : undefined
    if (ref && discriminator && typeof discriminator.propertyName === 'string' && isObject(value)) {
      setDiscriminator(value, discriminator.propertyName, discriminatorValue(ref, discriminator.mapping), merged, ctx)
    }
    return value
  } finally {
    for (const e of held.reverse()) leave(e, ctx)
  }
}

/**
 * oneOf/anyOf: branches in order (`null`-only ones last), each combined with the schema's own
 * keywords. For oneOf the first sample that matches exactly one branch wins; a sample that
 * matches several is tried again with all of its branch's properties, which often tells the
 * branches apart. When nothing is unambiguous, the first branch's sample is used, in JSON (not
 * text, `coerce`) with a property added that the other branches it matches refuse, where
 * JSON Schema leaves one (`disambiguate`: `"bark": "no"` makes a Cat no Dog).
 */
function sampleChoice(s: Schema, choices: unknown[], ctx: Ctx, depth: number): unknown {
  const isNullOnly = (c: unknown): boolean => {
    const r = followRefs(c, ctx.resolveRef)
    return isObject(r) && (r.type === 'null' || (Array.isArray(r.type) && r.type.length === 1 && r.type[0] === 'null'))
  }
  const ordered = [...choices.filter((c) => !isNullOnly(c)), ...choices.filter(isNullOnly)]
  const oneOf = Array.isArray(s.oneOf) && s.oneOf === choices
  const own = withoutKeys(s, ['oneOf', 'anyOf', 'discriminator'])
  const discriminator = isObject(s.discriminator) && typeof s.discriminator.propertyName === 'string' ? s.discriminator : undefined
  const opts = conformOptions(ctx)
  const combine = (branch: unknown): unknown => (hasStructure(own) ? { allOf: [own, branch] } : branch)
  let first: unknown
  let tried = 0
  for (const branch of ordered) {
    if (tried++ >= MAX_ONE_OF_TRIES) break
    for (const allProperties of oneOf ? [false, true] : [false]) {
      const combined = combine(branch)
      const saved = ctx.allPropertiesOnce
      ctx.allPropertiesOnce = allProperties
      let value: unknown
      try {
        value = sample(combined, ctx, depth + 1)
      } finally {
        ctx.allPropertiesOnce = saved
      }
      if (discriminator && isObject(value) && isObject(branch) && typeof branch.$ref === 'string') {
        setDiscriminator(value, discriminator.propertyName as string, discriminatorValue(branch.$ref, discriminator.mapping), branch, ctx)
      }
      if (tried === 1 && !allProperties) first = value
      if (!oneOf || value === undefined) return value ?? first
      if (countMatches(value, choices, opts, 0, 2) === 1) return value
    }
  }
  if (ctx.coerce || !isObject(first)) return first
  return disambiguate(first, s, ordered[0], combine(ordered[0]), opts) ?? first
}

function conformOptions(ctx: Ctx): { resolveRef?: (ref: string) => unknown; direction?: 'request' | 'response'; coerce: boolean } {
  return { resolveRef: ctx.resolveRef, direction: ctx.direction, coerce: ctx.coerce }
}

/** Branches of one oneOf tried at most (each sampled up to twice). */
const MAX_ONE_OF_TRIES = 8

/** Sets `value[property] = wanted` unless that would make `value` stop fitting `schema` (an enum that says otherwise). */
function setDiscriminator(value: Record<string, unknown>, property: string, wanted: string, schema: unknown, ctx: Ctx): void {
  const before = value[property]
  if (before === wanted) return
  value[property] = wanted
  if (!conforms(value, schema, conformOptions(ctx))) {
    if (before === undefined) delete value[property]
    else value[property] = before
  }
}

function discriminatorValue(ref: string, mapping: unknown): string {
  const name = ref.slice(ref.lastIndexOf('/') + 1)
  if (isObject(mapping)) {
    for (const [key, target] of Object.entries(mapping)) {
      if (target === ref || target === name) return key
    }
  }
  return name
}

function sampleObject(s: Schema, ctx: Ctx, depth: number): Record<string, unknown> {
  const allProperties = ctx.allProperties || ctx.allPropertiesOnce
  ctx.allPropertiesOnce = false
  const out: Record<string, unknown> = {}
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [])
  const properties = isObject(s.properties) ? s.properties : {}
  for (const [name, prop] of Object.entries(properties)) {
    const p = followRefs(prop, ctx.resolveRef)
    if (isObject(p)) {
      if (ctx.direction === 'request' && p.readOnly === true) continue
      if (ctx.direction === 'response' && p.writeOnly === true) continue
    }
    const wanted = allProperties || required.has(name) || (isObject(p) && (isPresent(p.example) || (Array.isArray(p.examples) && p.examples.length > 0)))
    if (!wanted) continue
    const value = sample(prop, ctx, depth + 1)
    if (value !== undefined) out[name] = value
  }
  // Required names the schema declares no property for: whatever additionalProperties allows.
  for (const name of required) {
    if (name in out || Object.hasOwn(properties, name)) continue
    const value = isObject(s.additionalProperties)
      ? sample(s.additionalProperties, ctx, depth + 1)
      : s.additionalProperties === false
        ? undefined
        : DEFAULT_STRING
    if (value !== undefined) out[name] = value
  }
  const minProperties = typeof s.minProperties === 'number' ? s.minProperties : 0
  if (Object.keys(out).length < minProperties && isObject(s.additionalProperties)) {
    for (let i = 1; Object.keys(out).length < minProperties && i <= minProperties; i++) {
      const value = sample(s.additionalProperties, ctx, depth + 1)
      if (value === undefined) break
      out[`additionalProp${i}`] = value
    }
  }
  return out
}

function sampleArray(s: Schema, ctx: Ctx, depth: number): unknown[] {
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined
  if (tuple) {
    const out: unknown[] = []
    for (const item of tuple) {
      const value = sample(item, ctx, depth + 1)
      if (value === undefined) break
      out.push(value)
    }
    return out
  }
  const maxItems = typeof s.maxItems === 'number' ? s.maxItems : Infinity
  const count = Math.min(Math.max(typeof s.minItems === 'number' ? s.minItems : 1, 1), maxItems)
  if (count <= 0 || s.items === undefined || s.items === false) return []
  const first = sample(s.items, ctx, depth + 1)
  if (first === undefined) return []
  const out = [first]
  const itemSchema = followRefs(s.items, ctx.resolveRef)
  const choices = isObject(itemSchema) && Array.isArray(itemSchema.enum) ? itemSchema.enum.filter((v) => v !== null) : undefined
  for (let i = 1; i < count; i++) {
    if (s.uniqueItems === true && choices && choices.length > i) out.push(clone(choices[i]))
    else if (s.uniqueItems === true && typeof first === 'number') out.push(first + i)
    else if (s.uniqueItems === true && typeof first === 'string') out.push(`${first}${i}`)
    else out.push(clone(first))
  }
  return out
}

function sampleString(s: Schema, nameHint?: string): string {
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : Infinity
  if (typeof s.format === 'string' && s.format in FORMAT_SAMPLES) return FORMAT_SAMPLES[s.format]!
  const hinted = nameHint !== undefined && s.format === undefined && s.pattern === undefined ? formatFromName(nameHint) : undefined
  if (hinted !== undefined && fitLength(FORMAT_SAMPLES[hinted]!, minLength, maxLength) === FORMAT_SAMPLES[hinted]) return FORMAT_SAMPLES[hinted]!
  if (typeof s.pattern === 'string') {
    const fromPattern = sampleFromPattern(s.pattern, minLength, maxLength)
    if (fromPattern !== undefined) return fromPattern
  }
  return fitLength(DEFAULT_STRING, minLength, maxLength)
}

function fitLength(base: string, minLength: number, maxLength: number): string {
  const target = Math.min(Math.max(minLength, base.length), maxLength)
  return base.repeat(Math.ceil(target / base.length) || 1).slice(0, target)
}

function sampleNumber(s: Schema, integer: boolean): number {
  let lo = -Infinity
  let hi = Infinity
  let loExclusive = false
  let hiExclusive = false
  if (typeof s.minimum === 'number') {
    lo = s.minimum
    loExclusive = s.exclusiveMinimum === true
  }
  if (typeof s.exclusiveMinimum === 'number' && s.exclusiveMinimum >= lo) {
    lo = s.exclusiveMinimum
    loExclusive = true
  }
  if (typeof s.maximum === 'number') {
    hi = s.maximum
    hiExclusive = s.exclusiveMaximum === true
  }
  if (typeof s.exclusiveMaximum === 'number' && s.exclusiveMaximum <= hi) {
    hi = s.exclusiveMaximum
    hiExclusive = true
  }
  const multipleOf = typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : undefined
  const step = multipleOf ?? 1
  const above = (v: number): boolean => v > lo || (v === lo && !loExclusive)
  const below = (v: number): boolean => v < hi || (v === hi && !hiExclusive)

  let value = 1
  if (!above(value)) value = loExclusive ? lo + step : lo
  if (!below(value)) value = hiExclusive ? hi - step : hi
  if (!above(value)) value = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : value
  if (integer) value = above(Math.ceil(value)) && below(Math.ceil(value)) ? Math.ceil(value) : Math.floor(value)
  if (multipleOf) {
    let k = Math.ceil(value / multipleOf)
    if (!below(tidy(k * multipleOf))) k = Math.floor(value / multipleOf)
    if (!above(tidy(k * multipleOf))) k += 1
    value = tidy(k * multipleOf)
  }
  return value
}

/** Removes binary floating-point noise (0.30000000000000004 → 0.3). */
function tidy(n: number): number {
  return Number(n.toPrecision(12))
}

// --- patterns ---------------------------------------------------------------------------------

/**
 * A string matching `pattern` for the simple regular expressions specs use (literals, classes,
 * \d \w \s, groups, alternation, quantifiers), checked against the pattern (in linear time). Unbounded
 * quantifiers grow until the length constraints hold. `undefined` when the pattern uses
 * something this generator does not handle (lookarounds, backreferences) or nothing fits.
 */
export function sampleFromPattern(pattern: string, minLength = 0, maxLength = Infinity): string | undefined {
  const regex = specPattern(pattern)
  if (!regex) return undefined
  let ast: PatternNode
  try {
    ast = new PatternParser(pattern).parse()
  } catch {
    return undefined
  }
  let matching: string | undefined
  for (let extra = 0; extra <= Math.min(Math.max(minLength, 1), 256); extra++) {
    const candidate = generate(ast, extra)
    if (!regex.test(candidate)) {
      if (extra === 0) return undefined
      break
    }
    matching ??= candidate
    if (candidate.length >= minLength && candidate.length <= maxLength) return candidate
    if (candidate.length > maxLength) break
  }
  return matching
}

type PatternNode =
  | { kind: 'alt'; options: PatternNode[] }
  | { kind: 'seq'; items: PatternNode[] }
  | { kind: 'text'; text: string }
  | { kind: 'repeat'; node: PatternNode; min: number; max: number }

function generate(node: PatternNode, extra: number): string {
  switch (node.kind) {
    case 'text':
      return node.text
    case 'alt':
      return generate(node.options[0]!, extra)
    case 'seq':
      return node.items.map((n) => generate(n, extra)).join('')
    case 'repeat': {
      const count = Math.min(node.min + extra, node.max)
      return generate(node.node, extra).repeat(count)
    }
  }
}

const CLASS_ESCAPES: Readonly<Record<string, string>> = { d: '1', w: 'a', s: ' ', D: 'a', W: '-', S: 'a' }
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' }
const UNSUPPORTED = new Error('unsupported pattern')

class PatternParser {
  private pos = 0
  constructor(private readonly src: string) {}

  parse(): PatternNode {
    const node = this.alternation()
    if (this.pos < this.src.length) throw UNSUPPORTED
    return node
  }

  private alternation(): PatternNode {
    const options = [this.sequence()]
    while (this.src[this.pos] === '|') {
      this.pos++
      options.push(this.sequence())
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options }
  }

  private sequence(): PatternNode {
    const items: PatternNode[] = []
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.atom()
      items.push(this.quantified(atom))
    }
    return { kind: 'seq', items }
  }

  private atom(): PatternNode {
    const c = this.src[this.pos++]!
    switch (c) {
      case '^':
      case '$':
        return { kind: 'text', text: '' }
      case '.':
        return { kind: 'text', text: 'a' }
      case '(': {
        if (this.src[this.pos] === '?') {
          const named = /^\?<[A-Za-z_$][\w$]*>/.exec(this.src.slice(this.pos))
          if (named) this.pos += named[0].length
          else if (this.src[this.pos + 1] === ':') this.pos += 2
          else throw UNSUPPORTED // lookarounds
        }
        const inner = this.alternation()
        if (this.src[this.pos++] !== ')') throw UNSUPPORTED
        return inner
      }
      case '[':
        return { kind: 'text', text: this.charClass() }
      case '\\':
        return { kind: 'text', text: this.escape() }
      case '*':
      case '+':
      case '?':
      case '{':
        throw UNSUPPORTED
      default:
        return { kind: 'text', text: c }
    }
  }

  private escape(): string {
    const c = this.src[this.pos++]
    if (c === undefined) throw UNSUPPORTED
    if (c in CLASS_ESCAPES) return CLASS_ESCAPES[c]!
    if (c in CONTROL_ESCAPES) return CONTROL_ESCAPES[c]!
    if (/[1-9bBkpPuxc]/.test(c)) throw UNSUPPORTED // backreferences, boundaries, classes by property, code points
    return c
  }

  /** The first character the class accepts (tested against the class itself for negated ones). */
  private charClass(): string {
    const start = this.pos - 1
    // JavaScript syntax: the class ends at the first unescaped ']' (so "[]" is the empty class).
    for (;;) {
      const c = this.src[this.pos++]
      if (c === undefined) throw UNSUPPORTED
      if (c === '\\') this.pos++
      else if (c === ']') break
    }
    const source = this.src.slice(start, this.pos)
    const cls = specPattern(`^${source}$`)
    if (!cls) throw UNSUPPORTED
    const body = source.slice(source[1] === '^' ? 2 : 1, -1)
    const first = body[0] === '\\' ? (CLASS_ESCAPES[body[1] ?? ''] ?? body[1]) : body[0]
    for (const candidate of [first, 'a', 'A', '1', '0', '_', '-', 'z', ' ', '.']) {
      if (candidate !== undefined && cls.test(candidate)) return candidate
    }
    throw UNSUPPORTED
  }

  private quantified(atom: PatternNode): PatternNode {
    const c = this.src[this.pos]
    let min: number
    let max: number
    if (c === '*') [min, max] = [0, Infinity]
    else if (c === '+') [min, max] = [1, Infinity]
    else if (c === '?') [min, max] = [0, 1]
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos))
      if (!m) return atom
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
      this.pos += m[0].length - 1
    } else return atom
    this.pos++
    if (this.src[this.pos] === '?') this.pos++ // lazy quantifier: same language
    // `*` keeps one occurrence so "[a-z]*" gives a non-empty value; `?` parts are left out
    // unless the length constraints need them.
    return { kind: 'repeat', node: atom, min: c === '*' ? 1 : min, max }
  }
}

// --- helpers ------------------------------------------------------------------------------------

function typeOf(s: Schema): string | undefined {
  const t = s.type
  if (typeof t === 'string') return t
  if (Array.isArray(t)) {
    const concrete = t.find((x) => x !== 'null')
    if (typeof concrete === 'string') return concrete
    if (t.includes('null')) return 'null'
  }
  if (isObject(s.properties) || s.additionalProperties !== undefined || Array.isArray(s.required) || isObject(s.patternProperties)) return 'object'
  if (s.items !== undefined || Array.isArray(s.prefixItems)) return 'array'
  if (typeof s.format === 'string' || typeof s.pattern === 'string' || typeof s.minLength === 'number' || typeof s.maxLength === 'number') return 'string'
  if (typeof s.minimum === 'number' || typeof s.maximum === 'number' || typeof s.multipleOf === 'number') return 'number'
  return undefined
}

/**
 * One schema from several (allOf): properties in order (a property defined twice becomes
 * the allOf of both), `required` united, any other keyword from the first part that has it.
 */
function mergeSchemas(parts: Schema[]): Schema {
  const merged: Schema = {}
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  let hasProperties = false
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isObject(value)) {
        hasProperties = true
        for (const [name, prop] of Object.entries(value)) {
          properties[name] = name in properties ? { allOf: [properties[name], prop] } : prop
        }
      } else if (key === 'required' && Array.isArray(value)) {
        for (const r of value) if (typeof r === 'string' && !required.includes(r)) required.push(r)
      } else if (key === 'type' && merged.type === undefined && value !== undefined) {
        merged.type = value
      } else if (!(key in merged)) {
        merged[key] = value
      }
    }
  }
  if (hasProperties) merged.properties = properties
  if (required.length > 0) merged.required = required
  if (merged.type === undefined && hasProperties) merged.type = 'object'
  return merged
}

function stripExamples(s: Schema): Schema {
  return withoutKeys(s, ['example', 'examples', 'default'])
}

/** Whether a schema constrains anything beyond annotations (worth merging with a oneOf branch). */
function hasStructure(s: Schema): boolean {
  return ['type', 'properties', 'required', 'items', 'allOf', 'additionalProperties'].some((k) => k in s)
}

/** Follows a `$ref` chain without marking anything (for peeking at flags); cycles end it. */
function followRefs(node: unknown, resolveRef: ((ref: string) => unknown) | undefined): unknown {
  let current = node
  let siblings: Schema | undefined
  const seen = new Set<string>()
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref
    if (seen.has(ref)) return undefined
    seen.add(ref)
    const rest = withoutKeys(current, ['$ref'])
    if (Object.keys(rest).length > 0) siblings = { ...rest, ...siblings }
    current = resolveRef?.(ref)
  }
  return siblings && isObject(current) ? { ...current, ...siblings } : current
}

/**
 * An example value, copied. Example values are literal, but specs do write `example: {$ref: ...}`
 * pointing at a value elsewhere (and swagger-parser resolves those), so such a `$ref` is followed.
 */
function exampleValue(value: unknown, resolveRef: ((ref: string) => unknown) | undefined): unknown {
  if (isObject(value) && typeof value.$ref === 'string' && Object.keys(value).length === 1 && resolveRef) {
    const target = followRefs(value, resolveRef)
    if (target !== undefined) return clone(target)
  }
  return clone(value)
}

function withoutKeys(s: Schema, keys: readonly string[]): Schema {
  const out: Schema = {}
  for (const [k, v] of Object.entries(s)) if (!keys.includes(k)) out[k] = v
  return out
}

function isPresent(v: unknown): boolean {
  return v !== undefined && v !== null
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function clone<T>(v: T): T {
  return typeof v === 'object' && v !== null ? structuredClone(v) : v
}
