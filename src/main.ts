/**
 * The action: reads inputs once, runs the gate, and reports through the runner (log, job summary,
 * annotations, step outputs) and GitHub (PR comment, results artifact, webhook).
 * The only module that talks to @actions/core.
 */
import path from 'node:path'
import * as core from '@actions/core'
import { AnnotationBudget } from './action/annotation-budget.js'
import { readGitHubEnv, type GitHubEnv } from './action/github-env.js'
import { loadGitHubHistory } from './action/history.js'
import { postComment, sendWebhook, storeResults } from './action/publish.js'
import { ConfigError, INPUT_NAMES, resolveConfig, type RawInputs } from './config/load.js'
import type { Config } from './config/schema.js'
import { cancelOnSignals } from './cancel-on-signals.js'
import { runContextFromEnv, type RunContext } from './context.js'
import { describeError, UserError } from './errors.js'
import { planOnly, recommendSlosFromHistory, runGate, type GateIo, type GateOutcome } from './gate.js'
import { SLO_RECOMMENDATION_CONFIG_DEFAULTS } from './analyst/slo-recommendations-config.js'
import { renderSloRecommendationsMarkdown, renderSloRecommendationsText } from './report/slo-recommendations.js'
import { renderPlanMarkdown, renderPlanTable } from './report/plan-table.js'
import type { GitHubClient } from './github/client.js'
import { pullRequestHeadSha } from './github/comment.js'
import { ensureK6, type ToolCache } from './k6/install.js'
import { selectAnnotations } from './report/annotations.js'
import { verdictHeadline } from './report/format.js'
import { plainText } from './report/markdown.js'
import { renderConsoleReport, renderSummaryMarkdown } from './report/summary.js'
import { readResultsFile } from './results/read.js'
import type { ResultsFile } from './results/schema.js'
import { claimRunFiles, type RunFiles } from './run-files.js'
import { outputEnv, outputSecrets } from './outputs/config.js'
import { uploadHtmlReport } from './action/html-report.js'
import { authEnvNames } from './script/k6.js'
import { CLOUD_ENV } from './cloud/config.js'

