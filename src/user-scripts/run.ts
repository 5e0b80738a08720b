/**
 * Existing k6 scripts (the `script` input) instead of generated ones: each script is run with real
 * k6, as written, and measured from k6's raw output while it runs (src/k6/stream-slis.ts), per
 * endpoint "METHOD name" from k6's own `method` and `name` tags. Groups, custom metrics, several
 * scenarios and the script's own thresholds all work as they do under plain `k6 run`.
 *
 * The result has the shape the rest of the pipeline reads (EndpointSli[] and RunSli, as
 * computeSlis returns them), so the verdict, the results file and the reports are unchanged.
 * Secrets reach k6 through its environment only, never its argv (k6Environment in src/k6/process.ts).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { inspectK6Script } from '../k6/inspect.js'
import type { OutputTransport } from '../k6/output-stream.js'
import { CANCELLED_REASON, runK6 } from '../k6/run.js'
import type { StreamSliOptions } from '../k6/stream-slis.js'
import type { EndpointFailures } from '../analyst/diagnosis.js'
import { withSampleMinimums } from '../sample-minimums.js'
import type { RunSli } from '../sli.js'
import type { EndpointSli } from '../results/schema.js'
import { describeScriptFailure } from './failure.js'
import type { UserScriptRun } from './judge.js'

export interface UserScriptsRequest {
  /** The k6 binary (from ensureK6). */
  k6Path: string
  /** The scripts, as resolveScripts returns them (absolute, or relative to cwd). */
  scripts: readonly string[]
  /** Variables the scripts read through __ENV (base URL, secrets): passed in k6's environment only. */
  env: Record<string, string>
  /** Where k6's raw output stream and per-script summaries go; created when missing. */
  workDir: string
  /** k6's working directory, and what script paths in messages are shown relative to. Default: process.cwd(). */
  cwd?: string
  /** k6's console output as it comes, for the live log. */
  onOutput?: (text: string) => void
  /** How k6's output is read while it runs. Default: a named pipe, a growing file on Windows. */
  transport?: OutputTransport
  /**
   * Also make k6's end-of-test summary carry p(99) and count (--summary-trend-stats), e.g. to
   * compare with the streamed SLIs. Default false: the script's own summary settings stand.
   */
  fullSummaryStats?: boolean
  /** See StreamSliOptions.maxEndpoints. Default 500. */
  maxEndpoints?: StreamSliOptions['maxEndpoints']
  /** Each script's wall-clock limit. Default: the longest k6 inspect says it can run, plus a margin. */
  timeLimitMs?: number
  /** Cancellation (see K6ProcessRequest). */
  signal?: AbortSignal
  urgent?: AbortSignal
}

export interface UserScriptsResult {
  /** Per endpoint "METHOD name", sorted by key: the shape computeSlis returns. */
  slis: EndpointSli[]
  total: RunSli
  runs: UserScriptRun[]
  /** Set when any script did not run properly: the verdict is error (EvaluationInput.runError). */
  runError?: string
  /** Things to tell the user that do not stop the run (too many distinct URLs, unreadable lines). */
  warnings: string[]
  /** All scripts, start of the first to end of the last. */
  wallTimeMs: number
  /** Time the samples span, summed over the scripts: the rps denominator. */
  measuredMs: number
  /** Failed requests per endpoint by status or network error, from k6's tags. */
  failures: EndpointFailures[]
}

/** Trend statistics k6's summary carries with fullSummaryStats: every one an SLO can name, and count. */
const FULL_TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99),count'

/**
 * Checks every script with `k6 inspect` (nothing runs when one cannot be loaded), then runs each
 * with k6, one after the other, streaming k6's raw JSON output into one set of per-endpoint
 * histograms (an endpoint several scripts hit is one row). Every script runs even when an earlier
 * one failed, so one run reports every broken script; a cancelled run stops at the script it was in.
 */
