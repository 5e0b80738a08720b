import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, resolveConfig } from '../../src/config/load.js'
import { DEFAULT_DRIFT_MIN_DURATION_MS } from '../../src/verdict/drift-config.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config')

describe("the config's soak: block", () => {
  it('reads max-drift as a percentage and the window, the shortest run judged and the warm-up as durations', () => {
    expect(resolveConfig({ config: 'soak.yml' }, { cwd: fixtures }).drift).toEqual({
      maxDriftPct: 20,
      windowMs: 2500,
      minDurationMs: 30_000,
      warmUpMs: 5000,
    })
  })

  it('without it, drift is a finding only and runs of 10 minutes or more are judged', () => {
    expect(resolveConfig({ config: 'valid.yml' }, { cwd: fixtures }).drift).toEqual({ minDurationMs: DEFAULT_DRIFT_MIN_DURATION_MS })
    expect(DEFAULT_DRIFT_MIN_DURATION_MS).toBe(600_000)
  })

  it('an unparseable max-drift or window is one line each, naming the file and line', () => {
    let problems: string[] = []
    try {
      resolveConfig({ config: 'soak-bad.yml' }, { cwd: fixtures })
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems = err.problems
    }
    expect(problems).toEqual([
      'soak-bad.yml:4: soak.max-drift: expected a percentage above 0 such as 20% (p95\'s rise over the run; for the error rate, points), got "a lot"',
      'soak-bad.yml:5: soak.window: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got "soon"',
    ])
  })
})
