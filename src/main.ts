/**
 * The action: reads inputs once, runs the gate, and reports through the runner (log, job summary,
 * annotations, step outputs) and GitHub (PR comment, results artifact, webhook).
 * The only module that talks to @actions/core.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import * as core from '@actions/core'
import * as toolCache from '@actions/tool-cache'
import { readGitHubEnv, type GitHubEnv } from './action/github-env.js'
import { loadGitHubHistory } from './action/history.js'
import { postComment, sendWebhook, storeResults } from './action/publish.js'
import { ConfigError, INPUT_NAMES, resolveConfig, type RawInputs } from './config/load.js'
import type { Config } from './config/schema.js'
import { runContextFromEnv } from './context.js'
import { describeError, UserError } from './errors.js'
import { planOnly, runGate } from './gate.js'
import { renderPlanMarkdown, renderPlanTable } from './report/plan-table.js'
import { createGitHubClient, type GitHubClient } from './github/client.js'
import { ensureK6, type ToolCache } from './k6/install.js'
import { selectAnnotations } from './report/annotations.js'
import { verdictHeadline } from './report/format.js'
import { plainText } from './report/markdown.js'
import { renderConsoleReport, renderSummaryMarkdown } from './report/summary.js'
import { ResultsFileSchema, type ResultsFile } from './results.js'
import { authEnvNames } from './script/k6.js'

export async function run(): Promise<void> {
  try {
    const inputs: RawInputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)]))
    for (const secret of [inputs['github-token'], inputs['webhook-secret'], inputs['webhook-url']]) if (secret) core.setSecret(secret)
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
    const gh = readGitHubEnv(process.env)
    const mode = core.getInput('mode') || 'gate'
    if (mode === 'comment') return await commentFromResults(inputs, workspace, gh)

    const config = resolveConfig(inputs, { cwd: workspace })
    if (mode === 'plan') {
      const { plan, dataset } = await planOnly(config, workspace)
      core.info(renderPlanTable(plan, plan.analysis, { dataset }))
      await core.summary.addRaw(renderPlanMarkdown(plan, plan.analysis, { dataset })).write()
      core.setOutput('verdict', 'plan')
      return
    }
    if (mode !== 'gate') throw new UserError(`input mode: ${JSON.stringify(mode)} is not one of gate, plan, comment`)
    for (const name of [...authEnvNames(config.auth), ...config.scriptEnv]) {
      const secret = process.env[name]
      if (secret) core.setSecret(secret)
    }
    const client = githubClient(config.githubToken, gh)

    const outcome = await runGate(config, runContextFromEnv(process.env), {
      cwd: workspace,
      workDir: path.join(process.env.RUNNER_TEMP ?? path.join(workspace, '.perf-xi'), 'perf-xi'),
      env: process.env,
      log: core.info,
      warn: (line) => core.warning(line),
      k6Output: (text) => process.stdout.write(text),
      ensureK6: (opts) => ensureK6({ ...opts, toolCache: actionsToolCache }),
      history: () => loadGitHubHistory(config, gh, client),
    })
    const { results } = outcome

    core.info(`\n${renderConsoleReport(results)}`)
    await core.summary.addRaw(renderSummaryMarkdown(results, { serverUrl: gh.serverUrl })).write()
    annotate(results, config)
    core.setOutput('verdict', results.verdict)
    core.setOutput('results-file', outcome.resultsPath)
    core.setOutput('script-file', outcome.scriptPath)
    if (outcome.exportPath) core.setOutput('export-file', outcome.exportPath)

    const io = { info: core.info, warn: (line: string) => core.warning(line) }
    if (config.comment) await postComment(results, gh, client, io)
    await storeResults(results, outcome.resultsPath, config, gh, io)
    const webhookFailure = await sendWebhook(results, config, io)

    if (results.ci_gate === 'fail') core.setFailed(plainText(verdictHeadline(results)))
    else if (webhookFailure) core.setFailed(webhookFailure)
  } catch (err) {
    core.setOutput('verdict', 'error')
    if (err instanceof ConfigError) {
      for (const problem of err.problems) core.error(problem, annotationFor(problem))
      core.setFailed(err.problems.length === 1 ? err.problems[0] : `${err.problems.length} configuration problems (see the errors above)`)
      return
    }
    core.setFailed(describeError(err))
  }
}

/**
 * mode: comment, for the workflow_run pattern: a trusted workflow posts the comment of a run whose
 * own token could not (a pull request from a fork). The comment is rendered here from the results
 * file, validated against its schema: the untrusted run supplies data, never Markdown.
 */
async function commentFromResults(inputs: RawInputs, workspace: string, gh: GitHubEnv): Promise<void> {
  const file = path.resolve(workspace, inputs['results-file'] || 'perf-xi-results.json')
  let results: ResultsFile
  try {
    results = ResultsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  } catch (err) {
    throw new UserError(`not a Perf-Xi results file (${describeError(err)})`, { file })
  }
  if (results.run.pr === null) throw new UserError('the results are not from a pull request run, so there is nothing to comment on', { file })
  const client = githubClient(inputs['github-token'], gh)
  // The results come from the untrusted run: they may name any pull request. Comment only on the
  // one whose head is the commit that run tested (head-sha: the workflow_run's head_sha).
  const headSha = core.getInput('head-sha')
  if (!headSha) throw new UserError('mode comment needs head-sha (${{ github.event.workflow_run.head_sha }}) to check which pull request the results belong to')
  if (client && gh.owner && gh.repo) {
    const { data: pr } = await client.rest.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: results.run.pr })
    if (pr.head.sha !== headSha) {
      throw new UserError(`the results name pull request #${results.run.pr}, whose head is ${pr.head.sha.slice(0, 12)}, not the tested commit ${headSha.slice(0, 12)}; no comment posted`)
    }
  }
  await postComment(results, gh, client, { info: core.info, warn: (l) => core.warning(l) })
  core.setOutput('verdict', results.verdict)
}

function githubClient(token: string | undefined, gh: GitHubEnv): GitHubClient | undefined {
  if (!token) return undefined
  return createGitHubClient({ token, baseUrl: gh.apiUrl, log: { warn: (line) => core.warning(line) } })
}

function annotate(results: ResultsFile, config: Config): void {
  for (const a of selectAnnotations(results, config.configFile)) {
    const props: core.AnnotationProperties = { title: a.title, file: a.file, startLine: a.line }
    if (a.level === 'error') core.error(a.message, props)
    else core.warning(a.message, props)
  }
}

/** Problems read "file:line: message"; the runner pins such an error to that line. */
function annotationFor(problem: string): core.AnnotationProperties {
  const match = /^([^:\s][^:]*):(\d+): /.exec(problem)
  return match ? { file: match[1], startLine: Number(match[2]) } : {}
}

/** @actions/tool-cache as the installer's cache, so self-hosted runners keep k6 between jobs. */
const actionsToolCache: ToolCache = {
  find: async (version) => {
    const dir = toolCache.find('k6', version)
    return dir ? path.join(dir, process.platform === 'win32' ? 'k6.exe' : 'k6') : undefined
  },
  save: async (binaryPath, version) => {
    const name = path.basename(binaryPath)
    return path.join(await toolCache.cacheFile(binaryPath, name, 'k6', version), name)
  },
}
