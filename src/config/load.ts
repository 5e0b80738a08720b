/**
 * Inputs stage: action inputs and the YAML config file → one validated, frozen Config.
 * Every problem is collected and reported at once, each naming the input or file:line,
 * the bad value and what is allowed, so a user fixes everything in one push.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml'
import type { z } from 'zod'
import { UserError } from '../errors.js'
import { readUserTextFile } from '../files.js'
import { splitList } from '../list.js'
import { hasUrlCredentials } from '../url-credentials.js'
import { K6_VERSION } from '../k6-version.js'
import { BaselineConfigSchema } from '../baseline/config.js'
import { resolveProfileConfig } from '../plan/profile-config.js'
import { resolvePhaseLimits } from '../plan/phase-config.js'
import { resolveDriftSettings } from '../verdict/drift-config.js'
import { ENDPOINT_CATEGORIES as CATEGORY_NAMES } from '../results/schema.js'
import { aboveMaximum, MAX_TEST_DURATION_MS } from '../plan/run-bounds.js'
import { parseScriptInput, resolveScripts } from '../script-files.js'
import { webhookUrlProblem } from '../webhook-url.js'
import { AI_CONTEXTS, DEFAULT_AI_CONTEXT, DEFAULT_MODEL } from '../analyst/config.js'
import { ConfigFileSchema, DEFAULTS, EXPORT_FORMATS, FAIL_ON, type Config, type ConfigFile, type SloRule } from './schema.js'
import { ALL_PROFILE_NAMES } from '../plan/profiles.js'
import { parseDuration } from '../duration.js'
import { resolveCapacitySettings } from '../capacity/config.js'
import { parseShard } from '../shards/shard.js'
import { resolveCloudSettings } from '../cloud/config.js'

/** A sharded run cannot stop k6 at an SLO, as the breakpoint profile does: its thresholds are judged after the merge. */
const UNSHARDED_PROFILES: ReadonlySet<string> = new Set(['breakpoint'])

/** Profiles judged from k6's samples over time (stress, spike) or its summary (breakpoint): runner cloud reads neither. */
const CLOUD_UNJUDGED_PROFILES: ReadonlySet<string> = new Set(['stress', 'spike', 'breakpoint'])

/** The action's inputs, by the names action.yml declares. Empty string means "not set", as on GitHub. */
export const INPUT_NAMES = [
  'openapi',
  'base-url',
  'config',
  'profile',
  'vus',
  'duration',
  'include',
  'exclude',
  'allow-writes',
  'k6-version',
  'fail-on',
  'results-file',
  'comment',
  'github-token',
  'webhook-url',
  'webhook-secret',
  'webhook-required',
  'allowed-hosts',
  'format',
  'script',
  'script-env',
  'target-rps',
  'target-p95',
  'replicas',
  'replica-cost',
  'anthropic-api-key',
  'anthropic-model',
  'ai-context',
  'shard',
  'shard-wait',
  'html-report',
  'runner',
] as const
export type InputName = (typeof INPUT_NAMES)[number]
export type RawInputs = Partial<Record<InputName, string>>

