/**
 * Data-driven parameters: CSV and JSON reading (every problem with file:line), binding columns to
 * path/query parameters and JSON body properties, and the script the dataset produces.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { ensureK6 } from '../../src/k6/install.js'
import { buildPlan, type TestPlan } from '../../src/plan/plan.js'
import {
  DATASET_FILE,
  DatasetError,
  bindDataset,
  datasetFileContent,
  describeDataRequest,
  loadDataset,
  operationDataView,
  parseCsvDataset,
  parseJsonDataset,
  readDataset,
  writeDatasetFile,
} from '../../src/plan/dataset.js'
import { DatasetConfigSchema, type DatasetConfig } from '../../src/plan/dataset-config.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadSpec } from '../../src/spec/load.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const fixtures = '__tests__/fixtures/datasets'

async function samplePlan(inputs: RawInputs = {}): Promise<TestPlan> {
  const config = resolveConfig(
    { openapi: 'examples/sample-api/openapi.yaml', config: 'examples/sample-api/perf-xi.yml', 'base-url': 'http://127.0.0.1:8080', ...inputs },
    { cwd: root },
  )
  return buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
}

function datasetConfig(input: Record<string, unknown>): DatasetConfig {
  return DatasetConfigSchema.parse(input)
}

/** The problems of a DatasetError thrown by `fn`. */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof DatasetError) return err.problems
    throw err
  }
  throw new Error('expected a DatasetError')
}

describe('CSV', () => {
  it.each([
    {
      what: 'plain rows',
      text: 'id,name\n1,a\n2,b\n',
      rows: [
        ['1', 'a'],
        ['2', 'b'],
      ],
      lines: [2, 3],
    },
    {
      what: 'CRLF line ends and no final line end',
      text: 'id,name\r\n1,a\r\n2,b',
      rows: [
        ['1', 'a'],
        ['2', 'b'],
      ],
      lines: [2, 3],
    },
    { what: 'a UTF-8 BOM', text: '\uFEFFid,name\n1,a\n', rows: [['1', 'a']], lines: [2] },
    { what: 'quoted delimiters and doubled quotes', text: 'id,name\n1,"a, ""b"""\n', rows: [['1', 'a, "b"']], lines: [2] },
    {
      what: 'a line break inside quotes (later lines keep their numbers)',
      text: 'id,name\n1,"two\nlines"\n2,b\n',
      rows: [
        ['1', 'two\nlines'],
        ['2', 'b'],
      ],
      lines: [2, 4],
    },
    {
      what: 'blank lines',
      text: 'id,name\n\n1,a\n\n2,b\n\n',
      rows: [
        ['1', 'a'],
        ['2', 'b'],
      ],
      lines: [3, 5],
    },
    { what: 'spaces around unquoted fields dropped, quoted kept', text: 'id , name\n 1 ," a "\n', rows: [['1', ' a ']], lines: [2] },
    {
      what: 'empty fields',
      text: 'a,b,c\n,,\n"",x,\n',
      rows: [
        ['', '', ''],
        ['', 'x', ''],
      ],
      lines: [2, 3],
    },
  ])('reads $what', ({ text, rows, lines }) => {
    const table = parseCsvDataset(text, 'data.csv')
    expect(table.rows).toEqual(rows)
    expect(table.rowLocations).toEqual(lines.map((l) => `data.csv:${l}`))
  })

  it('takes another delimiter', () => {
    expect(parseCsvDataset('id\tname\n1\ta,b\n', 'data.tsv', '\t')).toMatchObject({ columns: ['id', 'name'], rows: [['1', 'a,b']] })
    expect(parseCsvDataset('id;name\n1;a,b\n', 'data.csv', ';').rows).toEqual([['1', 'a,b']])
  })

  it.each([
    {
      what: 'an unclosed quote, at the line it opens',
      text: 'id,name\n1,"unterminated\n2,ok\n',
      problems: ['data.csv:2: the quoted field opened on this line is never closed; close it with a double quote (")'],
    },
    {
      what: 'a quote inside an unquoted field, and a ragged row, together',
      text: 'id,name\n1,ok\n2,a"b\n3,too,many\n',
      problems: [
        'data.csv:3:4: a quote inside an unquoted field; put the whole field in quotes and double the quote ("")',
        'data.csv:4: 3 fields, but the header names 2 columns (id, name); quote fields that contain ","',
      ],
    },
    {
      what: 'text after a closing quote',
      text: 'id,name\n1,"a"b\n',
      problems: ['data.csv:2:6: text after the closing quote of a field; put the whole field in quotes and double any quote inside it ("")'],
    },
    {
      what: 'header problems',
      text: 'id,,id\n1,2,3\n',
      problems: ['data.csv:1: column 2 has no name; name every column in the header line', 'data.csv:1: column "id" appears twice (columns 1 and 3)'],
    },
    { what: 'an empty file', text: '', problems: ['data.csv:1: the file is empty; expected a header line naming the columns, then one line per row'] },
    { what: 'a header without rows', text: 'id,name\n', problems: ['data.csv:2: no rows after the header line'] },
  ])('reports $what with file:line', ({ text, problems }) => {
    expect(problemsOf(() => parseCsvDataset(text, 'data.csv'))).toEqual(problems)
  })

  it('lists at most 20 problems in its message and counts the rest', () => {
    const text = `id,name\n${Array.from({ length: 25 }, (_, i) => `${i},a,b`).join('\n')}\n`
    const err = (() => {
      try {
        parseCsvDataset(text, 'data.csv')
      } catch (e) {
        return e as DatasetError
      }
      throw new Error('no error')
    })()
    expect(err.problems).toHaveLength(25)
    expect(err.message.split('\n')[0]).toBe('more than 20 dataset problems:')
    expect(err.message).toMatch(/\n {2}\.\.\. and 5 more$/)
    expect(err.toString()).toBe(err.message)
  })
})

