/**
 * Request bodies and parameters no request can get through, and bodies a strict validator will refuse.
 * `admitsNoValue` proves from the schema alone that no JSON value satisfies it (types, required
 * properties through recursion, arrays, text-borne values, composition) and says why in one line; it
 * answers only with a proof. `oneOfAmbiguities` finds the `oneOf`s the value sent matches in more
 * than one branch, `oneOfDisambiguations` the properties added to tell branches apart.
 * The proofs and their reasons: docs/requests.md ("What no request gets through").
 */
import { conforms, countMatches, type ConformOptions } from './conforms.js'
import { declaredProperties } from './disambiguate.js'
import type { Endpoint } from './model.js'

export interface SchemaReadOptions {
  resolveRef?: (ref: string) => unknown
  /** 'request': required readOnly properties may be absent. */
  direction?: 'request' | 'response'
  /** Form bodies: values travel as text and are read back by the schema (see `conforms`). */
  coerce?: boolean
  /** What the explanation calls the schema's value when its schema has no name. Default: "the body". */
  subject?: string
}

/** The skip reason for an operation whose required body no value satisfies, e.g. "its request body admits no value: allOf requires both string and integer". */
export function unsatisfiableBodyReason(endpoint: Endpoint): string | undefined {
  const findings = endpoint.bodyFindings
  if (!findings?.admitsNoValue || !findings.required) return undefined
  return `its request body admits no value: ${findings.admitsNoValue}`
}

/** The skip reason for an operation with a required parameter no value satisfies (optional ones are not sent). */
export function unsatisfiableParameterReason(endpoint: Endpoint): string | undefined {
  const parameter = endpoint.parameters.find((p) => p.required && p.admitsNoValue !== undefined)
  return parameter && `its required ${parameter.in} parameter ${parameter.name} admits no value: ${parameter.admitsNoValue}`
}

/**
 * Plan warnings about the body an operation sends (or leaves out), each starting with the
 * operation's key: no media type declared, an optional body that admits no value, a body that
 * matches several oneOf branches, a body told apart from other oneOf branches by a property its
 * own branch does not declare.
 */
export function bodyWarnings(endpoint: Endpoint): string[] {
  const findings = endpoint.bodyFindings
  // An operation the plan skips for its body needs no warning about that body.
  if (!findings || unsatisfiableBodyReason(endpoint) !== undefined) return []
  const out: string[] = []
  const key = endpoint.key
  if (findings.admitsNoValue && !findings.required) {
    out.push(`${key}: its optional request body admits no value (${findings.admitsNoValue}); sent without a body`)
  } else if (findings.mediaTypeUndeclared) {
    if (!endpoint.body)
      out.push(`${key}: the spec declares no media type for its optional body (no consumes); sent without a body — declare consumes to send one`)
    else if (endpoint.body.mediaTypeDeclared === false) {
      out.push(`${key}: the spec declares no media type for its body (no consumes); sent as JSON without a Content-Type header — declare consumes to send one`)
    } else {
      out.push(
        `${key}: the spec declares no media type for its formData parameters (no consumes); sent as ${endpoint.body.contentType}, which formData stands for — validators that require consumes (Prism) refuse it: declare consumes`,
      )
    }
  }
  for (const ambiguity of findings.oneOfAmbiguities ?? []) {
    out.push(`${key}: a validator applying JSON Schema's oneOf (exactly one branch) will reject this body: ${ambiguity}`)
  }
  for (const disambiguation of findings.oneOfDisambiguations ?? []) out.push(`${key}: ${disambiguation}`)
  return out
}

// --- no value -----------------------------------------------------------------------------------

const JSON_TYPES = ['null', 'boolean', 'string', 'integer', 'fraction', 'array', 'object'] as const
type JsonType = (typeof JSON_TYPES)[number]

/** Keywords that describe a schema without constraining its values: two schemas differing only in these accept the same values. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'example',
  'examples',
  'default',
  'deprecated',
  'externalDocs',
  'xml',
  '$comment',
  '$id',
  '$schema',
  '$anchor',
])

/** Beyond this many schemas reachable through required properties, no proof is attempted. */
const MAX_NODES = 5000

type Schema = Record<string, unknown>

