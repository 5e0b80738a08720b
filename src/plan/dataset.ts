/**
 * Data-driven parameters: the rows of a CSV or JSON file (`dataset:` in the config) fill path and
 * query parameters and top-level JSON body properties, so the load is not one cached request
 * repeated. The file is read, checked (every problem with its file:line) and converted when the
 * script is generated, and written next to it as perf-xi-data.json for a SharedArray; each round
 * of operations takes the next row. The config, the row choice and the formats: docs/datasets.md.
 */
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors.js'
import { readUserTextFile } from '../files.js'
import { jsonErrorOffset, lineAndColumn } from '../json-error-position.js'
import type { Endpoint, ParameterSample } from '../spec/model.js'
import { buildRequestSample, isJsonBody } from '../spec/request.js'
import type { PlannedEndpoint } from './planned-endpoint.js'
import { formatFromExtension, type DatasetConfig, type DatasetFormat } from './dataset-config.js'
import { matchesSelector } from './selector.js'

/** The data file written next to the generated script and opened by it. */
export const DATASET_FILE = 'perf-xi-data.json'

/** At most this many problems are listed; the rest are counted. */
const MAX_PROBLEMS = 20

/** Every problem with a dataset, reported together: the user fixes the file in one go. */
export class DatasetError extends UserError {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]!
        : `${problems.length > MAX_PROBLEMS ? `more than ${MAX_PROBLEMS}` : problems.length} dataset problems:\n${problems
            .slice(0, MAX_PROBLEMS)
            .map((p) => `  ${p}`)
            .join('\n')}${problems.length > MAX_PROBLEMS ? `\n  ... and ${problems.length - MAX_PROBLEMS} more` : ''}`,
    )
    this.name = 'DatasetError'
  }
}

// ---------------------------------------------------------------------------
// Reading: CSV and JSON into one table
// ---------------------------------------------------------------------------

export interface DatasetTable {
  /** The file as configured (relative to the workspace), for messages and reports. */
  file: string
  format: DatasetFormat
  columns: string[]
  /** Cells by column index: strings from CSV, any JSON value (undefined when a key is absent) from JSON. */
  rows: unknown[][]
  /** Where each row is, for messages: "data/users.csv:7" or "data/users.json item 3". */
  rowLocations: string[]
}

/** Reads and parses the configured file, relative to `cwd`. Throws DatasetError. */
export function readDataset(config: DatasetConfig, opts: { cwd: string }): DatasetTable {
  const abs = path.resolve(opts.cwd, config.file)
  if (!existsSync(abs)) throw new DatasetError([`dataset.file: ${config.file} does not exist (looked for ${abs})`])
  const text = readUserTextFile(abs, 'dataset.file', config.file)
  const byExtension = formatFromExtension(config.file)
  const format = config.format ?? byExtension?.format ?? 'csv'
  if (format === 'json') return parseJsonDataset(text, config.file)
  return parseCsvDataset(text, config.file, config.delimiter ?? byExtension?.delimiter ?? ',')
}

interface CsvRecord {
  fields: string[]
  line: number
}

/**
 * RFC 4180 CSV (see the module comment) into a table. Every problem is collected with its
 * file:line (and column where it helps) and thrown together as one DatasetError.
 */
export function parseCsvDataset(text: string, file: string, delimiter = ','): DatasetTable {
  const problems: string[] = []
  const records = parseCsvRecords(text.replace(/^\uFEFF/, ''), file, delimiter, problems)
  if (records.length === 0) {
    throw new DatasetError([...problems, `${file}:1: the file is empty; expected a header line naming the columns, then one line per row`])
  }
  const [header, ...data] = records
  const columns = header!.fields.map((c) => c.trim())
  columns.forEach((name, i) => {
    if (name === '') problems.push(`${file}:${header!.line}: column ${i + 1} has no name; name every column in the header line`)
    const first = columns.indexOf(name)
    if (name !== '' && first !== i) problems.push(`${file}:${header!.line}: column ${JSON.stringify(name)} appears twice (columns ${first + 1} and ${i + 1})`)
  })
  if (data.length === 0) problems.push(`${file}:${header!.line + 1}: no rows after the header line`)
  for (const record of data) {
    if (record.fields.length !== columns.length) {
      problems.push(
        `${file}:${record.line}: ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, but the header names ${columns.length} column${columns.length === 1 ? '' : 's'} (${columns.join(', ')}); quote fields that contain ${JSON.stringify(delimiter)}`,
      )
    }
  }
  if (problems.length > 0) throw new DatasetError(problems)
  return { file, format: 'csv', columns, rows: data.map((r) => r.fields), rowLocations: data.map((r) => `${file}:${r.line}`) }
}

