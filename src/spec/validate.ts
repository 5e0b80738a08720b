/** Full validation of a spec by swagger-parser: every problem collected, each ruling out its operations or warned about. */
import SwaggerParser from '@apidevtools/swagger-parser'
import { UserError } from '../errors.js'
import { describe, isObject, oneLine, pointerSegments, typedSegments, valueAt, type Family, type Obj, type Source } from './document.js'
import { HTTP_METHODS, type Endpoint, type HttpMethod } from './model.js'
import type { Segment, SpecProblems } from './problems.js'
import { validateOpenApi30, validateOpenApi31, validateSwagger20 } from './openapi-validators.generated.js'
import { refParserError } from './refs.js'

/** Documents up to this many characters are validated in full by swagger-parser (docs/spec-loading.md, step 6). */
export const FULL_VALIDATION_MAX_CHARS = 2_000_000

/** Values of the document are quoted in messages up to this many characters. */
const SHOWN_VALUE_MAX_CHARS = 60

/** The document without operations the plan skips anyway, so their own faults do not refuse the rest. */
export function withoutOperations(doc: Obj, endpoints: Array<Pick<Endpoint, 'path' | 'method'>>): Obj {
  if (endpoints.length === 0 || !isObject(doc.paths)) return doc
  const paths: Obj = { ...doc.paths }
  for (const { path, method } of endpoints) {
    const item = paths[path]
    if (!isObject(item) || typeof item.$ref === 'string') continue
    const { [method.toLowerCase()]: _dropped, ...rest } = item
    paths[path] = rest
  }
  return { ...doc, paths }
}

interface Collected {
  problems: SpecProblems
  /** Places `tolerateMistakes` already read its own way and warned about. */
  tolerated: Segment[][]
  where: (at: Segment[]) => string
}

/**
 * Validates the document against its OpenAPI version's JSON Schema (and Swagger 2.0's own rules),
 * collecting every problem: unknown properties are warnings (`x-` extensions not even that),
 * anything else wrong inside an operation rules that operation out (returned: key → reason),
 * inside a path item's parameters each of its operations, elsewhere a warning.
 */
export async function validateFully(doc: Obj, family: Family, src: Source, collected: Collected): Promise<Map<string, string>> {
  const what = family === '2.0' ? 'Swagger 2.0' : `OpenAPI ${family}`
  const invalid = new Map<string, string>()
  const schemaErrors = await swaggerParserErrors(doc, src, { schema: true, spec: false })
  if (schemaErrors instanceof UserError) {
    collected.problems.warn(`invalid ${what}`, [], schemaErrors.message)
    return invalid
  }
  for (const problem of triageAjvErrors(schemaErrors, doc, collected.tolerated)) {
    if (problem.kind === 'unknown') {
      collected.problems.warn('unknown properties ignored', problem.at, `${describe(problem.segments)} has unknown property '${problem.property}' (ignored)`)
      continue
    }
    const operations = operationsAt(doc, problem.segments)
    const message = `invalid ${what} document: ${describe(problem.segments)} ${problem.message}`
    if (operations.length === 0) collected.problems.warn(`invalid ${what}`, problem.at, message)
    for (const key of operations) if (!invalid.has(key)) invalid.set(key, `${collected.where(problem.at)}: ${message}`)
  }
  // Swagger 2.0's own rules (duplicate ids and parameters, file parameters...) stop at the first
  // broken one: each is reported, its operation left out of the next round.
  if (family !== '2.0' || schemaErrors.length > 0) return invalid
  let remaining = doc
  for (let round = 0; round < 20; round++) {
    const err = await swaggerParserErrors(remaining, src, { schema: false, spec: true })
    if (!(err instanceof UserError)) break
    const place = /\/paths(\/\S*?)\/(get|put|post|delete|options|head|patch)\b/.exec(err.message)
    const segments: Segment[] = place ? ['paths', place[1]!, place[2]!] : []
    collected.problems.warn(`invalid ${what}`, segments, `${err.message} (read as written)`)
    if (!place) break
    remaining = withoutOperations(remaining, [{ path: place[1]!, method: place[2]!.toUpperCase() as HttpMethod }])
  }
  return invalid
}

/**
 * swagger-parser's validation: ajv's errors of the schema stage, a `UserError` for anything else.
 * The schema stage runs swagger-parser's own steps (dereference with circular $refs left alone,
 * then its JSON Schema for the version) with the schemas compiled ahead of time
 * (scripts/precompile-openapi-validators.mjs) instead of compiling them on every run.
 */
async function swaggerParserErrors(doc: Obj, src: Source, validate: { schema: boolean; spec: boolean }): Promise<AjvError[] | UserError> {
  const options = { resolve: { external: false }, dereference: { circular: 'ignore' as const } }
  try {
    if (validate.schema) {
      const api = (await new SwaggerParser().dereference(src.location, structuredClone(doc) as never, options)) as Obj
      const validator = typeof api.swagger === 'string' ? validateSwagger20 : String(api.openapi).startsWith('3.1') ? validateOpenApi31 : validateOpenApi30
      if (!validator(api)) return (validator.errors ?? []) as AjvError[]
    }
    if (validate.spec) await new SwaggerParser().validate(src.location, structuredClone(doc) as never, { ...options, validate: { schema: false, spec: true } })
    return []
  } catch (err) {
    const e = err as Error & { details?: AjvError[] }
    if (Array.isArray(e.details) && e.details.length > 0) return e.details
    if (e.name === 'SyntaxError' || e.name === 'ReferenceError')
      return new UserError(oneLine(e.message).replace(/^Validation failed\.\s*/, ''), { file: src.name })
    return refParserError(err, src)
  }
}

