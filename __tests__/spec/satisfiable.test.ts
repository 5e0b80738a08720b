import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadSpec } from '../../src/spec/load.js'
import type { ApiSpec, Endpoint } from '../../src/spec/model.js'
import {
  admitsNoValue,
  bodyWarnings,
  oneOfAmbiguities,
  oneOfDisambiguations,
  unsatisfiableBodyReason,
  unsatisfiableParameterReason,
} from '../../src/spec/satisfiable.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'specs')

const schemas: Record<string, unknown> = {
  TreeNode: { type: 'object', required: ['id', 'parent'], properties: { id: { type: 'string' }, parent: { $ref: '#/components/schemas/TreeNode' } } },
  Person: { type: 'object', required: ['employer'], properties: { employer: { $ref: '#/components/schemas/Company' } } },
  Company: { type: 'object', required: ['ceo'], properties: { ceo: { $ref: '#/components/schemas/Person' } } },
  LinkedItem: { type: 'object', nullable: true, required: ['next'], properties: { next: { $ref: '#/components/schemas/LinkedItem' } } },
  Folder: { type: 'object', required: ['parent'], properties: { parent: { allOf: [{ $ref: '#/components/schemas/Folder' }], readOnly: true } } },
  Comment: {
    type: 'object',
    required: ['text'],
    properties: { text: { type: 'string' }, replies: { type: 'array', items: { $ref: '#/components/schemas/Comment' } } },
  },
  Nest: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Nest' } },
  Event: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } } },
  Approved: { title: 'Approved', allOf: [{ $ref: '#/components/schemas/Event' }] },
  Denied: { title: 'Denied', description: 'the same as Approved', allOf: [{ $ref: '#/components/schemas/Event' }] },
  Loop: { allOf: [{ $ref: '#/components/schemas/Pool' }] },
  Pool: { allOf: [{ $ref: '#/components/schemas/Loop' }] },
  Pet: { type: 'object', required: ['pet_type'], properties: { pet_type: { type: 'string' } }, discriminator: { propertyName: 'pet_type' } },
  Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { hunts: { type: 'boolean' } } }] },
  Dog: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { bark: { type: 'boolean' } } }] },
  object1: { type: 'object', properties: { a: { type: 'string' } } },
  object2: { type: 'object', properties: { c: { type: 'string' } } },
}
const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` })
const resolveRef = (r: string): unknown => schemas[r.replace('#/components/schemas/', '')]

describe('admitsNoValue: a proof that no value satisfies a schema, in one line', () => {
  const cases: Array<{ what: string; schema: unknown; expected: string | undefined; coerce?: boolean }> = [
    {
      what: 'allOf of two types with no value in common',
      schema: { allOf: [{ type: 'string' }, { type: 'integer' }] },
      expected: 'allOf requires both string and integer',
    },
    {
      what: 'its type against an allOf branch',
      schema: { type: 'object', allOf: [{ type: 'string' }] },
      expected: 'its type and allOf require both object and string',
    },
    { what: 'a type whose enum values are all of another type', schema: { type: 'string', enum: [1, 2] }, expected: 'it must be both string and one of [1,2]' },
    {
      what: 'a required property that requires itself again',
      schema: ref('TreeNode'),
      expected: 'TreeNode requires parent, itself a TreeNode: no finite value exists',
    },
    {
      what: 'two schemas requiring each other',
      schema: ref('Person'),
      expected: 'Person requires employer, a Company, which admits no value: Company requires ceo, itself a Person: no finite value exists',
    },
    {
      what: 'an array of at least one item, each such an array again',
      schema: ref('Nest'),
      expected: 'Nest requires at least one item, itself a Nest: no finite value exists',
    },
    {
      what: 'a oneOf of identical branches (annotations aside), no discriminator',
      schema: { oneOf: [ref('Approved'), ref('Denied')] },
      expected: 'the oneOf branches Approved and Denied of the body are identical, so every value matches more than one',
    },
    {
      what: 'the schema false',
      schema: { type: 'object', required: ['a'], properties: { a: false } },
      expected: 'the body requires a, which admits no value: a is the schema false',
    },
    { what: 'not: {}', schema: { not: {} }, expected: 'the body has not: {}, which rules out every value' },
    {
      what: 'a required name additionalProperties: false forbids',
      schema: { type: 'object', required: ['id'], properties: { name: {} }, additionalProperties: false },
      expected: 'the body requires id, which its additionalProperties: false forbids',
    },
    {
      what: 'anyOf whose every branch is empty',
      schema: { anyOf: [{ allOf: [{ type: 'string' }, { type: 'boolean' }] }, false] },
      expected: 'no anyOf branch of the body admits a value (allOf requires both string and boolean)',
    },
    // Satisfiable, some only just: no proof, no answer.
    { what: 'integer within number', schema: { allOf: [{ type: 'number' }, { type: 'integer' }] }, expected: undefined },
    {
      what: 'null, where both branches are nullable',
      schema: {
        allOf: [
          { type: 'string', nullable: true },
          { type: 'integer', nullable: true },
        ],
      },
      expected: undefined,
    },
    { what: 'a self-reference that may be null', schema: ref('LinkedItem'), expected: undefined },
    { what: 'a readOnly self-reference, left out of requests', schema: ref('Folder'), expected: undefined },
    { what: 'a self-reference in an array that may be empty', schema: ref('Comment'), expected: undefined },
    {
      what: 'an optional property no value satisfies',
      schema: { type: 'object', properties: { never: { allOf: [{ type: 'string' }, { type: 'integer' }] } } },
      expected: undefined,
    },
    {
      what: 'no type at all: any JSON value',
      schema: { required: ['parent'], properties: { parent: { $ref: '#/components/schemas/TreeNode' } } },
      expected: undefined,
    },
    {
      what: 'identical oneOf branches a discriminator tells apart',
      schema: { oneOf: [ref('Approved'), ref('Denied')], discriminator: { propertyName: 'kind' } },
      expected: undefined,
    },
    { what: 'identical oneOf branches beside a different one', schema: { oneOf: [ref('Approved'), ref('Denied'), { type: 'string' }] }, expected: undefined },
    { what: 'allOf branches that only refer to each other', schema: ref('Loop'), expected: undefined },
    { what: 'a pattern the sampler cannot read', schema: { type: 'string', pattern: '^(?=.*[0-9])[A-Z0-9]{4}$' }, expected: undefined },
    { what: 'an empty enum (a broken document, not a proof)', schema: { type: 'string', enum: [] }, expected: undefined },
    { what: 'text fields: "1" is a string and an integer', schema: { allOf: [{ type: 'string' }, { type: 'integer' }] }, expected: undefined, coerce: true },
    {
      what: 'text fields: "a" is never an integer',
      schema: { type: 'integer', enum: ['a'] },
      expected: 'it must be both integer and one of ["a"]',
      coerce: true,
    },
    { what: 'text fields: 20160128 reads as a string', schema: { type: 'string', enum: [20160128] }, expected: undefined, coerce: true },
    {
      what: 'an array of an enum of strings',
      schema: { type: 'array', enum: ['live', 'promotions'], items: { type: 'string' } },
      expected: 'it must be both array and one of ["live","promotions"]',
      coerce: true,
    },
    {
      what: 'minItems above maxItems',
      schema: { type: 'array', minItems: 3, maxItems: 1 },
      expected: 'the body is an array with minItems 3 and maxItems 1: no length fits',
    },
  ]
  it.each(cases)('$what', ({ schema, expected, coerce }) => {
    expect(admitsNoValue(schema, { resolveRef, direction: 'request', coerce })).toBe(expected)
  })

  it('does not exempt a readOnly property outside requests', () => {
    expect(admitsNoValue(ref('Folder'), { resolveRef, direction: 'response' })).toBe('Folder requires parent, itself a Folder: no finite value exists')
  })
})

describe('oneOfAmbiguities: oneOfs the value sent matches in more than one branch', () => {
  const pets = { oneOf: [ref('Cat'), ref('Dog')] }
  it('names the branches and the discriminator that alone tells them apart', () => {
    expect(oneOfAmbiguities({ pet_type: 'Cat' }, pets, { resolveRef })).toEqual([
      'Cat and Dog both accept it, told apart only by the discriminator pet_type, which neither constrains',
    ])
  })

  it('says where, below the top of the body', () => {
    const schema = { type: 'object', properties: { pets: { type: 'array', items: pets } } }
    expect(oneOfAmbiguities({ pets: [{ pet_type: 'Dog' }] }, schema, { resolveRef })).toEqual([
      'at pets.0: Cat and Dog both accept it, told apart only by the discriminator pet_type, which neither constrains',
    ])
  })

  it('says so when no discriminator is there either', () => {
    expect(oneOfAmbiguities({}, { oneOf: [ref('object1'), ref('object2')] }, { resolveRef })).toEqual([
      'object1 and object2 both accept it, and no discriminator tells them apart',
    ])
  })

  it('finds nothing when the value matches one branch only', () => {
    expect(oneOfAmbiguities({ pet_type: 'Dog', hunts: 'never' }, pets, { resolveRef })).toEqual([])
    expect(oneOfAmbiguities(3, { oneOf: [{ type: 'string' }, { type: 'integer' }] }, { resolveRef })).toEqual([])
  })
})

describe('oneOfDisambiguations: properties that alone make the value match one oneOf branch', () => {
  const pets = { oneOf: [ref('Cat'), ref('Dog')] }
  it('names the property, the branch it leaves, and the discriminator to constrain', () => {
    expect(oneOfDisambiguations({ pet_type: 'Cat', bark: 'no' }, pets, { resolveRef })).toEqual([
      'its body carries "bark": "no" so that it matches only Cat, as JSON Schema\'s oneOf (exactly one branch) requires; ' +
        "an API that rejects unknown properties will refuse it — give each branch's pet_type an enum to tell them apart",
    ])
  })

  it('says where, below the top, and what to do without a discriminator', () => {
    const schema = { type: 'object', properties: { shape: { oneOf: [ref('object1'), ref('object2')] } } }
    expect(oneOfDisambiguations({ shape: { c: 0 } }, schema, { resolveRef })).toEqual([
      'its body carries "c": 0 at shape so that it matches only object1, as JSON Schema\'s oneOf (exactly one branch) requires; ' +
        'an API that rejects unknown properties will refuse it — give the branches a required property with a different enum in each to tell them apart',
    ])
  })

  it('finds nothing where the branch declares what tells it apart, or the value is ambiguous anyway', () => {
    expect(oneOfDisambiguations({ pet_type: 'Dog', bark: true }, pets, { resolveRef })).toEqual([])
    expect(oneOfDisambiguations({ pet_type: 'Cat' }, pets, { resolveRef })).toEqual([])
  })
})

describe('what the plan is told about bodies', () => {
  let unsatisfiable: ApiSpec
  let noConsumes: ApiSpec
  beforeAll(async () => {
    unsatisfiable = await loadSpec('unsatisfiable-bodies-3.0.yaml', { cwd: fixtures })
    noConsumes = await loadSpec('no-consumes-2.0.yaml', { cwd: fixtures })
  })
  const told = (e: Endpoint): { skip?: string; warnings: string[] } => {
    const skip = unsatisfiableBodyReason(e)
    return { ...(skip ? { skip } : {}), warnings: bodyWarnings(e) }
  }

  it('skips operations whose required body admits no value, and warns about the rest', () => {
    expect(Object.fromEntries(unsatisfiable.endpoints.map((e) => [e.key, told(e)]))).toEqual({
      'POST /codes': { warnings: [] },
      'POST /drafts': { warnings: ['POST /drafts: its optional request body admits no value (allOf requires both string and integer); sent without a body'] },
      'POST /events': {
        skip: 'its request body admits no value: the oneOf branches Approved and Denied of the body are identical, so every value matches more than one',
        warnings: [],
      },
      'POST /folders': { warnings: [] },
      'PATCH /pets': {
        warnings: [
          'PATCH /pets: its body carries "bark": "no" so that it matches only Cat, as JSON Schema\'s oneOf (exactly one branch) requires; ' +
            "an API that rejects unknown properties will refuse it — give each branch's pet_type an enum to tell them apart",
        ],
      },
      'PUT /quantities': { skip: 'its request body admits no value: allOf requires both string and integer', warnings: [] },
      'PUT /settings': { warnings: [] },
      'POST /tagged-events': {
        warnings: [
          "POST /tagged-events: a validator applying JSON Schema's oneOf (exactly one branch) will reject this body: Approved and Denied both accept it, told apart only by the discriminator kind",
        ],
      },
      'POST /trees': { skip: 'its request body admits no value: TreeNode requires parent, itself a TreeNode: no finite value exists', warnings: [] },
    })
  })

  it('leaves out an optional body no value satisfies, and sends the operation without it', () => {
    const drafts = unsatisfiable.endpoints.find((e) => e.key === 'POST /drafts')!
    expect(drafts.body).toBeUndefined()
    expect(drafts.bodyFindings).toEqual({ required: false, admitsNoValue: 'allOf requires both string and integer' })
  })

  it('warns where the spec declares no media type for a body (Swagger 2.0 without consumes)', () => {
    expect(Object.fromEntries(noConsumes.endpoints.map((e) => [e.key, told(e)]))).toEqual({
      'POST /labelled-orders': { warnings: [] },
      'POST /orders': {
        warnings: [
          'POST /orders: the spec declares no media type for its body (no consumes); sent as JSON without a Content-Type header — declare consumes to send one',
        ],
      },
      'PATCH /orders/{id}': {
        warnings: [
          'PATCH /orders/{id}: the spec declares no media type for its optional body (no consumes); sent without a body — declare consumes to send one',
        ],
      },
      'POST /receipts': {
        warnings: [
          'POST /receipts: the spec declares no media type for its formData parameters (no consumes); sent as application/x-www-form-urlencoded, which formData stands for — validators that require consumes (Prism) refuse it: declare consumes',
        ],
      },
    })
  })
})

describe('what the plan is told about parameters (unsatisfiable-parameters-3.0.yaml)', () => {
  let spec: ApiSpec
  beforeAll(async () => {
    spec = await loadSpec('unsatisfiable-parameters-3.0.yaml', { cwd: fixtures })
  })
  const op = (key: string): Endpoint => spec.endpoints.find((e) => e.key === key)!

  it('skips operations whose required parameter admits no value, saying why', () => {
    expect(unsatisfiableParameterReason(op('GET /tags'))).toBe(
      'its required query parameter tags admits no value: tags requires at least one item, and its items admit no value: it must be both integer and one of ["a"]',
    )
    expect(unsatisfiableParameterReason(op('GET /range'))).toBe(
      'its required query parameter ids admits no value: ids is an array with minItems 3 and maxItems 1: no length fits',
    )
    expect(unsatisfiableBodyReason(op('POST /batch'))).toBe(
      'its request body admits no value: the body is an array with minItems 2 and maxItems 1: no length fits',
    )
  })

  it('leaves out an optional parameter no value satisfies, and keeps one that text satisfies', () => {
    expect(op('GET /programmes').parameters.map((p) => p.name)).toEqual(['date'])
    expect(unsatisfiableParameterReason(op('GET /programmes'))).toBeUndefined()
  })
})
