/**
 * One concrete HTTP request per endpoint, built from the endpoint's sampled parameters and body.
 * Pure: same endpoint in, same request out. Parameters are serialized by their OpenAPI style and
 * explode (RFC 6570 flavours), `content` parameters as one JSON value; bodies as JSON, URL-encoded
 * form, multipart/form-data (fixed MULTIPART_BOUNDARY) or text. The style table and the body rules:
 * docs/requests.md ("Serializing parameters and bodies").
 */
import type { BodySample, Endpoint, HttpMethod, ParameterSample, ParameterStyle, PartEncoding } from './model.js'

export interface RequestSample {
  method: HttpMethod
  /** Path template (before any '#') filled and query string appended, e.g. '/users/42?limit=10&tag=a&tag=b'. */
  path: string
  /** Header parameters. The body's type is in `contentType`, not here. */
  headers: Record<string, string>
  cookies: Record<string, string>
  body?: string
  /**
   * Content-Type of `body` (for multipart including its boundary). Undefined with a body when
   * the spec declares no media type for it (Swagger 2.0 without `consumes`): sent without one.
   */
  contentType?: string
}

/** The multipart boundary: fixed, so generated scripts are byte-for-byte reproducible. */
export const MULTIPART_BOUNDARY = 'PerfXiFormBoundary7MA4YWxkTrZu0gW'

export function buildRequestSample(endpoint: Endpoint): RequestSample {
  const pathValues = new Map<string, string>()
  const query: string[] = []
  const headers: Record<string, string> = {}
  const cookies: Record<string, string> = {}
  const { path, fragment } = splitFragment(endpoint.path)

  for (const declared of endpoint.parameters) {
    const p = withFragmentValue(declared, fragment)
    if (p.value === undefined) continue
    switch (p.in) {
      case 'path':
        pathValues.set(p.name, pathValue(p))
        break
      case 'query':
        query.push(...queryPairs(p))
        break
      case 'header':
        headers[p.name] = headerValue(p)
        break
      case 'cookie':
        Object.assign(cookies, cookieValues(p))
        break
    }
  }

  query.push(...undeclaredFragmentPairs(fragment, endpoint.parameters))
  const filled = path.replace(/\{([^}]+)\}/g, (whole, name: string) => pathValues.get(name) ?? whole)
  const request: RequestSample = {
    method: endpoint.method,
    path: query.length > 0 ? `${filled}?${query.join('&')}` : filled,
    headers,
    cookies,
  }
  if (endpoint.body) {
    const { body, contentType } = serializeBody(endpoint.body)
    request.body = body
    // A body whose media type the spec does not declare goes without a Content-Type header.
    if (endpoint.body.mediaTypeDeclared !== false) request.contentType = contentType
  }
  return request
}

// --- operation names after '#' -----------------------------------------------------------------

/**
 * APIs.guru and AWS's own descriptions tell apart operations on one path by a fragment
 * (`/#Action=SendMessage`, `/{Bucket}#acl`, `/tags/{arn}#tagKeys`). It names the operation: a URL
 * never sends it (k6 would drop it and all that follows), so the request goes to the path before
 * the '#', and its `key=value` pairs say what the operation's parameters must carry.
 */
function splitFragment(template: string): { path: string; fragment: Array<{ name: string; value?: string }> } {
  const hash = template.indexOf('#')
  if (hash < 0) return { path: template, fragment: [] }
  const fragment = template
    .slice(hash + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=')
      return eq < 0 ? { name: pair } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) }
    })
  return { path: template.slice(0, hash), fragment }
}

/** A declared parameter the fragment gives a value (AWS: Action, X-Amz-Target) carries that value, whatever its schema samples. */
function withFragmentValue(p: ParameterSample, fragment: ReadonlyArray<{ name: string; value?: string }>): ParameterSample {
  const given = fragment.find((f) => f.value !== undefined && fragmentNames(p, f.name))
  return given ? { ...p, value: given.value } : p
}

/**
 * `key=value` pairs of the fragment no parameter declares go in the query: that is where AWS's
 * query protocol reads `Action` (and where Azure's `?overload=stream` stood before it became a
 * fragment), so a performance engineer expects the operation the name says, not the one the bare
 * path selects. Bare names (`#update_shared_link`, `#disambiguation_dummy`) only name the
 * operation and are not sent.
 */
