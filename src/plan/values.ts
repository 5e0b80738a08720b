/**
 * Where the values of path parameters the spec gives no value for come from, and which values the
 * plan had to invent. Order of preference: the dataset (the user's override), the spec's examples,
 * defaults and enums (src/spec/sample.ts), an OpenAPI 3 link from a safe operation, the matching
 * collection endpoint (`GET /buckets` → ids for `GET /buckets/{bucket_id}`), and only then a value
 * synthesized from the type and format, which the plan names. Links and collections are read once
 * in the k6 script's setup(), with the same auth (templates/k6-script.js.hbs), and only for
 * operations that change nothing: a DELETE of a harvested id would delete a real resource. Pure.
 */
import { SAFE_METHODS, type Endpoint, type ParameterLocation, type ResponseLink } from '../spec/model.js'
import { buildRequestSample } from '../spec/request.js'

/** Values harvested from one response: the first `path` steps lead to the value or array, `field` picks it from each item. */
export interface HarvestSource {
  /** The safe operation requested in setup(), e.g. "GET /orders". */
  from: string
  via: 'collection' | 'link'
  /** Property names (JSON pointer tokens) from the body to the value or the array of items. */
  path: string[]
  /** The item property holding the value; absent when `path` leads to the value(s) themselves. */
  field?: string
}

export type ValueOrigin = { kind: 'harvested'; source: HarvestSource } | { kind: 'invented'; why: string }

/** One parameter value the spec did not give: harvested at run time, or invented. */
export interface PlannedValue {
  name: string
  in: ParameterLocation
  /** The sampled value, sent when harvesting finds nothing. */
  sample: unknown
  origin: ValueOrigin
}

/** What the plan needs to know of an endpoint to read values from it. */
interface Candidate {
  endpoint: Endpoint
  /** Why it is not planned, when it is not. */
  skipped?: string
}

const NOTHING_FOUND = 'no example, no link, no collection to harvest from'

/** The candidates looked up by operation id (their links) and by path (the first GET): one pass, not one per parameter. */
interface CandidateIndex {
  linksTo: Map<string, Array<{ candidate: Candidate; link: ResponseLink }>>
  getByPath: Map<string, Candidate>
}

// Built once per candidate list: a plan asks for every parameter of every endpoint (Microsoft Graph: 11,000 endpoints).
const indexes = new WeakMap<readonly Candidate[], CandidateIndex>()

function indexOf(candidates: readonly Candidate[]): CandidateIndex {
  let index = indexes.get(candidates)
  if (index) return index
  index = { linksTo: new Map(), getByPath: new Map() }
  for (const candidate of candidates) {
    for (const link of candidate.endpoint.links ?? []) {
      const list = index.linksTo.get(link.operationId) ?? []
      list.push({ candidate, link })
      index.linksTo.set(link.operationId, list)
    }
    if (candidate.endpoint.method === 'GET' && !index.getByPath.has(candidate.endpoint.path)) index.getByPath.set(candidate.endpoint.path, candidate)
  }
  indexes.set(candidates, index)
  return index
}

/**
 * The values of `endpoint` the spec does not give, each with where it will come from. `candidates`:
 * every endpoint of the spec, with the reason it is skipped where it is.
 */
export function planValues(endpoint: Endpoint, candidates: readonly Candidate[]): PlannedValue[] {
  const values: PlannedValue[] = []
  for (const p of endpoint.parameters) {
    if (!p.invented) continue
    const base = { name: p.name, in: p.in, sample: p.value }
    if (p.in !== 'path') {
      values.push({ ...base, origin: { kind: 'invented', why: 'no example, default or enum in the spec' } })
      continue
    }
    // Real ids in a request that changes data would change (or delete) real resources.
    if (!SAFE_METHODS.includes(endpoint.method)) {
      values.push({ ...base, origin: { kind: 'invented', why: 'no example; real ids are harvested only for requests that change nothing' } })
      continue
    }
    const scalar = typeof p.value === 'string' || typeof p.value === 'number' || typeof p.value === 'boolean'
    const found = scalar ? (linkSource(endpoint, p.name, candidates) ?? collectionSource(endpoint, p.name, candidates)) : { miss: 'not a single value' }
    values.push({ ...base, origin: 'source' in found ? { kind: 'harvested', source: found.source } : { kind: 'invented', why: found.miss } })
  }
  return values
}

type Found = { source: HarvestSource } | { miss: string }

/** Why `candidate` cannot be requested in setup(), if it cannot. */
function unusableSource(candidate: Candidate): string | undefined {
  const { endpoint } = candidate
  if (endpoint.method !== 'GET') return `${endpoint.key} changes data, so it is not called before the load`
  if (candidate.skipped) return `${endpoint.key} could give it but is not planned (${candidate.skipped})`
  const unknown = endpoint.parameters.find((p) => p.in === 'path' && p.invented)
  if (unknown) return `${endpoint.key} could give it but needs {${unknown.name}}, which the spec does not give either`
  return undefined
}

