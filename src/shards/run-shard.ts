/**
 * One shard of a sharded run (`shard: i/N`): k6 runs its execution segment of the plan, paused
 * until all N shards are ready, then resumed with the others at the agreed time. Thresholds are
 * off in the shard (`--no-thresholds`): SLOs are judged once, on the merged samples. The samples
 * stream into the bounded-memory aggregator (src/k6/stream-slis.ts), whose mergeable state is the
 * shard file stored for the merge job (src/shards/merge-gate.ts). Docs: README "Sharded runs".
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Config } from '../config/schema.js'
import { secretsEnv, type GateIo } from '../gate.js'
import { freeLocalPort } from '../k6/live-counters.js'
import { k6RunTimeLimitMs, runK6, type K6RunResult } from '../k6/run.js'
import { SliAggregator } from '../k6/stream-slis.js'
import { TimelineAggregator, timelineOptionsFor } from '../k6/timeline.js'
import { parseK6Summary } from '../k6/summary.js'
import { outputArgs, outputEnv } from '../outputs/config.js'
import { categoryScenarios } from '../plan/category-scenarios.js'
import { writeDatasetFile } from '../plan/dataset.js'
import { totalDurationMs } from '../plan/profiles.js'
import { checkTarget } from '../preflight.js'
import { resume, waitUntilPaused } from '../k6/rest-control.js'
import { SHARD_FILE_NAME, shardArtifactName } from './artifacts.js'
import { SHARD_SCRIPT_FILE, shardPlan } from './plan.js'
import { agreeOnStart, ShardWaitError, type Agreement } from './rendezvous.js'
import { executionSegmentArgs, shardLabel, type Shard } from './shard.js'
import { SHARD_FILE_KIND, type AggregatorState, type ShardFile } from './shard-file.js'
import type { ShardStore } from './store.js'

export interface ShardIo extends GateIo {
  store: ShardStore
  /** A copy of k6's raw JSON samples as they stream (for checks that compare with the merge). */
  rawSamples?: (chunk: Buffer) => void
}

export interface ShardTiming {
  /** Longest wait for k6 to get ready and for the other shards. Default 10 min. */
  waitMs: number
  pollMs: number
  marginMs: number
  /** A re-run's wait for a sign that every shard was re-run (src/shards/rendezvous.ts). Default 2 min. */
  rerunGraceMs?: number
}

export const DEFAULT_SHARD_TIMING: ShardTiming = { waitMs: 10 * 60_000, pollMs: 2_000, marginMs: 6_000 }

/** The default timing with the wait the user set (input shard-wait). */
export function shardTiming(waitMs: number | undefined): ShardTiming {
  return waitMs === undefined ? DEFAULT_SHARD_TIMING : { ...DEFAULT_SHARD_TIMING, waitMs }
}

/** Profiles judged over time: their shards also store the run in windows of time. */
export const OVER_TIME: ReadonlySet<string> = new Set(['stress', 'spike'])
/** Trend statistics k6 prints in the shard's own summary (kept for comparison with the merge). */
const SUMMARY_TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99)'

export interface ShardOutcome {
  file: ShardFile
  filePath: string
  /** k6's own end-of-test summary of this shard. */
  summaryPath: string
}

