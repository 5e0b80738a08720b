import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, resolveConfig, type RawInputs } from '../../src/config/load.js'
import { parseDuration } from '../../src/duration.js'
import { K6_VERSION } from '../../src/k6-version.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config')
const resolve = (inputs: RawInputs) => resolveConfig(inputs, { cwd: fixtures })

function problemsOf(inputs: RawInputs): string[] {
  try {
    resolve(inputs)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('the stress and spike limits', () => {
  it("are the design's numbers unless the config's stress: and spike: blocks say otherwise", () => {
    expect(resolve({ config: 'valid.yml' }).phases).toEqual({ stress: { p95Ms: 5000, errorRatePct: 10, throughputFraction: 0.5 }, spike: { errorRatePct: 5 } })
    expect(resolve({ config: 'phase-limits.yml' }).phases).toEqual({
      stress: { p95Ms: 800, errorRatePct: 2, throughputFraction: 0.7 },
      spike: { errorRatePct: 1, recoveryMs: 20_000 },
    })
  })
})

describe('a complete config file', () => {
  const config = resolve({ config: 'valid.yml' })

  it('reads every setting, in the units the rest of Perf-Xi uses', () => {
    expect(config).toMatchObject({
      openapi: 'api/openapi.yaml',
      baseUrl: 'http://127.0.0.1:8080',
      profile: 'load',
      vus: 20,
      durationMs: 90_000,
      thinkTimeMs: 500,
      allowWrites: true,
      include: ['tag:catalog', 'GET /account'],
      exclude: ['operationId:deleteEverything'],
      auth: { type: 'api-key', in: 'query', name: 'api_key', 'value-env': 'CATALOG_API_KEY' },
      failOn: 'never',
      k6Version: K6_VERSION,
      configFile: 'valid.yml',
    })
  })

  it('keeps each SLO and each limit with the line it is written on, for annotations', () => {
    expect(config.slos).toEqual([
      { selector: '*', limits: { p95: 1000, 'error-rate': 1 }, line: 18, limitLines: { p95: 19, 'error-rate': 20 } },
      { selector: 'tag:catalog', limits: { p95: 300 }, line: 21, limitLines: { p95: 22 } },
      { selector: 'GET /products/{id}', limits: { p99: 800, 'min-rps': 50 }, line: 23, limitLines: { p99: 24, 'min-rps': 25 } },
    ])
  })

  it('is frozen, so no stage can change it', () => {
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.slos[0].limits)).toBe(true)
  })

  it('lets action inputs override the file', () => {
    const overridden = resolve({ config: 'valid.yml', profile: 'smoke', vus: '3', duration: '10s', 'fail-on': 'slo', include: 'GET /a, GET /b' })
    expect(overridden).toMatchObject({ profile: 'smoke', vus: 3, durationMs: 10_000, failOn: 'slo' })
    expect(overridden.include).toEqual(['GET /a', 'GET /b', 'tag:catalog', 'GET /account'])
  })
})

describe('defaults without a config file', () => {
  it('runs the smoke profile with the standard SLO: p95 under 1 s, errors under 1 %', () => {
    const config = resolve({ openapi: 'spec.yaml' })
    expect(config).toMatchObject({ profile: 'smoke', failOn: 'slo', allowWrites: false, auth: { type: 'none' }, maxVus: 1000 })
    expect(config.configFile).toBeUndefined()
    expect(config.slos).toEqual([{ selector: '*', limits: { p95: 1000, 'error-rate': 1 } }])
  })

  it("runs from the inputs alone when the config input is action.yml's default and that file is missing", () => {
    // The runner passes the default on every run, so a repository without the file gets it too.
    const config = resolve({ openapi: 'spec.yaml', config: '.github/perf-xi.yml' })
    expect(config.configFile).toBeUndefined()
    expect(resolve({ openapi: 'spec.yaml', config: './.github/perf-xi.yml' }).configFile).toBeUndefined()
  })

  it('refuses a config file that was named and is missing', () => {
    expect(problemsOf({ openapi: 'spec.yaml', config: '.github/perf-xi.yaml' })).toEqual(['input config: file .github/perf-xi.yaml does not exist'])
  })
})

