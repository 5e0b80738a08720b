/**
 * npm run bench:k6-cpu: k6's CPU per request for Perf-Xi's generated script against a minimal
 * hand-written k6 script sending the same requests with the same VUs. Not a test: it prints figures.
 *
 * Set-up: bench/static-target.mjs (Node, 200 + a small JSON body for any path) on 127.0.0.1 pinned
 * to CPU 0, k6 pinned to CPU 1 (`taskset`, util-linux); both scripts alternate, the first one
 * changing each round. k6's CPU time is user + sys of the k6 process (bash's `times` after it
 * exits), divided by k6's own count of requests (--summary-export). Needs Linux, 2 CPUs, bash.
 * BENCH_ROUNDS (default 5), BENCH_DURATION (default 10s), BENCH_PLANS=sample,fifty.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../src/config/load.js'
import { ensureK6 } from '../src/k6/install.js'
import { categoryScenarios } from '../src/plan/category-scenarios.js'
import { buildPlan, type TestPlan } from '../src/plan/plan.js'
import { peakTarget } from '../src/plan/profiles.js'
import { renderK6Script } from '../src/script/k6.js'
import { loadSpec } from '../src/spec/load.js'
import { syntheticSpec } from '../__tests__/support/stub-api.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const DURATION = process.env.BENCH_DURATION ?? '10s'
const TOKEN = 'bench-token'

interface Case {
  label: string
  plan: (dir: string, baseUrl: string) => Promise<TestPlan>
}

const CASES: Record<string, Case> = {
  sample: {
    label: "sample API's GET endpoints (no think time: GET /reports/slow left out)",
    plan: async (_dir, baseUrl) => {
      const config = resolveConfig(
        {
          openapi: 'examples/sample-api/openapi.yaml',
          config: 'examples/sample-api/perf-xi.yml',
          'base-url': baseUrl,
          'allow-writes': 'false',
          exclude: 'GET /reports/slow',
          duration: DURATION,
        },
        { cwd: root },
      )
      return buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
    },
  },
  fifty: {
    label: 'a 50-endpoint spec (50 GETs, default SLOs)',
    plan: async (dir, baseUrl) => {
      const spec = path.join(dir, 'fifty.json')
      writeFileSync(spec, JSON.stringify(syntheticSpec(50)))
      const config = resolveConfig({ openapi: spec, 'base-url': baseUrl, vus: '5', duration: DURATION }, { cwd: dir })
      return buildPlan(config, await loadSpec(config.openapi, { cwd: dir }))
    },
  },
}

/** What a k6 user would write for the same requests: a plain loop of http.request calls, no tags, no thresholds. */
function handWritten(plan: TestPlan, baseUrl: string, vus: number): string {
  const lines = plan.endpoints.map(({ endpoint, request }) => {
    const headers = { ...request.headers, ...(plan.auth.type === 'bearer' ? { Authorization: `Bearer ${TOKEN}` } : {}) }
    return `  http.request(${JSON.stringify(endpoint.method)}, ${JSON.stringify(baseUrl + request.path)}, null, { headers: ${JSON.stringify(headers)} });`
  })
  return [
    "import http from 'k6/http';",
    `export const options = { vus: ${vus}, duration: ${JSON.stringify(DURATION)}, discardResponseBodies: true };`,
    'export default function () {',
    ...lines,
    '}',
    '',
  ].join('\n')
}

interface Measure {
  cpuMs: number
  requests: number
}

function runK6(k6: string, script: string, summary: string): Measure {
  // bash's `times` prints the shell's own times, then its children's: k6's user and sys.
  const out = execFileSync(
    'bash',
    ['--norc', '--noprofile', '-c', 'taskset -c 1 "$0" run --quiet --summary-export "$2" "$1" >/dev/null 2>&1 || [ $? -eq 99 ]; times', k6, script, summary],
    {
      env: { PATH: process.env.PATH, K6_NO_USAGE_REPORT: 'true', SAMPLE_API_TOKEN: TOKEN },
      encoding: 'utf8',
    },
  )
  const children = out.trim().split('\n').at(-1)!.split(/\s+/).map(seconds)
  const requests = JSON.parse(readFileSync(summary, 'utf8')).metrics.http_reqs.count as number
  return { cpuMs: (children[0]! + children[1]!) * 1000, requests }
}

function seconds(text: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(text)
  if (!m) throw new Error(`unexpected times output: ${text}`)
  return Number(m[1]) * 60 + Number(m[2])
}

function startTarget(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn('taskset', ['-c', '0', process.execPath, path.join(root, 'bench', 'static-target.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.stdout!.once('data', (chunk: Buffer) => resolve({ child, port: Number(chunk.toString().trim()) }))
  })
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const perRequestUs = (m: Measure) => (m.cpuMs * 1000) / m.requests

async function main(): Promise<void> {
  if (os.cpus().length < 2) throw new Error('needs 2 CPUs: the target on one, k6 on the other')
  const k6 = (await ensureK6()).path
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-k6-cpu-'))
  const target = await startTarget()
  const baseUrl = `http://127.0.0.1:${target.port}`
  try {
    console.log(`k6 CPU per request, generated ÷ hand-written; ${ROUNDS} rounds of ${DURATION} each, target on CPU 0, k6 on CPU 1`)
    for (const name of (process.env.BENCH_PLANS ?? 'sample,fifty').split(',')) {
      const c = CASES[name]
      if (!c) throw new Error(`unknown plan ${name}; known: ${Object.keys(CASES).join(', ')}`)
      const plan = await c.plan(dir, baseUrl)
      const vus = categoryScenarios(plan).reduce((sum, s) => sum + peakTarget(s.executor), 0)
      const generated = path.join(dir, `${name}-generated.js`)
      const hand = path.join(dir, `${name}-hand.js`)
      writeFileSync(generated, renderK6Script(plan, { title: name, source: name, scriptName: 'generated.js' }))
      writeFileSync(hand, handWritten(plan, baseUrl, vus))
      console.log(`\n${c.label}: ${plan.endpoints.length} endpoints, ${vus} VUs`)
      const ratios: number[] = []
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 1 ? ['generated', 'hand'] : ['hand', 'generated']
        const m: Record<string, Measure> = {}
        for (const which of order) m[which] = runK6(k6, which === 'generated' ? generated : hand, path.join(dir, `${name}-${which}-summary.json`))
        const ratio = perRequestUs(m.generated!) / perRequestUs(m.hand!)
        ratios.push(ratio)
        console.log(
          `  round ${round}: generated ${perRequestUs(m.generated!).toFixed(1)} µs/req (${m.generated!.requests} req), ` +
            `hand-written ${perRequestUs(m.hand!).toFixed(1)} µs/req (${m.hand!.requests} req): ${ratio.toFixed(3)}×`,
        )
      }
      console.log(`  median ${median(ratios).toFixed(3)}× (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`)
    }
  } finally {
    target.child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
