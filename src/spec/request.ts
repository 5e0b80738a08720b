/**
 * One concrete HTTP request per endpoint, built from the endpoint's sampled parameters and body.
 * Pure: same endpoint in, same request out.
 *
 * Serialization (OpenAPI 3 defaults; values that need another style were already turned into
 * their wire string by the spec loader):
 *  - path: style simple, values percent-encoded, arrays comma-joined, objects `k,v,k2,v2`;
 *  - query: style form, exploded: arrays repeat the key, objects become `k=v` pairs;
 *  - header: style simple (arrays comma-joined), cookie: form, not exploded (comma-joined);
 *  - body: JSON via `JSON.stringify` (key order = the schema's property order),
 *    `application/x-www-form-urlencoded` via URLSearchParams, `multipart/form-data` with a fixed
 *    boundary, text as is.
 */
import type { Endpoint, HttpMethod } from './model.js'

export interface RequestSample {
  method: HttpMethod
  /** Path template filled and query string appended, e.g. '/users/42?limit=10&tag=a&tag=b'. */
  path: string
  /** Header parameters. The body's type is in `contentType`, not here. */
  headers: Record<string, string>
  cookies: Record<string, string>
  body?: string
  /** Content-Type of `body` (for multipart including its boundary). */
  contentType?: string
}

/** The multipart boundary: fixed, so generated scripts are byte-for-byte reproducible. */
export const MULTIPART_BOUNDARY = 'PerfXiFormBoundary7MA4YWxkTrZu0gW'

export function buildRequestSample(endpoint: Endpoint): RequestSample {
  const pathValues = new Map<string, unknown>()
  const query: string[] = []
  const headers: Record<string, string> = {}
  const cookies: Record<string, string> = {}

  for (const p of endpoint.parameters) {
    if (p.value === undefined) continue
    switch (p.in) {
      case 'path':
        pathValues.set(p.name, p.value)
        break
      case 'query':
        query.push(...queryPairs(p.name, p.value))
        break
      case 'header':
        headers[p.name] = simple(p.value)
        break
      case 'cookie':
        cookies[p.name] = simple(p.value)
        break
    }
  }

  const filled = endpoint.path.replace(/\{([^}]+)\}/g, (whole, name: string) =>
    pathValues.has(name) ? pathSegment(pathValues.get(name)) : whole,
  )
  const request: RequestSample = {
    method: endpoint.method,
    path: query.length > 0 ? `${filled}?${query.join('&')}` : filled,
    headers,
    cookies,
  }
  if (endpoint.body) {
    const { body, contentType } = serializeBody(endpoint.body.contentType, endpoint.body.value)
    request.body = body
    request.contentType = contentType
  }
  return request
}

function queryPairs(name: string, value: unknown): string[] {
  const key = encodeURIComponent(name)
  if (Array.isArray(value)) return value.map((v) => `${key}=${encodeURIComponent(scalar(v))}`)
  if (isObject(value)) return Object.entries(value).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(scalar(v))}`)
  return [`${key}=${encodeURIComponent(scalar(value))}`]
}

function pathSegment(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => encodeURIComponent(scalar(v))).join(',')
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => [encodeURIComponent(k), encodeURIComponent(scalar(v))]).join(',')
  return encodeURIComponent(scalar(value))
}

/** Style simple / form without explode: arrays and objects comma-joined. */
function simple(value: unknown): string {
  if (Array.isArray(value)) return value.map(scalar).join(',')
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => [k, scalar(v)]).join(',')
  return scalar(value)
}

/** A primitive as text; nested structures (which no simple style can express) as JSON. */
function scalar(value: unknown): string {
  if (value === null) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function serializeBody(contentType: string, value: unknown): { body: string; contentType: string } {
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  if (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)) {
    return { body: JSON.stringify(value) ?? 'null', contentType }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams()
    if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (Array.isArray(v)) for (const item of v) form.append(k, scalar(item))
        else if (v !== undefined) form.append(k, scalar(v))
      }
    }
    return { body: typeof value === 'string' ? value : form.toString(), contentType }
  }
  if (type === 'multipart/form-data') {
    return { body: multipart(value), contentType: `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` }
  }
  return { body: typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), contentType }
}

function multipart(value: unknown): string {
  const parts: string[] = []
  const fields = isObject(value) ? Object.entries(value) : []
  for (const [name, v] of fields) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === undefined) continue
      const json = typeof item === 'object' && item !== null
      parts.push(
        `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '%22')}"\r\n` +
          (json ? 'Content-Type: application/json\r\n' : '') +
          `\r\n${scalar(item)}\r\n`,
      )
    }
  }
  return `${parts.join('')}--${MULTIPART_BOUNDARY}--\r\n`
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