export async function run(): Promise<void> {
  // Every error and warning of the step goes through one budget (GitHub shows 10 of each per step).
  const annotations = new AnnotationBudget({
    error: core.error,
    warning: core.warning,
    info: core.info,
    failStep: () => (process.exitCode = core.ExitCode.Failure),
  })
  const warn = (line: string) => annotations.warning(line)
  const cancellation = cancelOnSignals(warn)
  const k6Log = new K6LogGroup()
  // GITHUB_OUTPUT appends: the first verdict set is the one; later failures (a report, the webhook) fail the step without a second verdict line.
  let verdictSet = false
  const setVerdict = (verdict: string) => {
    if (!verdictSet) core.setOutput('verdict', verdict)
    verdictSet = true
  }
  let runFiles: RunFiles | undefined
  try {
    const inputs: RawInputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)]))
    inputs['anthropic-api-key'] ||= process.env.ANTHROPIC_API_KEY
    for (const secret of [inputs['github-token'], inputs['webhook-secret'], inputs['webhook-url'], inputs['anthropic-api-key'], process.env[CLOUD_ENV.token]])
      if (secret) core.setSecret(secret)
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
    const gh = readGitHubEnv(process.env)
    const mode = core.getInput('mode') || 'gate'
    if (mode === 'comment') return setVerdict(await commentFromResults(inputs, workspace, gh, warn))

    const config = resolveConfig(inputs, {
      cwd: workspace,
      mode: mode === 'capacity' ? 'capacity' : 'gate',
      env: process.env,
      runs: mode !== 'plan' && mode !== 'recommend-slos',
    })
    if (mode === 'plan') {
      const { plan, dataset } = await planOnly(config, workspace)
      core.info(renderPlanTable(plan, plan.analysis, { dataset }))
      await writeJobSummary(renderPlanMarkdown(plan, plan.analysis, { dataset }))
      setVerdict('plan')
      return
    }
    if (mode === 'recommend-slos') {
      // Reads the base branch's history only: nothing is run, nothing is posted.
      const history = await loadGitHubHistory(
        { ...config, baseline: { ...config.baseline, history: config.sloRecommendations?.history ?? SLO_RECOMMENDATION_CONFIG_DEFAULTS.history } },
        gh,
        await githubClient(config.githubToken, gh, warn),
      )
      for (const note of history.notes) core.info(note)
      const recommendations = await recommendSlosFromHistory(config, workspace, history)
      core.info(renderSloRecommendationsText(recommendations))
      await writeJobSummary(renderSloRecommendationsMarkdown(recommendations, { folded: false }).join('\n'))
      setVerdict('recommend-slos')
      return
    }
    if (mode !== 'gate' && mode !== 'capacity' && mode !== 'merge')
      throw new UserError(`input mode: ${JSON.stringify(mode)} is not one of gate, plan, comment, capacity, recommend-slos, merge`)
    for (const secret of outputSecrets(outputEnv(config.outputs, process.env))) core.setSecret(secret)
    for (const name of [...authEnvNames(config.auth), ...config.scriptEnv]) {
      const secret = process.env[name]
      if (secret) core.setSecret(secret)
    }
    const client = await githubClient(config.githubToken, gh, warn)

    // Checked and claimed before any load; the work directory is this run's alone.
    runFiles = claimRunFiles({
      workRoot: process.env.RUNNER_TEMP ?? path.join(workspace, '.perf-xi'),
      workRootWhat: process.env.RUNNER_TEMP ? 'RUNNER_TEMP' : 'the work folder',
      outputs: [{ path: path.resolve(workspace, config.resultsFile), what: 'input results-file', kind: 'file' }],
    })
    const claimed = runFiles
    const gateIo: GateIo = {
      cwd: workspace,
      workDir: claimed.workDir,
      env: process.env,
      log: (line) => {
        k6Log.end()
        core.info(line)
      },
      warn: (line) => {
        k6Log.end()
        warn(line)
      },
      k6Output: (text) => k6Log.write(text),
      ensureK6: (opts) => ensureK6({ ...opts, toolCache: actionsToolCache }),
      history: () => loadGitHubHistory(config, gh, client),
      signal: cancellation.signal,
      urgent: cancellation.urgent,
      pullRequest: pullRequestIo(gh, client),
    }
    if (config.shard && mode === 'gate') {
      // A shard only stores its part; the merge job judges, comments and reports.
      const [{ runShard, shardTiming }, { artifactShardStore }] = await Promise.all([import('./shards/run-shard.js'), import('./shards/store.js')])
      const { file } = await runShard(config, config.shard, { ...gateIo, store: artifactShardStore(gh.runAttempt) }, shardTiming(config.shard.waitMs))
      k6Log.end()
      setVerdict(file.status === 'ok' ? 'shard' : 'error')
      if (file.reason) annotations.fail(file.reason)
      return
    }
    const context = runContextFromEnv(process.env)
    const outcome = await (
      await modeRun(mode, config, gh.runAttempt)
    )(config, context, gateIo).catch((err: unknown) => {
      claimed.release({ removeWorkDir: true })
      throw err
    })
    k6Log.end()
    const { results } = outcome
    setVerdict(results.verdict)
    core.setOutput('results-file', outcome.resultsPath)
    core.setOutput('script-file', outcome.scriptPath)
    if (outcome.exportPath) core.setOutput('export-file', outcome.exportPath)

    core.info(`\n${renderConsoleReport(results)}`)
    await writeJobSummary(renderSummaryMarkdown(results, { serverUrl: gh.serverUrl }))
    annotate(results, config, annotations)
    if (cancellation.signal.aborted) {
      // The runner kills the job seconds after cancelling it: no comment, artifact or webhook is started.
      annotations.fail(plainText(verdictHeadline(results)))
      return
    }

    const io = { info: core.info, warn }
    const htmlReportUrl = outcome.htmlReportPath ? await uploadHtmlReport(outcome.htmlReportPath, results.run.url, io, { attempt: gh.runAttempt }) : undefined
    if (config.comment) await postComment(results, gh, client, io, { htmlReportUrl })
    await storeResults(results, outcome.resultsPath, config, gh, io)
    const webhookFailure = await sendWebhook(results, config, io)

    if (results.ci_gate === 'fail') annotations.fail(plainText(verdictHeadline(results)))
    if (webhookFailure) annotations.fail(webhookFailure)
  } catch (err) {
    k6Log.end()
    setVerdict('error')
    if (err instanceof ConfigError) {
      for (const problem of err.problems) annotations.error(problem, annotationFor(problem))
      // One problem is its own failure line; several get a count after their annotations.
      if (err.problems.length === 1) annotations.failStep()
      else annotations.fail(`${err.problems.length} configuration problems (see the errors above)`)
      return
    }
    annotations.fail(describeError(err))
  } finally {
    annotations.flush()
    cancellation.dispose()
    runFiles?.release()
  }
}

/** k6's console output folded into one collapsible group of the job log per run. */
class K6LogGroup {
  private open = false
  private atLineStart = true

  write(text: string): void {
    if (text === '') return
    if (!this.open) {
      core.startGroup('k6 output')
      this.open = true
    }
    process.stdout.write(text)
    this.atLineStart = text.endsWith('\n')
  }

  end(): void {
    if (!this.open) return
    // The group's end marker must start a line of its own.
    if (!this.atLineStart) process.stdout.write('\n')
    core.endGroup()
    this.open = false
    this.atLineStart = true
  }
}

/**
 * mode: comment, for the workflow_run pattern: a trusted workflow posts the comment of a run whose
 * own token could not (a pull request from a fork). The comment is rendered here from the results
 * file, validated against its schema: the untrusted run supplies data, never Markdown.
 */
