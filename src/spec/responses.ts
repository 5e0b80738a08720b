/**
 * What an operation's success responses say about other operations' values: whether the body
 * lists resources (so the item operation below it can take real ids from it, src/plan/values.ts)
 * and the OpenAPI 3 links that name where a parameter's value comes from.
 * Pure: the raw `responses` object in, `$ref`s followed through the caller's `deref`.
 */
import type { ResponseLink, ResponseListing } from './model.js'

type Obj = Record<string, unknown>
type Deref = (node: unknown) => unknown

/** Property names that hold the items when the body is an envelope with more than one array. */
const ENVELOPE_PROPERTIES = ['data', 'items', 'results', 'records', 'entries', 'content', 'values', 'list', 'elements'] as const
const SCALAR_TYPES = new Set(['string', 'integer', 'number'])
const MAX_DEPTH = 8

/** The success responses in the order they are read: 200 first, then the other 2xx codes, then 2XX. */
function successResponses(responses: unknown, deref: Deref): Obj[] {
  if (!isObject(responses)) return []
  const codes = Object.keys(responses)
    .filter((code) => /^2(\d\d|XX)$/i.test(code))
    .sort((a, b) => (a === '200' ? -1 : b === '200' ? 1 : a.localeCompare(b)))
  return codes.map((code) => deref(responses[code])).filter(isObject)
}

/** The JSON schema of a response: Swagger 2.0's `schema`, or the JSON media type's in OpenAPI 3. */
function jsonSchema(response: Obj, deref: Deref): unknown {
  if (response.schema !== undefined) return response.schema
  if (!isObject(response.content)) return undefined
  const entry = Object.entries(response.content).find(([type]) => /^application\/(?:[\w.-]+\+)?json\b/i.test(type) || type === '*/*')
  const media = entry ? deref(entry[1]) : undefined
  return isObject(media) ? media.schema : undefined
}

/** Whether (and where) the first success response's JSON body lists objects with scalar fields. */
export function responseListing(responses: unknown, deref: Deref): ResponseListing | undefined {
  for (const response of successResponses(responses, deref)) {
    const schema = flatten(jsonSchema(response, deref), deref)
    if (!schema) continue
    const direct = itemFieldsOf(schema, deref)
    if (direct) return { itemFields: direct }
    const properties = isObject(schema.properties) ? schema.properties : {}
    const arrays = Object.entries(properties)
      .map(([name, prop]) => ({ name, fields: itemFieldsOf(flatten(prop, deref), deref) }))
      .filter((a): a is { name: string; fields: string[] } => a.fields !== undefined)
    const chosen = arrays.length === 1 ? arrays[0] : arrays.find((a) => (ENVELOPE_PROPERTIES as readonly string[]).includes(a.name.toLowerCase()))
    if (chosen) return { property: chosen.name, itemFields: chosen.fields }
    return undefined
  }
  return undefined
}

/** The scalar fields of an array schema's items; undefined when `schema` is no array of objects. */
function itemFieldsOf(schema: Obj | undefined, deref: Deref): string[] | undefined {
  if (!schema || !(schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array')) || schema.items !== undefined)) return undefined
  const items = flatten(schema.items, deref)
  if (!items || !isObject(items.properties)) return undefined
  const fields = Object.entries(items.properties)
    .filter(([, prop]) => {
      const p = flatten(prop, deref)
      const types = p ? (Array.isArray(p.type) ? p.type : [p.type]) : []
      return types.some((t) => typeof t === 'string' && SCALAR_TYPES.has(t))
    })
    .map(([name]) => name)
  return fields.length > 0 ? fields : undefined
}

/** A schema with its `$ref`s followed and its `allOf` parts' properties merged (enough to find fields). */
function flatten(node: unknown, deref: Deref, depth = 0): Obj | undefined {
  const schema = deref(node)
  if (!isObject(schema) || depth > MAX_DEPTH) return undefined
  if (!Array.isArray(schema.allOf)) return schema
  const merged: Obj = { ...schema, properties: { ...(isObject(schema.properties) ? schema.properties : {}) } }
  delete merged.allOf
  for (const part of schema.allOf) {
    const flat = flatten(part, deref, depth + 1)
    if (!flat) continue
    Object.assign(merged.properties as Obj, isObject(flat.properties) ? flat.properties : {})
    for (const key of ['type', 'items'] as const) if (merged[key] === undefined && flat[key] !== undefined) merged[key] = flat[key]
  }
  return merged
}

/** The links of the success responses (OpenAPI 3); those by operationRef are left out (they name no operationId). */
export function responseLinks(responses: unknown, deref: Deref): ResponseLink[] {
  const links: ResponseLink[] = []
  for (const response of successResponses(responses, deref)) {
    if (!isObject(response.links)) continue
    for (const raw of Object.values(response.links)) {
      const link = deref(raw)
      if (!isObject(link) || typeof link.operationId !== 'string' || !isObject(link.parameters)) continue
      const parameters: Record<string, string> = {}
      for (const [name, expression] of Object.entries(link.parameters)) if (typeof expression === 'string') parameters[name] = expression
      if (Object.keys(parameters).length > 0) links.push({ operationId: link.operationId, parameters })
    }
  }
  return links
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
