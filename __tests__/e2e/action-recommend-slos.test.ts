/**
 * mode: recommend-slos in the action, run the way the runner runs it, against the GitHub REST
 * double: the base branch's results artifacts are the history; nothing is run. The proposals and
 * their backtest go to the log and the job summary; a corrupt artifact is left out and named; a
 * history too short fails the step with one line saying how many runs are needed and found.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { resolveConfig } from '../../src/config/load.js'
import { loadShapeHash } from '../../src/config/load-shape.js'
import { ensureK6 } from '../../src/k6/install.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { ROOT, runBundledAction } from '../support/run-action.js'
import { FIXTURE_SHAPE, fixturesDir } from '../analyst/history-fixtures.js'

const TOKEN = 'ghs_recommendToken0123456789'
const inputs = { openapi: 'examples/sample-api/openapi.yaml', 'base-url': 'http://127.0.0.1:8080' }

let github: GitHubApiServer
let k6Dir: string

/** The recorded runs of `folder` as successful runs of `workflow` on main, each with its results artifact. */
function seedHistory(workflow: string, folder: 'steady' | 'short'): void {
  const shape = loadShapeHash(resolveConfig(inputs, { cwd: ROOT }))
  const files = readdirSync(path.join(fixturesDir, folder)).sort()
  files.forEach((name, i) => {
    const text = readFileSync(path.join(fixturesDir, folder, name), 'utf8').replace(`"load_shape": "${FIXTURE_SHAPE}"`, `"load_shape": "${shape}"`)
    const run = github.state.addWorkflowRun({ workflowId: workflow, branch: 'main', createdAt: new Date(Date.now() - (files.length - i) * 3_600_000) })
    github.state.addArtifact(run.id, 'perf-xi-results', { 'perf-xi-results.json': text })
  })
}

beforeAll(async () => {
  k6Dir = path.dirname((await ensureK6()).path)
  github = await startGitHubApiServer({ owner: 'acme', repo: 'shop', tokens: { [TOKEN]: { permission: 'read' } } })
  seedHistory('perf.yml', 'steady')
  // The newest run's artifact is damaged: it is left out, and named.
  const broken = github.state.addWorkflowRun({ workflowId: 'perf.yml', branch: 'main', createdAt: new Date(Date.now() - 60_000) })
  github.state.addArtifact(broken.id, 'perf-xi-results', { 'perf-xi-results.json': '{"schema": "perf-xi/results@1", "run": ' })
  seedHistory('short.yml', 'short')
}, 300_000)

afterAll(async () => {
  await github?.close()
})

function recommend(workflow: string) {
  return runBundledAction({
    inputs: { ...inputs, mode: 'recommend-slos', 'github-token': TOKEN },
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_REF_NAME: 'main',
      GITHUB_WORKFLOW_REF: `acme/shop/.github/workflows/${workflow}@refs/heads/main`,
      GITHUB_RUN_ID: '4242',
    },
    k6Dir,
    entry: 'source',
  })
}

describe('mode: recommend-slos', () => {
  it('proposes backtested SLOs from the base branch’s artifacts in the log and the job summary, and runs nothing', async () => {
    const run = await recommend('perf.yml')
    expect(github.violations).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.verdict).toBe('recommend-slos')
    expect(run.stdout).toContain(
      'SLOs proposed for 5 endpoints from 8 runs of main (artifacts of perf.yml); 2 limits in force flap, 4 limits in force catch nothing',
    )
    expect(run.stdout).toContain('  GET /products p95 80 ms: would have failed 0 of 8 runs; catches +58% over the median 50.5 ms (bound 60.3 ms)')
    expect(run.stdout).toMatch(/Left out \(1\):\n {2}\d+: perf-xi-results\.json is not valid JSON/)
    expect(run.stdout).not.toContain('Running k6')
    expect(run.summary).toContain('### Recommended SLOs (the SLOs in force are only defaults)')
    expect(run.summary).toContain(
      '```yaml\n# Recommended from 8 base-branch runs of main: the 95 % upper prediction bound × 1.2, rounded up\nslos:\n  "GET /health":\n',
    )
    expect(run.summary).toContain('| `GET /products/{id}` | p95 | 1.5 s | 950 ms | 1.05 s | 0 of 8 | +58% over the median 950 ms |')
    // The runner's mask command is the one place the token may appear.
    const shown = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'))
    expect(`${shown.join('\n')}${run.summary}`).not.toContain(TOKEN)
  }, 60_000)

  it('a history too short fails the step with one line: how many runs are needed, and how many there are', async () => {
    const run = await recommend('short.yml')
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('error')
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'))
    expect(errors).toEqual(['::error::SLO recommendations need at least 5 base-branch runs of the same load shape; main (artifacts of short.yml) has 3'])
  }, 60_000)
})
