/**
 * The user's files and folders, read and checked so that a bad path is one line naming it: a
 * folder where a file belongs, a file that cannot be read, text that is not UTF-8, a place
 * where nothing can be written. Node's own errors ("EISDIR: illegal operation on a directory,
 * read") name neither the path nor the setting, so they never reach the user unwrapped.
 */
import { accessSync, constants, mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { fsReason, UserError } from './errors.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * A text file the user named (`what` says which setting, e.g. "input config"), decoded as UTF-8.
 * Throws a UserError naming `shown` (the path as the user wrote it) for a folder, an unreadable
 * file or bytes that are not UTF-8 (a UTF-16 or Latin-1 file would otherwise be read as garbage).
 */
export function readUserTextFile(absPath: string, what: string, shown: string = absPath): string {
  let bytes: Buffer
  try {
    if (statSync(absPath).isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' })
    bytes = readFileSync(absPath)
  } catch (err) {
    throw new UserError(`${what}: cannot read ${shown}: ${fsReason(err)}`)
  }
  try {
    return utf8.decode(bytes)
  } catch {
    const bad = firstInvalidUtf8Line(bytes)
    throw new UserError(`${what}: ${shown} is not UTF-8 text (line ${bad}); save it as UTF-8`)
  }
}

function firstInvalidUtf8Line(bytes: Buffer): number {
  let line = 1
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        utf8.decode(bytes.subarray(start, i))
      } catch {
        return line
      }
      line++
      start = i + 1
    }
  }
  return line
}

/**
 * Creates `dir` if needed and proves a file can be written in it, before any load starts.
 * `what` names the setting ("input results-file", "--out-dir"). The folders are made one level at
 * a time: Node's recursive mkdir never returns for some paths (under /proc).
 */
export function ensureWritableDir(dir: string, what: string): { created: string[] } {
  const abs = path.resolve(dir)
  try {
    const created = makeDirs(abs)
    const probe = path.join(abs, `.perf-xi-write-check-${process.pid}-${Math.random().toString(36).slice(2)}`)
    closeSync(openSync(probe, 'wx'))
    rmSync(probe, { force: true })
    return { created }
  } catch (err) {
    throw new UserError(`${what}: cannot write in ${abs}: ${fsReason(err)}`)
  }
}

/** A file this run will (over)write: an existing one must be a writable file, a new one a writable place. */
export function ensureWritableFile(file: string, what: string): { created: string[] } {
  const abs = path.resolve(file)
  let exists = true
  try {
    if (statSync(abs).isDirectory()) throw new UserError(`${what}: cannot write ${abs}: it is a folder, not a file`)
  } catch (err) {
    if (err instanceof UserError) throw err
    exists = false
  }
  if (!exists) return ensureWritableDir(path.dirname(abs), what)
  try {
    accessSync(abs, constants.W_OK)
  } catch (err) {
    throw new UserError(`${what}: cannot write ${abs}: ${fsReason(err)}`)
  }
  return ensureWritableDir(path.dirname(abs), what)
}

/** Makes `abs` and any missing parents; returns the folders it made, outermost first. */
function makeDirs(abs: string): string[] {
  const missing: string[] = []
  let current = abs
  for (;;) {
    try {
      if (!statSync(current).isDirectory())
        throw current === abs ? new Error('it is a file, not a folder') : Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' })
      break
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') throw err
      missing.unshift(current)
      const parent = path.dirname(current)
      if (parent === current) throw err
      current = parent
    }
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`the folder ${dir} cannot be created`)
      throw err
    }
  }
  return missing
}
