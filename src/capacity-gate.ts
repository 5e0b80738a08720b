/**
 * The capacity mode (mode: capacity, --capacity): spec → plan → the plan's script and a stepping
 * script beside it → ONE k6 run through the concurrency levels, read per level as it streams
 * (src/k6/level-stream.ts) and stopped early through k6's REST API when a level is far past the
 * limits or `auto` has seen enough → the analysis (src/capacity/answers.ts) → results with their
 * capacity section. Shares GateIo and GateOutcome with src/gate.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { analyseCapacity } from './capacity/answers.js'
import { loadGeneratorFindings } from './capacity/generator.js'
import { levelSchedule, plannedDurationMs, stopAfter, LEVEL_GRACEFUL_STOP_MS, type StopDecision } from './capacity/levels.js'
import type { CapacityAnalysis, CapacityLevel, CapacityTargets } from './capacity/measurements.js'
import { mixThinkTimeMs, renderCapacityScript } from './capacity/script.js'
import { capacitySection, capacityTrend } from './capacity/section.js'
import { loadShapeHash } from './config/load-shape.js'
import type { Config } from './config/schema.js'
import type { RunContext } from './context.js'
import { UserError } from './errors.js'
import { prepareScript, SCRIPT_FILE, writeResults, type GateIo, type GateOutcome } from './gate.js'
import { isUnreadable } from './baseline/regression.js'
import { K6_EXIT_CODES } from './k6/exit-codes.js'
import { LevelAggregator } from './k6/level-stream.js'
import { freeLocalPort } from './k6/live-counters.js'
import { stopTest } from './k6/rest-control.js'
import { sliInputs } from './sli.js'
import { coresBetween, startCpuSampler, type CpuSampler } from './k6/process-cpu.js'
import { k6RunTimeLimitMs, runK6 } from './k6/run.js'
import type { TestPlan } from './plan/plan.js'
import { checkTarget } from './preflight.js'
import { buildResults } from './results/build.js'
import type { AnalysisSection, ResultsFile } from './results/schema.js'
import { authEnvNames } from './script/k6.js'
import type { Verdict } from './verdict.js'

export const CAPACITY_SCRIPT_FILE = 'perf-xi-capacity.js'
const SUMMARY_FILE = 'k6-summary.json'
const RAW_OUTPUT_FILE = 'k6-output.json'

export async function runCapacityGate(config: Config, context: RunContext, io: GateIo): Promise<GateOutcome> {
  const settings = config.capacity
  if (!settings) throw new UserError('capacity mode needs target-rps and target-p95')
  const { plan, meta, scriptPath: planScriptPath } = await prepareScript(config, io)
  const schedule = levelSchedule(settings)
  io.log(
    `Capacity: levels ${settings.levels.join(', ')} VUs${settings.auto ? ' (auto: stops once throughput stops growing)' : ''}, ${settings.levelDurationMs / 1000} s each (warm-up ${settings.warmUpMs / 1000} s)`,
  )
  const planScript = readFileSync(planScriptPath, 'utf8')
  const scriptPath = path.join(io.workDir, CAPACITY_SCRIPT_FILE)
  writeFileSync(
    scriptPath,
    renderCapacityScript(plan, schedule, {
      title: meta.title,
      scriptName: CAPACITY_SCRIPT_FILE,
      planScriptName: SCRIPT_FILE,
      // The plan's script exports setup() only when it harvests values.
      planHasSetup: /^export function setup\(/m.test(planScript),
      warmUpMs: settings.warmUpMs,
    }),
  )
  for (const warning of await checkTarget(plan, { env: io.env, configFile: config.configFile, log: io.log })) io.warn(warning)

  const k6 = await io.ensureK6({ version: config.k6Version, log: io.log })
  io.log(`Running k6 ${k6.version} (${k6.source}): ${scriptPath}`)
  const address = `127.0.0.1:${await freeLocalPort()}`
  let stopped: StopDecision | undefined
  const aggregator = new LevelAggregator({
    levels: schedule,
    warmUpMs: settings.warmUpMs,
    endpoints: sliInputs(plan),
    onLevelEnd: (level, measured) => {
      io.log(
        `Level ${level.level} (${level.vus} VUs): ${level.throughputRps.toFixed(1)} req/s, p95 ${level.p95Ms.toFixed(1)} ms, errors ${(level.errorRate * 100).toFixed(1)} %`,
      )
      if (stopped || level.level === schedule.length) return
      stopped = stopAfter(measured, settings)
      if (stopped) {
        io.log(`${stopped.reason}; stopping k6 through its REST API`)
        stopTest(address).catch((err: unknown) => io.warn(`could not stop k6 after ${stopped?.reason}: ${(err as Error).message}`))
      }
    },
  })
  let sampler: CpuSampler | undefined
  const env: Record<string, string> = { PERF_XI_BASE_URL: plan.baseUrl }
  for (const name of authEnvNames(plan.auth)) env[name] = io.env[name] ?? ''
  const startedAt = new Date()
  const run = await runK6({
    k6Path: k6.path,
    scriptPath,
    summaryPath: path.join(io.workDir, SUMMARY_FILE),
    cwd: io.workDir,
    env,
    onOutput: io.k6Output,
    rawOutput: { path: path.join(io.workDir, RAW_OUTPUT_FILE), onChunk: (chunk) => aggregator.write(chunk) },
    timeLimitMs: k6RunTimeLimitMs(plannedDurationMs(settings), LEVEL_GRACEFUL_STOP_MS),
    signal: io.signal,
    urgent: io.urgent,
    apiAddress: address,
    onSpawn: (pid) => (sampler = startCpuSampler(pid)),
  })
  const finishedAt = new Date()
  const cpuSamples = sampler?.stop() ?? []
  aggregator.end()
  const read = aggregator.result()
  // k6 takes a moment to stop: a level it began meanwhile is no level of this run.
  const levels = read.levels.filter((l) => stopped === undefined || l.level <= stopped.afterLevel)
  const unreadableLines = read.unreadableLines
  if (unreadableLines > 0) io.warn(`${unreadableLines} line(s) of k6's JSON output could not be read and were skipped`)
  const weStoppedIt = stopped !== undefined && run.exitCode === K6_EXIT_CODES.stoppedFromRestApi.code
  const runError = run.outcome.ran || weStoppedIt ? undefined : run.outcome.reason

  const starts = aggregator.starts
  const k6Cores = new Map<number, number>()
  for (const level of levels) {
    const start = starts.get(level.level)
    const cores = start === undefined ? null : coresBetween(cpuSamples, start + settings.warmUpMs, start + settings.levelDurationMs)
    if (cores !== null) k6Cores.set(level.level, cores)
  }

  const thinkTimeMs = mixThinkTimeMs(plan)
  let results = buildResults({
    context,
    config,
    plan,
    k6Version: k6.version,
    k6ExitCode: run.exitCode,
    startedAt,
    finishedAt,
    wallTimeMs: run.wallTimeMs,
    slis: [],
    total: totalOf(levels),
    verdict: { status: 'error', reasons: [], checks: [], endpointStatus: {} },
    gateFails: false,
  })
  results = {
    ...results,
    run: { ...results.run, profile: 'capacity', load_shape: `capacity:${loadShapeHash(config)}` },
    summary: { ...results.summary, vus_max: levels.at(-1)?.vus ?? null, planned_duration_ms: plannedDurationMs(settings) },
  }
  if (levels.length === 0) {
    const reason = runError ?? 'no level measured a request after its warm-up'
    return finish({ ...results, verdict: 'error', reasons: [`nothing was measured: ${reason}`] }, verdictGate('error', config), scriptPath, config, io)
  }

  const targets: CapacityTargets = {
    targetRps: settings.targetRps,
    targetP95Ms: settings.targetP95Ms,
    replicas: settings.replicas,
    replicaCost: settings.replicaCost,
    headroom: settings.headroom,
    thinkTimeMs,
    errorRateLimit: errorRateLimit(plan),
  }
  const analysis = analyseCapacity(levels, targets)
  const generator = loadGeneratorFindings({ levels, k6Cores, runnerCores: os.availableParallelism(), maxVus: config.maxVus })
  let section = capacitySection({ settings, thinkTimeMs, levels, k6Cores, stopped, generator, analysis })
  if (io.history) {
    const history = await io.history()
    // Only runs against the same target and endpoints (the same load shape) make a trend.
    const comparable = history.entries.filter((e): e is ResultsFile => !isUnreadable(e) && e.run.load_shape === results.run.load_shape)
    section = { ...section, trend: capacityTrend(section, comparable) }
  }
  const verdict = capacityVerdict(section, runError)
  const modelAnalysis = await capacityAnalysis(analysis, levels, plan, config, io)
  return finish(
    { ...results, verdict: verdict.status, reasons: verdict.reasons, capacity: section, ...(modelAnalysis ? { analysis: modelAnalysis } : {}) },
    verdictGate(verdict.status, config, section),
    scriptPath,
    config,
    io,
  )
}

/**
 * The optional model-written analysis beside the figures (it never changes one). Without a key
 * nothing is sent and one line says so; the rule-based recommendations stand alone.
 */
