/** Reading a spec: the file or URL as text, parsed, and its OpenAPI/Swagger version checked. */
import { readFile } from 'node:fs/promises'
import { resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UserError } from '../errors.js'
import { hasUrlCredentials, withoutUrlCredentials } from '../url-credentials.js'
import { isObject, locate, oneLine, type Family, type Source } from './document.js'
import { MalformedTextError, parseSpecText } from './parse-text.js'

export interface LoadSpecOptions {
  /** Directory a relative file path is resolved against. Default: `process.cwd()`. */
  cwd?: string
  /** How long fetching a URL may take, in milliseconds. Default: 30000. */
  fetchTimeoutMs?: number
}

const SUPPORTED_OPENAPI = /^3\.(0\.[0-4]|1\.[0-2])$/

export async function readSource(source: string, opts: LoadSpecOptions): Promise<Source> {
  const cwd = opts.cwd ?? process.cwd()
  if (/^https?:\/\//i.test(source)) {
    if (hasUrlCredentials(source)) {
      throw new UserError('the OpenAPI URL must not contain a user name or password (they would be written to the results and the logs)', {
        file: withoutUrlCredentials(source),
      })
    }
    return { name: source, location: source, isUrl: true, text: await fetchText(source, opts.fetchTimeoutMs ?? 30_000), cwd }
  }
  let path: string
  try {
    path = source.startsWith('file:') ? fileURLToPath(source) : resolvePath(cwd, source)
  } catch (err) {
    throw new UserError(`not a usable file URL: ${oneLine((err as Error).message)}`, { file: source })
  }
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const where = path === source ? '' : ` (looked for ${path})`
    if (code === 'ENOENT') throw new UserError(`file not found${where}`, { file: source })
    if (code === 'EISDIR') throw new UserError('is a directory; give the path of the OpenAPI file itself', { file: source })
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`permission denied${where}`, { file: source })
    throw new UserError(`cannot read the file: ${oneLine((err as Error).message)}`, { file: source })
  }
  return { name: source, location: path, isUrl: false, text, cwd }
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  const fail = (reason: string): UserError => new UserError(`cannot fetch the OpenAPI document: ${reason}`, { file: url })
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' },
    })
    if (!res.ok) throw fail(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`)
    return await res.text()
  } catch (err) {
    if (err instanceof UserError) throw err
    const e = err as Error & { cause?: { message?: string; code?: string } }
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw fail(`no answer within ${timeoutMs / 1000} s`)
    throw fail(oneLine(e.cause?.message ?? e.message))
  }
}

export function parseText(src: Source): unknown {
  if (src.text.trim() === '') throw new UserError('the file is empty', { file: src.name })
  try {
    return parseSpecText(src.text)
  } catch (err) {
    if (!(err instanceof MalformedTextError)) throw err
    const at = err.line === undefined ? {} : { line: err.line, column: err.column }
    throw new UserError(`malformed ${err.format}: ${err.reason}`, { file: src.name, ...at })
  }
}

export function detectVersion(doc: unknown, src: Source): { family: Family; specVersion: string } {
  if (!isObject(doc) || (!('openapi' in doc) && !('swagger' in doc))) {
    throw new UserError("not an OpenAPI or Swagger document (no 'openapi' or 'swagger' field)", { file: src.name })
  }
  const field = 'openapi' in doc ? 'openapi' : 'swagger'
  const value = doc[field]
  const fail = (message: string): never => {
    throw new UserError(message, locate(src, [field]))
  }
  if (typeof value === 'number')
    fail(`the '${field}' field must be a string (write '${field}: "${field === 'swagger' ? '2.0' : '3.0.3'}"' with quotes), not the number ${value}`)
  if (field === 'swagger') {
    if (value !== '2.0') fail(`unsupported Swagger version '${String(value)}' (Perf-Xi reads Swagger 2.0 and OpenAPI 3.0.x, 3.1.x)`)
    return { family: '2.0', specVersion: '2.0' }
  }
  if (typeof value !== 'string' || !SUPPORTED_OPENAPI.test(value)) {
    fail(`unsupported OpenAPI version '${String(value)}' (Perf-Xi reads Swagger 2.0 and OpenAPI 3.0.0-3.0.4, 3.1.0-3.1.2)`)
  }
  return { family: (value as string).startsWith('3.1') ? '3.1' : '3.0', specVersion: value as string }
}