/** One schema, with what the proofs need already read out of it. */
interface Node {
  schema: Schema | boolean
  /** The name it was reached by: the last segment of a `$ref`, else its `title`. */
  name?: string
  /** Types its own `type`/`nullable`/`enum`/`const` leave; undefined: no restriction. */
  own?: { types: Set<JsonType>; label: string }
  allOf: Node[]
  anyOf: Node[]
  oneOf: Node[]
  /** Indexes of oneOf branches identical to another branch (only where no discriminator tells them apart). */
  twins: Set<number>
  /** `not: {}`: nothing passes. */
  notEverything: boolean
  /** Properties a value must carry, with their schemas (absent: a name additionalProperties forbids). */
  required: Array<{ name: string; node?: Node }>
  /** Array slots a value must fill: items when minItems ≥ 1, tuple positions below minItems. */
  requiredItems: Array<{ at: string; node: Node }>
  /** `minItems` above `maxItems`: no array fits, e.g. "minItems 3 and maxItems 1". */
  itemBounds?: string
}

/** Why no value satisfies `schema`, quoting the part that rules every value out; undefined when a value may exist. */
export function admitsNoValue(schema: unknown, opts: SchemaReadOptions = {}): string | undefined {
  const graph = new SchemaGraph(opts)
  const root = graph.node(schema)
  if (!root || graph.size > MAX_NODES) return undefined
  const empty = graph.emptySet()
  if (!JSON_TYPES.every((t) => empty.has(graph.pair(root, t)))) return undefined
  return new Explainer(graph, empty).explain(root, root.name ?? opts.subject ?? 'the body')
}

class SchemaGraph {
  private readonly nodes = new Map<object | boolean, Node>()
  private readonly ids = new Map<Node, number>()

  constructor(private readonly opts: SchemaReadOptions) {}

  get size(): number {
    return this.nodes.size
  }

  /** The node of a schema (`$ref`s followed); undefined for anything that is not a schema or a ref that leads nowhere. */
  node(raw: unknown): Node | undefined {
    const target = this.follow(raw)
    if (!target) return undefined
    const key = target.schema
    const known = this.nodes.get(key)
    if (known) return known
    const s = target.schema
    const node: Node = {
      schema: s,
      name: target.name ?? (typeof s === 'object' && typeof s.title === 'string' ? s.title : undefined),
      allOf: [],
      anyOf: [],
      oneOf: [],
      twins: new Set(),
      notEverything: false,
      required: [],
      requiredItems: [],
    }
    this.nodes.set(key, node)
    this.ids.set(node, this.ids.size)
    if (this.nodes.size > MAX_NODES || typeof s === 'boolean') return node
    node.own = this.ownTypes(s)
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
    for (const b of list(s.allOf)) this.push(node.allOf, b)
    for (const b of list(s.anyOf)) this.push(node.anyOf, b)
    for (const b of list(s.oneOf)) this.push(node.oneOf, b)
    if (node.oneOf.length > 1 && !this.hasDiscriminator(s) && !list(s.oneOf).some((b) => this.hasDiscriminator(b))) {
      const branches = list(s.oneOf)
      for (let i = 0; i < branches.length; i++) {
        for (let j = 0; j < branches.length; j++) if (i !== j && this.same(branches[i], branches[j], 0)) node.twins.add(i)
      }
    }
    node.notEverything = s.not === true || (isObject(s.not) && Object.keys(s.not).every((k) => ANNOTATIONS.has(k)))
    const properties = isObject(s.properties) ? s.properties : {}
    for (const name of list(s.required)) {
      if (typeof name !== 'string') continue
      if (Object.hasOwn(properties, name)) {
        if (this.opts.direction === 'request' && this.isReadOnly(properties[name])) continue
        const child = this.node(properties[name])
        if (child) node.required.push({ name, node: child })
      } else if (s.additionalProperties === false && !isObject(s.patternProperties)) {
        node.required.push({ name })
      }
    }
    const minItems = typeof s.minItems === 'number' ? s.minItems : 0
    if (typeof s.maxItems === 'number' && minItems > s.maxItems) node.itemBounds = `minItems ${minItems} and maxItems ${s.maxItems}`
    const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined
    if (tuple) {
      for (let i = 0; i < Math.min(minItems, tuple.length); i++) {
        const child = this.node(tuple[i])
        if (child) node.requiredItems.push({ at: `item ${i}`, node: child })
      }
    } else if (minItems >= 1 && s.items !== undefined) {
      const child = this.node(s.items)
      if (child) node.requiredItems.push({ at: 'items', node: child })
    }
    return node
  }

