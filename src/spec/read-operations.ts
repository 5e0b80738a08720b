/** The operations of a spec document as `Endpoint`s: parameters, servers, security and one request each. */
import { UserError } from '../errors.js'
import { conforms } from './conforms.js'
import { describe, isObject, locate, type Family, type Obj, type Source } from './document.js'
import {
  HTTP_METHODS,
  type ApiSpec,
  type Endpoint,
  type HttpMethod,
  type ParameterLocation,
  type ParameterSample,
  type ParameterStyle,
  type SecurityScheme,
} from './model.js'
import { BodyReader, STYLES, type Param } from './read-body.js'
import type { Segment, SpecProblems } from './problems.js'
import { createRefResolver } from './refs.js'
import { explicitExample, hasExplicitValue, hasSpecValue, sampleFromSchema } from './sample.js'
import { responseLinks, responseListing } from './responses.js'
import { admitsNoValue } from './satisfiable.js'

/**
 * Header parameters the OpenAPI specification says to ignore (the request sets them itself).
 * `Authorization` is ignored too unless the parameter is required: then the API (and validators
 * such as Prism) expect it, and configured credentials that send one replace it in the script.
 */
const IGNORED_HEADERS = new Set(['accept', 'content-type'])

/** Swagger 2.0 collectionFormat → the query style that sends the same thing (multi: form, exploded). */
const COLLECTION_FORMAT_STYLES: Readonly<Record<string, { style?: ParameterStyle; explode?: boolean }>> = {
  csv: { explode: false },
  ssv: { style: 'spaceDelimited' },
  tsv: { style: 'tabDelimited' },
  pipes: { style: 'pipeDelimited' },
  multi: {},
}

export class SpecReader {
  private readonly resolveRef: (ref: string) => unknown
  private readonly bodies: BodyReader

  constructor(
    private readonly doc: Obj,
    private readonly family: Family,
    private readonly src: Source,
    private readonly problems: SpecProblems,
  ) {
    this.resolveRef = createRefResolver(doc)
    this.bodies = new BodyReader(doc, this.resolveRef, (node) => this.deref(node))
  }

  read(specVersion: string): ApiSpec {
    // The title and version only label reports: without them the file's name labels them.
    const info = isObject(this.doc.info) ? this.doc.info : {}
    const text = (key: 'title' | 'version'): string | undefined => {
      const value = info[key]
      if (typeof value === 'string') return value
      if (typeof value === 'number') return String(value)
      this.problems.warn('document header', isObject(this.doc.info) ? ['info'] : [], `the document has no info.${key}`)
      return undefined
    }
    return {
      source: this.src.name,
      title: text('title') ?? this.src.name,
      version: text('version') ?? '',
      specVersion,
      servers: this.servers(),
      securitySchemes: this.securitySchemes(),
      endpoints: this.endpoints(),
      warnings: [],
    }
  }

  private servers(): string[] {
    if (this.family === '2.0') {
      const basePath = typeof this.doc.basePath === 'string' ? this.doc.basePath : ''
      const schemes = Array.isArray(this.doc.schemes) ? this.doc.schemes.filter((s): s is string => typeof s === 'string') : []
      if (typeof this.doc.host === 'string' && this.doc.host !== '') {
        const scheme = schemes[0] ?? (this.src.isUrl ? new URL(this.src.location).protocol.slice(0, -1) : 'http')
        return [`${scheme}://${this.doc.host}${basePath}`]
      }
      // No host: the API is served where the document is.
      if (this.src.isUrl) return [`${new URL(this.src.location).origin}${basePath}`]
      return basePath ? [basePath] : []
    }
    return this.serverList(this.doc.servers)
  }

