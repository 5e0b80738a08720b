import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import SwaggerParser from '@apidevtools/swagger-parser'
import yaml from 'js-yaml'
import { validateOpenApi30, validateOpenApi31, validateSwagger20 } from '../../src/spec/openapi-validators.generated.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const specs = path.join(root, '__tests__/fixtures/specs')

/** What swagger-parser's own schema stage reports for a document: its ajv errors, or none. */
async function swaggerParserSchemaErrors(file: string): Promise<unknown[]> {
  try {
    await new SwaggerParser().validate(file, { resolve: { external: false }, dereference: { circular: 'ignore' }, validate: { schema: true, spec: false } })
    return []
  } catch (err) {
    return (err as { details?: unknown[] }).details ?? [String(err)]
  }
}

async function precompiledErrors(file: string): Promise<unknown[]> {
  const api = (await new SwaggerParser().dereference(file, { resolve: { external: false }, dereference: { circular: 'ignore' } })) as Record<string, unknown>
  const validate = typeof api.swagger === 'string' ? validateSwagger20 : String(api.openapi).startsWith('3.1') ? validateOpenApi31 : validateOpenApi30
  return validate(api) ? [] : [...(validate.errors ?? [])]
}

describe('the OpenAPI schemas compiled ahead of time', () => {
  it('are generated from the installed ajv and schemas (run `npm run generate:validators` after upgrading them)', async () => {
    // @ts-expect-error: a build script in plain JavaScript
    const { generate } = (await import('../../scripts/precompile-openapi-validators.mjs')) as { generate: () => string }
    const committed = readFileSync(path.join(root, 'src/spec/openapi-validators.generated.ts'), 'utf8')
    expect(committed === generate()).toBe(true)
  })

  it.each([
    'petstore-2.0.yaml',
    'features-2.0.yaml',
    'httpbin-0.10.4-2.0.json',
    'invalid-3.0.yaml',
    'features-3.0.yaml',
    'circular-3.0.yaml',
    'apis-guru-xero_accounting-3.0.json',
    'features-3.1.yaml',
    'petstore-3.1.json',
  ])('report exactly the errors swagger-parser reports for %s', async (name) => {
    const file = path.join(specs, name)
    const expected = await swaggerParserSchemaErrors(file)
    if (name.startsWith('invalid')) expect(expected.length).toBeGreaterThan(0)
    expect(await precompiledErrors(file)).toEqual(expected)
  })

  it('report an invalid 3.1 document as swagger-parser does', async () => {
    const doc = yaml.load(readFileSync(path.join(specs, 'features-3.1.yaml'), 'utf8')) as Record<string, unknown>
    const broken = { ...doc, paths: { '/x': { get: { responses: { '200': { description: 5, content: 'nope' } } } } } }
    const file = path.join(specs, 'features-3.1.yaml')
    let expected: unknown[] = []
    try {
      await new SwaggerParser().validate(file, structuredClone(broken) as never, {
        resolve: { external: false },
        dereference: { circular: 'ignore' },
        validate: { schema: true, spec: false },
      })
    } catch (err) {
      expected = (err as { details?: unknown[] }).details ?? [String(err)]
    }
    expect(expected.length).toBeGreaterThan(0)
    const api = (await new SwaggerParser().dereference(file, structuredClone(broken) as never, { resolve: { external: false } })) as Record<string, unknown>
    expect(validateOpenApi31(api)).toBe(false)
    expect(validateOpenApi31.errors).toEqual(expected)
  })
})
