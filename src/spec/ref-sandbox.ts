/**
 * Where a spec's `$ref`s may lead. json-schema-ref-parser's file and http resolvers are replaced
 * by one that reads only the spec's own document tree: for a spec read from a file, files under
 * its folder named by relative paths (no `..`, symbolic link or hidden folder out of it, nothing
 * in /proc, /sys, /dev, /etc, /run); for a spec fetched from a URL, URLs of that same origin, and
 * redirects only within it. Every refusal or failed read is one `UserError` naming the spec, the
 * `$ref` and where it is written, never what the target holds; referenced files are parsed like
 * the spec, their errors naming file and line only.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve as resolvePath, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type SwaggerParser from '@apidevtools/swagger-parser'
import { deadline } from '../deadline.js'
import { UserError } from '../errors.js'
import { hasUrlCredentials, withoutUrlCredentials } from '../url-credentials.js'
import { MalformedTextError, parseSpecText } from './parse-text.js'

/** The spec whose tree is the sandbox. */
export interface SandboxedSpec {
  /** The path or URL as the user gave it: what messages name. */
  name: string
  /** Absolute path or URL. */
  location: string
  isUrl: boolean
  /** Directory paths are shown relative to. */
  cwd: string
}

/** How the loader names places in the spec: `file:line:column` and `paths['/x'].get`. */
export interface SpecPlaces {
  locate(segments: (string | number)[]): { file: string; line?: number; column?: number }
  describe(segments: (string | number)[]): string
}

export interface RefSandbox {
  /** swagger-parser options: the one resolver and the JSON/YAML parser. */
  readonly options: SwaggerParser.Options
  /** The first refused or failed read: what the user is told instead of the parser's own error. */
  readonly failure: UserError | undefined
  /** Cancels downloads still running (the parser stops at the first error without waiting for them). */
  close(): void
}

/** Folders of the machine itself, refused even when the spec's folder contains them. */
const SYSTEM_DIRS = ['/proc', '/sys', '/dev', '/etc', '/run']
const MAX_REDIRECTS = 5
const FETCH_TIMEOUT_MS = 30_000
/** A `$ref` is shown up to this many characters. */
const MAX_SHOWN_CHARS = 120
const PARSED_EXTENSIONS = ['.json', '.yaml', '.yml']

type FileInfo = SwaggerParser.FileInfo

