/**
 * Config-file keys for load profiles (profile, model, rate, pre-allocated-vus, hold,
 * request-timeout, stages), traffic weights and the target allow-list (allowed-hosts), to be merged
 * into ConfigFileSchema (src/config/schema.ts) as `...ProfileConfigShape`, and their resolution.
 * Every problem is a custom issue whose message starts with the setting's name and ends with the
 * value it got, as src/config/load.ts expects. The keys with an example: docs/planning.md
 * ("The config keys").
 */
import { z } from 'zod'
import { parseDuration } from '../duration.js'
import { splitList } from '../list.js'
import type { Endpoint } from '../spec/model.js'
import {
  buildExecutor,
  LOAD_MODELS,
  profileProblems,
  totalDurationMs,
  type LoadModel,
  type ProfileName,
  type ProfileOverrides,
  type Stage,
} from './profiles.js'
import { aboveMaximum, MAX_TEST_DURATION_MS, planLengthProblems, requestTimeoutProblem } from './run-bounds.js'
import { matchesSelector, selectorSpecificity, unmatchedSelectors } from './selector.js'

const got = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value))

function fail(ctx: z.RefinementCtx, message: string, path?: Array<string | number>): never {
  ctx.addIssue({ code: 'custom', message, ...(path ? { path } : {}) })
  return z.NEVER as never
}

const model = z.unknown().transform((value, ctx): LoadModel => {
  if (LOAD_MODELS.includes(value as LoadModel)) return value as LoadModel
  return fail(ctx, `model: expected closed (virtual users loop) or open (iterations arrive at a rate), got ${got(value)}`)
})

function wholeNumber(name: string, what: string) {
  return z.unknown().transform((value, ctx): number => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
    return fail(ctx, `${name}: expected a whole number of ${what}, 1 or more, got ${got(value)}`)
  })
}

const hold = z.unknown().transform((value, ctx): number => {
  const parsed = parseDuration(value)
  if (parsed !== undefined && parsed >= 1000) return aboveMaximumOrValue(ctx, 'hold', parsed)
  return fail(ctx, `hold: expected a duration of at least 1s such as 4h or 90m, got ${got(value)}`)
})

const requestTimeout = z.unknown().transform((value, ctx): number => {
  const parsed = parseDuration(value)
  if (parsed === undefined) return fail(ctx, `request-timeout: expected a duration such as 10s or 1m, got ${got(value)}`)
  const problem = requestTimeoutProblem(parsed)
  return problem ? fail(ctx, problem) : parsed
})

/** A length within MAX_TEST_DURATION_MS, or the problem at the setting. */
function aboveMaximumOrValue(ctx: z.RefinementCtx, setting: string, ms: number, path?: Array<string | number>): number {
  const problem = aboveMaximum(setting, ms, MAX_TEST_DURATION_MS, 'for a whole test')
  return problem ? fail(ctx, problem, path) : ms
}

const stages = z.unknown().transform((value, ctx): Stage[] => {
  if (!Array.isArray(value) || value.length === 0) {
    return fail(ctx, `stages: expected a list of { duration, target } such as [{ duration: 30s, target: 20 }], got ${got(value)}`)
  }
  const out: Stage[] = []
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      fail(ctx, `stages: expected { duration, target }, got ${got(item)}`, [i])
      return
    }
    const record = item as Record<string, unknown>
    for (const key of Object.keys(record)) {
      if (key !== 'duration' && key !== 'target') fail(ctx, `${key}: unknown setting (allowed: duration, target), got ${got(record[key])}`, [i, key])
    }
    const durationMs = parseDuration(record.duration)
    if (durationMs === undefined)
      fail(ctx, `duration: expected a duration such as 30s or 2m (0s for an instant jump), got ${got(record.duration)}`, [i, 'duration'])
    else if (durationMs > MAX_TEST_DURATION_MS) aboveMaximumOrValue(ctx, 'duration', durationMs, [i, 'duration'])
    const target = record.target
    const validTarget = typeof target === 'number' && Number.isFinite(target) && target >= 0 && Number.isInteger(target)
    if (!validTarget)
      fail(ctx, `target: expected a whole number of VUs (closed model) or iterations/s (open model), 0 or more, got ${got(target)}`, [i, 'target'])
    if (durationMs !== undefined && validTarget) out.push({ durationMs, target: target as number })
  })
  const totalMs = out.reduce((sum, stage) => sum + stage.durationMs, 0)
  const eachWithin = out.every((stage) => stage.durationMs <= MAX_TEST_DURATION_MS)
  if (out.length === value.length && eachWithin && totalMs > MAX_TEST_DURATION_MS) aboveMaximumOrValue(ctx, 'stages', totalMs)
  return out
})

