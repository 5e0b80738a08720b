/**
 * The config file's `outputs:` list: k6 outputs passed through for live dashboards while the gate
 * runs (`k6 run --out …`), set up by k6's own environment variables, which are passed to k6 from
 * the job's environment, the secrets among them masked. A leaf, merged into ConfigFileSchema as
 * `...OutputsConfigShape`.
 */
import { z } from 'zod'
import { hasUrlCredentials } from '../url-credentials.js'

/** k6 outputs and the prefix of the environment variables each one reads (k6's own names). */
export const K6_OUTPUT_ENV_PREFIX = {
  /** Prometheus remote write: K6_PROMETHEUS_RW_SERVER_URL, _USERNAME, _PASSWORD, _BEARER_TOKEN, _PUSH_INTERVAL, … */
  'experimental-prometheus-rw': 'K6_PROMETHEUS_RW_',
  /** Grafana Cloud k6: K6_CLOUD_TOKEN, K6_CLOUD_PROJECT_ID, … */
  cloud: 'K6_CLOUD_',
} as const
export type K6Output = keyof typeof K6_OUTPUT_ENV_PREFIX
const NAMES = Object.keys(K6_OUTPUT_ENV_PREFIX) as [K6Output, ...K6Output[]]

export const OutputsConfigShape = {
  outputs: z.array(z.enum(NAMES, { error: (issue) => `outputs: expected ${NAMES.join(' or ')}, got ${JSON.stringify(issue.input)}` })).optional(),
}

/**
 * k6's web dashboard without its server, writing its HTML report to `file` when the test ends
 * (xk6-dashboard's options). It needs two snapshots at least: a short test gets shorter periods
 * than the default 10 s (about 20 per test).
 */
export function htmlReportEnv(file: string, plannedMs: number): Record<string, string> {
  const periodS = Math.min(10, Math.max(1, Math.floor(plannedMs / 1000 / 20)))
  return { K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '-1', K6_WEB_DASHBOARD_PERIOD: `${periodS}s`, K6_WEB_DASHBOARD_EXPORT: file }
}

/** `--out name` for each output. */
export function outputArgs(outputs: readonly K6Output[]): string[] {
  return [...new Set(outputs)].flatMap((name) => ['--out', name])
}

/** The job's variables the outputs read, to pass to k6 (the secrets among them masked: {@link outputSecrets}). */
export function outputEnv(outputs: readonly K6Output[], env: NodeJS.ProcessEnv): Record<string, string> {
  const prefixes = outputs.map((name) => K6_OUTPUT_ENV_PREFIX[name])
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (value && prefixes.some((p) => name.startsWith(p))) out[name] = value
  return out
}

/** Passwords, tokens and keys by k6's names: _PASSWORD, _BEARER_TOKEN, K6_CLOUD_TOKEN, _SIGV4_SECRET_KEY, _SIGV4_ACCESS_KEY. */
const SECRET_NAME = /_(PASSWORD|TOKEN|SECRET_KEY|ACCESS_KEY)$/
/** Extra request headers (K6_PROMETHEUS_RW_HEADERS_<name>, K6_PROMETHEUS_RW_HTTP_HEADERS=k:v,…): they may carry Authorization. */
const HEADER_NAME = /^K6_PROMETHEUS_RW_(HEADERS_|HTTP_HEADERS$)/
/** `scheme://userinfo@`: the user info as written, up to the last @ before the host. */
const URL_USER_INFO = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i

/**
 * The values among the outputs' variables that are secrets, for the runner to mask: passwords,
 * tokens and keys, header values, and a URL carrying a user name or password (whole, and its
 * password, or its user name when it has none). Settings such as a project id, host or push
 * interval stay readable: masked, every "1s" or "31" of the log would be starred out.
 */
export function outputSecrets(env: Readonly<Record<string, string>>): string[] {
  const secrets = new Set<string>()
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_NAME.test(name) || HEADER_NAME.test(name)) secrets.add(value)
    else if (hasUrlCredentials(value)) {
      secrets.add(value)
      const credential = urlCredential(value.trim())
      // Percent-decoded too, as a client may print it.
      if (credential) for (const form of [credential, safeDecode(credential)]) secrets.add(form)
    }
  }
  return [...secrets].filter((secret) => secret.trim() !== '')
}

/** The URL's password as written, or its user name when it has no password (a token given as the user). */
function urlCredential(url: string): string | undefined {
  const userInfo = URL_USER_INFO.exec(url)?.[1]
  if (userInfo !== undefined) return userInfo.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : userInfo
  try {
    const parsed = new URL(url)
    return parsed.password || parsed.username
  } catch {
    return undefined
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