describe('JSON', () => {
  it('reads an array of objects; the columns are their keys in first-seen order', () => {
    const table = parseJsonDataset('[{"id": 1, "q": "a"}, {"q": "b", "note": null}]', 'rows.json')
    expect(table).toEqual({
      file: 'rows.json',
      format: 'json',
      columns: ['id', 'q', 'note'],
      rows: [
        [1, 'a', undefined],
        [undefined, 'b', null],
      ],
      rowLocations: ['rows.json item 1', 'rows.json item 2'],
    })
  })

  it.each([
    { what: 'invalid JSON, at its line and column', text: '[\n  {"id": 1},\n  {"id": }\n]', problem: /^rows\.json:3:10: invalid JSON: unexpected "}"$/ },
    {
      what: 'JSON that ends too early',
      text: '[{"id": 1}',
      problem: /^rows\.json:1:11: invalid JSON: the text ends too early \(an unclosed bracket, brace or string\?\)$/,
    },
    {
      what: 'not an array',
      text: '{"id": 1}',
      problem: /^rows\.json: expected an array of objects, one per row \(e\.g\. \[\{"id": 1\}, \{"id": 2\}\]\), got object$/,
    },
    { what: 'an item that is not an object', text: '[{"id": 1}, 2]', problem: /^rows\.json item 2: expected an object of column values, got number$/ },
    { what: 'an empty array', text: '[]', problem: /^rows\.json: the array is empty; expected at least one row$/ },
  ])('reports $what', ({ text, problem }) => {
    const problems = problemsOf(() => parseJsonDataset(text, 'rows.json'))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(problem)
  })
})

