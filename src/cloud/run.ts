/**
 * `k6 cloud run`: k6 packs the script into an archive, uploads it to Grafana Cloud k6 and follows
 * the run until Grafana has finished running it; its exit code says how it ended (97 the cloud run
 * failed, 98 k6 lost its progress, 99 thresholds crossed). The test run's id comes from the run's
 * address k6 prints ("output: …/runs/<id>"). The token reaches k6 through its environment only.
 */
import { interpretExitCode, lastK6Error, type K6Outcome } from '../k6/exit-codes.js'
import { runK6Process } from '../k6/process.js'
import { CANCELLED_REASON, timeLimitReason } from '../k6/run.js'

export interface CloudRunRequest {
  k6Path: string
  scriptPath: string
  cwd: string
  /** k6's K6_CLOUD_* variables (token, project, stack, host). */
  env: Record<string, string>
  /** Variables the script reads (__ENV) that go into the archive: the base URL only, never a secret. */
  scriptEnv: Record<string, string>
  onOutput?: (text: string) => void
  timeLimitMs?: number
  signal?: AbortSignal
  urgent?: AbortSignal
}

export interface CloudRunResult {
  outcome: K6Outcome
  exitCode: number | null
  wallTimeMs: number
  /** The test run in Grafana Cloud k6, when k6 got as far as creating it. */
  testRunId?: string
  url?: string
  /** k6's last error (often Grafana's own message), on one line. */
  k6Message?: string
}

export function cloudRunArgs(scriptPath: string, scriptEnv: Record<string, string>): string[] {
  return ['cloud', 'run', '--no-color', ...Object.entries(scriptEnv).flatMap(([name, value]) => ['--env', `${name}=${value}`]), scriptPath]
}

export async function runCloudTest(request: CloudRunRequest): Promise<CloudRunResult> {
  if (request.signal?.aborted) return { outcome: { ran: false, reason: CANCELLED_REASON }, exitCode: null, wallTimeMs: 0 }
  const run = await runK6Process({
    k6Path: request.k6Path,
    args: cloudRunArgs(request.scriptPath, request.scriptEnv),
    // Cloud logs would be tailed over a websocket of their own; they stay in Grafana's UI.
    env: { K6_SHOW_CLOUD_LOGS: 'false', ...request.env },
    cwd: request.cwd,
    onOutput: request.onOutput,
    timeLimitMs: request.timeLimitMs,
    signal: request.signal,
    urgent: request.urgent,
  })
  const k6Message = lastK6Error(run.stderr) ?? lastK6Error(run.stdout)
  const outcome: K6Outcome =
    run.stoppedBy === 'cancelled'
      ? { ran: false, reason: CANCELLED_REASON }
      : run.stoppedBy === 'time-limit'
        ? { ran: false, reason: timeLimitReason(request.timeLimitMs ?? run.wallTimeMs) }
        : interpretExitCode(run.exitCode, run.signal, k6Message)
  const link = cloudRunLink(`${run.stdout}\n${run.stderr}`)
  return { outcome, exitCode: run.exitCode, wallTimeMs: run.wallTimeMs, ...link, ...(k6Message ? { k6Message } : {}) }
}

/**
 * The run's address and id from k6's output: `output: <url>` for `k6 cloud run`, `output: cloud (<url>)`
 * (among others) for `k6 run --out cloud`; Grafana's address ends in `/runs/<id>`.
 */
export function cloudRunLink(output: string): { testRunId?: string; url?: string } {
  for (const line of output.split('\n').reverse()) {
    const match = /^\s*output: (?:.*?cloud \()?(https?:\/\/\S+?\/runs\/(\d+))\)?(?:,|\s|$)/.exec(line)
    if (match) return { url: match[1], testRunId: match[2] }
  }
  return {}
}
