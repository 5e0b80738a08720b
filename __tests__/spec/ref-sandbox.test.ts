/**
 * A spec's `$ref`s read only the spec's own tree: files under its folder for a local spec, the
 * same origin for a spec served over HTTP. Hostile references are one line naming the spec, the
 * `$ref` and why, with nothing of the target (a planted file secret, the process environment)
 * in it; legitimate references (siblings, subfolders, `..` within the tree, same origin,
 * circular) still load. The last test runs the real CLI with a secret in its environment.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeError, type UserError } from '../../src/errors.js'
import { loadSpec } from '../../src/spec/load.js'
import type { ApiSpec, Endpoint } from '../../src/spec/model.js'
import { errorOf } from '../support/user-error.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const ENV_MARKER_NAME = 'PERF_XI_TEST_CANARY'
const envMarker = `env-canary-${randomBytes(8).toString('hex')}`
const fileMarker = `file-canary-${randomBytes(8).toString('hex')}`

/** Every line of the files a hostile spec aims at, and of this process's environment. */
async function secretsOnThisMachine(): Promise<string[]> {
  const environ = (await readFile('/proc/self/environ', 'utf8')).split('\0')
  const passwd = (await readFile('/etc/passwd', 'utf8')).split('\n')
  return [...environ, ...passwd, envMarker, fileMarker].filter((line) => line.length >= 8)
}

/** The message is one line, the same through describeError, and holds no secret of the machine. */
async function expectCleanRefusal(err: UserError, expected: string): Promise<void> {
  const text = describeError(err)
  expect(text).toBe(expected)
  expect(text).not.toContain('\n')
  for (const secret of await secretsOnThisMachine()) expect(text).not.toContain(secret)
}

function endpoint(spec: ApiSpec, key: string): Endpoint {
  const found = spec.endpoints.find((e) => e.key === key)
  if (!found) throw new Error(`no endpoint ${key}`)
  return found
}

/**
 * A spec with `ref` as a query parameter's example (line 11) and as a response schema (line 16):
 * `example` is the first place it is read from, `schema` the other.
 */
function specWith(ref: string, where: 'example' | 'schema'): string {
  const example = where === 'example' ? `{$ref: ${JSON.stringify(ref)}}` : 'abc'
  const schema = where === 'schema' ? `{$ref: ${JSON.stringify(ref)}}` : '{type: object}'
  return [
    'openapi: 3.0.3',
    'info: {title: hostile, version: "1"}',
    'paths:',
    '  /x:',
    '    get:',
    '      parameters:',
    '        - name: q',
    '          in: query',
    '          required: true',
    '          schema: {type: string}',
    `          example: ${example}`,
    '      responses:',
    '        "200":',
    '          description: ok',
    '          content:',
    `            application/json: {schema: ${schema}}`,
    '',
  ].join('\n')
}

/** References a user writes: a sibling file, a subfolder (whose file reaches another through `..`), a circular schema. */
const LEGITIMATE_SPEC = `openapi: 3.0.3
info: {title: legitimate, version: "1"}
paths:
  /pets:
    post:
      parameters:
        - {name: q, in: query, required: true, schema: {$ref: './sibling.yaml'}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [pet, tree]
              properties:
                pet: {$ref: 'schemas/pet.yaml'}
                tree: {$ref: './schemas/node.yaml'}
      responses:
        "201": {description: created}
`

const AT_EXAMPLE = "api/openapi.yaml:11:11: $ref '%s' at paths['/x'].get.parameters[0].example"
const AT_SCHEMA = "api/openapi.yaml:16:32: $ref '%s' at paths['/x'].get.responses['200'].content['application/json'].schema"
const OUTSIDE = "points outside the spec's folder: only files under api/ are read"

let work: string
let api: string