const weights = z.unknown().transform((value, ctx): WeightRule[] => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(ctx, `weights: expected a mapping of endpoint selector to weight such as { "GET /products": 3 }, got ${got(value)}`)
  }
  const rules: WeightRule[] = []
  for (const [selector, weight] of Object.entries(value)) {
    if (typeof weight === 'number' && Number.isFinite(weight) && weight > 0 && weight <= 1_000_000) rules.push({ selector, weight })
    else if (weight === 0)
      fail(ctx, `weight: 0 would never run the endpoint (and leave its SLO without data); exclude it with endpoints.exclude instead, got 0`, [selector])
    else fail(ctx, `weight: expected a positive number (the endpoint's share relative to the default of 1), got ${got(weight)}`, [selector])
  }
  return rules
})

const allowedHosts = z.unknown().transform((value, ctx): string[] => {
  const list = typeof value === 'string' ? splitList(value) : value
  if (!Array.isArray(list) || list.length === 0) {
    return fail(ctx, `allowed-hosts: expected a list of host names such as [127.0.0.1, localhost, "*.staging.example.com"], got ${got(value)}`)
  }
  const hosts: string[] = []
  list.forEach((entry: unknown, i) => {
    const problem = hostPatternProblem(entry)
    if (problem) fail(ctx, `allowed-hosts: ${problem}`, typeof value === 'string' ? [] : [i])
    else hosts.push(normalizeHostPattern(entry as string))
  })
  return hosts
})

/** Spread into ConfigFileSchema: `z.strictObject({ ...existing, ...ProfileConfigShape })`. */
export const ProfileConfigShape = {
  model: model.optional(),
  rate: wholeNumber('rate', 'iterations per second').optional(),
  'pre-allocated-vus': wholeNumber('pre-allocated-vus', 'virtual users').optional(),
  hold: hold.optional(),
  'request-timeout': requestTimeout.optional(),
  stages: stages.optional(),
  weights: weights.optional(),
  'allowed-hosts': allowedHosts.optional(),
}
export const ProfileFileConfigSchema = z.strictObject(ProfileConfigShape)
export type ProfileFileConfig = z.infer<typeof ProfileFileConfigSchema>

/** The config file's keys this module adds, for "unknown setting (allowed: …)" messages. */
export const PROFILE_CONFIG_KEYS = Object.keys(ProfileConfigShape)

export interface WeightRule {
  selector: string
  weight: number
}

/** The resolved settings: what Config carries for the profile, weights and allow-list. */
export interface ProfileConfig {
  /** undefined: the profile's own model (open for breakpoint, closed otherwise). */
  model?: LoadModel
  rate?: number
  preAllocatedVus?: number
  holdMs?: number
  /** Overrides every endpoint's request timeout (src/plan/run-bounds.ts). */
  requestTimeoutMs?: number
  stages?: Stage[]
  /** In the order written; for each endpoint the most specific selector wins, later ones on ties. */
  weights: WeightRule[]
  /** Empty: any host. */
  allowedHosts: string[]
}

/** Action inputs this module reads; empty means not set, as on GitHub. */
export const PROFILE_INPUT_NAMES = ['allowed-hosts'] as const
export type ProfileInputs = Partial<Record<(typeof PROFILE_INPUT_NAMES)[number], string>>

/** The rest of the resolved config the profile's settings are checked against. */
export interface ProfileContext {
  profile: ProfileName
  vus?: number
  durationMs?: number
  maxVus: number
  /** The think times the config sets, each by its setting's name: they must be shorter than the test. */
  thinkTimes?: ReadonlyArray<{ setting: string; ms: number }>
}

/**
 * The config file's profile keys and the allowed-hosts input → ProfileConfig. Problems (the input's,
 * and combinations the file's schema cannot see, such as rate in the closed model) are pushed onto
 * `problems`, each naming the setting. The input, when set, replaces the file's allow-list, as
 * every input overrides its config key.
 */
export function resolveProfileConfig(file: ProfileFileConfig, inputs: ProfileInputs, context: ProfileContext, problems: string[]): ProfileConfig {
  let hosts = file['allowed-hosts'] ?? []
  const hostsInput = inputs['allowed-hosts']?.trim()
  if (hostsInput) {
    const entries = splitList(hostsInput)
    const bad = entries.map(hostPatternProblem).filter((p): p is string => p !== undefined)
    for (const problem of bad) problems.push(`input allowed-hosts: ${problem}`)
    if (bad.length === 0) hosts = entries.map(normalizeHostPattern)
  }
  const resolved: ProfileConfig = {
    ...(file.model !== undefined ? { model: file.model } : {}),
    ...(file.rate !== undefined ? { rate: file.rate } : {}),
    ...(file['pre-allocated-vus'] !== undefined ? { preAllocatedVus: file['pre-allocated-vus'] } : {}),
    ...(file.hold !== undefined ? { holdMs: file.hold } : {}),
    ...(file['request-timeout'] !== undefined ? { requestTimeoutMs: file['request-timeout'] } : {}),
    ...(file.stages !== undefined ? { stages: file.stages } : {}),
    weights: file.weights ?? [],
    allowedHosts: hosts,
  }
  const overrides = toProfileOverrides(resolved, context)
  const profileIssues = profileProblems(context.profile, overrides)
  problems.push(...profileIssues)
  if (profileIssues.length === 0) problems.push(...planLengthProblems(totalDurationMs(buildExecutor(context.profile, overrides)), context.thinkTimes ?? []))
  return resolved
}

