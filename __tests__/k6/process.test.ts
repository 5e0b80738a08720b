/**
 * The k6 launcher with real k6: a run that never ends is stopped at its wall-clock limit (the limit
 * is given tiny here, through the run request), cancellation stops k6, a k6 that ignores signals is
 * killed, and k6's environment is the allow-list plus RUNNER_TRACKING_ID. No k6 is left running and
 * no named pipe is left behind. The target is a server on 127.0.0.1 that never answers.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ensureK6 } from '../../src/k6/install.js'
import { K6_KILL_GRACE_MS, K6_STOP_GRACE_MS, k6Environment, runK6Process } from '../../src/k6/process.js'
import { k6RunTimeLimitMs, K6_MAX_MARGIN_MS, runK6, timeLimitReason } from '../../src/k6/run.js'
import { tempDir } from '../support/temp-dirs.js'

let k6Path: string
let dir: string
let silent: http.Server
let silentUrl: string

beforeAll(async () => {
  k6Path = (await ensureK6()).path
  dir = tempDir('perf-xi-process-')
  // Accepts every request and never answers it.
  silent = http.createServer(() => undefined)
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
}, 300_000)

afterAll(async () => {
  silent.closeAllConnections()
  await new Promise((resolve) => silent.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

/** An iteration that never ends: one request to the silent server, with k6's timeout at an hour. */
const HANGS = `import http from 'k6/http'
export const options = { vus: 1, duration: '1h' }
export default function () { http.get(__ENV.TARGET, { timeout: '1h' }) }
`

function write(name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

/** k6 processes started from this test process (never another's). */
function ourK6Pids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').trim()
        const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat)!
        return comm === 'k6' && Number(rest!.split(' ')[1]) === process.pid
      } catch {
        return false
      }
    })
    .map(Number)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('the wall-clock limit', () => {
  it('stops a k6 whose iteration never ends: error "k6 did not finish in time", no k6 and no named pipe left', async () => {
    const script = write('hangs.js', HANGS)
    const rawPath = path.join(dir, 'hangs.k6-output.json')
    let pids: number[] = []
    const watching = setInterval(() => (pids = pids.length > 0 ? pids : ourK6Pids()), 100)
    const started = Date.now()
    const result = await runK6({
      k6Path,
      scriptPath: script,
      summaryPath: path.join(dir, 'hangs.summary.json'),
      cwd: dir,
      env: { TARGET: silentUrl },
      rawOutput: { path: rawPath, onChunk: () => undefined },
      timeLimitMs: 1500,
    })
    clearInterval(watching)
    expect(result.outcome).toEqual({ ran: false, reason: 'k6 did not finish in time (limit 1.5 s)' })
    // SIGINT at the limit; SIGTERM and SIGKILL only if k6 does not stop by itself.
    expect(Date.now() - started).toBeLessThan(1500 + K6_STOP_GRACE_MS + K6_KILL_GRACE_MS + 2000)
    expect(pids).toHaveLength(1)
    expect(alive(pids[0]!)).toBe(false)
    expect(existsSync(rawPath)).toBe(false)
  }, 30_000)

  it('is the planned duration plus a bounded margin', () => {
    expect(k6RunTimeLimitMs(5_000)).toBe(65_000)
    expect(k6RunTimeLimitMs(5_000, 1_000)).toBe(36_000)
    expect(k6RunTimeLimitMs(60 * 60_000, 60 * 60_000)).toBe(60 * 60_000 + K6_MAX_MARGIN_MS)
    expect(timeLimitReason(95_000)).toBe('k6 did not finish in time (limit 95 s)')
  })
})

