/**
 * What a success response says about other operations' values: the list of resources it holds and
 * its OpenAPI 3 links, read from real spec fixtures as the loader reads them.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadSpec } from '../../src/spec/load.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const endpoint = async (spec: string, key: string) => (await loadSpec(spec, { cwd: root })).endpoints.find((e) => e.key === key)!

describe('response listings', () => {
  it('finds the array inside an envelope object (GET /orders: data[])', async () => {
    expect((await endpoint('examples/sample-api/orders.openapi.yaml', 'GET /orders')).listing).toEqual({
      property: 'data',
      itemFields: ['id', 'productId', 'quantity', 'total', 'currency', 'status', 'createdAt'],
    })
  })

  it('finds a body that is the array itself, through $refs (GET /products)', async () => {
    const listing = (await endpoint('examples/sample-api/openapi.yaml', 'GET /products')).listing
    expect(listing).toEqual({ itemFields: ['id', 'sku', 'name', 'category', 'price', 'currency', 'stock', 'rating', 'description'] })
  })

  it('finds none where the body is one object or an operation is no read', async () => {
    expect((await endpoint('examples/sample-api/openapi.yaml', 'GET /products/{id}')).listing).toBeUndefined()
    expect((await endpoint('examples/sample-api/openapi.yaml', 'POST /orders')).listing).toBeUndefined()
  })
})

describe('response links', () => {
  it('keeps the operation a link leads to and its parameter expressions', async () => {
    expect((await endpoint('__tests__/fixtures/specs/values-3.0.yaml', 'GET /accounts/latest')).links).toEqual([
      { operationId: 'getAccount', parameters: { account_id: '$response.body#/id' } },
    ])
    expect((await endpoint('__tests__/fixtures/specs/values-3.0.yaml', 'GET /buckets')).links).toBeUndefined()
  })
})

describe('invented parameter values', () => {
  it('marks the values the spec does not give, and only those', async () => {
    const spec = await loadSpec('__tests__/fixtures/specs/values-3.0.yaml', { cwd: root })
    const user = spec.endpoints.find((e) => e.key === 'GET /users/{user_uuid}')!
    // Named like a uuid, typed only as a string: a valid UUID rather than the word "string".
    expect(user.parameters).toEqual([
      { name: 'user_uuid', in: 'path', required: true, value: '3fa85f64-5717-4562-b3fc-2c963f66afa6', invented: true },
      { name: 'since', in: 'query', required: true, value: '2024-01-01T00:00:00Z', invented: true },
    ])
    const store = await loadSpec('examples/sample-api/openapi.yaml', { cwd: root })
    expect(store.endpoints.flatMap((e) => e.parameters).filter((p) => p.invented)).toEqual([])
  })
})
