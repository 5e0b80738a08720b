/**
 * The `script` input: paths and globs → script files (real temp directories), and the SLO rules
 * that apply to endpoints found in k6's output.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { SloRule } from '../../src/config/schema.js'
import { UserError } from '../../src/errors.js'
import { combinedExitCode, parseScriptInput, resolveScripts, resolveUserScriptSlos } from '../../src/user-scripts.js'
import { tempDir } from '../support/temp-dirs.js'

const workspace = tempDir('perf-xi-scripts-')
for (const file of ['load/checkout.js', 'load/search.js', 'load/README.md', 'load/.draft.js', 'load/smoke/health.js', 'load/smoke/deep/ping.js', 'other/a1.js', 'other/b2.js']) {
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
    { what: '** through every level', patterns: ['load/**/*.js'], expected: ['load/checkout.js', 'load/search.js', 'load/smoke/deep/ping.js', 'load/smoke/health.js'] },
    { what: '? and a character class', patterns: ['other/[ab]?.js'], expected: ['other/a1.js', 'other/b2.js'] },
    { what: 'a trailing ** (every file below, not dotfiles)', patterns: ['load/smoke/**'], expected: ['load/smoke/deep/ping.js', 'load/smoke/health.js'] },
    { what: 'a dotfile named on purpose', patterns: ['load/.draft.js'], expected: ['load/.draft.js'] },
    { what: 'several patterns, each file once, in the order given', patterns: ['load/search.js', 'load/*.js'], expected: ['load/search.js', 'load/checkout.js'] },
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

describe('resolveUserScriptSlos', () => {
  const rule = (selector: string, limits: SloRule['limits'], line: number): SloRule => ({ selector, limits, line })
  const rules = [
    rule('*', { p95: 1000, 'error-rate': 1 }, 2),
    rule('GET /products/{id}', { p95: 300 }, 5),
    rule('/health', { p99: 50 }, 7),
    rule('tag:catalog', { p50: 10 }, 9),
    rule('POST http://127.0.0.1:8080/orders', { max: 2000 }, 11),
  ]
  const slis = [
    { endpoint: 'GET /products/{id}', method: 'GET' },
    { endpoint: 'GET http://127.0.0.1:8080/health', method: 'GET' },
    { endpoint: 'POST http://127.0.0.1:8080/orders', method: 'POST' },
    { endpoint: 'GET ${}/products/${}', method: 'GET' },
  ]
  const { slos, unmatched } = resolveUserScriptSlos(slis, rules)

  it.each([
    { endpoint: 'GET /products/{id}', limits: { p95: 300, 'error-rate': 1 }, p95From: 'GET /products/{id}' },
    { endpoint: 'GET http://127.0.0.1:8080/health', limits: { p95: 1000, 'error-rate': 1, p99: 50 }, p95From: '*' },
    { endpoint: 'POST http://127.0.0.1:8080/orders', limits: { p95: 1000, 'error-rate': 1, max: 2000 }, p95From: '*' },
    { endpoint: 'GET ${}/products/${}', limits: { p95: 1000, 'error-rate': 1 }, p95From: '*' },
  ])('$endpoint', ({ endpoint, limits, p95From }) => {
    expect(slos.get(endpoint)!.limits).toEqual(limits)
    expect(slos.get(endpoint)!.sources.p95?.selector).toBe(p95From)
  })

  it('names the rules that matched nothing (tags and operation ids need a spec)', () => {
    expect(unmatched).toEqual(['tag:catalog'])
  })
})

describe('combinedExitCode', () => {
  const ok = { exitCode: 0, outcome: { ran: true as const, failed: false as const } }
  const crossed = { exitCode: 99, outcome: { ran: true as const, failed: 'thresholds' as const } }
  const markedFailed = { exitCode: 110, outcome: { ran: true as const, failed: 'marked-failed' as const } }
  const threw = { exitCode: 107, outcome: { ran: false as const, reason: 'the script threw an exception (exit code 107)' } }
  it.each([
    { what: 'all ran', runs: [ok, ok], expected: 0 },
    { what: "a script's own thresholds crossed", runs: [ok, crossed], expected: 99 },
    { what: 'a script called exec.test.fail()', runs: [ok, markedFailed, crossed], expected: 110 },
    { what: 'one did not run', runs: [crossed, threw, ok], expected: 107 },
    { what: 'no scripts', runs: [], expected: 0 },
  ])('$what → $expected', ({ runs, expected }) => {
    expect(combinedExitCode(runs)).toBe(expected)
  })
})
