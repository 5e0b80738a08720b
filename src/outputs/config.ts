/**
 * The config file's `outputs:` list: k6 outputs passed through for live dashboards while the gate
 * runs (`k6 run --out …`), set up by k6's own environment variables, which are passed to k6 from
 * the job's environment and masked. A leaf, merged into ConfigFileSchema as `...OutputsConfigShape`.
 */
import { z } from 'zod'

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

/** The job's variables the outputs read, to pass to k6 (and to mask: they may hold passwords and tokens). */
export function outputEnv(outputs: readonly K6Output[], env: NodeJS.ProcessEnv): Record<string, string> {
  const prefixes = outputs.map((name) => K6_OUTPUT_ENV_PREFIX[name])
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (value && prefixes.some((p) => name.startsWith(p))) out[name] = value
  return out
}
