import { outputArgs, outputEnv } from '../../src/outputs/config.js'
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

  it('refuses an output it does not know, naming the setting', () => {
    const dir = tempDir('perf-xi-outputs-')
    writeFileSync(path.join(dir, 'perf-xi.yml'), 'outputs: [influxdb]\n')
    expect(() => resolveConfig({ openapi: 'x.yaml', config: 'perf-xi.yml' }, { cwd: dir })).toThrow(ConfigError)
    expect(() => resolveConfig({ openapi: 'x.yaml', config: 'perf-xi.yml' }, { cwd: dir })).toThrow(
      /perf-xi\.yml:1: outputs(\.0)?: .*expected experimental-prometheus-rw or cloud, got "influxdb"/,
    )
  })
})
