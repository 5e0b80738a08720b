/**
 * npx tsx bench/stream-memory.ts: prints the figures behind streaming user scripts' SLIs
 * (src/k6/stream-slis.ts). Not a test: this machine is shared and noisy, so it prints what it saw.
 *
 *   1. The aggregator's memory on a synthetic k6 JSON stream of N and 10·N lines (default 1M and
 *      10M): retained memory (JS heap + array buffers, where the histograms' counts live) after a
 *      full GC at every tenth of the stream, and peak RSS. Also a
 *      stream in which every request has its own URL (ids, no name tag): the endpoint cap holds it.
 *   2. The same with real k6 against the sample API: a short run and one 10× longer, streamed
 *      through a named pipe while k6 runs.
 *   3. k6's own CPU per request with no output, --out json (read as it is written, as Perf-Xi
 *      does), and --out csv: which output costs the load generator less.
 * Each measurement runs in a child process of its own, so one's memory does not colour the next.
 * `--cpu` runs part 3 alone.
 *
 * Environment: BENCH_LINES (default 1000000), BENCH_SECONDS (default 3), BENCH_REQUESTS (k6 CPU
 * runs, default 30000), BENCH_ROUNDS (default 3).
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../examples/sample-api/server.js'
import { ensureK6 } from '../src/k6/install.js'
import { openK6Output } from '../src/k6/output-stream.js'
import { k6Environment } from '../src/k6/process.js'
import { SliAggregator } from '../src/k6/stream-slis.js'
import { runUserScripts } from '../src/user-scripts/run.js'

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const MB = 1024 * 1024
const self = fileURLToPath(import.meta.url)

interface MemoryReport {
  lines: number
  seconds: number
  endpoints: number
  /** JS heap plus array buffers still reachable after a full GC, at each tenth of the stream (MiB). */
  retainedMb: number[]
  peakRssMb: number
  startRssMb: number
  bytes: number
}

function mib(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10
}

/** What is still reachable: the JS heap and array buffers (the histograms' counts, the input pool). */
function retainedMib(): number {
  const usage = process.memoryUsage()
  return mib(usage.heapUsed + usage.arrayBuffers)
}

