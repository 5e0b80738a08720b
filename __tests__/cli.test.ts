/**
 * The local CLI (what npm run demo uses): bad input is one line and exit code 2, a run writes
 * the results, the job-summary markdown and the script.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../examples/sample-api/server.js'
import { runCli } from '../src/cli.js'
import { INPUT_NAMES } from '../src/config/load.js'
import { tempDir } from './support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const specs = '__tests__/fixtures/specs'
const configs = '__tests__/fixtures/config'
/** A run that would load 127.0.0.1:1 if it got that far; each case below must stop before. */
const sampleTarget = ['--openapi', 'examples/sample-api/openapi.yaml', '--base-url', 'http://127.0.0.1:1', '--include', 'GET /health']
const scratchOut = tempDir('perf-xi-cli-bad-')
const sampleRun = [...sampleTarget, '--out-dir', scratchOut]
afterAll(() => rmSync(scratchOut, { recursive: true, force: true }))

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
    for (const name of [...INPUT_NAMES, 'out-dir', 'baseline-dir', 'plan', 'capacity', 'recommend-slos', 'k6-output', 'shard-dir', 'merge', 'help']) {
      expect(flags).toContainEqual(expect.stringMatching(new RegExp(`^  --${name}( \\S+)? +[A-Z'a-z].{10,}$`)))
    }
    expect(flags).toHaveLength(INPUT_NAMES.length + 9)
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
    [
      'a spec that is not OpenAPI',
      ['--openapi', `${specs}/not-openapi.yaml`],
      `perf-xi: ${specs}/not-openapi.yaml: not an OpenAPI or Swagger document (no 'openapi' or 'swagger' field)`,
    ],
    [
      'an unresolvable $ref',
      ['--openapi', `${specs}/unresolvable-ref-3.0.yaml`],
      `perf-xi: ${specs}/unresolvable-ref-3.0.yaml:14:17: cannot resolve $ref '#/components/schemas/Missing'`,
    ],
    ['malformed spec YAML', ['--openapi', `${specs}/malformed.yaml`], /^perf-xi: __tests__\/fixtures\/specs\/malformed\.yaml:\d+:\d+: malformed YAML: /],
    ['a missing spec', ['--openapi', 'nope/openapi.yaml'], /^perf-xi: .*nope\/openapi\.yaml/],
    ['an unknown flag', ['--openapi', 'x.yaml', '--turbo'], /^perf-xi: Unknown option '--turbo'/],
    [
      'a spec with only a relative server and no base-url',
      ['--openapi', `${specs}/relative-server-3.0.yaml`],
      `perf-xi: no base URL: set the base-url input, or declare an absolute server URL in ${specs}/relative-server-3.0.yaml (its servers are relative: /api/v1)`,
    ],
    [
      'a config naming a file that does not exist',
      ['--openapi', 'x.yaml', '--config', 'missing.yml'],
      'perf-xi: input config: file missing.yml does not exist',
    ],
    ['a config path that is a folder', ['--config', '__tests__/fixtures'], 'perf-xi: input config: cannot read __tests__/fixtures: it is a folder, not a file'],
    [
      'a YAML alias bomb in the config',
      ['--config', `${configs}/alias-bomb.yml`],
      `perf-xi: ${configs}/alias-bomb.yml:1: invalid YAML: its aliases (*name) expand too far; write the values out`,
    ],
    [
      'a config that is not UTF-8',
      ['--config', `${configs}/latin1.yml`],
      `perf-xi: input config: ${configs}/latin1.yml is not UTF-8 text (line 3); save it as UTF-8`,
    ],
    [
      'a config that is a list, without a cascaded "openapi: required"',
      ['--config', `${configs}/not-a-mapping.yml`],
      `perf-xi: ${configs}/not-a-mapping.yml:1: expected a mapping of settings (openapi, profile, slos, auth, ...)`,
    ],
    ['an OpenAPI path that is a folder', ['--openapi', 'examples'], 'perf-xi: examples: is a directory; give the path of the OpenAPI file itself'],
    ['an empty spec', ['--openapi', `${specs}/empty.yaml`], `perf-xi: ${specs}/empty.yaml: the file is empty`],
    [
      'a dataset file that is a folder',
      ['--config', `${configs}/dataset-folder.yml`, '--plan'],
      'perf-xi: dataset.file: cannot read __tests__/fixtures/datasets: it is a folder, not a file',
    ],
    [
      'a results file inside a path that is a file',
      [...sampleRun, '--results-file', 'package.json/results.json'],
      `perf-xi: --results-file: cannot write in ${root}/package.json: it is a file, not a folder`,
    ],
    [
      'a results file that is a folder',
      [...sampleRun, '--results-file', 'src'],
      `perf-xi: --results-file: cannot write ${root}/src: it is a folder, not a file`,
    ],
    [
      'an --out-dir inside a file',
      [...sampleTarget, '--out-dir', 'package.json/out'],
      `perf-xi: --out-dir: cannot write in ${root}/package.json/out: a part of the path is a file, not a folder`,
    ],
    [
      'a --baseline-dir that is a file',
      [...sampleRun, '--baseline-dir', 'package.json'],
      `perf-xi: --baseline-dir: cannot write in ${root}/package.json: it is a file, not a folder`,
    ],
    [
      'a webhook URL without its secret',
      [...sampleRun, '--webhook-url', 'https://hooks.example.com/perf'],
      'perf-xi: input webhook-secret: required when webhook-url is set (every delivery is signed with it); pass it from a repository secret',
    ],
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
        [
          '--config',
          '__tests__/fixtures/gate/generous.yml',
          '--base-url',
          api.url,
          '--duration',
          '1s',
          '--include',
          'GET /health',
          '--format',
          format,
          '--out-dir',
          outDir,
        ],
        { SAMPLE_API_TOKEN: 't0k' },
      )
      expect(exitCode).toBe(0)
      const exported = /^Export: +(.+)$/m.exec(out)![1]
      expect(path.basename(exported)).toBe(file)
      expect(path.dirname(path.dirname(exported))).toBe(outDir)
      expect(readFileSync(exported, 'utf8')).toMatch(content)
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
      expect(out).toMatch(/^Perf-Xi: PASS — 4 endpoints within their SLOs; 2 limits not judged \(too few samples\)$/m)
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
      expect(out).toMatch(/^Perf-Xi: PASS — 8 endpoints within their SLOs(; \d+ limits? not judged \(too few samples\))?$/m)
      expect(out).toMatch(/^Endpoint +Requests +p50 +p95 +p99 +Errors +req\/s +SLO$/m)
      expect(readFileSync(path.join(outDir, 'summary.md'), 'utf8')).toMatch(/^## ✅ Perf-Xi: PASS/)
      expect(JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')).verdict).toBe('pass')
      // The script is in the run's own folder under --out-dir; no lock is left behind.
      const script = /^Script: +(.+)$/m.exec(out)![1]
      expect(script).toMatch(new RegExp(`^${outDir}/perf-xi-run-\\w+/perf-xi-script\\.js$`))
      expect(existsSync(script)).toBe(true)
      expect(readdirSync(outDir).filter((name) => name.includes('lock'))).toEqual([])
    } finally {
      await api.close()
      rmSync(outDir, { recursive: true, force: true })
    }
  })

  it('refuses, before any load, an --out-dir another run is using', async () => {
    const api = await startSampleApi({ port: 0, token: 't0k' })
    const outDir = tempDir('perf-xi-cli-')
    try {
      const argv = [
        '--config',
        '__tests__/fixtures/gate/generous.yml',
        '--base-url',
        api.url,
        '--duration',
        '2s',
        '--include',
        'GET /health',
        '--out-dir',
        outDir,
      ]
      const first = cli(argv, { SAMPLE_API_TOKEN: 't0k' })
      // The first run holds --out-dir from before its pre-flight check until its reports are written.
      while (!existsSync(path.join(outDir, '.perf-xi-lock'))) await new Promise((resolve) => setTimeout(resolve, 20))
      const second = await cli([...argv, '--results-file', path.join(outDir, 'other.json')], { SAMPLE_API_TOKEN: 't0k' })
      expect(second.exitCode).toBe(2)
      expect(second.out).toBe('')
      expect(second.err).toBe(
        `perf-xi: --out-dir: ${outDir} is being written by another Perf-Xi run (pid ${process.pid}); give each run its own folder, or delete ${path.join(outDir, '.perf-xi-lock')} if that run is gone\n`,
      )
      expect((await first).exitCode).toBe(0)
    } finally {
      await api.close()
      rmSync(outDir, { recursive: true, force: true })
    }
  })
})
