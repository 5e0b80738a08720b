import { explicitExample, hasExplicitValue, hasSpecValue, sampleFromPattern, sampleFromSchema, type SampleOptions } from '../../src/spec/sample.js'

/** A resolver over a components map, as the spec loader builds one over the whole document. */
function resolverOf(schemas: Record<string, unknown>): (ref: string) => unknown {
  return (ref) => (ref.startsWith('#/components/schemas/') ? schemas[ref.slice('#/components/schemas/'.length)] : undefined)
}
const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` })

describe('which value a schema gives', () => {
  const cases: { what: string; schema: unknown; expected: unknown; opts?: SampleOptions }[] = [
    { what: 'example first', schema: { type: 'string', example: 'ex', examples: ['exs'], default: 'def', enum: ['a', 'ex'] }, expected: 'ex' },
    {
      what: 'an example that breaks its own schema gives way',
      schema: { type: 'string', format: 'duration', example: 'TBD', default: 'P1D' },
      expected: 'P1D',
    },
    { what: 'so does a default outside the enum', schema: { type: 'string', default: 'x', enum: ['a', 'b'] }, expected: 'a' },
    { what: 'and an example of the wrong type', schema: { type: 'integer', example: 'twelve', minimum: 2 }, expected: 2 },
    { what: 'the first examples entry that fits', schema: { type: 'string', pattern: '^[a-z]+$', examples: ['NO', 'yes'] }, expected: 'yes' },
    { what: 'then examples[0]', schema: { type: 'string', examples: ['exs', 'other'], default: 'def' }, expected: 'exs' },
    { what: 'then default', schema: { type: 'integer', default: 7, enum: [1, 7] }, expected: 7 },
    { what: 'then the first non-null enum value', schema: { type: 'string', nullable: true, enum: [null, 'b', 'c'] }, expected: 'b' },
    { what: 'then const', schema: { const: 'fixed' }, expected: 'fixed' },
    { what: 'a null example counts as none', schema: { type: 'integer', example: null, minimum: 3 }, expected: 3 },
    { what: 'examples are copies', schema: { type: 'object', example: { a: [1] } }, expected: { a: [1] } },
    { what: 'boolean', schema: { type: 'boolean' }, expected: true },
    { what: 'null type', schema: { type: 'null' }, expected: null },
    { what: 'a type list takes its first non-null type', schema: { type: ['null', 'integer'] }, expected: 1 },
    { what: 'nullable 3.0 strings are still strings', schema: { type: 'string', nullable: true }, expected: 'string' },
    { what: 'the true schema', schema: true, expected: {} },
    { what: 'the false schema', schema: false, expected: undefined },
    { what: 'an empty schema', schema: {}, expected: {} },
    { what: 'a type inferred from properties', schema: { properties: { a: { type: 'integer' } }, required: ['a'] }, expected: { a: 1 } },
    { what: 'a type inferred from items', schema: { items: { type: 'boolean' } }, expected: [true] },
    { what: 'a $ref without a resolver', schema: ref('X'), expected: undefined },
  ]
  it.each(cases)('$what', ({ schema, expected, opts }) => {
    expect(sampleFromSchema(schema, opts)).toEqual(expected)
  })
})

describe('string formats', () => {
  it.each([
    ['date-time', '2024-01-01T00:00:00Z'],
    ['date', '2024-01-01'],
    ['uuid', '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
    ['email', 'user@example.com'],
    ['uri', 'https://example.com'],
    ['hostname', 'example.com'],
    ['ipv4', '192.0.2.1'],
    ['ipv6', '2001:db8::1'],
    ['byte', 'c3RyaW5n'],
    ['binary', 'string'],
    ['something-custom', 'string'],
  ])('%s → %s', (format, expected) => {
    expect(sampleFromSchema({ type: 'string', format })).toBe(expected)
  })

  it('gives valid base64 for byte', () => {
    expect(Buffer.from(sampleFromSchema({ type: 'string', format: 'byte' }) as string, 'base64').toString()).toBe('string')
  })
})

describe('numbers within their bounds', () => {
  const cases: { schema: Record<string, unknown>; expected: number }[] = [
    { schema: { type: 'integer' }, expected: 1 },
    { schema: { type: 'integer', minimum: 5, maximum: 10 }, expected: 5 },
    { schema: { type: 'integer', maximum: -3 }, expected: -3 },
    { schema: { type: 'integer', minimum: 1, exclusiveMinimum: true }, expected: 2 },
    { schema: { type: 'integer', exclusiveMinimum: 1 }, expected: 2 },
    { schema: { type: 'integer', maximum: 1, exclusiveMaximum: true }, expected: 0 },
    { schema: { type: 'integer', exclusiveMaximum: 0 }, expected: -1 },
    { schema: { type: 'integer', minimum: 7, multipleOf: 5 }, expected: 10 },
    { schema: { type: 'integer', minimum: 0, maximum: 4, multipleOf: 3 }, expected: 3 },
    { schema: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, expected: 0.5 },
    { schema: { type: 'number', minimum: 0.2, maximum: 0.9, multipleOf: 0.1 }, expected: 0.9 },
    { schema: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 0.9, multipleOf: 0.25 }, expected: 0.75 },
    { schema: { type: 'number', minimum: 2.5 }, expected: 2.5 },
  ]
  it.each(cases)('$schema → $expected', ({ schema, expected }) => {
    expect(sampleFromSchema(schema)).toBe(expected)
  })
})

describe('strings: lengths and patterns', () => {
  const cases: { schema: Record<string, unknown>; expected: string }[] = [
    { schema: { type: 'string' }, expected: 'string' },
    { schema: { type: 'string', minLength: 10 }, expected: 'stringstri' },
    { schema: { type: 'string', maxLength: 3 }, expected: 'str' },
    { schema: { type: 'string', minLength: 2, maxLength: 8 }, expected: 'string' },
    { schema: { type: 'string', pattern: '^[a-z]+$' }, expected: 'a' },
    { schema: { type: 'string', pattern: '^[a-z]+$', minLength: 4 }, expected: 'aaaa' },
    { schema: { type: 'string', pattern: '^\\d{3}$' }, expected: '111' },
    { schema: { type: 'string', pattern: '^[A-Z]{2}-\\d{4}$' }, expected: 'AA-1111' },
    { schema: { type: 'string', pattern: '^(cat|dog)s?$' }, expected: 'cat' },
    { schema: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$' }, expected: 'a@a.aa' },
    { schema: { type: 'string', pattern: '^v\\d+\\.\\d+(\\.\\d+)?$' }, expected: 'v1.1' },
    { schema: { type: 'string', pattern: 'abc' }, expected: 'abc' },
    { schema: { type: 'string', pattern: '^(?<year>\\d{4})-(?:0[1-9]|1[0-2])$' }, expected: '1111-01' },
  ]
  it.each(cases)('$schema → $expected', ({ schema, expected }) => {
    const value = sampleFromSchema(schema) as string
    expect(value).toBe(expected)
    if (typeof schema.pattern === 'string') expect(value).toMatch(new RegExp(schema.pattern))
  })

  it('falls back to a string of the right length when the pattern is beyond the generator', () => {
    expect(sampleFromPattern('^(?=.*[A-Z]).{8,}$')).toBeUndefined()
    expect(sampleFromPattern('^(a)\\1$')).toBeUndefined()
    expect(sampleFromPattern('[')).toBeUndefined()
    expect(sampleFromSchema({ type: 'string', pattern: '^(?=.*[A-Z]).{8,}$', minLength: 8 })).toBe('stringst')
  })
})

describe('arrays', () => {
  it('have one item by default, minItems when larger, none when maxItems is 0', () => {
    expect(sampleFromSchema({ type: 'array', items: { type: 'integer' } })).toEqual([1])
    expect(sampleFromSchema({ type: 'array', items: { type: 'integer' }, minItems: 3 })).toEqual([1, 1, 1])
    expect(sampleFromSchema({ type: 'array', items: { type: 'integer' }, minItems: 0 })).toEqual([1])
    expect(sampleFromSchema({ type: 'array', items: { type: 'integer' }, maxItems: 0 })).toEqual([])
  })

  it('make items distinct when uniqueItems asks for it', () => {
    expect(sampleFromSchema({ type: 'array', items: { enum: ['x', 'y', 'z'] }, minItems: 2, uniqueItems: true })).toEqual(['x', 'y'])
    expect(sampleFromSchema({ type: 'array', items: { type: 'integer' }, minItems: 3, uniqueItems: true })).toEqual([1, 2, 3])
    expect(sampleFromSchema({ type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true })).toEqual(['string', 'string1'])
  })

  it('fill tuples (prefixItems) position by position', () => {
    expect(sampleFromSchema({ type: 'array', prefixItems: [{ type: 'string', format: 'date' }, { type: 'number' }] })).toEqual(['2024-01-01', 1])
  })
})

describe('objects', () => {
  const item = {
    type: 'object',
    required: ['id', 'name', 'secret'],
    properties: {
      id: { type: 'integer', readOnly: true },
      name: { type: 'string' },
      secret: { type: 'string', writeOnly: true },
      color: { type: 'string', example: 'red' },
      size: { type: 'integer' },
    },
  }

  it('hold the required properties and the optional ones with an example, in schema order', () => {
    expect(sampleFromSchema(item)).toEqual({ id: 1, name: 'string', secret: 'string', color: 'red' })
    expect(Object.keys(sampleFromSchema(item) as object)).toEqual(['id', 'name', 'secret', 'color'])
  })

  it('leave readOnly properties out of requests and writeOnly ones out of responses', () => {
    expect(sampleFromSchema(item, { direction: 'request' })).toEqual({ name: 'string', secret: 'string', color: 'red' })
    expect(sampleFromSchema(item, { direction: 'response' })).toEqual({ id: 1, name: 'string', color: 'red' })
  })

  it('hold every property when asked to', () => {
    expect(sampleFromSchema(item, { allProperties: true, direction: 'request' })).toEqual({ name: 'string', secret: 'string', color: 'red', size: 1 })
  })

  it('honour minProperties with additionalProperties', () => {
    expect(sampleFromSchema({ type: 'object', additionalProperties: { type: 'integer' }, minProperties: 2 })).toEqual({
      additionalProp1: 1,
      additionalProp2: 1,
    })
    expect(sampleFromSchema({ type: 'object', additionalProperties: { type: 'integer' } })).toEqual({})
  })
})

describe('composition', () => {
  const schemas = {
    Base: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } }, example: { id: '00000000-0000-4000-8000-000000000001' } },
    Named: { type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'Rex' } } },
    Cat: { type: 'object', required: ['kind', 'lives'], properties: { kind: { type: 'string' }, lives: { type: 'integer', default: 9 } } },
    Dog: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } }, additionalProperties: false },
    Loose: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, bark: { type: 'boolean' } } },
    Pet: {
      type: 'object',
      required: ['petType'],
      properties: { petType: { type: 'string' } },
      discriminator: { propertyName: 'petType', mapping: { tabby: '#/components/schemas/Tabby' } },
    },
    Tabby: { allOf: [ref('Pet'), { type: 'object', properties: { stripes: { type: 'integer' } } }] },
    Beagle: { allOf: [ref('Pet'), { type: 'object', required: ['ears'], properties: { ears: { type: 'string' } } }] },
    Strict: { type: 'object', required: ['a'], properties: { a: { type: 'string' }, b: { type: 'string' } }, additionalProperties: false },
    Wide: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
    Chain: { type: 'object', required: ['next'], properties: { next: ref('Chain') } },
  }
  const resolveRef = resolverOf(schemas)

  it('allOf merges every branch (a branch example describes only that branch)', () => {
    expect(
      sampleFromSchema({ allOf: [ref('Base'), ref('Named'), { properties: { extra: { type: 'boolean' } }, required: ['extra'] }] }, { resolveRef }),
    ).toEqual({
      id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      name: 'Rex',
      extra: true,
    })
  })

  it('allOf with a single $ref is that schema, example included', () => {
    expect(sampleFromSchema({ allOf: [ref('Base')], description: 'wrapper' }, { resolveRef })).toEqual({ id: '00000000-0000-4000-8000-000000000001' })
  })

  it('oneOf and anyOf take the first branch that is not just null', () => {
    expect(sampleFromSchema({ oneOf: [{ type: 'null' }, ref('Named')] }, { resolveRef })).toEqual({ name: 'Rex' })
    expect(sampleFromSchema({ anyOf: [{ type: 'integer', minimum: 4 }, { type: 'string' }] })).toBe(4)
  })

  it('oneOf sets the discriminator property from the mapping, else from the schema name', () => {
    const discriminated = { oneOf: [ref('Cat'), ref('Dog')], discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat' } } }
    expect(sampleFromSchema(discriminated, { resolveRef })).toEqual({ kind: 'cat', lives: 9 })
    expect(sampleFromSchema({ oneOf: [ref('Dog')], discriminator: { propertyName: 'kind' } }, { resolveRef })).toEqual({ kind: 'Dog' })
  })

  it('oneOf takes the first branch whose sample matches that branch alone', () => {
    // Cat's {kind, lives} also fits Loose; Loose's {kind} also fits Dog; Loose with all its
    // properties, {kind, bark}, fits Loose alone (Dog allows no other property, Cat needs lives).
    expect(sampleFromSchema({ oneOf: [ref('Cat'), ref('Loose'), ref('Dog')] }, { resolveRef })).toEqual({ kind: 'string', bark: true })
    expect(sampleFromSchema({ oneOf: [ref('Cat'), ref('Dog')] }, { resolveRef })).toEqual({ kind: 'string', lives: 9 })
    // A recursive branch whose sample was cut short does not fit; the next one does.
    expect(sampleFromSchema({ oneOf: [ref('Chain'), { type: 'integer' }] }, { resolveRef })).toBe(1)
  })

  it('a oneOf whose samples all match several branches falls back to its first branch, told apart where JSON Schema allows', () => {
    // Every value Strict allows, Wide allows too; a Wide with a b that is no string is no Strict.
    expect(sampleFromSchema({ oneOf: [ref('Wide'), ref('Strict')] }, { resolveRef })).toEqual({ a: 'string', b: 0 })
    // Strict first: nothing it allows fails Wide.
    expect(sampleFromSchema({ oneOf: [ref('Strict'), ref('Wide')] }, { resolveRef })).toEqual({ a: 'string' })
  })

  it('a discriminator inherited through allOf names the schema: from the mapping, else the schema name', () => {
    expect(sampleFromSchema(ref('Tabby'), { resolveRef })).toEqual({ petType: 'tabby' })
    expect(sampleFromSchema(ref('Beagle'), { resolveRef })).toEqual({ petType: 'Beagle', ears: 'string' })
    // In a oneOf, Beagle's sample also fits Tabby; Tabby's, named by the oneOf's own discriminator, fits Tabby alone.
    expect(sampleFromSchema({ oneOf: [ref('Beagle'), ref('Tabby')], discriminator: { propertyName: 'petType' } }, { resolveRef })).toEqual({ petType: 'Tabby' })
  })

  it('a required name with no property schema still gets a value', () => {
    expect(sampleFromSchema({ type: 'object', required: ['free', 'counted'], properties: { counted: { type: 'integer' } } })).toEqual({
      counted: 1,
      free: 'string',
    })
    expect(sampleFromSchema({ type: 'object', required: ['n'], additionalProperties: { type: 'integer', minimum: 5 } })).toEqual({ n: 5 })
  })

  it('keywords beside oneOf apply to the chosen branch', () => {
    expect(
      sampleFromSchema({ type: 'object', required: ['at'], properties: { at: { type: 'string', format: 'date' } }, oneOf: [ref('Named')] }, { resolveRef }),
    ).toEqual({ at: '2024-01-01', name: 'Rex' })
  })

  it('keywords beside a $ref refine the target', () => {
    expect(sampleFromSchema({ ...ref('Named'), example: { name: 'Beside' } }, { resolveRef })).toEqual({ name: 'Beside' })
  })
})

describe('oneOf branches only a property the chosen one leaves open tells apart', () => {
  // The shapes of @readme/oas-examples 3.0 discriminators.json and polymorphism.json.
  const schemas = {
    Pet: { type: 'object', required: ['pet_type'], properties: { pet_type: { type: 'string' } }, discriminator: { propertyName: 'pet_type' } },
    Cat: { allOf: [ref('Pet'), { type: 'object', properties: { hunts: { type: 'boolean' }, age: { type: 'integer' } } }] },
    Dog: {
      allOf: [
        ref('Pet'),
        { type: 'object', properties: { bark: { type: 'boolean' }, breed: { type: 'string', enum: ['Dingo', 'Husky', 'Retriever', 'Shepherd'] } } },
      ],
    },
    // Sampled for a request, a Counter never shows its read-only count, so every sample of either fits both.
    Tally: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, label: { type: 'string' } } },
    ClosedTally: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, label: { type: 'string' } }, additionalProperties: false },
    Counter: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, count: { type: 'integer', readOnly: true } } },
    BreedOnly: { type: 'object', required: ['pet_type'], properties: { pet_type: { type: 'string' }, breed: { type: 'string', enum: ['Dingo', 'Husky'] } } },
    OptionOneNoDisc: { type: 'object', required: ['discrim'], properties: { discrim: { type: 'string' }, optionone: { type: 'number' } } },
    OptionTwoNoDisc: { type: 'object', required: ['discrim'], properties: { discrim: { type: 'string' }, optiontwo: { type: 'string' } } },
    object1: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } },
    object2: { type: 'object', properties: { c: { type: 'string' }, d: { type: 'string' } } },
    Twin: { type: 'object', properties: { a: { type: 'string' } } },
    Anything: { type: 'object', properties: { a: { type: 'string' }, free: {} } },
  }
  const resolveRef = resolverOf(schemas)
  const cases: { what: string; schema: unknown; expected: unknown; opts?: SampleOptions }[] = [
    {
      what: 'a Cat gets the first property Dog declares and Cat does not, with a type Dog refuses',
      schema: { oneOf: [ref('Cat'), ref('Dog')], discriminator: { propertyName: 'pet_type' } },
      expected: { pet_type: 'Cat', bark: 'no' },
    },
    { what: 'an enum gets a string outside it', schema: { oneOf: [ref('Cat'), ref('BreedOnly')] }, expected: { pet_type: 'Cat', breed: 'no' } },
    {
      what: 'a string property gets a number',
      schema: { oneOf: [ref('OptionOneNoDisc'), ref('OptionTwoNoDisc')] },
      expected: { discrim: 'string', optiontwo: 0 },
    },
    { what: 'objects with no required property', schema: { oneOf: [ref('object1'), ref('object2')] }, expected: { c: 0 } },
    {
      what: "not with the other branch's read-only property in a request",
      schema: { oneOf: [ref('Tally'), ref('Counter')] },
      opts: { direction: 'request' },
      expected: { id: 'string' },
    },
    {
      what: "the other branch's read-only property in a response",
      schema: { oneOf: [ref('Tally'), ref('Counter')] },
      opts: { direction: 'response' },
      expected: { id: 'string', count: 'no' },
    },
    {
      what: 'not when the chosen branch forbids other properties (additionalProperties: false)',
      schema: { oneOf: [ref('ClosedTally'), ref('Counter')] },
      opts: { direction: 'request' },
      expected: { id: 'string' },
    },
    {
      what: 'not for identical branches: no value tells them apart',
      schema: { oneOf: [ref('Twin'), { type: 'object', properties: { a: { type: 'string' } } }] },
      expected: {},
    },
    {
      what: 'not with a property whose schema allows every type',
      schema: { oneOf: [ref('Twin'), { type: 'object', properties: { free: {} } }] },
      expected: {},
    },
    {
      what: 'not for values that travel as text (parameters, form bodies): 0 reads back as "0"',
      schema: { oneOf: [ref('OptionOneNoDisc'), ref('OptionTwoNoDisc')] },
      opts: { coerce: true },
      expected: { discrim: 'string' },
    },
  ]
  it.each(cases)('$what', ({ schema, expected, opts }) => {
    expect(sampleFromSchema(schema, { resolveRef, ...opts })).toEqual(expected)
  })

  it('is deterministic: the same schema gives the same bytes', () => {
    const schema = { oneOf: [ref('Cat'), ref('Dog')], discriminator: { propertyName: 'pet_type' } }
    expect(JSON.stringify(sampleFromSchema(schema, { resolveRef }))).toBe(JSON.stringify(sampleFromSchema(structuredClone(schema), { resolveRef })))
  })
})

describe('recursion', () => {
  const schemas = {
    Tree: {
      type: 'object',
      required: ['label', 'children', 'parent'],
      properties: { label: { type: 'string' }, children: { type: 'array', items: ref('Tree') }, parent: ref('Tree') },
    },
    A: { type: 'object', required: ['b'], properties: { b: ref('B') } },
    B: { type: 'object', required: ['a', 'n'], properties: { a: ref('A'), n: { type: 'integer' } } },
    Loop: ref('Loop'),
    Twice: { type: 'object', required: ['left', 'right'], properties: { left: ref('B'), right: ref('B') } },
  }
  const resolveRef = resolverOf(schemas)

  it('stops where a schema refers back to one being expanded', () => {
    expect(sampleFromSchema(ref('Tree'), { resolveRef })).toEqual({ label: 'string', children: [] })
    expect(sampleFromSchema(ref('A'), { resolveRef })).toEqual({ b: { n: 1 } })
    expect(sampleFromSchema(ref('Loop'), { resolveRef })).toBeUndefined()
  })

  it('still expands a schema used twice side by side', () => {
    expect(sampleFromSchema(ref('Twice'), { resolveRef })).toEqual({ left: { a: {}, n: 1 }, right: { a: {}, n: 1 } })
  })

  it('handles cycles made of object references (a dereferenced document) and deep nesting', () => {
    const node: Record<string, unknown> = { type: 'object', required: ['self', 'v'], properties: { v: { type: 'integer' } } }
    ;(node.properties as Record<string, unknown>).self = node
    expect(sampleFromSchema(node)).toEqual({ v: 1 })

    let deep: Record<string, unknown> = { type: 'integer' }
    for (let i = 0; i < 50; i++) deep = { type: 'object', required: ['x'], properties: { x: deep } }
    const value = sampleFromSchema(deep, { maxDepth: 5 })
    expect(JSON.stringify(value)).toBe('{"x":{"x":{"x":{"x":{"x":{}}}}}}')
  })
})

describe('explicit examples of parameters and media types', () => {
  const resolveRef = (r: string): unknown => (r === '#/components/examples/Book' ? { summary: 'a book', value: { title: 'Dune' } } : undefined)

  it('reads example, then the first usable entry of examples ($refs followed, externalValue skipped)', () => {
    expect(explicitExample({ example: 3, examples: { a: { value: 4 } } })).toEqual({ value: 3 })
    expect(explicitExample({ examples: { remote: { externalValue: 'https://x/e.json' }, local: { value: 4 } } })).toEqual({ value: 4 })
    expect(explicitExample({ examples: { book: { $ref: '#/components/examples/Book' } } }, { resolveRef })).toEqual({ value: { title: 'Dune' } })
    expect(
      explicitExample({ example: { $ref: '#/components/examples/Book/value' } }, { resolveRef: (r) => (r.endsWith('/value') ? { title: 'X' } : undefined) }),
    ).toEqual({
      value: { title: 'X' },
    })
    expect(explicitExample({ schema: { type: 'string' } })).toBeUndefined()
    expect(explicitExample({ example: false })).toEqual({ value: false })
  })

  it('tells whether a schema carries its own value', () => {
    expect(hasExplicitValue({ type: 'integer', default: 0 })).toBe(true)
    expect(hasExplicitValue({ type: 'string', examples: ['a'] })).toBe(true)
    expect(hasExplicitValue({ type: 'string', enum: ['a'] })).toBe(false)
    expect(hasExplicitValue(ref('X'), { resolveRef: () => ({ example: 1 }) })).toBe(true)
  })
})

describe('determinism', () => {
  it('gives equal values for equal schemas, every time', () => {
    const schema = {
      type: 'object',
      required: ['a', 'b'],
      properties: { a: { type: 'string', format: 'date-time' }, b: { type: 'array', items: { type: 'number', minimum: 0.5 } } },
    }
    const first = JSON.stringify(sampleFromSchema(schema))
    for (let i = 0; i < 5; i++) expect(JSON.stringify(sampleFromSchema(structuredClone(schema)))).toBe(first)
  })
})

describe('format-aware synthesis for values the spec does not give', () => {
  it.each([
    { schema: { type: 'string', format: 'uuid' }, name: undefined, value: '3fa85f64-5717-4562-b3fc-2c963f66afa6' },
    { schema: { type: 'string', format: 'date-time' }, name: undefined, value: '2024-01-01T00:00:00Z' },
    { schema: { type: 'string', format: 'date' }, name: undefined, value: '2024-01-01' },
    { schema: { type: 'string', format: 'ulid' }, name: undefined, value: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    { schema: { type: 'integer', format: 'int64' }, name: 'order_id', value: 1 },
    { schema: { type: 'string' }, name: 'user_uuid', value: '3fa85f64-5717-4562-b3fc-2c963f66afa6' },
    { schema: { type: 'string' }, name: 'contactEmail', value: 'user@example.com' },
    { schema: { type: 'string' }, name: 'callback_url', value: 'https://example.com' },
    { schema: { type: 'string' }, name: 'created_at', value: '2024-01-01T00:00:00Z' },
    { schema: { type: 'string' }, name: 'startDate', value: '2024-01-01' },
    // The name is only a hint: a pattern, an enum or a length the format does not fit wins.
    { schema: { type: 'string', pattern: '^[a-z]+$' }, name: 'user_uuid', value: 'a' },
    { schema: { type: 'string', maxLength: 8 }, name: 'user_uuid', value: 'string' },
    { schema: { type: 'string' }, name: 'bucket_id', value: 'string' },
    { schema: { type: 'string' }, name: 'format', value: 'string' },
  ])('$schema named $name → $value', ({ schema, name, value }) => {
    expect(sampleFromSchema(schema, { nameHint: name })).toEqual(value)
  })

  it('hints only the value itself, not the properties inside it', () => {
    expect(sampleFromSchema({ type: 'object', required: ['x'], properties: { x: { type: 'string' } } }, { nameHint: 'email' })).toEqual({ x: 'string' })
  })

  it('tells values the spec gives (example, default, enum, const, through allOf) from those it leaves to synthesis', () => {
    expect([{ example: 'a' }, { default: 1 }, { enum: ['x'] }, { const: 2 }, { allOf: [{ enum: [1] }] }].map((s) => hasSpecValue(s))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ])
    expect([{ type: 'string' }, { type: 'integer', minimum: 5 }, { type: 'string', format: 'uuid' }].map((s) => hasSpecValue(s))).toEqual([false, false, false])
  })
})