/** All configuration problems at once; each entry is one line for the user. */
export class ConfigError extends UserError {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} configuration problems:\n${problems.map((p) => `  ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export interface ResolveOptions {
  /** Where relative paths (spec, config file, results) are resolved: the workspace. */
  cwd: string
  /** capacity: the capacity inputs and the config's capacity block are required and checked. */
  mode?: 'gate' | 'capacity'
  /** The job's environment, read only for what the cloud runners need (a token, a project and a stack); default none. */
  env?: Readonly<Record<string, string | undefined>>
  /** false where nothing runs (plan, recommend-slos): the cloud runners' token, project and stack are not asked for. Default true. */
  runs?: boolean
}

export function resolveConfig(inputs: RawInputs, opts: ResolveOptions): Config {
  const problems: string[] = []
  const input = (name: InputName): string | undefined => {
    const value = inputs[name]?.trim()
    return value ? value : undefined
  }

  const configPath = input('config') ?? DEFAULTS.configFile
  const absConfigPath = path.resolve(opts.cwd, configPath)
  let file: ConfigFile = {}
  let sloLines: ParsedConfigFile['sloLines'] = {}
  // What the config file says about openapi and script, even when it failed validation: a broken
  // file must not add "openapi: required" to its own problems. Unknown when it could not be read.
  let fileNames: { openapi: boolean; script: boolean } | 'unknown' = { openapi: false, script: false }
  let keyLines: ParsedConfigFile['keyLines'] = {}
  if (existsSync(absConfigPath)) {
    try {
      const parsed = parseConfigFile(readUserTextFile(absConfigPath, 'input config', configPath), configPath)
      problems.push(...parsed.problems)
      file = parsed.file
      sloLines = parsed.sloLines
      fileNames = parsed.names
      keyLines = parsed.keyLines
    } catch (err) {
      if (!(err instanceof UserError)) throw err
      problems.push(err.message)
      fileNames = 'unknown'
    }
  } else if (input('config') && path.resolve(opts.cwd, DEFAULTS.configFile) !== absConfigPath) {
    // The runner passes action.yml's default for config on every run, so only a path that differs
    // from it was named by the user; the default path missing means "inputs only".
    problems.push(`input config: file ${configPath} does not exist`)
  }

  const openapi = input('openapi') ?? file.openapi
  if (openapi && /^https?:/i.test(openapi) && hasUrlCredentials(openapi)) {
    // The spec's URL is written into the results: no secret may ride in it either.
    problems.push('openapi: must not contain a user name or password (they would be written to the results and the logs); read the spec from a file instead')
  }
  const scriptInput = input('script') ?? (Array.isArray(file.script) ? file.script.join('\n') : file.script)
  let scripts: string[] | undefined
  if (scriptInput) {
    if (openapi) problems.push('input script: set either openapi (generated tests) or script (your own k6 scripts), not both')
    try {
      scripts = resolveScripts(parseScriptInput(scriptInput), opts.cwd)
    } catch (err) {
      problems.push(`input script: ${err instanceof UserError ? err.toString() : String(err)}`)
    }
  } else if (!openapi && !(fileNames === 'unknown' || fileNames.openapi || fileNames.script)) {
    problems.push(
      `input openapi: required (a path or URL of an OpenAPI 2.0/3.0/3.1 description), or set openapi in ${configPath}; or run your own k6 scripts with script`,
    )
  }
  const scriptEnv = [...splitList(input('script-env')), ...(file['script-env'] ?? [])]
  for (const name of scriptEnv.filter((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)))
    problems.push(`input script-env: ${JSON.stringify(name)} is not the name of an environment variable`)

  const profile = oneOf('profile', input('profile'), ALL_PROFILE_NAMES, problems) ?? file.profile ?? DEFAULTS.profile
  const failOn = oneOf('fail-on', input('fail-on'), FAIL_ON, problems) ?? file['fail-on'] ?? DEFAULTS.failOn
  const format = oneOf('format', input('format'), EXPORT_FORMATS, problems) ?? file.format ?? 'k6'
  const vus = positiveInt('vus', input('vus'), problems) ?? file.vus
  const durationMs = durationInput('duration', input('duration'), problems) ?? file.duration
  const allowWrites = booleanInput('allow-writes', input('allow-writes'), problems) ?? file['allow-writes'] ?? false
  const maxVus = file['max-vus'] ?? DEFAULTS.maxVus
  if (vus !== undefined && vus > maxVus) {
    problems.push(`vus: ${vus} is above the cap of ${maxVus} virtual users; lower vus or raise max-vus in ${configPath}`)
  }
  const comment = booleanInput('comment', input('comment'), problems) ?? file.comment ?? true
  const webhookUrl = input('webhook-url')
  const webhookProblem = webhookUrl === undefined ? null : webhookUrlProblem(webhookUrl)
  if (webhookProblem) problems.push(`input webhook-url: ${webhookProblem}`)
  const webhookRequired = booleanInput('webhook-required', input('webhook-required'), problems) ?? false
  if (input('webhook-secret') && !webhookUrl) problems.push('input webhook-secret: set, but webhook-url is not; set both to sign and send the results')
  // Deliveries are always signed: without a secret the webhook could only fail after the run.
  if (webhookUrl && !input('webhook-secret'))
    problems.push('input webhook-secret: required when webhook-url is set (every delivery is signed with it); pass it from a repository secret')
  if (webhookRequired && !webhookUrl) problems.push('input webhook-required: true, but webhook-url is not set')
  const baseUrl = input('base-url') ?? file['base-url']
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    problems.push(`base-url: expected an http:// or https:// URL, got ${JSON.stringify(baseUrl)}`)
  } else if (baseUrl !== undefined && hasUrlCredentials(baseUrl)) {
    // The base URL is written into the script, the results and the comment: no secret may ride in it.
    problems.push('base-url: must not contain a user name or password (they would be written to the script and the results); use auth with type basic')
  }

