/**
 * The local CLI (what npm run demo uses): bad input is one line and exit code 2, a run writes
 * the results, the job-summary markdown and the script.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../examples/sample-api/server.js'
import { runCli } from '../src/cli.js'
import { INPUT_NAMES } from '../src/config/load.js'
import { tempDir } from './support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const specs = '__tests__/fixtures/specs'

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = ''
  let err = ''
  const { exitCode } = await runCli({ argv, cwd: root, env, out: (t) => (out += t), err: (t) => (err += t) })
  return { exitCode, out, err }
}

describe('perf-xi --help', () => {
  it('lists every flag, each with a one-line description, and exits 0', async () => {
    const { exitCode, out, err } = await cli(['--help'])
    expect(exitCode).toBe(0)
    expect(err).toBe('')
    expect(out).toMatch(/^Usage: perf-xi --openapi <spec> --base-url <url> \[flags\]\n/)
    const flags = out.split('\n').filter((line) => line.startsWith('  --'))
    for (const name of [...INPUT_NAMES, 'out-dir', 'baseline-dir', 'plan', 'k6-output', 'help']) {
      expect(flags).toContainEqual(expect.stringMatching(new RegExp(`^  --${name}( \\S+)? +[A-Z'a-z].{10,}$`)))
    }
    expect(flags).toHaveLength(INPUT_NAMES.length + 5)
  })

  it('is what the bundled bin of package.json prints', () => {
    const bin = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin['perf-xi']
    expect(bin).toBe('dist/cli/index.js')
    expect(readFileSync(path.join(root, bin), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
    expect(execFileSync(process.execPath, [path.join(root, bin), '--help'], { encoding: 'utf8' })).toMatch(/^Usage: perf-xi /)
  })
})

describe('bad input gets one clear line and exit code 2', () => {
  it.each([
    ['a spec that is not OpenAPI', ['--openapi', `${specs}/not-openapi.yaml`], `perf-xi: ${specs}/not-openapi.yaml: not an OpenAPI or Swagger document (no 'openapi' or 'swagger' field)`],
    ['an unresolvable $ref', ['--openapi', `${specs}/unresolvable-ref-3.0.yaml`], `perf-xi: ${specs}/unresolvable-ref-3.0.yaml:14:17: cannot resolve $ref '#/components/schemas/Missing'`],
    ['malformed spec YAML', ['--openapi', `${specs}/malformed.yaml`], /^perf-xi: __tests__\/fixtures\/specs\/malformed\.yaml:\d+:\d+: malformed YAML: /],
    ['a missing spec', ['--openapi', 'nope/openapi.yaml'], /^perf-xi: .*nope\/openapi\.yaml/],
    ['an unknown flag', ['--openapi', 'x.yaml', '--turbo'], /^perf-xi: Unknown option '--turbo'/],
    [
      'a spec with only a relative server and no base-url',
      ['--openapi', `${specs}/relative-server-3.0.yaml`],
      `perf-xi: no base URL: set the base-url input, or declare an absolute server URL in ${specs}/relative-server-3.0.yaml (its servers are relative: /api/v1)`,
    ],
    ['a config naming a file that does not exist', ['--openapi', 'x.yaml', '--config', 'missing.yml'], 'perf-xi: input config: file missing.yml does not exist'],
  ] as const)('%s', async (_what, argv, expected) => {
    const { exitCode, err, out } = await cli([...argv])
    expect(exitCode).toBe(2)
    expect(out).toBe('')
    const lines = err.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    if (typeof expected === 'string') expect(lines[0]).toBe(expected)
    else expect(lines[0]).toMatch(expected)
  })
})

describe('plan mode and exports', () => {
  it('--plan prints every endpoint with its category and runs nothing', async () => {
    const { exitCode, out } = await cli(['--config', 'examples/sample-api/perf-xi.yml', '--plan'])
    expect(exitCode).toBe(0)
    expect(out).toMatch(/^Perf-Xi plan \(nothing was run\): 8 endpoints; profile smoke/)
    expect(out).toMatch(/^GET \/search +critical +search /m)
    expect(out).toMatch(/^GET \/reports\/slow +data-intensive +report /m)
  })

  it.each([
    ['locust', 'perf-xi-locustfile.py', /^from locust import /m],
    ['jmeter', 'perf-xi-plan.jmx', /^<jmeterTestPlan /m],
  ])('--format %s writes the same plan for that tool next to the k6 script', async (format, file, content) => {
    const api = await startSampleApi({ port: 0, token: 't0k' })
    const outDir = tempDir('perf-xi-cli-')
    try {
      const { exitCode, out } = await cli(
        ['--config', '__tests__/fixtures/gate/generous.yml', '--base-url', api.url, '--duration', '1s', '--include', 'GET /health', '--format', format, '--out-dir', outDir],
        { SAMPLE_API_TOKEN: 't0k' },
      )
      expect(exitCode).toBe(0)
      expect(out).toContain(`Export:  ${path.join(outDir, file)}`)
      expect(readFileSync(path.join(outDir, file), 'utf8')).toMatch(content)
    } finally {
      await api.close()
    }
  })
})

describe('your own k6 scripts', () => {
  it('runs them instead of a generated script and judges their endpoints by the SLOs', async () => {
    const api = await startSampleApi({ port: 0, token: 'own-token' })
    const outDir = tempDir('perf-xi-cli-')
    try {
      const { exitCode, out } = await cli(
        ['--script', '__tests__/fixtures/user-scripts/two-scenarios.js', '--script-env', 'BASE_URL,API_TOKEN', '--out-dir', outDir],
        { BASE_URL: api.url, API_TOKEN: 'own-token' },
      )
      expect(exitCode).toBe(0)
      const results = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8'))
      // 2 readers × 15 iterations and 10 buyers' iterations, as the script says.
      expect(Object.fromEntries(results.slis.map((s: { endpoint: string; requests: number }) => [s.endpoint, s.requests]))).toEqual({
        'GET /health': 40,
        'GET /products/{id}': 30,
        'POST /orders': 10,
        'GET /account': 10,
      })
      expect(results.verdict).toBe('pass')
      expect(results.run.spec).toMatch(/two-scenarios\.js$/)
      expect(out).toMatch(/^Perf-Xi: PASS — 4 endpoints within their SLOs$/m)
    } finally {
      await api.close()
    }
  })

  it('says in one line when a script is missing', async () => {
    const { exitCode, err } = await cli(['--script', 'load/nope-*.js'])
    expect(exitCode).toBe(2)
    expect(err.trimEnd().split('\n')).toHaveLength(1)
    expect(err).toMatch(/^perf-xi: input script: .*load\/nope-\*\.js/)
  })
})

describe('a run', () => {
  it('prints the verdict and the SLI table, and writes results, summary and script', async () => {
    const api = await startSampleApi({ port: 0, token: 't0k' })
    const outDir = tempDir('perf-xi-cli-')
    try {
      const { exitCode, out } = await cli(
        ['--config', '__tests__/fixtures/gate/generous.yml', '--base-url', api.url, '--duration', '2s', '--out-dir', outDir],
        { SAMPLE_API_TOKEN: 't0k' },
      )
      expect(exitCode).toBe(0)
      expect(out).toMatch(/^Perf-Xi: PASS — 8 endpoints within their SLOs$/m)
      expect(out).toMatch(/^Endpoint +Requests +p50 +p95 +p99 +Errors +req\/s +SLO$/m)
      expect(readFileSync(path.join(outDir, 'summary.md'), 'utf8')).toMatch(/^## ✅ Perf-Xi: PASS/)
      expect(JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')).verdict).toBe('pass')
      expect(existsSync(path.join(outDir, 'perf-xi-script.js'))).toBe(true)
    } finally {
      await api.close()
    }
  })
})
