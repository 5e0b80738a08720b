/**
 * Existing k6 scripts (the `script` input) instead of generated ones: each script is run with real
 * k6, as written, and measured from k6's raw output while it runs (src/k6/stream-slis.ts), per
 * endpoint "METHOD name" from k6's own `method` and `name` tags. Groups, custom metrics, several
 * scenarios and the script's own thresholds all work as they do under plain `k6 run`.
 *
 * The result has the shape the rest of the pipeline reads (EndpointSli[] and RunSli, as
 * computeSlis returns them), so the verdict, the results file and the reports are unchanged.
 * Secrets reach k6 through its environment only, never its argv (k6Environment in src/k6/process.ts).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Config } from './config/schema.js'
import { UserError } from './errors.js'
import { splitList } from './list.js'
import { lastK6ErrorText, oneLineK6Message, type K6Outcome } from './k6/exit-codes.js'
import { inspectK6Script } from './k6/inspect.js'
import type { OutputTransport } from './k6/output-stream.js'
import { CANCELLED_REASON, runK6 } from './k6/run.js'
import { SliAggregator, type StreamSliOptions } from './k6/stream-slis.js'
import { mergeSloRules, type ResolvedSlo } from './plan/plan.js'
import { selectorKind } from './plan/selector.js'
import type { EndpointSli, RunSli } from './sli.js'
import type { ProfileCriterion } from './verdict.js'

// ---------------------------------------------------------------------------------------------
// Which scripts

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
        const body = segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')
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

function list(dir: string): import('node:fs').Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

// ---------------------------------------------------------------------------------------------
// Running them

export interface UserScriptsRequest {
  /** The k6 binary (from ensureK6). */
  k6Path: string
  /** The scripts, as resolveScripts returns them (absolute, or relative to cwd). */
  scripts: readonly string[]
  /** Variables the scripts read through __ENV (base URL, secrets): passed in k6's environment only. */
  env: Record<string, string>
  /** Where k6's raw output stream and per-script summaries go; created when missing. */
  workDir: string
  /** k6's working directory, and what script paths in messages are shown relative to. Default: process.cwd(). */
  cwd?: string
  /** k6's console output as it comes, for the live log. */
  onOutput?: (text: string) => void
  /** How k6's output is read while it runs. Default: a named pipe, a growing file on Windows. */
  transport?: OutputTransport
  /**
   * Also make k6's end-of-test summary carry p(99) and count (--summary-trend-stats), e.g. to
   * compare with the streamed SLIs. Default false: the script's own summary settings stand.
   */
  fullSummaryStats?: boolean
  /** See StreamSliOptions.maxEndpoints. Default 500. */
  maxEndpoints?: StreamSliOptions['maxEndpoints']
  /** Each script's wall-clock limit. Default: the longest k6 inspect says it can run, plus a margin. */
  timeLimitMs?: number
  /** Cancellation (see K6ProcessRequest). */
  signal?: AbortSignal
  urgent?: AbortSignal
}

export interface UserScriptRun {
  /** The script as given. */
  script: string
  exitCode: number | null
  outcome: K6Outcome
  /** One line for the user when the script did not run properly: "load/a.js:3:9: the script threw …". */
  error?: string
  wallTimeMs: number
  /** HTTP requests this script made. */
  requests: number
  /** k6's own end-of-test summary export (legacy format) for this script, where k6 wrote one. */
  summaryPath?: string
}

export interface UserScriptsResult {
  /** Per endpoint "METHOD name", sorted by key: the shape computeSlis returns. */
  slis: EndpointSli[]
  total: RunSli
  runs: UserScriptRun[]
  /** Set when any script did not run properly: the verdict is error (EvaluationInput.runError). */
  runError?: string
  /** Things to tell the user that do not stop the run (too many distinct URLs, unreadable lines). */
  warnings: string[]
  /** All scripts, start of the first to end of the last. */
  wallTimeMs: number
  /** Time the samples span, summed over the scripts: the rps denominator. */
  measuredMs: number
}

/** Trend statistics k6's summary carries with fullSummaryStats: every one an SLO can name, and count. */
const FULL_TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99),count'