describe('the dataset config', () => {
  it('accepts a file with map and endpoints', () => {
    expect(datasetConfig({ file: 'data/users.csv', map: { id: 'user_id', limit: false }, endpoints: ['GET /users/{id}'] })).toEqual({
      file: 'data/users.csv',
      map: { id: 'user_id', limit: false },
      endpoints: ['GET /users/{id}'],
    })
  })

  it.each([
    {
      what: 'an unknown extension',
      input: { file: 'data/users.txt' },
      message: 'file: cannot tell the format of data/users.txt from its extension (.csv, .tsv or .json); add format: csv or format: json',
    },
    { what: 'no file', input: {}, message: 'file: expected the path of a CSV or JSON file, relative to the workspace, such as data/users.csv, got nothing' },
    {
      what: 'an empty column in map',
      input: { file: 'a.csv', map: { id: '' } },
      message: 'map: expected a column name of the file (or false to leave the parameter alone), got ""',
    },
    {
      what: 'a long delimiter',
      input: { file: 'a.csv', delimiter: ';;' },
      message: 'delimiter: expected one character such as "," ";" or "\\t" (not a quote or line break), got ";;"',
    },
    { what: 'a bad format', input: { file: 'a.csv', format: 'xml' }, message: 'format: expected csv or json, got "xml"' },
    { what: 'an unknown key', input: { file: 'a.csv', columns: ['a'] }, message: 'Unrecognized key: "columns"' },
  ])('rejects $what', ({ input, message }) => {
    const result = DatasetConfigSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((i) => i.message)).toContain(message)
  })

  it('takes the format from format: when the extension says nothing', () => {
    expect(readDataset(datasetConfig({ file: `${fixtures}/products.json`, format: 'json' }), { cwd: root }).format).toBe('json')
  })

  it('names a missing file and where it was looked for', () => {
    expect(problemsOf(() => readDataset(datasetConfig({ file: 'data/nope.csv' }), { cwd: root }))).toEqual([
      `dataset.file: data/nope.csv does not exist (looked for ${path.join(root, 'data/nope.csv')})`,
    ])
  })

  it('reports a broken fixture file with its path and line', () => {
    expect(problemsOf(() => readDataset(datasetConfig({ file: `${fixtures}/unterminated.csv` }), { cwd: root }))).toEqual([
      `${fixtures}/unterminated.csv:2: the quoted field opened on this line is never closed; close it with a double quote (")`,
    ])
  })
})

