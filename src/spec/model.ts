/**
 * What Perf-Xi knows about an API once its OpenAPI description is read:
 * the operations it can load-test, each with one concrete, deterministic request.
 */

export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

/** Methods that do not change server state; only these run unless the config allows writes. */
export const SAFE_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'OPTIONS']

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie'

export interface ParameterSample {
  name: string
  in: ParameterLocation
  required: boolean
  /** The value sent: taken from example/examples/default/enum, else synthesized from the schema. */
  value: unknown
}

export interface BodySample {
  contentType: string
  value: unknown
}

/** One security scheme of the spec, reduced to what a load test needs to know. */
export type SecuritySchemeKind = 'http-bearer' | 'http-basic' | 'api-key' | 'oauth2' | 'openIdConnect' | 'other'

export interface SecurityScheme {
  name: string
  kind: SecuritySchemeKind
  /** For api-key schemes: where the key travels and under which name. */
  in?: 'header' | 'query' | 'cookie'
  paramName?: string
}

export interface Endpoint {
  /** "METHOD /path/template": the k6 `name` tag, the SLO selector and the row in every report. */
  key: string
  method: HttpMethod
  /** Path template as written in the spec, e.g. /users/{id}. */
  path: string
  operationId?: string
  summary?: string
  tags: string[]
  deprecated: boolean
  parameters: ParameterSample[]
  body?: BodySample
  /** Response statuses the spec declares as success (1xx-3xx); empty means "any 2xx/3xx". */
  successStatuses: number[]
  /**
   * Security requirements: alternatives (any one suffices), each a list of scheme names that
   * must all be satisfied. An empty list means the operation needs no authentication.
   */
  security: string[][]
}

export interface ApiSpec {
  /** Path or URL the spec was read from, as the user gave it. */
  source: string
  title: string
  version: string
  /** "2.0", "3.0.3", "3.1.0", ... */
  specVersion: string
  /** Base URLs the spec declares, server variables filled with their defaults. */
  servers: string[]
  securitySchemes: Record<string, SecurityScheme>
  endpoints: Endpoint[]
}
