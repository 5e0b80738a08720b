import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { ConfigError, resolveConfig, type RawInputs } from '../../src/config/load.js'
import { autoLevels } from '../../src/capacity/config.js'
import { tempDir } from '../support/temp-dirs.js'

const dir = tempDir('perf-xi-capacity-config-')
const SPEC = 'spec.yaml'
writeFileSync(path.join(dir, SPEC), 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\n')

function withFile(yaml: string): string {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.yml`)
  writeFileSync(file, yaml)
  return file
}

const TARGETS: RawInputs = { openapi: SPEC, 'target-rps': '500', 'target-p95': '300ms' }

function problemsOf(inputs: RawInputs): string[] {
  try {
    resolveConfig(inputs, { cwd: dir, mode: 'capacity' })
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('capacity settings', () => {
  it('default to auto levels doubling up to max-vus, 30 s levels with 5 s warm-up, 30 % headroom and 1 replica', () => {
    const config = resolveConfig({ ...TARGETS, config: withFile('max-vus: 40\n') }, { cwd: dir, mode: 'capacity' })
    expect(config.capacity).toEqual({
      levels: [1, 2, 4, 8, 16, 32, 40],
      auto: true,
      levelDurationMs: 30_000,
      warmUpMs: 5_000,
      headroom: 0.3,
      targetRps: 500,
      targetP95Ms: 300,
      replicas: 1,
      replicaCost: undefined,
    })
  })

  it('read the capacity block and the replica inputs', () => {
    const file = withFile('capacity:\n  levels: [2, 4, 8, 16]\n  level-duration: 10s\n  warm-up: 2s\n  headroom: 20%\n')
    const config = resolveConfig({ ...TARGETS, config: file, replicas: '3', 'replica-cost': '52.50 USD' }, { cwd: dir, mode: 'capacity' })
    expect(config.capacity).toMatchObject({ levels: [2, 4, 8, 16], auto: false, levelDurationMs: 10_000, warmUpMs: 2_000, headroom: 0.2, replicas: 3 })
    expect(config.capacity!.replicaCost).toEqual({ amount: 52.5, currency: 'USD' })
  })

  it('are not read outside capacity mode', () => {
    expect(resolveConfig(TARGETS, { cwd: dir }).capacity).toBeUndefined()
  })

  it('stop at the cap when it is no power of two', () => {
    expect(autoLevels(1)).toEqual([1])
    expect(autoLevels(8)).toEqual([1, 2, 4, 8])
    expect(autoLevels(100)).toEqual([1, 2, 4, 8, 16, 32, 64, 100])
  })
})

describe('bad capacity input is refused before any load, one line each', () => {
  const cases: Array<{ what: string; inputs: RawInputs; problem: RegExp }> = [
    { what: 'no target-rps', inputs: { openapi: SPEC, 'target-p95': '300ms' }, problem: /^input target-rps: required in capacity mode/ },
    { what: 'target-rps not a number', inputs: { ...TARGETS, 'target-rps': 'lots' }, problem: /^input target-rps: expected a number above 0, got "lots"$/ },
    { what: 'target-rps zero', inputs: { ...TARGETS, 'target-rps': '0' }, problem: /^input target-rps: expected a number above 0, got "0"$/ },
    { what: 'target-rps negative', inputs: { ...TARGETS, 'target-rps': '-5' }, problem: /^input target-rps: expected a number above 0/ },
    {
      what: 'target-p95 unparseable',
      inputs: { ...TARGETS, 'target-p95': 'fast' },
      problem: /^input target-p95: expected a duration such as 300ms or 1.5s, got "fast"$/,
    },
    { what: 'replicas below 1', inputs: { ...TARGETS, replicas: '0' }, problem: /^input replicas: expected a whole number of 1 or more/ },
    { what: 'replicas not whole', inputs: { ...TARGETS, replicas: '1.5' }, problem: /^input replicas: expected a whole number of 1 or more/ },
    {
      what: 'replica-cost without currency',
      inputs: { ...TARGETS, 'replica-cost': '52.50' },
      problem: /^input replica-cost: expected an amount per instance per month and a currency/,
    },
  ]
  it.each(cases)('$what', ({ inputs, problem }) => {
    const problems = problemsOf(inputs)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(problem)
    expect(problems[0]).not.toContain('\n')
  })

  it('levels that do not increase', () => {
    const problems = problemsOf({ ...TARGETS, config: withFile('capacity:\n  levels: [1, 4, 2]\n') })
    expect(problems).toEqual([expect.stringMatching(/: capacity\.levels: expected increasing concurrency levels, but 2 follows 4 \(got \[1,4,2\]\)$/)])
  })

  it('levels above max-vus', () => {
    const problems = problemsOf({ ...TARGETS, config: withFile('max-vus: 50\ncapacity:\n  levels: [10, 20, 100]\n') })
    expect(problems).toEqual([expect.stringMatching(/: capacity\.levels: 100 is above the cap of 50 virtual users; lower it or raise max-vus$/)])
  })

  it('a warm-up as long as the level', () => {
    const problems = problemsOf({ ...TARGETS, config: withFile('capacity:\n  level-duration: 5s\n  warm-up: 5s\n') })
    expect(problems).toEqual([expect.stringMatching(/capacity\.warm-up: 5000 ms is not shorter than level-duration \(5000 ms\)/)])
  })

  it('a headroom outside 0 to 90 %', () => {
    expect(problemsOf({ ...TARGETS, config: withFile('capacity:\n  headroom: 95%\n') })).toEqual([
      expect.stringMatching(/capacity\.headroom: expected a percentage from 0 to 90/),
    ])
  })

  it('an unknown key in the capacity block, with its line', () => {
    expect(problemsOf({ ...TARGETS, config: withFile('capacity:\n  level: [1, 2]\n') })).toEqual([
      expect.stringMatching(/:2: capacity\.level: unknown setting/),
    ])
  })

  it("the user's own k6 scripts instead of a spec", () => {
    expect(problemsOf({ 'target-rps': '500', 'target-p95': '300ms', script: 'spec.yaml' })).toContainEqual(
      'input script: capacity mode steps through levels of a generated test; give openapi instead of your own scripts',
    )
  })

  it('fail-on capacity outside capacity mode', () => {
    expect(() => resolveConfig({ ...TARGETS, 'fail-on': 'capacity' }, { cwd: dir })).toThrow(/fail-on: capacity applies to capacity runs only/)
  })
})
