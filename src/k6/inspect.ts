/**
 * `k6 inspect --execution-requirements` of a script before it runs: a script k6 cannot load or
 * configure is found before any load, and the longest the script can run gives its time limit.
 */
import { interpretExitCode, K6_EXIT_CODES, lastK6Error } from './exit-codes.js'
import { CANCELLED_REASON, K6_START_END_MARGIN_MS } from './run.js'
import { runK6Process } from './process.js'

export interface K6InspectRequest {
  k6Path: string
  scriptPath: string
  env: Record<string, string>
  cwd: string
  signal?: AbortSignal
  urgent?: AbortSignal
}

export type K6Inspection =
  | {
      ok: true
      /** The longest the scenarios can run, gracefulStop included (k6's own figure). */
      totalDurationMs: number
      /** The wall-clock limit for `k6 run` of this script: the scenarios, setup() and teardown() at their timeouts, and a margin. */
      timeLimitMs: number
    }
  | { ok: false; exitCode: number | null; reason: string; stderr: string }

/** k6's default setupTimeout and teardownTimeout. */
const K6_DEFAULT_SETUP_TIMEOUT_MS = 60_000
/** Loading a script runs its init code once; anything slower than this is stuck. */
const INSPECT_TIME_LIMIT_MS = 60_000

export async function inspectK6Script(request: K6InspectRequest): Promise<K6Inspection> {
  const first = await inspect(request, request.env)
  // k6 inspect leaves out `k6 run`'s default of 1 VU, so a script that relies on it (only
  // `iterations`, say) fails there with 104; given the same default, it is inspected as it will run.
  if (first.ok || first.exitCode !== K6_EXIT_CODES.invalidConfig.code || !first.reason.includes(NO_VUS)) return first
  const again = await inspect(request, { K6_VUS: '1', ...request.env })
  return again.ok ? again : first
}

/** k6's message for a scenario without VUs, which k6 inspect also gives for `k6 run`'s default. */
const NO_VUS = 'the number of VUs must be more than 0'

async function inspect(request: K6InspectRequest, env: Record<string, string>): Promise<K6Inspection> {
  const run = await runK6Process({
    k6Path: request.k6Path,
    // The script sees the same environment as under `k6 run` (inspect leaves it out by default).
    args: ['inspect', '--include-system-env-vars', '--execution-requirements', request.scriptPath],
    env,
    cwd: request.cwd,
    timeLimitMs: INSPECT_TIME_LIMIT_MS,
    signal: request.signal,
    urgent: request.urgent,
  })
  if (run.stoppedBy === 'cancelled') return { ok: false, exitCode: run.exitCode, reason: CANCELLED_REASON, stderr: run.stderr }
  if (run.stoppedBy === 'time-limit')
    return { ok: false, exitCode: run.exitCode, reason: `loading the script took over ${INSPECT_TIME_LIMIT_MS / 1000} s`, stderr: run.stderr }
  const outcome = interpretExitCode(run.exitCode, run.signal, lastK6Error(run.stderr))
  if (!outcome.ran) return { ok: false, exitCode: run.exitCode, reason: outcome.reason, stderr: run.stderr }
  let inspected: { totalDuration?: unknown; setupTimeout?: unknown; teardownTimeout?: unknown }
  try {
    inspected = JSON.parse(run.stdout)
  } catch {
    return { ok: false, exitCode: run.exitCode, reason: 'k6 inspect printed no readable description of the script', stderr: run.stderr }
  }
  const totalDurationMs = goDurationMs(inspected.totalDuration) ?? 0
  const setupMs = goDurationMs(inspected.setupTimeout) ?? K6_DEFAULT_SETUP_TIMEOUT_MS
  const teardownMs = goDurationMs(inspected.teardownTimeout) ?? K6_DEFAULT_SETUP_TIMEOUT_MS
  return { ok: true, totalDurationMs, timeLimitMs: totalDurationMs + setupMs + teardownMs + K6_START_END_MARGIN_MS }
}

/** A Go duration as k6 prints it ("1h30m1.5s", "500ms"); undefined for null or anything else. */
export function goDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(value)) return undefined
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 }
  let total = 0
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(amount) * unitMs[unit!]!
  return total
}
