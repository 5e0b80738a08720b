/**
 * The URLs a spec declares (servers with each value their variables may take, Swagger 2.0's
 * host, external docs, external example values, security schemes' endpoints, contact and
 * licence links): the first that carries a user name or password, by where it is written.
 * Example values, defaults, enums and extensions of the API's own data are not URLs of the spec.
 */
import { hasUrlCredentials } from '../url-credentials.js'

type DocPath = (string | number)[]

/** Keys whose string value is a URL of the spec itself. */
const URL_KEYS = new Set(['url', 'externalValue', 'termsOfService', 'authorizationUrl', 'tokenUrl', 'refreshUrl', 'openIdConnectUrl'])
/** Keys holding data of the API (or extensions), not parts of the description. */
const DATA_KEYS = new Set(['example', 'default', 'enum', 'const', '$ref'])

/** Where the first URL with credentials is written, e.g. `['servers', 0, 'variables', 'host', 'default']`. */
export function findUrlWithCredentials(doc: unknown): DocPath | undefined {
  if (!isObject(doc)) return undefined
  if (typeof doc.swagger === 'string' && typeof doc.host === 'string' && hasUrlCredentials(`http://${doc.host}`)) return ['host']
  const visiting = new Set<object>()
  const walk = (node: unknown, at: DocPath): DocPath | undefined => {
    if (typeof node !== 'object' || node === null || visiting.has(node)) return undefined
    visiting.add(node)
    let found: DocPath | undefined
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length && !found; i++) found = walk(node[i], [...at, i])
    } else {
      for (const [key, value] of Object.entries(node)) {
        found = inEntry(key, value, [...at, key])
        if (found) break
      }
    }
    visiting.delete(node)
    return found
  }
  const inEntry = (key: string, value: unknown, at: DocPath): DocPath | undefined => {
    if (DATA_KEYS.has(key) || key.startsWith('x-')) return undefined
    if (URL_KEYS.has(key) && typeof value === 'string') return hasUrlCredentials(value) ? at : undefined
    if (key === 'servers' && Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = inServer(value[i], [...at, i])
        if (found) return found
      }
      return undefined
    }
    if (key === 'server' && isObject(value)) return inServer(value, at) // a Link Object's server
    if (key === 'examples') return inExamples(value, at)
    return walk(value, at)
  }
  return walk(doc, [])
}

/** A Server Object's URL, filled with each value each variable may take (the others at their default). */
function inServer(server: unknown, at: DocPath): DocPath | undefined {
  if (!isObject(server) || typeof server.url !== 'string') return undefined
  const variables = isObject(server.variables) ? server.variables : {}
  const defaults: Record<string, string> = {}
  for (const [name, v] of Object.entries(variables)) if (isObject(v) && v.default !== undefined) defaults[name] = String(v.default)
  const fill = (overrides: Record<string, string>): string =>
    (server.url as string).replace(/\{([^}]+)\}/g, (whole, name: string) => overrides[name] ?? defaults[name] ?? whole)
  if (hasUrlCredentials(fill({}))) {
    const culprit = Object.keys(defaults).find((name) => defaults[name]!.includes('@') && hasUrlCredentials(fill({ [name]: defaults[name]! })))
    return culprit === undefined || hasUrlCredentials(server.url) ? [...at, 'url'] : [...at, 'variables', culprit, 'default']
  }
  for (const [name, v] of Object.entries(variables)) {
    if (!isObject(v) || !Array.isArray(v.enum)) continue
    const i = v.enum.findIndex((value) => hasUrlCredentials(fill({ [name]: String(value) })))
    if (i >= 0) return [...at, 'variables', name, 'enum', i]
  }
  return undefined
}

/** Example Objects' externalValue (their `value` is the API's data). */
function inExamples(examples: unknown, at: DocPath): DocPath | undefined {
  if (!isObject(examples)) return undefined
  for (const [name, example] of Object.entries(examples)) {
    if (isObject(example) && typeof example.externalValue === 'string' && hasUrlCredentials(example.externalValue)) return [...at, name, 'externalValue']
  }
  return undefined
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
