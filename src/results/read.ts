/** Reading a results file another run wrote (mode comment reads one from an untrusted run). */
import { UserError } from '../errors.js'
import { readUserTextFile } from '../files.js'
import { ResultsFileSchema, type ResultsFile } from './schema.js'

/**
 * A results file written by a run (mode comment reads one from an untrusted run): one line naming
 * the file and the first field that is wrong, never a raw parser or schema dump.
 */
export function readResultsFile(file: string): ResultsFile {
  const text = readUserTextFile(file, 'input results-file')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new UserError(`not a Perf-Xi results file: invalid JSON (${(err as Error).message})`, { file })
  }
  const parsed = ResultsFileSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(the whole file)'
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem${parsed.error.issues.length === 2 ? '' : 's'})` : ''
  throw new UserError(`not a Perf-Xi results file: ${field}: ${issue.message.replace(/^Invalid input: /, '')}${more}`, { file })
}
