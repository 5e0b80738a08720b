/**
 * npm run demo: the action's main job against the bundled sample API, on this machine, no GitHub.
 * Starts the sample API on 127.0.0.1, runs the gate with real k6, prints the SLI table and the
 * verdict, writes the results JSON, the job-summary and PR-comment markdown and the script to
 * .perf-xi/demo/. Runs are kept in .perf-xi/demo/history, so from the second run on the comment
 * compares with the earlier ones, as a pull request is compared with its base branch.
 */
import { startSampleApi } from '../examples/sample-api/server.js'
import { runCli } from '../src/cli.js'

const TOKEN = 'demo-token'
const api = await startSampleApi({ port: 0, token: TOKEN })
process.stdout.write(`Sample API listening on ${api.url}\n`)
try {
  const { exitCode } = await runCli({
    argv: [
      '--config',
      'examples/sample-api/perf-xi.yml',
      '--base-url',
      api.url,
      '--out-dir',
      '.perf-xi/demo',
      // Each demo run is kept here, so the next one is compared with it, as a pull request is with its base branch.
      '--baseline-dir',
      '.perf-xi/demo/history',
      ...process.argv.slice(2),
    ],
    cwd: process.cwd(),
    env: { ...process.env, SAMPLE_API_TOKEN: TOKEN },
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  })
  // The demo shows a verdict; only a run that could not be judged is a failed demo.
  process.exitCode = exitCode === 2 ? 2 : 0
} finally {
  await api.close()
}
