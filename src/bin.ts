#!/usr/bin/env node
/** The `perf-xi` command (package.json `bin`, bundled as dist/cli/index.js): the CLI on this process. */
import { runCli } from './cli.js'

const { exitCode } = await runCli({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
})
process.exitCode = exitCode
