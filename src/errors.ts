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
  if (err instanceof Error) return `${err.name === 'Error' ? 'unexpected error' : err.name}: ${firstLine(err.message)}`
  return `unexpected error: ${String(err)}`
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')
  return line?.trim() ?? text
}
