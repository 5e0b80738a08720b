import { describeError } from './errors.js'
import { run } from './main.js'

// run() reports its own failures; this catches a failure of the reporting itself (for example an
// unwritable GITHUB_OUTPUT), so the user still gets one line and a failed step, not a stack trace.
try {
  await run()
} catch (err) {
  process.stdout.write(`::error::Perf-Xi could not report its result: ${describeError(err)}\n`)
  process.exitCode = 1
}
