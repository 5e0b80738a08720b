/**
 * npm run demo: the action's main job against the bundled sample API, on this machine, no GitHub.
 * Starts the sample API on 127.0.0.1, runs the gate with real k6, prints the SLI table and the
 * verdict, writes the results JSON, the job-summary markdown and the script to .perf-xi/demo/.
 */
import { startSampleApi } from '../examples/sample-api/server.js'
import { runCli } from '../src/cli.js'

const TOKEN = 'demo-token'
const api = await startSampleApi({ port: 0, token: TOKEN })
process.stdout.write(`Sample API listening on ${api.url}\n`)
try {
  const { exitCode } = await runCli({
    argv: ['--config', 'examples/sample-api/perf-xi.yml', '--base-url', api.url, '--out-dir', '.perf-xi/demo', ...process.argv.slice(2)],
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
