/** A request body read from an operation (OpenAPI 3 `requestBody`, Swagger 2.0 body or formData parameters). */
import { conforms } from './conforms.js'
import { isObject, type Obj } from './document.js'
import type { BodyFindings, BodySample, ParameterStyle, PartEncoding } from './model.js'
import { explicitExample, hasExplicitValue, sampleFromSchema, SAMPLE_FILE_CONTENT, SAMPLE_FILE_NAME } from './sample.js'
import { admitsNoValue, oneOfAmbiguities, oneOfDisambiguations } from './satisfiable.js'

export const STYLES: readonly ParameterStyle[] = ['form', 'simple', 'label', 'matrix', 'deepObject', 'spaceDelimited', 'pipeDelimited']

export class BodyReader {
  constructor(
    private readonly doc: Obj,
    private readonly resolveRef: (ref: string) => unknown,
    private readonly deref: (node: unknown) => unknown,
  ) {}

  /** Swagger 2.0 formData arrays: multi repeats the field, the other formats join the items. */
  private formDataValue(def: Obj, value: unknown): unknown {
    if (!Array.isArray(value)) return value
    const format = typeof def.collectionFormat === 'string' ? def.collectionFormat : 'csv'
    const sep = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' }[format]
    return sep === undefined ? value : value.map(String).join(sep)
  }

  /**
   * The body as sent, with what its description rules out (satisfiable.ts). An optional body is
   * left out when no value satisfies its schema (any value sent would be refused, while its
   * absence is what the spec allows) or when the spec declares no media type for it (bytes under
   * no declared type may be refused or ignored; no body is what the spec allows). A required body
   * without a declared media type goes as JSON with no Content-Type header; Swagger 2.0 formData
   * without `consumes` keeps the form type formData stands for (a server reads form fields only
   * under their Content-Type), and the plan warns about it.
   */
  checkedBody(read: BodyRead | undefined): { body?: BodySample; bodyFindings?: BodyFindings } {
    if (!read) return {}
    const opts = { resolveRef: this.resolveRef, direction: 'request' as const, coerce: read.coerce }
    const findings: BodyFindings = { required: read.required }
    const noValue = read.schema !== undefined ? admitsNoValue(read.schema, opts) : undefined
    if (noValue !== undefined) findings.admitsNoValue = noValue
    if (!read.mediaTypeDeclared) findings.mediaTypeUndeclared = true
    let body: BodySample | undefined = read.body
    if (!read.required && (noValue !== undefined || !read.mediaTypeDeclared)) body = undefined
    // formData keeps the form type it implies: no server parses form fields without it.
    if (body && !read.mediaTypeDeclared && !read.formData) body = { ...body, mediaTypeDeclared: false }
    if (body && noValue === undefined && read.schema !== undefined) {
      const ambiguities = oneOfAmbiguities(body.value, read.schema, opts)
      if (ambiguities.length > 0) findings.oneOfAmbiguities = ambiguities
      const disambiguations = oneOfDisambiguations(body.value, read.schema, opts)
      if (disambiguations.length > 0) findings.oneOfDisambiguations = disambiguations
    }
    const worthSaying = findings.admitsNoValue !== undefined || findings.mediaTypeUndeclared || findings.oneOfAmbiguities || findings.oneOfDisambiguations
    return { ...(body ? { body } : {}), ...(worthSaying ? { bodyFindings: findings } : {}) }
  }

