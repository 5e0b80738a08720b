import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadSpec } from '../../src/spec/load.js'
import type { ApiSpec, Endpoint, ParameterSample } from '../../src/spec/model.js'
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

  it('sends a body the spec declares no media type for (Swagger 2.0 without consumes) as JSON, without a Content-Type', () => {
    const request = buildRequestSample(endpoint(petstore, 'POST /user/createWithArray'))
    expect(request).toEqual({ method: 'POST', path: '/user/createWithArray', headers: {}, cookies: {}, body: '[{}]' })
    expect('contentType' in request).toBe(false)
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
    const e = ep({
      method: 'PUT',
      path: '/a/{id}',
      parameters: [{ name: 'id', in: 'path', required: true, value: [1, 2] }],
      body: { contentType: 'application/json', value: { b: 1, a: 2 } },
    })
    const before = structuredClone(e)
    expect(buildRequestSample(e)).toEqual(buildRequestSample(e))
    expect(buildRequestSample(e).body).toBe('{"b":1,"a":2}')
    expect(e).toEqual(before)
  })
})

describe("paths whose '#' fragment names the operation (APIs.guru, AWS)", () => {
  it('sends the path before the fragment, with the parameters the spec declares', () => {
    const request = buildRequestSample(
      ep({
        method: 'GET',
        path: '/{Account}/{Queue}/#Action=SendMessage',
        parameters: [
          { name: 'Account', in: 'path', required: true, value: 1 },
          { name: 'Queue', in: 'path', required: true, value: 'q' },
          { name: 'Action', in: 'query', required: true, value: 'SendMessage' },
          { name: 'Version', in: 'query', required: true, value: '2012-11-05' },
        ],
      }),
    )
    expect(request.path).toBe('/1/q/?Action=SendMessage&Version=2012-11-05')
  })

  it("gives a declared parameter the fragment's value, whatever its schema sampled (importexport declares Action as any string)", () => {
    const request = buildRequestSample(
      ep({
        method: 'POST',
        path: '/#Operation=CancelJob&Action=CancelJob',
        parameters: [
          { name: 'Action', in: 'query', required: true, value: 'string' },
          { name: 'x-amz-target', in: 'header', required: true, value: 'string' },
        ],
      }),
    )
    expect(request.path).toBe('/?Action=CancelJob&Operation=CancelJob')
    const target = buildRequestSample(
      ep({
        method: 'POST',
        path: '/#X-Amz-Target=Kinesis.ListStreams',
        parameters: [{ name: 'X-Amz-Target', in: 'header', required: true, value: 'Kinesis.ListStreams' }],
      }),
    )
    expect(target).toMatchObject({ path: '/', headers: { 'X-Amz-Target': 'Kinesis.ListStreams' } })
  })

  it('puts undeclared key=value pairs in the query and leaves bare names out', () => {
    expect(buildRequestSample(ep({ method: 'POST', path: '/analyze#overload=stream' })).path).toBe('/analyze?overload=stream')
    expect(
      buildRequestSample(ep({ method: 'PUT', path: '/files/{id}#update_shared_link', parameters: [{ name: 'id', in: 'path', required: true, value: 7 }] }))
        .path,
    ).toBe('/files/7')
    const tagged = ep({
      method: 'DELETE',
      path: '/tags/{arn}#tagKeys',
      parameters: [
        { name: 'arn', in: 'path', required: true, value: 'a' },
        { name: 'tagKeys', in: 'query', required: true, value: ['k'] },
      ],
    })
    expect(buildRequestSample(tagged).path).toBe('/tags/a?tagKeys=k')
  })
})

