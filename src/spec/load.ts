/**
 * Spec stage: an OpenAPI 2.0 / 3.0 / 3.1 description (local file or http(s) URL, YAML or JSON)
 * in, one `ApiSpec` out: every operation as an `Endpoint` with one concrete, deterministic
 * request (parameters and body filled from examples, else synthesized from schemas).
 *
 * How a document is read:
 *  1. read the text (file or URL) and parse it (JSON fast path, else YAML) ourselves, so every
 *     problem names the file and, where there is one, the line;
 *  2. refuse anything that is not OpenAPI/Swagger, or a version we do not read;
 *  3. documents with `$ref`s to other files/URLs are bundled into one by swagger-parser, which
 *     reads only the spec's own tree (ref-sandbox.ts); no URL in it may carry credentials;
 *  4. every internal `$ref` must point at something; they are then resolved lazily, on demand,
 *     so circular schemas cost nothing and huge specs are not dereferenced as a whole;
 *  5. the operations are converted, with the structural checks this stage depends on
 *     (declared path parameters, parameter shapes, ...) giving precise messages.
 *     Per operation: path-level parameters (overridden by name and location), path- and
 *     operation-level servers, the security alternatives, and one request: parameters with their
 *     style/explode (Swagger 2.0 collectionFormat mapped onto the same styles), `content`
 *     parameters, the body in the preferred media type (JSON, then form types, then text) with
 *     multipart/URL-encoded encodings and generated files for binary fields. Examples that break
 *     their own schema are passed over (`conforms`); parameters and form fields are checked as
 *     the API reads text back. What the body's description rules out is kept as `bodyFindings`
 *     (satisfiable.ts): a schema no value satisfies, a value several oneOf branches accept (or
 *     one only thanks to a property added to tell them apart), a Swagger 2.0 body without
 *     `consumes` (sent as JSON without a Content-Type when required, left out when optional, as
 *     is an optional body no value satisfies);
 *  6. documents up to `FULL_VALIDATION_MAX_CHARS` are also validated in full by swagger-parser
 *     (JSON Schema of the OpenAPI version, plus its Swagger 2.0 rules). Above that size full
 *     validation costs seconds (GitHub's 13 MB description: ~2.7 s) and only step 5 runs.
 */