  body3(raw: unknown): BodyRead | undefined {
    const rb = this.deref(raw)
    if (!isObject(rb) || !isObject(rb.content)) return undefined
    const contentType = pickContentType(Object.keys(rb.content))
    if (contentType === undefined) return undefined
    const media = this.deref(rb.content[contentType])
    const opts = { direction: 'request' as const, resolveRef: this.resolveRef, coerce: FORM_TYPES.has(baseType(contentType)) }
    const schema = isObject(media) ? media.schema : undefined
    let explicit = explicitExample(media, opts)
    if (explicit && typeof explicit.value === 'string' && isJson(contentType)) explicit = { value: parsedJsonExample(explicit.value, schema, this.resolveRef) }
    // An example that breaks the body's own schema would be rejected: synthesize instead.
    if (explicit && schema !== undefined && !conforms(explicit.value, schema, opts)) explicit = undefined
    let value = explicit ? explicit.value : sampleFromSchema(schema, opts)
    const type = baseType(contentType)
    if (type === 'application/x-www-form-urlencoded' && isObject(value))
      this.fillEmptyRequiredObjects(schema, value, isObject(media) ? media.encoding : undefined, opts)
    let encoding: Record<string, PartEncoding> | undefined
    if (FORM_TYPES.has(type)) encoding = this.partEncodings(schema, isObject(media) ? media.encoding : undefined, type, value)
    else if (!isJson(contentType) && (this.isBinary(schema) || (schema === undefined && !type.startsWith('text/')))) value = SAMPLE_FILE_CONTENT
    const body: BodySample = { contentType: concreteContentType(contentType), value: value ?? (isJson(contentType) ? {} : '') }
    if (encoding && Object.keys(encoding).length > 0) body.encoding = encoding
    return { body, schema, required: rb.required === true, mediaTypeDeclared: true, formData: false, coerce: opts.coerce }
  }

  /**
   * A URL-encoded deepObject property whose value is an empty object travels as nothing (no
   * `k[...]=` pair at all), so the API finds a required property missing: Stripe's
   * POST /v1/billing_portal/configurations requires business_profile and features, objects
   * with no required fields of their own. Such a property, at any depth, gets one property.
   */
  private fillEmptyRequiredObjects(schema: unknown, value: Obj, encodingMap: unknown, opts: SampleOpts): void {
    const encodings = isObject(encodingMap) ? encodingMap : {}
    const deep = Object.keys(value).filter((name) => isObject(encodings[name]) && encodings[name].style === 'deepObject')
    if (deep.length === 0) return
    const properties = this.objectProperties(schema)
    const required = this.requiredNames(schema)
    for (const name of deep) {
      const v = value[name]
      if (!isObject(v)) continue
      if (Object.keys(v).length === 0) {
        if (required.includes(name)) value[name] = this.oneProperty(properties[name], opts)
      } else this.fillEmptyNested(properties[name], v, opts, 0)
    }
  }

  /** Below the top of a deepObject, a required property holding an empty object gets one property. */
  private fillEmptyNested(schema: unknown, value: Obj, opts: SampleOpts, depth: number): void {
    if (depth > 8) return
    const properties = this.objectProperties(schema)
    const required = this.requiredNames(schema)
    for (const [name, v] of Object.entries(value)) {
      if (!isObject(v)) continue
      if (Object.keys(v).length === 0) {
        if (required.includes(name)) value[name] = this.oneProperty(properties[name], opts)
      } else this.fillEmptyNested(properties[name], v, opts, depth + 1)
    }
  }

  /**
   * An object that serializes to something: the first property (in the schema's order, readOnly
   * ones passed over) whose sample is not empty itself. One property, not all: the fewer values
   * made up, the fewer an API can refuse.
   */
  private oneProperty(schema: unknown, opts: SampleOpts): Obj {
    for (const [name, prop] of Object.entries(this.objectProperties(schema))) {
      const p = this.derefSchema(prop)
      if (isObject(p) && p.readOnly === true) continue
      const v = sampleFromSchema(prop, opts)
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue
      if (isObject(v)) {
        if (Object.keys(v).length === 0) continue
        this.fillEmptyNested(prop, v, opts, 1)
      }
      return { [name]: v }
    }
    return {}
  }

  /** The required property names of an object schema, allOf branches included. */
  private requiredNames(schema: unknown, depth = 0): string[] {
    const s = this.derefSchema(schema)
    if (!isObject(s) || depth > 8) return []
    const out = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []
    if (Array.isArray(s.allOf)) for (const branch of s.allOf) out.push(...this.requiredNames(branch, depth + 1))
    return out
  }

