import { outputArgs, outputEnv, outputSecrets } from '../../src/outputs/config.js'
import { resolveConfig, ConfigError } from '../../src/config/load.js'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { tempDir } from '../support/temp-dirs.js'

describe('k6 outputs passed through', () => {
  it('adds one --out per output', () => {
    expect(outputArgs(['experimental-prometheus-rw', 'cloud', 'cloud'])).toEqual(['--out', 'experimental-prometheus-rw', '--out', 'cloud'])
  })

  it("passes only the variables of the outputs asked for, k6's own names", () => {
    const env = { K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:9090/api/v1/write', K6_PROMETHEUS_RW_PASSWORD: 'pw', K6_CLOUD_TOKEN: 't', GITHUB_TOKEN: 'g' }
    expect(outputEnv(['experimental-prometheus-rw'], env)).toEqual({
      K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:9090/api/v1/write',
      K6_PROMETHEUS_RW_PASSWORD: 'pw',
    })
    expect(outputEnv([], env)).toEqual({})
  })

  describe('the secrets among them, masked by the action', () => {
    it.each<{ what: string; env: Record<string, string>; secrets: string[] }>([
      {
        what: "remote write's password and bearer token",
        env: { K6_PROMETHEUS_RW_PASSWORD: 'pw-1', K6_PROMETHEUS_RW_BEARER_TOKEN: 'bt-2' },
        secrets: ['pw-1', 'bt-2'],
      },
      { what: "Grafana Cloud k6's token", env: { K6_CLOUD_TOKEN: 'ct-3' }, secrets: ['ct-3'] },
      { what: 'a SigV4 key pair', env: { K6_PROMETHEUS_RW_SIGV4_ACCESS_KEY: 'AKIA4', K6_PROMETHEUS_RW_SIGV4_SECRET_KEY: 'sk-5' }, secrets: ['AKIA4', 'sk-5'] },
      {
        what: 'header values, which may carry Authorization',
        env: { K6_PROMETHEUS_RW_HEADERS_AUTHORIZATION: 'Bearer h-6', K6_PROMETHEUS_RW_HTTP_HEADERS: 'X-Scope-OrgID:7,Authorization:Basic h-8' },
        secrets: ['Bearer h-6', 'X-Scope-OrgID:7,Authorization:Basic h-8'],
      },
      {
        what: 'a server URL with a user and password: whole, its password, and the password decoded',
        env: { K6_PROMETHEUS_RW_SERVER_URL: 'https://perf:p%40ss@mimir.example.com/api/v1/push' },
        secrets: ['https://perf:p%40ss@mimir.example.com/api/v1/push', 'p%40ss', 'p@ss'],
      },
      {
        what: 'a server URL with a token as its user',
        env: { K6_PROMETHEUS_RW_SERVER_URL: 'https://tok9@mimir.example.com/push' },
        secrets: ['https://tok9@mimir.example.com/push', 'tok9'],
      },
      {
        what: 'nothing of the settings that are no secrets',
        env: {
          K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:9090/api/v1/write',
          K6_PROMETHEUS_RW_USERNAME: 'perf',
          K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
          K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99)',
          K6_CLOUD_PROJECT_ID: '31',
          K6_CLOUD_STACK_ID: '4242',
          K6_CLOUD_HOST: 'https://api.k6.io',
        },
        secrets: [],
      },
    ])('$what', ({ env, secrets }) => {
      expect(outputSecrets(env)).toEqual(secrets)
    })

    it('never asks to mask an empty value (the runner would mask nothing, or everything)', () => {
      expect(outputSecrets({ K6_PROMETHEUS_RW_PASSWORD: ' ', K6_PROMETHEUS_RW_SERVER_URL: 'https://:@host/' })).toEqual(['https://:@host/'])
    })
  })

  it('refuses an output it does not know, naming the setting', () => {
    const dir = tempDir('perf-xi-outputs-')
    writeFileSync(path.join(dir, 'perf-xi.yml'), 'outputs: [influxdb]\n')
    expect(() => resolveConfig({ openapi: 'x.yaml', config: 'perf-xi.yml' }, { cwd: dir })).toThrow(ConfigError)
    expect(() => resolveConfig({ openapi: 'x.yaml', config: 'perf-xi.yml' }, { cwd: dir })).toThrow(
      /perf-xi\.yml:1: outputs(\.0)?: .*expected experimental-prometheus-rw or cloud, got "influxdb"/,
    )
  })
})