function gc(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

// ---------------------------------------------------------------------------------------------
// Children

/** Stands in a distinct-URL pool's names for the pass number, rewritten in place on every pass. */
const PASS_MARKER = '@@@@@@@@'

/** A pool of k6-shaped output (what k6 1.8 writes per request and iteration), fed round and round. */
function syntheticPool(distinctUrls: boolean): { pool: Buffer; lines: number; markers: number[] } {
  let seed = 42
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  const names = ['/health', '/products', '/products/{id}', '/search', '/reports/slow', '/inventory/flaky', '/account', '/orders']
  const parts: string[] = []
  const time = '2026-11-22T19:16:00.123456789Z'
  let lines = 0
  for (let request = 0; request < 4000; request++) {
    const name = names[request % names.length]!
    const url = `http://127.0.0.1:8080${name.replace('{id}', String(1 + (request % 100)))}`
    const tags = {
      expected_response: 'true',
      group: '::browse',
      method: name === '/orders' ? 'POST' : 'GET',
      name: distinctUrls ? `http://127.0.0.1:8080/items/${PASS_MARKER}-${request}` : name,
      proto: 'HTTP/1.1',
      scenario: 'default',
      status: '200',
      url,
    }
    const duration = name === '/reports/slow' ? 150 + random() * 5 : Math.exp(random() * 4 - 2)
    const point = (metric: string, value: number, t: object = tags): void => {
      parts.push(`${JSON.stringify({ metric, type: 'Point', data: { time, value, tags: t } })}\n`)
      lines++
    }
    point('http_reqs', 1)
    point('http_req_duration', duration)
    for (const m of ['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'])
      point(m, duration / 7)
    point('http_req_failed', random() < 0.01 ? 1 : 0)
    point('data_sent', 120, { group: '::browse', scenario: 'default' })
    point('data_received', 900, { group: '::browse', scenario: 'default' })
    point('group_duration', duration * 1.1, { group: '', scenario: 'default' })
    point('iteration_duration', duration * 1.2, { group: '', scenario: 'default' })
    point('iterations', 1, { group: '', scenario: 'default' })
  }
  const pool = Buffer.from(parts.join(''))
  const markers: number[] = []
  for (let at = pool.indexOf(PASS_MARKER); at !== -1; at = pool.indexOf(PASS_MARKER, at + 1)) markers.push(at)
  return { pool, lines, markers }
}

async function syntheticChild(totalLines: number, distinctUrls: boolean): Promise<MemoryReport> {
  const { pool, lines, markers } = syntheticPool(distinctUrls)
  const aggregator = new SliAggregator()
  gc()
  const startRss = process.memoryUsage().rss
  let peakRss = startRss
  const retained: number[] = []
  let fed = 0
  let bytes = 0
  let aggregatorMs = 0
  let nextCheckpoint = totalLines / 10
  for (let pass = 0; fed < totalLines; pass++) {
    // Distinct URLs: every pass renames its requests, so no name is ever seen twice.
    const tag = String(pass).padStart(PASS_MARKER.length, '0')
    for (const at of markers) pool.write(tag, at, 'latin1')
    const started = performance.now()
    for (let i = 0; i < pool.length; i += 64 * 1024) aggregator.write(pool.subarray(i, i + 64 * 1024))
    aggregatorMs += performance.now() - started
    fed += lines
    bytes += pool.length
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    while (fed >= nextCheckpoint && retained.length < 10) {
      gc()
      retained.push(retainedMib())
      nextCheckpoint += totalLines / 10
    }
  }
  const started = performance.now()
  aggregator.endRun()
  const result = aggregator.result()
  aggregatorMs += performance.now() - started
  return {
    lines: fed,
    seconds: aggregatorMs / 1000,
    endpoints: result.endpoints.length,
    retainedMb: retained,
    peakRssMb: mib(peakRss),
    startRssMb: mib(startRss),
    bytes,
  }
}

async function realChild(k6Path: string, baseUrl: string, seconds: number): Promise<MemoryReport> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-bench-stream-'))
  const script = path.join(workDir, 'load.js')
  writeFileSync(
    script,
    `import http from 'k6/http'
import { group } from 'k6'
const B = __ENV.BASE_URL
export const options = { vus: 4, duration: '${seconds}s' }
export default function () {
  group('browse', () => {
    http.get(\`\${B}/health\`)
    http.get(\`\${B}/products/\${(__ITER % 100) + 1}\`, { tags: { name: '/products/{id}' } })
    http.get(\`\${B}/search?q=lamp\`, { tags: { name: '/search' } })
  })
}
`,
  )
  gc()
  const startRss = process.memoryUsage().rss
  let peakRss = startRss
  const retained: number[] = []
  const started = performance.now()
  const tick = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 100)
  // A full GC at each tenth of the run: what the aggregator keeps, not what it has yet to collect.
  const checkpoints = setInterval(
    () => {
      gc()
      retained.push(retainedMib())
    },
    (seconds * 1000) / 10,
  )
  try {
    const result = await runUserScripts({ k6Path, scripts: [script], env: { BASE_URL: baseUrl }, workDir, transport: 'fifo' })
    const run = result.runs[0]!
    if (!run.outcome.ran) throw new Error(run.error)
    return {
      lines: result.total.requests,
      seconds: (performance.now() - started) / 1000,
      endpoints: result.slis.length,
      retainedMb: retained.slice(0, 10),
      peakRssMb: mib(peakRss),
      startRssMb: mib(startRss),
      bytes: 0,
    }
  } finally {
    clearInterval(tick)
    clearInterval(checkpoints)
    rmSync(workDir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// Parent

function child(args: string[]): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, '--expose-gc', self, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    proc.stdout.setEncoding('utf8').on('data', (text: string) => (out += text))
    proc.on('error', reject)
    proc.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench child ${args.join(' ')} exited with ${code}`))
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as MemoryReport)
    })
  })
}

function describeMemory(label: string, r: MemoryReport, unit: string): string {
  const heap = r.retainedMb
  return (
    `  ${label.padEnd(34)} ${String(r.lines.toLocaleString('en')).padStart(11)} ${unit}  ${r.seconds.toFixed(1).padStart(6)} s` +
    `  retained ${heap[0]?.toFixed(1)} → ${heap.at(-1)?.toFixed(1)} MiB (max ${Math.max(...heap).toFixed(1)})` +
    `  peak RSS ${r.peakRssMb.toFixed(0)} MiB (start ${r.startRssMb.toFixed(0)})  ${r.endpoints} endpoints` +
    (r.bytes > 0 ? `  ${(r.bytes / MB / r.seconds).toFixed(0)} MiB/s, ${(r.lines / r.seconds / 1e6).toFixed(2)} M lines/s` : '')
  )
}

async function synthetic(): Promise<void> {
  console.log(`1. Aggregator memory on a synthetic k6 JSON stream (k6's line shapes, 14 lines per request, 8 endpoints):`)
  for (const [label, lines, distinct] of [
    ['named endpoints', LINES, false],
    ['named endpoints, 10× longer', LINES * 10, false],
    ['every request its own URL', LINES, true],
    ['every request its own URL, 10× longer', LINES * 10, true],
  ] as const) {
    console.log(describeMemory(label, await child(['--synthetic', String(lines), distinct ? 'distinct' : 'named']), 'lines'))
  }
}

async function realK6(k6Path: string): Promise<void> {
  const api = await startSampleApi({ port: 0 })
  try {
    console.log(`2. Aggregator memory streaming real k6 through a named pipe (4 VUs against the sample API):`)
    for (const seconds of [SECONDS, SECONDS * 10]) {
      console.log(describeMemory(`${seconds} s run`, await child(['--real', k6Path, api.url, String(seconds)]), 'requests'))
    }
  } finally {
    await api.close()
  }
}

type CpuOutput = 'none' | 'json' | 'json-tail' | 'json-file' | 'csv'

/** k6's user+system CPU, from the shell's `times` (the only portable way to read a child's rusage). */
async function k6Cpu(k6Path: string, output: CpuOutput, script: string, workDir: string): Promise<{ cpuMs: number; parentCpuMs: number }> {
  const outPath = path.join(workDir, `out.${output}`)
  const aggregator = new SliAggregator()
  const transport = output === 'json' ? 'fifo' : output === 'json-tail' ? 'file' : undefined
  const stream = transport ? openK6Output(outPath, (chunk) => aggregator.write(chunk), transport) : undefined
  const outArgs = output === 'none' ? [] : ['--out', `${output === 'csv' ? 'csv' : 'json'}=${stream?.path ?? outPath}`]
  const cpuBefore = process.cpuUsage()
  const text = await new Promise<string>((resolve, reject) => {
    const proc = spawn(
      'sh',
      ['-c', '"$0" "$@" >/dev/null 2>&1; code=$?; times; exit $code', k6Path, 'run', '--quiet', '--summary-mode=disabled', ...outArgs, script],
      {
        env: k6Environment({}),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let out = ''
    proc.stdout.setEncoding('utf8').on('data', (t: string) => (out += t))
    proc.on('error', reject)
    proc.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`k6 exited with ${code}`))))
  })
  await stream?.finish()
  const cpu = process.cpuUsage(cpuBefore)
  rmSync(outPath, { force: true })
  // times prints the shell's own line, then its children's: "0m1.420s 0m0.559s".
  const childrenLine = text.trim().split('\n').at(-1)!
  const seconds = [...childrenLine.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]))
  return { cpuMs: (seconds[0]! + seconds[1]!) * 1000, parentCpuMs: (cpu.user + cpu.system) / 1000 }
}