  /** "id:type": one (schema, type) pair of the proofs. */
  pair(node: Node, t: JsonType): string {
    return `${this.ids.get(node)!}:${t}`
  }

  /** The greatest set of (schema, type) pairs the rules prove empty: start from all, drop what cannot be shown, repeat. */
  emptySet(): Set<string> {
    let empty = new Set<string>()
    for (const node of this.nodes.values()) for (const t of JSON_TYPES) empty.add(this.pair(node, t))
    for (;;) {
      const next = new Set<string>()
      const proven = new Map<string, boolean>()
      for (const node of this.nodes.values()) {
        for (const t of JSON_TYPES)
          if (empty.has(this.pair(node, t)) && this.rule(node, t, empty, new Set(), proven) !== undefined) next.add(this.pair(node, t))
      }
      if (next.size === empty.size) return next
      empty = next
    }
  }

  /**
   * The rule that proves no value of type `t` satisfies `node`, given `empty` for strictly smaller
   * values (properties, items). The same value's branches (allOf/anyOf/oneOf) are followed here,
   * a cycle among them proving nothing, so no proof is circular on one value.
   */
  rule(node: Node, t: JsonType, empty: Set<string>, visiting: Set<Node>, proven?: Map<string, boolean>): Rule | undefined {
    const s = node.schema
    if (s === false) return { kind: 'false' }
    if (s === true) return undefined
    if (node.own && !node.own.types.has(this.coerced(t))) return { kind: 'type' }
    if (node.notEverything) return { kind: 'not' }
    if (visiting.has(node)) return undefined
    visiting.add(node)
    try {
      // Memoized within one round: a proof stays a proof, and a cycle cut only ever loses one.
      const isEmpty = (b: Node): boolean => {
        const key = this.pair(b, t)
        const known = proven?.get(key)
        if (known !== undefined) return known
        const result = this.rule(b, t, empty, visiting, proven) !== undefined
        proven?.set(key, result)
        return result
      }
      const emptyBranch = node.allOf.find(isEmpty)
      if (emptyBranch) return { kind: 'allOf', branch: emptyBranch }
      if (node.anyOf.length > 0 && node.anyOf.every(isEmpty)) return { kind: 'anyOf' }
      if (node.oneOf.length > 0 && node.oneOf.every((b, i) => node.twins.has(i) || isEmpty(b))) return { kind: 'oneOf' }
      const admitsNothing = (n: Node): boolean => JSON_TYPES.every((u) => empty.has(this.pair(n, u)))
      if (t === 'object') {
        const property = node.required.find((r) => !r.node || admitsNothing(r.node))
        if (property) return { kind: 'property', name: property.name, node: property.node }
      }
      if (t === 'array') {
        if (node.itemBounds) return { kind: 'bounds', label: node.itemBounds }
        const slot = node.requiredItems.find((r) => admitsNothing(r.node))
        if (slot) return { kind: 'items', at: slot.at, node: slot.node }
      }
      return undefined
    } finally {
      visiting.delete(node)
    }
  }

  private push(list: Node[], raw: unknown): void {
    // A branch that is not a schema at all constrains nothing: kept as `true`.
    list.push(this.node(raw) ?? this.node(true)!)
  }