export function createRefSandbox(spec: SandboxedSpec, places: SpecPlaces): RefSandbox {
  const aborter = new AbortController()
  let failure: UserError | undefined
  const root = spec.isUrl ? '' : dirname(spec.location)
  let realRoot: Promise<string> | undefined
  const origin = spec.isUrl ? new URL(spec.location).origin : ''
  const folder = spec.isUrl ? '' : `${displayPath(root, spec.cwd)}${sep}`
  const under = `only files under ${folder} are read`
  const sameOrigin = spec.isUrl ? `a spec fetched from ${origin} reads only URLs of that origin` : ''

  /** Records the first failure and throws it, so the parser stops. */
  const fail = (file: FileInfo, reason: string): never => {
    const err = refError(file, reason)
    failure ??= err
    throw err
  }

  const refError = (file: FileInfo, reason: string): UserError => {
    const shown = shorten(withoutUrlCredentials(`${file.reference ?? file.url}${file.hash ?? ''}`))
    const hash = (file.baseUrl ?? '').indexOf('#')
    const doc = hash < 0 ? (file.baseUrl ?? '') : file.baseUrl!.slice(0, hash)
    const segments = hash < 0 ? [] : pointerSegments(file.baseUrl!.slice(hash + 1))
    const inSpec = doc === '' || isSpecItself(doc)
    const at = segments.length > 0 ? ` at ${places.describe(segments)}` : ''
    const inFile = inSpec ? '' : ` in ${displayTarget(doc)}`
    return new UserError(`$ref '${shown}'${at}${inFile} ${reason}`, inSpec ? places.locate(segments) : { file: spec.name })
  }

  const isSpecItself = (doc: string): boolean => {
    if (!spec.isUrl) return resolvePath(decodePath(doc)) === spec.location
    try {
      return new URL(doc).href === new URL(spec.location).href
    } catch {
      return false
    }
  }

  const displayTarget = (url: string): string => {
    if (spec.isUrl) return shorten(withoutUrlCredentials(url))
    const path = localPath(url)
    return path === undefined ? shorten(url) : displayPath(path, spec.cwd)
  }

  const readLocal = async (file: FileInfo): Promise<Buffer> => {
    const reference = file.reference ?? ''
    const path = localPath(file.url)
    if (path === undefined) return fail(file, `is a URL: a spec read from a file reads only files under ${folder}`)
    if (isOutside(root, path)) fail(file, `points outside the spec's folder: ${under}`)
    if (/^file:/i.test(reference)) fail(file, 'is a file:// URL: write the path relative to the spec')
    if (isAbsolute(reference)) fail(file, 'is an absolute path: write it relative to the spec')
    checkInside(file, root, path)

    let real: string
    try {
      real = await realpath(path)
    } catch (err) {
      return fail(file, `cannot be read: ${ioReason(err, path, spec.cwd)}`)
    }
    realRoot ??= realpath(root).catch(() => root)
    const realFolder = await realRoot
    if (isOutside(realFolder, real)) fail(file, `leads through a symbolic link out of the spec's folder: ${under}`)
    checkInside(file, realFolder, real)
    try {
      if (!(await stat(real)).isFile()) return fail(file, 'is not a regular file')
      return await readFile(real)
    } catch (err) {
      if (err instanceof UserError) throw err
      return fail(file, `cannot be read: ${ioReason(err, path, spec.cwd)}`)
    }
  }

  /** System folders and hidden files or folders (.git holds the checkout's token, .env secrets). */
  const checkInside = (file: FileInfo, folder: string, path: string): void => {
    const system = SYSTEM_DIRS.find((dir) => path === dir || path.startsWith(`${dir}/`))
    if (system) fail(file, `points into ${system}: files of the machine are never read`)
    const hidden = relative(folder, path)
      .split(/[\\/]/)
      .find((segment) => segment.startsWith('.') && segment !== '.' && segment !== '..')
    if (hidden) fail(file, `points into the hidden ${hidden}: hidden files and folders are never read`)
  }

  const readRemote = async (file: FileInfo): Promise<Buffer> => {
    if (hasUrlCredentials(file.url) || hasUrlCredentials(file.reference ?? ''))
      fail(file, 'contains a user name or password: $refs are fetched without credentials')
    let url: URL
    try {
      url = new URL(file.url)
    } catch {
      return fail(file, `is not a URL: ${sameOrigin}`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(file, `is a ${url.protocol}// URL: ${sameOrigin}`)
    if (url.origin !== origin) fail(file, `points to another origin (${url.origin}): ${sameOrigin}`)
    for (let hop = 0; ; hop++) {
      // The time limit covers the answer and its body alike.
      const limit = deadline(FETCH_TIMEOUT_MS, aborter.signal)
      try {
        // A failure while connecting or while reading the body reads the same: one line naming the $ref.
        const unfetched = (err: unknown): never => {
          if (aborter.signal.aborted) throw new Error('cancelled')
          const e = err as Error & { cause?: { message?: string } }
          const why = e.name === 'TimeoutError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : firstLine(e.cause?.message ?? e.message)
          return fail(file, `could not be fetched: ${why}`)
        }
        const res = await fetch(url, { redirect: 'manual', signal: limit.signal }).catch(unfetched)
        const location = res.headers.get('location')
        if (res.status >= 300 && res.status < 400 && location !== null) {
          await res.body?.cancel()
          let next: URL
          try {
            next = new URL(location, url)
          } catch {
            return fail(file, `could not be fetched: HTTP ${res.status} redirects to an invalid URL`)
          }
          if (next.origin !== origin || hasUrlCredentials(next.href)) fail(file, `redirects to another origin (${next.origin}): ${sameOrigin}`)
          if (hop >= MAX_REDIRECTS) fail(file, `could not be fetched: more than ${MAX_REDIRECTS} redirects`)
          url = next
          continue
        }
        if (!res.ok) {
          await res.body?.cancel()
          fail(file, `could not be fetched: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`)
        }
        return Buffer.from(await res.arrayBuffer().catch(unfetched))
      } finally {
        limit.clear()
      }
    }
  }

  const resolver = {
    order: 1,
    canRead: true,
    read: (file: FileInfo) => (spec.isUrl ? readRemote(file) : readLocal(file)),
  }

  const parser = {
    order: 100,
    allowEmpty: true,
    canParse: PARSED_EXTENSIONS,
    parse(file: FileInfo): unknown {
      const text = Buffer.isBuffer(file.data) ? file.data.toString('utf8') : file.data
      if (typeof text !== 'string') return text
      if (text.trim() === '') return undefined
      try {
        return parseSpecText(text)
      } catch (err) {
        if (!(err instanceof MalformedTextError)) throw err
        // Files of other types are offered to the text and binary parsers next: not a failure yet.
        if (PARSED_EXTENSIONS.includes(file.extension)) {
          const at = err.line === undefined ? {} : { line: err.line, column: err.column }
          failure ??= new UserError(`malformed ${err.format}: ${err.reason}`, { file: displayTarget(file.url), ...at })
        }
        throw new Error(err.message)
      }
    },
  }

  return {
    options: {
      // file/http off: every external $ref goes through the one resolver above, whatever its scheme.
      resolve: { file: false, http: false, sandbox: resolver },
      parse: { json: false, yaml: false, spec: parser },
    },
    get failure() {
      return failure
    },
    close: () => aborter.abort(),
  }
}

/** The file path a resolved `$ref` names, or undefined for a URL of another scheme. */
function localPath(url: string): string | undefined {
  if (/^file:/i.test(url)) {
    try {
      return fileURLToPath(url)
    } catch {
      return undefined
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url)) return undefined
  return resolvePath(decodePath(url))
}

/** json-schema-ref-parser percent-encodes the paths it resolves; what is checked is what is read. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

function isOutside(folder: string, path: string): boolean {
  const rel = relative(folder, path)
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  if (rel === '') return '.'
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

function ioReason(err: unknown, path: string, cwd: string): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return `file not found (looked for ${displayPath(path, cwd)})`
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'ELOOP') return 'too many symbolic links'
  return code ?? 'unknown error'
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function shorten(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ')
  return flat.length > MAX_SHOWN_CHARS ? `${flat.slice(0, MAX_SHOWN_CHARS - 1)}…` : flat
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim()
}