import { readFile } from 'node:fs/promises'
import { isAbsolute, relative, resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import SwaggerParser from '@apidevtools/swagger-parser'
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml'
import { UserError } from '../errors.js'
import { hasUrlCredentials, withoutUrlCredentials } from '../url-credentials.js'
import { conforms } from './conforms.js'
import { tolerateMistakes } from './mistakes.js'
import { collectUnrunnablePatterns, unrunnablePatternsWarning } from './pattern.js'
import { SpecProblems, type Segment } from './problems.js'
import { MalformedTextError, parseSpecText } from './parse-text.js'
import { createRefSandbox } from './ref-sandbox.js'
import { findUrlWithCredentials } from './spec-urls.js'
import {
  HTTP_METHODS,
  type ApiSpec,
  type BodyFindings,
  type BodySample,
  type Endpoint,
  type HttpMethod,
  type ParameterLocation,
  type ParameterSample,
  type ParameterStyle,
  type PartEncoding,
  type SecurityScheme,
} from './model.js'
import { explicitExample, hasExplicitValue, hasSpecValue, sampleFromSchema, SAMPLE_FILE_CONTENT, SAMPLE_FILE_NAME } from './sample.js'
import { responseLinks, responseListing } from './responses.js'
import { admitsNoValue, oneOfAmbiguities, oneOfDisambiguations } from './satisfiable.js'

export interface LoadSpecOptions {
  /** Directory a relative file path is resolved against. Default: `process.cwd()`. */
  cwd?: string
  /** How long fetching a URL may take, in milliseconds. Default: 30000. */
  fetchTimeoutMs?: number
}

/** Documents up to this many characters are validated in full by swagger-parser (see the header). */
export const FULL_VALIDATION_MAX_CHARS = 2_000_000

/** Error positions are looked up (with a second, position-keeping parse) only up to this size. */
const LOCATE_MAX_CHARS = 5_000_000

/** Values of the document are quoted in messages up to this many characters. */
const SHOWN_VALUE_MAX_CHARS = 60

const SUPPORTED_OPENAPI = /^3\.(0\.[0-4]|1\.[0-2])$/

/**
 * Header parameters the OpenAPI specification says to ignore (the request sets them itself).
 * `Authorization` is ignored too unless the parameter is required: then the API (and validators
 * such as Prism) expect it, and configured credentials that send one replace it in the script.
 */
const IGNORED_HEADERS = new Set(['accept', 'content-type'])

const STYLES: readonly ParameterStyle[] = ['form', 'simple', 'label', 'matrix', 'deepObject', 'spaceDelimited', 'pipeDelimited']

/** Swagger 2.0 collectionFormat → the query style that sends the same thing (multi: form, exploded). */
const COLLECTION_FORMAT_STYLES: Readonly<Record<string, { style?: ParameterStyle; explode?: boolean }>> = {
  csv: { explode: false },
  ssv: { style: 'spaceDelimited' },
  tsv: { style: 'tabDelimited' },
  pipes: { style: 'pipeDelimited' },
  multi: {},
}

type Obj = Record<string, unknown>
type Family = '2.0' | '3.0' | '3.1'

interface Source {
  /** The path or URL as the user gave it: what error messages name. */
  name: string
  /** Absolute path or URL: the base for relative `$ref`s. */
  location: string
  isUrl: boolean
  text: string
  cwd: string
}

/**
 * Reads, checks and converts an OpenAPI description. A document that cannot be read at all is a
 * one-line `UserError`; problems within it are collected, all at once, each with file:line:
 * unknown properties and slips with one meaning are `warnings`, a problem confined to operations
 * makes those operations `unusable` (the plan skips them), and only a description with operations
 * none of which is usable is refused, listing its problems.
 */
export async function loadSpec(source: string, opts: LoadSpecOptions = {}): Promise<ApiSpec> {
  const src = await readSource(source, opts)
  const parsed = parseText(src)
  const { family, specVersion } = detectVersion(parsed, src)
  let doc = parsed as Obj

  let refs = collectRefs(doc)
  if (refs.hasExternal) {
    doc = await bundleExternalRefs(doc, src)
    refs = collectRefs(doc)
  }
  checkInternalRefs(doc, refs.firstSeen, src)
  checkUrlCredentials(doc, src)

  const where = (at: Segment[]): string => position(locate(src, at))
  const problems = new SpecProblems(where)
  const tolerated = tolerateMistakes(doc, family, problems)
  const { value: spec, unrunnable } = collectUnrunnablePatterns(() => new SpecReader(doc, family, src, problems).read(specVersion))
  if (src.text.length <= FULL_VALIDATION_MAX_CHARS) {
    const invalid = await validateFully(withoutOperations(doc, spec.endpoints.filter((e) => e.unusable)), family, src, { problems, tolerated, where })
    for (const endpoint of spec.endpoints) {
      const reason = invalid.get(endpoint.key)
      if (reason && !endpoint.unusable) endpoint.unusable = reason
    }
  }
  const patternWarning = unrunnablePatternsWarning(unrunnable)
  spec.warnings = patternWarning ? [...problems.warnings(), patternWarning] : problems.warnings()
  const usable = spec.endpoints.filter((e) => !e.unusable)
  if (spec.endpoints.length > 0 && usable.length === 0) throw noUsableOperation(spec, src)
  return spec
}

/** The one error a description with problems still gives: none of its operations can be sent. Lists them. */
function noUsableOperation(spec: ApiSpec, src: Source): UserError {
  const reasons = [...new Set(spec.endpoints.map((e) => `${e.key}: ${e.unusable!.replace(`${src.name}:`, 'line ')}`))]
  const shown = reasons.slice(0, 5).join('; ')
  const more = reasons.length > 5 ? `; … and ${reasons.length - 5} more` : ''
  return new UserError(`none of the ${spec.endpoints.length} operations can be sent as described: ${shown}${more}`, { file: src.name })
}

/** The document without operations the plan skips anyway, so their own faults do not refuse the rest. */
function withoutOperations(doc: Obj, endpoints: Array<Pick<Endpoint, 'path' | 'method'>>): Obj {
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

// --- reading and parsing ------------------------------------------------------------------------

async function readSource(source: string, opts: LoadSpecOptions): Promise<Source> {
  const cwd = opts.cwd ?? process.cwd()
  if (/^https?:\/\//i.test(source)) {
    if (hasUrlCredentials(source)) {
      throw new UserError('the OpenAPI URL must not contain a user name or password (they would be written to the results and the logs)', { file: withoutUrlCredentials(source) })
    }
    return { name: source, location: source, isUrl: true, text: await fetchText(source, opts.fetchTimeoutMs ?? 30_000), cwd }
  }
  let path: string
  try {
    path = source.startsWith('file:') ? fileURLToPath(source) : resolvePath(cwd, source)
  } catch (err) {
    throw new UserError(`not a usable file URL: ${oneLine((err as Error).message)}`, { file: source })
  }
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const where = path === source ? '' : ` (looked for ${path})`
    if (code === 'ENOENT') throw new UserError(`file not found${where}`, { file: source })
    if (code === 'EISDIR') throw new UserError('is a directory; give the path of the OpenAPI file itself', { file: source })
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`permission denied${where}`, { file: source })
    throw new UserError(`cannot read the file: ${oneLine((err as Error).message)}`, { file: source })
  }
  return { name: source, location: path, isUrl: false, text, cwd }
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  const fail = (reason: string): UserError => new UserError(`cannot fetch the OpenAPI document: ${reason}`, { file: url })
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' },
    })
    if (!res.ok) throw fail(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`)
    return await res.text()
  } catch (err) {
    if (err instanceof UserError) throw err
    const e = err as Error & { cause?: { message?: string; code?: string } }
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw fail(`no answer within ${timeoutMs / 1000} s`)
    throw fail(oneLine(e.cause?.message ?? e.message))
  }
}

function parseText(src: Source): unknown {
  if (src.text.trim() === '') throw new UserError('the file is empty', { file: src.name })
  try {
    return parseSpecText(src.text)
  } catch (err) {
    if (!(err instanceof MalformedTextError)) throw err
    const at = err.line === undefined ? {} : { line: err.line, column: err.column }
    throw new UserError(`malformed ${err.format}: ${err.reason}`, { file: src.name, ...at })
  }
}

function detectVersion(doc: unknown, src: Source): { family: Family; specVersion: string } {
  if (!isObject(doc) || (!('openapi' in doc) && !('swagger' in doc))) {
    throw new UserError("not an OpenAPI or Swagger document (no 'openapi' or 'swagger' field)", { file: src.name })
  }
  const field = 'openapi' in doc ? 'openapi' : 'swagger'
  const value = doc[field]
  const fail = (message: string): never => {
    throw new UserError(message, locate(src, [field]))
  }
  if (typeof value === 'number') fail(`the '${field}' field must be a string (write '${field}: "${field === 'swagger' ? '2.0' : '3.0.3'}"' with quotes), not the number ${value}`)
  if (field === 'swagger') {
    if (value !== '2.0') fail(`unsupported Swagger version '${String(value)}' (Perf-Xi reads Swagger 2.0 and OpenAPI 3.0.x, 3.1.x)`)
    return { family: '2.0', specVersion: '2.0' }
  }
  if (typeof value !== 'string' || !SUPPORTED_OPENAPI.test(value)) {
    fail(`unsupported OpenAPI version '${String(value)}' (Perf-Xi reads Swagger 2.0 and OpenAPI 3.0.0-3.0.4, 3.1.0-3.1.2)`)
  }
  return { family: (value as string).startsWith('3.1') ? '3.1' : '3.0', specVersion: value as string }
}

// --- $refs --------------------------------------------------------------------------------------

/** Every distinct `$ref` with where it first occurs, and whether any leaves the document. */
function collectRefs(doc: unknown): { firstSeen: Map<string, Segment[]>; hasExternal: boolean } {
  const firstSeen = new Map<string, Segment[]>()
  const path: Segment[] = []
  const visiting = new Set<object>()
  let hasExternal = false
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || visiting.has(node)) return
    visiting.add(node)
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i)
        walk(node[i])
        path.pop()
      }
    } else {
      for (const key in node) {
        const value = (node as Obj)[key]
        if (key === '$ref' && typeof value === 'string') {
          if (!firstSeen.has(value)) {
            firstSeen.set(value, [...path, '$ref'])
            if (!value.startsWith('#')) hasExternal = true
          }
        } else if (typeof value === 'object' && value !== null) {
          path.push(key)
          walk(value)
          path.pop()
        }
      }
    }
    visiting.delete(node)
  }
  walk(doc)
  return { firstSeen, hasExternal }
}

function checkInternalRefs(doc: unknown, refs: Map<string, Segment[]>, src: Source): void {
  for (const [ref, where] of refs) {
    // "#name" fragments are JSON Schema anchors, not pointers: left to the sampler (no value).
    if (!ref.startsWith('#/') && ref !== '#') continue
    if (resolvePointer(doc, ref) === undefined) throw new UserError(`cannot resolve $ref '${ref}'`, locate(src, where))
  }
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === '#') return root
  let node = root
  for (const raw of ref.slice(2).split('/')) {
    let segment = raw
    try {
      segment = decodeURIComponent(raw)
    } catch {
      // not percent-encoded after all: use as written
    }
    segment = segment.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(node)) node = node[Number(segment)]
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment]
    else return undefined
  }
  return node
}

/** Bundles the files and URLs `$ref`s name into the document, reading only the spec's own tree (ref-sandbox.ts). */
async function bundleExternalRefs(doc: Obj, src: Source): Promise<Obj> {
  const sandbox = createRefSandbox(src, { locate: (segments) => locate(src, segments), describe: (segments) => describe(typedSegments(segments, doc)) })
  try {
    return (await new SwaggerParser().bundle(src.location, doc as never, sandbox.options)) as unknown as Obj
  } catch (err) {
    throw sandbox.failure ?? refParserError(err, src)
  } finally {
    sandbox.close()
  }
}

/**
 * json-schema-ref-parser's own errors (a pointer missing in a file) as one line. Its messages are
 * not echoed where they could quote a file (a parser's message may hold a snippet of the text).
 */
function refParserError(err: unknown, src: Source): UserError {
  const e = err as Error & { source?: string; targetRef?: string; parentPath?: string }
  const other = e.source ? displayName(e.source, src) : undefined
  switch (e.name) {
    case 'ResolverError':
      return new UserError(`cannot resolve an external $ref to '${other ?? '?'}'`, { file: src.name })
    case 'ParserError': {
      const m = /: (malformed (?:JSON|YAML): .*?)(?: \((\d+):(\d+)\))?$/.exec(oneLine(e.message))
      const at = m?.[2] ? { line: Number(m[2]), column: Number(m[3]) } : {}
      return new UserError(m?.[1] ?? 'cannot parse the file', { file: other ?? src.name, ...at })
    }
    case 'MissingPointerError':
    case 'InvalidPointerError': {
      const ref = other && e.source !== src.location ? `${other}${e.targetRef ?? ''}` : (e.targetRef ?? '?')
      const where = e.parentPath?.startsWith('#/') ? pointerSegments(e.parentPath) : undefined
      return new UserError(`cannot resolve $ref '${ref}'`, where ? locate(src, where) : { file: src.name })
    }
    default:
      return new UserError(`cannot resolve the $refs: ${oneLine(e.message ?? String(err))}`, { file: src.name })
  }
}

/** A URL of the spec that carries a user name or password is refused, like one in base-url, and never shown. */
function checkUrlCredentials(doc: Obj, src: Source): void {
  const at = findUrlWithCredentials(doc)
  if (at === undefined) return
  throw new UserError(
    `${describe(at)} must not contain a user name or password (they would be written to the script and the results); remove them and use auth with type basic in the config`,
    locate(src, at),
  )
}

/** Lazily resolves internal `$ref`s against the (bundled) document, caching each target. */
function createRefResolver(root: unknown): (ref: string) => unknown {
  const cache = new Map<string, unknown>()
  return (ref) => {
    if (cache.has(ref)) return cache.get(ref)
    const target = ref.startsWith('#/') || ref === '#' ? resolvePointer(root, ref) : undefined
    cache.set(ref, target)
    return target
  }
}

// --- conversion ---------------------------------------------------------------------------------

class SpecReader {
  private readonly resolveRef: (ref: string) => unknown

  constructor(
    private readonly doc: Obj,
    private readonly family: Family,
    private readonly src: Source,
    private readonly problems: SpecProblems,
  ) {
    this.resolveRef = createRefResolver(doc)
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

    const { body, bodyFindings } = this.checkedBody(this.family === '2.0' ? this.body2(op, bodyParams[0], formParams) : this.body3(op.requestBody))
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
  private checkedBody(read: BodyRead | undefined): { body?: BodySample; bodyFindings?: BodyFindings } {
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

  private body3(raw: unknown): BodyRead | undefined {
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
    if (type === 'application/x-www-form-urlencoded' && isObject(value)) this.fillEmptyRequiredObjects(schema, value, isObject(media) ? media.encoding : undefined, opts)
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
        const declared = typeof enc.contentType === 'string' ? enc.contentType.split(',')[0]!.trim() : isObject(prop) && typeof prop.contentMediaType === 'string' ? prop.contentMediaType : undefined
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

  private body2(op: Obj, bodyParam: Param | undefined, formParams: Param[]): BodyRead | undefined {
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

type SampleOpts = { resolveRef: (ref: string) => unknown; direction: 'request'; coerce: boolean }

/** A request body as read from the spec, before `checkedBody` decides what is sent. */
interface BodyRead {
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

interface Param {
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

// --- full validation (swagger-parser) -----------------------------------------------------------

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
async function validateFully(doc: Obj, family: Family, src: Source, collected: Collected): Promise<Map<string, string>> {
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

/** swagger-parser's validation: ajv's errors of the schema stage, a `UserError` for anything else. */
async function swaggerParserErrors(doc: Obj, src: Source, validate: { schema: boolean; spec: boolean }): Promise<AjvError[] | UserError> {
  try {
    await new SwaggerParser().validate(src.location, structuredClone(doc) as never, {
      resolve: { external: false },
      dereference: { circular: 'ignore' },
      validate,
    })
    return []
  } catch (err) {
    const e = err as Error & { details?: AjvError[] }
    if (Array.isArray(e.details) && e.details.length > 0) return e.details
    if (e.name === 'SyntaxError' || e.name === 'ReferenceError') return new UserError(oneLine(e.message).replace(/^Validation failed\.\s*/, ''), { file: src.name })
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
  | { kind: 'unknown'; segments: Segment[]; property: string; at: Segment[] }
  | { kind: 'invalid'; segments: Segment[]; message: string; at: Segment[] }

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
    const property = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : e.keyword === 'required' ? String(e.params.missingProperty) : undefined
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
      for (const other of errors) if (other.keyword === 'enum' && other.instancePath === e.instancePath) for (const v of (other.params.allowedValues as unknown[]) ?? []) allowed.add(v)
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

// --- locations ----------------------------------------------------------------------------------

/** "file:line:column", "file:line" or "file". */
function position({ file, line, column }: { file: string; line?: number; column?: number }): string {
  return line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`
}

