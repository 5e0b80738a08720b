/**
 * runner and the cloud: block: what a user gets wrong is named in one line each, before any load;
 * a local run's config is unchanged by them.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, resolveConfig } from '../../src/config/load.js'
import { cloudScriptOptions } from '../../src/cloud/config.js'
import { loadShapeHash } from '../../src/config/load-shape.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const SPEC = path.join(root, 'examples/sample-api/openapi.yaml')
const FULL_ENV = { K6_CLOUD_TOKEN: 'tok', K6_CLOUD_PROJECT_ID: '12', K6_CLOUD_STACK_ID: '34' }

function problemsOf(file: string, inputs: Record<string, string>, env: Record<string, string>): string[] {
  const dir = tempDir('perf-xi-cloud-config-')
  writeFileSync(path.join(dir, 'perf-xi.yml'), file)
  writeFileSync(path.join(dir, 'load.js'), 'export default function () {}\n')
  try {
    resolveConfig({ openapi: SPEC, config: 'perf-xi.yml', ...inputs }, { cwd: dir, env })
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
}

const cases: Array<{ what: string; file?: string; inputs?: Record<string, string>; env?: Record<string, string>; expected: string[] }> = [
  { what: 'a local run needs nothing of Grafana', env: {}, expected: [] },
  { what: 'runner cloud with token, project and stack', inputs: { runner: 'cloud' }, expected: [] },
  {
    what: 'runner cloud without a token',
    inputs: { runner: 'cloud' },
    env: { K6_CLOUD_PROJECT_ID: '12', K6_CLOUD_STACK_ID: '34' },
    expected: ["runner cloud: K6_CLOUD_TOKEN is not set; pass a Grafana Cloud k6 token from a repository secret in the step's env"],
  },
  {
    what: 'runner cloud without a project',
    inputs: { runner: 'cloud' },
    env: { K6_CLOUD_TOKEN: 'tok', K6_CLOUD_STACK_ID: '34' },
    expected: ["runner cloud: no project; set cloud.project-id in the config file or K6_CLOUD_PROJECT_ID in the step's env"],
  },
  {
    what: 'the project from the config file',
    file: 'runner: cloud\ncloud:\n  project-id: 99\n',
    env: { K6_CLOUD_TOKEN: 'tok', K6_CLOUD_STACK_ID: '34' },
    expected: [],
  },
  {
    what: 'runner cloud without a stack',
    inputs: { runner: 'cloud' },
    env: { K6_CLOUD_TOKEN: 'tok', K6_CLOUD_PROJECT_ID: '12' },
    expected: ["runner cloud: K6_CLOUD_STACK_ID is not set; Grafana's API needs the stack id to read the run's results"],
  },
  { what: 'cloud-local needs no stack', inputs: { runner: 'cloud-local' }, env: { K6_CLOUD_TOKEN: 'tok', K6_CLOUD_PROJECT_ID: '12' }, expected: [] },
  {
    what: 'a profile judged over time, on runner cloud',
    inputs: { runner: 'cloud', profile: 'spike' },
    expected: ["profile spike: judged over time from k6's samples on this runner, which runner cloud does not have; use runner: cloud-local"],
  },
  {
    what: 'an HTML report asked of runner cloud, where no k6 runs here to write it',
    inputs: { runner: 'cloud', 'html-report': 'true' },
    expected: [
      "input html-report: k6's web dashboard report is written by k6 on this runner, and runner: cloud runs it on Grafana's load zones; see the run in Grafana Cloud k6, or use runner: cloud-local",
    ],
  },
  { what: 'an HTML report of cloud-local, whose k6 runs here', inputs: { runner: 'cloud-local', 'html-report': 'true' }, expected: [] },
  { what: 'an unknown runner', inputs: { runner: 'k8s' }, expected: ['input runner: "k8s" is not one of local, cloud, cloud-local'] },
  {
    what: 'load zones that do not add up',
    file: 'runner: cloud\ncloud:\n  load-zones: { "amazon:us:ashburn": 50, "amazon:ie:dublin": 30 }\n',
    expected: ['cloud.load-zones: the percentages add up to 80, not 100'],
  },
  {
    what: 'load zones for cloud-local',
    file: 'runner: cloud-local\ncloud:\n  load-zones: { "amazon:us:ashburn": 100 }\n',
    expected: ['cloud.load-zones: apply to runner: cloud only (cloud-local runs k6 on this runner)'],
  },
  {
    what: 'a cloud block for a local run',
    file: 'cloud:\n  name: x\n',
    expected: ['cloud: set, but runner is local; set runner: cloud or cloud-local to use Grafana Cloud k6'],
  },
  {
    what: 'runner cloud with your own scripts',
    inputs: { runner: 'cloud', openapi: '', script: 'load.js' },
    expected: ['runner cloud: runs generated tests (openapi); your own scripts run with runner: local'],
  },
]

describe('runner and the cloud block', () => {
  it.each(cases)('$what', ({ file, inputs, env, expected }) => {
    expect(problemsOf(file ?? '{}\n', inputs ?? {}, env ?? FULL_ENV)).toEqual(expected)
  })

  it('never pass on the wrong input: every problem is one line', () => {
    const problems = problemsOf('runner: cloud\ncloud:\n  load-zones: { "amazon:us:ashburn": 10 }\n', {}, {})
    expect(problems).toHaveLength(4)
    for (const problem of problems) expect(problem.split('\n')).toHaveLength(1)
  })

  it("become the script's options.cloud: name, project and, for runner cloud, the load zones", () => {
    const dir = tempDir('perf-xi-cloud-config-')
    writeFileSync(
      path.join(dir, 'perf-xi.yml'),
      'runner: cloud\ncloud:\n  name: checkout\n  project-id: "77"\n  load-zones: { "amazon:us:ashburn": 60, "amazon:ie:dublin": 40 }\n  wait: 20m\n',
    )
    const config = resolveConfig({ openapi: SPEC, config: 'perf-xi.yml' }, { cwd: dir, env: FULL_ENV })
    expect(config.cloud).toEqual({
      runner: 'cloud',
      name: 'checkout',
      projectId: 77,
      loadZones: [
        { zone: 'amazon:us:ashburn', percent: 60 },
        { zone: 'amazon:ie:dublin', percent: 40 },
      ],
      waitMs: 20 * 60_000,
    })
    expect(cloudScriptOptions(config.cloud, 'Sample API 1.0')).toEqual({
      name: 'checkout',
      projectID: 77,
      distribution: { 'amazon:us:ashburn': { loadZone: 'amazon:us:ashburn', percent: 60 }, 'amazon:ie:dublin': { loadZone: 'amazon:ie:dublin', percent: 40 } },
    })
  })

  it('leave a local run as it was: no options.cloud, no cloud output', () => {
    const config = resolveConfig({ openapi: SPEC }, { cwd: tempDir('perf-xi-cloud-config-'), env: FULL_ENV })
    expect(config.cloud.runner).toBe('local')
    expect(config.outputs).toEqual([])
    expect(cloudScriptOptions(config.cloud, 'x')).toBeUndefined()
  })

  it('make runner cloud and its load zones part of the load shape, and leave the local shape as it was', () => {
    const dir = tempDir('perf-xi-cloud-config-')
    const shape = (runner: string, file = '{}\n') => {
      writeFileSync(path.join(dir, 'perf-xi.yml'), file)
      return loadShapeHash(resolveConfig({ openapi: SPEC, config: 'perf-xi.yml', ...(runner ? { runner } : {}) }, { cwd: dir, env: FULL_ENV }))
    }
    const local = shape('')
    expect(shape('cloud-local')).toBe(local)
    expect(shape('cloud')).not.toBe(local)
    expect(shape('cloud', 'cloud:\n  load-zones: { "amazon:us:ashburn": 100 }\n')).not.toBe(shape('cloud'))
  })

  it('ask for no token where nothing runs (the plan alone)', () => {
    const config = resolveConfig({ openapi: SPEC, runner: 'cloud' }, { cwd: tempDir('perf-xi-cloud-config-'), env: {}, runs: false })
    expect(config.cloud.runner).toBe('cloud')
  })

  it("add k6's cloud output for cloud-local", () => {
    const config = resolveConfig({ openapi: SPEC, runner: 'cloud-local' }, { cwd: tempDir('perf-xi-cloud-config-'), env: FULL_ENV })
    expect(config.outputs).toEqual(['cloud'])
    expect(cloudScriptOptions(config.cloud, 'Sample API 1.0')).toEqual({ name: 'Sample API 1.0' })
  })
})
