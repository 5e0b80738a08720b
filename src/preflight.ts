/**
 * Checks made before any load starts: the auth secrets are set, the target is reachable, and it
 * answers at least some endpoints with a declared success status. One GET or HEAD request per
 * reading endpoint: a probe must never change data (a DELETE probe can delete the account the
 * load then logs in with), so endpoints that write are left to the load itself.
 */
import { deadline } from './deadline.js'
import { UserError } from './errors.js'
import { fmtSeconds } from './format/numbers.js'
import type { TestPlan } from './plan/plan.js'
import type { PlannedEndpoint } from './plan/planned-endpoint.js'
import { requestUrl } from './plan/servers.js'
import { authEnvNames } from './script/k6.js'
import { declaresRedirect } from './spec/model.js'

export interface ProbeResult {
  endpoint: string
  status?: number
  /** Nothing answered: connection refused or reset, no such host. */
  error?: string
  /** Connected, but no answer within the probe's timeout: slow (or hung), which the load run measures. */
  slow?: boolean
  /** Still unanswered once another endpoint's success had settled the check: left to the load. */
  leftToLoad?: boolean
  ok: boolean
}

/** How long one probe waits for an answer before calling the endpoint slow. */
export const PROBE_TIMEOUT_MS = 5000

/**
 * Once one endpoint has answered with a success status the checks can no longer stop the run, so the
 * load does not wait for the slowest endpoint's probe (a report that takes seconds, a hung handler):
 * a probe still out this long after that answer, or after its own start if later, is left to the
 * load, which measures that endpoint anyway. On a distant target the wait is at least as long as
 * the first success took.
 */
export const PROBE_GRACE_MS = 50

export interface PreflightOptions {
  env: NodeJS.ProcessEnv
  /** Where auth is configured, for messages that tell the user what to fix. */
  configFile?: string
  timeoutMs?: number
  /** How long probes still out may go on once one has answered with success; default PROBE_GRACE_MS. */
  graceMs?: number
  concurrency?: number
  /** Where the one line saying there was nothing safe to probe goes. */
  log?: (line: string) => void
}

/** The methods a probe may send: they read, so probing cannot change what the load then measures. */
const PROBE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD'])

export const NO_SAFE_PROBE = "no GET endpoint to check before the load: the load's first seconds are the check"

/** Throws a UserError when the run cannot succeed; returns warnings for endpoints that answered errors. */
export async function checkTarget(plan: TestPlan, opts: PreflightOptions): Promise<string[]> {
  const missing = authEnvNames(plan.auth).filter((name) => !opts.env[name])
  if (missing.length > 0) {
    throw new UserError(
      `auth (${plan.auth.type}) reads ${missing.join(' and ')} from the environment, but ${missing.length === 1 ? 'it is' : 'they are'} not set; pass the secret with env: in the workflow step`,
      opts.configFile ? { file: opts.configFile } : undefined,
    )
  }
  const probed = plan.endpoints.filter((p) => PROBE_METHODS.has(p.endpoint.method))
  if (probed.length === 0) {
    opts.log?.(NO_SAFE_PROBE)
    return []
  }
  const results = await probeAll(plan, probed, opts)
  const left = results.filter((r) => r.leftToLoad)
  if (left.length > 0) {
    const named = `${left
      .slice(0, 4)
      .map((r) => r.endpoint)
      .join(', ')}${left.length > 4 ? ` and ${left.length - 4} more` : ''}`
    const one = left.length === 1
    opts.log?.(
      `${named} still answering ${one ? 'its probe' : 'their probes'} after the others had settled the check: left to the load, which measures ${one ? 'it' : 'them'}`,
    )
  }
  const unreachable = results.filter((r) => r.error !== undefined)
  if (unreachable.length === results.length) {
    throw new UserError(`base URL ${plan.baseUrl} is unreachable (${unreachable[0].error}); checked before starting any load`)
  }
  const slow = results.filter((r) => r.slow)
  const failing = results.filter((r) => !r.ok && !r.slow && !r.leftToLoad)
  // A slow target is not a broken one: its latency is what the run measures and the SLOs judge.
  if (slow.length === 0 && failing.length === results.length) {
    const sample = failing
      .slice(0, 4)
      .map((r) => `${r.endpoint} → ${r.status ?? r.error}`)
      .join(', ')
    throw new UserError(`the target at ${plan.baseUrl} answers only errors (${sample}${failing.length > 4 ? ', …' : ''}); checked before starting any load`)
  }
  const timeout = fmtSeconds(opts.timeoutMs ?? PROBE_TIMEOUT_MS)
  // A probe sends the sampled value; the load sends the ids setup() harvests, so such a probe's error says nothing.
  const harvested = new Set(plan.endpoints.filter((p) => p.values?.some((v) => v.origin.kind === 'harvested')).map((p) => p.endpoint.key))
  return [
    ...slow.map((r) => `${r.endpoint} did not answer a probe request within ${timeout}; the run goes ahead and its latency is judged by the SLOs`),
    ...failing
      .filter((r) => !harvested.has(r.endpoint))
      .map((r) => `${r.endpoint} answered ${r.status ?? r.error} to a probe request; expect its requests to count as errors`),
  ]
}