async function outputCpu(k6Path: string): Promise<void> {
  if (spawnSync('sh', ['-c', 'times']).status !== 0) {
    console.log('3. k6 CPU per output: skipped (no POSIX shell to read child CPU times)')
    return
  }
  const api = await startSampleApi({ port: 0 })
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-bench-cpu-'))
  const script = path.join(workDir, 'loop.js')
  writeFileSync(
    script,
    `import http from 'k6/http'
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 4, iterations: ${REQUESTS}, maxDuration: '5m' } } }
export default function () { http.get('${api.url}/products/7', { tags: { name: '/products/{id}' } }) }
`,
  )
  try {
    const outputs: CpuOutput[] = ['none', 'json', 'json-tail', 'json-file', 'csv']
    const cpu: Record<string, number[]> = Object.fromEntries(outputs.map((o) => [o, []]))
    const parent: Record<string, number[]> = Object.fromEntries(outputs.map((o) => [o, []]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const output of outputs) {
        const r = await k6Cpu(k6Path, output, script, workDir)
        cpu[output]!.push(r.cpuMs)
        parent[output]!.push(r.parentCpuMs)
      }
    }
    const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
    const base = median(cpu.none!)
    console.log(
      `3. k6 CPU per request by output (${REQUESTS.toLocaleString('en')} requests, 4 VUs, ${ROUNDS} rounds, median; the sample API runs in this process):`,
    )
    for (const output of outputs) {
      const ms = median(cpu[output]!)
      const label = {
        none: 'no output',
        json: '--out json, named pipe, streamed',
        'json-tail': '--out json, file read as it grows',
        'json-file': '--out json, file, not read',
        csv: '--out csv, file, not read',
      }[output]
      console.log(
        `  ${label.padEnd(36)} ${((ms * 1000) / REQUESTS).toFixed(1).padStart(6)} µs/request  ${output === 'none' ? '' : `+${(((ms - base) / base) * 100).toFixed(0)} % over no output`}`,
      )
    }
    // This process serves the sample API too: the aggregator's cost is its CPU with json minus without.
    for (const output of ['json', 'json-tail'] as const) {
      const aggregatorMs = median(parent[output]!) - median(parent.none!)
      console.log(
        `  Perf-Xi's aggregator, ${output === 'json' ? 'named pipe' : 'growing file'}`.padEnd(38) +
          ` ${((aggregatorMs * 1000) / REQUESTS).toFixed(1).padStart(6)} µs/request (this process's CPU, minus its CPU with no output)`,
      )
    }
  } finally {
    await api.close()
    rmSync(workDir, { recursive: true, force: true })
  }
}

const [mode, ...rest] = process.argv.slice(2)
if (mode === '--synthetic') {
  process.stdout.write(`${JSON.stringify(await syntheticChild(Number(rest[0]), rest[1] === 'distinct'))}\n`)
} else if (mode === '--real') {
  process.stdout.write(`${JSON.stringify(await realChild(rest[0]!, rest[1]!, Number(rest[2])))}\n`)
} else if (mode === '--cpu') {
  await outputCpu((await ensureK6()).path)
} else {
  const k6 = await ensureK6()
  console.log(`k6 ${k6.version}, Node ${process.version}, ${os.cpus().length} cores\n`)
  await synthetic()
  console.log('')
  await realK6(k6.path)
  console.log('')
  await outputCpu(k6.path)
}
