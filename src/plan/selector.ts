/**
 * Endpoint selectors, shared by include/exclude filters and SLO rules:
 *   "*"                      every endpoint
 *   "GET /users/{id}"        one operation (method and path template as in the spec)
 *   "/users/{id}"            every method on that path
 *   "tag:users"              every operation with that tag
 *   "operationId:getUser"    one operation by its operationId
 */
import type { Endpoint } from '../spec/model.js'

export type SelectorKind = 'all' | 'operation' | 'path' | 'tag' | 'operationId'

/** Higher is more specific: an operation's own SLO beats its tag's, which beats "*". */
const SPECIFICITY: Record<SelectorKind, number> = { all: 0, tag: 1, path: 2, operationId: 3, operation: 3 }

export function selectorKind(selector: string): SelectorKind {
  const s = selector.trim()
  if (s === '*') return 'all'
  if (s.startsWith('tag:')) return 'tag'
  if (s.startsWith('operationId:')) return 'operationId'
  if (s.startsWith('/')) return 'path'
  return 'operation'
}

export function selectorSpecificity(selector: string): number {
  return SPECIFICITY[selectorKind(selector)]
}

export function matchesSelector(endpoint: Endpoint, selector: string): boolean {
  const s = selector.trim()
  switch (selectorKind(s)) {
    case 'all':
      return true
    case 'tag':
      return endpoint.tags.includes(s.slice('tag:'.length).trim())
    case 'operationId':
      return endpoint.operationId === s.slice('operationId:'.length).trim()
    case 'path':
      return endpoint.path === s
    case 'operation': {
      const [method, ...rest] = s.split(/\s+/)
      return endpoint.method === method.toUpperCase() && endpoint.path === rest.join(' ')
    }
  }
}

/** Selectors that match nothing are almost always typos; callers warn about them. */
export function unmatchedSelectors(endpoints: readonly Endpoint[], selectors: readonly string[]): string[] {
  return selectors.filter((s) => !endpoints.some((e) => matchesSelector(e, s)))
}
