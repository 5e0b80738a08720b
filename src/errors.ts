/**
 * An error the user can act on: one line, naming the file and line where there is one.
 * Anything else that escapes a stage is a bug in Perf-Xi and is reported as such.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly location?: { file: string; line?: number; column?: number },
  ) {
    super(message)
    this.name = 'UserError'
  }

  /** "file:line: message", or the bare message when there is no file. */
  toString(): string {
    if (!this.location) return this.message
    const { file, line, column } = this.location
    const where = line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`
    return `${where}: ${this.message}`
  }
}

/** One line for the user, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) return err.toString()
  // A file error no stage wrapped still names its path, in words rather than "EACCES: ...".
  const { code, path, syscall } = (err ?? {}) as NodeJS.ErrnoException
  if (typeof code === 'string' && typeof path === 'string') return `cannot ${syscall ?? 'use'} ${path}: ${fsReason(err)}`
  if (err instanceof Error) return `${err.name === 'Error' ? 'unexpected error' : err.name}: ${firstLine(err.message)}`
  return `unexpected error: ${String(err)}`
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')
  return line?.trim() ?? text
}

/** Why a file operation failed, in words, from Node's error code. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'ENOENT':
      return 'it does not exist'
    case 'EISDIR':
      return 'it is a folder, not a file'
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'the file system is read-only'
    case 'ENOSPC':
      return 'the disk is full'
    case 'EEXIST':
      return 'a file of that name is in the way'
    case 'ENAMETOOLONG':
      return 'the path is too long'
    default:
      return code ?? (err instanceof Error ? err.message.split('\n')[0] : String(err))
  }
}