describe('binding columns to the planned endpoints', () => {
  let plan: TestPlan
  beforeAll(async () => {
    plan = await samplePlan()
  })

  it('fills parameters and body properties named like a column, or as mapped, converted for their use', () => {
    const binding = loadDataset(datasetConfig({ file: `${fixtures}/products.csv`, map: { id: 'product_id', productId: 'product_id' } }), plan.endpoints, {
      cwd: root,
    })
    expect(binding.endpoints).toEqual({
      'POST /orders': [
        { name: 'productId', in: 'body', column: 'product_id', field: 0 },
        { name: 'quantity', in: 'body', column: 'quantity', field: 1 },
        { name: 'note', in: 'body', column: 'note', field: 2 },
      ],
      'GET /products/{id}': [{ name: 'id', in: 'path', column: 'product_id', field: 3 }],
      'GET /search': [{ name: 'q', in: 'query', column: 'q', field: 4 }],
    })
    expect(binding.fields).toEqual([
      { column: 'product_id', kind: 'number' },
      { column: 'quantity', kind: 'number' },
      { column: 'note', kind: 'string' },
      { column: 'product_id', kind: 'url' },
      { column: 'q', kind: 'url' },
    ])
    expect(binding.rowCount).toBe(10)
    expect(binding.rows[2]).toEqual([28, 3, 'Say "hello" to the porter', '28', 'smart%20lamp'])
    expect(binding.rows[5]![2]).toBe('Two lines:\nsecond line')
    expect(binding.unusedColumns).toEqual([])
    expect(binding.warnings).toEqual([])
  })

  it('leaves alone what map sets to false, and only touches endpoints in dataset.endpoints', () => {
    const binding = loadDataset(
      datasetConfig({ file: `${fixtures}/products.csv`, map: { id: 'product_id', q: false }, endpoints: ['GET /products/{id}', 'GET /search', 'GET /nope'] }),
      plan.endpoints,
      { cwd: root },
    )
    expect(Object.keys(binding.endpoints)).toEqual(['GET /products/{id}'])
    expect(binding.unusedColumns).toEqual(['quantity', 'q', 'note'])
    expect(binding.warnings).toEqual(['dataset.endpoints "GET /nope" matches no planned endpoint'])
  })

  it('reads JSON datasets, taking numbers written as text where the body wants a number', () => {
    const binding = loadDataset(
      datasetConfig({ file: `${fixtures}/products.json`, map: { id: 'product_id', productId: 'product_id', note: false } }),
      plan.endpoints,
      {
        cwd: root,
      },
    )
    expect(binding.fields.map((f) => `${f.column}:${f.kind}`)).toEqual(['product_id:number', 'quantity:number', 'product_id:url', 'q:url'])
    expect(binding.rows.map((r) => r[1])).toEqual([1, 2, 3])
    expect(() => loadDataset(datasetConfig({ file: `${fixtures}/products.json` }), plan.endpoints, { cwd: root })).toThrow(
      `${fixtures}/products.json item 1: column note is missing (it fills JSON body property note of POST /orders)`,
    )
  })

  it.each([
    {
      what: 'a mapped column the file lacks, and a mapped name nothing has',
      config: { file: 'data.csv', map: { id: 'user_id', userId: 'product_id' } },
      text: 'product_id\n1\n',
      problems: [
        'dataset.map.id: no column "user_id" in data.csv (its columns: product_id)',
        'dataset.map.userId: no planned endpoint has a path or query parameter or JSON body property named "userId"',
      ],
    },
    {
      what: 'columns that fill nothing',
      config: { file: 'data.csv' },
      text: 'user_id,email\n1,a@b.c\n',
      problems: [
        'dataset data.csv: none of its columns (user_id, email) fills a path or query parameter or JSON body property of the planned endpoints; name the columns after the parameters, or map them with dataset.map',
      ],
    },
    {
      what: 'values of the wrong type or empty path segments, each with its line and what it fills',
      config: { file: 'data.csv', map: { productId: 'id' } },
      text: 'id,quantity\n1,2\n,3\nx,two\n',
      problems: [
        'data.csv:3: column id is "", not a number (it fills JSON body property productId of POST /orders)',
        'data.csv:3: column id is empty (it fills path parameter id of GET /products/{id})',
        'data.csv:4: column id is "x", not a number (it fills JSON body property productId of POST /orders)',
        'data.csv:4: column quantity is "two", not a number (it fills JSON body property quantity of POST /orders)',
      ],
    },
  ])('reports $what', ({ config, text, problems }) => {
    const table = parseCsvDataset(text, 'data.csv')
    expect(problemsOf(() => bindDataset(table, datasetConfig(config), plan.endpoints))).toEqual(problems)
  })

  it('reports a column of the fixture that is not a number, with the file and line', () => {
    expect(
      problemsOf(() => loadDataset(datasetConfig({ file: `${fixtures}/not-a-number.csv`, map: { productId: 'product_id' } }), plan.endpoints, { cwd: root })),
    ).toEqual([`${fixtures}/not-a-number.csv:3: column product_id is "x", not a number (it fills JSON body property productId of POST /orders)`])
  })

  it('describes each request with its data-filled values', () => {
    const binding = loadDataset(datasetConfig({ file: `${fixtures}/products.csv`, map: { id: 'product_id', productId: 'product_id' } }), plan.endpoints, {
      cwd: root,
    })
    const described = Object.fromEntries(plan.endpoints.map((p) => [p.endpoint.key, describeDataRequest(p, binding)]))
    expect(described['GET /products/{id}']).toBe('GET /products/{data:product_id}')
    expect(described['GET /search']).toBe('GET /search?q={data:q}&category=home')
    expect(described['POST /orders']).toBe('POST /orders body productId={data:product_id}, quantity={data:quantity}, note={data:note}')
    expect(described['GET /health']).toBe('GET /health')
  })

  it('adds an optional query parameter the spec gives no sample for, and joins query auth after it', () => {
    const planned = plan.endpoints.find((p) => p.endpoint.key === 'GET /health')!
    const withParam = {
      ...planned,
      endpoint: { ...planned.endpoint, parameters: [{ name: 'verbose', in: 'query' as const, required: false, value: undefined }] },
    }
    const binding = bindDataset(parseCsvDataset('verbose\nyes please\n', 'data.csv'), datasetConfig({ file: 'data.csv' }), [withParam])
    expect(operationDataView(withParam, binding)).toEqual({
      url: [
        { isField: false, text: '/health?verbose=' },
        { isField: true, field: 0 },
      ],
      body: [],
      authQueryJoin: '&',
    })
    expect(binding.rows).toEqual([['yes%20please']])
  })
})