/** What buildExecutor takes, from the resolved settings and the config's vus, duration and max-vus. */
export function toProfileOverrides(config: ProfileConfig, base: Omit<ProfileContext, 'profile'>): ProfileOverrides {
  return {
    ...(base.vus !== undefined ? { vus: base.vus } : {}),
    ...(base.durationMs !== undefined ? { durationMs: base.durationMs } : {}),
    ...(config.model !== undefined ? { model: config.model } : {}),
    ...(config.rate !== undefined ? { rate: config.rate } : {}),
    ...(config.preAllocatedVus !== undefined ? { preAllocatedVus: config.preAllocatedVus } : {}),
    ...(config.stages !== undefined ? { stages: config.stages } : {}),
    ...(config.holdMs !== undefined ? { holdMs: config.holdMs } : {}),
    maxVus: base.maxVus,
  }
}

/**
 * Each endpoint's weight: the most specific selector that matches it (operation or operationId,
 * then path, then tag, then "*"), the later rule on ties; 1 when none does.
 */
export function resolveWeights(endpoints: readonly Endpoint[], rules: readonly WeightRule[]): number[] {
  return endpoints.map((endpoint) => {
    let best: { weight: number; specificity: number } | undefined
    for (const rule of rules) {
      if (!matchesSelector(endpoint, rule.selector)) continue
      const specificity = selectorSpecificity(rule.selector)
      if (!best || specificity >= best.specificity) best = { weight: rule.weight, specificity }
    }
    return best?.weight ?? 1
  })
}

/** Weight selectors that match no endpoint of the spec: almost always typos. */
export function weightWarnings(endpoints: readonly Endpoint[], rules: readonly WeightRule[]): string[] {
  return unmatchedSelectors(
    endpoints,
    rules.map((r) => r.selector),
  ).map((selector) => `weights ${JSON.stringify(selector)} matches no endpoint of the spec`)
}

const LABEL = '[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?'
const HOST_PATTERN = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})*\\.?(:\\d{1,5})?$`)
const IPV6_PATTERN = /^\[[0-9a-f:.]+\](:\d{1,5})?$/

/** Why an allowed-hosts entry is not a host pattern, or undefined when it is one. */
function hostPatternProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'string' || entry.trim() === '') return `expected a host name such as 127.0.0.1 or api.staging.example.com, got ${got(entry)}`
  const text = entry.trim().toLowerCase()
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text) || text.includes('/')) {
    return `${got(entry)} is a URL; write the host only, such as ${JSON.stringify(hostOfUrl(text) ?? 'api.example.com')} (with :port to allow one port only)`
  }
  if (!text.startsWith('[') && (text.match(/:/g) ?? []).length > 1) return `${got(entry)}: write IPv6 addresses in brackets, such as [::1]`
  const port = /:(\d+)$/.exec(text)?.[1]
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `${got(entry)}: port ${port} is not a port number (1 to 65535)`
  if (!HOST_PATTERN.test(text) && !IPV6_PATTERN.test(text)) {
    return `${got(entry)} is not a host name; expected e.g. 127.0.0.1, localhost:8080 or "*.staging.example.com" (any subdomain)`
  }
  return undefined
}

function normalizeHostPattern(entry: string): string {
  return entry
    .trim()
    .toLowerCase()
    .replace(/\.(?=:\d+$|$)/, '')
}

function hostOfUrl(text: string): string | undefined {
  try {
    return new URL(text).host || undefined
  } catch {
    return undefined
  }
}

/**
 * The host allow-list: undefined when `baseUrl`'s host is allowed (or the list is empty), else the
 * message. An entry matches the host exactly, `*.example.com` any subdomain of example.com (not
 * example.com itself), and `host:port` that port only. Names are compared as written: no DNS is
 * resolved, so 127.0.0.1 does not allow localhost.
 */
export function checkAllowedHost(baseUrl: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return `base-url ${JSON.stringify(baseUrl)} is not a URL, so its host cannot be checked against allowed-hosts`
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '')
  const ok = allowed.some((raw) => {
    const { host: patternHost, port: patternPort } = splitHostPort(normalizeHostPattern(raw))
    if (patternPort !== undefined && patternPort !== port) return false
    if (patternHost.startsWith('*.')) return host.endsWith(patternHost.slice(1)) && host.length > patternHost.length - 1
    return host === patternHost
  })
  if (ok) return undefined
  const hostPort = url.port ? `${host}:${url.port}` : host
  return (
    `base-url ${url.origin} is not in allowed-hosts (${allowed.join(', ')}): Perf-Xi sends load only to allowed hosts. ` +
    `Add ${JSON.stringify(hostPort)} to allowed-hosts (the config file or the allowed-hosts input) if it is meant to take load, or point base-url at an allowed host`
  )
}

/** "host:port", "[::1]:8080" or a bare host. */
function splitHostPort(pattern: string): { host: string; port?: string } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(pattern)
  return match ? { host: match[1], port: match[2] } : { host: pattern }
}