function parseCsvRecords(text: string, file: string, delimiter: string, problems: string[]): CsvRecord[] {
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false // the current field was quoted (its spaces are kept)
  let inQuotes = false
  let afterQuote = false
  let line = 1
  let lineStart = 0
  let recordLine = 1
  let quoteLine = 1
  let quotedRecord = false // a record of one quoted empty field ("") is a row, a blank line is not

  const endField = () => {
    fields.push(quoted ? field : field.trim())
    field = ''
    quoted = false
    afterQuote = false
  }
  const endRecord = () => {
    endField()
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '' && !quotedRecord)) records.push({ fields, line: recordLine })
    fields = []
    quotedRecord = false
  }

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else {
          inQuotes = false
          afterQuote = true
        }
      } else {
        if (c === '\n') {
          line++
          lineStart = i + 1
        }
        field += c
      }
      continue
    }
    if (c === delimiter) {
      endField()
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRecord()
      line++
      lineStart = i + 1
      recordLine = line
    } else if (afterQuote) {
      if (c !== ' ' && c !== '\t') {
        problems.push(
          `${file}:${line}:${i - lineStart + 1}: text after the closing quote of a field; put the whole field in quotes and double any quote inside it ("")`,
        )
        afterQuote = false
        field += c
      }
    } else if (c === '"') {
      if (field.trim() === '') {
        inQuotes = true
        quoted = true
        quotedRecord = true
        field = ''
        quoteLine = line
      } else {
        problems.push(`${file}:${line}:${i - lineStart + 1}: a quote inside an unquoted field; put the whole field in quotes and double the quote ("")`)
        field += c
      }
    } else {
      field += c
    }
  }
  if (inQuotes) {
    problems.push(`${file}:${quoteLine}: the quoted field opened on this line is never closed; close it with a double quote (")`)
  }
  if (field !== '' || fields.length > 0 || quoted) endRecord()
  return records
}

/** A JSON array of objects into a table; the columns are the objects' keys in first-seen order. */
export function parseJsonDataset(text: string, file: string): DatasetTable {
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    // V8's messages do not always say where, and differ between Node versions; the scanner says where.
    const body = text.replace(/^\uFEFF/, '')
    const offset = jsonErrorOffset(body)
    if (offset < 0) throw err
    const what = offset >= body.length ? 'the text ends too early (an unclosed bracket, brace or string?)' : `unexpected ${JSON.stringify(body[offset])}`
    throw new DatasetError([`${file}:${lineAndColumn(body, offset)}: invalid JSON: ${what}`])
  }
  if (!Array.isArray(data)) {
    throw new DatasetError([`${file}: expected an array of objects, one per row (e.g. [{"id": 1}, {"id": 2}]), got ${data === null ? 'null' : typeof data}`])
  }
  const problems: string[] = []
  const columns: string[] = []
  const seen = new Set<string>()
  data.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(
        `${file} item ${i + 1}: expected an object of column values, got ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}`,
      )
      return
    }
    for (const key of Object.keys(item)) {
      if (!seen.has(key)) {
        seen.add(key)
        columns.push(key)
      }
    }
  })
  if (data.length === 0) problems.push(`${file}: the array is empty; expected at least one row`)
  if (problems.length > 0) throw new DatasetError(problems)
  const rows = (data as Array<Record<string, unknown>>).map((item) => columns.map((c) => (Object.hasOwn(item, c) ? item[c] : undefined)))
  return { file, format: 'json', columns, rows, rowLocations: rows.map((_, i) => `${file} item ${i + 1}`) }
}

// ---------------------------------------------------------------------------
// Binding: which column fills which value of which endpoint
// ---------------------------------------------------------------------------