  /**
   * Server Objects → URLs: variables filled with their default; relative URLs resolved against
   * the document's own URL when it was fetched.
   */
  private serverList(raw: unknown): string[] {
    if (!Array.isArray(raw)) return []
    const out: string[] = []
    for (const entry of raw) {
      const server = this.deref(entry)
      if (!isObject(server) || typeof server.url !== 'string') continue
      const variables = isObject(server.variables) ? server.variables : {}
      let url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        const v = variables[name]
        return isObject(v) && v.default !== undefined ? String(v.default) : whole
      })
      if (this.src.isUrl && !/^[a-z][a-z0-9+.-]*:/i.test(url)) {
        try {
          url = new URL(url, this.src.location).href
        } catch {
          // keep it as written
        }
      }
      out.push(url)
    }
    return out
  }

  private securitySchemes(): Record<string, SecurityScheme> {
    const declared = this.family === '2.0' ? this.doc.securityDefinitions : isObject(this.doc.components) ? this.doc.components.securitySchemes : undefined
    const out: Record<string, SecurityScheme> = {}
    if (!isObject(declared)) return out
    for (const [name, raw] of Object.entries(declared)) {
      const s = this.deref(raw)
      if (!isObject(s)) continue
      const type = typeof s.type === 'string' ? s.type : ''
      const httpScheme = typeof s.scheme === 'string' ? s.scheme.toLowerCase() : ''
      if (type === 'apiKey') {
        const where = s.in === 'header' || s.in === 'query' || s.in === 'cookie' ? s.in : undefined
        out[name] = { name, kind: 'api-key', ...(where ? { in: where } : {}), ...(typeof s.name === 'string' ? { paramName: s.name } : {}) }
      } else if (type === 'basic' || (type === 'http' && httpScheme === 'basic')) out[name] = { name, kind: 'http-basic' }
      else if (type === 'http' && httpScheme === 'bearer') out[name] = { name, kind: 'http-bearer' }
      else if (type === 'oauth2') out[name] = { name, kind: 'oauth2' }
      else if (type === 'openIdConnect') out[name] = { name, kind: 'openIdConnect' }
      else out[name] = { name, kind: 'other' }
    }
    return out
  }

  private endpoints(): Endpoint[] {
    const paths = this.doc.paths
    if (paths === undefined && this.family === '3.1') return [] // 3.1 allows webhooks/components only
    if (!isObject(paths)) this.fail(['paths'], "the document has no 'paths' object")
    const endpoints: Endpoint[] = []
    for (const [path, rawItem] of Object.entries(paths)) {
      if (path.startsWith('x-')) continue
      const item = this.deref(rawItem)
      if (item === null || item === undefined) continue
      if (!isObject(item)) {
        this.problems.warn('paths that are not objects', ['paths', path], `paths['${path}'] is not an object; left out`)
        continue
      }
      // A problem of the path item (its parameters, its path) rules out each of its operations; a
      // problem of one operation, that operation alone.
      let shared: Param[] = []
      let pathProblem: string | undefined
      try {
        if (!path.startsWith('/')) this.fail(['paths', path], `path '${path}' must start with '/'`)
        shared = this.parameterList(item.parameters, ['paths', path, 'parameters'])
      } catch (err) {
        pathProblem = unusableReason(err)
      }
      const pathServers = this.family === '2.0' ? [] : this.serverList(item.servers)
      for (const method of HTTP_METHODS) {
        const op = item[method.toLowerCase()]
        if (op === undefined) continue
        try {
          if (pathProblem) throw pathProblem
          if (!isObject(op)) this.fail(['paths', path, method.toLowerCase()], `${method} ${path} must be an object`)
          endpoints.push(this.endpoint(method, path, op, shared, pathServers))
        } catch (err) {
          const described = isObject(op) ? op : {}
          endpoints.push({
            key: `${method} ${path}`,
            method,
            path,
            ...(typeof described.operationId === 'string' ? { operationId: described.operationId } : {}),
            tags: [],
            deprecated: described.deprecated === true,
            parameters: [],
            successStatuses: [],
            security: [],
            unusable: typeof err === 'string' ? err : unusableReason(err),
          })
        }
      }
    }
    const order = (m: HttpMethod): number => HTTP_METHODS.indexOf(m)
    return endpoints.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : order(a.method) - order(b.method)))
  }

  private endpoint(method: HttpMethod, path: string, op: Obj, shared: Param[], pathServers: string[]): Endpoint {
    const at: Segment[] = ['paths', path, method.toLowerCase()]
    const key = `${method} ${path}`

    // Operation-level parameters override path-level ones with the same name and location.
    const byId = new Map<string, Param>()
    for (const p of [...shared, ...this.parameterList(op.parameters, [...at, 'parameters'])]) byId.set(p.id, p)
    const params = [...byId.values()]

    // A template variable without its parameter leaves no value to send: this operation is
    // skipped with the reason, the rest of the spec still runs.
    const undeclared = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name).filter((name) => !params.some((p) => p.in === 'path' && p.name === name))
    const unusable =
      undeclared.length > 0
        ? new UserError(
            `${undeclared.length === 1 ? 'path parameter' : 'path parameters'} ${undeclared.map((n) => `{${n}}`).join(', ')} ${undeclared.length === 1 ? 'is' : 'are'} not declared (add a parameter with in: path, name: ${undeclared[0]}, required: true)`,
            locate(this.src, at),
          ).toString()
        : undefined
    const bodyParams = params.filter((p) => p.in === 'body')
    const formParams = params.filter((p) => p.in === 'formData')
    if (bodyParams.length > 1) this.fail(at, `${key} has more than one 'in: body' parameter`)
    if (bodyParams.length > 0 && formParams.length > 0) this.fail(at, `${key} has both 'in: body' and 'in: formData' parameters`)

    const parameters: ParameterSample[] = []
    for (const p of params) {
      if (p.in === 'body' || p.in === 'formData') continue
      const sample = this.parameterSample(p)
      if (sample) parameters.push(sample)
    }

    const { body, bodyFindings } = this.bodies.checkedBody(
      this.family === '2.0' ? this.bodies.body2(op, bodyParams[0], formParams) : this.bodies.body3(op.requestBody),
    )
    const opServers = this.family === '2.0' ? [] : this.serverList(op.servers)
    const servers = opServers.length > 0 ? opServers : pathServers
    const endpoint: Endpoint = {
      key,
      method,
      path,
      ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
      ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
      tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
      deprecated: op.deprecated === true,
      parameters,
      ...(body ? { body } : {}),
      ...(bodyFindings ? { bodyFindings } : {}),
      successStatuses: successStatuses(op.responses),
      security: this.security(op),
      ...(servers.length > 0 ? { servers } : {}),
      ...(unusable ? { unusable } : {}),
    }
    const deref = (node: unknown) => this.deref(node)
    const listing = method === 'GET' ? responseListing(op.responses, deref) : undefined
    if (listing) endpoint.listing = listing
    const links = this.family === '2.0' ? [] : responseLinks(op.responses, deref)
    if (links.length > 0) endpoint.links = links
    return endpoint
  }

  private parameterList(raw: unknown, at: Segment[]): Param[] {
    if (raw === undefined || raw === null) return []
    if (!Array.isArray(raw)) this.fail(at, `${describe(at)} must be a list`)
    const allowed: readonly string[] = this.family === '2.0' ? ['path', 'query', 'header', 'body', 'formData'] : ['path', 'query', 'header', 'cookie']
    return raw.map((entry, i) => {
      const p = this.deref(entry)
      const where = [...at, i]
      if (!isObject(p)) this.fail(where, `${describe(where)} must be an object`)
      if (typeof p.name !== 'string' || p.name === '') this.fail(where, `${describe(where)} has no 'name'`)
      if (typeof p.in !== 'string' || !allowed.includes(p.in)) {
        this.fail(where, `${describe(where)} ('${p.name}') has 'in: ${String(p.in)}'; allowed: ${allowed.join(', ')}`)
      }
      const location = p.in as string
      const id = `${location}:${location === 'header' ? p.name.toLowerCase() : p.name}`
      return { id, name: p.name, in: location, def: p }
    })
  }

  private parameterSample(p: Param): ParameterSample | undefined {
    const loc = p.in as ParameterLocation
    const def = p.def
    const lower = p.name.toLowerCase()
    if (loc === 'header' && (IGNORED_HEADERS.has(lower) || (lower === 'authorization' && def.required !== true))) return undefined
    const required = loc === 'path' || def.required === true
    const opts = { direction: 'request' as const, resolveRef: this.resolveRef, coerce: true }

    let schema: unknown
    let explicit: { value: unknown } | undefined
    let contentType: string | undefined
    if (this.family === '2.0') {
      // Swagger 2.0 parameters carry their schema keywords (type, format, enum, default...) themselves.
      schema = def
      explicit = def['x-example'] !== undefined ? { value: def['x-example'] } : explicitExample(def, opts)
    } else {
      const content = isObject(def.content) ? Object.entries(def.content)[0] : undefined
      const media = content ? this.deref(content[1]) : undefined
      if (content) contentType = content[0]
      schema = def.schema ?? (isObject(media) ? media.schema : undefined)
      explicit = explicitExample(def, opts) ?? explicitExample(media, opts)
    }
    // An example that breaks the parameter's own schema would be rejected: synthesize instead.
    // A `content` parameter is JSON (or another media type), not text read back by the schema.
    if (contentType !== undefined) opts.coerce = false
    // No value satisfies it (satisfiable.ts): an optional one is not sent, a required one makes the operation unsendable.
    const noValue = schema !== undefined ? admitsNoValue(schema, { ...opts, subject: p.name }) : undefined
    if (noValue !== undefined && !required) return undefined
    if (explicit && schema !== undefined && !conforms(explicit.value, schema, opts)) explicit = undefined
    if (!required && !explicit && !hasExplicitValue(schema, opts)) return undefined

    let value = explicit ? explicit.value : sampleFromSchema(schema ?? { type: 'string' }, { ...opts, nameHint: p.name })
    // A path segment cannot be empty: give an object parameter all its properties.
    if (loc === 'path' && !explicit && isEmptyObject(value)) value = sampleFromSchema(schema, { ...opts, allProperties: true })
    if (value === undefined) value = ''
    const sample: ParameterSample = { name: p.name, in: loc, required, value }
    if (!explicit && !hasSpecValue(schema, opts)) sample.invented = true
    if (contentType !== undefined) sample.contentType = contentType
    if (noValue !== undefined) sample.admitsNoValue = noValue
    if (contentType === undefined) Object.assign(sample, this.family === '2.0' ? this.collectionFormat(def, loc, sample) : this.style3(def, loc))
    return sample
  }

  /** An OpenAPI 3 parameter's style and explode, kept only where they differ from the defaults. */
  private style3(def: Obj, loc: ParameterLocation): Partial<ParameterSample> {
    const out: Partial<ParameterSample> = {}
    const defaultStyle: ParameterStyle = loc === 'query' || loc === 'cookie' ? 'form' : 'simple'
    const style = typeof def.style === 'string' && (STYLES as readonly string[]).includes(def.style) ? (def.style as ParameterStyle) : defaultStyle
    const explode = typeof def.explode === 'boolean' ? def.explode : style === 'form'
    if (style !== defaultStyle) out.style = style
    if (explode !== (style === 'form')) out.explode = explode
    if (loc === 'query' && def.allowReserved === true) out.allowReserved = true
    return out
  }

  /**
   * A Swagger 2.0 array parameter's collectionFormat (default csv): a query style where one
   * matches, else (path and header with ssv, tsv or pipes) the value joined here.
   */
  private collectionFormat(def: Obj, loc: ParameterLocation, sample: ParameterSample): Partial<ParameterSample> {
    if (!Array.isArray(sample.value)) return {}
    const format = typeof def.collectionFormat === 'string' ? def.collectionFormat : 'csv'
    if (loc === 'query') return COLLECTION_FORMAT_STYLES[format] ?? {}
    const sep = { ssv: ' ', tsv: '\t', pipes: '|' }[format]
    return sep === undefined ? {} : { value: sample.value.map(String).join(sep) }
  }
  private security(op: Obj): string[][] {
    const requirements = Array.isArray(op.security) ? op.security : Array.isArray(this.doc.security) ? this.doc.security : []
    return requirements.filter(isObject).map((r) => Object.keys(r))
  }

  /** Follows `$ref`s of non-schema objects (parameters, bodies, path items...); a cycle gives undefined. */
  private deref(node: unknown): unknown {
    let current = node
    let siblings: Obj | undefined
    const seen = new Set<string>()
    while (isObject(current) && typeof current.$ref === 'string') {
      const ref = current.$ref
      if (seen.has(ref)) return undefined
      seen.add(ref)
      const { $ref: _ref, ...rest } = current
      // 3.1 lets a Reference Object override the target's summary and description.
      if (Object.keys(rest).length > 0) siblings = { ...rest, ...siblings }
      current = this.resolveRef(ref)
    }
    return siblings && isObject(current) ? { ...current, ...siblings } : current
  }

  private fail(at: Segment[], message: string): never {
    throw new UserError(message, locate(this.src, at))
  }
}

/** A problem that rules out an operation, as its skip reason; anything but a `UserError` is a bug, and thrown on. */
function unusableReason(err: unknown): string {
  if (err instanceof UserError) return err.toString()
  throw err
}

function isEmptyObject(v: unknown): boolean {
  return isObject(v) && Object.keys(v).length === 0
}

/**
 * Declared 2xx-3xx response codes, "2XX" ranges expanded; `default` and 4xx/5xx ignored. A 1xx
 * is never the final answer a request ends with (k6 and every HTTP client read past it), so a
 * declared 1xx, like `default`, adds nothing.
 */
function successStatuses(responses: unknown): number[] {
  if (!isObject(responses)) return []
  const out = new Set<number>()
  for (const code of Object.keys(responses)) {
    if (/^[23]\d\d$/.test(code)) out.add(Number(code))
    else if (/^[23]XX$/i.test(code)) {
      const base = Number(code[0]) * 100
      for (let s = base; s < base + 100; s++) out.add(s)
    }
  }
  return [...out].sort((a, b) => a - b)
}
