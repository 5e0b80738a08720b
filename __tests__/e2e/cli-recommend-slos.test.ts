/**
 * perf-xi --recommend-slos end to end: the CLI reads a local history folder of recorded runs,
 * resolves the SLOs in force from the sample API's plan, and prints a YAML block that the config
 * loader takes back, with the backtest; bad histories are one line and exit code 2. Nothing runs.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { runCli } from '../../src/cli.js'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { loadShapeHash } from '../../src/config/load-shape.js'
import { ResultsFileSchema } from '../../src/results/schema.js'
import { FIXTURE_SHAPE, historyFolder } from '../analyst/history-fixtures.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const spec = path.join(root, 'examples/sample-api/openapi.yaml')
const cwd = tempDir('perf-xi-recommend-cwd-')
const target = ['--openapi', spec, '--base-url', 'http://127.0.0.1:8080']

/** The recorded runs as runs of the load shape these inputs give (the recorded hash stands for it); the other shape stays other. */
function historyOfShape(inputs: RawInputs, ...folders: Array<'steady' | 'short' | 'damaged'>): string {
  const dir = historyFolder(...folders)
  const shape = loadShapeHash(resolveConfig(inputs, { cwd }))
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name)
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace(`"load_shape": "${FIXTURE_SHAPE}"`, `"load_shape": "${shape}"`))
  }
  return dir
}

function historyOfThisShape(...folders: Array<'steady' | 'short' | 'damaged'>): string {
  return historyOfShape({ openapi: spec, 'base-url': 'http://127.0.0.1:8080' }, ...folders)
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = ''
  let err = ''
  const { exitCode } = await runCli({ argv, cwd, env, out: (t) => (out += t), err: (t) => (err += t) })
  return { exitCode, out, err }
}