interface AjvError {
  instancePath: string
  schemaPath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

type Triaged =
  { kind: 'unknown'; segments: Segment[]; property: string; at: Segment[] } | { kind: 'invalid'; segments: Segment[]; message: string; at: Segment[] }

/**
 * ajv's errors as problems: oneOf's "or it could have been a $ref" noise and the branches a
 * Swagger 2.0 parameter's `in` rules out dropped, `x-` extensions and tolerated places passed
 * over, one problem per place (the first real error there, its unknown properties apart).
 */
function triageAjvErrors(errors: AjvError[], doc: unknown, tolerated: Segment[][]): Triaged[] {
  const noise = new Set(['oneOf', 'anyOf', 'if', 'then', 'else', 'not', '$ref', 'false schema'])
  const isTolerated = (at: Segment[]): boolean => tolerated.some((t) => t.length <= at.length && t.every((s, i) => String(s) === String(at[i])))
  const out: Triaged[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    if (noise.has(e.keyword) || (e.keyword === 'required' && e.params.missingProperty === '$ref')) continue
    const segments = typedSegments(pointerSegments(`#${e.instancePath}`), doc)
    if (!fromMatchingBranch(e, segments, doc)) continue
    const property =
      e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : e.keyword === 'required' ? String(e.params.missingProperty) : undefined
    const at = property === undefined ? segments : [...segments, property]
    if (isTolerated(at)) continue
    if (e.keyword === 'additionalProperties') {
      if (property!.startsWith('x-')) continue
      const id = `unknown ${JSON.stringify(at)}`
      if (!seen.has(id)) out.push({ kind: 'unknown', segments, property: property!, at })
      seen.add(id)
      continue
    }
    const id = `invalid ${JSON.stringify(segments)}`
    if (seen.has(id)) continue
    seen.add(id)
    out.push({ kind: 'invalid', segments, message: ajvMessage(e, errors, segments, doc), at: e.keyword === 'required' ? segments : at })
  }
  return out
}

/**
 * Swagger 2.0 describes a parameter as one of body, header, formData, query and path parameters:
 * errors of the branches its own `in` rules out say nothing about it.
 */
function fromMatchingBranch(e: AjvError, segments: Segment[], doc: unknown): boolean {
  const branch = /(bodyParameter|headerParameterSubSchema|formDataParameterSubSchema|queryParameterSubSchema|pathParameterSubSchema)/.exec(e.schemaPath)?.[1]
  if (!branch) return true
  // A wrong `in` is the reader's to report (the operation is ruled out there).
  if (e.instancePath.endsWith('/in')) return false
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = valueAt(doc, segments.slice(0, depth))
    if (isObject(node) && typeof node.in === 'string') return branch === (node.in === 'body' ? 'bodyParameter' : `${node.in}ParameterSubSchema`)
  }
  return true
}

function ajvMessage(e: AjvError, errors: AjvError[], segments: Segment[], doc: unknown): string {
  const actual = valueAt(doc, segments)
  switch (e.keyword) {
    case 'required':
      return `is missing required property '${String(e.params.missingProperty)}'`
    case 'enum': {
      const allowed = new Set<unknown>()
      for (const other of errors)
        if (other.keyword === 'enum' && other.instancePath === e.instancePath) for (const v of (other.params.allowedValues as unknown[]) ?? []) allowed.add(v)
      return `is ${shownValue(actual)}; allowed: ${[...allowed].map((v) => JSON.stringify(v)).join(', ')}`
    }
    case 'type':
      return `must be ${String(e.params.type)}, not ${shownValue(actual)}`
    default:
      return e.message ?? e.keyword
  }
}

/** The operations (keys) a problem at `segments` rules out: its own, or every one of a path item whose parameters it is in. */
function operationsAt(doc: Obj, segments: Segment[]): string[] {
  if (segments[0] !== 'paths' || segments.length < 3) return []
  const path = String(segments[1])
  const item = isObject(doc.paths) ? doc.paths[path] : undefined
  if (!isObject(item)) return []
  const method = String(segments[2]).toUpperCase()
  if ((HTTP_METHODS as readonly string[]).includes(method)) return [`${method} ${path}`]
  if (segments[2] !== 'parameters') return []
  return HTTP_METHODS.filter((m) => isObject(item[m.toLowerCase()])).map((m) => `${m} ${path}`)
}

/** A value of the document in a message: short, since it may be a whole file a $ref read as text. */
function shownValue(value: unknown): string {
  const json = JSON.stringify(value) ?? 'undefined'
  return json.length <= SHOWN_VALUE_MAX_CHARS ? json : `${json.slice(0, SHOWN_VALUE_MAX_CHARS - 1)}… (${json.length} characters)`
}