  const thinkTimes = [
    ...(file['think-time'] !== undefined ? [{ setting: `${configPath}:${keyLines['think-time'] ?? 1}: think-time`, ms: file['think-time'] }] : []),
    ...CATEGORY_NAMES.flatMap((category) => {
      const ms = file.categories?.[category]?.['think-time']
      const key = `categories.${category}.think-time`
      return ms === undefined ? [] : [{ setting: `${configPath}:${keyLines[key] ?? 1}: ${key}`, ms }]
    }),
  ]
  const load = resolveProfileConfig(file, { 'allowed-hosts': input('allowed-hosts') }, { profile, vus, durationMs, maxVus, thinkTimes }, problems)

  const slos: SloRule[] = Object.entries(file.slos ?? {}).map(([selector, limits]) => ({
    selector,
    limits,
    line: sloLines[selector]?.line,
    limitLines: sloLines[selector]?.limits,
  }))
  if (slos.length === 0) slos.push({ selector: '*', limits: { ...DEFAULTS.slo } })
  const capacity =
    opts.mode === 'capacity'
      ? resolveCapacitySettings(
          { 'target-rps': input('target-rps'), 'target-p95': input('target-p95'), replicas: input('replicas'), 'replica-cost': input('replica-cost') },
          file.capacity,
          { maxVus, configFile: configPath },
          problems,
        )
      : undefined
  if (opts.mode === 'capacity' && scriptInput)
    problems.push('input script: capacity mode steps through levels of a generated test; give openapi instead of your own scripts')
  if (opts.mode !== 'capacity' && failOn === 'capacity') problems.push('fail-on: capacity applies to capacity runs only (mode: capacity, --capacity)')
  const aiContext = oneOf('ai-context', input('ai-context'), AI_CONTEXTS, problems) ?? DEFAULT_AI_CONTEXT

  const shardParsed = input('shard') === undefined ? undefined : parseShard(input('shard')!)
  if (shardParsed && 'problem' in shardParsed) problems.push(shardParsed.problem)
  else if (shardParsed && opts.mode === 'capacity')
    problems.push('input shard: a capacity run steps through its levels on one runner, where it can tell the load generator from the API; run it without shard')
  else if (shardParsed && scripts) problems.push('input shard: only generated tests (openapi) can be split into shards, not your own scripts')
  else if (shardParsed && UNSHARDED_PROFILES.has(profile))
    problems.push(
      `input shard: the ${profile} profile stops k6 when an SLO fails, which shards cannot (their SLOs are judged after the merge); run it on one runner`,
    )
  if (shardParsed && !('problem' in shardParsed) && file.soak?.['max-drift'] !== undefined)
    problems.push(
      `${configPath}:${keyLines['soak.max-drift'] ?? 1}: soak.max-drift: drift is judged from each endpoint's windows over the whole load, which shards do not bring to the merge; run the soak test on one runner (without shard)`,
    )
  const shardWaitMs = durationInput('shard-wait', input('shard-wait'), problems)
  const cloud = resolveCloudSettings({ runner: input('runner') }, file, opts.runs === false ? undefined : (opts.env ?? {}), problems)
  if (cloud.runner !== 'local') {
    if (scriptInput) problems.push(`runner ${cloud.runner}: runs generated tests (openapi); your own scripts run with runner: local`)
    if (opts.mode === 'capacity') problems.push(`runner ${cloud.runner}: capacity mode measures this runner's load generator too; run it with runner: local`)
    if (shardParsed) problems.push(`input shard: Grafana Cloud k6 spreads the load itself; use shard with runner: local`)
  }
  if (cloud.runner === 'cloud' && CLOUD_UNJUDGED_PROFILES.has(profile))
    problems.push(`profile ${profile}: judged over time from k6's samples on this runner, which runner cloud does not have; use runner: cloud-local`)
  if (cloud.runner === 'cloud' && file.outputs?.length)
    problems.push("outputs: apply to k6 on this runner; with runner: cloud the test runs on Grafana's load zones")
  // k6 on this runner writes the report: runner cloud runs no k6 here, and no job of a sharded run runs all of the load.
  const htmlReport = booleanInput('html-report', input('html-report'), problems) ?? false
  if (htmlReport && cloud.runner === 'cloud')
    problems.push(
      "input html-report: k6's web dashboard report is written by k6 on this runner, and runner: cloud runs it on Grafana's load zones; see the run in Grafana Cloud k6, or use runner: cloud-local",
    )
  else if (htmlReport && shardParsed && !('problem' in shardParsed))
    problems.push(
      "input html-report: no job of a sharded run writes k6's web dashboard report (a shard runs part of the load, the merge job no k6); leave html-report out",
    )

