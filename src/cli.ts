/**
 * The local CLI: the action's core on a laptop, no GitHub needed (`perf-xi --help` lists the flags).
 *   perf-xi --openapi api.yaml --base-url http://127.0.0.1:8080 [--config perf-xi.yml] [--out-dir .perf-xi]
 *           [--baseline-dir .perf-xi/history] [--plan] [--recommend-slos]
 * Takes the same settings as the action's inputs, as --flags. With --baseline-dir, each run is compared
 * with the earlier runs kept in that folder, then added to it. With --plan, it prints the plan and runs nothing;
 * with --recommend-slos, SLOs proposed from the runs in --baseline-dir. Exit code: 0 gate passed, 1 gate failed, 2 error.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { INPUT_NAMES, resolveConfig, type InputName, type RawInputs } from './config/load.js'
import { describeError, UserError } from './errors.js'
import { ensureWritableDir } from './files.js'
import { claimRunFiles, type RunFiles } from './run-files.js'
import { planOnly, recommendSlosFromHistory, runGate, type GateIo, type GateOutcome } from './gate.js'
import { SLO_RECOMMENDATION_CONFIG_DEFAULTS } from './analyst/slo-recommendations-config.js'
import { renderSloRecommendationsText } from './report/slo-recommendations.js'
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
  /** Cancellation (Ctrl-C): the run ends as an error, "cancelled", with what was measured so far. */
  signal?: AbortSignal
  urgent?: AbortSignal
}

export const SUMMARY_MARKDOWN_FILE = 'summary.md'
export const COMMENT_MARKDOWN_FILE = 'comment.md'

/** The CLI's own flags, beside one --flag per action input. */
const CLI_FLAGS = {
  'out-dir': { type: 'string', value: 'DIR', help: 'Where the results, summary.md, comment.md and the script go. Default .perf-xi.' },
  'baseline-dir': { type: 'string', value: 'DIR', help: 'Compare with the earlier runs kept in DIR, then add this run to it.' },
  plan: { type: 'boolean', help: 'Print the plan (endpoints, categories, weights, SLOs) and run nothing.' },
  capacity: { type: 'boolean', help: 'Capacity mode: step through concurrency levels and report the capacity at --target-p95 (docs/capacity.md).' },
  'recommend-slos': { type: 'boolean', help: 'Propose SLOs (a YAML block, backtested) from the runs in --baseline-dir; runs nothing.' },
  'k6-output': { type: 'boolean', help: "Show k6's own output as it runs." },
  'shard-dir': { type: 'string', value: 'DIR', help: 'Where the shards of a sharded run meet (--shard i/N, --merge).' },
  merge: { type: 'boolean', help: 'Merge the shards stored in --shard-dir and judge them as one run.' },
  help: { type: 'boolean', help: 'Print this help and exit.' },
} as const