  private follow(raw: unknown): { schema: Schema | boolean; name?: string } | undefined {
    if (typeof raw === 'boolean') return { schema: raw }
    let current = raw
    let name: string | undefined
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 16 || !this.opts.resolveRef) return undefined
      const ref: string = current.$ref
      name = decodeSegment(ref.slice(ref.lastIndexOf('/') + 1))
      current = this.opts.resolveRef(ref)
    }
    if (typeof current === 'boolean') return { schema: current, name }
    return isObject(current) ? { schema: current, name } : undefined
  }

  private isReadOnly(raw: unknown): boolean {
    let current = raw
    for (let hops = 0; hops < 16 && isObject(current); hops++) {
      if (current.readOnly === true) return true
      if (typeof current.$ref !== 'string') return false
      current = this.opts.resolveRef?.(current.$ref)
    }
    return false
  }

  /** A discriminator on the schema or anywhere in its allOf ancestry (Cat: allOf [Pet], Pet has one). */
  private hasDiscriminator(raw: unknown, depth = 0): boolean {
    const s = this.follow(raw)?.schema
    if (!isObject(s) || depth > 8) return false
    if (isObject(s.discriminator)) return true
    return Array.isArray(s.allOf) && s.allOf.some((b) => this.hasDiscriminator(b, depth + 1))
  }

  /** Whether two schemas accept the same values because they are the same, annotations aside. */
  private same(a: unknown, b: unknown, depth: number): boolean {
    if (depth > 24) return false
    const fa = isObject(a) && typeof a.$ref === 'string' ? this.follow(a)?.schema : a
    const fb = isObject(b) && typeof b.$ref === 'string' ? this.follow(b)?.schema : b
    if (fa === fb) return fa !== undefined
    if (Array.isArray(fa) && Array.isArray(fb)) return fa.length === fb.length && fa.every((v, i) => this.same(v, fb[i], depth + 1))
    if (!isObject(fa) || !isObject(fb)) return false
    const keys = (s: Schema): string[] =>
      Object.keys(s)
        .filter((k) => !ANNOTATIONS.has(k) && !k.startsWith('x-'))
        .sort()
    const ka = keys(fa)
    const kb = keys(fb)
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && this.same(fa[k], fb[k], depth + 1))
  }

  /**
   * Form bodies travel as text that the API reads back by the schema: "1" is a string and an
   * integer there, so every primitive type counts as one (string) and no proof rests on them.
   */
  coerced(t: JsonType): JsonType {
    return this.opts.coerce && PRIMITIVES.has(t) ? 'string' : t
  }

  private ownTypes(s: Schema): Node['own'] {
    // Text is read back as any primitive, but an enum value's text only as what it spells: 20160128
    // fits `type: string`, while "a" is never an integer, so `type: integer, enum: ["a"]` admits nothing.
    const own = ownTypes(s, this.opts.coerce === true)
    if (!own || !this.opts.coerce) return own
    return { types: new Set([...own.types].map((t) => this.coerced(t))), label: own.label }
  }
}

const PRIMITIVES: ReadonlySet<JsonType> = new Set(['null', 'boolean', 'string', 'integer', 'fraction'])

type Rule =
  | { kind: 'false' | 'type' | 'not' | 'anyOf' | 'oneOf' }
  | { kind: 'allOf'; branch: Node }
  | { kind: 'property'; name: string; node?: Node }
  | { kind: 'items'; at: string; node: Node }
  | { kind: 'bounds'; label: string }

/** The types a schema's own `type`, `nullable`, `enum` and `const` leave, with how to say them. */
function ownTypes(s: Schema, asText = false): Node['own'] {
  const typesOf = (v: unknown): JsonType[] => (asText ? textReadings(v) : [typeOfValue(v)])
  let types: Set<JsonType> | undefined
  const labels: string[] = []
  const restrict = (allowed: Set<JsonType>, label: string): void => {
    types = types ? new Set([...types].filter((t) => allowed.has(t))) : allowed
    labels.push(label)
  }
  const declared = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.filter((t): t is string => typeof t === 'string') : []
  if (declared.length > 0 && declared.every((t) => Object.hasOwn(TYPE_NAMES, t))) {
    const allowed = new Set(declared.flatMap((t) => TYPE_NAMES[t]!))
    if (s.nullable === true) allowed.add('null')
    restrict(allowed, [...declared, ...(s.nullable === true && !declared.includes('null') ? ['null'] : [])].join(' or '))
  }
  // An empty enum is a broken document, not a schema that means "nothing": no proof from it.
  if (Array.isArray(s.enum) && s.enum.length > 0) restrict(new Set(s.enum.flatMap(typesOf)), `one of ${JSON.stringify(s.enum)}`)
  if ('const' in s) restrict(new Set(typesOf(s.const)), `the constant ${JSON.stringify(s.const)}`)
  return types ? { types, label: labels.join(' and ') } : undefined
}

/** The types a value may be read as once sent as text: its own, a string, and what its text spells. */
function textReadings(v: unknown): JsonType[] {
  const own = typeOfValue(v)
  if (own === 'array' || own === 'object') return [own]
  const text = v === null ? '' : String(v)
  const out: JsonType[] = [own, 'string']
  if (/^-?\d+$/.test(text)) out.push('integer')
  else if (/^-?\d+\.\d+([eE][+-]?\d+)?$/.test(text)) out.push('fraction')
  if (text === 'true' || text === 'false') out.push('boolean')
  return out
}

