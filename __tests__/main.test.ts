/**
 * The action's entry (src/index.ts → run()), run the way the runner runs it, with INPUT_* variables
 * and GITHUB_OUTPUT: careless and hostile inputs are one line naming the file or input, the
 * `verdict` output is written exactly once on every path, a webhook never changes it, and two gates
 * sharing RUNNER_TEMP and a workspace share no file. Real k6 against the sample API. And the
 * inputs the code reads are exactly those action.yml declares.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { startSampleApi } from '../examples/sample-api/server.js'
import { INPUT_NAMES } from '../src/config/load.js'
import { ensureK6 } from '../src/k6/install.js'
import { ROOT, runBundledAction, type ActionRun } from './support/run-action.js'
import { tempDir } from './support/temp-dirs.js'

const TOKEN = 'main-test-token-5c2e'
const GENEROUS = '__tests__/fixtures/gate/generous.yml'
const SLOW_BREACH = '__tests__/fixtures/gate/slow-breach.yml'

let api: Awaited<ReturnType<typeof startSampleApi>>
let k6Dir: string
let scratch: string
const runs: ActionRun[] = []

beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  api = await startSampleApi({ port: 0, token: TOKEN, seed: 11 })
  scratch = tempDir('perf-xi-main-')
}, 300_000)

afterAll(async () => {
  await api?.close()
  for (const run of runs) rmSync(run.tmp, { recursive: true, force: true })
  rmSync(scratch, { recursive: true, force: true })
})

async function runAction(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const run = await runBundledAction({
    inputs,
    env: { SAMPLE_API_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '77', ...env },
    k6Dir,
    entry: 'source',
  })
  runs.push(run)
  return run
}

/** The `verdict` lines GITHUB_OUTPUT received, in order. */
function verdicts(run: ActionRun): string[] {
  const lines = run.outputText.split('\n')
  return lines.flatMap((line, i) => (/^verdict<</.test(line) ? [lines[i + 1]] : []))
}

const errorLines = (run: ActionRun) => run.stdout.split('\n').filter((line) => line.startsWith('::error'))
const quick = { 'base-url': '', include: 'GET /health', duration: '1s' }

describe('careless and hostile inputs fail the step with one line naming the file or input', () => {
  const cases: Array<{ what: string; inputs: (dir: string) => Record<string, string>; expected: RegExp }> = [
    {
      what: 'a config path that is a folder',
      inputs: () => ({ config: '__tests__/fixtures' }),
      expected: /^::error::input config: cannot read __tests__\/fixtures: it is a folder, not a file$/,
    },
    {
      what: 'a YAML alias bomb in the config',
      inputs: () => ({ config: '__tests__/fixtures/config/alias-bomb.yml' }),
      expected:
        /^::error file=__tests__\/fixtures\/config\/alias-bomb\.yml,line=1::.*alias-bomb\.yml:1: invalid YAML: its aliases \(\*name\) expand too far; write the values out$/,
    },
    {
      what: 'a config that is not UTF-8',
      inputs: () => ({ config: '__tests__/fixtures/config/latin1.yml' }),
      expected: /^::error::input config: __tests__\/fixtures\/config\/latin1\.yml is not UTF-8 text \(line 3\); save it as UTF-8$/,
    },
    {
      what: 'a config that is a list, without a cascaded "openapi: required"',
      inputs: () => ({ config: '__tests__/fixtures/config/not-a-mapping.yml' }),
      expected: /^::error file=.*::__tests__\/fixtures\/config\/not-a-mapping\.yml:1: expected a mapping of settings/,
    },
    {
      what: 'a dataset file that is a folder',
      inputs: (dir) => {
        mkdirSync(path.join(dir, 'rows.csv'))
        writeFileSync(path.join(dir, 'perf-xi.yml'), `openapi: examples/sample-api/openapi.yaml\ndataset:\n  file: ${path.join(dir, 'rows.csv')}\n`)
        return { config: path.join(dir, 'perf-xi.yml'), mode: 'plan' }
      },
      expected: /^::error::dataset\.file: cannot read .*rows\.csv: it is a folder, not a file$/,
    },
    {
      what: 'mode capacity with a target-rps that is no number',
      inputs: () => ({ mode: 'capacity', openapi: 'examples/sample-api/capacity.openapi.yaml', 'target-rps': 'lots', 'target-p95': '100ms', ...quick }),
      expected: /^::error::input target-rps: expected a number above 0, got "lots"$/,
    },
    {
      what: 'an OpenAPI path that is a folder',
      inputs: () => ({ openapi: 'examples' }),
      expected: /^::error::examples: is a directory; give the path of the OpenAPI file itself$/,
    },
    {
      what: 'a results file inside a path that is a file, found before any load',
      inputs: () => ({ openapi: 'examples/sample-api/openapi.yaml', 'results-file': 'package.json/results.json', ...quick }),
      expected: /^::error::input results-file: cannot write in .*package\.json: it is a file, not a folder$/,
    },
    {
      what: 'a webhook URL without its secret, refused before the run',
      inputs: () => ({ openapi: 'examples/sample-api/openapi.yaml', 'webhook-url': 'https://hooks.example.com/perf', ...quick }),
      expected: /^::error::input webhook-secret: required when webhook-url is set/,
    },
    {
      what: 'mode comment with a results file that fails the schema',
      inputs: (dir) => {
        writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ schema: 'perf-xi/results@1', run: { url: 42 } }))
        return { mode: 'comment', 'results-file': path.join(dir, 'results.json'), 'head-sha': 'abc' }
      },
      expected: /^::error::.*results\.json: not a Perf-Xi results file: run\.\w+: .+$/,
    },
    {
      what: 'mode comment with a results file that is not JSON',
      inputs: (dir) => {
        writeFileSync(path.join(dir, 'results.json'), '{"schema": ')
        return { mode: 'comment', 'results-file': path.join(dir, 'results.json') }
      },
      expected: /^::error::.*results\.json: not a Perf-Xi results file: invalid JSON \(.+\)$/,
    },
    {
      what: 'mode comment with a results file that is a folder',
      inputs: (dir) => ({ mode: 'comment', 'results-file': dir }),
      expected: /^::error::input results-file: cannot read .*: it is a folder, not a file$/,
    },
  ]

  it.each(cases)('$what', async ({ inputs, expected }) => {
    const dir = mkdtempSync(path.join(scratch, 'case-'))
    const given = inputs(dir)
    if (given['base-url'] === '') given['base-url'] = api.url
    const run = await runAction(given)
    expect(run.exitCode).toBe(1)
    const errors = errorLines(run)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(expected)
    expect(run.stdout).not.toMatch(/unexpected error|ZodError|EISDIR|ENOTDIR|\n\s+at /)
    expect(run.stdout).not.toContain('input openapi: required')
    expect(run.stdout).not.toContain('Running k6')
    expect(verdicts(run)).toEqual(['error'])
  })
})

