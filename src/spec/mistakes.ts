/**
 * Common authoring slips whose meaning is not in doubt, read as their authors meant them, each
 * with a warning (what Prism and OpenAPI Generator do with the same documents): `type: int`, a
 * path parameter without `required: true`, and in Swagger 2.0 the OpenAPI 3 habits generators
 * such as flasgger leave (a parameter's `schema`/`style`/`explode`, untyped or object parameters,
 * `trace` operations). Operations without `responses` count any 2xx/3xx as success.
 * The document is corrected in place; the places corrected are returned, so that full validation
 * does not report them a second time.
 */
import type { Segment, SpecProblems } from './problems.js'

type Obj = Record<string, unknown>

/** Keywords whose values are data, not schemas: a `type: int` inside an example is the example's business. */
const DATA_KEYWORDS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-example', 'x-examples'])

/** The schema keywords a Swagger 2.0 parameter carries itself (the rest of an OpenAPI 3 `schema` is dropped). */
const PARAMETER_SCHEMA_KEYWORDS = [
  'type',
  'format',
  'items',
  'collectionFormat',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
] as const

const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export function tolerateMistakes(doc: Obj, family: '2.0' | '3.0' | '3.1', problems: SpecProblems): Segment[][] {
  const tolerated: Segment[][] = []
  const note = (kind: string, at: Segment[], message: string): void => {
    problems.warn(kind, at, message)
    tolerated.push(at)
  }

  walkTypes(doc, [], note)

  const eachParameter = (list: unknown, at: Segment[]): void => {
    const entries: Array<[Segment, unknown]> = Array.isArray(list) ? list.map((p, i) => [i, p]) : isObject(list) ? Object.entries(list) : []
    for (const [key, p] of entries) if (isObject(p) && typeof p.$ref !== 'string') parameter(p, [...at, key])
  }
  const parameter = (p: Obj, at: Segment[]): void => {
    if (p.in === 'path' && p.required !== true) {
      p.required = true
      note(
        'path parameters read as required',
        [...at, ...('required' in p ? ['required'] : [])],
        `path parameter '${String(p.name)}' is not marked required: true; read as required (a path cannot leave it out)`,
      )
    }
    if (family !== '2.0' || p.in === 'body') return
    const written3 = isObject(p.schema)
    if (isObject(p.schema)) {
      const schema = p.schema
      for (const key of PARAMETER_SCHEMA_KEYWORDS) if (p[key] === undefined && schema[key] !== undefined) p[key] = schema[key]
      if (p.type === 'array' && p.style === 'form' && p.explode !== false) p.collectionFormat ??= 'multi'
      delete p.schema
      delete p.style
      delete p.explode
      note(
        'OpenAPI 3 parameters in Swagger 2.0 read as such',
        at,
        `parameter '${String(p.name)}' is written as in OpenAPI 3 (schema, style, explode); read its schema as the parameter's type${p.type === 'object' ? ' (an object, sent as OpenAPI 3 does: style form, exploded)' : ''}`,
      )
    }
    if (p.type === undefined) {
      p.type = 'string'
      note('untyped parameters read as strings', at, `parameter '${String(p.name)}' has no type; read as a string`)
    } else if (p.type === 'object' && !written3) {
      note(
        'object parameters read as in OpenAPI 3',
        [...at, 'type'],
        `parameter '${String(p.name)}' is an object, which Swagger 2.0 does not allow outside the body; read as OpenAPI 3 does (style form, exploded)`,
      )
    }
  }

  if (family === '2.0') eachParameter(doc.parameters, ['parameters'])
  else if (isObject(doc.components)) eachParameter(doc.components.parameters, ['components', 'parameters'])
  if (!isObject(doc.paths)) return tolerated
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObject(item) || typeof item.$ref === 'string') continue
    eachParameter(item.parameters, ['paths', path, 'parameters'])
    for (const method of OPERATION_KEYS) {
      const op = item[method]
      if (!isObject(op)) continue
      const at = ['paths', path, method]
      if (family === '2.0' && method === 'trace')
        note(
          'trace operations in Swagger 2.0 read as in OpenAPI 3',
          at,
          `Swagger 2.0 has no trace operations; ${method.toUpperCase()} ${path} is read as OpenAPI 3 would`,
        )
      if (family !== '3.1' && !isObject(op.responses)) {
        note('operations without responses', [...at, 'responses'], `${method.toUpperCase()} ${path} declares no responses; any 2xx or 3xx counts as success`)
      }
      eachParameter(op.parameters, [...at, 'parameters'])
    }
  }
  return tolerated
}

/** `type: int` anywhere a schema can be: read as integer (JSON Schema has no `int`). */
function walkTypes(node: unknown, at: Segment[], note: (kind: string, at: Segment[], message: string) => void, seen = new Set<object>()): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return
  seen.add(node)
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      at.push(i)
      walkTypes(node[i], at, note, seen)
      at.pop()
    }
    return
  }
  const obj = node as Obj
  if (obj.type === 'int') {
    obj.type = 'integer'
    note("'type: int' read as integer", [...at, 'type'], "'type: int' is not a JSON Schema type; read as integer")
  }
  for (const key in obj) {
    const value = obj[key]
    if (typeof value !== 'object' || value === null || DATA_KEYWORDS.has(key) || key.startsWith('x-')) continue
    at.push(key)
    walkTypes(value, at, note, seen)
    at.pop()
  }
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
