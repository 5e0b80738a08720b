/**
 * npm run bench:capacity-overhead: the capacity mode's own cost beyond k6. Each round runs, in a
 * rotating order, k6 alone on the capacity script (the same script, arguments and environment, but
 * no streamed samples) and the whole capacity mode in process (spec, plan, scripts, k6 with its
 * samples streamed and read per level, the CPU sampler, the analysis, results and reports), against
 * the sample API's GET /capacity on 127.0.0.1: 4 levels of 3 s. Prints every round and the median
 * difference. BENCH_ROUNDS (default 3) sets the rounds; the first, untimed run writes the scripts.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startSampleApi } from '../examples/sample-api/server.js'
import { CAPACITY_SCRIPT_FILE, runCapacityGate } from '../src/capacity-gate.js'
import { resolveConfig } from '../src/config/load.js'
import type { GateIo } from '../src/gate.js'
import { ensureK6 } from '../src/k6/install.js'
import { k6RunArgs } from '../src/k6/run.js'
import { renderConsoleReport, renderSummaryMarkdown } from '../src/report/summary.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const root = process.cwd()
const k6 = await ensureK6()
const api = await startSampleApi({ port: 0, capacity: { slots: 4, queue: 1000, workMs: 20 } })
const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-bench-capacity-'))
const configFile = path.join(scratch, 'perf-xi.yml')
writeFileSync(configFile, 'capacity:\n  levels: [1, 2, 4, 8]\n  level-duration: 3s\n  warm-up: 1s\n')

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function capacityMode(round: number): Promise<{ ms: number; workDir: string }> {
  const workDir = path.join(scratch, `run-${round}`)
  const started = performance.now()
  const config = resolveConfig(
    {
      openapi: 'examples/sample-api/capacity.openapi.yaml',
      'base-url': api.url,
      config: configFile,
      'target-rps': '500',
      'target-p95': '100ms',
      'results-file': path.join(workDir, 'results.json'),
    },
    { cwd: root, mode: 'capacity' },
  )
  const io: GateIo = { cwd: root, workDir, env: {}, log: () => {}, warn: () => {}, k6Output: () => {}, ensureK6: async () => k6 }
  const { results } = await runCapacityGate(config, { runId: `bench-${round}` }, io)
  renderSummaryMarkdown(results)
  renderConsoleReport(results)
  if (!results.capacity) throw new Error(`the capacity run measured nothing: ${results.reasons.join('; ')}`)
  return { ms: performance.now() - started, workDir }
}

function k6Alone(workDir: string, round: number): Promise<number> {
  const started = performance.now()
  const child = spawn(k6.path, k6RunArgs(path.join(workDir, CAPACITY_SCRIPT_FILE), path.join(scratch, `summary-${round}.json`)), {
    cwd: workDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? scratch, PERF_XI_BASE_URL: api.url, K6_NO_USAGE_REPORT: 'true' },
    stdio: 'ignore',
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`k6 alone exited ${code}`))))
  })
}

try {
  const { workDir } = await capacityMode(0)
  console.log(
    `The capacity mode against k6 ${k6.version} alone (4 levels of 3 s, ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}, ${ROUNDS} rounds, order alternating)`,
  )
  console.log('round  k6 alone   capacity mode   beyond k6')
  const beyond: number[] = []
  const alone: number[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    let k6Ms = 0
    let modeMs = 0
    for (const arm of round % 2 ? ['k6', 'mode'] : ['mode', 'k6']) {
      if (arm === 'k6') k6Ms = await k6Alone(workDir, round)
      else modeMs = (await capacityMode(round)).ms
    }
    alone.push(k6Ms)
    beyond.push(modeMs - k6Ms)
    console.log(
      `${String(round).padEnd(7)}${`${(k6Ms / 1000).toFixed(2)} s`.padEnd(11)}${`${(modeMs / 1000).toFixed(2)} s`.padEnd(16)}${modeMs >= k6Ms ? '+' : '−'}${(Math.abs(modeMs - k6Ms) / 1000).toFixed(2)} s`,
    )
  }
  const m = median(beyond)
  console.log(`median: +${(m / 1000).toFixed(2)} s beyond k6 alone (${((100 * m) / median(alone)).toFixed(1)} % of its ${(median(alone) / 1000).toFixed(2)} s)`)
} finally {
  await api.close()
  rmSync(scratch, { recursive: true, force: true })
}
