import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadSpec } from '../../src/spec/load.js'
import type { ApiSpec, Endpoint } from '../../src/spec/model.js'
import { buildRequestSample, MULTIPART_BOUNDARY } from '../../src/spec/request.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'specs')

function endpoint(spec: ApiSpec, key: string): Endpoint {
  const found = spec.endpoints.find((e) => e.key === key)
  if (!found) throw new Error(`no endpoint ${key}`)
  return found
}

/** An endpoint as the loader would produce it, with only what a case needs. */
function ep(partial: Partial<Endpoint> & Pick<Endpoint, 'method' | 'path'>): Endpoint {
  return { key: `${partial.method} ${partial.path}`, tags: [], deprecated: false, parameters: [], successStatuses: [], security: [], ...partial }
}

describe('requests built from loaded specs', () => {
  let features: ApiSpec
  let petstore: ApiSpec
  let swagger: ApiSpec
  beforeAll(async () => {
    features = await loadSpec('features-3.0.yaml', { cwd: fixtures })
    petstore = await loadSpec('petstore-2.0.yaml', { cwd: fixtures })
    swagger = await loadSpec('features-2.0.yaml', { cwd: fixtures })
  })

  it('puts query parameters in order, repeating exploded arrays, with headers and cookies apart', () => {
    expect(buildRequestSample(endpoint(features, 'GET /items'))).toEqual({
      method: 'GET',
      path: '/items?limit=10&tag=a&tag=b&ids=1,2,3',
      headers: { 'X-Request-Id': '3fa85f64-5717-4562-b3fc-2c963f66afa6', Authorization: 'string' },
      cookies: { session: 'aaaaaaaa' },
    })
  })

  it('fills the path template and percent-encodes query values', () => {
    expect(buildRequestSample(endpoint(features, 'GET /orders/{orderId}/lines/{lineNo}')).path).toBe(
      '/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6/lines/5?since=2024-01-01T00%3A00%3A00Z&q=aaa',
    )
    expect(buildRequestSample(endpoint(petstore, 'GET /pet/{petId}')).path).toBe('/pet/1')
  })

  it('serializes JSON bodies in schema property order', () => {
    expect(buildRequestSample(endpoint(features, 'POST /items'))).toMatchObject({
      contentType: 'application/json',
      body: '{"name":"stringstri","price":0.75,"kind":"book","tags":["new"]}',
    })
    expect(buildRequestSample(endpoint(petstore, 'POST /pet')).body).toBe('{"name":"doggie","photoUrls":["string"]}')
  })

  it('serializes form bodies as URL-encoded pairs', () => {
    expect(buildRequestSample(endpoint(features, 'POST /login'))).toMatchObject({
      contentType: 'application/x-www-form-urlencoded',
      body: 'username=user%40example.com&password=s3cret%26more',
    })
  })

  it('serializes multipart bodies with a fixed boundary', () => {
    const request = buildRequestSample(endpoint(features, 'POST /upload'))
    expect(request.contentType).toBe(`multipart/form-data; boundary=${MULTIPART_BOUNDARY}`)
    expect(request.body).toBe(
      `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nCover\r\n` +
        `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="perf-xi-sample.txt"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\nPerf-Xi sample upload\n\r\n` +
        `--${MULTIPART_BOUNDARY}--\r\n`,
    )
  })

  it('sends Swagger 2.0 collection formats as the spec asks', () => {
    expect(buildRequestSample(endpoint(swagger, 'GET /files'))).toEqual({
      method: 'GET',
      path: '/files?ext=png|jpg&owner=ann&owner=bob&size=100',
      headers: { 'X-Trace': 'trace-1' },
      cookies: {},
    })
  })

  it('builds a request for every endpoint of every fixture without leaving a template', async () => {
    for (const file of ['petstore-2.0.yaml', 'petstore-expanded-3.0.yaml', 'petstore-3.1.json', 'features-3.1.yaml', 'circular-3.0.yaml']) {
      const spec = await loadSpec(file, { cwd: fixtures })
      for (const e of spec.endpoints) {
        const request = buildRequestSample(e)
        expect(request.method).toBe(e.method)
        expect(request.path).not.toMatch(/[{}]/)
        expect(request.body === undefined).toBe(e.body === undefined)
      }
    }
  })
})