beforeAll(async () => {
  process.env[ENV_MARKER_NAME] = envMarker
  work = await mkdtemp(path.join(tmpdir(), 'perf-xi-ref-sandbox-'))
  api = path.join(work, 'api')
  await mkdir(path.join(api, 'schemas'), { recursive: true })
  await mkdir(path.join(api, 'shared'), { recursive: true })
  await mkdir(path.join(api, '.git'), { recursive: true })
  await writeFile(path.join(work, 'secret.yaml'), `type: string\nexample: ${fileMarker}\n`)
  await writeFile(path.join(api, '.git', 'config'), `[http]\n\textraheader = AUTHORIZATION: basic ${fileMarker}\n`)
  await symlink(path.join(work, 'secret.yaml'), path.join(api, 'link-out.yaml'))
  await symlink(work, path.join(api, 'linked-dir'))
  await writeFile(path.join(api, 'nested-bad.yaml'), "type: object\nproperties:\n  leak: {$ref: '../secret.yaml'}\n")
  await writeFile(path.join(api, 'malformed.yaml'), `type: object\n  properties: ${fileMarker}\n`)
  await writeFile(path.join(api, 'notes.txt'), `Notes for whoever keeps this spec, long enough to be cut short in a message.\n${fileMarker}\n`)
  await writeFile(path.join(api, 'malformed.json'), `{"type": "object", "example": "${fileMarker}" oops}\n`)
  // Legitimate: a sibling, a subfolder reaching another through `..`, and a circular pair.
  await writeFile(path.join(api, 'sibling.yaml'), 'type: string\nexample: from-sibling\n')
  await writeFile(
    path.join(api, 'schemas', 'pet.yaml'),
    "type: object\nrequired: [name, owner]\nproperties:\n  name: {type: string, example: Rex}\n  owner: {$ref: '../shared/owner.yaml'}\n",
  )
  await writeFile(path.join(api, 'shared', 'owner.yaml'), 'type: object\nrequired: [email]\nproperties:\n  email: {type: string, example: ann@example.com}\n')
  await writeFile(
    path.join(api, 'schemas', 'node.yaml'),
    "type: object\nrequired: [id]\nproperties:\n  id: {type: integer, example: 3}\n  children: {type: array, items: {$ref: './node.yaml'}}\n",
  )
})

afterAll(async () => {
  delete process.env[ENV_MARKER_NAME]
  await rm(work, { recursive: true, force: true })
})

async function loadLocal(text: string): Promise<ApiSpec> {
  await writeFile(path.join(api, 'openapi.yaml'), text)
  return loadSpec('api/openapi.yaml', { cwd: work })
}

describe('a spec read from a file', () => {
  const cases: { what: string; ref: () => string; where: 'example' | 'schema'; reason: string }[] = [
    { what: 'an example reading /proc/self/environ', ref: () => '/proc/self/environ', where: 'example', reason: OUTSIDE },
    { what: 'a schema reading /etc/passwd', ref: () => '/etc/passwd', where: 'schema', reason: OUTSIDE },
    { what: 'a file:// URL to /proc/self/environ', ref: () => 'file:///proc/self/environ', where: 'example', reason: OUTSIDE },
    { what: 'a relative path climbing out of the folder', ref: () => '../secret.yaml', where: 'schema', reason: OUTSIDE },
    { what: 'a percent-encoded climb', ref: () => '..%2Fsecret.yaml', where: 'schema', reason: OUTSIDE },
    { what: 'a path through /dev', ref: () => '/dev/stdin', where: 'example', reason: OUTSIDE },
    {
      what: 'an absolute path, even inside the folder',
      ref: () => path.join(api, 'sibling.yaml'),
      where: 'schema',
      reason: 'is an absolute path: write it relative to the spec',
    },
    {
      what: 'a file:// URL, even inside the folder',
      ref: () => `file://${path.join(api, 'sibling.yaml')}`,
      where: 'schema',
      reason: 'is a file:// URL: write the path relative to the spec',
    },
    {
      what: 'a symbolic link to a file outside',
      ref: () => './link-out.yaml',
      where: 'schema',
      reason: "leads through a symbolic link out of the spec's folder: only files under api/ are read",
    },
    {
      what: 'a symbolic link to a folder outside',
      ref: () => 'linked-dir/secret.yaml',
      where: 'example',
      reason: "leads through a symbolic link out of the spec's folder: only files under api/ are read",
    },
    {
      what: "the checkout's .git/config",
      ref: () => '.git/config',
      where: 'example',
      reason: 'points into the hidden .git: hidden files and folders are never read',
    },
    {
      what: "a URL (the runner's private network)",
      ref: () => 'http://169.254.169.254/latest/meta-data',
      where: 'example',
      reason: 'is a URL: a spec read from a file reads only files under api/',
    },
  ]

  it.each(cases)('refuses $what in one line, showing nothing of the target', async ({ ref, where, reason }) => {
    const err = await errorOf(loadLocal(specWith(ref(), where)))
    await expectCleanRefusal(err, `${(where === 'example' ? AT_EXAMPLE : AT_SCHEMA).replace('%s', ref())} ${reason}`)
  })

  it('names the referenced file that holds a refused $ref', async () => {
    const err = await errorOf(loadLocal(specWith('./nested-bad.yaml', 'schema')))
    await expectCleanRefusal(err, `api/openapi.yaml: $ref '../secret.yaml' at properties.leak in api/nested-bad.yaml ${OUTSIDE}`)
  })

  it.each([
    ['YAML', 'malformed.yaml', 'api/malformed.yaml:2:13: malformed YAML: bad indentation of a mapping entry'],
    ['JSON', 'malformed.json', 'api/malformed.json:1:62: malformed JSON: missed comma between flow collection entries'],
  ])('reports a malformed referenced %s file by file and line, without quoting it', async (_format, file, expected) => {
    const err = await errorOf(loadLocal(specWith(`./${file}`, 'schema')))
    await expectCleanRefusal(err, expected)
  })

  it('quotes a text file read as a schema only in part', async () => {
    const err = await errorOf(loadLocal(specWith('./notes.txt', 'schema')))
    // A schema no value fits rules its operation out; with no other operation the spec is refused, quoting the text in part.
    expect(describeError(err)).toMatch(
      /^api\/openapi\.yaml: none of the 1 operations can be sent as described: GET \/x: line 16:32: invalid OpenAPI 3\.0 document: .* \(\d+ characters\)$/,
    )
    expect(describeError(err)).not.toContain(fileMarker)
  })

  it('still reads siblings, subfolders, `..` within the tree and circular references', async () => {
    const spec = await loadLocal(LEGITIMATE_SPEC)
    expect(endpoint(spec, 'POST /pets').parameters).toEqual([{ name: 'q', in: 'query', required: true, value: 'from-sibling' }])
    expect(endpoint(spec, 'POST /pets').body?.value).toEqual({ pet: { name: 'Rex', owner: { email: 'ann@example.com' } }, tree: { id: 3 } })
  })
})