describe('every parameter style and explode combination (styles-3.0.yaml, after the specification style tables)', () => {
  let styles: ApiSpec
  beforeAll(async () => {
    styles = await loadSpec('styles-3.0.yaml', { cwd: fixtures })
  })
  const request = (key: string) => buildRequestSample(endpoint(styles, key))

  it.each([
    ['GET /path/simple/{p}/{a}/{o}', '/path/simple/blue/blue,black/r,100,g,200'],
    ['GET /path/simple-explode/{p}/{a}/{o}', '/path/simple-explode/blue/blue,black/r=100,g=200'],
    ['GET /path/label/{p}/{a}/{o}', '/path/label/.blue/.blue,black/.r,100,g,200'],
    ['GET /path/label-explode/{p}/{a}/{o}', '/path/label-explode/.blue/.blue.black/.r=100.g=200'],
    ['GET /path/matrix/{p}/{a}/{o}', '/path/matrix/;p=blue/;a=blue,black/;o=r,100,g,200'],
    ['GET /path/matrix-explode/{p}/{a}/{o}', '/path/matrix-explode/;p=blue/;a=blue;a=black/;r=100;g=200'],
    ['GET /query/form', '/query/form?p=blue&a=blue&a=black&r=100&g=200'],
    ['GET /query/form-no-explode', '/query/form-no-explode?p=blue&a=blue,black&o=r,100,g,200'],
    ['GET /query/delimited', '/query/delimited?s=blue%20black&b=blue|black&se=blue&se=black'],
    ['GET /query/deep', '/query/deep?o[r]=100&o[g]=200'],
    // A `content` parameter is serialized whole (JSON); allowReserved keeps :/? but not = or &.
    ['GET /query/content', '/query/content?filter=%7B%22r%22%3A100%2C%22g%22%3A200%7D&url=https://example.com/a?b%3Dc'],
  ])('%s → %s', (key, path) => {
    expect(request(key).path).toBe(path)
  })

  it('serializes headers (simple) and cookies (form)', () => {
    expect(request('GET /header').headers).toEqual({ 'X-P': 'blue', 'X-A': 'blue,black', 'X-O': 'r,100,g,200', 'X-OE': 'r=100,g=200' })
    // Not exploded: one cookie; exploded (the default for form): one cookie per property.
    expect(request('GET /cookie').cookies).toEqual({ p: 'blue', a: 'blue,black', o: 'r,100,g,200', r: '100', g: '200' })
  })

  it('encodes URL-encoded bodies by their encoding styles, delimiters and brackets percent-encoded', () => {
    expect(request('POST /forms/urlencoded')).toMatchObject({
      contentType: 'application/x-www-form-urlencoded',
      body: 'name=Ann%20%26%20Bob&tags=blue%7Cblack&ids=1%2C2&rgb%5Br%5D=100&rgb%5Bg%5D=200',
    })
  })

  it('sends multipart file parts with a filename and the encoding content type, objects as JSON parts, arrays as repeated parts', () => {
    const b = MULTIPART_BOUNDARY
    expect(request('POST /forms/multipart').body).toBe(
      `--${b}\r\nContent-Disposition: form-data; name="title"\r\n\r\nCover\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="file"; filename="perf-xi-sample.txt"\r\nContent-Type: image/png\r\n\r\nPerf-Xi sample upload\n\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"r":100,"g":200}\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="photos"; filename="perf-xi-sample.txt"\r\nContent-Type: application/octet-stream\r\n\r\nPerf-Xi sample upload\n\r\n` +
        `--${b}--\r\n`,
    )
  })

  it('sends a generated file as a binary body, and text as text (preferred over XML)', () => {
    expect(request('PUT /binary')).toMatchObject({ contentType: 'application/octet-stream', body: 'Perf-Xi sample upload\n' })
    expect(request('POST /binary')).toMatchObject({ contentType: 'text/plain', body: 'hello' })
  })
})

describe('style serialization of values the fixtures do not cover', () => {
  const one = (p: Partial<ParameterSample> & Pick<ParameterSample, 'in' | 'value'>) =>
    buildRequestSample(ep({ method: 'GET', path: '/x/{v}', parameters: [{ name: 'v', required: true, ...p }] }))

  it('nests deepObject values and numbers array items', () => {
    expect(one({ in: 'query', style: 'deepObject', explode: true, value: { a: { b: 1 }, c: [2, 3] } }).path).toBe('/x/{v}?v[a][b]=1&v[c][0]=2&v[c][1]=3')
  })

  it('joins tab-delimited arrays (Swagger 2.0 tsv) and repeats exploded pipe-delimited ones', () => {
    expect(one({ in: 'query', style: 'tabDelimited', explode: false, value: ['a', 'b'] }).path).toBe('/x/{v}?v=a%09b')
    expect(one({ in: 'query', style: 'pipeDelimited', explode: true, value: ['a', 'b'] }).path).toBe('/x/{v}?v=a&v=b')
  })

  it('percent-encodes path values inside label and matrix styles', () => {
    expect(one({ in: 'path', style: 'matrix', value: 'a b' }).path).toBe('/x/;v=a%20b')
    expect(one({ in: 'path', style: 'label', explode: true, value: ['a/b', 'c'] }).path).toBe('/x/.a%2Fb.c')
  })

  it('keeps line breaks out of header values', () => {
    expect(one({ in: 'header', value: 'two\r\nlines' }).headers).toEqual({ v: 'two lines' })
  })

  it('sends a non-JSON content parameter as its text', () => {
    expect(one({ in: 'query', contentType: 'text/plain', value: 'a b' }).path).toBe('/x/{v}?v=a%20b')
  })
})
