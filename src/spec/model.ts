/**
 * What Perf-Xi knows about an API once its OpenAPI description is read:
 * the operations it can load-test, each with one concrete, deterministic request.
 */

export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

/** Methods that do not change server state; only these run unless the config allows writes. */
export const SAFE_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'OPTIONS']

/**
 * Whether an operation's declared answer is a redirect: such an operation is sent with redirects
 * off and judged on that answer, since following it would measure another page under its name.
 */
export function declaresRedirect(successStatuses: readonly number[]): boolean {
  return successStatuses.some((status) => status >= 300 && status < 400)
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie'

/**
 * OpenAPI 3 serialization styles, plus `tabDelimited` for Swagger 2.0's `collectionFormat: tsv`.
 * Defaults: `form` for query and cookie, `simple` for path and header.
 */
export type ParameterStyle = 'form' | 'simple' | 'label' | 'matrix' | 'deepObject' | 'spaceDelimited' | 'pipeDelimited' | 'tabDelimited'

export interface ParameterSample {
  name: string
  in: ParameterLocation
  required: boolean
  /** The value sent: taken from example/examples/default/enum, else synthesized from the schema. */
  value: unknown
  /** Only when not the location's default (query, cookie: form; path, header: simple). */
  style?: ParameterStyle
  /** Only when not the style's default (true for form, false for the others). */
  explode?: boolean
  /** Query only: RFC 3986 reserved characters are sent as they are. Only when true. */
  allowReserved?: boolean
  /** A parameter described with `content` instead of `schema`: its value is sent in this media type (JSON: serialized whole). */
  contentType?: string
  /** Required parameters only: no value satisfies the schema, and why (satisfiable.ts); the plan skips the operation. */
  admitsNoValue?: string
  /** The spec gives no value for it (no example, default, enum or const): `value` was synthesized from its type and format. Only when true. */
  invented?: true
}

/**
 * Where a JSON success response lists resources, so ids can be read from it (src/plan/values.ts):
 * the body is an array of objects, or an object with one array property of objects.
 */
export interface ResponseListing {
  /** The property holding the array (`data`, `items`, `results`...); absent when the body is the array. */
  property?: string
  /** The items' properties with a scalar type (string, integer, number), in schema order. */
  itemFields: string[]
}

/** An OpenAPI 3 link of a success response: the operation it leads to and where its parameters' values come from. */
export interface ResponseLink {
  operationId: string
  /** Target parameter name (or `path.name`) → runtime expression, e.g. `order_id` → `$response.body#/id`. */
  parameters: Record<string, string>
}

/** How one property of a form body (multipart or URL-encoded) is sent; from the media type's `encoding` and the schema. */
export interface PartEncoding {
  /** The part's Content-Type (multipart). Default: text/plain for primitives, application/json for objects. */
  contentType?: string
  /** Set for file parts (binary properties, Swagger 2.0 `type: file`): the part carries a small generated file. */
  filename?: string
  /** URL-encoded bodies: how an array or object property is serialized (as a query parameter would be). */
  style?: ParameterStyle
  explode?: boolean
}

export interface BodySample {
  /** The media type `value` is serialized in, and the Content-Type it is sent with unless `mediaTypeDeclared` is false. */
  contentType: string
  /**
   * False when the spec declares no media type for the body (Swagger 2.0 without `consumes`):
   * `value` is serialized as JSON but sent without a Content-Type header, since Perf-Xi never
   * claims a media type the spec does not declare. Only when false.
   */
  mediaTypeDeclared?: false
  value: unknown
  /** Form bodies only: how individual properties are encoded, where that is not the default. */
  encoding?: Record<string, PartEncoding>
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
  /** What reading the request body's description found beyond its sample; only when there is something to say. */
  bodyFindings?: BodyFindings
  /** Response statuses the spec declares as success (2xx-3xx; a 1xx is never final); empty means "any 2xx/3xx". */
  successStatuses: number[]
  /**
   * Security requirements: alternatives (any one suffices), each a list of scheme names that
   * must all be satisfied. An empty list means the operation needs no authentication.
   * `chooseSecurity` (security.ts) picks the alternative configured credentials satisfy.
   */
  security: string[][]
  /** Base URLs declared on the path item or the operation, overriding the spec's (variables filled). */
  servers?: string[]
  /**
   * Why the operation cannot be sent as described, with file:line (an undeclared path parameter,
   * a parameter or body its OpenAPI version does not allow...): the plan skips it.
   */
  unusable?: string
  /** Its success response lists resources (see ResponseListing); only when it does. */
  listing?: ResponseListing
  /** The links of its success responses; only when there are some. */
  links?: ResponseLink[]
}

/**
 * What the loader found out about a request body that the sample alone does not show. The plan
 * reads it through satisfiable.ts: `unsatisfiableBodyReason` (a skip reason) and `bodyWarnings`.
 */
export interface BodyFindings {
  /** Whether the spec requires a body (3.x `requestBody.required`; 2.0 the body parameter's `required`, or any formData parameter's). */
  required: boolean
  /**
   * The spec declares no media type for the body (Swagger 2.0 without `consumes`). An optional
   * body is not sent; a required one goes as JSON without a Content-Type header, or for formData
   * parameters as the form type they stand for.
   */
  mediaTypeUndeclared?: true
  /**
   * No value satisfies the body's schema: the part of it that rules every value out, e.g.
   * "allOf requires both string and integer". A required body makes the operation unsendable;
   * an optional one is not sent.
   */
  admitsNoValue?: string
  /**
   * The body sent matches more than one branch of a oneOf, so a validator applying JSON Schema's
   * oneOf (exactly one branch) rejects it; each entry says which branches, e.g. "Cat and Dog
   * both accept it, told apart only by the discriminator pet_type, which neither constrains".
   */
  oneOfAmbiguities?: string[]
  /**
   * The body sent matches exactly one oneOf branch thanks to a property that branch does not
   * declare and another refuses (the sampler adds one where the branches are otherwise
   * indistinguishable), so an API rejecting unknown properties refuses it; each entry names the
   * property, e.g. `its body carries "bark": "no" so that it matches only Cat, ...`.
   */
  oneOfDisambiguations?: string[]
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
  /**
   * What the loader read past, each with file:line: unknown properties, slips read as their
   * authors meant them (`type: int`), parts of the document that break its OpenAPI version's
   * schema outside any operation. Vendor extensions (`x-`) are never mentioned.
   */
  warnings: string[]
}