const TYPE_NAMES: Readonly<Record<string, JsonType[]>> = {
  null: ['null'],
  boolean: ['boolean'],
  string: ['string'],
  integer: ['integer'],
  number: ['integer', 'fraction'],
  array: ['array'],
  object: ['object'],
}

function typeOfValue(v: unknown): JsonType {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'fraction'
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'object') return typeof v as JsonType
  return 'string'
}

/** Turns the proof for an empty schema into one line. */
class Explainer {
  constructor(
    private readonly graph: SchemaGraph,
    private readonly empty: Set<string>,
  ) {}

  explain(node: Node, label: string, stack: Node[] = []): string {
    if (stack.includes(node) || stack.length > 12) return `${label} admits no value`
    const { left, conflict } = this.typesLeft(node)
    if (conflict) return conflict
    // Each type the type keywords leave is ruled out by something else: say what, once per reason.
    const reasons: string[] = []
    for (const t of JSON_TYPES) {
      if (!left.has(t)) continue
      const rule = this.graph.rule(node, t, this.empty, new Set())
      if (!rule) continue
      const reason = this.describe(node, rule, label, [...stack, node])
      if (reason !== '' && !reasons.includes(reason)) reasons.push(reason)
    }
    return reasons.length > 0 ? reasons.join('; ') : `${label} admits no value`
  }

  private describe(node: Node, rule: Rule, label: string, stack: Node[]): string {
    switch (rule.kind) {
      case 'false':
        return `${label} is the schema false`
      case 'not':
        return `${label} has not: {}, which rules out every value`
      case 'type':
        return `${label} allows no type`
      case 'allOf':
        return this.explain(rule.branch, rule.branch.name ?? label, stack)
      case 'anyOf':
        return `no anyOf branch of ${label} admits a value (${this.explain(node.anyOf[0]!, node.anyOf[0]!.name ?? 'anyOf[0]', stack)})`
      case 'oneOf': {
        const twins = [...node.twins].map((i) => node.oneOf[i]!.name ?? `oneOf[${i}]`)
        if (twins.length > 0) return `the oneOf branches ${listNames([...new Set(twins)])} of ${label} are identical, so every value matches more than one`
        return `no oneOf branch of ${label} admits a value`
      }
      case 'property': {
        if (!rule.node) return `${label} requires ${rule.name}, which its additionalProperties: false forbids`
        const target = unwrapped(rule.node)
        const what = target.name
        if (stack.includes(target)) return `${label} requires ${rule.name}, itself ${what ? article(what) : 'the same schema'}: no finite value exists`
        return `${label} requires ${rule.name}${what ? `, ${article(what)}` : ''}, which admits no value: ${this.explain(target, what ?? rule.name, stack)}`
      }
      case 'bounds':
        return `${label} is an array with ${rule.label}: no length fits`
      case 'items': {
        const target = unwrapped(rule.node)
        if (stack.includes(target))
          return `${label} requires at least one item, itself ${target.name ? article(target.name) : 'the same schema'}: no finite value exists`
        return `${label} requires at least one item, and its ${rule.at} admit no value: ${this.explain(target, target.name ?? rule.at, stack)}`
      }
    }
  }

  /**
   * The types the schema's own type keywords and those of its allOf branches leave, and when they
   * leave none, why: "allOf requires both string and integer".
   */
  private typesLeft(node: Node): { left: Set<JsonType>; conflict?: string } {
    const constraints: Array<{ types: Set<JsonType>; label: string; fromAllOf: boolean }> = []
    const seen = new Set<Node>()
    const collect = (n: Node, fromAllOf: boolean): void => {
      if (seen.has(n)) return
      seen.add(n)
      if (n.own) constraints.push({ ...n.own, fromAllOf })
      for (const b of n.allOf) collect(b, true)
    }
    collect(node, false)
    const left = new Set(JSON_TYPES.filter((t) => constraints.every((c) => c.types.has(this.graph.coerced(t)))))
    if (left.size > 0) return { left }
    // One schema whose own keywords disagree: `type: string` with `enum: [1, 2]`.
    if (constraints.length === 1) return { left, conflict: `it must be both ${constraints[0]!.label}` }
    for (let i = 0; i < constraints.length; i++) {
      for (let j = i + 1; j < constraints.length; j++) {
        const [a, b] = [constraints[i]!, constraints[j]!]
        if ([...a.types].some((t) => b.types.has(t))) continue
        const where = a.fromAllOf && b.fromAllOf ? 'allOf requires' : 'its type and allOf require'
        return { left, conflict: `${where} both ${a.label} and ${b.label}` }
      }
    }
    return { left, conflict: `allOf requires ${listNames(constraints.map((c) => c.label))} at once` }
  }
}

