/**
 * Credentials in a URL of the spec (servers, server variables, Swagger 2.0's host, external
 * docs, external examples, OAuth endpoints) are refused like those in base-url: one line naming
 * where they are written, never the user name or password. The API's own data (example values
 * such as connection strings, defaults, extensions) is not a URL of the spec and still loads.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describeError, UserError } from '../../src/errors.js'
import { loadSpec } from '../../src/spec/load.js'

const SECRET = 'hunter2'
const REFUSAL =
  'must not contain a user name or password (they would be written to the script and the results); remove them and use auth with type basic in the config'

const openapi = (lines: string[], paths = ['  /x:', '    get:', '      responses:', '        "200": {description: ok}']): string =>
  ['openapi: 3.0.3', 'info: {title: t, version: "1"}', ...lines, 'paths:', ...paths, ''].join('\n')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'perf-xi-spec-urls-'))
  await mkdir(path.join(dir, 'paths'))
  await writeFile(
    path.join(dir, 'paths', 'x.yaml'),
    ['servers:', `  - url: https://deploy:${SECRET}@eu.example.com`, 'get:', '  responses:', '    "200": {description: ok}', ''].join('\n'),
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function load(text: string): Promise<unknown> {
  await writeFile(path.join(dir, 'spec.yaml'), text)
  return loadSpec('spec.yaml', { cwd: dir })
}

describe('credentials in a URL of the spec', () => {
  it.each([
    { what: 'the servers URL', text: openapi(['servers:', `  - url: https://deploy:${SECRET}@api.example.com/v1`]), at: 'servers[0].url' },
    {
      what: 'a server variable default',
      text: openapi(['servers:', '  - url: https://{auth}api.example.com', '    variables:', `      auth: {default: "deploy:${SECRET}@"}`]),
      at: 'servers[0].variables.auth.default',
    },
    {
      what: 'a server variable enum value',
      text: openapi([
        'servers:',
        '  - url: https://{host}/v1',
        '    variables:',
        `      host: {default: api.example.com, enum: [api.example.com, "deploy:${SECRET}@api.example.com"]}`,
      ]),
      at: 'servers[0].variables.host.enum[1]',
    },
    {
      what: 'an operation server',
      text: openapi(
        [],
        [
          '  /x:',
          '    get:',
          '      servers:',
          `        - url: https://deploy:${SECRET}@eu.example.com`,
          '      responses:',
          '        "200": {description: ok}',
        ],
      ),
      at: "paths['/x'].get.servers[0].url",
    },
    {
      what: 'a path item server in a referenced file',
      text: openapi([], ['  /x:', "    $ref: './paths/x.yaml'"]),
      at: "paths['/x'].servers[0].url",
      lineOf: '/x:',
    },
    { what: 'the external docs', text: openapi(['externalDocs:', `  url: https://deploy:${SECRET}@docs.example.com`]), at: 'externalDocs.url' },
    {
      what: "a tag's external docs",
      text: openapi(['tags:', `  - {name: pets, externalDocs: {url: "https://deploy:${SECRET}@docs.example.com"}}`]),
      at: 'tags[0].externalDocs.url',
    },
    {
      what: 'an external example value',
      text: openapi(['components:', '  examples:', `    pet: {externalValue: "https://deploy:${SECRET}@files.example.com/pet.json"}`]),
      at: 'components.examples.pet.externalValue',
    },
    {
      what: 'an OAuth token URL',
      text: openapi([
        'components:',
        '  securitySchemes:',
        '    oauth:',
        '      type: oauth2',
        `      flows: {clientCredentials: {tokenUrl: "https://client:${SECRET}@auth.example.com/token", scopes: {}}}`,
      ]),
      at: 'components.securitySchemes.oauth.flows.clientCredentials.tokenUrl',
    },
    {
      what: 'the Swagger 2.0 host',
      text: ['swagger: "2.0"', 'info: {title: t, version: "1"}', `host: "deploy:${SECRET}@api.example.com"`, 'paths: {}', ''].join('\n'),
      at: 'host',
    },
  ])('are refused in $what, naming where without showing them', async ({ text, at, lineOf }) => {
    let err: unknown
    await load(text).catch((e: unknown) => (err = e))
    expect(err).toBeInstanceOf(UserError)
    const message = describeError(err)
    // Where the spec holds the URL, or the entry whose $ref leads to the file that does.
    const line = text.split('\n').findIndex((l) => l.includes(lineOf ?? SECRET)) + 1
    expect(message).toMatch(new RegExp(`^spec\\.yaml:${line}:\\d+: `))
    expect(message.replace(/^spec\.yaml(:\d+:\d+)?: /, '')).toBe(`${at} ${REFUSAL}`)
    expect(message).not.toContain(SECRET)
    expect(message).not.toContain('deploy')
  })

  it("are left alone in the API's data: examples, defaults and extensions", async () => {
    const text = openapi(
      ['servers:', '  - url: https://api.example.com/v1', 'x-internal: {url: "https://ops:secret@internal.example.com"}'],
      [
        '  /x:',
        '    get:',
        '      parameters:',
        '        - name: dsn',
        '          in: query',
        '          schema: {type: string, default: "postgres://app:pw@db:5432/app"}',
        '          example: "postgres://app:pw@db:5432/app"',
        '      responses:',
        '        "200": {description: ok}',
      ],
    )
    await expect(load(text)).resolves.toMatchObject({ servers: ['https://api.example.com/v1'] })
  })
})