/**
 * Checks every script with `k6 inspect` (nothing runs when one cannot be loaded), then runs each
 * with k6, one after the other, streaming k6's raw JSON output into one set of per-endpoint
 * histograms (an endpoint several scripts hit is one row). Every script runs even when an earlier
 * one failed, so one run reports every broken script; a cancelled run stops at the script it was in.
 */
export async function runUserScripts(request: UserScriptsRequest): Promise<UserScriptsResult> {
  const cwd = request.cwd ?? process.cwd()
  mkdirSync(request.workDir, { recursive: true })
  const aggregator = new SliAggregator({ maxEndpoints: request.maxEndpoints })
  const runs: UserScriptRun[] = []
  const started = Date.now()
  const checked = await inspectScripts(request, cwd)
  for (const [index, { script, scriptPath, timeLimitMs }] of (checked.ok ? checked.scripts : []).entries()) {
    if (request.signal?.aborted) break
    const stem = `${String(index + 1).padStart(2, '0')}-${path.basename(scriptPath).replace(/[^A-Za-z0-9._-]/g, '_')}`
    const summaryPath = path.join(request.workDir, `${stem}.summary.json`)
    rmSync(summaryPath, { force: true })
    const before = aggregator.requests
    const k6 = await runK6({
      k6Path: request.k6Path,
      scriptPath,
      summaryPath,
      cwd,
      env: request.env,
      onOutput: request.onOutput,
      rawOutput: { path: path.join(request.workDir, `${stem}.k6-output.json`), onChunk: (chunk) => aggregator.write(chunk), transport: request.transport },
      extraArgs: request.fullSummaryStats ? ['--summary-trend-stats', FULL_TREND_STATS] : [],
      timeLimitMs: request.timeLimitMs ?? timeLimitMs,
      signal: request.signal,
      urgent: request.urgent,
    })
    aggregator.endRun()
    const run: UserScriptRun = {
      script,
      exitCode: k6.exitCode,
      outcome: k6.outcome,
      wallTimeMs: k6.wallTimeMs,
      requests: aggregator.requests - before,
      ...(existsSync(summaryPath) ? { summaryPath } : {}),
    }
    if (!k6.outcome.ran) run.error = describeScriptFailure(k6.outcome.reason, k6.stderr, scriptPath, cwd)
    runs.push(run)
  }
  if (!checked.ok) runs.push(...checked.failed)
  const streamed = aggregator.result()
  const failures = runs.filter((r) => r.error !== undefined).map((r) => r.error!)
  const cancelled = request.signal?.aborted || runs.some((r) => !r.outcome.ran && r.outcome.reason === CANCELLED_REASON)
  const what = checked.ok ? 'did not run' : 'cannot be loaded by k6'
  return {
    slis: streamed.endpoints,
    total: streamed.total,
    runs,
    runError: cancelled
      ? CANCELLED_REASON
      : failures.length === 0
        ? undefined
        : failures.length === 1
          ? failures[0]
          : `${failures.length} of ${checked.ok ? runs.length : request.scripts.length} scripts ${what}: ${failures.join('; ')}`,
    warnings: streamed.warnings,
    wallTimeMs: Date.now() - started,
    measuredMs: streamed.measuredMs,
  }
}

type CheckedScripts =
  | { ok: true; scripts: Array<{ script: string; scriptPath: string; timeLimitMs: number }> }
  | { ok: false; failed: UserScriptRun[] }

/** `k6 inspect` of every script, with the environment it will run with: each one k6 cannot load is reported. */
async function inspectScripts(request: UserScriptsRequest, cwd: string): Promise<CheckedScripts> {
  const scripts: Array<{ script: string; scriptPath: string; timeLimitMs: number }> = []
  const failed: UserScriptRun[] = []
  for (const script of request.scripts) {
    if (request.signal?.aborted) break
    const scriptPath = path.resolve(cwd, script)
    const started = Date.now()
    const inspection = await inspectK6Script({ k6Path: request.k6Path, scriptPath, env: request.env, cwd, signal: request.signal, urgent: request.urgent })
    if (inspection.ok) {
      scripts.push({ script, scriptPath, timeLimitMs: inspection.timeLimitMs })
      continue
    }
    failed.push({
      script,
      exitCode: inspection.exitCode,
      outcome: { ran: false, reason: inspection.reason },
      error: inspection.reason === CANCELLED_REASON ? undefined : describeScriptFailure(inspection.reason, inspection.stderr, scriptPath, cwd),
      wallTimeMs: Date.now() - started,
      requests: 0,
    })
  }
  return failed.length > 0 ? { ok: false, failed } : { ok: true, scripts }
}

