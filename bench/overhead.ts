/**
 * npm run bench:overhead: what a user waits for beyond k6, as whole processes. Each round runs,
 * in a rotating order, k6 alone on the generated script, the action bundle (`node dist/index.js`,
 * INPUT_* variables as the runner sets them) and the CLI bundle (`node dist/cli/index.js`), all
 * against the sample API on 127.0.0.1 with the same 3 s smoke test. Prints every round and the
 * medians of the differences. Targets: action ≤ 0.5 s, CLI ≤ 0.7 s. Needs `npm run build` first.
 * BENCH_ROUNDS (default 7) sets the rounds; the first, untimed run warms the disk cache.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startSampleApi } from '../examples/sample-api/server.js'
import { ensureK6 } from '../src/k6/install.js'
import { k6RunArgs } from '../src/k6/run.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const TARGET_MS = { action: 500, cli: 700 } as const
const TOKEN = 'bench-overhead-token'
const CONFIG = 'examples/sample-api/perf-xi.yml'
const DURATION = '3s'
const root = process.cwd()

type Arm = 'k6' | 'action' | 'cli'

for (const bundle of ['dist/index.js', 'dist/cli/index.js']) {
  if (!existsSync(path.join(root, bundle))) throw new Error(`${bundle} is missing: run npm run build first`)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Wall time of one child process, from spawn to exit; its output is kept for the error message only. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; output: string }> {
  const started = performance.now()
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, output }))
  })
}

const k6 = await ensureK6()
const api = await startSampleApi({ port: 0, token: TOKEN })
const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-bench-overhead-'))
const baseEnv = { PATH: `${path.dirname(k6.path)}${path.delimiter}${process.env.PATH}`, HOME: process.env.HOME ?? scratch, SAMPLE_API_TOKEN: TOKEN }

function runCli(round: number) {
  const outDir = path.join(scratch, `cli-${round}`)
  return timed(process.execPath, ['dist/cli/index.js', '--config', CONFIG, '--base-url', api.url, '--duration', DURATION, '--out-dir', outDir], baseEnv)
}

function runAction(round: number) {
  const tmp = mkdtempSync(path.join(scratch, `action-${round}-`))
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    GITHUB_WORKSPACE: root,
    GITHUB_OUTPUT: path.join(tmp, 'output'),
    GITHUB_STEP_SUMMARY: path.join(tmp, 'summary.md'),
    RUNNER_TEMP: tmp,
    INPUT_CONFIG: CONFIG,
    'INPUT_BASE-URL': api.url,
    INPUT_DURATION: DURATION,
    'INPUT_RESULTS-FILE': path.join(tmp, 'results.json'),
  }
  writeFileSync(env.GITHUB_OUTPUT!, '')
  writeFileSync(env.GITHUB_STEP_SUMMARY!, '')
  return timed(process.execPath, ['dist/index.js'], env)
}

/** k6 as the gate starts it (same script, arguments and environment), with nothing around it. */
function runK6Alone(script: string, round: number) {
  const summary = path.join(scratch, `k6-summary-${round}.json`)
  return timed(k6.path, k6RunArgs(script, summary), { ...baseEnv, PERF_XI_BASE_URL: api.url })
}

try {
  // The untimed first run writes the script k6 alone runs, and warms the disk cache for all three.
  const first = await runCli(0)
  const script = /^Script:\s+(.+)$/m.exec(first.output)?.[1]
  if (first.code === 2 || !script) throw new Error(`the CLI did not run:\n${first.output}`)
  await runAction(0)

  console.log(`Whole processes against k6 ${k6.version} alone (sample API, ${DURATION} smoke test, ${ROUNDS} rounds, order rotating)`)
  console.log('round  k6 alone   action    beyond k6   cli       beyond k6')
  const beyond: Record<'action' | 'cli', number[]> = { action: [], cli: [] }
  const k6Times: number[] = []
  const arms: Arm[] = ['k6', 'action', 'cli']
  for (let round = 1; round <= ROUNDS; round++) {
    const times = {} as Record<Arm, number>
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[(i + round) % arms.length]
      const run = arm === 'k6' ? await runK6Alone(script, round) : arm === 'action' ? await runAction(round) : await runCli(round)
      // Exit 1 (an SLO verdict) is a result; 2, or k6 failing outright, is not a run to time.
      if (run.code === 2 || (arm === 'k6' && run.code !== 0 && run.code !== 99))
        throw new Error(`${arm} failed in round ${round} (exit ${run.code}):\n${run.output}`)
      times[arm] = run.ms
    }
    k6Times.push(times.k6)
    beyond.action.push(times.action - times.k6)
    beyond.cli.push(times.cli - times.k6)
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padEnd(10)
    const plus = (ms: number) => `${ms >= 0 ? '+' : '−'}${(Math.abs(ms) / 1000).toFixed(2)} s`.padEnd(12)
    console.log(`${String(round).padEnd(7)}${s(times.k6)}${s(times.action)}${plus(times.action - times.k6)}${s(times.cli)}${plus(times.cli - times.k6)}`)
  }
  console.log(`median ${(median(k6Times) / 1000).toFixed(2)} s k6 alone`)
  for (const arm of ['action', 'cli'] as const) {
    const m = median(beyond[arm])
    const range = `${(Math.min(...beyond[arm]) / 1000).toFixed(2)}–${(Math.max(...beyond[arm]) / 1000).toFixed(2)} s`
    const met = m <= TARGET_MS[arm] ? 'met' : 'MISSED'
    console.log(
      `  ${arm === 'action' ? 'action bundle (node dist/index.js)     ' : 'CLI bundle (node dist/cli/index.js)    '} +${(m / 1000).toFixed(2)} s beyond k6 (${range})   target ≤ ${TARGET_MS[arm] / 1000} s  ${met}`,
    )
  }
} finally {
  await api.close()
  rmSync(scratch, { recursive: true, force: true })
}
