import { conforms, countMatches } from '../../src/spec/conforms.js'

const schemas: Record<string, unknown> = {
  Node: { type: 'object', required: ['next'], properties: { next: { $ref: '#/components/schemas/Node' } } },
  Id: { type: 'integer', minimum: 1 },
}
const resolveRef = (ref: string): unknown => schemas[ref.replace('#/components/schemas/', '')]

describe('conforms', () => {
  const cases: Array<{ what: string; value: unknown; schema: unknown; expected: boolean; coerce?: boolean }> = [
    { what: 'type', value: 'a', schema: { type: 'integer' }, expected: false },
    { what: 'integer is a number', value: 2, schema: { type: 'number' }, expected: true },
    { what: 'a type list with null', value: null, schema: { type: ['string', 'null'] }, expected: true },
    { what: '3.0 nullable', value: null, schema: { type: 'string', nullable: true }, expected: true },
    { what: 'null without nullable', value: null, schema: { type: 'string' }, expected: false },
    { what: 'enum', value: 'c', schema: { enum: ['a', 'b'] }, expected: false },
    { what: 'const', value: 3, schema: { const: 3 }, expected: true },
    { what: 'required', value: {}, schema: { type: 'object', required: ['a'] }, expected: false },
    { what: 'additionalProperties false', value: { b: 1 }, schema: { type: 'object', properties: { a: {} }, additionalProperties: false }, expected: false },
    {
      what: 'patternProperties take a key',
      value: { x_1: 1 },
      schema: { patternProperties: { '^x_': { type: 'integer' } }, additionalProperties: false },
      expected: true,
    },
    { what: 'min/maxLength count characters', value: 'héé', schema: { type: 'string', minLength: 3, maxLength: 3 }, expected: true },
    { what: 'pattern', value: 'abc', schema: { type: 'string', pattern: '^[0-9]+$' }, expected: false },
    { what: 'format date-time', value: '2024-01-01T00:00:00Z', schema: { type: 'string', format: 'date-time' }, expected: true },
    { what: 'format date-time without offset', value: '2024-01-01T00:00:00', schema: { format: 'date-time' }, expected: false },
    { what: 'format uuid', value: '4f4e4e1-c824-4d63-b37a-d8d698862f1d', schema: { format: 'uuid' }, expected: false },
    { what: 'format duration', value: 'TBD', schema: { format: 'duration' }, expected: false },
    { what: 'unknown formats pass', value: 'x', schema: { format: 'my-format' }, expected: true },
    { what: 'exclusive bounds, both drafts', value: 0, schema: { minimum: 0, exclusiveMinimum: true }, expected: false },
    { what: 'numeric exclusiveMaximum', value: 5, schema: { exclusiveMaximum: 5 }, expected: false },
    { what: 'multipleOf with decimals', value: 0.75, schema: { multipleOf: 0.25 }, expected: true },
    { what: 'items and uniqueItems', value: [1, 1], schema: { items: { type: 'integer' }, uniqueItems: true }, expected: false },
    { what: 'prefixItems', value: [1, 'a'], schema: { prefixItems: [{ type: 'integer' }, { type: 'integer' }] }, expected: false },
    { what: 'allOf', value: 'a', schema: { allOf: [{ type: 'string' }, { type: 'integer' }] }, expected: false },
    { what: 'anyOf', value: 'a', schema: { anyOf: [{ type: 'integer' }, { type: 'string' }] }, expected: true },
    { what: 'oneOf matching two', value: { a: 1 }, schema: { oneOf: [{ type: 'object' }, { required: ['a'] }] }, expected: false },
    { what: 'not', value: 'a', schema: { not: { type: 'string' } }, expected: false },
    { what: '$refs followed', value: 0, schema: { $ref: '#/components/schemas/Id' }, expected: false },
    { what: 'a recursive required property cannot be met', value: { next: { next: {} } }, schema: { $ref: '#/components/schemas/Node' }, expected: false },
    { what: 'text read as an integer (coerce)', value: '10', schema: { type: 'integer', maximum: 20 }, expected: true, coerce: true },
    { what: 'text read as a boolean (coerce)', value: 'true', schema: { type: 'boolean' }, expected: true, coerce: true },
    { what: 'a number is text too (coerce)', value: 7, schema: { type: 'string', pattern: '^[0-9]$' }, expected: true, coerce: true },
    { what: 'no coercion without coerce', value: '10', schema: { type: 'integer' }, expected: false },
  ]
  it.each(cases)('$what', ({ value, schema, expected, coerce }) => {
    expect(conforms(value, schema, { resolveRef, coerce })).toBe(expected)
  })

  it('lets readOnly properties be absent from a request even when required', () => {
    const schema = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string' } } }
    expect(conforms({ name: 'a' }, schema, { direction: 'request' })).toBe(true)
    expect(conforms({ name: 'a' }, schema)).toBe(false)
  })

  it('counts matching branches as the API reads the value', () => {
    const branches = [{ type: 'integer' }, { type: 'string' }]
    expect(countMatches(1, branches, {})).toBe(1)
    expect(countMatches(1, branches, { coerce: true })).toBe(2) // "1" on the wire is both
    expect(countMatches('main.yml', branches, { coerce: true })).toBe(1)
  })
})
