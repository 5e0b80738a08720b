/**
 * What the runner tells the action about where it runs (GITHUB_* variables and the event payload),
 * read once at the edge into plain data.
 */
import { readFileSync } from 'node:fs'
import { workflowFileFromRef } from '../github/baselines.js'

export interface GitHubEnv {
  apiUrl: string
  owner?: string
  repo?: string
  event?: string
  /** Set on pull_request events. */
  prNumber?: number
  /** The pull request's base branch (GITHUB_BASE_REF), or for pushes the branch pushed to. */
  baseBranch?: string
  /** The branch or tag this run is for, e.g. main. */
  refName?: string
  /** A pull request from a fork: its GITHUB_TOKEN is read-only. */
  fromFork: boolean
  /** The workflow file, e.g. perf.yml, from GITHUB_WORKFLOW_REF. */
  workflowFile?: string
  job?: string
  runId?: string
  runAttempt: number
  serverUrl: string
  /** ACTIONS_RUNTIME_TOKEN is set: the runner's artifact and cache services can be reached. */
  actionsRuntime: boolean
}

export function readGitHubEnv(env: NodeJS.ProcessEnv): GitHubEnv {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const pr = event?.pull_request
  const headRepo = pr?.head?.repo?.full_name
  return {
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    owner: owner || undefined,
    repo: repo || undefined,
    event: env.GITHUB_EVENT_NAME,
    prNumber: typeof pr?.number === 'number' ? pr.number : undefined,
    baseBranch: env.GITHUB_BASE_REF || env.GITHUB_REF_NAME || undefined,
    refName: env.GITHUB_REF_NAME || undefined,
    fromFork: headRepo !== undefined && env.GITHUB_REPOSITORY !== undefined && headRepo !== env.GITHUB_REPOSITORY,
    workflowFile: env.GITHUB_WORKFLOW_REF ? workflowFileFromRef(env.GITHUB_WORKFLOW_REF) : undefined,
    job: env.GITHUB_JOB,
    runId: env.GITHUB_RUN_ID,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1') || 1,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    actionsRuntime: Boolean(env.ACTIONS_RUNTIME_TOKEN),
  }
}

interface EventPayload {
  pull_request?: { number?: number; head?: { repo?: { full_name?: string } } }
}

function readEvent(file: string | undefined): EventPayload | undefined {
  if (!file) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EventPayload
  } catch {
    return undefined
  }
}