async function capacityAnalysis(
  analysis: CapacityAnalysis,
  levels: CapacityLevel[],
  plan: TestPlan,
  config: Config,
  io: GateIo,
): Promise<AnalysisSection | undefined> {
  if (!config.analysis.apiKey) {
    io.log('Claude analysis: none (no anthropic-api-key); the recommendations above are rule-based')
    return undefined
  }
  if (levels.length === 0) return undefined
  const { capacityModelAnalysis } = await import('./analyst/analyse.js')
  const summaries = Object.fromEntries(plan.endpoints.map((p) => [p.endpoint.key, p.endpoint.summary ?? '']))
  return capacityModelAnalysis(analysis, levels, {
    settings: config.analysis,
    summaries,
    log: io.log,
    warn: io.warn,
    provider: { signal: io.signal, baseURL: io.env.ANTHROPIC_BASE_URL || undefined },
  })
}

function finish(results: ResultsFile, gateFails: boolean, scriptPath: string, config: Config, io: GateIo): GateOutcome {
  const final: ResultsFile = { ...results, ci_gate: gateFails ? 'fail' : 'pass' }
  return { results: final, scriptPath, resultsPath: writeResults(final, config, io) }
}

/** pass: the current replicas serve the target; fail: they do not; warn: no figure could be given. */
export function capacityVerdict(section: NonNullable<ResultsFile['capacity']>, runError?: string): Pick<Verdict, 'status' | 'reasons'> {
  const notes = [
    ...(section.stopped_early ? [section.stopped_early.reason] : []),
    ...(runError ? [`k6 did not finish the run (${runError}); the levels it measured are reported`] : []),
  ]
  if (section.load_generator.limited) {
    return {
      status: 'warn',
      reasons: [`the load generator, not the API, limited this run: ${section.load_generator.findings.map((f) => f.detail).join('; ')}`, ...notes],
    }
  }
  const capacity = `capacity ${fmt(section.current_capacity_rps ?? 0)} req/s within p95 ${section.target_p95_ms} ms`
  const perReplicas = `with ${section.replicas} replica${section.replicas === 1 ? '' : 's'}`
  if (section.target_met_with_current_replicas)
    return { status: 'pass', reasons: [`target ${fmt(section.target_rps)} req/s is within reach ${perReplicas}: ${capacity}`, ...notes] }
  const needed = section.replicas_needed === null ? 'no replica count serves it' : `${section.replicas_needed} replicas needed`
  return { status: 'fail', reasons: [`target ${fmt(section.target_rps)} req/s is out of reach ${perReplicas}: ${capacity}; ${needed}`, ...notes] }
}