/** `{file, line, column}` of the node at `segments` in the source text (file only when not found). */
function locate(src: Source, segments: Segment[]): { file: string; line?: number; column?: number } {
  if (src.text.length > LOCATE_MAX_CHARS || segments.length === 0) return { file: src.name }
  try {
    const { lineCounter, yamlDoc } = positioned(src)
    let node: unknown = yamlDoc.contents
    let anchor: { range?: [number, number, number] | null } | undefined
    for (const segment of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment))
        if (!pair) break
        anchor = (isScalar(pair.key) ? pair.key : pair.value) as typeof anchor
        node = pair.value
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)]
        if (item === undefined) break
        anchor = item as typeof anchor
        node = item
      } else break
    }
    const offset = anchor?.range?.[0]
    if (offset === undefined) return { file: src.name }
    const { line, col } = lineCounter.linePos(offset)
    return { file: src.name, line, column: col }
  } catch {
    return { file: src.name }
  }
}

/** The position-keeping parse of a source, made once however many problems it has. */
const positionedSources = new WeakMap<Source, { lineCounter: LineCounter; yamlDoc: ReturnType<typeof parseDocument> }>()
function positioned(src: Source): { lineCounter: LineCounter; yamlDoc: ReturnType<typeof parseDocument> } {
  let entry = positionedSources.get(src)
  if (!entry) {
    const lineCounter = new LineCounter()
    entry = { lineCounter, yamlDoc: parseDocument(src.text, { lineCounter, uniqueKeys: false, strict: false, merge: true }) }
    positionedSources.set(src, entry)
  }
  return entry
}