/** The schema a `{allOf: [$ref], readOnly: true}`-style wrapper stands for (nothing but one allOf branch). */
function unwrapped(node: Node, depth = 0): Node {
  const s = node.schema
  if (depth > 8 || typeof s === 'boolean' || node.allOf.length !== 1 || node.own || node.anyOf.length > 0 || node.oneOf.length > 0) return node
  if (node.required.length > 0 || node.requiredItems.length > 0 || node.notEverything) return node
  return unwrapped(node.allOf[0]!, depth + 1)
}

// --- oneOf ambiguities --------------------------------------------------------------------------

/**
 * Every oneOf that `value` matches in more than one branch, found walking the value down the
 * schema (properties, items, allOf, the branch of a oneOf/anyOf it matches), each described as
 * "Cat and Dog both accept it, told apart only by the discriminator pet_type, which neither
 * constrains" (prefixed with where, "at config: ", below the top).
 */
export function oneOfAmbiguities(value: unknown, schema: unknown, opts: SchemaReadOptions = {}): string[] {
  const out: string[] = []
  walkOneOfs(value, schema, opts, (_v, s, matching, at) => {
    if (matching.length < 2) return
    const text = (at.length > 0 ? `at ${at.join('.')}: ` : '') + describeAmbiguity(s, matching, opts.resolveRef)
    if (!out.includes(text)) out.push(text)
  })
  return out
}

/**
 * Every oneOf that `value` matches in exactly one branch only thanks to properties that branch
 * does not declare, which another branch it would match refuses (what `disambiguate` adds), each
 * described as `its body carries "bark": "no" so that it matches only Cat, as ... requires; an API
 * that rejects unknown properties will refuse it — give each branch's pet_type an enum to tell
 * them apart`.
 */
export function oneOfDisambiguations(value: unknown, schema: unknown, opts: SchemaReadOptions = {}): string[] {
  const out: string[] = []
  const conformOpts: ConformOptions = { resolveRef: opts.resolveRef, direction: opts.direction, coerce: opts.coerce }
  walkOneOfs(value, schema, opts, (v, s, matching, at) => {
    const branches = s.oneOf as unknown[]
    if (matching.length !== 1 || !isObject(v)) return
    const { b, i } = matching[0]!
    const declared = declaredProperties(b, opts.resolveRef, true)
    const property = discriminatorProperty(s, opts.resolveRef) ?? branches.map((x) => discriminatorProperty(x, opts.resolveRef)).find((p) => p !== undefined)
    const added = Object.keys(v).filter((k) => {
      if (declared.has(k) || k === property) return false
      const { [k]: _added, ...rest } = v
      return countMatches(rest, branches, conformOpts, 0, 2) > 1
    })
    if (added.length === 0) return
    const carried = listNames(added.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(v[k])}`))
    const advice =
      property === undefined
        ? 'give the branches a required property with a different enum in each to tell them apart'
        : `give each branch's ${property} an enum to tell them apart`
    const text =
      `its body carries ${carried}${at.length > 0 ? ` at ${at.join('.')}` : ''} so that it matches only ${branchName(b, i, opts.resolveRef)}, as JSON Schema's oneOf (exactly one branch) requires; ` +
      `an API that rejects unknown properties will refuse it — ${advice}`
    if (!out.includes(text)) out.push(text)
  })
  return out
}

type OneOfVisit = (value: unknown, holder: Schema, matching: Array<{ b: unknown; i: number }>, at: string[]) => void

/**
 * Walks `value` down the schema (properties, items, allOf, the first branch of a oneOf/anyOf it
 * matches) and shows `visit` every oneOf met, with the branches the value matches and where
 * (the property path, empty at the top).
 */