describe('a spec served over HTTP', () => {
  let server: Server
  let other: Server
  let base: string
  let otherBase: string
  const otherHits: string[] = []
  const docs = new Map<string, string>()

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? '/'
      if (url === '/redirect-out.yaml') return void res.writeHead(302, { location: `${otherBase}/schema.yaml` }).end()
      if (url === '/redirect-sibling.yaml') return void res.writeHead(302, { location: '/sibling.yaml' }).end()
      // Headers and part of the body, then the connection drops.
      if (url === '/cut-off.yaml') return void res.writeHead(200, { 'content-length': '100' }).write('type: ', () => res.destroy())
      const doc = docs.get(url)
      if (doc === undefined) return void res.writeHead(404).end('not found')
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(doc)
    })
    other = createServer((req, res) => {
      otherHits.push(req.url ?? '')
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(`type: string\nexample: ${fileMarker}\n`)
    })
    await Promise.all([server, other].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
    docs.set(
      '/schemas/pet.yaml',
      "type: object\nrequired: [name, owner]\nproperties:\n  name: {type: string, example: Rex}\n  owner: {$ref: '../shared/owner.yaml'}\n",
    )
    docs.set('/shared/owner.yaml', 'type: object\nrequired: [email]\nproperties:\n  email: {type: string, example: ann@example.com}\n')
  })
  afterAll(async () => {
    await Promise.all([server, other].map((s) => new Promise((resolve) => s.close(resolve))))
  })
  beforeEach(() => {
    otherHits.length = 0
  })

  const remote = (ref: string): Promise<ApiSpec> => {
    docs.set('/api/openapi.yaml', specWith(ref, 'schema'))
    return loadSpec(`${base}/api/openapi.yaml`)
  }
  const sameOriginOnly = (): string => `a spec fetched from ${base} reads only URLs of that origin`
  const localhost = (): string => base.replace('127.0.0.1', 'localhost')
  const cases: { what: string; ref: () => string; shown?: () => string; reason: () => string }[] = [
    { what: 'file:///proc/self/environ', ref: () => 'file:///proc/self/environ', reason: () => `is a file:// URL: ${sameOriginOnly()}` },
    {
      what: 'another port of the same host',
      ref: () => `${otherBase}/schema.yaml`,
      reason: () => `points to another origin (${otherBase}): ${sameOriginOnly()}`,
    },
    {
      what: 'another host name for the same server',
      ref: () => `${localhost()}/schemas/pet.yaml`,
      reason: () => `points to another origin (${localhost()}): ${sameOriginOnly()}`,
    },
    {
      what: 'a scheme-relative URL to another origin',
      ref: () => `${otherBase.replace('http:', '')}/schema.yaml`,
      reason: () => `points to another origin (${otherBase}): ${sameOriginOnly()}`,
    },
    {
      what: 'a redirect to another origin',
      ref: () => '../redirect-out.yaml',
      reason: () => `redirects to another origin (${otherBase}): ${sameOriginOnly()}`,
    },
    {
      what: 'credentials in the URL',
      ref: () => `${base.replace('//', `//user:${fileMarker}@`)}/schemas/pet.yaml`,
      shown: () => `${base.replace('//', '//***@')}/schemas/pet.yaml`,
      reason: () => 'contains a user name or password: $refs are fetched without credentials',
    },
    {
      what: 'a body cut off half way',
      ref: () => '../cut-off.yaml',
      reason: () => 'could not be fetched: other side closed',
    },
    {
      what: 'an absolute path (a path on the server, not on the runner)',
      ref: () => '/proc/self/environ',
      reason: () => 'could not be fetched: HTTP 404 Not Found',
    },
  ]

  it.each(cases)('refuses $what in one line, never asking another origin', async ({ ref, shown, reason }) => {
    const err = await errorOf(remote(ref()))
    const at = AT_SCHEMA.replace('api/openapi.yaml', `${base}/api/openapi.yaml`).replace('%s', shown?.() ?? ref())
    await expectCleanRefusal(err, `${at} ${reason()}`)
    expect(otherHits).toEqual([])
  })

  it('still reads relative paths, `..` within the tree, same-origin URLs and redirects', async () => {
    docs.set('/sibling.yaml', 'type: string\nexample: from-sibling\n')
    docs.set(
      '/schemas/node.yaml',
      "type: object\nrequired: [id]\nproperties:\n  id: {type: integer, example: 3}\n  children: {type: array, items: {$ref: './node.yaml'}}\n",
    )
    docs.set(
      '/openapi.yaml',
      LEGITIMATE_SPEC.replace("'schemas/pet.yaml'", `'${base}/schemas/pet.yaml'`).replace("'./sibling.yaml'", "'/redirect-sibling.yaml'"),
    )
    const spec = await loadSpec(`${base}/openapi.yaml`)
    expect(endpoint(spec, 'POST /pets').parameters).toEqual([{ name: 'q', in: 'query', required: true, value: 'from-sibling' }])
    expect(endpoint(spec, 'POST /pets').body?.value).toEqual({ pet: { name: 'Rex', owner: { email: 'ann@example.com' } }, tree: { id: 3 } })
    expect(otherHits).toEqual([])
  })

  it('refuses a spec URL that carries credentials, without showing them', async () => {
    const err = await errorOf(loadSpec(`${base.replace('//', `//user:${fileMarker}@`)}/api/openapi.yaml`))
    await expectCleanRefusal(
      err,
      `${base.replace('//', '//***@')}/api/openapi.yaml: the OpenAPI URL must not contain a user name or password (they would be written to the results and the logs)`,
    )
  })
})

describe('the CLI, with a secret in its environment', () => {
  it('refuses a spec whose example reads /proc/self/environ, and no output or file holds the secret', async () => {
    await writeFile(path.join(api, 'openapi.yaml'), specWith('/proc/self/environ', 'example'))
    const outDir = path.join(work, 'out')
    const child = spawn(
      path.join(repo, 'node_modules', '.bin', 'tsx'),
      [path.join(repo, 'src', 'bin.ts'), '--openapi', 'api/openapi.yaml', '--base-url', 'http://127.0.0.1:9', '--out-dir', outDir],
      {
        cwd: work,
        env: { ...process.env, [ENV_MARKER_NAME]: envMarker, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))

    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `perf-xi: ${AT_EXAMPLE.replace('%s', '/proc/self/environ')} ${OUTSIDE}\n` })
    const written = await readdir(outDir, { recursive: true }).catch(() => [] as string[])
    for (const file of written) {
      const content = await readFile(path.join(outDir, file), 'utf8').catch(() => '')
      expect(content).not.toContain(envMarker)
    }
  }, 60_000)
})