/** One line per action input, in the CLI's words (action.yml has the full descriptions). */
const INPUT_HELP: Record<InputName, { value: string; help: string }> = {
  openapi: { value: 'PATH|URL', help: "The API's OpenAPI 2.0, 3.0 or 3.1 description." },
  script: { value: 'FILES', help: 'Your own k6 scripts (files or globs, comma-separated) to run instead of a generated one.' },
  'script-env': { value: 'NAMES', help: 'Environment variables passed through to your scripts, comma-separated.' },
  'base-url': { value: 'URL', help: "Base URL of the API under test. Default the spec's first absolute server URL." },
  config: { value: 'FILE', help: 'YAML config file with SLOs, auth, profile and endpoint filters. Default .github/perf-xi.yml if present.' },
  profile: { value: 'NAME', help: 'smoke (default), load, ramp, soak, spike, stress or breakpoint.' },
  vus: { value: 'N', help: "Virtual users (the peak, for ramping profiles). Overrides the profile's default." },
  duration: { value: 'TIME', help: "Test duration such as 30s or 2m. Overrides the profile's default." },
  include: { value: 'SELECTORS', help: 'Endpoints to test: "GET /users/{id}", "/users/{id}", "tag:users", "operationId:getUser". Default all.' },
  exclude: { value: 'SELECTORS', help: 'Endpoints to leave out, in the same form as include.' },
  'allowed-hosts': { value: 'HOSTS', help: 'Hosts the load may go to, comma-separated; checked before any load starts.' },
  'allow-writes': { value: 'true|false', help: 'Also load-test POST, PUT, PATCH and DELETE operations. Default false.' },
  'k6-version': { value: 'VERSION', help: 'k6 version to run. Default the version Perf-Xi pins.' },
  'fail-on': { value: 'WHEN', help: 'slo (default), regression, both or never: what fails the run (exit code 1).' },
  format: { value: 'NAME', help: 'k6 (default); locust or jmeter also writes the plan as a locustfile or a JMeter .jmx.' },
  'results-file': { value: 'FILE', help: 'Where to write the results JSON. Default <out-dir>/results.json.' },
  comment: { value: 'true|false', help: 'On GitHub: post the pull-request comment. Locally comment.md is always written.' },
  'github-token': { value: 'TOKEN', help: 'On GitHub: token for the comment and the base branch results. Not used locally.' },
  'webhook-url': { value: 'URL', help: 'Where to POST the signed results (for dashboards).' },
  'webhook-secret': { value: 'SECRET', help: 'HMAC-SHA256 key for the webhook signature.' },
  'webhook-required': { value: 'true|false', help: 'Fail when the webhook cannot be delivered. Default false (a warning).' },
  'target-rps': { value: 'N', help: 'With --capacity: the requests per second the API must serve.' },
  'target-p95': { value: 'TIME', help: 'With --capacity: the p95 latency to stay within, such as 300ms.' },
  replicas: { value: 'N', help: 'With --capacity: instances serving base-url now. Default 1.' },
  'replica-cost': { value: 'COST', help: 'With --capacity: cost of one instance per month, such as "52.50 USD".' },
  'anthropic-api-key': { value: 'KEY', help: 'Claude analysis: better set ANTHROPIC_API_KEY in the environment than pass a key as a flag.' },
  'anthropic-model': { value: 'MODEL', help: 'Claude analysis: the model. Default claude-sonnet-5-5.' },
  'ai-context': { value: 'WHAT', help: 'Claude analysis of a pull request: none, files (default: names and line counts) or diff (also the patches).' },
  shard: { value: 'i/N', help: 'Run shard i of N of the test (with --shard-dir); --merge judges the shards as one run.' },
  'shard-wait': { value: 'TIME', help: 'Longest wait for the other shards to be ready. Default 10m.' },
  'html-report': { value: 'true|false', help: "Also write k6's web dashboard report (HTML). Default false." },
  runner: { value: 'NAME', help: 'local (default), cloud (k6 cloud run on Grafana Cloud k6) or cloud-local (k6 here, streamed to Grafana Cloud k6).' },
}

/** `perf-xi --help`: every flag with one line, from the input list and the CLI's own flags. */
export function cliUsage(): string {
  const rows: Array<[string, string]> = [
    ...INPUT_NAMES.map((name): [string, string] => [`--${name} ${INPUT_HELP[name].value}`, INPUT_HELP[name].help]),
    ...Object.entries(CLI_FLAGS).map(([name, flag]): [string, string] => [`--${name}${'value' in flag ? ` ${flag.value}` : ''}`, flag.help]),
  ]
  const width = Math.max(...rows.map(([flag]) => flag.length))
  return [
    'Usage: perf-xi --openapi <spec> --base-url <url> [flags]',
    '',
    "Generates a k6 load test from an OpenAPI description, runs it with real k6, and judges each endpoint's SLIs against its SLOs.",
    'Exit code: 0 passed, 1 failed (SLO breach or regression, see --fail-on), 2 could not run.',
    '',
    "Flags (the action's inputs, as --flags, then the CLI's own):",
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    '',
  ].join('\n')
}