// ---------------------------------------------------------------------------------------------
// Saying what went wrong

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

// ---------------------------------------------------------------------------------------------
// SLOs for endpoints found in the output

/**
 * The SLO of each endpoint a user script hit, from the config's rules, for evaluateSlos. With no
 * spec there are no tags or operation ids, so a rule matches by "*", by "METHOD name" or by the
 * name alone ("/products/{id}"); where the name is a URL (a request without a name tag) its path
 * matches too, so "GET /health" covers "GET http://127.0.0.1:8080/health". For each limit the most
 * specific rule wins, as in resolveSlo. `unmatched` lists rules that covered no endpoint.
 */
export function resolveUserScriptSlos(
  slis: readonly Pick<EndpointSli, 'endpoint' | 'method'>[],
  rules: Config['slos'],
): { slos: Map<string, ResolvedSlo>; unmatched: string[] } {
  const used = new Set<number>()
  const slos = new Map<string, ResolvedSlo>()
  for (const sli of slis) {
    const name = sli.method && sli.endpoint.startsWith(`${sli.method} `) ? sli.endpoint.slice(sli.method.length + 1) : sli.endpoint
    const names = [name, urlPath(name)].filter((n): n is string => n !== undefined)
    const slo = mergeSloRules(rules, (rule, index) => {
      const hit = ruleMatches(rule.selector, sli.method, names)
      if (hit) used.add(index)
      return hit
    })
    slos.set(sli.endpoint, slo)
  }
  const unmatched = rules.filter((_, index) => !used.has(index)).map((rule) => rule.selector)
  return { slos, unmatched }
}

function ruleMatches(selector: string, method: string, names: readonly string[]): boolean {
  const s = selector.trim()
  switch (selectorKind(s)) {
    case 'all':
      return true
    case 'path':
      return names.includes(s)
    case 'operation': {
      const [selMethod, ...rest] = s.split(/\s+/)
      return selMethod!.toUpperCase() === method && names.includes(rest.join(' '))
    }
    default:
      return false // tag: and operationId: need a spec
  }
}

function urlPath(name: string): string | undefined {
  if (!/^https?:\/\//i.test(name)) return undefined
  try {
    const url = new URL(name)
    return `${url.pathname}${url.search}`
  } catch {
    return undefined
  }
}

/**
 * One k6 exit code for the results file's k6_exit_code: the first script that did not run properly,
 * else that of the first script k6 judged failed (99 thresholds, 110 exec.test.fail()), else 0.
 */
export function combinedExitCode(runs: readonly Pick<UserScriptRun, 'exitCode' | 'outcome'>[]): number | null {
  const failed = runs.find((r) => !r.outcome.ran)
  if (failed) return failed.exitCode
  return runs.find((r) => r.outcome.ran && r.outcome.failed !== false)?.exitCode ?? 0
}

/**
 * The scripts' own judgement as criteria beside the SLOs: a script whose thresholds were crossed
 * (exit 99) or that called exec.test.fail() (exit 110) ran, and failed.
 */
export function scriptJudgements(runs: readonly Pick<UserScriptRun, 'script' | 'outcome'>[]): ProfileCriterion[] {
  return runs.flatMap((r) => {
    if (!r.outcome.ran || r.outcome.failed === false) return []
    const why = r.outcome.failed === 'thresholds' ? "the script's own thresholds were crossed" : 'the script marked the test as failed (exec.test.fail())'
    return [{ status: 'fail' as const, reason: `${r.script}: ${why}` }]
  })
}
