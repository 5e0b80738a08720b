/**
 * The run's context from the environment GitHub Actions sets (GITHUB_*), read once at the edge
 * so that no stage depends on the GitHub context object.
 */
import { readFileSync } from 'node:fs'
import { workflowFileFromRef } from './github/baselines.js'

/** Where and when a run happened: plain data, so no stage reaches for the GitHub context. */
export interface RunContext {
  runId: string
  repo?: string
  sha?: string
  ref?: string
  prNumber?: number
  runUrl?: string
  event?: string
  /** The workflow file and job, which with the config file name the run's one PR comment. */
  workflow?: string
  job?: string
}

export function runContextFromEnv(env: NodeJS.ProcessEnv): RunContext {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const repo = env.GITHUB_REPOSITORY
  const runId = env.GITHUB_RUN_ID
  return {
    runId: runId ? `${runId}-${env.GITHUB_RUN_ATTEMPT ?? '1'}` : `local-${Date.now()}`,
    repo,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    event: env.GITHUB_EVENT_NAME,
    runUrl: repo && runId ? `${server}/${repo}/actions/runs/${runId}` : undefined,
    prNumber: pullRequestNumber(env.GITHUB_EVENT_PATH),
    workflow: env.GITHUB_WORKFLOW_REF ? workflowFileFromRef(env.GITHUB_WORKFLOW_REF) : undefined,
    job: env.GITHUB_JOB,
  }
}

function pullRequestNumber(eventPath: string | undefined): number | undefined {
  if (!eventPath) return undefined
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: { number?: number }; number?: number }
    return event.pull_request?.number ?? undefined
  } catch {
    return undefined
  }
}