async function commentFromResults(inputs: RawInputs, workspace: string, gh: GitHubEnv, warn: (line: string) => void): Promise<ResultsFile['verdict']> {
  const file = path.resolve(workspace, inputs['results-file'] || 'perf-xi-results.json')
  const results = readResultsFile(file)
  if (results.run.pr === null) throw new UserError('the results are not from a pull request run, so there is nothing to comment on', { file })
  const client = await githubClient(inputs['github-token'], gh, warn)
  // The results come from the untrusted run: they may name any pull request. Comment only on the
  // one whose head is the commit that run tested (head-sha: the workflow_run's head_sha).
  const headSha = core.getInput('head-sha')
  if (!headSha) throw new UserError('mode comment needs head-sha (${{ github.event.workflow_run.head_sha }}) to check which pull request the results belong to')
  if (client && gh.owner && gh.repo) {
    const prHead = await pullRequestHeadSha(client, { owner: gh.owner, repo: gh.repo, number: results.run.pr })
    if (prHead !== headSha) {
      // Usually the contributor pushed again and that push's own run will comment: not a failure.
      warn(
        `the results name pull request #${results.run.pr}, whose head is now ${prHead.slice(0, 12)}, not the tested commit ${headSha.slice(0, 12)} (pushed again?); no comment posted`,
      )
      return results.verdict
    }
  }
  await postComment(results, gh, client, { info: core.info, warn })
  return results.verdict
}

/**
 * The runner always offers a job summary file; a local run (`npx @github/local-action`) may not,
 * and the same report is in the log already.
 */
async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return core.info('No job summary written: GITHUB_STEP_SUMMARY is not set (not on a runner)')
  await core.summary.addRaw(markdown).write()
}

type ModeRun = (config: Config, context: RunContext, io: GateIo) => Promise<GateOutcome>

/** The run of this mode: the ones beside the gate load only when asked for, since every run pays for start-up. */
async function modeRun(mode: string, config: Config, runAttempt: number): Promise<ModeRun> {
  if (mode === 'merge') {
    const [{ runMergeGate }, { artifactShardStore }] = await Promise.all([import('./shards/merge-gate.js'), import('./shards/store.js')])
    return (c, context, io) => runMergeGate(c, context, { ...io, store: artifactShardStore(runAttempt) })
  }
  if (mode === 'capacity') return (await import('./capacity-gate.js')).runCapacityGate
  if (config.cloud.runner === 'cloud') return (await import('./cloud-gate.js')).runCloudGate
  return runGate
}

/** On a pull request: its changed files for the model-written analysis, read through the same client. */
function pullRequestIo(gh: GitHubEnv, client: GitHubClient | undefined): GateIo['pullRequest'] {
  const { owner, repo, prNumber: number } = gh
  if (number === undefined) return undefined
  const changes =
    client && owner && repo
      ? async (patches: boolean) => (await import('./github/pull-request-changes.js')).pullRequestChanges(client, { owner, repo, number, patches })
      : undefined
  return { fromFork: gh.fromFork, changes }
}

/** Octokit and its plugins load only when there is a token to use them with. */
async function githubClient(token: string | undefined, gh: GitHubEnv, warn: (line: string) => void): Promise<GitHubClient | undefined> {
  if (!token) return undefined
  const { createGitHubClient } = await import('./github/client.js')
  return createGitHubClient({ token, baseUrl: gh.apiUrl, log: { warn } })
}

function annotate(results: ResultsFile, config: Config, annotations: AnnotationBudget): void {
  for (const a of selectAnnotations(results, config.configFile, { error: annotations.room('error'), warning: annotations.room('warning') })) {
    const props = { title: a.title, file: a.file, startLine: a.line }
    if (a.level === 'error') annotations.error(a.message, props)
    else annotations.warning(a.message, props)
  }
}

/** Problems read "file:line: message"; the runner pins such an error to that line. */
function annotationFor(problem: string): core.AnnotationProperties {
  const match = /^([^:\s][^:]*):(\d+): /.exec(problem)
  return match ? { file: match[1], startLine: Number(match[2]) } : {}
}

/** @actions/tool-cache as the installer's cache, so self-hosted runners keep k6 between jobs; loaded when k6 is not on PATH. */
const actionsToolCache: ToolCache = {
  find: async (version) => {
    const toolCache = await import('@actions/tool-cache')
    const dir = toolCache.find('k6', version)
    return dir ? path.join(dir, process.platform === 'win32' ? 'k6.exe' : 'k6') : undefined
  },
  save: async (binaryPath, version) => {
    const toolCache = await import('@actions/tool-cache')
    const name = path.basename(binaryPath)
    return path.join(await toolCache.cacheFile(binaryPath, name, 'k6', version), name)
  },
}
