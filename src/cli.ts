/**
 * The local CLI: the action's core on a laptop, no GitHub needed.
 *   npx tsx src/cli.ts --openapi api.yaml --base-url http://127.0.0.1:8080 [--config perf-xi.yml] [--out-dir .perf-xi]
 *                      [--baseline-dir .perf-xi/history] [--plan]
 * Takes the same settings as the action's inputs, as --flags. With --baseline-dir, each run is compared
 * with the earlier runs kept in that folder, then added to it. With --plan, it prints the plan and runs nothing. Exit code: 0 gate passed, 1 gate failed, 2 error.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { INPUT_NAMES, resolveConfig, type RawInputs } from './config/load.js'
import { describeError } from './errors.js'
import { ensureWritableDir } from './files.js'
import { claimRunFiles, type RunFiles } from './run-files.js'
import { planOnly, runGate, type GateOutcome } from './gate.js'
import { renderPlanTable } from './report/plan-table.js'
import { ensureK6 } from './k6/install.js'
import { runContextFromEnv } from './context.js'
import { readLocalHistory, saveToLocalHistory } from './baseline/local-history.js'
import { renderPrComment } from './report/comment.js'
import { renderConsoleReport, renderSummaryMarkdown } from './report/summary.js'

export interface CliOptions {
  argv: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  out: (text: string) => void
  err: (text: string) => void
  /** Show k6's own output (its end-of-test summary) as it runs. */
  showK6Output?: boolean
}

export const SUMMARY_MARKDOWN_FILE = 'summary.md'
export const COMMENT_MARKDOWN_FILE = 'comment.md'

export async function runCli(opts: CliOptions): Promise<{ exitCode: number; outcome?: GateOutcome }> {
  let values: Record<string, string | boolean | undefined>
  try {
    const options = Object.fromEntries([...INPUT_NAMES, 'out-dir', 'baseline-dir'].map((name) => [name, { type: 'string' as const }]))
    values = parseArgs({ args: opts.argv, options: { ...options, 'k6-output': { type: 'boolean' }, plan: { type: 'boolean' } }, allowPositionals: false }).values
  } catch (err) {
    opts.err(`perf-xi: ${(err as Error).message}\n`)
    return { exitCode: 2 }
  }
  const outDir = path.resolve(opts.cwd, String(values['out-dir'] ?? '.perf-xi'))
  const inputs: RawInputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, values[name] as string | undefined]))
  inputs['results-file'] ??= path.join(outDir, 'results.json')
  const baselineDir = values['baseline-dir'] === undefined ? undefined : path.resolve(opts.cwd, String(values['baseline-dir']))
  let runFiles: RunFiles | undefined
  try {
    const config = resolveConfig(inputs, { cwd: opts.cwd })
    if (values.plan) {
      // The plan only: what would run, in what share, under which SLO. No k6, no load.
      const { plan, dataset } = await planOnly(config, opts.cwd)
      opts.out(`${renderPlanTable(plan, plan.analysis, { dataset })}\n`)
      return { exitCode: 0 }
    }
    // Every output is checked and claimed before any load; the run works in its own folder under --out-dir.
    if (baselineDir) ensureWritableDir(baselineDir, '--baseline-dir')
    runFiles = claimRunFiles({
      workRoot: outDir,
      workRootWhat: '--out-dir',
      outputs: [
        { path: outDir, what: '--out-dir', kind: 'dir' },
        { path: path.resolve(opts.cwd, config.resultsFile), what: '--results-file', kind: 'file' },
      ],
    })
    const claimed = runFiles
    const outcome = await runGate(config, runContextFromEnv(opts.env), {
      cwd: opts.cwd,
      workDir: claimed.workDir,
      env: opts.env,
      log: (line) => opts.out(`${line}\n`),
      warn: (line) => opts.err(`warning: ${line}\n`),
      k6Output: (text) => {
        if (opts.showK6Output || values['k6-output']) opts.out(text)
      },
      ensureK6,
      history: baselineDir ? async () => readLocalHistory(baselineDir, config.baseline.history) : undefined,
    }).catch((err: unknown) => {
      claimed.release({ removeWorkDir: true })
      throw err
    })
    if (baselineDir && outcome.results.verdict !== 'error') saveToLocalHistory(baselineDir, outcome.results)
    writeFileSync(path.join(outDir, SUMMARY_MARKDOWN_FILE), renderSummaryMarkdown(outcome.results))
    writeFileSync(path.join(outDir, COMMENT_MARKDOWN_FILE), renderPrComment(outcome.results))
    opts.out(`\n${renderConsoleReport(outcome.results)}\n\n`)
    if (outcome.exportPath) opts.out(`Export:  ${outcome.exportPath}\n`)
    opts.out(
      `Results: ${outcome.resultsPath}\nSummary: ${path.join(outDir, SUMMARY_MARKDOWN_FILE)}\nComment: ${path.join(outDir, COMMENT_MARKDOWN_FILE)}\nScript:  ${outcome.scriptPath}\n`,
    )
    return { exitCode: outcome.results.verdict === 'error' ? 2 : outcome.results.ci_gate === 'fail' ? 1 : 0, outcome }
  } catch (err) {
    opts.err(`perf-xi: ${describeError(err)}\n`)
    return { exitCode: 2 }
  } finally {
    runFiles?.release()
  }
}

const invokedDirectly = process.argv[1] !== undefined && /cli\.(ts|js)$/.test(process.argv[1])
if (invokedDirectly) {
  const { exitCode } = await runCli({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  })
  process.exitCode = exitCode
}
