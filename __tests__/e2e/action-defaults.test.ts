/**
 * The bundle run exactly as the runner runs it for a repository that has no config file: every
 * input of action.yml is passed (INPUT_<NAME>), with action.yml's defaults where the workflow sets
 * none, so `config` arrives as `.github/perf-xi.yml`, which does not exist. Real k6, the real
 * sample API, GitHub's REST API as the validating local double, on a pull request.
 */
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { ensureK6 } from '../../src/k6/install.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { ROOT, runBundledAction } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'

const TOKEN = 'ghs_defaultsRunToken4242'
const PR = 12

let api: Awaited<ReturnType<typeof startSampleApi>>
let github: GitHubApiServer
let k6Dir: string
let workspace: string

beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  api = await startSampleApi({ port: 0, flakyRate: 0 })
  github = await startGitHubApiServer({ owner: 'acme', repo: 'shop', tokens: { [TOKEN]: { permission: 'write' } } })
  github.state.addPullRequest({ number: PR, headRef: 'feature', baseRef: 'main' })
  // A repository with its API description and no .github/perf-xi.yml.
  workspace = tempDir('perf-xi-workspace-')
  copyFileSync(path.join(ROOT, 'examples/sample-api/openapi.yaml'), path.join(workspace, 'openapi.yaml'))
}, 300_000)

afterAll(async () => {
  await api?.close()
  await github?.close()
  if (workspace) rmSync(workspace, { recursive: true, force: true })
})

/** Every input action.yml declares: the workflow's `with:` value, else the default, else empty, as the runner passes them. */
function runnerInputs(withInputs: Record<string, string>): Record<string, string> {
  const declared = (parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs
  // The runner evaluates expressions in defaults: ${{ github.token }} is the job's token.
  const evaluate = (value: string) => value.replace('${{ github.token }}', TOKEN)
  return Object.fromEntries(Object.entries(declared).map(([name, input]) => [name, withInputs[name] ?? evaluate(input.default ?? '')]))
}

describe('a repository without a config file', () => {
  it('runs the gate from the inputs alone and comments on the pull request', async () => {
    const inputs = runnerInputs({ openapi: 'openapi.yaml', 'base-url': api.url, duration: '2s' })
    expect(inputs.config).toBe('.github/perf-xi.yml')
    const eventPath = path.join(workspace, 'event.json')
    writeFileSync(eventPath, JSON.stringify({ pull_request: { number: PR, head: { repo: { full_name: 'acme/shop' } } } }))
    const run = await runBundledAction({
      inputs,
      workspace,
      k6Dir,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_BASE_REF: 'main',
        GITHUB_WORKFLOW_REF: `acme/shop/.github/workflows/perf.yml@refs/pull/${PR}/merge`,
        GITHUB_JOB: 'perf',
        GITHUB_RUN_ID: '77',
        GITHUB_SHA: 'c0ffee',
      },
    })
    rmSync(run.tmp, { recursive: true, force: true })

    expect(run.stdout).not.toContain('::error::')
    expect(run.exitCode).toBe(0)
    expect(run.outputs.verdict).toBe('pass')
    // results-file's default is relative to the workspace.
    expect(run.outputs['results-file']).toBe(path.join(workspace, 'perf-xi-results.json'))
    const results = JSON.parse(readFileSync(run.outputs['results-file'], 'utf8'))
    expect(results.run.config_file).toBeNull()
    expect(results.slis.map((s: { endpoint: string }) => s.endpoint)).toContain('GET /products')
    const comments = github.state.comments(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toMatch(/^<!-- perf-xi:comment workflow="perf\.yml" job="perf" config="defaults" -->\n## ✅ Perf-Xi: PASS/)
    expect(github.violations).toEqual([])
  }, 120_000)

  it('still refuses a config file that the workflow named and that is missing', async () => {
    const run = await runBundledAction({ inputs: runnerInputs({ openapi: 'openapi.yaml', 'base-url': api.url, config: 'perf/perf-xi.yml' }), workspace, k6Dir })
    rmSync(run.tmp, { recursive: true, force: true })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('error')
    expect(run.stdout).toContain('::error::input config: file perf/perf-xi.yml does not exist')
  }, 60_000)
})
