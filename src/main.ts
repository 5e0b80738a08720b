/**
 * The action: reads inputs once, runs the gate, and reports through the runner
 * (log, job summary, step outputs, annotations). The only module that talks to @actions/core.
 */
import path from 'node:path'
import * as core from '@actions/core'
import * as toolCache from '@actions/tool-cache'
import { ConfigError, INPUT_NAMES, resolveConfig, type RawInputs } from './config/load.js'
import { runContextFromEnv } from './context.js'
import { describeError } from './errors.js'
import { runGate } from './gate.js'
import { ensureK6, type ToolCache } from './k6/install.js'
import { renderConsoleReport, renderSummaryMarkdown, verdictHeadline } from './report/summary.js'
import { authEnvNames } from './script/k6.js'

export async function run(): Promise<void> {
  try {
    const inputs: RawInputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)]))
    if (inputs['github-token']) core.setSecret(inputs['github-token'])
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
    const config = resolveConfig(inputs, { cwd: workspace })
    for (const name of authEnvNames(config.auth)) {
      const secret = process.env[name]
      if (secret) core.setSecret(secret)
    }

    const outcome = await runGate(config, runContextFromEnv(process.env), {
      cwd: workspace,
      workDir: path.join(process.env.RUNNER_TEMP ?? path.join(workspace, '.perf-xi'), 'perf-xi'),
      env: process.env,
      log: core.info,
      warn: (line) => core.warning(line),
      k6Output: (text) => process.stdout.write(text),
      ensureK6: (opts) => ensureK6({ ...opts, toolCache: actionsToolCache }),
    })
    const { results } = outcome

    core.info(`\n${renderConsoleReport(results)}`)
    await core.summary.addRaw(renderSummaryMarkdown(results)).write()
    core.setOutput('verdict', results.verdict)
    core.setOutput('results-file', outcome.resultsPath)
    core.setOutput('script-file', outcome.scriptPath)
    if (results.ci_gate === 'fail') core.setFailed(verdictHeadline(results))
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
