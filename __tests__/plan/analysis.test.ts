/**
 * Endpoint analysis: read/write, critical and data-intensive categories with their reasons,
 * authentication, complexity and the categories config block.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyzeEndpoints, categoryConfigWarnings, complexityOf, splitWords } from '../../src/plan/analysis.js'
import { CATEGORY_DEFAULTS, categoryDefaults } from '../../src/plan/category-defaults.js'
import { CategoriesConfigSchema, type CategoriesConfig } from '../../src/plan/categories-config.js'
import { loadSpec } from '../../src/spec/load.js'
import { endpoint, type EndpointInput } from '../support/endpoints.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

function analyze(input: EndpointInput, config?: CategoriesConfig) {
  return analyzeEndpoints([endpoint(input)], config)[0]!
}

describe('splitWords', () => {
  it.each([
    { text: 'listProducts', words: ['list', 'products'] },
    { text: 'getHTTPFile', words: ['get', 'http', 'file'] },
    { text: 'OAuth2Token', words: ['o', 'auth', '2', 'token'] },
    { text: '/v1/user-files/{fileId}', words: ['v', '1', 'user', 'files', 'file', 'id'] },
    { text: 'bulk_import', words: ['bulk', 'import'] },
    { text: 'Search products by name', words: ['search', 'products', 'by', 'name'] },
    { text: '', words: [] },
  ])('$text', ({ text, words }) => {
    expect(splitWords(text)).toEqual(words)
  })
})

describe('categories from words and shapes', () => {
  const cases: Array<{ what: string; input: EndpointInput; category: string; why: string }> = [
    { what: 'search in the path', input: { op: 'GET /search' }, category: 'critical', why: 'search (path)' },
    { what: 'auth in the path', input: { op: 'POST /auth/token' }, category: 'critical', why: 'auth (path)' },
    { what: 'oauth2 split at the digit', input: { op: 'POST /oauth2/token' }, category: 'critical', why: 'auth (path)' },
    { what: 'camelCase sign-in in the operationId', input: { op: 'POST /sessions', operationId: 'signIn' }, category: 'critical', why: 'login (operationId)' },
    {
      what: 'two-word "log in" in the summary',
      input: { op: 'POST /sessions', summary: 'Log in with a password' },
      category: 'critical',
      why: 'login (summary)',
    },
    {
      what: 'list in the operationId and summary',
      input: { op: 'GET /users', operationId: 'listUsers', summary: 'List users' },
      category: 'critical',
      why: 'list (operationId, summary)',
    },
    { what: 'a tag', input: { op: 'POST /charges/{id}/capture', tags: ['Payments'] }, category: 'critical', why: 'payment (path, tag)' },
    { what: 'checkout', input: { op: 'POST /checkout' }, category: 'critical', why: 'checkout (path)' },
    { what: 'order under a parameter', input: { op: 'GET /orders/{orderId}' }, category: 'critical', why: 'order (path)' },
    { what: 'dashboard', input: { op: 'GET /dashboard/widgets' }, category: 'critical', why: 'dashboard (path)' },
    { what: 'feed', input: { op: 'GET /me/feed' }, category: 'critical', why: 'feed (path)' },
    // Word boundaries: a keyword inside a longer word does not count.
    { what: 'playlist is not list', input: { op: 'GET /playlists' }, category: 'standard', why: 'no critical or data-intensive words' },
    {
      what: 'profile is not file',
      input: { op: 'GET /profile', summary: 'Update the profile' },
      category: 'standard',
      why: 'no critical or data-intensive words',
    },
    { what: 'important is not import', input: { op: 'GET /important-notices' }, category: 'standard', why: 'no critical or data-intensive words' },
    { what: 'reorder is not order', input: { op: 'POST /items/reorder' }, category: 'standard', why: 'no critical or data-intensive words' },
    {
      what: 'path parameter names are not words of the path',
      input: { op: 'GET /users/{fileId}' },
      category: 'standard',
      why: 'no critical or data-intensive words',
    },
    // Data-intensive: words.
    { what: 'report', input: { op: 'GET /reports/{id}' }, category: 'data-intensive', why: 'report (path)' },
    { what: 'export and report', input: { op: 'GET /reports/export' }, category: 'data-intensive', why: 'export (path); report (path)' },
    { what: 'bulk beats order', input: { op: 'POST /orders/bulk' }, category: 'data-intensive', why: 'bulk (path); order (path)' },
    {
      what: 'download in the operationId',
      input: { op: 'GET /invoices/{id}/pdf', operationId: 'downloadInvoice' },
      category: 'data-intensive',
      why: 'download (operationId)',
    },
    { what: 'upload in a summary', input: { op: 'PUT /avatars/{id}', summary: 'Upload an avatar' }, category: 'data-intensive', why: 'upload (summary)' },
    { what: 'batch', input: { op: 'POST /batch' }, category: 'data-intensive', why: 'batch (path)' },
    { what: 'import', input: { op: 'POST /contacts/import' }, category: 'data-intensive', why: 'import (path)' },
    // Data-intensive: body shapes.
    {
      what: 'multipart body',
      input: { op: 'POST /pets/{id}/photo', body: { contentType: 'multipart/form-data', value: { photo: 'x' } } },
      category: 'data-intensive',
      why: 'multipart body (multipart/form-data)',
    },
    {
      what: 'binary body',
      input: { op: 'PUT /avatar', body: { contentType: 'application/octet-stream', value: 'x' } },
      category: 'data-intensive',
      why: 'binary body (application/octet-stream)',
    },
    {
      what: 'array body',
      input: { op: 'POST /users', body: { contentType: 'application/json', value: [{ name: 'a' }] } },
      category: 'data-intensive',
      why: 'array body (a bulk write by shape)',
    },
    {
      what: 'a long array inside the body',
      input: { op: 'POST /tags', body: { contentType: 'application/json', value: { ids: Array.from({ length: 12 }, (_, i) => i) } } },
      category: 'data-intensive',
      why: 'array of 12 items in the body',
    },
    {
      what: 'a large body',
      input: { op: 'POST /notes', body: { contentType: 'application/json', value: { text: 'x'.repeat(9000) } } },
      category: 'data-intensive',
      why: 'large body (9 KiB)',
    },
    {
      what: 'a small JSON body is nothing special',
      input: { op: 'POST /pets', body: { contentType: 'application/json', value: { name: 'Rex', tags: ['a', 'b'] } } },
      category: 'standard',
      why: 'no critical or data-intensive words',
    },
    {
      what: 'a text body is not binary',
      input: { op: 'POST /pets', body: { contentType: 'application/vnd.api+json', value: { name: 'Rex' } } },
      category: 'standard',
      why: 'no critical or data-intensive words',
    },
  ]

  it.each(cases)('$what → $category', ({ input, category, why }) => {
    const a = analyze(input)
    expect(a.category).toBe(category)
    expect(a.why).toBe(why)
    expect(a.defaults).toEqual(CATEGORY_DEFAULTS[a.category])
  })
})

describe('read/write, authentication and complexity', () => {
  it.each([
    { method: 'GET', access: 'read' },
    { method: 'HEAD', access: 'read' },
    { method: 'OPTIONS', access: 'read' },
    { method: 'POST', access: 'write' },
    { method: 'PUT', access: 'write' },
    { method: 'PATCH', access: 'write' },
    { method: 'DELETE', access: 'write' },
  ])('$method is a $access', ({ method, access }) => {
    expect(analyze({ op: `${method} /things` }).access).toBe(access)
  })

  it.each([
    { what: 'no security', security: [], required: false },
    { what: 'one scheme', security: [['bearerAuth']], required: true },
    { what: 'either of two schemes', security: [['apiKey'], ['bearerAuth']], required: true },
    { what: 'optional (an empty alternative)', security: [['bearerAuth'], []], required: false },
  ])('authentication: $what', ({ security, required }) => {
    expect(analyze({ op: 'GET /me', security }).authRequired).toBe(required)
  })

  it('scores parameters, path depth, body depth and size', () => {
    expect(complexityOf(endpoint({ op: 'GET /health' }))).toEqual({ score: 1, level: 'low', params: 0, pathDepth: 1, bodyBytes: 0, bodyDepth: 0 })
    const order = endpoint({ op: 'POST /orders', body: { contentType: 'application/json', value: { productId: 42, quantity: 2 } } })
    // 0 params + 1 segment + 2 × depth 1 + ⌈log2(1 + 29/128)⌉ (= 1): {"productId":42,"quantity":2} is 29 bytes
    expect(complexityOf(order)).toEqual({ score: 4, level: 'low', params: 0, pathDepth: 1, bodyBytes: 29, bodyDepth: 1 })
    const nested = endpoint({
      op: 'PUT /orgs/{org}/teams/{team}/members/{user}',
      parameters: ['org', 'team', 'user'].map((name) => ({ name, in: 'path' as const, required: true, value: 'x' })),
      body: { contentType: 'application/json', value: { role: { name: 'admin', scopes: [{ id: 1 }] } } },
    })
    const c = complexityOf(nested)
    expect(c).toMatchObject({ params: 3, pathDepth: 6, bodyDepth: 4, level: 'high' })
    expect(c.score).toBe(3 + 6 + 8 + Math.ceil(Math.log2(1 + c.bodyBytes / 128)))
  })
})

describe('the categories config block', () => {
  const endpoints = [
    endpoint({ op: 'GET /search', tags: ['catalog'] }),
    endpoint({ op: 'GET /account', tags: ['account'] }),
    endpoint({ op: 'GET /reports/daily', tags: ['catalog'] }),
    endpoint({ op: 'GET /help', tags: ['catalog'] }),
  ]
  const byKey = (config: CategoriesConfig) => Object.fromEntries(analyzeEndpoints(endpoints, config).map((a) => [a.key, a]))

  it('forces endpoints into a category by selector, and says so', () => {
    const a = byKey(CategoriesConfigSchema.parse({ critical: { endpoints: ['GET /account'] }, standard: { endpoints: ['/search'] } }))
    expect(a['GET /account']).toMatchObject({ category: 'critical', forcedBy: 'GET /account', why: 'forced by categories.critical.endpoints "GET /account"' })
    expect(a['GET /search']).toMatchObject({ category: 'standard', forcedBy: '/search' })
    expect(a['GET /reports/daily']!.category).toBe('data-intensive')
    expect(a['GET /reports/daily']!.forcedBy).toBeUndefined()
  })

  it('lets the most specific selector win, critical first on a tie, and warns about ties and typos', () => {
    const config = CategoriesConfigSchema.parse({
      critical: { endpoints: ['tag:catalog'] },
      standard: { endpoints: ['GET /help', 'GET /nope'] },
      'data-intensive': { endpoints: ['tag:catalog'] },
    })
    const a = byKey(config)
    expect(a['GET /help']!.category).toBe('standard') // operation beats tag
    expect(a['GET /search']!.category).toBe('critical') // tag vs tag: critical first
    expect(categoryConfigWarnings(endpoints, config)).toEqual([
      'categories.standard.endpoints "GET /nope" matches no endpoint of the spec',
      'GET /search is forced into both critical ("tag:catalog") and data-intensive ("tag:catalog"); critical wins, use a more specific selector to choose',
      'GET /reports/daily is forced into both critical ("tag:catalog") and data-intensive ("tag:catalog"); critical wins, use a more specific selector to choose',
    ])
  })

  it('turns the heuristics off with detect: false', () => {
    const a = byKey(CategoriesConfigSchema.parse({ detect: false, critical: { endpoints: ['GET /account'] } }))
    expect(a['GET /search']).toMatchObject({ category: 'standard', why: 'detection off (categories.detect: false)' })
    expect(a['GET /account']!.category).toBe('critical')
  })

  it('overrides each category default, the SLO as a whole', () => {
    const config = CategoriesConfigSchema.parse({
      critical: { vus: 40, slo: { p99: '800ms' } },
      'data-intensive': { 'think-time': '1s' },
    })
    expect(categoryDefaults('critical', config)).toEqual({ vus: 40, thinkTimeMs: 0, slo: { p99: 800 } })
    expect(categoryDefaults('data-intensive', config)).toEqual({ ...CATEGORY_DEFAULTS['data-intensive'], thinkTimeMs: 1000 })
    expect(categoryDefaults('standard', config)).toEqual(CATEGORY_DEFAULTS.standard)
    expect(byKey(config)['GET /search']).toMatchObject({ defaults: { vus: 40, slo: { p99: 800 } } })
  })

  it.each([
    {
      what: 'the weight a category had before its vus set its share',
      input: { critical: { weight: 3 } },
      message:
        "is no longer a setting: a category's share of the traffic comes from its vus now (VUs per endpoint: standard 10, critical 20, data-intensive 5); " +
        'use vus instead, e.g. vus: 40 on critical for twice its default share',
    },
    {
      what: 'a bad think time',
      input: { standard: { 'think-time': 'soon' } },
      message: 'think-time: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got "soon"',
    },
    {
      what: 'a length of its own (every category follows the profile)',
      input: { critical: { duration: '2m' } },
      message: "is not a category setting: every category's scenario follows the profile's shape; set duration (or stages) for the whole test",
    },
    {
      what: 'a ramp of its own',
      input: { critical: { 'ramp-up': '10s' } },
      message: "is not a category setting: every category's scenario follows the profile's shape; set stages for a ramp of your own",
    },
    {
      what: 'a bad SLO',
      input: { critical: { slo: { p95: 'fast' } } },
      message: 'p95: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got "fast"',
    },
    { what: 'an unknown category', input: { important: {} }, message: 'Unrecognized key: "important"' },
    { what: 'an unknown setting', input: { critical: { vu: 3 } }, message: 'Unrecognized key: "vu"' },
  ])('rejects $what', ({ input, message }) => {
    const result = CategoriesConfigSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((i) => i.message)).toContain(message)
  })
})

describe('the sample API', () => {
  it('is analysed as a reader would expect', async () => {
    const spec = await loadSpec('examples/sample-api/openapi.yaml', { cwd: root })
    const rows = analyzeEndpoints(spec.endpoints).map((a) => [a.key, a.category, a.access, a.authRequired, a.why])
    expect(rows).toEqual([
      ['GET /account', 'standard', 'read', true, 'no critical or data-intensive words'],
      ['GET /health', 'standard', 'read', false, 'no critical or data-intensive words'],
      ['GET /inventory/flaky', 'standard', 'read', false, 'no critical or data-intensive words'],
      ['POST /orders', 'critical', 'write', false, 'order (path, operationId, tag, summary)'],
      ['GET /products', 'critical', 'read', false, 'list (operationId, summary)'],
      ['GET /products/{id}', 'standard', 'read', false, 'no critical or data-intensive words'],
      ['GET /reports/slow', 'data-intensive', 'read', false, 'report (path, operationId, tag)'],
      ['GET /search', 'critical', 'read', false, 'search (path, operationId, tag, summary)'],
    ])
  })
})
