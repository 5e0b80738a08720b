/**
 * Shared by the src/github tests: results files made from a real one (captured from a run against
 * the sample API), and the production client with its waits shrunk from seconds to milliseconds.
 */
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'
import type { GitHubApiServer } from '../support/github-api-server.js'

const here = path.dirname(fileURLToPath(import.meta.url))
export const SAMPLE_RESULTS_PATH = path.join(here, '..', 'fixtures', 'results', 'webhook-sample-results.json')
export const SAMPLE_RESULTS_TEXT = readFileSync(SAMPLE_RESULTS_PATH, 'utf8')

export const TOKEN = 'ghs_perfXiTestToken0123456789abcdef'

/** The captured results file, parsed and validated as a reader sees it (a fresh copy each call). */
export function sampleResults(): ResultsFile {
  return ResultsFileSchema.parse(JSON.parse(SAMPLE_RESULTS_TEXT))
}

/**
 * The captured results file as a base-branch run `runId` would have written it: a push to main,
 * its own sha and times, and latencies nudged by a deterministic few percent (`seed`), so entries
 * are distinguishable and look like run-to-run noise.
 */
export function baseBranchResults(runId: number, seed = runId, branch = 'main'): ResultsFile {
  const results = sampleResults()
  const started = new Date(Date.parse(results.run.started_at) - (seed % 97) * 3_600_000)
  const wobble = 1 + ((seed % 7) - 3) / 100 // 0.97 .. 1.03
  const scale = (v: number | null): number | null => (v === null ? null : Math.round(v * wobble * 1000) / 1000)
  results.run = {
    ...results.run,
    id: `${runId}-1`,
    sha: createHash('sha1').update(`sha-${seed}`).digest('hex'),
    ref: `refs/heads/${branch}`,
    pr: null,
    event: 'push',
    url: `https://github.com/acme/checkout-api/actions/runs/${runId}`,
    started_at: started.toISOString(),
    finished_at: new Date(started.getTime() + results.summary.duration_ms).toISOString(),
  }
  results.slis = results.slis.map((s) => ({ ...s, p50_ms: scale(s.p50_ms), p90_ms: scale(s.p90_ms), p95_ms: scale(s.p95_ms), p99_ms: scale(s.p99_ms) }))
  return results
}

let clientCount = 0

/**
 * The client the action uses (createGitHubClient), against the test server, with millisecond
 * waits. Each client spaces its writes on its own (a fresh throttle id), so tests do not wait
 * out each other's 3 s comment spacing.
 */
export function testClient(server: GitHubApiServer, warnings: string[] = [], token = TOKEN): GitHubClient {
  clientCount += 1
  return createGitHubClient({
    token,
    baseUrl: server.url,
    log: { warn: (line) => warnings.push(line) },
    retry: { retryAfterBaseValue: 2, rateLimitBaseValue: 5, throttleId: `test-${clientCount}-${process.pid}` },
  })
}

/** `status` of each request to `template`, in order. */
export function statuses(server: GitHubApiServer, template: string): number[] {
  return server.requests.filter((r) => r.template === template).map((r) => r.status)
}