  if (problems.length > 0) throw new ConfigError(problems)

  const config: Config = {
    openapi: openapi ?? '',
    scripts,
    scriptEnv,
    configFile: existsSync(absConfigPath) ? configPath : undefined,
    baseUrl: baseUrl?.replace(/\/+$/, ''),
    profile,
    vus,
    durationMs,
    maxVus,
    thinkTimeMs: file['think-time'] ?? DEFAULTS.thinkTimeMs,
    allowWrites,
    include: [...splitList(input('include')), ...(file.endpoints?.include ?? [])],
    exclude: [...splitList(input('exclude')), ...(file.endpoints?.exclude ?? [])],
    slos,
    auth: file.auth ?? { type: 'none' },
    failOn,
    k6Version: (input('k6-version') ?? file['k6-version'] ?? K6_VERSION).replace(/^v/, ''),
    resultsFile: input('results-file') ?? DEFAULTS.resultsFile,
    comment,
    format,
    load,
    categories: file.categories,
    dataset: file.dataset,
    phases: resolvePhaseLimits(file),
    drift: resolveDriftSettings(file),
    baseline: file.baseline ?? BaselineConfigSchema.parse({}),
    errorBudget: file['error-budget'],
    capacity,
    sloRecommendations: file['slo-recommendations'],
    githubToken: input('github-token'),
    webhook: webhookUrl ? { url: webhookUrl, secret: input('webhook-secret'), required: webhookRequired } : undefined,
    analysis: { apiKey: input('anthropic-api-key'), model: input('anthropic-model') ?? DEFAULT_MODEL, context: aiContext },
    // cloud-local streams to Grafana Cloud k6 through k6's own cloud output.
    outputs: cloud.runner === 'cloud-local' ? [...new Set([...(file.outputs ?? []), 'cloud' as const])] : (file.outputs ?? []),
    cloud,
    htmlReport,
    ...(shardParsed && !('problem' in shardParsed) ? { shard: { ...shardParsed, ...(shardWaitMs === undefined ? {} : { waitMs: shardWaitMs }) } } : {}),
  }
  return deepFreeze(config)
}

interface ParsedConfigFile {
  file: ConfigFile
  problems: string[]
  /** Whether the file sets openapi or script (whatever their values); unknown when it is not a readable mapping. */
  names: { openapi: boolean; script: boolean } | 'unknown'
  /** Line of each SLO's key and of each of its limits, so annotations and messages can point at them. */
  sloLines: Record<string, { line: number; limits: Record<string, number> }>
  /** Line of the keys checked against each other after parsing (think times against the test's length, max-drift against shard), by dotted path. */
  keyLines: Record<string, number>
}

