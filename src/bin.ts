#!/usr/bin/env node
/** The `perf-xi` command (package.json `bin`, bundled as dist/cli/index.js): the CLI on this process. */
import { cancelOnSignals } from './cancel-on-signals.js'
import { runCli } from './cli.js'

// SIGINT/SIGTERM stop k6 (it writes its summary) and the run is reported as cancelled.
const cancellation = cancelOnSignals((line) => process.stderr.write(`perf-xi: ${line}\n`))
const { exitCode } = await runCli({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  signal: cancellation.signal,
  urgent: cancellation.urgent,
})
cancellation.dispose()
process.exitCode = exitCode
