/**
 * Which of the user's k6 scripts the `script` input names (paths and globs), resolved once with
 * the config so every problem is reported before anything runs (src/user-scripts/run.ts runs them).
 */
import { readdirSync, statSync, type Dirent } from 'node:fs'
import path from 'node:path'
import { UserError } from './errors.js'
import { splitList } from './list.js'

/** The `script` input: one path or glob per line or comma, e.g. "load/*.js" or "load/a.js, load/b.js". */
export function parseScriptInput(value: string): string[] {
  return splitList(value)
}

/**
 * Paths and globs → the script files, absolute, sorted within each pattern, each once.
 * Glob syntax: `*` and `?` within one path segment, `[abc]` character classes, `**` for any number
 * of directories. Like a shell, wildcards do not match names starting with a dot.
 * Every pattern that names no file is reported in one UserError line.
 */
export function resolveScripts(patterns: readonly string[], cwd: string): string[] {
  const found: string[] = []
  const problems: string[] = []
  if (patterns.length === 0) throw new UserError('script: no script named (give a path or a glob such as load/*.js)')
  for (const pattern of patterns) {
    if (!hasGlob(pattern)) {
      const file = path.resolve(cwd, pattern)
      const kind = statKind(file)
      if (kind === 'file') found.push(file)
      else problems.push(kind === 'dir' ? `${pattern} is a directory (name the scripts, e.g. ${path.posix.join(pattern, '*.js')})` : `${pattern}: no such file`)
      continue
    }
    const matches = globFiles(pattern, cwd)
    if (matches.length === 0) problems.push(`${pattern} matches no file`)
    found.push(...matches)
  }
  if (problems.length > 0) throw new UserError(`script: ${problems.join('; ')} (paths are relative to ${cwd})`)
  return [...new Set(found)]
}

function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern)
}

function statKind(file: string): 'file' | 'dir' | 'none' {
  try {
    const stat = statSync(file)
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'none'
  } catch {
    return 'none'
  }
}

function globFiles(pattern: string, cwd: string): string[] {
  const normalized = pattern.replace(/\\/g, '/')
  const absolute = path.posix.isAbsolute(normalized) || /^[A-Za-z]:\//.test(normalized)
  const segments = normalized.split('/').filter((s, i) => s !== '' || i === 0)
  // The literal directories before the first wildcard are where the walk starts.
  let base = absolute ? (segments[0] === '' ? '/' : `${segments[0]}/`) : cwd
  let rest = absolute ? segments.slice(1) : segments
  while (rest.length > 1 && !hasGlob(rest[0]!)) {
    base = path.join(base, rest[0]!)
    rest = rest.slice(1)
  }
  const out: string[] = []
  walk(base, rest.map(segmentMatcher), out)
  return [...new Set(out)].sort()
}

type SegmentMatcher = { globstar: true } | { globstar: false; literal?: string; re?: RegExp; dotOk: boolean }

function segmentMatcher(segment: string): SegmentMatcher {
  if (segment === '**') return { globstar: true }
  if (!hasGlob(segment)) return { globstar: false, literal: segment, dotOk: true }
  let source = ''
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!
    if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2)
      if (close === -1) source += '\\['
      else {
        const body = segment
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')
        source += `[${body}]`
        i = close
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&')
  }
  return { globstar: false, re: new RegExp(`^${source}$`), dotOk: segment.startsWith('.') }
}

function walk(dir: string, matchers: readonly SegmentMatcher[], out: string[]): void {
  const [head, ...tail] = matchers
  if (head === undefined) return
  if (head.globstar) {
    if (tail.length === 0) {
      // A trailing ** matches every file below.
      for (const entry of list(dir)) if (entry.isFile() && !entry.name.startsWith('.')) out.push(path.join(dir, entry.name))
    } else walk(dir, tail, out) // ** matches no directory at all, too
    for (const entry of list(dir)) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') walk(path.join(dir, entry.name), matchers, out)
    }
    return
  }
  if (head.literal !== undefined) {
    const next = path.join(dir, head.literal)
    if (tail.length === 0) {
      if (statKind(next) === 'file') out.push(next)
    } else walk(next, tail, out)
    return
  }
  for (const entry of list(dir)) {
    if (entry.name.startsWith('.') && !head.dotOk) continue
    if (!head.re!.test(entry.name)) continue
    const next = path.join(dir, entry.name)
    const kind = entry.isSymbolicLink() ? statKind(next) : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'none'
    if (tail.length === 0) {
      if (kind === 'file') out.push(next)
    } else if (kind === 'dir') walk(next, tail, out)
  }
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}