describe('GITHUB_OUTPUT gets exactly one verdict, and a webhook never changes it', () => {
  it('pass', async () => {
    const run = await runAction({ config: GENEROUS, 'base-url': api.url, include: 'GET /health', duration: '1s' })
    expect(run.exitCode).toBe(0)
    expect(verdicts(run)).toEqual(['pass'])
  })

  it('fail', async () => {
    const run = await runAction({ config: SLOW_BREACH, 'base-url': api.url })
    expect(run.exitCode).toBe(1)
    expect(verdicts(run)).toEqual(['fail'])
  })

  it('a webhook that cannot be delivered is a warning; the step and the verdict stay as judged', async () => {
    const run = await runAction({
      config: GENEROUS,
      'base-url': api.url,
      include: 'GET /health',
      duration: '1s',
      'webhook-url': 'http://127.0.0.1:9/hook',
      'webhook-secret': 'whsec-main-1',
    })
    expect(run.exitCode).toBe(0)
    expect(verdicts(run)).toEqual(['pass'])
    expect(run.stdout).toMatch(/^::warning::webhook to http:\/\/127\.0\.0\.1:9\/hook was not delivered: .*The SLO verdict is unchanged/m)
    expect(errorLines(run)).toEqual([])
  })

  it('a required webhook that cannot be delivered fails the step with its own message; the verdict output stays pass', async () => {
    const run = await runAction({
      config: GENEROUS,
      'base-url': api.url,
      include: 'GET /health',
      duration: '1s',
      'webhook-url': 'http://127.0.0.1:9/hook',
      'webhook-secret': 'whsec-main-2',
      'webhook-required': 'true',
    })
    expect(run.exitCode).toBe(1)
    expect(verdicts(run)).toEqual(['pass'])
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^::error::webhook to .* was not delivered: .*webhook-required is true, so this step fails; the SLO verdict is unchanged\.$/),
    ])
    expect(run.stdout.split('\n').filter((line) => line.includes('whsec-main-2') && !line.startsWith('::add-mask::'))).toEqual([])
  })
})

