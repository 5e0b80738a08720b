/** Where things are in a spec document: its source, `$ref`-style paths to its nodes, and their file:line:column. */
import { isAbsolute, relative } from 'node:path'
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml'
import type { Segment } from './problems.js'

/** Error positions are looked up (with a second, position-keeping parse) only up to this size. */
const LOCATE_MAX_CHARS = 5_000_000

export type Obj = Record<string, unknown>
export type Family = '2.0' | '3.0' | '3.1'

export interface Source {
  /** The path or URL as the user gave it: what error messages name. */
  name: string
  /** Absolute path or URL: the base for relative `$ref`s. */
  location: string
  isUrl: boolean
  text: string
  cwd: string
}

/** "file:line:column", "file:line" or "file". */
export function position({ file, line, column }: { file: string; line?: number; column?: number }): string {
  return line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`
}

/** `{file, line, column}` of the node at `segments` in the source text (file only when not found). */
export function locate(src: Source, segments: Segment[]): { file: string; line?: number; column?: number } {
  if (src.text.length > LOCATE_MAX_CHARS || segments.length === 0) return { file: src.name }
  try {
    const { lineCounter, yamlDoc } = positioned(src)
    let node: unknown = yamlDoc.contents
    let anchor: { range?: [number, number, number] | null } | undefined
    for (const segment of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment))
        if (!pair) break
        anchor = (isScalar(pair.key) ? pair.key : pair.value) as typeof anchor
        node = pair.value
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)]
        if (item === undefined) break
        anchor = item as typeof anchor
        node = item
      } else break
    }
    const offset = anchor?.range?.[0]
    if (offset === undefined) return { file: src.name }
    const { line, col } = lineCounter.linePos(offset)
    return { file: src.name, line, column: col }
  } catch {
    return { file: src.name }
  }
}

/** The position-keeping parse of a source, made once however many problems it has. */
const positionedSources = new WeakMap<Source, { lineCounter: LineCounter; yamlDoc: ReturnType<typeof parseDocument> }>()
function positioned(src: Source): { lineCounter: LineCounter; yamlDoc: ReturnType<typeof parseDocument> } {
  let entry = positionedSources.get(src)
  if (!entry) {
    const lineCounter = new LineCounter()
    entry = { lineCounter, yamlDoc: parseDocument(src.text, { lineCounter, uniqueKeys: false, strict: false, merge: true }) }
    positionedSources.set(src, entry)
  }
  return entry
}

export function pointerSegments(pointer: string): Segment[] {
  if (pointer === '#' || pointer === '') return []
  return pointer
    .replace(/^#?\//, '')
    .split('/')
    .map((s) => {
      let d = s
      try {
        d = decodeURIComponent(s)
      } catch {
        // keep as written
      }
      return d.replace(/~1/g, '/').replace(/~0/g, '~')
    })
}

/** Pointer segments with array indexes as numbers, so they print as `[0]`. */
export function typedSegments(segments: Segment[], doc: unknown): Segment[] {
  let node = doc
  return segments.map((s) => {
    const typed = Array.isArray(node) ? Number(s) : s
    node = Array.isArray(node) ? node[Number(s)] : isObject(node) ? node[String(s)] : undefined
    return typed
  })
}

export function valueAt(doc: unknown, segments: Segment[]): unknown {
  let node = doc
  for (const s of segments) node = Array.isArray(node) ? node[Number(s)] : isObject(node) ? node[String(s)] : undefined
  return node
}

/** paths['/pets/{id}'].get.parameters[0] */
export function describe(segments: Segment[]): string {
  if (segments.length === 0) return 'the document'
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][\w-]*$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : `['${s}']`)).join('')
}

export function displayName(location: string, src: Source): string {
  if (location === src.location) return src.name
  if (/^https?:/i.test(location)) return location
  const rel = relative(src.cwd, location)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : location
}

export function oneLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim()
}

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
