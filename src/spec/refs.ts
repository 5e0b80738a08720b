/** The `$ref`s of a spec: collected, checked to resolve, external ones bundled in, internal ones resolved on demand. */
import SwaggerParser from '@apidevtools/swagger-parser'
import { UserError } from '../errors.js'
import { describe, displayName, isObject, locate, oneLine, pointerSegments, typedSegments, type Obj, type Source } from './document.js'
import type { Segment } from './problems.js'
import { createRefSandbox } from './ref-sandbox.js'
import { findUrlWithCredentials } from './spec-urls.js'

/** Every distinct `$ref` with where it first occurs, and whether any leaves the document. */
export function collectRefs(doc: unknown): { firstSeen: Map<string, Segment[]>; hasExternal: boolean } {
  const firstSeen = new Map<string, Segment[]>()
  const path: Segment[] = []
  const visiting = new Set<object>()
  let hasExternal = false
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || visiting.has(node)) return
    visiting.add(node)
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i)
        walk(node[i])
        path.pop()
      }
    } else {
      for (const key in node) {
        const value = (node as Obj)[key]
        if (key === '$ref' && typeof value === 'string') {
          if (!firstSeen.has(value)) {
            firstSeen.set(value, [...path, '$ref'])
            if (!value.startsWith('#')) hasExternal = true
          }
        } else if (typeof value === 'object' && value !== null) {
          path.push(key)
          walk(value)
          path.pop()
        }
      }
    }
    visiting.delete(node)
  }
  walk(doc)
  return { firstSeen, hasExternal }
}

export function checkInternalRefs(doc: unknown, refs: Map<string, Segment[]>, src: Source): void {
  for (const [ref, where] of refs) {
    // "#name" fragments are JSON Schema anchors, not pointers: left to the sampler (no value).
    if (!ref.startsWith('#/') && ref !== '#') continue
    if (resolvePointer(doc, ref) === undefined) throw new UserError(`cannot resolve $ref '${ref}'`, locate(src, where))
  }
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === '#') return root
  let node = root
  for (const raw of ref.slice(2).split('/')) {
    let segment = raw
    try {
      segment = decodeURIComponent(raw)
    } catch {
      // not percent-encoded after all: use as written
    }
    segment = segment.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(node)) node = node[Number(segment)]
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment]
    else return undefined
  }
  return node
}

/** Bundles the files and URLs `$ref`s name into the document, reading only the spec's own tree (ref-sandbox.ts). */
export async function bundleExternalRefs(doc: Obj, src: Source): Promise<Obj> {
  const sandbox = createRefSandbox(src, { locate: (segments) => locate(src, segments), describe: (segments) => describe(typedSegments(segments, doc)) })
  try {
    return (await new SwaggerParser().bundle(src.location, doc as never, sandbox.options)) as unknown as Obj
  } catch (err) {
    throw sandbox.failure ?? refParserError(err, src)
  } finally {
    sandbox.close()
  }
}

/**
 * json-schema-ref-parser's own errors (a pointer missing in a file) as one line. Its messages are
 * not echoed where they could quote a file (a parser's message may hold a snippet of the text).
 */
export function refParserError(err: unknown, src: Source): UserError {
  const e = err as Error & { source?: string; targetRef?: string; parentPath?: string }
  const other = e.source ? displayName(e.source, src) : undefined
  switch (e.name) {
    case 'ResolverError':
      return new UserError(`cannot resolve an external $ref to '${other ?? '?'}'`, { file: src.name })
    case 'ParserError': {
      const m = /: (malformed (?:JSON|YAML): .*?)(?: \((\d+):(\d+)\))?$/.exec(oneLine(e.message))
      const at = m?.[2] ? { line: Number(m[2]), column: Number(m[3]) } : {}
      return new UserError(m?.[1] ?? 'cannot parse the file', { file: other ?? src.name, ...at })
    }
    case 'MissingPointerError':
    case 'InvalidPointerError': {
      const ref = other && e.source !== src.location ? `${other}${e.targetRef ?? ''}` : (e.targetRef ?? '?')
      const where = e.parentPath?.startsWith('#/') ? pointerSegments(e.parentPath) : undefined
      return new UserError(`cannot resolve $ref '${ref}'`, where ? locate(src, where) : { file: src.name })
    }
    default:
      return new UserError(`cannot resolve the $refs: ${oneLine(e.message ?? String(err))}`, { file: src.name })
  }
}

/** A URL of the spec that carries a user name or password is refused, like one in base-url, and never shown. */
export function checkUrlCredentials(doc: Obj, src: Source): void {
  const at = findUrlWithCredentials(doc)
  if (at === undefined) return
  throw new UserError(
    `${describe(at)} must not contain a user name or password (they would be written to the script and the results); remove them and use auth with type basic in the config`,
    locate(src, at),
  )
}

/** Lazily resolves internal `$ref`s against the (bundled) document, caching each target. */
export function createRefResolver(root: unknown): (ref: string) => unknown {
  const cache = new Map<string, unknown>()
  return (ref) => {
    if (cache.has(ref)) return cache.get(ref)
    const target = ref.startsWith('#/') || ref === '#' ? resolvePointer(root, ref) : undefined
    cache.set(ref, target)
    return target
  }
}
