/**
 * Telling apart oneOf branches that every sample matches together. When Cat and Dog both leave
 * everything but pet_type optional, every Cat the sampler builds is also a Dog, and a strict
 * validator refuses it. A Cat that is no Dog still exists when Dog constrains a property Cat does
 * not declare: `{"pet_type": "Cat", "bark": "no"}` is a Cat and, `bark` being a boolean in Dog, no
 * Dog. `disambiguate` adds such a property for each other branch the value matches;
 * `declaredProperties` is what it and the plan warning (`oneOfDisambiguations`) read branches with.
 */
import { conforms, countMatches, type ConformOptions } from './conforms.js'
import { specPattern, type SpecPattern } from './pattern.js'

type Schema = Record<string, unknown>

/** Nesting (through `$ref`, allOf and, where asked, oneOf/anyOf) beyond which a schema is not read. */
const MAX_DEPTH = 16

/**
 * `value`, sampled from `chosen` (`branch`, one of the oneOf of `holder`, combined with the
 * holder's own keywords), with one property added per other branch it matches, so that it matches
 * `chosen` and no other branch; undefined when that cannot be done. An added property is one the
 * other branch declares (the first fit in declared order) and the chosen one neither declares nor
 * forbids, is no discriminator's, and gets a value outside what the other branch allows for it: a
 * string outside an enum, else a JSON type its `type` leaves out; never a readOnly property in a
 * request (writeOnly in a response). The input is not modified.
 */
export function disambiguate(value: Schema, holder: Schema, branch: unknown, chosen: unknown, opts: ConformOptions): Schema | undefined {
  const branches = Array.isArray(holder.oneOf) ? holder.oneOf : []
  const discriminators = new Set(
    [holder, ...branches]
      .flatMap((b) => parts(b, opts.resolveRef, false))
      .flatMap((p) => (isObject(p.discriminator) && typeof p.discriminator.propertyName === 'string' ? [p.discriminator.propertyName] : [])),
  )
  const open = openTo(chosen, opts.resolveRef)
  if (!open) return undefined
  const ownNames = declaredProperties(chosen, opts.resolveRef, true)
  const out: Schema = { ...value }
  for (const other of branches) {
    if (other === branch || !conforms(out, other, opts)) continue
    for (const [name, schema] of declaredProperties(other, opts.resolveRef, false)) {
      if (ownNames.has(name) || Object.hasOwn(out, name) || discriminators.has(name) || !open(name)) continue
      // A request never carries a readOnly property (nor a response a writeOnly one), whichever branch declares it.
      if (notSent(schema, opts)) continue
      const breaking = valueOutside(schema, opts.resolveRef)
      if (breaking === undefined) continue
      out[name] = breaking
      if (!conforms(out, other, opts) && conforms(out, chosen, opts)) break
      delete out[name]
    }
  }
  if (Object.keys(out).length === Object.keys(value).length) return undefined
  return countMatches(out, branches, opts, 0, 2) === 1 && conforms(out, chosen, opts) ? out : undefined
}

/**
 * The properties a schema declares, name → schema (the first declaration), in declared order,
 * through `$ref`s and allOf; with `branches`, through oneOf/anyOf/if/then/else too (everything
 * that may constrain a property, for the chosen branch).
 */
export function declaredProperties(schema: unknown, resolveRef: ConformOptions['resolveRef'], branches: boolean): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const part of parts(schema, resolveRef, branches)) {
    if (!isObject(part.properties)) continue
    for (const [name, prop] of Object.entries(part.properties)) if (!out.has(name)) out.set(name, prop)
  }
  return out
}

/**
 * A test for names the schema lets a value carry undeclared, or undefined when it forbids or
 * constrains all of them (additionalProperties or unevaluatedProperties other than true/{},
 * propertyNames): when in doubt, nothing is added. patternProperties rule out the names they match.
 */
function openTo(schema: unknown, resolveRef: ConformOptions['resolveRef']): ((name: string) => boolean) | undefined {
  const patterns: SpecPattern[] = []
  for (const part of parts(schema, resolveRef, true)) {
    for (const key of ['additionalProperties', 'unevaluatedProperties'] as const) {
      const v = part[key]
      if (v !== undefined && v !== true && !(isObject(v) && Object.keys(v).length === 0)) return undefined
    }
    if (part.propertyNames !== undefined) return undefined
    if (isObject(part.patternProperties)) {
      for (const source of Object.keys(part.patternProperties)) {
        const pattern = specPattern(source)
        if (!pattern) return undefined
        patterns.push(pattern)
      }
    }
  }
  return (name) => !patterns.some((re) => re.test(name))
}

/** A value the property schema refuses by its enum, const or type; undefined when it allows every type. */
function valueOutside(raw: unknown, resolveRef: ConformOptions['resolveRef']): unknown {
  const s = follow(raw, resolveRef)
  if (!isObject(s)) return undefined
  const listed = Array.isArray(s.enum) && s.enum.length > 0 ? s.enum : 'const' in s ? [s.const] : undefined
  if (listed) return ['no', 0].find((c) => !listed.includes(c))
  const types = typesOf(s, resolveRef, 0)
  if (!types) return undefined
  if (!types.has('string')) return 'no'
  if (!types.has('number') && !types.has('integer')) return 0
  if (!types.has('boolean')) return false
  return undefined
}

/** The JSON types `type` allows, intersected through allOf; undefined when nothing restricts them. */
function typesOf(s: Schema, resolveRef: ConformOptions['resolveRef'], depth: number): Set<string> | undefined {
  let types: Set<string> | undefined
  if (typeof s.type === 'string') types = new Set([s.type])
  else if (Array.isArray(s.type) && s.type.length > 0) types = new Set(s.type.filter((t): t is string => typeof t === 'string'))
  if (types?.has('file')) return undefined
  if (Array.isArray(s.allOf) && depth < MAX_DEPTH) {
    for (const b of s.allOf) {
      const part = follow(b, resolveRef)
      const inner = isObject(part) ? typesOf(part, resolveRef, depth + 1) : undefined
      if (inner) types = types ? new Set([...types].filter((t) => inner.has(t))) : inner
    }
  }
  return types
}

/** The schema and every part it is made of (`$ref`s followed), each once. */
function parts(schema: unknown, resolveRef: ConformOptions['resolveRef'], branches: boolean): Schema[] {
  const out: Schema[] = []
  const visit = (raw: unknown, depth: number): void => {
    const s = follow(raw, resolveRef)
    if (!isObject(s) || depth > MAX_DEPTH || out.includes(s)) return
    out.push(s)
    const keys = branches ? ['allOf', 'oneOf', 'anyOf'] : ['allOf']
    for (const key of keys) if (Array.isArray(s[key])) for (const b of s[key]) visit(b, depth + 1)
    if (branches) for (const key of ['if', 'then', 'else']) visit(s[key], depth + 1)
  }
  visit(schema, 0)
  return out
}

function follow(raw: unknown, resolveRef: ConformOptions['resolveRef']): unknown {
  let current = raw
  for (let hops = 0; hops < MAX_DEPTH && isObject(current) && typeof current.$ref === 'string'; hops++) current = resolveRef?.(current.$ref)
  return current
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function notSent(raw: unknown, opts: ConformOptions): boolean {
  const s = follow(raw, opts.resolveRef)
  if (!isObject(s)) return false
  return (opts.direction === 'request' && s.readOnly === true) || (opts.direction === 'response' && s.writeOnly === true)
}