export async function runShard(config: Config, shard: Shard, io: ShardIo, timing: ShardTiming = DEFAULT_SHARD_TIMING): Promise<ShardOutcome> {
  const label = shardLabel(shard)
  const prepared = await shardPlan(config, shard.count, io.cwd)
  const { plan, fingerprint } = prepared
  for (const warning of prepared.warnings) io.warn(warning)
  const { attempt } = io.store
  io.log(
    `Shard ${label} of plan ${fingerprint}${attempt > 1 ? ` (attempt ${attempt})` : ''}: ${plan.endpoints.length} endpoint(s), profile ${plan.profile} against ${plan.baseUrl}`,
  )
  mkdirSync(io.workDir, { recursive: true })
  if (prepared.dataset) writeDatasetFile(io.workDir, prepared.dataset)
  const scriptPath = path.join(io.workDir, SHARD_SCRIPT_FILE)
  writeFileSync(scriptPath, prepared.script)
  for (const warning of await checkTarget(plan, { env: io.env, configFile: config.configFile, log: io.log })) io.warn(warning)
  const k6 = await io.ensureK6({ version: config.k6Version, log: io.log })

  const summaryPath = path.join(io.workDir, 'k6-summary.json')
  rmSync(summaryPath, { force: true })
  const aggregator = new SliAggregator({
    maxEndpoints: plan.endpoints.length,
    endpoints: plan.endpoints.map((e) => ({ method: e.endpoint.method, name: e.metricName })),
  })
  // Judged over time: the windows are counted from the agreed start, the same on every shard.
  const timeline = OVER_TIME.has(plan.profile) ? new TimelineAggregator({ ...timelineOptionsFor(totalDurationMs(plan.executor)), awaitStart: true }) : undefined
  const stop = new AbortController()
  const onCancel = (): void => stop.abort()
  io.signal?.addEventListener('abort', onCancel, { once: true })
  const address = `127.0.0.1:${await freeLocalPort()}`
  const plannedMs = k6RunTimeLimitMs(totalDurationMs(plan.executor), Math.max(...categoryScenarios(plan).map((s) => s.gracefulStopMs)))
  let finished: K6RunResult | undefined
  const running = runK6({
    k6Path: k6.path,
    scriptPath,
    summaryPath,
    cwd: io.workDir,
    env: { ...secretsEnv(plan, io.env), ...outputEnv(config.outputs, io.env) },
    onOutput: io.k6Output,
    rawOutput: {
      path: path.join(io.workDir, 'k6-output.json'),
      onChunk: (chunk) => {
        aggregator.write(chunk)
        timeline?.write(chunk)
        io.rawSamples?.(chunk)
      },
    },
    extraArgs: ['--paused', '--no-thresholds', '--summary-trend-stats', SUMMARY_TREND_STATS, ...executionSegmentArgs(shard), ...outputArgs(config.outputs)],
    apiAddress: address,
    timeLimitMs: plannedMs + 2 * timing.waitMs + timing.marginMs,
    signal: stop.signal,
    urgent: io.urgent,
  }).then((run) => (finished = run))

  let failure: string | undefined
  let agreement: Agreement | undefined
  let resumedAtMs: number | undefined
  try {
    const startedWaiting = Date.now()
    const paused = await waitUntilPaused(address, () => finished !== undefined || Date.now() - startedWaiting > timing.waitMs || stop.signal.aborted)
    if (!paused) {
      failure = finished ? undefined : `shard ${label}: k6 was not ready to start within ${Math.round(timing.waitMs / 1000)} s`
    } else {
      agreement = await agreeOnStart({ store: io.store, shard, fingerprint, workDir: io.workDir, ...timing, signal: stop.signal })
      const delay = agreement.resumeAtMs - Date.now()
      io.log(`Shard ${label}: all ${shard.count} shards ready; starting ${delay > 0 ? `in ${(delay / 1000).toFixed(1)} s` : 'now'}`)
      timeline?.startAt(agreement.resumeAtMs)
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
      resumedAtMs = Date.now()
      await resume(address)
    }
  } catch (err) {
    // Past the bound (ShardWaitError) or the store failing: this shard does not run alone.
    failure = err instanceof ShardWaitError ? err.message : `shard ${label}: ${err instanceof Error ? err.message : String(err)}`
    stop.abort()
  }
  const run = await running
  io.signal?.removeEventListener('abort', onCancel)
  aggregator.endRun()
  timeline?.end()

  let k6Version: string | null = null
  try {
    k6Version = parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath).k6Version ?? null
  } catch {
    // No summary: the run's outcome below says why.
  }
  failure ??= run.outcome.ran ? undefined : `shard ${label}: ${run.outcome.reason}`
  if (failure) io.warn(failure)
  else if (aggregator.requests === 0)
    io.warn(`shard ${label} sent no requests: its segment of the plan holds no VUs or iterations; use fewer shards or more load`)
  const file: ShardFile = {
    kind: SHARD_FILE_KIND,
    version: 1,
    shard: { index: shard.index, count: shard.count },
    plan_fingerprint: fingerprint,
    status: failure ? 'failed' : 'ok',
    ...(failure ? { reason: failure } : {}),
    k6_version: k6Version ?? k6.version,
    k6_exit_code: run.exitCode,
    ready_at_ms: agreement?.readyAtMs ?? null,
    resume_at_ms: agreement?.resumeAtMs ?? null,
    resumed_at_ms: resumedAtMs ?? null,
    wall_time_ms: run.wallTimeMs,
    stats: failure ? null : measuredFrom(aggregator.state(), resumedAtMs),
    timeline: failure || !timeline ? null : timeline.state(),
  }
  const filePath = path.join(io.workDir, SHARD_FILE_NAME)
  writeFileSync(filePath, `${JSON.stringify(file)}\n`)
  const artifactName = shardArtifactName(shard, fingerprint, attempt)
  await io.store.upload(artifactName, filePath)
  io.log(`Shard ${label}: ${file.status === 'ok' ? `${aggregator.requests} request(s) stored` : 'failure stored'} as ${artifactName}`)
  return { file, filePath, summaryPath }
}

/** The shard's time starts when it resumed: k6 reports vus_max while paused, which is no part of the load. */
function measuredFrom(state: AggregatorState, resumedAtMs: number | undefined): AggregatorState {
  if (resumedAtMs === undefined || state.first_ms === null || state.first_ms >= resumedAtMs) return state
  return { ...state, first_ms: state.last_ms === null ? null : Math.min(resumedAtMs, state.last_ms) }
}
