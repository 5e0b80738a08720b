/** The `script` input: paths and globs → script files (real temp directories). */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { UserError } from '../src/errors.js'
import { parseScriptInput, resolveScripts } from '../src/script-files.js'
import { tempDir } from './support/temp-dirs.js'

const workspace = tempDir('perf-xi-scripts-')
for (const file of [
  'load/checkout.js',
  'load/search.js',
  'load/README.md',
  'load/.draft.js',
  'load/smoke/health.js',
  'load/smoke/deep/ping.js',
  'other/a1.js',
  'other/b2.js',
]) {
  mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
  writeFileSync(path.join(workspace, file), '// k6 script\n')
}

function resolved(patterns: string[]): string[] {
  return resolveScripts(patterns, workspace).map((file) => path.relative(workspace, file).split(path.sep).join('/'))
}

function problem(patterns: string[]): string {
  try {
    resolveScripts(patterns, workspace)
  } catch (err) {
    expect(err).toBeInstanceOf(UserError)
    return (err as UserError).toString()
  }
  throw new Error('resolveScripts did not throw')
}

describe('parseScriptInput', () => {
  it.each([
    { what: 'one glob', input: 'load/*.js', expected: ['load/*.js'] },
    { what: 'comma-separated, trimmed', input: ' load/a.js, load/b.js ', expected: ['load/a.js', 'load/b.js'] },
    { what: 'one per line, blank lines dropped', input: 'load/a.js\nload/smoke/*.js\n\n', expected: ['load/a.js', 'load/smoke/*.js'] },
    { what: 'empty', input: '', expected: [] },
  ])('$what', ({ input, expected }) => {
    expect(parseScriptInput(input)).toEqual(expected)
  })
})

describe('resolveScripts', () => {
  it.each([
    { what: 'one file', patterns: ['load/checkout.js'], expected: ['load/checkout.js'] },
    { what: '* in one directory (not dotfiles, not other extensions)', patterns: ['load/*.js'], expected: ['load/checkout.js', 'load/search.js'] },
    {
      what: '** through every level',
      patterns: ['load/**/*.js'],
      expected: ['load/checkout.js', 'load/search.js', 'load/smoke/deep/ping.js', 'load/smoke/health.js'],
    },
    { what: '? and a character class', patterns: ['other/[ab]?.js'], expected: ['other/a1.js', 'other/b2.js'] },
    { what: 'a trailing ** (every file below, not dotfiles)', patterns: ['load/smoke/**'], expected: ['load/smoke/deep/ping.js', 'load/smoke/health.js'] },
    { what: 'a dotfile named on purpose', patterns: ['load/.draft.js'], expected: ['load/.draft.js'] },
    {
      what: 'several patterns, each file once, in the order given',
      patterns: ['load/search.js', 'load/*.js'],
      expected: ['load/search.js', 'load/checkout.js'],
    },
    { what: 'an absolute glob', patterns: [path.join(workspace, 'other', '*.js')], expected: ['other/a1.js', 'other/b2.js'] },
  ])('$what', ({ patterns, expected }) => {
    expect(resolved(patterns)).toEqual(expected)
  })

  it('reports every missing script in one line, relative to the workspace', () => {
    expect(problem(['load/checkout.js', 'load/missing.js', 'perf/*.js', 'load'])).toBe(
      `script: load/missing.js: no such file; perf/*.js matches no file; load is a directory (name the scripts, e.g. load/*.js) (paths are relative to ${workspace})`,
    )
  })

  it('asks for a script when none is named', () => {
    expect(problem([])).toBe('script: no script named (give a path or a glob such as load/*.js)')
  })
})
