/**
 * k6's exit codes, each provoked from real k6 1.8.1 by a script written for it (no load goes
 * anywhere but 127.0.0.1), and read as the gate reads them. The codes real k6 cannot be made to
 * give here (97/98 need Grafana Cloud, 102 is unused, 109 is a Go panic) are checked on the table,
 * 109 also through a scripted stand-in for k6.
 */
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { interpretExitCode, K6_EXIT_CODES, k6ExitCode, lastK6Error, oneLineK6Message } from '../../src/k6/exit-codes.js'
import { ensureK6 } from '../../src/k6/install.js'
import { runK6, type K6RunResult } from '../../src/k6/run.js'
import { tempDir } from '../support/temp-dirs.js'

let k6Path: string
let dir: string

beforeAll(async () => {
  k6Path = (await ensureK6()).path
  dir = tempDir('perf-xi-exit-codes-')
}, 300_000)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

async function run(name: string, script: string, opts: { extraArgs?: string[]; signal?: AbortSignal; k6Path?: string } = {}): Promise<K6RunResult> {
  const scriptPath = path.join(dir, `${name}.js`)
  writeFileSync(scriptPath, script)
  return runK6({
    k6Path: opts.k6Path ?? k6Path,
    scriptPath,
    summaryPath: path.join(dir, `${name}.summary.json`),
    cwd: dir,
    env: {},
    extraArgs: opts.extraArgs,
    signal: opts.signal,
  })
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const RUNS_30S = `import { sleep } from 'k6'
export const options = { vus: 1, duration: '30s' }
export default function () { sleep(0.1) }
`

describe('k6 1.8.1 exit codes, each from real k6', () => {
  it.each([
    { code: 0, script: `export default function () {}`, outcome: { ran: true, failed: false } },
    {
      code: 99,
      script: `export const options = { iterations: 1, thresholds: { iterations: ['count>10'] } }\nexport default function () {}`,
      outcome: { ran: true, failed: 'thresholds' },
    },
    {
      code: 100,
      script: `import { sleep } from 'k6'\nexport const options = { setupTimeout: '1s', iterations: 1 }\nexport function setup() { sleep(3) }\nexport default function () {}`,
      outcome: { ran: false, reason: 'setup() timed out (exit code 100): setup() execution timed out after 1 seconds' },
    },
    {
      code: 101,
      script: `import { sleep } from 'k6'\nexport const options = { teardownTimeout: '1s', iterations: 1 }\nexport function teardown() { sleep(3) }\nexport default function () {}`,
      outcome: { ran: false, reason: 'teardown() timed out (exit code 101): teardown() execution timed out after 1 seconds' },
    },
    {
      code: 104,
      script: `export const options = { scenarios: { a: { executor: 'constant-vus', vus: 0, duration: '1s' }, b: { executor: 'ramping-vus', stages: [] } } }\nexport default function () {}`,
      // Every problem k6 lists, on one line: the user sees which option is wrong.
      outcome: {
        ran: false,
        reason: expect.stringMatching(
          /^invalid k6 configuration \(exit code 104\): There were problems with the specified script configuration: scenario [ab] has configuration errors: .+; scenario [ab] has configuration errors: .+$/,
        ),
      },
    },
    {
      code: 107,
      script: `export function setup() { throw new Error('no test data') }\nexport default function () {}`,
      outcome: { ran: false, reason: 'the script threw an exception (exit code 107): Error: no test data' },
    },
    {
      code: 108,
      script: `import exec from 'k6/execution'\nexport const options = { iterations: 1 }\nexport default function () { exec.test.abort('the target is not ready') }`,
      outcome: {
        ran: false,
        reason: expect.stringMatching(/^the script aborted the test \(exec\.test\.abort\(\)\) \(exit code 108\): test aborted: the target is not ready/),
      },
    },
    {
      code: 110,
      script: `import exec from 'k6/execution'\nexport const options = { iterations: 1 }\nexport default function () { exec.test.fail('wrong answer') }`,
      outcome: { ran: true, failed: 'marked-failed' },
    },
  ])(
    '$code',
    async ({ code, script, outcome }) => {
      const result = await run(`exit-${code}`, script)
      expect({ exitCode: result.exitCode, outcome: result.outcome }).toEqual({ exitCode: code, outcome })
    },
    30_000,
  )

  it('103: the test stopped through the REST API', async () => {
    const port = await freePort()
    const running = run('exit-103', RUNS_30S, { extraArgs: ['--address', `127.0.0.1:${port}`] })
    await until(async () => (await patchStatus(port, { stopped: true })) === 200)
    const result = await running
    expect({ exitCode: result.exitCode, outcome: result.outcome }).toEqual({
      exitCode: 103,
      outcome: { ran: false, reason: expect.stringMatching(/^the test was stopped through k6's REST API \(exit code 103\)/) },
    })
  }, 30_000)

  it('106: the REST API cannot start (its port is taken)', async () => {
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    try {
      const result = await run('exit-106', RUNS_30S, { extraArgs: ['--address', `127.0.0.1:${(taken.address() as net.AddressInfo).port}`] })
      expect({ exitCode: result.exitCode, outcome: result.outcome }).toEqual({
        exitCode: 106,
        outcome: { ran: false, reason: expect.stringMatching(/^k6 could not start its REST API \(exit code 106\)/) },
      })
    } finally {
      taken.close()
    }
  }, 30_000)

  it('105: k6 stopped by our own cancellation is reported as cancelled, with the summary k6 wrote', async () => {
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(), 1500)
    const result = await run('exit-105', RUNS_30S, { signal: cancel.signal })
    expect({ exitCode: result.exitCode, outcome: result.outcome }).toEqual({ exitCode: 105, outcome: { ran: false, reason: 'cancelled' } })
    expect(result.wallTimeMs).toBeLessThan(10_000)
    expect(existsSync(path.join(dir, 'exit-105.summary.json'))).toBe(true)
  }, 30_000)

  it('109: a Go panic (a scripted stand-in for k6, since real k6 cannot be made to panic)', async () => {
    const standIn = path.join(dir, 'panicking-k6-stand-in.sh')
    writeFileSync(standIn, '#!/bin/sh\necho "panic: runtime error: invalid memory address or nil pointer dereference" >&2\nexit 109\n')
    chmodSync(standIn, 0o755)
    const result = await run('exit-109', 'export default function () {}', { k6Path: standIn })
    expect({ exitCode: result.exitCode, outcome: result.outcome }).toEqual({
      exitCode: 109,
      outcome: { ran: false, reason: 'k6 crashed (a Go panic) (exit code 109)' },
    })
  })
})

describe('the exit code table', () => {
  it('has every code of k6 1.8.1 (errext/exitcodes/codes.go) once', () => {
    const codes = Object.values(K6_EXIT_CODES).map((e) => e.code)
    expect(codes).toEqual([0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110])
  })

  it.each([
    [97, 'the cloud test run failed (exit code 97)'],
    [98, "k6 could not read the cloud test run's progress (exit code 98)"],
    [102, 'k6 timed out (exit code 102)'],
    [105, 'k6 was stopped by a signal (exit code 105)'],
    [42, 'k6 failed (exit code 42)'],
  ])('%i did not run properly: %s', (code, reason) => {
    expect(interpretExitCode(code, null)).toEqual({ ran: false, reason })
  })

  it('says where k6 v2 reads a code differently', () => {
    expect(k6ExitCode(97)?.k6v2).toMatch(/every cloud run aborted/)
  })

  it('a k6 killed by a signal says so', () => {
    expect(interpretExitCode(null, 'SIGKILL')).toEqual({ ran: false, reason: 'k6 was killed by SIGKILL' })
  })
})

describe("k6's error message on one line", () => {
  it('keeps every configuration problem and drops stack frames', () => {
    const stderr =
      'time="x" level=error msg="There were problems with the specified script configuration:\\n\\t- scenario b has configuration errors: at least one stage has to be specified\\n\\t- scenario a: the number of VUs must be more than 0"\n'
    expect(lastK6Error(stderr)).toBe(
      'There were problems with the specified script configuration: scenario b has configuration errors: at least one stage has to be specified; scenario a: the number of VUs must be more than 0',
    )
    expect(oneLineK6Message('Error: no test data\n\tat setup (file:///tmp/x.js:1:31(3))\n\tat native\n')).toBe('Error: no test data')
  })
})

function patchStatus(port: number, attributes: Record<string, unknown>): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/status', method: 'PATCH', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', () => resolve(0))
    req.end(JSON.stringify({ data: { type: 'status', id: 'default', attributes } }))
  })
}

async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
