/**
 * The one way k6 is started (k6 run, k6 inspect): an environment built from an allow-list, its
 * output forwarded as it comes, a wall-clock limit, and cancellation. Stopping k6 is always the
 * same ladder: SIGINT (k6 stops its test and writes its summary), SIGTERM after a grace (k6 exits
 * at once), SIGKILL after another.
 */
import { spawn } from 'node:child_process'

export interface K6ProcessRequest {
  k6Path: string
  args: readonly string[]
  /** Variables for the script (__ENV): base URL, secrets. Added to the allow-listed process variables. */
  env: Record<string, string>
  cwd: string
  /** k6's stdout and stderr as they come. */
  onOutput?: (text: string) => void
  /** Wall-clock limit; when it passes k6 is stopped (SIGINT, SIGTERM, SIGKILL). */
  timeLimitMs?: number
  /** Cancellation: k6 is stopped the same way; when `urgent` is also aborted, without waiting for its summary. */
  signal?: AbortSignal
  urgent?: AbortSignal
  /** k6's process id once it runs (the capacity mode reads its CPU time from /proc). */
  onSpawn?: (pid: number) => void
}

export interface K6ProcessResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** The tail of k6's stderr, where it explains a failure. */
  stderr: string
  wallTimeMs: number
  /** k6's stdout (its last 4 MiB). */
  stdout: string
  /** Why we stopped k6, when we did. */
  stoppedBy?: 'time-limit' | 'cancelled'
}

/** How long k6 gets after SIGINT to finish its summary before SIGTERM; under GitHub's 7.5 s from SIGINT to its own SIGTERM. */
export const K6_STOP_GRACE_MS = 5_000
/** How long k6 gets after SIGTERM before SIGKILL. */
export const K6_KILL_GRACE_MS = 2_000
/** The tail of k6's stderr kept for messages; a long run must not grow it without bound. */
const KEPT_STDERR_CHARS = 64 * 1024
/** k6's stdout kept for reading (k6 inspect's JSON); `k6 run --quiet` prints only its summary there. */
const KEPT_STDOUT_CHARS = 4 * 1024 * 1024

/** Process variables k6 itself needs; nothing else of the runner's environment is passed on. */
const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SYSTEMROOT',
  'LANG',
  'TZ',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  // A self-hosted runner finds the processes a job left behind by this variable and ends them.
  'RUNNER_TRACKING_ID',
]

export function k6Environment(extra: Record<string, string>, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of PASSED_THROUGH) {
    const value = parent[name]
    if (value !== undefined) env[name] = value
  }
  // No anonymous usage report: the gate's runs stay on the runner.
  env.K6_NO_USAGE_REPORT = 'true'
  return { ...env, ...extra }
}

/** Runs k6 to its end (or until stopped); rejects only when k6 cannot be started at all. */
export function runK6Process(request: K6ProcessRequest): Promise<K6ProcessResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(request.k6Path, request.args, {
      cwd: request.cwd,
      env: k6Environment(request.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in a terminal reaches k6 once, forwarded by us, not twice
      // (twice makes k6 exit at once, without its summary).
      detached: process.platform !== 'win32',
    })
    let stderr = ''
    let stdout = ''
    let stoppedBy: K6ProcessResult['stoppedBy']
    const timers: NodeJS.Timeout[] = []
    const send = (signal: NodeJS.Signals): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    }
    const stop = (why: NonNullable<K6ProcessResult['stoppedBy']>): void => {
      if (stoppedBy !== undefined) return
      stoppedBy = why
      send('SIGINT')
      timers.push(setTimeout(() => send('SIGTERM'), K6_STOP_GRACE_MS))
      timers.push(setTimeout(() => send('SIGKILL'), K6_STOP_GRACE_MS + K6_KILL_GRACE_MS))
    }
    const stopNow = (): void => {
      stop('cancelled')
      send('SIGTERM')
      timers.push(setTimeout(() => send('SIGKILL'), K6_KILL_GRACE_MS))
    }
    const onAbort = (): void => stop('cancelled')
    request.signal?.addEventListener('abort', onAbort, { once: true })
    request.urgent?.addEventListener('abort', stopNow, { once: true })
    if (request.timeLimitMs !== undefined) timers.push(setTimeout(() => stop('time-limit'), request.timeLimitMs))
    const release = (): void => {
      for (const timer of timers) clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
      request.urgent?.removeEventListener('abort', stopNow)
    }

    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout = (stdout + text).slice(-KEPT_STDOUT_CHARS)
      request.onOutput?.(text)
    })
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-KEPT_STDERR_CHARS)
      request.onOutput?.(text)
    })
    child.on('error', (err) => {
      release()
      reject(err)
    })
    child.on('spawn', () => {
      if (child.pid !== undefined) request.onSpawn?.(child.pid)
      // Cancelled before k6 was even running: stop it as soon as it is.
      if (request.urgent?.aborted) stopNow()
      else if (request.signal?.aborted) stop('cancelled')
    })
    child.on('close', (exitCode, signal) => {
      release()
      resolve({ exitCode, signal, stderr, stdout, wallTimeMs: Date.now() - started, ...(stoppedBy ? { stoppedBy } : {}) })
    })
  })
}