export async function runCli(opts: CliOptions): Promise<{ exitCode: number; outcome?: GateOutcome }> {
  let values: Record<string, string | boolean | undefined>
  try {
    const inputOptions = Object.fromEntries(INPUT_NAMES.map((name) => [name, { type: 'string' as const }]))
    const cliOptions = Object.fromEntries(Object.entries(CLI_FLAGS).map(([name, flag]) => [name, { type: flag.type }]))
    values = parseArgs({ args: opts.argv, options: { ...inputOptions, ...cliOptions }, allowPositionals: false }).values
  } catch (err) {
    opts.err(`perf-xi: ${(err as Error).message} (perf-xi --help lists the flags)\n`)
    return { exitCode: 2 }
  }
  if (values.help) {
    opts.out(cliUsage())
    return { exitCode: 0 }
  }
  const outDir = path.resolve(opts.cwd, String(values['out-dir'] ?? '.perf-xi'))
  const inputs: RawInputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, values[name] as string | undefined]))
  inputs['results-file'] ??= path.join(outDir, 'results.json')
  inputs['anthropic-api-key'] ??= opts.env.ANTHROPIC_API_KEY
  const baselineDir = values['baseline-dir'] === undefined ? undefined : path.resolve(opts.cwd, String(values['baseline-dir']))
  let runFiles: RunFiles | undefined
  try {
    const config = resolveConfig(inputs, {
      cwd: opts.cwd,
      mode: values.capacity ? 'capacity' : 'gate',
      env: opts.env,
      runs: !values.plan && !values['recommend-slos'],
    })
    if (values['recommend-slos']) {
      if (!baselineDir) throw new UserError('--recommend-slos: reads the earlier runs kept in --baseline-dir; name that folder')
      const history = readLocalHistory(baselineDir, config.sloRecommendations?.history ?? SLO_RECOMMENDATION_CONFIG_DEFAULTS.history)
      opts.out(`${renderSloRecommendationsText(await recommendSlosFromHistory(config, opts.cwd, history))}\n`)
      return { exitCode: 0 }
    }
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
    const shardDir = values['shard-dir'] === undefined ? undefined : path.resolve(opts.cwd, String(values['shard-dir']))
    if ((config.shard || values.merge) && !shardDir)
      throw new UserError(`${config.shard ? '--shard' : '--merge'} needs --shard-dir DIR, the folder where the shards meet`)
    const gateIo: GateIo = {
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
      signal: opts.signal,
      urgent: opts.urgent,
    }
    if (config.shard) {
      const [{ runShard, shardTiming }, { folderShardStore }] = await Promise.all([import('./shards/run-shard.js'), import('./shards/store.js')])
      const { file } = await runShard(config, config.shard, { ...gateIo, store: folderShardStore(shardDir!) }, shardTiming(config.shard.waitMs))
      return { exitCode: file.status === 'ok' ? 0 : 2 }
    }
    // The modes beside the gate load only when asked for: every run pays for start-up.
    const run = values.merge
      ? import('./shards/merge-gate.js').then(async ({ runMergeGate }) =>
          runMergeGate(config, runContextFromEnv(opts.env), { ...gateIo, store: (await import('./shards/store.js')).folderShardStore(shardDir!) }),
        )
      : values.capacity
        ? import('./capacity-gate.js').then(({ runCapacityGate }) => runCapacityGate(config, runContextFromEnv(opts.env), gateIo))
        : config.cloud.runner === 'cloud'
          ? import('./cloud-gate.js').then(({ runCloudGate }) => runCloudGate(config, runContextFromEnv(opts.env), gateIo))
          : runGate(config, runContextFromEnv(opts.env), gateIo)
    const outcome = await run.catch((err: unknown) => {
      claimed.release({ removeWorkDir: true })
      throw err
    })
    if (baselineDir && outcome.results.verdict !== 'error') saveToLocalHistory(baselineDir, outcome.results)
    writeFileSync(path.join(outDir, SUMMARY_MARKDOWN_FILE), renderSummaryMarkdown(outcome.results))
    writeFileSync(path.join(outDir, COMMENT_MARKDOWN_FILE), renderPrComment(outcome.results))
    opts.out(`\n${renderConsoleReport(outcome.results)}\n\n`)
    if (outcome.exportPath) opts.out(`Export:  ${outcome.exportPath}\n`)
    if (outcome.htmlReportPath) opts.out(`Report:  ${outcome.htmlReportPath}\n`)
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