  /**
   * How each property of a form body is sent: multipart parts get the media type's
   * `encoding.contentType` (else 3.1's `contentMediaType`), and binary properties become file
   * parts carrying the generated file; URL-encoded properties get the encoding's style/explode.
   * Replaces binary values in `value` by the file's content.
   */
  private partEncodings(schema: unknown, encodingMap: unknown, type: string, value: unknown): Record<string, PartEncoding> {
    const out: Record<string, PartEncoding> = {}
    if (!isObject(value)) return out
    const properties = this.objectProperties(schema)
    const encodings = isObject(encodingMap) ? encodingMap : {}
    for (const key of Object.keys(value)) {
      const prop = this.derefSchema(properties[key])
      const enc = isObject(encodings[key]) ? encodings[key] : {}
      const part: PartEncoding = {}
      if (type === 'multipart/form-data') {
        const declared =
          typeof enc.contentType === 'string'
            ? enc.contentType.split(',')[0]!.trim()
            : isObject(prop) && typeof prop.contentMediaType === 'string'
              ? prop.contentMediaType
              : undefined
        if (declared) part.contentType = declared.includes('*') ? 'application/octet-stream' : declared
        const items = isObject(prop) && prop.type === 'array' ? this.derefSchema(prop.items) : undefined
        if (this.isBinary(prop) || (items !== undefined && this.isBinary(items))) {
          part.filename = SAMPLE_FILE_NAME
          value[key] = Array.isArray(value[key]) ? (value[key] as unknown[]).map(() => SAMPLE_FILE_CONTENT) : SAMPLE_FILE_CONTENT
        }
      } else {
        if (typeof enc.style === 'string' && (STYLES as readonly string[]).includes(enc.style)) part.style = enc.style as ParameterStyle
        if (typeof enc.explode === 'boolean') part.explode = enc.explode
      }
      if (Object.keys(part).length > 0) out[key] = part
    }
    return out
  }

  /** The properties of an object schema, allOf branches included. */
  private objectProperties(schema: unknown, depth = 0): Obj {
    const s = this.derefSchema(schema)
    if (!isObject(s) || depth > 8) return {}
    const out: Obj = {}
    if (Array.isArray(s.allOf)) for (const branch of s.allOf) Object.assign(out, this.objectProperties(branch, depth + 1))
    if (isObject(s.properties)) Object.assign(out, s.properties)
    return out
  }

  /** A file's content: `format: binary`, Swagger's `type: file`, or 3.1 `contentMediaType` without `contentEncoding`. */
  private isBinary(schema: unknown): boolean {
    const s = this.derefSchema(schema)
    if (!isObject(s)) return false
    return s.format === 'binary' || s.type === 'file' || (typeof s.contentMediaType === 'string' && s.contentEncoding === undefined && s.type !== 'object')
  }

  private derefSchema(schema: unknown): unknown {
    let s = schema
    for (let i = 0; i < 16 && isObject(s) && typeof s.$ref === 'string'; i++) s = this.resolveRef(s.$ref)
    return s
  }