describe('perf-xi --recommend-slos --baseline-dir', () => {
  it('prints a backtested YAML block from the folder’s runs, names what it left out, and changes nothing', async () => {
    const dir = historyOfThisShape('steady', 'damaged')
    const before = readdirSync(dir).sort()
    const { exitCode, out, err } = await cli([...target, '--recommend-slos', '--baseline-dir', dir])
    expect(err).toBe('')
    expect(exitCode).toBe(0)
    expect(out.split('\n')[0]).toBe(`SLOs proposed for 5 endpoints from 8 runs of folder ${dir}; 2 limits in force flap, 4 limits in force catch nothing`)
    expect(out).toContain('  GET /products p95 80 ms: would have failed 0 of 8 runs; catches +58% over the median 50.5 ms (bound 60.3 ms)')
    // The plan's SLOs are in force: the sample API's categories' defaults.
    expect(out).toContain('  flaps: GET /products/{id} p95 1 s failed in 2 of 8 base-branch runs (25%): it flaps on unchanged code')
    expect(out).toContain("  catches nothing: GET /products p95 500 ms is 9.9× the history's median 50.5 ms: even a doubling (101 ms) would pass")
    expect(out).toContain('Left out (4):')
    expect(out).toMatch(/^ {2}2026-11-22T09-00-30-000Z: 2026-11-22T09-00-30-000Z\.json is not valid JSON \(/m)
    expect(readdirSync(dir).sort()).toEqual(before)

    // The block, pasted into a config file, is what the loader reads.
    const yaml = out.slice(out.indexOf('# Recommended from'), out.indexOf('\n\nBacktest'))
    writeFileSync(path.join(cwd, 'perf-xi.yml'), `${yaml}\n`)
    const config = resolveConfig({ openapi: spec, config: 'perf-xi.yml' }, { cwd })
    expect(Object.fromEntries(config.slos.map((r) => [r.selector, r.limits]))).toEqual({
      'GET /health': { p95: 6, p99: 10, 'error-rate': 0.5 },
      'GET /inventory/flaky': { p95: 30, p99: 50, 'error-rate': 8 },
      'GET /products': { p95: 80, p99: 150, 'error-rate': 0.5 },
      'GET /products/{id}': { p95: 1500, p99: 2000, 'error-rate': 0.5 },
      'GET /reports/slow': { p95: 500, 'error-rate': 8 },
    })
  })

  it('for your own k6 scripts: the config’s SLOs on the endpoints the history measured', async () => {
    const script = path.join(root, '__tests__/fixtures/user-scripts/two-scenarios.js')
    const dir = historyOfShape({ script }, 'steady')
    const { exitCode, out, err } = await cli(['--script', script, '--recommend-slos', '--baseline-dir', dir])
    expect(err).toBe('')
    expect(exitCode).toBe(0)
    expect(out.split('\n')[0]).toBe(`SLOs proposed for 5 endpoints from 8 runs of folder ${dir}; 2 limits in force flap, 4 limits in force catch nothing`)
    // Without a config file the built-in "*": p95 < 1 s, errors < 1 % is in force for every endpoint.
    expect(out).toContain("  catches nothing: GET /products p95 1 s is 20× the history's median 50.5 ms: even a doubling (101 ms) would pass")
  })

  it('a history too short: one line saying how many runs are needed and how many there are, exit code 2', async () => {
    const dir = historyOfThisShape('short')
    const { exitCode, out, err } = await cli([...target, '--recommend-slos', '--baseline-dir', dir])
    expect(exitCode).toBe(2)
    expect(out).toBe('')
    expect(err).toBe(`perf-xi: SLO recommendations need at least 5 base-branch runs of the same load shape; folder ${dir} has 3\n`)
  })

  it('runs of another load shape do not count, and are named', async () => {
    const { exitCode, err } = await cli([...target, '--recommend-slos', '--baseline-dir', historyFolder('steady')])
    expect(exitCode).toBe(2)
    expect(err).toMatch(/; folder \S+ has 0 \(8 runs of another load shape left out\)\n$/)
    expect(err.trimEnd().split('\n')).toHaveLength(1)
  })

  it('without --baseline-dir: says which folder it reads', async () => {
    const { exitCode, err } = await cli([...target, '--recommend-slos'])
    expect(exitCode).toBe(2)
    expect(err).toBe('perf-xi: --recommend-slos: reads the earlier runs kept in --baseline-dir; name that folder\n')
  })
})

describe('a gate run under default SLOs with a local history (runs k6 against the sample API)', () => {
  it('folds the recommendations for the endpoints it measured into summary.md, and the results file carries them', async () => {
    const api = await startSampleApi({ port: 0, token: 't0k' })
    const outDir = tempDir('perf-xi-recommend-out-')
    try {
      const inputs = { openapi: spec, 'base-url': api.url, duration: '2s', include: 'GET /health,GET /products' }
      const dir = historyOfShape(inputs, 'steady')
      const { exitCode, err } = await cli(
        ['--openapi', spec, '--base-url', api.url, '--duration', '2s', '--include', 'GET /health,GET /products', '--baseline-dir', dir, '--out-dir', outDir],
        { SAMPLE_API_TOKEN: 't0k' },
      )
      expect(err).toBe('')
      expect(exitCode).toBe(0)
      const summary = readFileSync(path.join(outDir, 'summary.md'), 'utf8')
      expect(summary).toContain('<details><summary>Recommended SLOs (the SLOs in force are only defaults)</summary>')
      // The gate reads baseline.history (5) runs, the newest.
      expect(summary).toContain(`SLOs proposed for 2 endpoints from 5 runs of folder ${dir}`)
      expect(summary).toContain('```yaml\n# Recommended from 5 base-branch runs')
      const results = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')))
      expect(results.slo_recommendations?.endpoints.map((e) => e.endpoint)).toEqual(['GET /health', 'GET /products'])
      expect(results.slo_recommendations?.runs_used).toBe(5)
    } finally {
      await api.close()
    }
  })
})