/** How a column's cells are prepared for one kind of use. */
export type DataFieldKind = 'url' | 'string' | 'number' | 'boolean' | 'json'

/** One column of the data file written for the script: a source column prepared for one use. */
export interface DataField {
  column: string
  kind: DataFieldKind
}

/** One value of one endpoint's request filled from the dataset. */
export interface DataValue {
  name: string
  in: 'path' | 'query' | 'body'
  column: string
  /** Index into each row of the written data file. */
  field: number
}

export interface DatasetBinding {
  file: string
  format: DatasetFormat
  /** The file's own columns. */
  columns: string[]
  rowCount: number
  fields: DataField[]
  /** Prepared rows, one cell per field: what the data file holds. */
  rows: unknown[][]
  /** Values filled from the dataset, by endpoint key; endpoints without any are absent. */
  endpoints: Record<string, DataValue[]>
  /** Columns of the file that fill nothing (harmless; shown in the plan). */
  unusedColumns: string[]
  warnings: string[]
}

interface Use {
  name: string
  in: DataValue['in']
  column: string
  kind: DataFieldKind
  endpoint: string
}

/**
 * Which column fills which path/query parameter and JSON body property of the planned endpoints,
 * with every cell converted and checked. Pure; throws DatasetError listing every problem.
 */
export function bindDataset(table: DatasetTable, config: DatasetConfig, planned: readonly PlannedEndpoint[]): DatasetBinding {
  const problems: string[] = []
  const warnings: string[] = []
  const map = config.map ?? {}
  const selectors = config.endpoints ?? []
  for (const selector of selectors) {
    if (!planned.some((p) => matchesSelector(p.endpoint, selector))) warnings.push(`dataset.endpoints ${JSON.stringify(selector)} matches no planned endpoint`)
  }
  const inScope = planned.filter((p) => selectors.length === 0 || selectors.some((s) => matchesSelector(p.endpoint, s)))

  for (const [name, column] of Object.entries(map)) {
    if (column !== false && !table.columns.includes(column)) {
      problems.push(`dataset.map.${name}: no column ${JSON.stringify(column)} in ${table.file} (its columns: ${table.columns.join(', ')})`)
    }
  }

  const uses: Use[] = []
  const fillable = new Set<string>()
  for (const { endpoint } of inScope) {
    for (const slot of fillableSlots(endpoint)) {
      fillable.add(slot.name)
      const mapped = map[slot.name]
      const column = mapped === false ? undefined : (mapped ?? (table.columns.includes(slot.name) ? slot.name : undefined))
      if (column === undefined || !table.columns.includes(column)) continue
      uses.push({ ...slot, column, endpoint: endpoint.key })
    }
  }
  for (const name of Object.keys(map)) {
    if (!fillable.has(name)) {
      problems.push(
        `dataset.map.${name}: no ${selectors.length > 0 ? 'endpoint matched by dataset.endpoints' : 'planned endpoint'} has a path or query parameter or JSON body property named ${JSON.stringify(name)}`,
      )
    }
  }
  if (problems.length === 0 && uses.length === 0) {
    problems.push(
      `dataset ${table.file}: none of its columns (${table.columns.join(', ')}) fills a path or query parameter or JSON body property of the ${selectors.length > 0 ? 'endpoints in dataset.endpoints' : 'planned endpoints'}; name the columns after the parameters, or map them with dataset.map`,
    )
  }
  if (problems.length > 0) throw new DatasetError(problems)

  // One prepared field per (column, kind); values point at their field.
  const fields: DataField[] = []
  const fieldIndex = new Map<string, number>()
  const firstUse = new Map<number, Use>()
  const endpoints: Record<string, DataValue[]> = {}
  for (const use of uses) {
    const id = `${use.column}\u0000${use.kind}`
    let field = fieldIndex.get(id)
    if (field === undefined) {
      field = fields.length
      fields.push({ column: use.column, kind: use.kind })
      fieldIndex.set(id, field)
      firstUse.set(field, use)
    }
    ;(endpoints[use.endpoint] ??= []).push({ name: use.name, in: use.in, column: use.column, field })
  }

  // An empty path segment would change the route; an empty query value or body text is data.
  const pathUse = new Map<number, Use>()
  for (const use of uses) if (use.in === 'path') pathUse.set(fieldIndex.get(`${use.column}\u0000${use.kind}`)!, use)
  const rows = table.rows.map((row, r) =>
    fields.map((f, i) => {
      const cell = row[table.columns.indexOf(f.column)]
      const result = prepareCell(cell, f.kind, table.format)
      const problem = 'problem' in result ? result.problem : result.value === '' && pathUse.has(i) ? 'is empty' : undefined
      if (problem !== undefined) {
        const use = pathUse.get(i) ?? firstUse.get(i)!
        problems.push(`${table.rowLocations[r]}: column ${f.column} ${problem} (it fills ${describeUse(use)})`)
        return null
      }
      return (result as { value: unknown }).value
    }),
  )
  if (problems.length > 0) throw new DatasetError(problems)

  const used = new Set(fields.map((f) => f.column))
  return {
    file: table.file,
    format: table.format,
    columns: table.columns,
    rowCount: rows.length,
    fields,
    rows,
    endpoints,
    unusedColumns: table.columns.filter((c) => !used.has(c)),
    warnings,
  }
}

