/**
 * Runs the committed bundle the way the GitHub runner does: `node dist/index.js` with INPUT_*
 * variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and nothing else of this process's
 * environment but PATH (with k6's folder first), HOME and the k6 cache.
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from './temp-dirs.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface ActionRun {
  exitCode: number | null
  /** stdout and stderr together, as the job log shows them. */
  stdout: string
  outputs: Record<string, string>
  /** GITHUB_OUTPUT as written, to count how often an output was set. */
  outputText: string
  summary: string
  /** The run's temporary folder (RUNNER_TEMP), where results.json goes unless results-file says otherwise. */
  tmp: string
}

export async function runBundledAction(opts: {
  inputs: Record<string, string>
  env?: Record<string, string>
  k6Dir: string
  /** The checked-out repository (GITHUB_WORKSPACE, the action's working directory). Default this repository. */
  workspace?: string
  /** Called once the action has started, while it runs (to signal it, say); the run ends when the action does. */
  whileRunning?: (action: { pid: number; output: () => string }) => Promise<void>
  /** source: src/index.ts through tsx, for tests of the entry without rebuilding dist/. Default bundle. */
  entry?: 'bundle' | 'source'
}): Promise<ActionRun> {
  const tmp = tempDir('perf-xi-action-')
  const outputFile = path.join(tmp, 'output')
  const summaryFile = path.join(tmp, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: `${opts.k6Dir}${path.delimiter}${process.env.PATH}`,
    HOME: process.env.HOME ?? tmp,
    GITHUB_WORKSPACE: opts.workspace ?? ROOT,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: tmp,
    'INPUT_RESULTS-FILE': path.join(tmp, 'results.json'),
    ...Object.fromEntries(Object.entries(opts.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...opts.env,
  }
  if (process.env.PERF_XI_CACHE_DIR) env.PERF_XI_CACHE_DIR = process.env.PERF_XI_CACHE_DIR
  const args = opts.entry === 'source' ? ['--import', 'tsx', path.join(ROOT, 'src', 'index.ts')] : [path.join(ROOT, 'dist', 'index.js')]
  const child = spawn(process.execPath, args, { cwd: opts.workspace ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stdout += d))
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
  await opts.whileRunning?.({ pid: child.pid!, output: () => stdout })
  const exitCode = await closed
  const outputText = readFileSync(existsOr(env.GITHUB_OUTPUT, outputFile), 'utf8')
  return { exitCode, stdout, outputs: parseOutputs(outputText), outputText, summary: readFileSync(summaryFile, 'utf8'), tmp }
}

function existsOr(configured: string, fallback: string): string {
  try {
    readFileSync(configured)
    return configured
  } catch {
    return fallback
  }
}

/** GITHUB_OUTPUT holds name<<delimiter / value / delimiter blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const end = lines.indexOf(match[2], i + 1)
    outputs[match[1]] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}