function walkOneOfs(value: unknown, schema: unknown, opts: SchemaReadOptions, visit: OneOfVisit): void {
  const conformOpts: ConformOptions = { resolveRef: opts.resolveRef, direction: opts.direction, coerce: opts.coerce }
  const walk = (v: unknown, raw: unknown, at: string[], depth: number): void => {
    if (depth > 32) return
    const s = follow(raw, opts.resolveRef)
    if (!isObject(s)) return
    if (Array.isArray(s.oneOf) && s.oneOf.length > 1) {
      const matching = s.oneOf.map((b, i) => ({ b, i })).filter(({ b }) => conforms(v, b, conformOpts))
      visit(v, s, matching, at)
      if (matching[0]) walk(v, matching[0].b, at, depth + 1)
    }
    if (Array.isArray(s.anyOf)) {
      const first = s.anyOf.find((b) => conforms(v, b, conformOpts))
      if (first !== undefined) walk(v, first, at, depth + 1)
    }
    if (Array.isArray(s.allOf)) for (const b of s.allOf) walk(v, b, at, depth + 1)
    if (isObject(v) && isObject(s.properties)) {
      for (const [k, sub] of Object.entries(v)) if (Object.hasOwn(s.properties, k)) walk(sub, s.properties[k], [...at, k], depth + 1)
    }
    if (Array.isArray(v) && s.items !== undefined && !Array.isArray(s.items)) {
      v.forEach((item, i) => walk(item, s.items, [...at, String(i)], depth + 1))
    }
  }
  walk(value, schema, [], 0)
}

function describeAmbiguity(holder: Schema, matching: Array<{ b: unknown; i: number }>, resolveRef: SchemaReadOptions['resolveRef']): string {
  const names = listNames(matching.map(({ b, i }) => branchName(b, i, resolveRef)))
  const property = discriminatorProperty(holder, resolveRef) ?? matching.map(({ b }) => discriminatorProperty(b, resolveRef)).find((p) => p !== undefined)
  const all = matching.length === 2 ? 'both' : 'all'
  if (property === undefined) {
    return `${names} ${all} accept it, and no discriminator tells them apart`
  }
  const constrained = matching.some(({ b }) => constrainsProperty(b, property, resolveRef))
  const nobody = matching.length === 2 ? 'neither constrains' : 'none of them constrains'
  return `${names} ${all} accept it, told apart only by the discriminator ${property}${constrained ? '' : `, which ${nobody}`}`
}

function branchName(raw: unknown, index: number, resolveRef: SchemaReadOptions['resolveRef']): string {
  if (isObject(raw) && typeof raw.$ref === 'string') return decodeSegment(raw.$ref.slice(raw.$ref.lastIndexOf('/') + 1))
  const s = follow(raw, resolveRef)
  return isObject(s) && typeof s.title === 'string' ? s.title : `oneOf[${index}]`
}

/** The discriminator's property name, on the schema or inherited through allOf. */
function discriminatorProperty(raw: unknown, resolveRef: SchemaReadOptions['resolveRef'], depth = 0): string | undefined {
  const s = follow(raw, resolveRef)
  if (!isObject(s) || depth > 8) return undefined
  if (isObject(s.discriminator) && typeof s.discriminator.propertyName === 'string') return s.discriminator.propertyName
  if (!Array.isArray(s.allOf)) return undefined
  for (const b of s.allOf) {
    const found = discriminatorProperty(b, resolveRef, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

/** Whether the schema (allOf included) restricts `property` to certain values (enum or const). */
function constrainsProperty(raw: unknown, property: string, resolveRef: SchemaReadOptions['resolveRef'], depth = 0): boolean {
  const s = follow(raw, resolveRef)
  if (!isObject(s) || depth > 8) return false
  const prop = isObject(s.properties) ? follow(s.properties[property], resolveRef) : undefined
  if (isObject(prop) && (Array.isArray(prop.enum) || 'const' in prop)) return true
  return Array.isArray(s.allOf) && s.allOf.some((b) => constrainsProperty(b, property, resolveRef, depth + 1))
}

// --- helpers ------------------------------------------------------------------------------------

function follow(raw: unknown, resolveRef: SchemaReadOptions['resolveRef']): unknown {
  let current = raw
  for (let hops = 0; hops < 16 && isObject(current) && typeof current.$ref === 'string'; hops++) current = resolveRef?.(current.$ref)
  return current
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~')
  } catch {
    return segment
  }
}

/** "A and B", "A, B and C". */
function listNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

function article(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