function undeclaredFragmentPairs(fragment: ReadonlyArray<{ name: string; value?: string }>, parameters: readonly ParameterSample[]): string[] {
  return fragment
    .filter((f) => f.value !== undefined && !parameters.some((p) => fragmentNames(p, f.name)))
    .map((f) => `${encodeURIComponent(f.name)}=${encodeURIComponent(f.value!)}`)
}

function fragmentNames(p: ParameterSample, name: string): boolean {
  return p.in === 'header' ? p.name.toLowerCase() === name.toLowerCase() : p.name === name
}

// --- parameters ---------------------------------------------------------------------------------

/** A `content` parameter's value as the one string it travels as. */
function contentValue(p: ParameterSample): unknown {
  if (p.contentType === undefined) return p.value
  if (isJsonType(p.contentType)) return JSON.stringify(p.value) ?? ''
  return scalar(p.value)
}

const DELIMITERS: Readonly<Record<ParameterStyle, string>> = {
  form: ',',
  simple: ',',
  label: ',',
  matrix: ',',
  deepObject: ',',
  spaceDelimited: '%20',
  pipeDelimited: '|',
  tabDelimited: '%09',
}

function queryPairs(p: ParameterSample): string[] {
  const style = p.style ?? 'form'
  const explode = p.explode ?? style === 'form'
  return formPairs(p.name, contentValue(p), style, explode, 'query', p.allowReserved === true)
}

/**
 * Query-string pairs, or the pairs of a URL-encoded body. In a query the delimiters and
 * deepObject brackets stay literal (RFC 6570, the specification's examples); in a body they are
 * percent-encoded as a browser form encodes them (validators refuse raw reserved characters there).
 */
function formPairs(name: string, value: unknown, style: ParameterStyle, explode: boolean, mode: 'query' | 'body', allowReserved = false): string[] {
  const key = encodeURIComponent(name)
  const enc = (v: unknown): string => encodeQueryValue(scalar(v), allowReserved)
  const sep = mode === 'body' ? encodeURIComponent(decodeURIComponent(DELIMITERS[style])) : DELIMITERS[style]
  if (style === 'deepObject' && (Array.isArray(value) || isObject(value))) {
    const brackets = mode === 'body' ? (k: string) => `%5B${k}%5D` : (k: string) => `[${k}]`
    return deepPairs(key, value, enc, brackets)
  }
  if (Array.isArray(value)) {
    if (explode) return value.map((v) => `${key}=${enc(v)}`)
    return [`${key}=${value.map(enc).join(sep)}`]
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    if (explode) return entries.map(([k, v]) => `${encodeURIComponent(k)}=${enc(v)}`)
    return [`${key}=${entries.flatMap(([k, v]) => [encodeURIComponent(k), enc(v)]).join(sep)}`]
  }
  return [`${key}=${enc(value)}`]
}

/** deepObject: n[k]=v, nested objects n[k][m]=x, arrays n[k][0]=a. */
function deepPairs(prefix: string, value: unknown, enc: (v: unknown) => string, brackets: (k: string) => string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => deepPairs(`${prefix}${brackets(String(i))}`, v, enc, brackets))
  if (isObject(value)) {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .flatMap(([k, v]) => deepPairs(`${prefix}${brackets(encodeURIComponent(k))}`, v, enc, brackets))
  }
  return [`${prefix}=${enc(value)}`]
}

/** RFC 3986 reserved characters a query value may carry as they are when allowReserved (not the ones that end it). */
const RESERVED_KEPT = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B|5B|5D)/gi

function encodeQueryValue(text: string, allowReserved: boolean): string {
  const encoded = encodeURIComponent(text)
  return allowReserved ? encoded.replace(RESERVED_KEPT, (m) => decodeURIComponent(m)) : encoded
}

