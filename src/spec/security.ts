/**
 * Which of an operation's security alternatives the configured credentials can satisfy.
 *
 * An operation's `security` is a list of alternatives (OR), each a set of schemes that must all
 * be satisfied (AND). The first alternative, in the spec's order, whose every scheme is covered
 * by a configured credential (one may cover several, as a bearer token covers two OAuth2 schemes)
 * is chosen, unless two of them would need the same header
 * (basic and bearer together: HTTP has one Authorization header). An empty alternative (`{}`) means "anonymous is
 * allowed": it is chosen (and no credentials sent) only when no other alternative can be
 * satisfied, because a user who configured credentials wants the authenticated behaviour measured.
 *
 * What satisfies a scheme:
 *  - http bearer, oauth2, openIdConnect: a bearer token (the token itself comes from an
 *    environment variable; no OAuth flow is run);
 *  - http basic: basic credentials;
 *  - apiKey in header / query: an api-key credential in the same place under the same name
 *    (header names compare case-insensitively);
 *  - apiKey in cookie: a cookie credential with the same name;
 *  - anything else (http digest, mutualTLS, ...): nothing Perf-Xi can send.
 */
import type { Auth } from './auth-config.js'
import type { SecurityScheme } from './model.js'

export type SecurityChoice =
  /** No security requirement, or only an empty alternative is satisfiable: send no credentials. */
  | { kind: 'anonymous'; alternative?: number }
  /** `alternative` is the index in the operation's `security` list; `schemes` its scheme names. */
  | { kind: 'satisfied'; alternative: number; schemes: string[]; credentials: Auth[] }
  /** No alternative can be satisfied; `reason` says what the first one needs. */
  | { kind: 'unsatisfiable'; reason: string }

/** The first non-empty alternative of `security` the `credentials` satisfy, else an empty one. */
export function chooseSecurity(security: readonly string[][], schemes: Readonly<Record<string, SecurityScheme>>, credentials: readonly Auth[]): SecurityChoice {
  if (security.length === 0) return { kind: 'anonymous' }
  let anonymous: number | undefined
  for (const [index, alternative] of security.entries()) {
    if (alternative.length === 0) {
      anonymous ??= index
      continue
    }
    const used = new Set<Auth>()
    let complete = true
    for (const name of alternative) {
      const scheme = schemes[name]
      // One credential may satisfy several schemes of an alternative: Google's `Oauth2 + Oauth2c` both
      // want the same Authorization: Bearer token, which is sent once.
      const credential = scheme && credentials.find((c) => satisfies(scheme, c))
      if (!credential) {
        complete = false
        break
      }
      used.add(credential)
    }
    if (complete && !sharesAHeader([...used])) return { kind: 'satisfied', alternative: index, schemes: [...alternative], credentials: [...used] }
  }
  if (anonymous !== undefined) return { kind: 'anonymous', alternative: anonymous }
  // Alternatives that differ only in their scopes read the same: each is said once.
  const needs = [...new Set(security.map((alt) => alt.map((n) => describeScheme(n, schemes[n])).join(' + ')))]
  return { kind: 'unsatisfiable', reason: `needs ${needs.join(' or ')}` }
}

/** Two credentials that travel in the same header (basic and bearer both in Authorization) cannot be sent together. */
function sharesAHeader(credentials: Auth[]): boolean {
  const headers = credentials.map(headerOf).filter((h): h is string => h !== undefined)
  return new Set(headers).size < headers.length
}

function headerOf(auth: Auth): string | undefined {
  if (auth.type === 'bearer' || auth.type === 'basic') return 'authorization'
  if (auth.type === 'api-key' && auth.in === 'header') return auth.name.toLowerCase()
  return undefined
}

/** Whether one configured credential satisfies one security scheme. */
export function satisfies(scheme: SecurityScheme, auth: Auth): boolean {
  switch (scheme.kind) {
    case 'http-bearer':
    case 'oauth2':
    case 'openIdConnect':
      return auth.type === 'bearer'
    case 'http-basic':
      return auth.type === 'basic'
    case 'api-key':
      if (scheme.paramName === undefined) return false
      if (scheme.in === 'cookie') return auth.type === 'cookie' && auth.name === scheme.paramName
      if (auth.type !== 'api-key' || auth.in !== scheme.in) return false
      return scheme.in === 'header' ? auth.name.toLowerCase() === scheme.paramName.toLowerCase() : auth.name === scheme.paramName
    case 'other':
      return false
  }
}

/** "bearerAuth (bearer token)", "key (api key in header X-API-Key)": for skip reasons. */
export function describeScheme(name: string, scheme: SecurityScheme | undefined): string {
  if (!scheme) return `${name} (not declared)`
  switch (scheme.kind) {
    case 'http-bearer':
    case 'oauth2':
    case 'openIdConnect':
      return `${name} (bearer token)`
    case 'http-basic':
      return `${name} (basic)`
    case 'api-key':
      return scheme.in === 'cookie' ? `${name} (cookie ${scheme.paramName ?? '?'})` : `${name} (api key in ${scheme.in ?? '?'} ${scheme.paramName ?? '?'})`
    case 'other':
      return `${name} (unsupported scheme)`
  }
}