/** Parses and validates the YAML config file; every problem carries file:line. */
export function parseConfigFile(text: string, fileName: string): ParsedConfigFile {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line)

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => `${fileName}:${lineOf(e.pos[0]) ?? 1}: invalid YAML: ${firstLine(e.message)}`)
    return { file: {}, problems, sloLines: {}, keyLines: {}, names: 'unknown' }
  }
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {}
  } catch (err) {
    // yaml refuses documents whose aliases expand without bound (a "billion laughs" file).
    const why = /alias/i.test((err as Error).message) ? 'its aliases (*name) expand too far; write the values out' : firstLine((err as Error).message)
    return { file: {}, problems: [`${fileName}:1: invalid YAML: ${why}`], sloLines: {}, keyLines: {}, names: 'unknown' }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      file: {},
      problems: [`${fileName}:1: expected a mapping of settings (openapi, profile, slos, auth, ...)`],
      sloLines: {},
      keyLines: {},
      names: 'unknown',
    }
  }
  const names = { openapi: 'openapi' in raw, script: 'script' in raw }
  const result = ConfigFileSchema.safeParse(raw)
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue, doc, lineOf, fileName))

  const sloLines: ParsedConfigFile['sloLines'] = {}
  const slosNode = doc.get('slos', true)
  if (isMap(slosNode)) {
    for (const pair of slosNode.items) {
      if (!isScalar(pair.key)) continue
      const limits: Record<string, number> = {}
      if (isMap(pair.value)) {
        for (const limit of pair.value.items) {
          if (isScalar(limit.key)) limits[String(limit.key.value)] = lineOf(limit.key.range?.[0]) ?? 1
        }
      }
      sloLines[String(pair.key.value)] = { line: lineOf(pair.key.range?.[0]) ?? 1, limits }
    }
  }
  const keyLines: ParsedConfigFile['keyLines'] = {}
  for (const keyPath of [['think-time'], ['soak', 'max-drift'], ...CATEGORY_NAMES.map((category) => ['categories', category, 'think-time'])]) {
    const parent = keyPath.length === 1 ? doc.contents : doc.getIn(keyPath.slice(0, -1), true)
    if (!isMap(parent)) continue
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === keyPath.at(-1))
    const line = lineOf((pair?.key as { range?: [number, number] } | undefined)?.range?.[0])
    if (line !== undefined) keyLines[keyPath.join('.')] = line
  }
  return { file: result.success ? result.data : {}, problems, sloLines, keyLines, names }
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lineOf: (offset: number | undefined) => number | undefined, fileName: string): string[] {
  const keyPath = issue.path.map((p) => String(p))
  const at = (pathToNode: string[], keyName?: string): string => {
    const node = pathToNode.length === 0 ? doc.contents : doc.getIn(pathToNode, true)
    let offset: number | undefined
    if (keyName !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === keyName)
      offset = (pair?.key as { range?: [number, number] } | undefined)?.range?.[0]
    } else {
      offset = (node as { range?: [number, number] } | null)?.range?.[0]
    }
    return `${fileName}:${lineOf(offset) ?? 1}`
  }
  const dotted = (parts: string[]) => parts.map((p) => (/^[\w-]+$/.test(p) ? p : JSON.stringify(p))).join('.')

  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(keyPath)
    return issue.keys.map((key) => `${at(keyPath, key)}: ${dotted([...keyPath, key])}: unknown setting${allowed ? ` (allowed: ${allowed})` : ''}`)
  }
  const value = doc.getIn(keyPath)
  const where = at(keyPath)
  const name = dotted(keyPath) || '(top level)'
  // Our own messages already name the setting and the bad value; zod's generic ones get both added.
  if (issue.code === 'custom') return [`${where}: ${keyPath.length > 0 ? `${name}: ` : ''}${issue.message.replace(/^[\w-]+: /, '')}`]
  // A value given where an environment variable's name belongs is most likely the secret itself.
  const got = keyPath.at(-1)?.endsWith('-env')
    ? 'a value that is not shown'
    : value === undefined
      ? 'nothing'
      : typeof value === 'number' && !Number.isFinite(value)
        ? 'a number too large to use' // JSON.stringify would say null
        : JSON.stringify(value)
  return [`${where}: ${name}: ${issue.message.replace(/^Invalid input: /, '')} (got ${got})`]
}

function allowedKeysAt(keyPath: string[]): string | undefined {
  if (keyPath.length === 0) return Object.keys(ConfigFileSchema.shape).join(', ')
  if (keyPath[0] === 'slos' && keyPath.length === 2) return 'p50, p90, p95, p99, max, error-rate, min-rps'
  if (keyPath[0] === 'endpoints') return 'include, exclude'
  return undefined
}

/** yaml's own default (100) is for untrusted documents; a config file needs a handful of anchors at most. */
const MAX_ALIAS_COUNT = 100

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], problems: string[]): T | undefined {
  if (value === undefined) return undefined
  if ((allowed as readonly string[]).includes(value)) return value as T
  problems.push(`input ${name}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`)
  return undefined
}

function positiveInt(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value) && Number(value) > 0) return Number(value)
  problems.push(`input ${name}: expected a whole number above 0, got ${JSON.stringify(value)}`)
  return undefined
}

function durationInput(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined) return undefined
  const ms = parseDuration(value)
  const tooLong = ms === undefined ? undefined : aboveMaximum(`input ${name}`, ms, MAX_TEST_DURATION_MS, 'for a whole test')
  if (ms !== undefined && ms > 0 && !tooLong) return ms
  problems.push(tooLong ?? `input ${name}: expected a duration such as 30s or 1m30s, got ${JSON.stringify(value)}`)
  return undefined
}

function booleanInput(name: string, value: string | undefined, problems: string[]): boolean | undefined {
  if (value === undefined) return undefined
  // The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  problems.push(`input ${name}: expected true or false, got ${JSON.stringify(value)}`)
  return undefined
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim()
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
