/**
 * End to end with the CLI's local history folder: real k6 against the sample API, whose slow report
 * answers after 70 ms, compared with 16 recorded runs in which it stepped from 40 to 70 ms six runs ago.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSampleApi } from '../../examples/sample-api/server.js'
import { runCli } from '../../src/cli.js'
import { ResultsFileSchema } from '../../src/results/schema.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const recorded = path.join(root, '__tests__/fixtures/change-points/recorded-history')

describe('perf-xi --baseline-dir with a history that changed', () => {
  it('finds the step, says so in the comment and compares the run with the runs since', async () => {
    const history = tempDir('perf-xi-cp-history-')
    const outDir = tempDir('perf-xi-cp-out-')
    // The 16 runs before the last one. They were recorded on another port; a file without a load
    // shape is compared (as files from before shapes were recorded are), so the shape is cleared.
    const names = readdirSync(recorded)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .slice(0, 16)
    for (const name of names) {
      const file = JSON.parse(readFileSync(path.join(recorded, name), 'utf8')) as { run: { load_shape: string | null } }
      file.run.load_shape = null
      writeFileSync(path.join(history, name), JSON.stringify(file))
    }
    const api = await startSampleApi({ port: 0, token: 't0k', slowMs: 70 })
    try {
      let out = ''
      let err = ''
      const { exitCode } = await runCli({
        argv: ['--config', '__tests__/fixtures/change-points/history.yml', '--base-url', api.url, '--out-dir', outDir, '--baseline-dir', history],
        cwd: root,
        env: { SAMPLE_API_TOKEN: 't0k' },
        out: (t) => (out += t),
        err: (t) => (err += t),
      })
      expect(err).toBe('')
      expect(exitCode).toBe(0)

      const results = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')))
      const slow = results.change_points!.shifts.filter((s) => s.endpoint === 'GET /reports/slow')
      expect(slow.map((s) => [s.metric, s.run_id, s.runs_since])).toEqual([
        ['p95_ms', '9110-1', 6],
        ['rps', '9110-1', 6],
      ])
      const p95 = results.baseline!.comparisons.find((c) => c.endpoint === 'GET /reports/slow' && c.metric === 'p95_ms')!
      expect(p95.baseline).toBeGreaterThan(70)
      expect(p95.reason).toContain('noise of 6 runs')

      const comment = readFileSync(path.join(outDir, 'comment.md'), 'utf8')
      expect(comment).toMatch(
        /- p95 of `GET \/reports\/slow` stepped up \d+% \(4\d(\.\d)? ms → 7\d(\.\d)? ms\) at `6ee34ae` \(2026-12-04\), 6 runs ago; compared with the 6 runs since/,
      )
      const summary = readFileSync(path.join(outDir, 'summary.md'), 'utf8')
      expect(summary).toContain('### Change points in the base branch')
      // The run joined the history for the next one.
      expect(readdirSync(history).filter((n) => n.endsWith('.json'))).toHaveLength(17)
    } finally {
      await api.close()
    }
  }, 60_000)
})
