/**
 * What a pull request changes, for the model-written analysis: its title and body, and every file
 * of GET /repos/{owner}/{repo}/pulls/{pull_number}/files, all pages (GitHub lists up to 3,000).
 * Everything here is the pull request author's text: the analysis treats it as data.
 */
import type { ChangedFile, PullRequestChanges } from '../analyst/pull-request-analysis.js'
import type { GitHubClient } from './client.js'
import { toGitHubError } from './errors.js'

export interface PullRequestChangesOptions {
  owner: string
  repo: string
  number: number
  /** Keep each file's patch (ai-context: diff); otherwise only names and line counts are kept. */
  patches: boolean
}

export async function pullRequestChanges(octokit: GitHubClient, options: PullRequestChangesOptions): Promise<PullRequestChanges> {
  const { owner, repo, number } = options
  const hint = 'the token needs `permissions: pull-requests: read`'
  let title: string
  let body: string
  try {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number })
    title = data.title
    body = data.body ?? ''
  } catch (error) {
    throw toGitHubError(error, `Reading pull request ${owner}/${repo}#${number}`, hint)
  }
  try {
    const files: ChangedFile[] = []
    for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 })) {
      for (const f of page.data) {
        files.push({
          filename: f.filename,
          status: f.status,
          additions: f.additions,
          deletions: f.deletions,
          ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
          ...(options.patches && f.patch !== undefined ? { patch: f.patch } : {}),
        })
      }
    }
    return { title, body, files }
  } catch (error) {
    throw toGitHubError(error, `Listing the files of pull request ${owner}/${repo}#${number}`, hint)
  }
}