function pointerSegments(pointer: string): Segment[] {
  if (pointer === '#' || pointer === '') return []
  return pointer
    .replace(/^#?\//, '')
    .split('/')
    .map((s) => {
      let d = s
      try {
        d = decodeURIComponent(s)
      } catch {
        // keep as written
      }
      return d.replace(/~1/g, '/').replace(/~0/g, '~')
    })
}

/** Pointer segments with array indexes as numbers, so they print as `[0]`. */
function typedSegments(segments: Segment[], doc: unknown): Segment[] {
  let node = doc
  return segments.map((s) => {
    const typed = Array.isArray(node) ? Number(s) : s
    node = Array.isArray(node) ? node[Number(s)] : isObject(node) ? node[String(s)] : undefined
    return typed
  })
}

function valueAt(doc: unknown, segments: Segment[]): unknown {
  let node = doc
  for (const s of segments) node = Array.isArray(node) ? node[Number(s)] : isObject(node) ? node[String(s)] : undefined
  return node
}

/** paths['/pets/{id}'].get.parameters[0] */
function describe(segments: Segment[]): string {
  if (segments.length === 0) return 'the document'
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][\w-]*$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : `['${s}']`))
    .join('')
}

function displayName(location: string, src: Source): string {
  if (location === src.location) return src.name
  if (/^https?:/i.test(location)) return location
  const rel = relative(src.cwd, location)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : location
}

function oneLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim()
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
