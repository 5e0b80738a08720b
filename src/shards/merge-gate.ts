/**
 * `mode: merge`: the shard files of this workflow run merged into one run's SLIs (histograms and
 * counters added, src/k6/stream-slis.ts), then the same judging as a single run: SLOs, baseline
 * and regressions (without the confirmation re-run: the shards' load cannot be re-run from here;
 * without drift: shards keep no per-endpoint windows), and the results file that the action reports
 * and stores like any other. All shards come from one attempt of the workflow run, the latest that
 * stored shards: a re-run of every job merges its own, a merge job re-run alone the attempt's before.
 */
import path from 'node:path'
import type { Config } from '../config/schema.js'
import type { RunContext } from '../context.js'
import { judgeOverTime, judgeWithHistory, writeResults, type GateIo, type GateOutcome } from '../gate.js'
import { planFailures, planSlis, SliAggregator } from '../k6/stream-slis.js'
import { TimelineAggregator, timelineOptionsFor } from '../k6/timeline.js'
import { totalDurationMs } from '../plan/profiles.js'
import { buildPlanSection } from '../plan/plan-section.js'
import { buildResults } from '../results/build.js'
import { evaluateSlos, gateFails, withProfileCriteria } from '../verdict.js'
import { judgesDrift } from '../verdict/drift.js'
import { downloadShardFile, shardItems } from './artifacts.js'
import { checkShards, shardPlanOf } from './merge.js'
import { shardPlan } from './plan.js'
import { OVER_TIME } from './run-shard.js'
import type { ShardFile } from './shard-file.js'
import type { ShardStore } from './store.js'
import { sliInputs } from '../sli.js'

export async function runMergeGate(config: Config, context: RunContext, io: GateIo & { store: ShardStore }): Promise<GateOutcome> {
  if (config.htmlReport) io.warn('html-report: the merge job runs no k6, so there is no web dashboard report of a sharded run')
  const { attempt, files } = await downloadShardFiles(io.store, path.join(io.workDir, 'shards'))
  const { count } = shardPlanOf(files)
  const prepared = await shardPlan(config, count, io.cwd)
  const { plan } = prepared
  const checked = checkShards(files, prepared.fingerprint, attempt)
  const from =
    attempt === io.store.attempt ? (attempt > 1 ? ` of attempt ${attempt}` : '') : ` of attempt ${attempt} (no shard ran in attempt ${io.store.attempt})`
  io.log(`Merging ${checked.states.length} of ${count} shard(s) of plan ${checked.fingerprint}${from}`)

  const merged = SliAggregator.merged(checked.states, { endpoints: plan.endpoints.map((e) => ({ method: e.endpoint.method, name: e.metricName })) })
  const streamed = merged.result()
  for (const warning of streamed.warnings) io.warn(warning)
  const keyed = sliInputs(plan)
  const slis = planSlis(streamed, keyed)
  const runError = checked.problems.length > 0 ? `sharded run incomplete: ${checked.problems.join('; ')}` : undefined
  const timelines = files.flatMap((f) => (f.status === 'ok' && f.timeline ? [f.timeline] : []))
  const timeline =
    OVER_TIME.has(plan.profile) && timelines.length === checked.states.length && timelines.length > 0
      ? TimelineAggregator.merged(timelines, timelineOptionsFor(totalDurationMs(plan.executor))).result()
      : undefined
  const phases = judgeOverTime(plan, { timeline, runError }, config.phases, io)
  const sloVerdict = evaluateSlos({ slis: slis.endpoints, total: slis.total, slos: new Map(plan.endpoints.map((p) => [p.endpoint.key, p.slo])), runError })
  const verdict = phases.spike ? withProfileCriteria(sloVerdict, [phases.spike.spike_errors, phases.spike.recovery]) : sloVerdict
  const state = merged.state()
  const ran = files.filter((f) => f.status === 'ok')
  let results = buildResults({
    context,
    config,
    plan,
    k6Version: ran[0]?.k6_version ?? files[0]?.k6_version ?? null,
    k6ExitCode: files.map((f) => f.k6_exit_code).find((code) => code !== 0) ?? 0,
    startedAt: new Date(state.first_ms ?? Date.now()),
    finishedAt: new Date(state.last_ms ?? Date.now()),
    wallTimeMs: Math.max(0, ...files.map((f) => f.wall_time_ms)),
    slis: slis.endpoints,
    total: slis.total,
    verdict,
    gateFails: gateFails(verdict.status, config.failOn),
    planSection: buildPlanSection(plan, plan.analysis, { categories: config.categories, dataset: prepared.dataset }),
    stress: phases.stress,
    spike: phases.spike,
  })
  // A run one runner would judge for drift is not judged here (max-drift is refused with shard: src/config/load.ts).
  const driftUnjudged = judgesDrift(plan.profile, plan.executor, config.drift)
  results = { ...results, shards: driftUnjudged ? { ...checked.section, drift_judged: false } : checked.section }
  if (checked.section.start_skew_ms !== null) io.log(`Shards started within ${checked.section.start_skew_ms} ms of each other`)
  if (driftUnjudged) io.log('Drift is not judged in a sharded run: the shards keep no per-endpoint windows; run a soak test on one runner to judge it')

  if (io.history && results.verdict !== 'error') io.log('Regressions are judged on the merged run alone: a sharded run has no confirmation re-run')
  results = await judgeWithHistory(results, config, io, {
    confirm: async () => undefined,
    failures: planFailures(streamed, keyed),
    plan,
  })
  return { results, plan, scriptPath: `${count} shards of plan ${checked.fingerprint}`, resultsPath: writeResults(results, config, io) }
}

/**
 * Every shard file of the latest attempt that stored any, never a mix of attempts (they ran apart);
 * an unreadable one is a bad artifact, named.
 */
async function downloadShardFiles(store: ShardStore, dir: string): Promise<{ attempt: number; files: ShardFile[] }> {
  const stored = shardItems(await store.list()).filter((s) => s.kind === 'shard')
  const attempt = Math.max(1, ...stored.map((s) => s.attempt))
  const files: ShardFile[] = []
  for (const s of stored) if (s.attempt === attempt) files.push(await downloadShardFile(store, s.item, dir, 'mode merge'))
  return { attempt, files }
}
