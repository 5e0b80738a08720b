/**
 * The profile keys of the config file (ProfileConfigShape), their resolution with the
 * allowed-hosts input, traffic weights by selector, and the host allow-list.
 */
import { ConfigFileSchema } from '../../src/config/schema.js'
import {
  ProfileConfigShape,
  ProfileFileConfigSchema,
  checkAllowedHost,
  resolveProfileConfig,
  resolveWeights,
  toProfileOverrides,
  weightWarnings,
  type ProfileContext,
} from '../../src/plan/profile-config.js'
import { parseDuration } from '../../src/duration.js'
import { buildExecutor } from '../../src/plan/profiles.js'
import type { Endpoint } from '../../src/spec/model.js'

const parse = (raw: unknown) => ProfileFileConfigSchema.safeParse(raw)
const messages = (raw: unknown) => {
  const result = parse(raw)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('the config file keys', () => {
  it('is part of the config file schema', () => {
    for (const key of Object.keys(ProfileConfigShape)) expect(ConfigFileSchema.shape).toHaveProperty([key])
    expect(ConfigFileSchema.safeParse({ profile: 'load', vus: 10, model: 'open', rate: 50 }).success).toBe(true)
  })

  it('reads every key', () => {
    const result = parse({
      model: 'open',
      rate: 200,
      'pre-allocated-vus': 20,
      hold: '4h',
      stages: [
        { duration: '30s', target: 20 },
        { duration: '0s', target: 100 },
        { duration: '1m30s', target: 100 },
      ],
      weights: { 'GET /products': 3, 'tag:search': 0.5 },
      'allowed-hosts': ['127.0.0.1', 'LocalHost:8080', '*.staging.example.com', '[::1]'],
    })
    expect(result.success && result.data).toEqual({
      model: 'open',
      rate: 200,
      'pre-allocated-vus': 20,
      hold: 4 * 3_600_000,
      stages: [
        { durationMs: 30_000, target: 20 },
        { durationMs: 0, target: 100 },
        { durationMs: 90_000, target: 100 },
      ],
      weights: [
        { selector: 'GET /products', weight: 3 },
        { selector: 'tag:search', weight: 0.5 },
      ],
      'allowed-hosts': ['127.0.0.1', 'localhost:8080', '*.staging.example.com', '[::1]'],
    })
  })

  it.each([
    {
      what: 'a model that is not one',
      raw: { model: 'vus' },
      expected: ['model: model: expected closed (virtual users loop) or open (iterations arrive at a rate), got "vus"'],
    },
    { what: 'a fractional rate', raw: { rate: 2.5 }, expected: ['rate: rate: expected a whole number of iterations per second, 1 or more, got 2.5'] },
    {
      what: 'zero pre-allocated VUs',
      raw: { 'pre-allocated-vus': 0 },
      expected: ['pre-allocated-vus: pre-allocated-vus: expected a whole number of virtual users, 1 or more, got 0'],
    },
    {
      what: 'a hold without a unit it can read',
      raw: { hold: 'two hours' },
      expected: ['hold: hold: expected a duration of at least 1s such as 4h or 90m, got "two hours"'],
    },
    {
      what: 'stages that are not a list',
      raw: { stages: { duration: '1m' } },
      expected: [expect.stringMatching(/^stages: stages: expected a list of \{ duration, target \}/)],
    },
    {
      what: 'each bad stage field, at its index',
      raw: {
        stages: [
          { duration: '1 minute', target: 5 },
          { duration: '10s', target: -1, ramp: true },
        ],
      },
      expected: [
        'stages.0.duration: duration: expected a duration such as 30s or 2m (0s for an instant jump), got "1 minute"',
        'stages.1.ramp: ramp: unknown setting (allowed: duration, target), got true',
        'stages.1.target: target: expected a whole number of VUs (closed model) or iterations/s (open model), 0 or more, got -1',
      ],
    },
    {
      what: 'a zero weight, and one that is not a number',
      raw: { weights: { 'GET /health': 0, '*': 'high' } },
      expected: [
        'weights.GET /health: weight: 0 would never run the endpoint (and leave its SLO without data); exclude it with endpoints.exclude instead, got 0',
        'weights.*: weight: expected a positive number (the endpoint\'s share relative to the default of 1), got "high"',
      ],
    },
    {
      what: 'a URL, a bare IPv6 address and a bad port in allowed-hosts',
      raw: { 'allowed-hosts': ['https://api.example.com/v1', '::1', 'localhost:99999', 'two words'] },
      expected: [
        'allowed-hosts.0: allowed-hosts: "https://api.example.com/v1" is a URL; write the host only, such as "api.example.com" (with :port to allow one port only)',
        'allowed-hosts.1: allowed-hosts: "::1": write IPv6 addresses in brackets, such as [::1]',
        'allowed-hosts.2: allowed-hosts: "localhost:99999": port 99999 is not a port number (1 to 65535)',
        'allowed-hosts.3: allowed-hosts: "two words" is not a host name; expected e.g. 127.0.0.1, localhost:8080 or "*.staging.example.com" (any subdomain)',
      ],
    },
    {
      what: 'an empty allow-list',
      raw: { 'allowed-hosts': [] },
      expected: [expect.stringMatching(/^allowed-hosts: allowed-hosts: expected a list of host names/)],
    },
    { what: 'an unknown key', raw: { ramp: '1m' }, expected: [expect.stringMatching(/^: Unrecognized key: "ramp"/)] },
  ])('reports $what', ({ raw, expected }) => {
    expect(messages(raw)).toEqual(expected)
  })

  it('reads durations as the rest of the config does', () => {
    expect(parseDuration('1m30s')).toBe(90_000)
    expect(parseDuration('1.5h')).toBe(5_400_000)
    expect(parseDuration(250)).toBe(250)
    expect(parseDuration('250')).toBe(250)
    expect(parseDuration('1d')).toBeUndefined()
  })
})

describe('resolving the profile settings', () => {
  const context: ProfileContext = { profile: 'load', maxVus: 1000 }
  const resolve = (raw: unknown, inputs: Record<string, string> = {}, ctx: ProfileContext = context) => {
    const problems: string[] = []
    const file = ProfileFileConfigSchema.parse(raw)
    return { config: resolveProfileConfig(file, inputs, ctx, problems), problems }
  }

  it('defaults: the profile decides, equal weights, any host', () => {
    expect(resolve({})).toEqual({ config: { weights: [], allowedHosts: [] }, problems: [] })
  })

  it('lets the allowed-hosts input replace the file list', () => {
    const { config, problems } = resolve({ 'allowed-hosts': ['api.example.com'] }, { 'allowed-hosts': '127.0.0.1, localhost\n[::1]:8080' })
    expect(problems).toEqual([])
    expect(config.allowedHosts).toEqual(['127.0.0.1', 'localhost', '[::1]:8080'])
  })

  it('names the input in its problems and keeps the file list', () => {
    const { config, problems } = resolve({ 'allowed-hosts': ['api.example.com'] }, { 'allowed-hosts': 'http://127.0.0.1:8080' })
    expect(problems).toEqual([
      'input allowed-hosts: "http://127.0.0.1:8080" is a URL; write the host only, such as "127.0.0.1:8080" (with :port to allow one port only)',
    ])
    expect(config.allowedHosts).toEqual(['api.example.com'])
  })

  it('reports settings that do not fit the profile with the rest', () => {
    const { problems } = resolve({ rate: 50, hold: '1h' }, {}, { profile: 'stress', maxVus: 1000, vus: 20 })
    expect(problems).toEqual([
      'rate: 50 iterations/s applies to the open model only; set model: open, or set vus for the closed model',
      'hold: applies to the soak profile only (profile is stress); use duration or stages',
    ])
  })

  it('gives buildExecutor every number', () => {
    const { config } = resolve({ model: 'open', rate: 40, 'pre-allocated-vus': 4 })
    const overrides = toProfileOverrides(config, { vus: 60, durationMs: 100_000, maxVus: 200 })
    expect(overrides).toEqual({ vus: 60, durationMs: 100_000, model: 'open', rate: 40, preAllocatedVus: 4, maxVus: 200 })
    expect(buildExecutor('smoke', overrides)).toEqual({ type: 'constant-arrival-rate', rate: 40, durationMs: 100_000, preAllocatedVus: 4, maxVus: 60 })
  })
})

describe('traffic weights by selector', () => {
  const endpoint = (key: string, tags: string[] = [], operationId?: string): Endpoint => {
    const [method, path] = key.split(' ')
    return { key, method: method as Endpoint['method'], path, operationId, tags, deprecated: false, parameters: [], successStatuses: [200], security: [] }
  }
  const endpoints = [
    endpoint('GET /products', ['catalog'], 'listProducts'),
    endpoint('GET /products/{id}', ['catalog']),
    endpoint('POST /orders', ['checkout']),
    endpoint('GET /health'),
  ]

  it('gives each endpoint the most specific matching weight, 1 when none matches', () => {
    const weights = resolveWeights(endpoints, [
      { selector: 'tag:catalog', weight: 2 },
      { selector: 'operationId:listProducts', weight: 5 },
      { selector: 'tag:checkout', weight: 3 },
    ])
    expect(weights).toEqual([5, 2, 3, 1])
  })

  it('lets a later rule win a tie, and "*" set the default', () => {
    expect(
      resolveWeights(endpoints, [
        { selector: '*', weight: 0.5 },
        { selector: 'tag:catalog', weight: 2 },
        { selector: 'tag:catalog', weight: 4 },
      ]),
    ).toEqual([4, 4, 0.5, 0.5])
  })

  it('warns about selectors that match nothing', () => {
    expect(weightWarnings(endpoints, [{ selector: 'GET /product', weight: 2 }])).toEqual(['weights "GET /product" matches no endpoint of the spec'])
  })
})

describe('the host allow-list', () => {
  const list = ['127.0.0.1', 'localhost:8080', '*.staging.example.com', '[::1]']
  it.each([
    { url: 'http://127.0.0.1:40123', allowed: list, ok: true },
    { url: 'http://localhost:8080/api', allowed: list, ok: true },
    { url: 'http://localhost:9090', allowed: list, ok: false },
    { url: 'http://localhost', allowed: list, ok: false },
    { url: 'https://api.staging.example.com', allowed: list, ok: true },
    { url: 'https://a.b.staging.example.com', allowed: list, ok: true },
    { url: 'https://staging.example.com', allowed: list, ok: false },
    { url: 'https://evilstaging.example.com', allowed: list, ok: false },
    { url: 'https://staging.example.com.evil.net', allowed: list, ok: false },
    { url: 'http://[::1]:3000', allowed: list, ok: true },
    { url: 'http://API.Staging.Example.com.', allowed: list, ok: true },
    { url: 'https://example.com', allowed: ['example.com:443'], ok: true },
    { url: 'http://example.com', allowed: ['example.com:443'], ok: false },
    { url: 'https://api.example.com', allowed: [], ok: true },
  ])('$url against [$allowed]: $ok', ({ url, allowed, ok }) => {
    const problem = checkAllowedHost(url, allowed)
    if (ok) expect(problem).toBeUndefined()
    else expect(problem).toMatch(/^base-url \S+ is not in allowed-hosts \(/)
  })

  it('says what to do', () => {
    expect(checkAllowedHost('https://api.prod.example.com/v2', ['127.0.0.1', 'localhost'])).toBe(
      'base-url https://api.prod.example.com is not in allowed-hosts (127.0.0.1, localhost): Perf-Xi sends load only to allowed hosts. ' +
        'Add "api.prod.example.com" to allowed-hosts (the config file or the allowed-hosts input) if it is meant to take load, or point base-url at an allowed host',
    )
    expect(checkAllowedHost('not a url', ['localhost'])).toBe('base-url "not a url" is not a URL, so its host cannot be checked against allowed-hosts')
  })
})