describe('two gates at once on one machine (one RUNNER_TEMP, one workspace)', () => {
  it('each runs its own script and writes its own results', async () => {
    const runnerTemp = mkdtempSync(path.join(scratch, 'runner-temp-'))
    const env = { RUNNER_TEMP: runnerTemp }
    const [health, products] = await Promise.all([
      runAction({ config: GENEROUS, 'base-url': api.url, include: 'GET /health', duration: '2s', 'results-file': path.join(scratch, 'health.json') }, env),
      runAction({ config: GENEROUS, 'base-url': api.url, include: 'GET /products', duration: '2s', 'results-file': path.join(scratch, 'products.json') }, env),
    ])
    expect([health.exitCode, products.exitCode]).toEqual([0, 0])
    expect(health.outputs['script-file']).not.toBe(products.outputs['script-file'])
    for (const [run, endpoint] of [
      [health, 'GET /health'],
      [products, 'GET /products'],
    ] as const) {
      expect(path.dirname(path.dirname(run.outputs['script-file']))).toBe(runnerTemp)
      expect(readFileSync(run.outputs['script-file'], 'utf8')).toContain(JSON.stringify(endpoint))
      const results = JSON.parse(readFileSync(run.outputs['results-file'], 'utf8'))
      expect(results.slis.map((s: { endpoint: string }) => s.endpoint)).toEqual([endpoint])
      expect(verdicts(run)).toEqual(['pass'])
    }
  })

  it('the second gate writing the same results file refuses before any load, naming the file', async () => {
    const runnerTemp = mkdtempSync(path.join(scratch, 'runner-temp-'))
    const shared = path.join(scratch, 'shared-results.json')
    const both = await Promise.all(
      ['GET /health', 'GET /products'].map((include) =>
        runAction({ config: GENEROUS, 'base-url': api.url, include, duration: '2s', 'results-file': shared }, { RUNNER_TEMP: runnerTemp }),
      ),
    )
    const refused = both.filter((run) => run.exitCode === 1)
    const ran = both.filter((run) => run.exitCode === 0)
    expect(refused).toHaveLength(1)
    expect(ran).toHaveLength(1)
    expect(errorLines(refused[0])).toEqual([
      `::error::input results-file: ${shared} is being written by another Perf-Xi run (pid ${/pid (\d+)/.exec(refused[0].stdout)![1]}); give each run its own file, or delete ${shared}.perf-xi-lock if that run is gone`,
    ])
    expect(refused[0].stdout).not.toContain('Running k6')
    expect(verdicts(refused[0])).toEqual(['error'])
    // The results file is the one run's own, whole.
    const results = JSON.parse(readFileSync(shared, 'utf8'))
    expect(results.slis).toHaveLength(1)
    expect(verdicts(ran[0])).toEqual(['pass'])
  })
})

it('the test workspace is left as it was', () => {
  expect(() => readFileSync(path.join(ROOT, 'perf-xi-results.json'))).toThrow()
})

const declared = Object.keys((parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs)

/** Every `core.getInput(...)` call under src/, by file: its argument as written. */
function getInputCalls(): Array<{ file: string; argument: string }> {
  const calls: Array<{ file: string; argument: string }> = []
  for (const entry of readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const file = path.relative(ROOT, path.join(entry.parentPath, entry.name))
    for (const match of readFileSync(path.join(ROOT, file), 'utf8').matchAll(/\bgetInput\(([^)]*)\)/g)) calls.push({ file, argument: match[1].trim() })
  }
  return calls
}

describe("the action's inputs", () => {
  const calls = getInputCalls()

  it('are read only in src/main.ts: by name from INPUT_NAMES, or as a literal name', () => {
    expect(calls.length).toBeGreaterThan(0)
    for (const call of calls) {
      expect(call.file).toBe(path.join('src', 'main.ts'))
      expect(call.argument).toMatch(/^(name|'[a-z0-9-]+')$/)
    }
  })

  it('that the code reads are exactly those action.yml declares', () => {
    const literal = calls.filter((c) => c.argument.startsWith("'")).map((c) => c.argument.slice(1, -1))
    const read = new Set<string>([...INPUT_NAMES, ...literal])
    expect([...read].sort()).toEqual([...declared].sort())
    // One list read twice would hide an input the other list lacks.
    expect(literal.filter((name) => (INPUT_NAMES as readonly string[]).includes(name))).toEqual([])
  })
})

describe('mode capacity', () => {
  it('steps through the levels, writes the capacity report to the job summary and fails the step with fail-on capacity', async () => {
    const dir = mkdtempSync(path.join(scratch, 'capacity-'))
    writeFileSync(path.join(dir, 'perf-xi.yml'), 'capacity:\n  levels: [1, 2, 4]\n  level-duration: 2s\n  warm-up: 500ms\n')
    const run = await runAction({
      mode: 'capacity',
      openapi: 'examples/sample-api/openapi.yaml',
      include: 'GET /health',
      config: path.join(dir, 'perf-xi.yml'),
      'base-url': api.url,
      'target-rps': '1000000',
      'target-p95': '1s',
      'fail-on': 'capacity',
    })
    expect(verdicts(run)).toEqual(['fail'])
    expect(run.exitCode).toBe(1)
    expect(run.summary).toMatch(
      /^## ❌ Perf-Xi capacity: FAIL — target 1,000,000 req\/s is out of reach with 1 replica: capacity [\d,]+ req\/s within p95 1000 ms; \d+ replicas needed$/m,
    )
    expect(run.summary.match(/```mermaid\nxychart-beta/g)).toHaveLength(2)
    expect(errorLines(run)).toEqual([expect.stringMatching(/^::error::Perf-Xi capacity: FAIL — target 1,000,000 req\/s is out of reach/)])
  }, 60_000)
})
