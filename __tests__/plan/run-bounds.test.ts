/**
 * The bounds on a run's length and on a request's wait: the config refuses a test longer than 6 h,
 * a think time over 5 min or not shorter than the test, and a request-timeout outside 1 s–5 min,
 * each at its file:line; the request timeout and graceful stop the script gets follow the SLO.
 */
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ConfigError, resolveConfig, type RawInputs } from '../../src/config/load.js'
import { gracefulStopMs, requestTimeoutMs } from '../../src/plan/run-bounds.js'
import { tempDir } from '../support/temp-dirs.js'

let dir: string
beforeAll(() => {
  dir = tempDir('perf-xi-bounds-')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The problems resolving `yaml` (as perf-xi.yml, after a first line) and `inputs` gives; [] when it resolves. */
function problemsOf(yaml: string, inputs: RawInputs = {}): string[] {
  writeFileSync(path.join(dir, 'perf-xi.yml'), `# perf-xi.yml\n${yaml}`)
  try {
    resolveConfig({ config: 'perf-xi.yml', openapi: 'spec.yaml', ...inputs }, { cwd: dir })
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
}

describe('lengths above their maximum are config errors at file:line', () => {
  it.each([
    { what: 'duration above 6h', yaml: 'duration: 999999h\n', expected: ['perf-xi.yml:2: duration: 999999h is above the maximum of 6h for a whole test'] },
    { what: 'duration of exactly 6h', yaml: 'duration: 6h\n', expected: [] },
    {
      what: 'the duration input above 6h',
      yaml: '',
      inputs: { duration: '7h' },
      expected: ['input duration: 7h is above the maximum of 6h for a whole test'],
    },
    {
      what: 'think-time above 5m',
      yaml: 'think-time: 999999h\n',
      expected: ['perf-xi.yml:2: think-time: 999999h is above the maximum of 5m for the pause after a request'],
    },
    {
      what: "a category's think-time above 5m",
      yaml: 'categories:\n  data-intensive:\n    think-time: 6m\n',
      expected: ['perf-xi.yml:4: categories.data-intensive.think-time: 6m is above the maximum of 5m for the pause after a request'],
    },
    {
      what: 'think-time not shorter than the test',
      yaml: 'duration: 5s\nthink-time: 5s\n',
      expected: [
        'perf-xi.yml:3: think-time: 5s is not shorter than the test (5s): each VU would send one request and sleep to the end; shorten it or lengthen the test',
      ],
    },
    {
      what: "a category's think-time not shorter than the test",
      yaml: 'duration: 10s\ncategories:\n  critical:\n    think-time: 1m\n',
      expected: [
        'perf-xi.yml:5: categories.critical.think-time: 1m is not shorter than the test (10s): each VU would send one request and sleep to the end; shorten it or lengthen the test',
      ],
    },
    { what: 'a think time shorter than the test', yaml: 'duration: 10s\nthink-time: 2s\n', expected: [] },
    {
      what: 'one stage above 6h',
      yaml: 'stages:\n  - { duration: 7h, target: 5 }\n',
      expected: ['perf-xi.yml:3: stages.0.duration: 7h is above the maximum of 6h for a whole test'],
    },
    {
      what: 'stages adding up to more than 6h',
      yaml: 'stages:\n  - { duration: 4h, target: 5 }\n  - { duration: 3h, target: 5 }\n',
      expected: ['perf-xi.yml:3: stages: 7h is above the maximum of 6h for a whole test'],
    },
    { what: 'hold above 6h', yaml: 'profile: soak\nhold: 7h\n', expected: ['perf-xi.yml:3: hold: 7h is above the maximum of 6h for a whole test'] },
    {
      what: 'hold and its ramps adding up to more than 6h',
      yaml: 'profile: soak\nhold: 6h\n',
      expected: ['the planned test lasts 6h10m, above the maximum of 6h; shorten duration, hold or the stages'],
    },
    {
      what: 'request-timeout below 1s',
      yaml: 'request-timeout: 100ms\n',
      expected: ['perf-xi.yml:2: request-timeout: expected a duration from 1s to 5m (how long a request may take before it counts as failed), got "100ms"'],
    },
    {
      what: 'request-timeout above 5m',
      yaml: 'request-timeout: 1h\n',
      expected: ['perf-xi.yml:2: request-timeout: expected a duration from 1s to 5m (how long a request may take before it counts as failed), got "1h"'],
    },
    { what: 'request-timeout within range', yaml: 'request-timeout: 30s\n', expected: [] },
  ])('$what', ({ yaml, inputs, expected }) => {
    expect(problemsOf(yaml, inputs)).toEqual(expected)
  })
})

describe('request timeouts and graceful stops follow the SLO', () => {
  it.each([
    { what: 'the default p95 of 1 s: 4 × 1 s', slo: { p95: 1000 }, expected: 4000 },
    { what: 'the highest latency limit counts (max 3 s)', slo: { p95: 500, max: 3000 }, expected: 12_000 },
    { what: 'a tight p95 of 50 ms: at least 2 s', slo: { p95: 50 }, expected: 2000 },
    { what: 'a loose p99 of 1 min: at most 60 s', slo: { p99: 60_000 }, expected: 60_000 },
    { what: 'no latency limit: 10 s', slo: { 'error-rate': 1 }, expected: 10_000 },
    { what: 'request-timeout wins', slo: { p95: 1000 }, override: 30_000, expected: 30_000 },
  ])('$what', ({ slo, override, expected }) => {
    expect(requestTimeoutMs(slo, override)).toBe(expected)
  })

  it('lets every scenario wait 2 s longer than its slowest request may take', () => {
    expect(gracefulStopMs([2000, 4000])).toBe(6000)
  })
})
