/**
 * `k6 cloud run` as the action starts it: the base URL (never a secret) goes into the archive, and
 * the test run is found from the address k6 prints, for both cloud runners.
 */
import { cloudRunArgs, cloudRunLink } from '../../src/cloud/run.js'

describe("the cloud run's address from k6's output", () => {
  it.each([
    [
      'k6 cloud run',
      '     execution: cloud\n        script: /w/perf-xi-script.js\n        output: https://app.k6.io/runs/123\n',
      '123',
      'https://app.k6.io/runs/123',
    ],
    ['k6 cloud run on a Grafana stack', '        output: https://acme.grafana.net/a/k6-app/runs/4107\n', '4107', 'https://acme.grafana.net/a/k6-app/runs/4107'],
    [
      'k6 run --out cloud --out json',
      '        output: cloud (https://acme.grafana.net/a/k6-app/runs/88), json (/tmp/k6-output.json)\n',
      '88',
      'https://acme.grafana.net/a/k6-app/runs/88',
    ],
    ['k6 run --out json --out cloud', '        output: json (/tmp/x.json), cloud (https://app.k6.io/runs/9)\n', '9', 'https://app.k6.io/runs/9'],
  ])('%s', (_what, output, testRunId, url) => {
    expect(cloudRunLink(output)).toEqual({ testRunId, url })
  })

  it('is absent when k6 printed none (an upload refused before the run existed)', () => {
    expect(cloudRunLink('time="…" level=error msg="(403/E2) Your plan allows at most 50 VUs"\n')).toEqual({})
  })
})

it('passes the base URL into the archive with --env, and nothing else', () => {
  expect(cloudRunArgs('/w/perf-xi-script.js', { PERF_XI_BASE_URL: 'https://staging.example.com' })).toEqual([
    'cloud',
    'run',
    '--no-color',
    '--env',
    'PERF_XI_BASE_URL=https://staging.example.com',
    '/w/perf-xi-script.js',
  ])
})