/** Reads, parses and binds in one call. Throws DatasetError. */
export function loadDataset(config: DatasetConfig, planned: readonly PlannedEndpoint[], opts: { cwd: string }): DatasetBinding {
  return bindDataset(readDataset(config, opts), config, planned)
}

function describeUse(use: Use): string {
  const where = use.in === 'body' ? `JSON body property ${use.name}` : `${use.in} parameter ${use.name}`
  return `${where} of ${use.endpoint}`
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The values of a request a dataset can fill: path and query parameters, top-level JSON body properties. */
function fillableSlots(endpoint: Endpoint): Array<Omit<Use, 'column' | 'endpoint'>> {
  const slots: Array<Omit<Use, 'column' | 'endpoint'>> = []
  for (const p of endpoint.parameters) {
    if (p.in === 'path' || p.in === 'query') slots.push({ name: p.name, in: p.in, kind: 'url' })
  }
  if (endpoint.body && isJsonBody(endpoint.body) && isPlainObject(endpoint.body.value)) {
    for (const [name, sample] of Object.entries(endpoint.body.value)) {
      const kind: DataFieldKind =
        typeof sample === 'number' ? 'number' : typeof sample === 'boolean' ? 'boolean' : typeof sample === 'string' ? 'string' : 'json'
      slots.push({ name, in: 'body', kind })
    }
  }
  return slots
}

type Prepared = { value: unknown } | { problem: string }

/** One cell converted for its use; path and query values are URL-encoded as request.ts does. */
function prepareCell(cell: unknown, kind: DataFieldKind, format: DatasetFormat): Prepared {
  if (cell === undefined) return { problem: 'is missing' }
  switch (kind) {
    case 'url': {
      if (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') {
        return { value: encodeURIComponent(String(cell)) }
      }
      return { problem: `is ${cell === null ? 'null' : 'an object or array'}, not a single value` }
    }
    case 'number': {
      if (typeof cell === 'number') return { value: cell }
      const text = typeof cell === 'string' ? cell.trim() : ''
      const n = Number(text)
      return text !== '' && Number.isFinite(n) ? { value: n } : { problem: `is ${JSON.stringify(cell)}, not a number` }
    }
    case 'boolean': {
      if (typeof cell === 'boolean') return { value: cell }
      const text = typeof cell === 'string' ? cell.trim().toLowerCase() : ''
      return text === 'true' || text === 'false' ? { value: text === 'true' } : { problem: `is ${JSON.stringify(cell)}, not true or false` }
    }
    case 'string':
      if (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') return { value: String(cell) }
      return { problem: `is ${cell === null ? 'null' : 'an object or array'}, not text` }
    case 'json':
      if (format === 'json') return { value: cell }
      try {
        return { value: JSON.parse(String(cell)) }
      } catch {
        return { problem: `is ${JSON.stringify(cell)}, not JSON (this body property takes an object, array or null)` }
      }
  }
}

// ---------------------------------------------------------------------------
// Output: the data file and the script's view
// ---------------------------------------------------------------------------

/** The data file's content: deterministic (same binding, same bytes). */
export function datasetFileContent(binding: DatasetBinding): string {
  const doc = { source: binding.file, fields: binding.fields.map((f) => `${f.column}:${f.kind}`), rows: binding.rows }
  return `${JSON.stringify(doc)}\n`
}

/** Writes perf-xi-data.json into `dir` (the script's folder) and returns its path. */
export function writeDatasetFile(dir: string, binding: DatasetBinding): string {
  const file = path.join(dir, DATASET_FILE)
  writeFileSync(file, datasetFileContent(binding))
  return file
}

/** What templates/k6-script.js.hbs needs for the data block; undefined without a dataset. */
export function datasetScriptView(binding: DatasetBinding | undefined): { file: string; source: string; rows: number } | undefined {
  if (!binding || Object.keys(binding.endpoints).length === 0) return undefined
  return { file: `./${DATASET_FILE}`, source: binding.file, rows: binding.rowCount }
}

export type UrlPart = { isField: false; text: string } | { isField: true; field: number }

export interface OperationDataView {
  /** The URL after BASE_URL, literal text and data fields in order; undefined when no path or query value is filled. */
  url?: UrlPart[]
  /** JSON body properties that come from the row (the rest of the body stays the sample's). */
  body: Array<{ name: string; field: number }>
  /** '?' or '&': how an api-key-in-query joins this URL. */
  authQueryJoin: '?' | '&'
}

const SENTINEL = (field: number) => `__perfxi_data_${field}__`
const SENTINEL_PATTERN = /__perfxi_data_(\d+)__/g

/** The per-operation lookups for the script; undefined when the dataset fills nothing of this endpoint. */
export function operationDataView(planned: PlannedEndpoint, binding: DatasetBinding | undefined): OperationDataView | undefined {
  const values = binding?.endpoints[planned.endpoint.key]
  if (!values || values.length === 0) return undefined
  const urlValues = values.filter((v) => v.in !== 'body')
  let url: UrlPart[] | undefined
  if (urlValues.length > 0) {
    if (planned.request.path.includes('__perfxi_data_')) throw new Error(`the path of ${planned.endpoint.key} already contains a dataset placeholder`)
    // The request is built again with placeholders for the filled values, so it is serialized
    // exactly as request.ts does; the placeholders (letters, digits, _) survive URL encoding.
    const parameters: ParameterSample[] = planned.endpoint.parameters.map((p) => {
      const value = urlValues.find((v) => v.name === p.name && v.in === p.in)
      return value ? { ...p, value: SENTINEL(value.field) } : p
    })
    const templatePath = buildRequestSample({ ...planned.endpoint, parameters }).path
    url = []
    let last = 0
    for (const match of templatePath.matchAll(SENTINEL_PATTERN)) {
      if (match.index! > last) url.push({ isField: false, text: templatePath.slice(last, match.index) })
      url.push({ isField: true, field: Number(match[1]) })
      last = match.index! + match[0].length
    }
    if (last < templatePath.length) url.push({ isField: false, text: templatePath.slice(last) })
  }
  const hasQuery = url ? url.some((part) => !part.isField && part.text.includes('?')) : planned.request.path.includes('?')
  return {
    ...(url ? { url } : {}),
    body: values.filter((v) => v.in === 'body').map((v) => ({ name: v.name, field: v.field })),
    authQueryJoin: hasQuery ? '&' : '?',
  }
}

/** The request line for reports, data-filled values shown as {data:column}: "GET /products/{data:product_id}". */
export function describeDataRequest(planned: PlannedEndpoint, binding: DatasetBinding | undefined): string {
  const view = operationDataView(planned, binding)
  const method = planned.endpoint.method
  if (!view) return `${method} ${planned.request.path}`
  const fields = binding!.fields
  const url = view.url ? view.url.map((part) => (part.isField ? `{data:${fields[part.field]!.column}}` : part.text)).join('') : planned.request.path
  const body = view.body.map((b) => `${b.name}={data:${fields[b.field]!.column}}`)
  return `${method} ${url}${body.length > 0 ? ` body ${body.join(', ')}` : ''}`
}