function pathValue(p: ParameterSample): string {
  const style = p.style ?? 'simple'
  const explode = p.explode ?? false
  const value = contentValue(p)
  const e = (v: unknown): string => encodeURIComponent(scalar(v))
  const name = encodeURIComponent(p.name)
  if (Array.isArray(value)) {
    if (style === 'label') return `.${value.map(e).join(explode ? '.' : ',')}`
    if (style === 'matrix') return explode ? value.map((v) => `;${name}=${e(v)}`).join('') : `;${name}=${value.map(e).join(',')}`
    return value.map(e).join(',')
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    const pairs = entries.map(([k, v]) => `${encodeURIComponent(k)}=${e(v)}`)
    const flat = entries.flatMap(([k, v]) => [encodeURIComponent(k), e(v)]).join(',')
    if (style === 'label') return `.${explode ? pairs.join('.') : flat}`
    if (style === 'matrix') return explode ? pairs.map((pair) => `;${pair}`).join('') : `;${name}=${flat}`
    return explode ? pairs.join(',') : flat
  }
  if (style === 'label') return `.${e(value)}`
  if (style === 'matrix') return `;${name}=${e(value)}`
  return e(value)
}

function headerValue(p: ParameterSample): string {
  const value = contentValue(p)
  const explode = p.explode ?? false
  let text: string
  if (Array.isArray(value)) text = value.map(scalar).join(',')
  else if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    text = explode ? entries.map(([k, v]) => `${k}=${scalar(v)}`).join(',') : entries.flatMap(([k, v]) => [k, scalar(v)]).join(',')
  } else text = scalar(value)
  return text.replace(/[\r\n]+/g, ' ')
}

function cookieValues(p: ParameterSample): Record<string, string> {
  const value = contentValue(p)
  const explode = p.explode ?? (p.style ?? 'form') === 'form'
  if (Array.isArray(value)) return { [p.name]: value.map(scalar).join(',') }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    if (explode) return Object.fromEntries(entries.map(([k, v]) => [k, scalar(v)]))
    return { [p.name]: entries.flatMap(([k, v]) => [k, scalar(v)]).join(',') }
  }
  return { [p.name]: scalar(value) }
}

/** A primitive as text; nested structures (which no simple style can express) as JSON. */
function scalar(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

// --- bodies -------------------------------------------------------------------------------------

function serializeBody(sample: BodySample): { body: string; contentType: string } {
  const { contentType, value } = sample
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  if (isJsonBody(sample)) return { body: JSON.stringify(value) ?? 'null', contentType }
  if (type === 'application/x-www-form-urlencoded') {
    if (typeof value === 'string') return { body: value, contentType }
    const pairs: string[] = []
    if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue
        const enc = sample.encoding?.[k]
        const style = enc?.style ?? 'form'
        pairs.push(...formPairs(k, v, style, enc?.explode ?? style === 'form', 'body'))
      }
    }
    return { body: pairs.join('&'), contentType }
  }
  if (type === 'multipart/form-data') {
    return { body: multipart(value, sample.encoding ?? {}), contentType: `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` }
  }
  return { body: typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), contentType }
}

function multipart(value: unknown, encoding: Record<string, PartEncoding>): string {
  const parts: string[] = []
  const fields = isObject(value) ? Object.entries(value) : []
  for (const [name, v] of fields) {
    const enc = encoding[name] ?? {}
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === undefined) continue
      const json = typeof item === 'object' && item !== null
      const partType = enc.contentType ?? (enc.filename ? 'application/octet-stream' : json ? 'application/json' : undefined)
      const disposition = `form-data; name="${headerQuote(name)}"${enc.filename ? `; filename="${headerQuote(enc.filename)}"` : ''}`
      const content = json && (partType === undefined || isJsonType(partType)) ? JSON.stringify(item) : scalar(item)
      parts.push(`--${MULTIPART_BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${partType ? `Content-Type: ${partType}\r\n` : ''}\r\n${content}\r\n`)
    }
  }
  return `${parts.join('')}--${MULTIPART_BOUNDARY}--\r\n`
}

/** A name inside a quoted header parameter: quotes and line breaks percent-encoded (as browsers do). */
function headerQuote(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function isJsonType(contentType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json$/i.test(contentType.split(';')[0]!.trim())
}

/**
 * Whether a body is sent as its value in JSON (its text is `JSON.stringify(value)`): decided by the
 * media type it is serialized in, so it holds for a body the spec declares no media type for,
 * which goes as JSON without a Content-Type. The one test every generated script and export uses.
 */
export function isJsonBody(body: BodySample): boolean {
  return isJsonType(body.contentType)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
