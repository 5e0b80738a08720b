/**
 * Values the spec does not give: the plan harvests path ids from the matching collection or an
 * OpenAPI link, only for requests that change nothing, and names every value it had to invent.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { loadDataset } from '../../src/plan/dataset.js'
import { DatasetConfigSchema } from '../../src/plan/dataset-config.js'
import { buildPlanSection } from '../../src/plan/plan-section.js'
import { buildPlan } from '../../src/plan/plan.js'
import { matchingField, valueLines } from '../../src/plan/values.js'
import { renderPlanTable } from '../../src/report/plan-table.js'
import { loadSpec } from '../../src/spec/load.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

async function planFor(spec: string, inputs: RawInputs = {}) {
  const config = resolveConfig({ openapi: spec, 'base-url': 'http://127.0.0.1:8080', ...inputs }, { cwd: root })
  return buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
}

describe('where path ids come from', () => {
  it('takes the order ids of the sample API from GET /orders, whose body lists them under data', async () => {
    const plan = await planFor('examples/sample-api/orders.openapi.yaml')
    expect(valueLines(plan.endpoints)).toEqual([
      'GET /orders/{order_id}: order_id harvested in setup() from GET /orders (data[].id); "string" if that finds none',
    ])
  })

  it('has nothing to say about the store spec, whose parameters all have examples', async () => {
    expect(valueLines((await planFor('examples/sample-api/openapi.yaml')).endpoints)).toEqual([])
  })

  it('prefers a link, harvests from collections, never for writes, and names every value it invented', async () => {
    const plan = await planFor('__tests__/fixtures/specs/values-3.0.yaml', { 'allow-writes': 'true' })
    expect(valueLines(plan.endpoints)).toEqual([
      'GET /accounts/{account_id}: account_id harvested in setup() from GET /accounts/latest (link, id); 1 if that finds none',
      'GET /buckets/{bucket_id}: bucket_id harvested in setup() from GET /buckets (data[].id); "string" if that finds none',
      'DELETE /buckets/{bucket_id}: bucket_id invented as "string" (no example; real ids are harvested only for requests that change nothing)',
      'GET /buckets/{bucket_id}/collections: bucket_id harvested in setup() from GET /buckets (data[].id); "string" if that finds none',
      'GET /buckets/{bucket_id}/collections/{collection_id}: bucket_id harvested in setup() from GET /buckets (data[].id); "string" if that finds none',
      'GET /buckets/{bucket_id}/collections/{collection_id}: collection_id invented as "string" (no example, no link, and GET /buckets/{bucket_id}/collections could give it but needs {bucket_id}, which the spec does not give either)',
      'GET /status/{codes}: codes invented as "string" (no example, no link, no collection to harvest from)',
      'GET /users/{user_uuid}: user_uuid invented as "3fa85f64-5717-4562-b3fc-2c963f66afa6" (no example, no link, no collection to harvest from)',
      'GET /users/{user_uuid}: query parameter since invented as "2024-01-01T00:00:00Z" (no example, default or enum in the spec)',
    ])
  })

  it('does not harvest from a collection the user excluded, and says so', async () => {
    const plan = await planFor('__tests__/fixtures/specs/values-3.0.yaml', { exclude: 'GET /buckets' })
    expect(valueLines(plan.endpoints)).toContain(
      'GET /buckets/{bucket_id}: bucket_id invented as "string" (no example, no link, and GET /buckets could give it but is not planned (excluded by "GET /buckets"))',
    )
  })

  it('lets the dataset win: a parameter it fills is neither harvested nor listed', async () => {
    const plan = await planFor('examples/sample-api/orders.openapi.yaml')
    const dataset = loadDataset(
      DatasetConfigSchema.parse({ file: '__tests__/fixtures/datasets/products.csv', map: { order_id: 'product_id' } }),
      plan.endpoints,
      { cwd: root },
    )
    expect(valueLines(plan.endpoints, dataset)).toEqual([])
  })

  it('shows the values in the plan table and in the results plan section', async () => {
    const plan = await planFor('examples/sample-api/orders.openapi.yaml')
    const table = renderPlanTable(plan, plan.analysis)
    expect(table).toContain(
      'Values the spec does not give (harvested in setup() from the API, or invented):\n  GET /orders/{order_id}: order_id harvested in setup() from GET /orders (data[].id)',
    )
    const section = buildPlanSection(plan, plan.analysis)
    expect(section.endpoints.find((e) => e.endpoint === 'GET /orders/{order_id}')!.values).toEqual([
      {
        name: 'order_id',
        in: 'path',
        source: 'harvested',
        from: 'GET /orders (data[].id)',
        why: null,
        note: 'GET /orders/{order_id}: order_id harvested in setup() from GET /orders (data[].id); "string" if that finds none',
      },
    ])
    expect(section.endpoints.find((e) => e.endpoint === 'GET /orders')!.values).toEqual([])
  })
})

describe('the item field that holds a parameter', () => {
  it.each([
    { name: 'bucket_id', fields: ['id', 'last_modified'], field: 'id' },
    { name: 'bucketId', fields: ['bucket_id', 'id'], field: 'bucket_id' },
    { name: 'bucket_id', fields: ['name', 'bucketId'], field: 'bucketId' },
    { name: 'id', fields: ['ID'], field: 'ID' },
    { name: 'username', fields: ['id', 'userName'], field: 'userName' },
    { name: 'slug', fields: ['id', 'title'], field: undefined },
    { name: 'codes', fields: ['id'], field: undefined },
  ])('$name among $fields → $field', ({ name, fields, field }) => {
    expect(matchingField(name, fields)).toBe(field)
  })
})