describe('configuration problems are all reported at once, each naming where and what', () => {
  const cases: Array<{ what: string; inputs: RawInputs; expected: string[] }> = [
    {
      what: 'unknown keys, with their line and the allowed names',
      inputs: { openapi: 'x.yaml', config: 'unknown-keys.yml' },
      expected: [
        'unknown-keys.yml:5: slos."GET /products".p96: unknown setting (allowed: p50, p90, p95, p99, max, error-rate, min-rps)',
        expect.stringMatching(/^unknown-keys\.yml:6: treshold: unknown setting \(allowed: openapi, script, script-env, base-url, profile/),
      ] as string[],
    },
    {
      what: 'bad values, each with its line and the value given',
      inputs: { openapi: 'x.yaml', config: 'bad-values.yml' },
      expected: [
        expect.stringMatching(/^bad-values\.yml:1: profile: .*"smoke".*"load".*\(got "heavy"\)$/),
        expect.stringMatching(/^bad-values\.yml:2: vus: .*\(got -3\)$/),
        'bad-values.yml:3: duration: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got "fast"',
        'bad-values.yml:6: slos."GET /products".p95: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got "quick"',
        'bad-values.yml:7: slos."GET /products".error-rate: expected a percentage from 0 to 100 such as 1% or 0.5, got "150%"',
        'bad-values.yml:8: slos."GET /search": an SLO needs at least one limit: p50, p90, p95, p99, max, error-rate or min-rps',
        'bad-values.yml:11: auth.token-env: expected the name of an environment variable (letters, digits, _), not a secret value (got a value that is not shown)',
      ] as string[],
    },
    {
      what: "a category's weight, which became its vus, with its line and what to write instead",
      inputs: { openapi: 'x.yaml', config: 'category-weight.yml' },
      expected: [
        "category-weight.yml:6: categories.critical.weight: is no longer a setting: a category's share of the traffic comes from its vus now " +
          '(VUs per endpoint: standard 10, critical 20, data-intensive 5); use vus instead, e.g. vus: 40 on critical for twice its default share (got 3)',
      ],
    },
    {
      what: 'stress and spike limits out of range, each at its line',
      inputs: { openapi: 'x.yaml', config: 'phase-limits-bad.yml' },
      expected: [
        'phase-limits-bad.yml:4: stress.throughput-drop: expected a percentage above 0 and at most 99 such as 10%, got "100%"',
        'phase-limits-bad.yml:6: spike.recovery: expected a duration such as 500ms, 30s or 1m30s (a bare number is milliseconds), got "soon"',
      ],
    },
    {
      what: 'malformed YAML, at the line the parser stopped',
      inputs: { openapi: 'x.yaml', config: 'malformed.yml' },
      expected: [expect.stringMatching(/^malformed\.yml:5: invalid YAML: /)] as string[],
    },
    {
      what: 'a file that is not a mapping',
      inputs: { openapi: 'x.yaml', config: 'not-a-mapping.yml' },
      expected: ['not-a-mapping.yml:1: expected a mapping of settings (openapi, profile, slos, auth, ...)'],
    },
    {
      what: 'a key written twice',
      inputs: { openapi: 'x.yaml', config: 'duplicate-key.yml' },
      expected: [expect.stringMatching(/^duplicate-key\.yml:2: invalid YAML: Map keys must be unique/)] as string[],
    },
    {
      what: 'bad action inputs together with a missing spec and a missing config file',
      inputs: { config: 'nope.yml', profile: 'fast', vus: 'ten', duration: 'soon', 'fail-on': 'always', 'base-url': 'localhost:8080', 'allow-writes': 'yes' },
      expected: [
        'input config: file nope.yml does not exist',
        'input openapi: required (a path or URL of an OpenAPI 2.0/3.0/3.1 description), or set openapi in nope.yml; or run your own k6 scripts with script',
        'input profile: "fast" is not one of smoke, load, ramp, soak, spike, stress, breakpoint',
        'input fail-on: "always" is not one of slo, regression, both, never, capacity',
        'input vus: expected a whole number above 0, got "ten"',
        'input duration: expected a duration such as 30s or 1m30s, got "soon"',
        'input allow-writes: expected true or false, got "yes"',
        'base-url: expected an http:// or https:// URL, got "localhost:8080"',
      ],
    },
    {
      what: 'credentials in the base URL, which would end up in the script and the results',
      inputs: { openapi: 'x.yaml', 'base-url': 'https://deploy:hunter2@staging.example.com' },
      expected: ['base-url: must not contain a user name or password (they would be written to the script and the results); use auth with type basic'],
    },
    {
      what: 'credentials in the OpenAPI URL, which would end up in the results',
      inputs: { openapi: 'https://deploy:hunter2@specs.example.com/openapi.yaml' },
      expected: ['openapi: must not contain a user name or password (they would be written to the results and the logs); read the spec from a file instead'],
    },
    {
      what: 'an ai-context the Claude analysis does not know',
      inputs: { openapi: 'x.yaml', 'ai-context': 'everything' },
      expected: ['input ai-context: "everything" is not one of none, files, diff'],
    },
    {
      what: 'more virtual users than the cap',
      inputs: { openapi: 'x.yaml', vus: '5000' },
      expected: ['vus: 5000 is above the cap of 1000 virtual users; lower vus or raise max-vus in .github/perf-xi.yml'],
    },
    {
      what: 'a folder given as the config file',
      inputs: { openapi: 'x.yaml', config: '.' },
      expected: ['input config: cannot read .: it is a folder, not a file'],
    },
    {
      what: 'a YAML alias bomb (billion laughs), refused without expanding it',
      inputs: { openapi: 'x.yaml', config: 'alias-bomb.yml' },
      expected: ['alias-bomb.yml:1: invalid YAML: its aliases (*name) expand too far; write the values out'],
    },
    {
      what: 'a config file that is not UTF-8, at the line of the first bad byte',
      inputs: { config: 'latin1.yml' },
      expected: ['input config: latin1.yml is not UTF-8 text (line 3); save it as UTF-8'],
    },
    {
      what: 'a number too large for any setting, shown as such rather than as null',
      inputs: { openapi: 'x.yaml', config: 'huge-number.yml' },
      expected: [expect.stringMatching(/^huge-number\.yml:2: vus: .*\(got a number too large to use\)$/)] as string[],
    },
    {
      what: 'an invalid config that sets openapi: only its own problem, no cascaded "openapi: required"',
      inputs: { config: 'invalid-with-openapi.yml' },
      expected: [
        'invalid-with-openapi.yml:3: profile: Invalid option: expected one of "smoke"|"load"|"ramp"|"soak"|"spike"|"stress"|"breakpoint" (got "fast")',
      ],
    },
    {
      what: 'a config file that is not a mapping: only that problem, no cascaded "openapi: required"',
      inputs: { config: 'not-a-mapping.yml' },
      expected: ['not-a-mapping.yml:1: expected a mapping of settings (openapi, profile, slos, auth, ...)'],
    },
    {
      what: 'an invalid config that names no spec: openapi is really missing, so both are reported',
      inputs: { config: 'invalid-without-openapi.yml' },
      expected: [
        'invalid-without-openapi.yml:2: profile: Invalid option: expected one of "smoke"|"load"|"ramp"|"soak"|"spike"|"stress"|"breakpoint" (got "fast")',
        'input openapi: required (a path or URL of an OpenAPI 2.0/3.0/3.1 description), or set openapi in invalid-without-openapi.yml; or run your own k6 scripts with script',
      ],
    },
    {
      what: 'a webhook URL without its secret: refused before the run, not found failing after it',
      inputs: { openapi: 'x.yaml', 'webhook-url': 'https://hooks.example.com/perf' },
      expected: ['input webhook-secret: required when webhook-url is set (every delivery is signed with it); pass it from a repository secret'],
    },
    {
      what: 'webhook-required without a webhook',
      inputs: { openapi: 'x.yaml', 'webhook-required': 'true' },
      expected: ['input webhook-required: true, but webhook-url is not set'],
    },
    {
      what: 'a malformed webhook URL, never echoed (it may carry a token)',
      inputs: { openapi: 'x.yaml', 'webhook-url': 'hooks/T0KEN123456789abc', 'webhook-secret': 's' },
      expected: ['input webhook-url: webhook URL is not a valid absolute URL'],
    },
    {
      what: 'a shard beyond its count, refused before any load',
      inputs: { openapi: 'x.yaml', shard: '5/4' },
      expected: ['input shard: expected i/N with 1 ≤ i ≤ N ≤ 100 (this job runs shard i of N), got "5/4"'],
    },
    {
      what: 'a sharded breakpoint run, which would have to stop k6 at an SLO',
      inputs: { openapi: 'x.yaml', shard: '1/2', profile: 'breakpoint' },
      expected: [
        'input shard: the breakpoint profile stops k6 when an SLO fails, which shards cannot (their SLOs are judged after the merge); run it on one runner',
      ],
    },
    {
      what: 'a sharded run with soak.max-drift, whose drift no shard can judge',
      inputs: { config: 'soak.yml', shard: '1/2' },
      expected: [
        "soak.yml:4: soak.max-drift: drift is judged from each endpoint's windows over the whole load, which shards do not bring to the merge; run the soak test on one runner (without shard)",
      ],
    },
    {
      what: 'an HTML report asked of a shard, when no job of a sharded run writes one',
      inputs: { openapi: 'x.yaml', shard: '1/2', 'html-report': 'true' },
      expected: [
        "input html-report: no job of a sharded run writes k6's web dashboard report (a shard runs part of the load, the merge job no k6); leave html-report out",
      ],
    },
    {
      what: 'an html-report that is no boolean',
      inputs: { openapi: 'x.yaml', 'html-report': 'yes' },
      expected: ['input html-report: expected true or false, got "yes"'],
    },
    {
      what: 'a shard wait that is no duration',
      inputs: { openapi: 'x.yaml', shard: '1/2', 'shard-wait': 'soon' },
      expected: ['input shard-wait: expected a duration such as 30s or 1m30s, got "soon"'],
    },
  ]

  it.each(cases)('$what', ({ inputs, expected }) => {
    expect(problemsOf(inputs)).toEqual(expected)
  })

  it('reports several problems in one error whose lines each name one problem', () => {
    const problems = problemsOf({ openapi: 'x.yaml', config: 'bad-values.yml' })
    expect(problems.length).toBeGreaterThan(5)
    for (const problem of problems) expect(problem).not.toContain('\n')
  })
})

describe('sharded runs', () => {
  it('reads shard i/N and its wait into the config', () => {
    expect(resolve({ openapi: 'x.yaml', shard: '2/4', 'shard-wait': '90s' }).shard).toEqual({ index: 2, count: 4, waitMs: 90_000 })
    expect(resolve({ openapi: 'x.yaml' }).shard).toBeUndefined()
  })
})

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    [250, 250],
    ['250', 250],
    ['fast', undefined],
    ['-1s', undefined],
    [-5, undefined],
  ])('%p is %p ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected)
  })
})