async function probeAll(plan: TestPlan, endpoints: PlannedEndpoint[], opts: PreflightOptions): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(endpoints.length)
  const started = performance.now()
  const inFlight = new Set<AbortController>()
  const timers = new Set<NodeJS.Timeout>()
  let graceMs: number | undefined
  const cutShortLater = (controller: AbortController) => {
    const timer = setTimeout(() => controller.abort(), graceMs)
    timers.add(timer)
  }
  let next = 0
  const worker = async () => {
    while (next < endpoints.length) {
      const index = next++
      const cutShort = new AbortController()
      inFlight.add(cutShort)
      if (graceMs !== undefined) cutShortLater(cutShort)
      const result = await probe(plan, endpoints[index], opts, cutShort)
      inFlight.delete(cutShort)
      results[index] = result
      if (result.ok && graceMs === undefined) {
        graceMs = Math.max(opts.graceMs ?? PROBE_GRACE_MS, performance.now() - started)
        for (const other of inFlight) cutShortLater(other)
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, endpoints.length) }, worker))
  } finally {
    for (const timer of timers) clearTimeout(timer)
  }
  return results
}

async function probe(plan: TestPlan, planned: PlannedEndpoint, opts: PreflightOptions, cutShort: AbortController): Promise<ProbeResult> {
  const { request, endpoint } = planned
  const headers: Record<string, string> = { ...request.headers }
  const cookies: Record<string, string> = { ...request.cookies }
  let url = requestUrl(planned.server, plan.baseUrl, request.path)
  if (planned.authenticated) {
    const auth = plan.auth
    const env = (name: string) => opts.env[name] ?? ''
    if (auth.type === 'bearer') headers.Authorization = `Bearer ${env(auth['token-env'])}`
    if (auth.type === 'basic') headers.Authorization = `Basic ${Buffer.from(`${env(auth['username-env'])}:${env(auth['password-env'])}`).toString('base64')}`
    if (auth.type === 'api-key' && auth.in === 'header') headers[auth.name] = env(auth['value-env'])
    if (auth.type === 'api-key' && auth.in === 'query')
      url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(auth.name)}=${encodeURIComponent(env(auth['value-env']))}`
    if (auth.type === 'cookie') cookies[auth.name] = env(auth['value-env'])
  }
  if (Object.keys(cookies).length > 0)
    headers.Cookie = Object.entries(cookies)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('; ')
  if (request.body !== undefined && request.contentType) headers['Content-Type'] = request.contentType
  const limit = deadline(opts.timeoutMs ?? PROBE_TIMEOUT_MS, cutShort.signal)
  try {
    const response = await fetch(url, {
      method: endpoint.method,
      headers,
      body: request.body,
      // As the load does: a declared redirect is the answer, any other is followed to the last one.
      redirect: declaresRedirect(endpoint.successStatuses) ? 'manual' : 'follow',
      signal: limit.signal,
    })
    await response.arrayBuffer()
    const ok = endpoint.successStatuses.length > 0 ? endpoint.successStatuses.includes(response.status) : response.status >= 200 && response.status < 400
    return { endpoint: endpoint.key, status: response.status, ok }
  } catch (err) {
    if (cutShort.signal.aborted) return { endpoint: endpoint.key, leftToLoad: true, ok: false }
    if (limit.signal.aborted) return { endpoint: endpoint.key, slow: true, ok: false }
    return { endpoint: endpoint.key, error: networkError(err), ok: false }
  } finally {
    limit.clear()
  }
}

function networkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  if (cause?.code) return cause.message ?? cause.code
  // fetch says only "fetch failed"; its cause says why (e.g. "bad port").
  return cause?.message ? `${(err as Error).message}: ${cause.message}` : (err as Error).message
}