describe('serialization rules', () => {
  it('encodes path values and joins arrays and objects with commas (style simple)', () => {
    const request = buildRequestSample(
      ep({
        method: 'GET',
        path: '/files/{name}/{ids}/{point}',
        parameters: [
          { name: 'name', in: 'path', required: true, value: 'a b/c?' },
          { name: 'ids', in: 'path', required: true, value: [1, 2, 'x y'] },
          { name: 'point', in: 'path', required: true, value: { x: 1, y: 2 } },
        ],
      }),
    )
    expect(request.path).toBe('/files/a%20b%2Fc%3F/1,2,x%20y/x,1,y,2')
  })

  it('spreads object query values into their own pairs (form, exploded) and sends null as empty', () => {
    const request = buildRequestSample(
      ep({
        method: 'GET',
        path: '/search',
        parameters: [
          { name: 'filter', in: 'query', required: true, value: { color: 'red', size: 'L' } },
          { name: 'q', in: 'query', required: true, value: 'a&b=c' },
          { name: 'none', in: 'query', required: false, value: null },
          { name: 'skipped', in: 'query', required: false, value: undefined },
        ],
      }),
    )
    expect(request.path).toBe('/search?color=red&size=L&q=a%26b%3Dc&none=')
  })

  it('stringifies header and cookie values', () => {
    const request = buildRequestSample(
      ep({
        method: 'GET',
        path: '/',
        parameters: [
          { name: 'X-Count', in: 'header', required: true, value: 3 },
          { name: 'X-Tags', in: 'header', required: true, value: ['a', 'b'] },
          { name: 'prefs', in: 'cookie', required: true, value: { theme: 'dark' } },
        ],
      }),
    )
    expect(request.headers).toEqual({ 'X-Count': '3', 'X-Tags': 'a,b' })
    // A cookie object is form style, exploded by default: one cookie per property.
    expect(request.cookies).toEqual({ theme: 'dark' })
  })

  it('sends JSON types (+json too), text as is, and anything else as JSON when it is not a string', () => {
    const body = (contentType: string, value: unknown) => buildRequestSample(ep({ method: 'POST', path: '/', body: { contentType, value } }))
    expect(body('application/json', 'text')).toMatchObject({ body: '"text"', contentType: 'application/json' })
    expect(body('application/merge-patch+json', { a: null })).toMatchObject({ body: '{"a":null}' })
    expect(body('application/json; charset=utf-8', [1])).toMatchObject({ body: '[1]', contentType: 'application/json; charset=utf-8' })
    expect(body('text/plain', 'hello')).toMatchObject({ body: 'hello', contentType: 'text/plain' })
    expect(body('application/xml', { a: 1 })).toMatchObject({ body: '{"a":1}' })
    // URL-encoded properties are form style, exploded (an object's properties become pairs) unless encoded otherwise.
    expect(body('application/x-www-form-urlencoded', { tags: ['a', 'b'], n: 1, o: { k: 'v' } })).toMatchObject({ body: 'tags=a&tags=b&n=1&k=v' })
  })

  it('is pure: the same endpoint gives the same request and is not modified', () => {
    const e = ep({ method: 'PUT', path: '/a/{id}', parameters: [{ name: 'id', in: 'path', required: true, value: [1, 2] }], body: { contentType: 'application/json', value: { b: 1, a: 2 } } })
    const before = structuredClone(e)
    expect(buildRequestSample(e)).toEqual(buildRequestSample(e))
    expect(buildRequestSample(e).body).toBe('{"b":1,"a":2}')
    expect(e).toEqual(before)
  })
})
