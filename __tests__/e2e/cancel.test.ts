/**
 * Cancellation, as GitHub (SIGINT, then SIGTERM) and a terminal (Ctrl-C) do it, mid-run, to the real
 * CLI (`npx tsx src/bin.ts`) and the real action bundle (`node dist/index.js`, built by `npm run
 * build` first) running a minute-long stress test with real k6 against the sample API. Each must
 * stop k6, report the partial run as error "cancelled", exit non-zero and leave no k6 process,
 * named pipe or perf-xi temp file behind.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { startSampleApi, type SampleApi } from '../../examples/sample-api/server.js'
import { ensureK6 } from '../../src/k6/install.js'
import { fifosUnder, isAlive, k6Below } from '../support/processes.js'
import { ROOT, runBundledAction } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'

const TOKEN = 'cancel-test-token'
const CONFIG = '__tests__/fixtures/gate/cancel-stress.yml'
/** Requests the API must have served to a run before it is cancelled, so there is something to report. */
const SERVED_BEFORE_CANCEL = 20

let api: SampleApi
let k6Dir: string
beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  api = await startSampleApi({ port: 0, token: TOKEN, seed: 5 })
}, 300_000)

afterAll(async () => {
  await api?.close()
})

function servedSoFar(): number {
  return Object.values(api.stats()).reduce((sum, n) => sum + n, 0)
}

