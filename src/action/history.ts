/**
 * Where the base branch's earlier results come from on GitHub: the results artifacts of the same
 * workflow's successful runs (through the REST API), or the Actions cache.
 */
import type { Config } from '../config/schema.js'
import type { BaselineHistory } from '../baseline/history.js'
import { fetchBaselineHistory } from '../github/baselines.js'
import type { GitHubClient } from '../github/client.js'
import { restoreHistory } from '../storage/cache-store.js'
import { loadShapeHash } from '../config/load-shape.js'
import type { GitHubEnv } from './github-env.js'

/** The history file the cache store writes and restores; the same path on every run, as the cache's version depends on it. */
export const HISTORY_CACHE_PATH = '.perf-xi/history-cache.json'

/** The branch runs are compared with: the configured one, a pull request's base, or the branch itself. */
export function baselineBranch(config: Config, gh: GitHubEnv): string | undefined {
  return config.baseline.branch ?? gh.baseBranch
}

export async function loadGitHubHistory(config: Config, gh: GitHubEnv, client: GitHubClient | undefined): Promise<BaselineHistory> {
  const branch = baselineBranch(config, gh) ?? null
  const none = (note: string, source: string): BaselineHistory => ({ entries: [], source, branch, notes: [note] })
  if (config.baseline.store === 'cache') {
    if (!branch || !gh.runId) return none('no branch or run id to look the history up by', 'cache')
    const restored = await restoreHistory({ branch, configHash: loadShapeHash(config), runId: gh.runId, attempt: gh.runAttempt, path: HISTORY_CACHE_PATH })
    const notes = restored.status === 'restored' ? [] : [restored.reason]
    return { entries: restored.history, source: 'Actions cache', branch, notes }
  }
  if (!client) return none('no GitHub token, so earlier runs could not be looked up', 'artifacts')
  if (!gh.owner || !gh.repo || !gh.workflowFile || !branch) return none('not running in a GitHub Actions workflow run', 'artifacts')
  const source = `artifacts of ${gh.workflowFile}`
  try {
    const found = await fetchBaselineHistory(client, {
      owner: gh.owner,
      repo: gh.repo,
      workflowId: gh.workflowFile,
      branch,
      limit: config.baseline.history,
      excludeRunId: gh.runId,
    })
    return { entries: found.history, source, branch, notes: found.notes }
  } catch (err) {
    // Earlier runs exist but could not be read: that is "baseline unreadable", not "no baseline".
    const reason = `the base branch's runs could not be listed: ${(err as Error).message}`
    return { entries: [{ unreadable: true, runId: 'listing', reason }], source, branch, notes: [reason] }
  }
}
