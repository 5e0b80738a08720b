/**
 * Where each operation's requests go. Most operations use the base URL; an operation (or its path
 * item) may declare servers of its own, which OpenAPI says override the document's. The first of
 * its servers that fits wins: under a document server, relative, on the base URL's or document's
 * host, or another host that allowed-hosts names (explicitly, when base-url retargets the API). An
 * operation none of whose servers fits is skipped, saying what would let it run.
 * The rules in order, with examples: docs/planning.md ("Where requests go").
 */
import type { Endpoint } from '../spec/model.js'
import { checkAllowedHost } from './profile-config.js'

/**
 * The start of an operation's URL, before its path:
 *  - base-url: the base URL (PERF_XI_BASE_URL in the script) + prefix (prefix '' for most operations)
 *  - base-origin: the base URL's scheme://host[:port] + prefix (an operation server that is relative)
 *  - absolute: url, as the spec declares it (an operation server on another host the user allowed)
 * Neither prefix nor url ends with '/'.
 */
export type RequestBase = { kind: 'base-url'; prefix: string } | { kind: 'base-origin'; prefix: string } | { kind: 'absolute'; url: string }

/** Most operations: the base URL as it is. */
export const AT_BASE_URL: RequestBase = Object.freeze({ kind: 'base-url', prefix: '' }) as RequestBase

export interface ServerContext {
  /** The base URL the plan uses: the base-url input, or the spec's first absolute server. */
  baseUrl: string
  /** Whether the user set base-url (the spec's own servers then no longer say where the API is). */
  baseUrlFromInput: boolean
  /** The document's servers (variables filled). */
  specServers: readonly string[]
  /** allowed-hosts; empty: any host. */
  allowedHosts: readonly string[]
}

export type OperationServer = { base: RequestBase; note?: string } | { skip: string }

export function operationServer(endpoint: Pick<Endpoint, 'servers'>, context: ServerContext): OperationServer {
  const servers = endpoint.servers ?? []
  if (servers.length === 0) return { base: AT_BASE_URL }
  let firstProblem: string | undefined
  for (const server of servers) {
    const fit = fitServer(trimSlash(withScheme(server, context.baseUrl)), context)
    if ('base' in fit) return fit
    firstProblem ??= fit.skip
  }
  return { skip: firstProblem as string }
}

function fitServer(server: string, context: ServerContext): OperationServer {
  const specServers = context.specServers.map((s) => trimSlash(withScheme(s, context.baseUrl)))
  for (const specServer of specServers.map(withoutScheme)) {
    const bare = withoutScheme(server)
    if (specServer !== '' && (bare === specServer || bare.startsWith(`${specServer}/`))) {
      return { base: { kind: 'base-url', prefix: bare.slice(specServer.length) } }
    }
  }
  if (!isAbsolute(server)) {
    return server.startsWith('/')
      ? { base: { kind: 'base-origin', prefix: server } }
      : { base: { kind: 'base-url', prefix: server === '' ? '' : `/${server}` } }
  }
  let url: URL
  try {
    url = new URL(server)
  } catch {
    return { skip: `its server ${JSON.stringify(server)} is not a URL` }
  }
  if (!/^https?:$/.test(url.protocol)) return { skip: `its server ${server} is not http(s)` }
  const specHosts = specServers.filter(isAbsolute).map((s) => hostOf(s))
  // On the base URL's own host, or on the document's host (by either scheme) that base-url replaced:
  // follow the base URL (and PERF_XI_BASE_URL, when the script is run on its own).
  if (url.origin === originOf(context.baseUrl) || (context.baseUrlFromInput && specHosts.includes(url.host))) {
    return { base: { kind: 'base-origin', prefix: trimSlash(url.pathname + url.search) } }
  }
  if (context.baseUrlFromInput && context.allowedHosts.length === 0) {
    return {
      skip:
        `it is served from ${url.origin} (its own servers), not from base-url; ` +
        `list ${JSON.stringify(url.host)} in allowed-hosts to load it there, or exclude it`,
    }
  }
  const problem = checkAllowedHost(server, context.allowedHosts)
  if (problem)
    return {
      skip: `it is served from ${url.origin} (its own servers), which is not in allowed-hosts; add ${JSON.stringify(url.host)} to load it there, or exclude it`,
    }
  return { base: { kind: 'absolute', url: server }, note: `sent to ${url.origin}, its own server` }
}

/**
 * A protocol-relative server (`//kubernetes.local`) names a host, not a path: it takes the scheme of
 * the base URL (a spec fetched from a URL had it resolved against its own URL when it was read).
 */
export function withScheme(server: string, baseUrl: string): string {
  if (!server.startsWith('//')) return server
  try {
    return `${new URL(baseUrl).protocol}${server}`
  } catch {
    return server
  }
}

/** http://api.example.com/v1 and https://api.example.com/v1 are the same API: compared without their http(s) scheme. */
function withoutScheme(url: string): string {
  return url.replace(/^https?:(?=\/\/)/i, '')
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return ''
  }
}

function isAbsolute(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url)
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return ''
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

/** The URL a request of this base and path goes to, for logs, preflight and tests. */
export function requestUrl(base: RequestBase, baseUrl: string, path: string): string {
  switch (base.kind) {
    case 'base-url':
      return `${trimSlash(baseUrl)}${base.prefix}${path}`
    case 'base-origin':
      return `${originOf(baseUrl)}${base.prefix}${path}`
    case 'absolute':
      return `${base.url}${path}`
  }
}