describe('cancellation', () => {
  it('a cancelled run stops k6 at once and removes its named pipe', async () => {
    const script = write('cancelled.js', HANGS)
    const rawPath = path.join(dir, 'cancelled.k6-output.json')
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(), 1000)
    let pids: number[] = []
    const watching = setInterval(() => (pids = pids.length > 0 ? pids : ourK6Pids()), 100)
    const result = await runK6({
      k6Path,
      scriptPath: script,
      summaryPath: path.join(dir, 'cancelled.summary.json'),
      cwd: dir,
      env: { TARGET: silentUrl },
      rawOutput: { path: rawPath, onChunk: () => undefined },
      signal: cancel.signal,
    })
    clearInterval(watching)
    expect(result.outcome).toEqual({ ran: false, reason: 'cancelled' })
    expect(pids).toHaveLength(1)
    expect(alive(pids[0]!)).toBe(false)
    expect(existsSync(rawPath)).toBe(false)
  }, 30_000)

  it('a run cancelled before it starts does not start k6', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const result = await runK6({
      k6Path,
      scriptPath: write('never.js', HANGS),
      summaryPath: path.join(dir, 'never.summary.json'),
      cwd: dir,
      env: {},
      signal: cancel.signal,
    })
    expect(result).toMatchObject({ outcome: { ran: false, reason: 'cancelled' }, exitCode: null })
  })

  it('a k6 that ignores SIGINT and SIGTERM is killed (a scripted stand-in for a stuck k6)', async () => {
    const stuck = write('stuck-k6-stand-in.sh', "#!/bin/sh\ntrap '' INT TERM\nwhile :; do sleep 1; done\n")
    chmodSync(stuck, 0o755)
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(), 200)
    const started = Date.now()
    const result = await runK6Process({ k6Path: stuck, args: [], env: {}, cwd: dir, signal: cancel.signal })
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGKILL', stoppedBy: 'cancelled' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(K6_STOP_GRACE_MS + K6_KILL_GRACE_MS)
  }, 30_000)

  it('a second, urgent cancellation skips the wait for the summary', async () => {
    const stuck = write('stuck-on-int-k6-stand-in.sh', "#!/bin/sh\ntrap '' INT\nwhile :; do sleep 1; done\n")
    chmodSync(stuck, 0o755)
    const cancel = new AbortController()
    const urgent = new AbortController()
    setTimeout(() => cancel.abort(), 200)
    setTimeout(() => urgent.abort(), 400)
    const started = Date.now()
    const result = await runK6Process({ k6Path: stuck, args: [], env: {}, cwd: dir, signal: cancel.signal, urgent: urgent.signal })
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', stoppedBy: 'cancelled' })
    expect(Date.now() - started).toBeLessThan(K6_STOP_GRACE_MS)
  }, 30_000)
})

describe("k6's environment", () => {
  it('is the allow-list with RUNNER_TRACKING_ID (so a self-hosted runner can end it), never the runner secrets', async () => {
    const parent = {
      PATH: '/usr/bin',
      RUNNER_TRACKING_ID: 'github_7c0e',
      GITHUB_TOKEN: 'ghs_secret',
      ACTIONS_RUNTIME_TOKEN: 'rt',
      AWS_SECRET_ACCESS_KEY: 'aws',
    }
    expect(k6Environment({ PERF_XI_BASE_URL: 'http://127.0.0.1:1' }, parent)).toEqual({
      PATH: '/usr/bin',
      RUNNER_TRACKING_ID: 'github_7c0e',
      K6_NO_USAGE_REPORT: 'true',
      PERF_XI_BASE_URL: 'http://127.0.0.1:1',
    })
  })

  it('reaches real k6', async () => {
    const script = write('env.js', 'export default function () { console.log(`tracking=${__ENV.RUNNER_TRACKING_ID} token=${__ENV.GITHUB_TOKEN}`) }\n')
    const saved = { RUNNER_TRACKING_ID: process.env.RUNNER_TRACKING_ID, GITHUB_TOKEN: process.env.GITHUB_TOKEN }
    process.env.RUNNER_TRACKING_ID = 'github_test_tracking'
    process.env.GITHUB_TOKEN = 'ghs_mustNotReachK6'
    try {
      const result = await runK6Process({ k6Path, args: ['run', '--quiet', '--no-color', '--iterations', '1', script], env: {}, cwd: dir })
      expect(result.stderr).toContain('tracking=github_test_tracking token=undefined')
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  }, 30_000)
})
