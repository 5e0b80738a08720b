/**
 * The committed bundle, run the way the GitHub runner runs it: `node dist/index.js` with INPUT_*
 * variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, against the sample API with real k6.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { ensureK6 } from '../../src/k6/install.js'
import { verifyDelivery } from '../../src/webhook/verify.js'
import { runBundledAction, type ActionRun } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'

const TOKEN = 'sample-secret-7f3a'
const GITHUB_TOKEN = 'ghs_actionTestTokenThatMustNeverBeLogged'

let api: Awaited<ReturnType<typeof startSampleApi>>
let k6Dir: string

beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  api = await startSampleApi({ port: 0, token: TOKEN, seed: 3 })
}, 300_000)

afterAll(async () => {
  await api?.close()
})

function runAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<ActionRun> {
  return runBundledAction({
    inputs: { 'github-token': GITHUB_TOKEN, ...inputs },
    env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '4242', GITHUB_SHA: 'abc123', GITHUB_EVENT_NAME: 'push', ...extraEnv },
    k6Dir,
  })
}

/** Lines other than the runner's own masking commands must never carry a secret. */
function leaks(stdout: string, secret: string): string[] {
  return stdout.split('\n').filter((line) => line.includes(secret) && !line.startsWith('::add-mask::'))
}

describe('the action, as the runner runs it', () => {
  it('runs the gate on the sample API and reports through outputs, the job summary and the log', async () => {
    const run = await runAction({ config: '__tests__/fixtures/gate/generous.yml', 'base-url': api.url }, { SAMPLE_API_TOKEN: TOKEN })
    expect(run.outputs.verdict).toBe('pass')
    expect(run.exitCode).toBe(0)
    const results = JSON.parse(readFileSync(run.outputs['results-file'], 'utf8'))
    expect(results.run).toMatchObject({ repo: 'acme/shop', sha: 'abc123', url: 'https://github.com/acme/shop/actions/runs/4242' })
    expect(results.slis).toHaveLength(8)
    expect(run.summary).toMatch(/^## ✅ Perf-Xi: PASS — 8 endpoints within their SLOs/)
    expect(run.summary).toContain('| Endpoint | p95 | p99 | Errors | req/s | SLO |')
    expect(run.stdout).toContain('All endpoints')
    expect(readFileSync(run.outputs['script-file'], 'utf8')).toContain('http.expectedStatuses(')
    // Secrets are masked for the runner and never printed otherwise.
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`)
    expect(leaks(run.stdout, TOKEN)).toEqual([])
    expect(leaks(run.stdout, GITHUB_TOKEN)).toEqual([])
  })

  it('fails the step on a breached SLO, annotated at the limit in the config file', async () => {
    const run = await runAction({ config: '__tests__/fixtures/gate/slow-breach.yml', 'base-url': api.url })
    expect(run.outputs.verdict).toBe('fail')
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/::error::Perf-Xi: FAIL — 1 SLO breach/)
    expect(run.stdout).toMatch(
      /^::error title=SLO breached%3A GET \/reports\/slow,file=__tests__\/fixtures\/gate\/slow-breach\.yml,line=12::GET \/reports\/slow: p95 \d+ ms breached \(SLO < 50 ms\)$/m,
    )
  })

  it('posts the signed results to the webhook, which verifies them', async () => {
    const secret = 'whsec-action-test-4b1d'
    const received: Array<{ verified: ReturnType<typeof verifyDelivery>; body: string }> = []
    const receiver = http.createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        received.push({ verified: verifyDelivery({ body, headers: req.headers as Record<string, string>, secret }), body })
        res.statusCode = 204
        res.end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/perf`
      const run = await runAction(
        {
          config: '__tests__/fixtures/gate/generous.yml',
          'base-url': api.url,
          include: 'GET /health',
          duration: '1s',
          'webhook-url': url,
          'webhook-secret': secret,
        },
        { SAMPLE_API_TOKEN: TOKEN },
      )
      expect(run.exitCode).toBe(0)
      expect(received).toHaveLength(1)
      expect(received[0].verified.ok).toBe(true)
      expect(JSON.parse(received[0].body)).toMatchObject({ slo_status: 'pass', ci_gate: 'pass', breach: null })
      expect(leaks(run.stdout, secret)).toEqual([])
    } finally {
      receiver.closeAllConnections()
      await new Promise((resolve) => receiver.close(resolve))
    }
  })

  it('fails the step when a required webhook cannot be delivered, without changing the verdict', async () => {
    const run = await runAction(
      {
        config: '__tests__/fixtures/gate/generous.yml',
        'base-url': api.url,
        include: 'GET /health',
        duration: '1s',
        'webhook-url': 'http://127.0.0.1:9/unreachable',
        'webhook-secret': 'x-secret-1',
        'webhook-required': 'true',
      },
      { SAMPLE_API_TOKEN: TOKEN },
    )
    expect(run.outputs.verdict).toBe('pass')
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::.*webhook/m)
  })

  it('reports every configuration problem as an error annotation on its line, without a stack trace', async () => {
    const run = await runAction({ config: '__tests__/fixtures/config/bad-values.yml', openapi: 'examples/sample-api/openapi.yaml' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('error')
    expect(run.stdout).toContain(
      '::error file=__tests__/fixtures/config/bad-values.yml,line=3::__tests__/fixtures/config/bad-values.yml:3: duration: expected a duration',
    )
    expect(run.stdout).toContain('::error::7 configuration problems (see the errors above)')
    expect(run.stdout).not.toMatch(/\n\s+at /)
  })

  it('still fails the step with one line when the runner gives no GITHUB_OUTPUT file', async () => {
    const run = await runAction(
      { openapi: 'examples/sample-api/openapi.yaml', 'base-url': api.url, include: 'GET /health', duration: '1s', vus: '1' },
      { GITHUB_OUTPUT: '/nonexistent/output' },
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Perf-Xi could not report its result: .*Missing file at path: \/nonexistent\/output$/m)
    expect(run.stdout).not.toMatch(/\n\s+at /)
  })

  it('in mode plan, prints the plan to the log and the job summary and runs nothing', async () => {
    const before = api.stats()
    const run = await runAction({ mode: 'plan', config: 'examples/sample-api/perf-xi.yml', 'base-url': api.url })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.verdict).toBe('plan')
    expect(run.stdout).toMatch(/^Perf-Xi plan \(nothing was run\): 8 endpoints/m)
    expect(run.summary).toMatch(/\| GET \/search \| critical \|/)
    expect(api.stats()).toEqual(before)
  })

  it('names the file and line of a malformed spec in one line', async () => {
    const tmp = tempDir('perf-xi-spec-')
    const spec = path.join(tmp, 'broken.yaml')
    writeFileSync(spec, 'openapi: 3.0.3\ninfo:\n  title: x\n  version: "1"\npaths:\n  /a:\n    get: [\n')
    const run = await runAction({ openapi: spec, 'base-url': api.url })
    expect(run.exitCode).toBe(1)
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`${spec}:`)
    expect(run.stdout).not.toMatch(/\n\s+at /)
  })
})
