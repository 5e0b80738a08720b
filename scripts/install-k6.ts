/**
 * Find or install the pinned k6 (PATH → cache → verified download → go install) and say where it is.
 *
 *   npx tsx scripts/install-k6.ts               # "k6 1.8.1 (cache): /home/me/.cache/perf-xi/k6/1.8.1/linux-amd64/k6"
 *   K6=$(npx tsx scripts/install-k6.ts --print-path)   # just the path, for scripts
 *
 * Progress goes to stderr; on failure the one-line reason goes to stderr and the exit code is 1.
 */
import { describeError } from '../src/errors.js'
import { ensureK6 } from '../src/k6/install.js'

const pathOnly = process.argv.includes('--print-path')
try {
  const k6 = await ensureK6({ log: (line) => process.stderr.write(`${line}\n`) })
  process.stdout.write(pathOnly ? `${k6.path}\n` : `k6 ${k6.version} (${k6.source}): ${k6.path}\n`)
} catch (err) {
  process.stderr.write(`${describeError(err)}\n`)
  process.exitCode = 1
}