export async function runUserScripts(request: UserScriptsRequest): Promise<UserScriptsResult> {
  const cwd = request.cwd ?? process.cwd()
  mkdirSync(request.workDir, { recursive: true })
  // Loaded on first use: a generated plan's start-up does not pay for the histograms.
  const { SliAggregator } = await import('../k6/stream-slis.js')
  const aggregator = new SliAggregator({ maxEndpoints: request.maxEndpoints })
  const runs: UserScriptRun[] = []
  const started = Date.now()
  const checked = await inspectScripts(request, cwd)
  for (const [index, { script, scriptPath, timeLimitMs }] of (checked.ok ? checked.scripts : []).entries()) {
    if (request.signal?.aborted) break
    const stem = `${String(index + 1).padStart(2, '0')}-${path.basename(scriptPath).replace(/[^A-Za-z0-9._-]/g, '_')}`
    const summaryPath = path.join(request.workDir, `${stem}.summary.json`)
    rmSync(summaryPath, { force: true })
    const before = aggregator.requests
    const k6 = await runK6({
      k6Path: request.k6Path,
      scriptPath,
      summaryPath,
      cwd,
      env: request.env,
      onOutput: request.onOutput,
      rawOutput: { path: path.join(request.workDir, `${stem}.k6-output.json`), onChunk: (chunk) => aggregator.write(chunk), transport: request.transport },
      extraArgs: request.fullSummaryStats ? ['--summary-trend-stats', FULL_TREND_STATS] : [],
      timeLimitMs: request.timeLimitMs ?? timeLimitMs,
      signal: request.signal,
      urgent: request.urgent,
    })
    aggregator.endRun()
    const run: UserScriptRun = {
      script,
      exitCode: k6.exitCode,
      outcome: k6.outcome,
      wallTimeMs: k6.wallTimeMs,
      requests: aggregator.requests - before,
      ...(existsSync(summaryPath) ? { summaryPath } : {}),
    }
    if (!k6.outcome.ran) run.error = describeScriptFailure(k6.outcome.reason, k6.stderr, scriptPath, cwd)
    runs.push(run)
  }
  if (!checked.ok) runs.push(...checked.failed)
  const streamed = aggregator.result()
  const failures = runs.filter((r) => r.error !== undefined).map((r) => r.error!)
  const cancelled = request.signal?.aborted || runs.some((r) => !r.outcome.ran && r.outcome.reason === CANCELLED_REASON)
  const what = checked.ok ? 'did not run' : 'cannot be loaded by k6'
  return {
    slis: streamed.endpoints.map((sli) => withSampleMinimums(sli, sli.requests)),
    total: withSampleMinimums(streamed.total, streamed.total.requests),
    runs,
    runError: cancelled
      ? CANCELLED_REASON
      : failures.length === 0
        ? undefined
        : failures.length === 1
          ? failures[0]
          : `${failures.length} of ${checked.ok ? runs.length : request.scripts.length} scripts ${what}: ${failures.join('; ')}`,
    warnings: streamed.warnings,
    wallTimeMs: Date.now() - started,
    measuredMs: streamed.measuredMs,
    failures: streamed.failures,
  }
}

type CheckedScripts = { ok: true; scripts: Array<{ script: string; scriptPath: string; timeLimitMs: number }> } | { ok: false; failed: UserScriptRun[] }

/** `k6 inspect` of every script, with the environment it will run with: each one k6 cannot load is reported. */
async function inspectScripts(request: UserScriptsRequest, cwd: string): Promise<CheckedScripts> {
  const scripts: Array<{ script: string; scriptPath: string; timeLimitMs: number }> = []
  const failed: UserScriptRun[] = []
  for (const script of request.scripts) {
    if (request.signal?.aborted) break
    const scriptPath = path.resolve(cwd, script)
    const started = Date.now()
    const inspection = await inspectK6Script({ k6Path: request.k6Path, scriptPath, env: request.env, cwd, signal: request.signal, urgent: request.urgent })
    if (inspection.ok) {
      scripts.push({ script, scriptPath, timeLimitMs: inspection.timeLimitMs })
      continue
    }
    failed.push({
      script,
      exitCode: inspection.exitCode,
      outcome: { ran: false, reason: inspection.reason },
      error: inspection.reason === CANCELLED_REASON ? undefined : describeScriptFailure(inspection.reason, inspection.stderr, scriptPath, cwd),
      wallTimeMs: Date.now() - started,
      requests: 0,
    })
  }
  return failed.length > 0 ? { ok: false, failed } : { ok: true, scripts }
}