/** An OpenAPI 3 link to `endpoint` that says where `name` comes from: `$response.body#/pointer` of a safe operation. */
function linkSource(endpoint: Endpoint, name: string, candidates: readonly Candidate[]): { source: HarvestSource } | undefined {
  if (!endpoint.operationId) return undefined
  for (const { candidate, link } of indexOf(candidates).linksTo.get(endpoint.operationId) ?? []) {
    const expression = link.parameters[name] ?? link.parameters[`path.${name}`]
    const pointer = expression?.match(/^\$response\.body#(\/.*)?$/)
    if (!pointer || unusableSource(candidate)) continue
    const path = (pointer[1] ?? '')
      .split('/')
      .slice(1)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    return { source: { from: candidate.endpoint.key, via: 'link', path } }
  }
  return undefined
}

/**
 * The collection `name` is an item of: the GET operation on the path up to the `{name}` segment,
 * whose response lists objects with a field named like the parameter (`bucket_id` → `bucket_id`,
 * `bucketId`; and `id` for any name ending in id).
 */
export function collectionSource(endpoint: Endpoint, name: string, candidates: readonly Candidate[]): Found {
  const segments = endpoint.path.split('/')
  const at = segments.indexOf(`{${name}}`)
  if (at < 1) return { miss: `${NOTHING_FOUND}: {${name}} is not a whole path segment` }
  const parentPath = segments.slice(0, at).join('/') || '/'
  const parent = indexOf(candidates).getByPath.get(parentPath)
  if (!parent) return { miss: NOTHING_FOUND }
  const listing = parent.endpoint.listing
  if (!listing) return { miss: `no example, no link, and ${parent.endpoint.key} does not describe a list of objects` }
  const field = matchingField(name, listing.itemFields)
  if (!field) return { miss: `no example, no link, and the items of ${parent.endpoint.key} have no field like ${name} (${listing.itemFields.join(', ')})` }
  const unusable = unusableSource(parent)
  if (unusable) return { miss: `no example, no link, and ${unusable}` }
  // The parent's own path values must be those of this endpoint, or the ids belong to another parent.
  const mismatch = parent.endpoint.parameters.find(
    (p) => p.in === 'path' && endpoint.parameters.find((q) => q.in === 'path' && q.name === p.name)?.value !== p.value,
  )
  if (mismatch) return { miss: `no example, no link, and ${parent.endpoint.key} is sampled with another {${mismatch.name}}` }
  return { source: { from: parent.endpoint.key, via: 'collection', path: listing.property ? [listing.property] : [], field } }
}

/** The item field that holds a parameter's values: the same name in any case or separator style, else `id` for names ending in id. */
export function matchingField(name: string, fields: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')
  const wanted = norm(name)
  return fields.find((f) => norm(f) === wanted) ?? (wanted.endsWith('id') ? fields.find((f) => norm(f) === 'id') : undefined)
}

/** How a source is read, for people: "GET /orders (data[].id)". */
export function describeSource(source: HarvestSource): string {
  const steps = source.path.join('.')
  const where = source.field !== undefined ? `${steps === '' ? '' : `${steps}`}[].${source.field}` : steps === '' ? 'the body' : steps
  return `${source.from} (${source.via === 'link' ? 'link, ' : ''}${where})`
}

/** One line per value the plan did not take from the spec, e.g. "GET /buckets/{bucket_id}: bucket_id invented as "string" (…)". */
export function describeValue(key: string, value: PlannedValue): string {
  const where = value.in === 'path' ? value.name : `${value.in} parameter ${value.name}`
  if (value.origin.kind === 'harvested') {
    return `${key}: ${where} harvested in setup() from ${describeSource(value.origin.source)}; ${JSON.stringify(value.sample)} if that finds none`
  }
  return `${key}: ${where} invented as ${JSON.stringify(value.sample)} (${value.origin.why})`
}

/** One line per value of the plan's endpoints that the spec did not give (harvested or invented), the dataset's left out. */
export function valueLines(
  endpoints: ReadonlyArray<{ endpoint: Endpoint; values?: PlannedValue[] }>,
  dataset?: { endpoints: Record<string, ReadonlyArray<{ name: string; in: string }>> },
): string[] {
  return endpoints.flatMap((p) => valuesBesideDataset(p.values, dataset?.endpoints[p.endpoint.key] ?? []).map((v) => describeValue(p.endpoint.key, v)))
}

/**
 * The values of a planned endpoint the dataset does not fill (`filled`: its dataset values): the
 * dataset wins over everything else, and where it fills the URL the script builds the URL from
 * the row alone, so a value harvested beside it stays the sample.
 */
export function valuesBesideDataset(values: readonly PlannedValue[] | undefined, filled: ReadonlyArray<{ name: string; in: string }>): PlannedValue[] {
  const rest = (values ?? []).filter((v) => !filled.some((f) => f.name === v.name && f.in === v.in))
  if (!filled.some((f) => f.in !== 'body')) return rest
  const why = 'the dataset fills the rest of this URL; add a column for it'
  return rest.map((v) => (v.origin.kind === 'harvested' ? { ...v, origin: { kind: 'invented', why } } : v))
}

export type HarvestedUrlPart = { text: string } | { harvested: string }

const SENTINEL = (i: number) => `__perfxi_harvest_${i}__`
const SENTINEL_PATTERN = /__perfxi_harvest_(\d+)__/g

/**
 * The request path with the harvested parameters left open: literal text and, for each
 * harvested value, the name its values go by in the script (`names`, by parameter name).
 */
export function harvestedPath(endpoint: Endpoint, names: ReadonlyMap<string, string>): HarvestedUrlPart[] {
  const order = [...names.keys()]
  // Built again with placeholders, so the path is serialized exactly as request.ts does; the
  // placeholders (letters, digits, _) survive URL encoding.
  const parameters = endpoint.parameters.map((p) => (p.in === 'path' && names.has(p.name) ? { ...p, value: SENTINEL(order.indexOf(p.name)) } : p))
  const path = buildRequestSample({ ...endpoint, parameters }).path
  const parts: HarvestedUrlPart[] = []
  let last = 0
  for (const match of path.matchAll(SENTINEL_PATTERN)) {
    if (match.index! > last) parts.push({ text: path.slice(last, match.index) })
    parts.push({ harvested: names.get(order[Number(match[1])]!)! })
    last = match.index! + match[0].length
  }
  if (last < path.length) parts.push({ text: path.slice(last) })
  return parts
}
