/**
 * Run stage: one `k6 run` of a script through the launcher (process.ts), its exit read as an
 * outcome. Secrets reach k6 through its environment only, never its argv.
 */
import { interpretExitCode, lastK6Error, type K6Outcome } from './exit-codes.js'
import { openK6Output, type K6OutputStream, type OutputTransport } from './output-stream.js'
import { runK6Process, type K6ProcessResult } from './process.js'

export interface K6RunRequest {
  k6Path: string
  scriptPath: string
  summaryPath: string
  cwd: string
  /** Variables the script reads through __ENV (base URL, auth secrets). */
  env: Record<string, string>
  /** k6's console output as it comes, for the live log. */
  onOutput?: (text: string) => void
  /**
   * Also stream k6's raw samples (`--out json`) to onChunk while it runs, through `path` (a named
   * pipe where the platform has them; see output-stream.ts). It costs k6 CPU (it writes every
   * sample): only runs that need the samples over time ask for it.
   */
  rawOutput?: { path: string; onChunk: (chunk: Buffer) => void; transport?: OutputTransport }
  /** More arguments for `k6 run`, before the script (e.g. --summary-trend-stats). */
  extraArgs?: readonly string[]
  /** Wall-clock limit (k6RunTimeLimitMs): past it k6 is stopped and the run is an error. */
  timeLimitMs?: number
  /** Cancellation (see K6ProcessRequest). */
  signal?: AbortSignal
  urgent?: AbortSignal
  /** host:port for k6's REST API (`--address`), read while it runs (live-counters.ts); unset: the API stays off. */
  apiAddress?: string
  /** k6's process id once it runs. */
  onSpawn?: (pid: number) => void
  /** false: k6 also prints its banner (the outputs it writes to, with a cloud run's address). Default true. */
  quiet?: boolean
}

export interface K6RunResult {
  outcome: K6Outcome
  exitCode: number | null
  wallTimeMs: number
  /** The tail of k6's stderr. */
  stderr: string
}

/** k6's default gracefulStop (and gracefulRampDown): how long it lets iterations finish after the planned end. */
export const K6_DEFAULT_GRACEFUL_STOP_MS = 30_000
/** Room for k6's start (VU initialisation) and end (summary, outputs) beyond the planned run and its gracefulStop. */
export const K6_START_END_MARGIN_MS = 30_000
/** The margin beyond the planned duration never exceeds this, whatever the gracefulStop. */
export const K6_MAX_MARGIN_MS = 3 * 60_000

/** The wall-clock limit of a k6 run planned to take `plannedMs`: its gracefulStop and a start/end margin, bounded. */
export function k6RunTimeLimitMs(plannedMs: number, gracefulStopMs: number = K6_DEFAULT_GRACEFUL_STOP_MS): number {
  return plannedMs + Math.min(gracefulStopMs + K6_START_END_MARGIN_MS, K6_MAX_MARGIN_MS)
}

/** The reason a run that hit its wall-clock limit gets. */
export function timeLimitReason(limitMs: number): string {
  const seconds = limitMs / 1000
  return `k6 did not finish in time (limit ${seconds < 10 ? Number(seconds.toFixed(1)) : Math.round(seconds)} s)`
}

export const CANCELLED_REASON = 'cancelled'

export function k6RunArgs(
  scriptPath: string,
  summaryPath: string,
  rawOutputPath?: string,
  extraArgs: readonly string[] = [],
  apiAddress?: string,
  quiet = true,
): string[] {
  const out = rawOutputPath === undefined ? [] : ['--out', `json=${rawOutputPath}`]
  // k6's REST API only where something reads it (the live counters), on a port of this run's own.
  const api = apiAddress === undefined ? ['--address', ''] : ['--address', apiAddress]
  return ['run', ...(quiet ? ['--quiet'] : []), '--no-color', '--summary-export', summaryPath, ...api, ...out, ...extraArgs, scriptPath]
}

export async function runK6(request: K6RunRequest): Promise<K6RunResult> {
  if (request.signal?.aborted) return { outcome: { ran: false, reason: CANCELLED_REASON }, exitCode: null, wallTimeMs: 0, stderr: '' }
  let output: K6OutputStream | undefined
  try {
    output = request.rawOutput && openK6Output(request.rawOutput.path, request.rawOutput.onChunk, request.rawOutput.transport)
    const run = await runK6Process({
      k6Path: request.k6Path,
      args: k6RunArgs(request.scriptPath, request.summaryPath, output?.path, request.extraArgs, request.apiAddress, request.quiet ?? true),
      env: request.env,
      cwd: request.cwd,
      onOutput: request.onOutput,
      timeLimitMs: request.timeLimitMs,
      signal: request.signal,
      urgent: request.urgent,
      onSpawn: request.onSpawn,
    })
    return { outcome: runOutcome(run, request.timeLimitMs), exitCode: run.exitCode, wallTimeMs: run.wallTimeMs, stderr: run.stderr }
  } finally {
    // Every byte k6 wrote reaches onChunk before the run counts as done; the pipe or file is removed.
    await output?.finish()
  }
}

/** The exit read as an outcome; a run we stopped says why, whatever code k6 exited with. */
export function runOutcome(run: K6ProcessResult, timeLimitMs: number | undefined): K6Outcome {
  if (run.stoppedBy === 'cancelled') return { ran: false, reason: CANCELLED_REASON }
  if (run.stoppedBy === 'time-limit') return { ran: false, reason: timeLimitReason(timeLimitMs ?? run.wallTimeMs) }
  return interpretExitCode(run.exitCode, run.signal, lastK6Error(run.stderr))
}