async function untilServed(requests: number): Promise<void> {
  const deadline = Date.now() + 60_000
  while (servedSoFar() < requests) {
    if (Date.now() > deadline) throw new Error(`the API served ${servedSoFar()} requests, not ${requests}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** What every cancelled run must leave: a results file saying so, and nothing running or lying around. */
function expectCancelledAndClean(resultsFile: string, k6Pid: number, dirs: { work: string; tmp: string }): void {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'))
  expect(results.verdict).toBe('error')
  expect(results.reasons[0]).toBe('cancelled')
  expect(isAlive(k6Pid)).toBe(false)
  expect(fifosUnder(dirs.work)).toEqual([])
  expect(readdirSync(dirs.tmp).filter((name) => name.startsWith('perf-xi'))).toEqual([])
}

describe('the CLI (npx tsx src/bin.ts), cancelled mid-run', () => {
  /**
   * `group`: each signal to the whole process group (npx, tsx and the CLI), as Ctrl-C in a terminal
   * sends it; `cli`: to the CLI's own process, as a supervisor would (npx dies of a SIGTERM sent to
   * it without passing it on).
   */
  async function cancelCli(signals: NodeJS.Signals[], to: 'group' | 'cli') {
    const outDir = tempDir('perf-xi-cancel-cli-')
    const tmp = path.join(outDir, 'tmp')
    mkdirSync(tmp)
    // Its own process group, signalled as a whole: what Ctrl-C in a terminal does.
    const child = spawn('npx', ['tsx', 'src/bin.ts', '--config', CONFIG, '--base-url', api.url, '--out-dir', outDir], {
      cwd: ROOT,
      env: { PATH: `${k6Dir}${path.delimiter}${process.env.PATH}`, HOME: process.env.HOME, SAMPLE_API_TOKEN: TOKEN, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
    const served = servedSoFar()
    const k6 = await k6Below(child.pid!).catch((err: Error) => {
      throw new Error(`${err.message}; the CLI said:\n${output}`)
    })
    await untilServed(served + SERVED_BEFORE_CANCEL)
    const k6Pid = k6.pid
    const target = to === 'group' ? -child.pid! : k6.parent
    const signalled = Date.now()
    for (const signal of signals) {
      // The second signal right after the first, while k6 is surely still stopping (GitHub waits
      // 7.5 s, by which time a run stopped by SIGINT has long been reported).
      process.kill(target, signal)
    }
    const exitCode = await closed
    return { exitCode, output, outDir, tmp, k6Pid, stopMs: Date.now() - signalled }
  }

  it('Ctrl-C: k6 writes its summary, the partial run is reported as error "cancelled", exit non-zero, nothing left', async () => {
    const run = await cancelCli(['SIGINT'], 'group')
    expect(run.exitCode).not.toBe(0)
    expect(run.output).toContain('SIGINT received: stopping k6')
    // The one Ctrl-C reaches the CLI from the terminal and again from npx and tsx: still one signal.
    expect(run.output).not.toContain('received again')
    expect(run.output).toMatch(/Perf-Xi: ERROR — cancelled/)
    const resultsFile = path.join(run.outDir, 'results.json')
    expectCancelledAndClean(resultsFile, run.k6Pid, { work: run.outDir, tmp: run.tmp })
    // k6 wrote its summary before it stopped: what it measured so far is in the results.
    expect(JSON.parse(readFileSync(resultsFile, 'utf8')).summary.requests_total).toBeGreaterThan(0)
    expect(existsSync(path.join(run.outDir, 'summary.md'))).toBe(true)
  }, 120_000)

  it('SIGINT then SIGTERM: k6 is stopped at once, the run still reported as cancelled', async () => {
    const run = await cancelCli(['SIGINT', 'SIGTERM'], 'cli')
    expect(run.exitCode).not.toBe(0)
    // Two signals sent at once may be handled in either order.
    expect(run.output).toMatch(/SIG(INT|TERM) received again: stopping k6 at once/)
    expectCancelledAndClean(path.join(run.outDir, 'results.json'), run.k6Pid, { work: run.outDir, tmp: run.tmp })
    expect(run.stopMs).toBeLessThan(15_000)
  }, 120_000)
})

describe('the action, cancelled mid-run as GitHub cancels a job', () => {
  async function cancelAction(signals: NodeJS.Signals[]) {
    const tmp = tempDir('perf-xi-cancel-tmp-')
    let k6Pid = 0
    const run = await runBundledAction({
      inputs: { config: CONFIG, 'base-url': api.url },
      env: { SAMPLE_API_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '77', GITHUB_SHA: 'abc123', GITHUB_EVENT_NAME: 'push', TMPDIR: tmp },
      k6Dir,
      whileRunning: async ({ pid }) => {
        const served = servedSoFar()
        k6Pid = (await k6Below(pid)).pid
        await untilServed(served + SERVED_BEFORE_CANCEL)
        for (const signal of signals) {
          process.kill(pid, signal)
        }
      },
    })
    return { run, k6Pid, tmp }
  }

  it('SIGINT: one verdict=error output, the results file says cancelled, the step fails, k6 is gone', async () => {
    const { run, k6Pid, tmp } = await cancelAction(['SIGINT'])
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('error')
    expect(readFileSync(path.join(run.tmp, 'output'), 'utf8').match(/^verdict<</gm)).toHaveLength(1)
    expect(run.stdout).toMatch(/^::error::Perf-Xi: ERROR — cancelled/m)
    expectCancelledAndClean(run.outputs['results-file'], k6Pid, { work: run.tmp, tmp })
    expect(JSON.parse(readFileSync(run.outputs['results-file'], 'utf8')).summary.requests_total).toBeGreaterThan(0)
    expect(run.summary).toMatch(/ERROR/)
    // k6's own output is folded into a group of the job log.
    expect(run.stdout).toMatch(/^::group::k6 output\n[\s\S]*^::endgroup::$/m)
  }, 120_000)

  it('SIGINT then SIGTERM: still one verdict, reported as cancelled, nothing left', async () => {
    const { run, k6Pid, tmp } = await cancelAction(['SIGINT', 'SIGTERM'])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/SIG(INT|TERM) received again: stopping k6 at once/)
    expect(run.outputs.verdict).toBe('error')
    expectCancelledAndClean(run.outputs['results-file'], k6Pid, { work: run.tmp, tmp })
  }, 120_000)
})
