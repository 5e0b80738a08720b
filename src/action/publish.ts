/**
 * After the verdict: the pull-request comment, the results store and the webhook. None of these
 * may change the verdict; each failure becomes a warning (or, for a required webhook, a failed step).
 */
import { randomUUID } from 'node:crypto'
import type { Config } from '../config/schema.js'
import type { GitHubClient } from '../github/client.js'
import { capCommentBody, commentMarker, upsertPullRequestComment } from '../github/comment.js'
import { GitHubPermissionError } from '../github/errors.js'
import { renderPrComment } from '../report/comment.js'
import type { ResultsFile } from '../results/schema.js'
import { uploadResults } from '../storage/artifact-store.js'
import { saveHistory } from '../storage/cache-store.js'
import { loadShapeHash } from '../config/load-shape.js'
import { deliverWebhook, webhookPolicy, type DeliveryResult } from '../webhook/deliver.js'
import { buildDelivery } from '../webhook/payload.js'
import type { GitHubEnv } from './github-env.js'
import { baselineBranch, HISTORY_CACHE_PATH } from './history.js'

export interface PublishIo {
  info: (line: string) => void
  warn: (line: string) => void
}

/** Fork pull requests get a read-only token; this is how their comment gets posted. */
export const WORKFLOW_RUN_HINT =
  'To comment on pull requests from forks, post the comment from a second workflow triggered by workflow_run ' + '(see the README: "Pull requests from forks").'

/** Posts (or updates) the run's one comment on its pull request; the marker's parts come from the results. */
export async function postComment(
  results: ResultsFile,
  gh: GitHubEnv,
  client: GitHubClient | undefined,
  io: PublishIo,
  links: { htmlReportUrl?: string } = {},
): Promise<void> {
  const prNumber = results.run.pr
  if (prNumber === null || !gh.owner || !gh.repo) return
  if (!client) {
    io.warn(`no github-token, so no pull request comment; the report is in the job summary. ${WORKFLOW_RUN_HINT}`)
    return
  }
  const marker = commentMarker({ workflow: results.run.workflow ?? 'workflow', job: results.run.job ?? 'job', config: results.run.config_file ?? 'defaults' })
  const artifactUrl = results.run.url ? `${results.run.url}#artifacts` : undefined
  // Only links into this GitHub server are live: the results may come from a fork's run.
  const body = capCommentBody(`${marker}\n${renderPrComment(results, { artifactUrl, serverUrl: gh.serverUrl, ...links })}`, marker)
  try {
    const posted = await upsertPullRequestComment(client, { owner: gh.owner, repo: gh.repo, issueNumber: prNumber, marker, body })
    io.info(`Pull request comment ${posted.action}: ${posted.url}`)
  } catch (err) {
    const why = (err as Error).message
    if (err instanceof GitHubPermissionError) io.warn(`${why}${gh.fromFork ? ` ${WORKFLOW_RUN_HINT}` : ''}`)
    else io.warn(`the pull request comment could not be posted: ${why}`)
  }
}

/** Keeps this run's results for later runs to compare with. */
export async function storeResults(results: ResultsFile, resultsPath: string, config: Config, gh: GitHubEnv, io: PublishIo): Promise<void> {
  if (results.verdict === 'error') return
  if (config.baseline.store === 'cache') {
    // Only base-branch runs write history; pull requests read it.
    const branch = baselineBranch(config, gh)
    if (gh.prNumber !== undefined || !branch || !gh.runId) return
    const saved = await saveHistory(results, {
      branch,
      configHash: loadShapeHash(config),
      runId: gh.runId,
      attempt: gh.runAttempt,
      limit: config.baseline.history,
      path: HISTORY_CACHE_PATH,
    })
    if (saved.status === 'saved') io.info(`Results saved to the Actions cache as ${saved.key} (${saved.saved} runs of history)`)
    else io.warn(`the results could not be saved to the Actions cache: ${saved.reason}`)
    return
  }
  const uploaded = await uploadResults(resultsPath, { runtimePresent: gh.actionsRuntime, attempt: gh.runAttempt })
  if (uploaded.status === 'uploaded') io.info(`Results uploaded as artifact ${uploaded.name} (${uploaded.size} bytes)`)
  else if (uploaded.status === 'not-available') io.info(`Results not uploaded: ${uploaded.reason}`)
  else io.warn(`the results artifact could not be uploaded, so later runs cannot use this one as a baseline: ${uploaded.reason}`)
}

/** Sends the signed results; returns a message when the step must fail because of it. */
export async function sendWebhook(results: ResultsFile, config: Config, io: PublishIo): Promise<string | undefined> {
  const webhook = config.webhook
  if (!webhook) return undefined
  let outcome: DeliveryResult
  try {
    const delivery = buildDelivery(results, { secret: webhook.secret ?? '', now: new Date(), deliveryId: randomUUID() })
    outcome = await deliverWebhook(webhook.url, delivery, { redact: webhook.secret ? [webhook.secret] : [], log: io.info })
  } catch (err) {
    // Whatever goes wrong here happens after the verdict, so it is reported like a failed delivery.
    const why = err instanceof Error ? err.message.split('\n')[0]! : String(err)
    outcome = { delivered: false, attempts: 0, reason: `not sent: ${webhook.secret ? why.split(webhook.secret).join('***') : why}` }
  }
  const policy = webhookPolicy(outcome, { required: webhook.required, url: webhook.url })
  if (policy.action === 'warn') io.warn(policy.message)
  if (policy.action === 'none') io.info(policy.message)
  return policy.action === 'fail' ? policy.message : undefined
}