function verdictGate(status: ResultsFile['verdict'], config: Config, section?: NonNullable<ResultsFile['capacity']>): boolean {
  if (config.failOn === 'never') return false
  if (status === 'error') return true
  return config.failOn === 'capacity' && section?.target_met_with_current_replicas === false
}

/** The strictest error-rate SLO of the plan's endpoints (1 % by default), as a fraction. */
function errorRateLimit(plan: TestPlan): number {
  const limits = plan.endpoints.map((p) => p.slo.limits['error-rate']).filter((v): v is number => v !== undefined)
  return (limits.length > 0 ? Math.min(...limits) : 1) / 100
}

function totalOf(levels: readonly CapacityLevel[]) {
  const requests = levels.reduce((sum, l) => sum + l.requests, 0)
  const failures = levels.reduce((sum, l) => sum + l.failures, 0)
  const seconds = levels.reduce((sum, l) => sum + l.measuredSeconds, 0)
  return {
    requests,
    rps: seconds > 0 ? Math.round((requests / seconds) * 1000) / 1000 : null,
    avg_ms: null,
    p50_ms: null,
    p90_ms: null,
    p95_ms: null,
    p99_ms: null,
    max_ms: null,
    error_rate_pct: requests > 0 ? Math.round((failures / requests) * 100_000) / 1000 : null,
    vus_max: levels.at(-1)?.vus ?? null,
  }
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}