  body2(op: Obj, bodyParam: Param | undefined, formParams: Param[]): BodyRead | undefined {
    const consumes = (Array.isArray(op.consumes) ? op.consumes : Array.isArray(this.doc.consumes) ? this.doc.consumes : []).filter(
      (c): c is string => typeof c === 'string',
    )
    const opts = { direction: 'request' as const, resolveRef: this.resolveRef, coerce: false }
    if (bodyParam) {
      const def = bodyParam.def
      // No consumes: the spec declares no media type. The value is still JSON (what Swagger tools
      // send); checkedBody leaves the Content-Type header out.
      const declared = pickContentType(consumes)
      const contentType = declared ?? 'application/json'
      const examples = isObject(def['x-examples']) ? def['x-examples'] : undefined
      let value = examples && contentType in examples ? examples[contentType] : undefined
      if (value !== undefined && !conforms(value, def.schema, opts)) value = undefined
      value ??= sampleFromSchema(def.schema, opts)
      if (!isJson(contentType) && this.isBinary(def.schema)) value = SAMPLE_FILE_CONTENT
      return {
        body: { contentType: concreteContentType(contentType), value: value ?? (isJson(contentType) ? {} : '') },
        schema: def.schema,
        required: def.required === true,
        mediaTypeDeclared: declared !== undefined,
        formData: false,
        coerce: false,
      }
    }
    if (formParams.length === 0) return undefined
    const multipart = consumes.some((c) => c.startsWith('multipart/form-data')) || formParams.some((p) => p.def.type === 'file')
    const contentType = multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded'
    const value: Obj = {}
    const encoding: Record<string, PartEncoding> = {}
    opts.coerce = true
    for (const p of formParams) {
      let explicit = p.def['x-example'] !== undefined ? { value: p.def['x-example'] } : explicitExample(p.def, opts)
      if (explicit && !conforms(explicit.value, p.def, opts)) explicit = undefined
      if (p.def.required !== true && !explicit && !hasExplicitValue(p.def, opts)) continue
      if (p.def.type === 'file') {
        value[p.name] = SAMPLE_FILE_CONTENT
        encoding[p.name] = { filename: SAMPLE_FILE_NAME }
        continue
      }
      const v = explicit ? explicit.value : sampleFromSchema(p.def, opts)
      if (v !== undefined) value[p.name] = this.formDataValue(p.def, v)
    }
    return {
      body: { contentType, value, ...(Object.keys(encoding).length > 0 ? { encoding } : {}) },
      required: formParams.some((p) => p.def.required === true),
      mediaTypeDeclared: consumes.length > 0,
      formData: true,
      coerce: true,
    }
  }
}

type SampleOpts = { resolveRef: (ref: string) => unknown; direction: 'request'; coerce: boolean }

/** A request body as read from the spec, before `checkedBody` decides what is sent. */
export interface BodyRead {
  body: BodySample
  /** The schema the value was sampled from (none for Swagger 2.0 formData: one schema per field). */
  schema?: unknown
  required: boolean
  /** False for Swagger 2.0 bodies without `consumes`. */
  mediaTypeDeclared: boolean
  /** Swagger 2.0 formData parameters: the body is URL-encoded or multipart by definition. */
  formData: boolean
  /** Form bodies: values are text the API reads back by the schema (see `conforms`). */
  coerce: boolean
}

export interface Param {
  /** "in:name" (header names lower-cased): what an operation-level parameter overrides. */
  id: string
  name: string
  in: string
  def: Obj
}

/**
 * A JSON body's example written as a string holding JSON ("{\"name\": \"Fluffy\"}") is that JSON,
 * unless the schema says the body is a JSON string.
 */
function parsedJsonExample(value: string, schema: unknown, resolveRef: (ref: string) => unknown): unknown {
  let s = schema
  for (let i = 0; i < 16 && isObject(s) && typeof s.$ref === 'string'; i++) s = resolveRef(s.$ref)
  if (isObject(s) && (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')))) return value
  if (!/^\s*[[{]/.test(value)) return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}

/**
 * application/json if offered, else another JSON type (…+json, or with parameters), else a form
 * type (URL-encoded, then multipart), else text/plain, else the first one declared.
 */
function pickContentType(types: string[]): string | undefined {
  const by = (wanted: string): string | undefined => types.find((t) => baseType(t) === wanted)
  return (
    by('application/json') ??
    types.find((t) => isJson(t) && !t.includes('*')) ??
    by('application/x-www-form-urlencoded') ??
    by('multipart/form-data') ??
    by('text/plain') ??
    types[0]
  )
}

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data'])

function baseType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase()
}

function isJson(contentType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json(?:\s*;.*)?$/i.test(contentType.trim()) || contentType === '*/*' || contentType === 'application/*'
}

/** A wildcard media range is not something a request can declare: send JSON. */
function concreteContentType(contentType: string): string {
  return contentType === '*/*' || contentType === 'application/*' ? 'application/json' : contentType
}
