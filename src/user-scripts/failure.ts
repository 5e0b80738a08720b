/** A user script that failed, in one line: its file:line:column, the outcome's reason and k6's message. */
import path from 'node:path'
import { lastK6ErrorText, oneLineK6Message } from '../k6/exit-codes.js'

/**
 * One line: where (file:line:column, from k6's stack trace or syntax error, else the script), what
 * went wrong (the outcome's reason) and k6's own message, shortened. For example
 *   load/checkout.js:12:9: the script threw an exception (exit code 107): Error: BASE_URL is not set
 */
export function describeScriptFailure(reason: string, stderr: string, scriptPath: string, cwd: string): string {
  const message = lastK6ErrorText(stderr)
  const where = errorLocation(message ?? '', cwd) ?? displayPath(scriptPath, cwd)
  // The outcome's reason ends with k6's whole message; the user reads the concise form.
  const full = message === undefined ? undefined : oneLineK6Message(message)
  const meaning = full !== undefined && reason.endsWith(`: ${full}`) ? reason.slice(0, -full.length - 2) : reason
  const detail = message === undefined ? undefined : conciseK6Message(message)
  return detail ? `${where}: ${meaning}: ${detail}` : `${where}: ${meaning}`
}

/** The first file:line[:column] k6's message points at: a stack frame, or a syntax error's position. */
function errorLocation(message: string, cwd: string): string | undefined {
  const frame = /file:\/\/(\/?[^\s()]+?):(\d+):(\d+)/.exec(message)
  if (frame) return `${displayPath(fileUrlPath(frame[1]!), cwd)}:${frame[2]}:${frame[3]}`
  const syntax = /file:\/\/(\/?[^\s()]+?): Line (\d+):(\d+)/.exec(message)
  if (syntax) return `${displayPath(fileUrlPath(syntax[1]!), cwd)}:${syntax[2]}:${syntax[3]}`
  return undefined
}

/** k6's message without its stack trace, wrappers ("could not initialize …") or Docker advice. */
function conciseK6Message(message: string): string {
  let text = oneLineK6Message(message)
  // "could not initialize 'x.js': could not load JS test 'file:///…/x.js': file:///…/x.js: Line 2:71 Unexpected token }"
  const syntax = /file:\/\/\S+?: Line \d+:\d+ (.*)$/.exec(text)
  if (syntax) return syntax[1]!
  text = text.replace(/^could not initialize '[^']*': /, '').replace(/^could not load JS test '[^']*': /, '')
  // The module-not-found message goes on about Docker volumes after its first sentence.
  const moduleNotFound = /^(The moduleSpecifier .*? couldn't be found on local disk\.)/.exec(text)
  return moduleNotFound ? moduleNotFound[1]! : text
}

function fileUrlPath(urlPath: string): string {
  const decoded = decodeURIComponent(urlPath)
  return /^\/[A-Za-z]:\//.test(decoded) ? decoded.slice(1) : decoded
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file
}
