/**
 * Run stage: runs k6 as a child process. Secrets reach k6 through its environment only, never
 * its argv, and the environment is built from scratch so the runner's own tokens stay out of it.
 */
import { spawn } from 'node:child_process'
import { interpretExitCode, lastK6Error, type K6Outcome } from './exit-codes.js'
import { openK6Output, type OutputTransport } from './output-stream.js'

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
  /** host:port for k6's REST API (`--address`), read while it runs (live-counters.ts); unset: k6's default. */
  apiAddress?: string
}

export interface K6RunResult {
  outcome: K6Outcome
  exitCode: number | null
  wallTimeMs: number
}

/** Process variables k6 itself needs; nothing else of the runner's environment is passed on. */
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'LANG', 'TZ', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']

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

export function k6RunArgs(scriptPath: string, summaryPath: string, rawOutputPath?: string, apiAddress?: string): string[] {
  const out = rawOutputPath === undefined ? [] : ['--out', `json=${rawOutputPath}`]
  const api = apiAddress === undefined ? [] : ['--address', apiAddress]
  return ['run', '--quiet', '--no-color', '--summary-export', summaryPath, ...api, ...out, scriptPath]
}

export async function runK6(request: K6RunRequest): Promise<K6RunResult> {
  if (request.rawOutput === undefined) return spawnK6(request)
  const output = openK6Output(request.rawOutput.path, request.rawOutput.onChunk, request.rawOutput.transport)
  try {
    return await spawnK6(request, output.path)
  } finally {
    // Every byte k6 wrote reaches onChunk before the run counts as done.
    await output.finish()
  }
}

function spawnK6(request: K6RunRequest, rawOutputPath?: string): Promise<K6RunResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(request.k6Path, k6RunArgs(request.scriptPath, request.summaryPath, rawOutputPath, request.apiAddress), {
      cwd: request.cwd,
      env: k6Environment(request.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => request.onOutput?.(text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      // Only the tail matters for the error message; a long run must not grow this without bound.
      stderr = (stderr + text).slice(-64 * 1024)
      request.onOutput?.(text)
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      resolve({ outcome: interpretExitCode(code, signal, lastK6Error(stderr)), exitCode: code, wallTimeMs: Date.now() - started })
    })
  })
}