describe('the script and data file', () => {
  const config = datasetConfig({ file: `${fixtures}/products.csv`, map: { id: 'product_id', productId: 'product_id' } })

  it('loads the rows once through SharedArray and looks values up per operation', async () => {
    const plan = await samplePlan()
    const binding = loadDataset(config, plan.endpoints, { cwd: root })
    const script = renderK6Script(plan, { title: 'Sample', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' }, binding)
    expect(script).toContain("import { SharedArray } from 'k6/data';")
    expect(script).toContain(`const DATA = new SharedArray('perf-xi-data', () => JSON.parse(open("./${DATASET_FILE}")).rows);`)
    expect(script).toContain(['  get url() {', '    const row = dataRow(this);', '    return BASE_URL + "/products/" + row[3];', '  },'].join('\n'))
    expect(script).toContain('    return BASE_URL + "/search?q=" + row[4] + "&category=home";')
    expect(script).toContain(
      [
        '    return JSON.stringify({',
        '      ...{',
        '        "productId": 42,',
        '        "quantity": 2,',
        '        "note": "Leave at the front desk"',
        '      },',
        '      "productId": row[0],',
        '      "quantity": row[1],',
        '      "note": row[2],',
        '    });',
      ].join('\n'),
    )
    // Without a dataset nothing of it is in the script.
    const plain = renderK6Script(plan, { title: 'Sample', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' })
    expect(plain).not.toMatch(/SharedArray|dataRow|get url|get body/)
  })

  it('takes the next row for each request of an operation, VUs starting spread over the rows', async () => {
    const plan = await samplePlan()
    const binding = loadDataset(config, plan.endpoints, { cwd: root })
    const script = renderK6Script(plan, { title: 'Sample', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' }, binding)
    // The sample's 5 VUs at most spread over the rows; the URL and body of one request share a row.
    expect(script).toContain('const DATA_START = Math.floor((Math.max(__VU - 1, 0) * DATA.length) / 5);')
    expect(script).toContain('    op.row = DATA[(DATA_START + op.requests) % DATA.length];')
    // Counted only in scenarios with data-filled operations, and only for those operations.
    expect(script).toContain('    if (op.requests !== undefined) op.requests++;')
    expect(script.match(/^ {2}requests: 0,$/gm)).toHaveLength(3)
  })

  it('joins an api key in the query after the data-filled URL', async () => {
    const plan = await samplePlan()
    const keyed: TestPlan = {
      ...plan,
      auth: { type: 'api-key', in: 'query', name: 'key', 'value-env': 'API_KEY' },
      endpoints: plan.endpoints.map((p) => ({ ...p, authenticated: true })),
    }
    const binding = loadDataset(config, keyed.endpoints, { cwd: root })
    const script = renderK6Script(keyed, { title: 'Sample', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' }, binding)
    expect(script).toContain('    return BASE_URL + "/products/" + row[3] + "?" + AUTH_QUERY;')
    expect(script).toContain('    return BASE_URL + "/search?q=" + row[4] + "&category=home" + "&" + AUTH_QUERY;')
  })

  it('writes the same bytes for the same dataset', async () => {
    const plan = await samplePlan()
    const a = datasetFileContent(loadDataset(config, plan.endpoints, { cwd: root }))
    const b = datasetFileContent(loadDataset(config, plan.endpoints, { cwd: root }))
    expect(a).toBe(b)
    expect(JSON.parse(a)).toMatchObject({ source: config.file, fields: ['product_id:number', 'quantity:number', 'note:string', 'product_id:url', 'q:url'] })
  })

  it('is accepted by real k6, reading the data file next to the script from any working directory', async () => {
    const k6 = await ensureK6()
    const plan = await samplePlan()
    const binding = loadDataset(config, plan.endpoints, { cwd: root })
    const dir = tempDir('perf-xi-dataset-')
    const scriptPath = path.join(dir, 'perf-xi-script.js')
    writeFileSync(scriptPath, renderK6Script(plan, { title: 'Sample', source: 'openapi.yaml', scriptName: 'perf-xi-script.js' }, binding))
    writeDatasetFile(dir, binding)
    const env = { PATH: process.env.PATH, K6_NO_USAGE_REPORT: 'true' }
    const inspected = JSON.parse(
      execFileSync(k6.path, ['inspect', '--execution-requirements', '-e', 'SAMPLE_API_TOKEN=x', scriptPath], { env, encoding: 'utf8', cwd: os.tmpdir() }),
    )
    expect(Object.keys(inspected.thresholds ?? inspected.options?.thresholds ?? {}).length).toBeGreaterThan(0)
  }, 300_000)
})
