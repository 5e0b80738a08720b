/**
 * `npm run demo` (scripts/demo.ts), run four times as a user runs it, each time on the port the
 * operating system gives the sample API, with real k6: every earlier run is a baseline, and from
 * the fourth run on the comment judges every change against the run-to-run noise, as the README
 * says. The runs are kept short with the demo's own --duration flag.
 */
import { execFile } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { ensureK6 } from '../src/k6/install.js'
import type { ResultsFile } from '../src/results/schema.js'
import { ROOT } from './support/run-action.js'
import { tempDir } from './support/temp-dirs.js'

const run = promisify(execFile)
let dir: string

beforeAll(async () => {
  await ensureK6()
  dir = tempDir('perf-xi-demo-')
}, 300_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function demo(): Promise<{ stdout: string; results: ResultsFile; comment: string }> {
  const args = ['scripts/demo.ts', '--duration', '2s', '--out-dir', dir, '--baseline-dir', path.join(dir, 'history')]
  const { stdout } = await run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), args, { cwd: ROOT, timeout: 90_000 })
  return { stdout, results: JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')), comment: readFileSync(path.join(dir, 'comment.md'), 'utf8') }
}

describe('npm run demo, four times', () => {
  it('compares each run with the earlier ones and judges every change from the fourth run on', async () => {
    const ports = new Set<string>()
    const runs = []
    for (let i = 0; i < 4; i++) {
      const current = await demo()
      ports.add(/Sample API listening on (\S+)/.exec(current.stdout)![1])
      runs.push(current)
    }
    // The sample API got another port each time, and still no earlier run is another load shape.
    expect(ports.size).toBeGreaterThan(1)
    for (const { results, comment } of runs) {
      expect(results.baseline?.notes.join(' ')).not.toMatch(/another load shape/)
      expect(comment).not.toMatch(/another load shape/)
    }
    expect(runs.map((r) => r.results.baseline?.history_runs ?? 0)).toEqual([0, 1, 2, 3])

    const fourth = runs[3]
    expect(fourth.results.baseline).toMatchObject({ status: 'ok', history_runs: 3 })
    const p95 = fourth.results.baseline!.comparisons.filter((c) => c.metric === 'p95_ms')
    expect(p95).toHaveLength(8)
    for (const comparison of p95) expect(['no-baseline', 'insufficient-history']).not.toContain(comparison.state)
    // The data-intensive report is requested about once in a 2 s run; every other endpoint thousands of times.
    for (const comparison of p95.filter((c) => c.endpoint !== 'GET /reports/slow')) expect(['improved', 'unchanged', 'regressed']).toContain(comparison.state)
    expect(fourth.comment).toContain('**Baseline:** 3 earlier runs')
    expect(fourth.comment).toMatch(/run-to-run noise|vs base/)
  }, 240_000)
})
