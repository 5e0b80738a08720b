/**
 * The pipeline, stage by stage: spec → plan → script → preflight → k6 run → SLIs → verdict → results.
 * Shared by the action (src/main.ts) and the local CLI (src/cli.ts); I/O comes in through GateIo.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Config } from './config/schema.js'
import { htmlReportEnv, outputArgs, outputEnv, type K6Output } from './outputs/config.js'
import { fsReason, UserError } from './errors.js'
import type { EnsureK6Options, K6Binary } from './k6/install.js'
import { k6RunTimeLimitMs, runK6, type K6RunRequest, type K6RunResult } from './k6/run.js'
import { K6_EXIT_CODES } from './k6/exit-codes.js'
import { freeLocalPort, startLiveCounters, type LiveSeries } from './k6/live-counters.js'
import { judgeLiveness, type AnswerCounts, type AnswerSample, type LivenessFinding } from './liveness.js'
import type { Timeline } from './k6/timeline.js'
import { parseK6Summary, type K6Summary } from './k6/summary.js'
import { buildPlan, type TestPlan } from './plan/plan.js'
import { categoryScenarios } from './plan/category-scenarios.js'
import { totalDurationMs } from './plan/profiles.js'
import { breakpointReport, testDurationMs } from './verdict/breakpoint.js'
import type { PhaseLimits } from './plan/phase-config.js'
import { judgeSpike, judgeStress } from './verdict/phase-criteria.js'
import { spikeSection, stressSection } from './verdict/phase-sections.js'
import { judgeDrift, judgesDrift, type DriftReport, type EndpointWindows } from './verdict/drift.js'
import { driftSection } from './verdict/drift-section.js'
import { buildPlanSection } from './plan/plan-section.js'
import { loadDataset, writeDatasetFile, type DatasetBinding } from './plan/dataset.js'
import { valueLines } from './plan/values.js'
import { combinedExitCode, resolveUserScriptSlos, scriptJudgements } from './user-scripts/judge.js'
import { runUserScripts } from './user-scripts/run.js'
import { checkTarget } from './preflight.js'
import { buildResults } from './results/build.js'
import type { ResultsFile, SloRecommendations, SpikeSection, StressSection, EndpointSli } from './results/schema.js'
import type { RunContext } from './context.js'
import type { PullRequestAnalysisIo } from './analyst/analyse.js'
import { authEnvNames, hasPerEndpointThresholds, renderK6Script } from './script/k6.js'
import { callsOf, computeSlis, REDIRECT_METRICS, sliInputs } from './sli.js'
import { loadSpec } from './spec/load.js'
import { evaluateSlos, gateFails, withProfileCriteria, type ProfileCriterion } from './verdict.js'
import { toErrorBudgetConfig, toRegressionOptions } from './baseline/options.js'
import { computeErrorBudget } from './baseline/error-budget.js'
import { judge } from './baseline/judge.js'
import type { BaselineHistory } from './baseline/history.js'
import { candidatesForConfirmation, compareWithBaseline, isUnreadable, type HistoryEntry } from './baseline/regression.js'
import { diagnosisSection, planTraits, type EndpointFailures } from './analyst/diagnosis.js'
import { failuresFromSummary } from './analyst/failure-counts.js'
import { measuredEndpoints, recommendSlos, slosInForceFromResolved, withSloRecommendations } from './analyst/slo-recommendations.js'
import { loadShapeHash } from './config/load-shape.js'
import { cloudEnvOverrides, cloudScriptOptions } from './cloud/config.js'
import { cloudRunLink } from './cloud/run.js'

export interface GateIo {
  /** The workspace: relative paths in the config resolve here. */
  cwd: string
  /** Where the generated script and k6's summary are written. */
  workDir: string
  /** The environment auth secrets are read from. */
  env: NodeJS.ProcessEnv
  log: (line: string) => void
  warn: (line: string) => void
  /** k6's own console output. */
  k6Output: (text: string) => void
  ensureK6: (opts: Pick<EnsureK6Options, 'version' | 'log' | 'installIfMissing'>) => Promise<K6Binary>
  /** Earlier runs of the base branch, where a store is available (GitHub artifacts, cache, a local folder). */
  history?: () => Promise<BaselineHistory>
  /**
   * Cancellation: k6 is stopped (it writes its summary) and the run ends with verdict error,
   * "cancelled", judged on what was measured so far; `urgent` stops k6 without waiting for it.
   */
  signal?: AbortSignal
  urgent?: AbortSignal
  /** A pull request's run: what it changes and whether it comes from a fork, for the model-written analysis of its regressions. */
  pullRequest?: Pick<PullRequestAnalysisIo, 'changes' | 'fromFork' | 'provider'>
}

export interface GateOutcome {
  results: ResultsFile
  /** The generated plan; absent when the user's own scripts ran. */
  plan?: TestPlan
  scriptPath: string
  resultsPath: string
  /** The Locust or JMeter file, when format asks for one. */
  exportPath?: string
  /** k6's web dashboard report, with html-report. */
  htmlReportPath?: string
}

export const SCRIPT_FILE = 'perf-xi-script.js'
const CONFIRMATION_SCRIPT_FILE = 'perf-xi-confirmation.js'
const SUMMARY_FILE = 'k6-summary.json'
export const HTML_REPORT_FILE = 'perf-xi-report.html'
/** Where k6 writes its raw samples for the timeline or a large plan's SLIs: a named pipe, or a file read as it grows. */
const RAW_OUTPUT_FILE = 'k6-output.json'

export async function runGate(config: Config, context: RunContext, io: GateIo): Promise<GateOutcome> {
  if (config.scripts) return runScriptsGate(config, config.scripts, context, io)
  const { plan, dataset, meta, scriptPath, exportPath } = await prepareScript(config, io)

  // An installed k6 is looked up while the target is probed (a tenth of a second the user no longer
  // waits for); installing one waits until the target has answered. Its lines print after the probes',
  // and a target that fails its probes still waits for the lookup, so no `k6 version` outlives the run.
  const lookupLines: string[] = []
  const installedK6 = io.ensureK6({ version: config.k6Version, log: (line) => lookupLines.push(line), installIfMissing: false }).catch(() => undefined)
  const targetWarnings = await checkTarget(plan, { env: io.env, configFile: config.configFile, log: io.log }).finally(() => installedK6)
  for (const warning of targetWarnings) io.warn(warning)

  const found = await installedK6
  if (found) for (const line of lookupLines) io.log(line)
  const k6 = found ?? (await io.ensureK6({ version: config.k6Version, log: io.log }))
  io.log(`Running k6 ${k6.version} (${k6.source}): ${scriptPath}`)
  const startedAt = new Date()
  const drift = judgesDrift(plan.profile, plan.executor, config.drift)
  const htmlReportPath = config.htmlReport ? path.join(io.workDir, HTML_REPORT_FILE) : undefined
  const measured = await measure(plan, scriptPath, k6.path, io, {
    timeline: PROFILES_OVER_TIME.has(plan.profile),
    drift: drift ? { windowMs: config.drift.windowMs } : undefined,
    outputs: config.outputs,
    htmlReportPath,
    cloudLocal: config.cloud.runner === 'cloud-local',
    cloudEnv: cloudEnvOverrides(config.cloud),
  })
  const finishedAt = new Date()

  const phases = judgeOverTime(plan, measured, config.phases, io)
  const sloVerdict = evaluateSlos({
    slis: measured.slis.endpoints,
    total: measured.slis.total,
    slos: new Map(plan.endpoints.map((p) => [p.endpoint.key, p.slo])),
    runError: measured.runError,
    findings: measured.liveness?.findings,
  })
  // The spike profile's criteria count like SLOs; the stress profile's breaking point is a finding.
  const driftReport = measured.endpointWindows && !measured.runError ? judgeDrift(measured.endpointWindows, plan.executor, config.drift) : undefined
  if (driftReport) io.log(`Drift: ${driftReport.reason}`)
  // With max-drift, drift counts like an SLO; without it, it is a finding only.
  const driftCriteria = driftReport && config.drift.maxDriftPct !== undefined ? [driftCriterion(driftReport.status, driftReport.reason)] : []
  const profileCriteria = [...(phases.spike ? [phases.spike.spike_errors, phases.spike.recovery] : []), ...driftCriteria]
  const verdict = profileCriteria.length > 0 ? withProfileCriteria(sloVerdict, profileCriteria) : sloVerdict
  let results = buildResults({
    context,
    config,
    plan,
    k6Version: measured.k6Version ?? k6.version,
    k6ExitCode: measured.exitCode,
    startedAt,
    finishedAt,
    wallTimeMs: measured.wallTimeMs,
    slis: measured.slis.endpoints,
    total: measured.slis.total,
    verdict,
    gateFails: gateFails(verdict.status, config.failOn),
    breakpoint: breakpointReport(plan.executor, { exitCode: measured.exitCode, summary: measured.summary, wallTimeMs: measured.wallTimeMs }),
    planSection: buildPlanSection(plan, plan.analysis, { categories: config.categories, dataset }),
    stress: phases.stress,
    spike: phases.spike,
    liveness: measured.liveness,
  })
  if (driftReport) results = { ...results, drift: driftSection(driftReport) }
  if (measured.cloudLink) {
    if (!measured.cloudLink.testRunId) io.warn('runner cloud-local: k6 printed no Grafana Cloud k6 run address; the run is not linked')
    results = { ...results, cloud: cloudLocalSection(measured.cloudLink) }
  }

  results = await judgeWithHistory(results, config, io, {
    confirm: async (endpoints) => {
      // Candidates are measured once more, alone, under the same profile, before being called regressed.
      const confirmPlan = { ...plan, endpoints: plan.endpoints.filter((p) => endpoints.includes(p.endpoint.key)) }
      const confirmScript = path.join(io.workDir, CONFIRMATION_SCRIPT_FILE)
      writeFileSync(confirmScript, renderK6Script(confirmPlan, { ...meta, scriptName: CONFIRMATION_SCRIPT_FILE }, dataset))
      io.log(`Re-measuring ${endpoints.length} endpoint(s) that look slower than the baseline: ${endpoints.join(', ')}`)
      const again = await measure(confirmPlan, confirmScript, k6.path, io)
      return again.runError || again.liveness?.findings.length ? undefined : again.slis.endpoints
    },
    failures: measured.failures,
    plan,
  })

  const htmlReport = htmlReportPath && existsSync(htmlReportPath) ? { htmlReportPath } : {}
  if (htmlReportPath && !htmlReport.htmlReportPath) io.warn('html-report: k6 wrote no HTML report (its dashboard needs a run of a few seconds at least)')
  return { results, plan, scriptPath, resultsPath: writeResults(results, config, io), exportPath, ...htmlReport }
}

/**
 * Spec → plan → the generated script (and dataset, export) in the work directory; for the Grafana
 * Cloud k6 runners the script carries options.cloud. Shared by the local and the cloud gate.
 */
export async function prepareScript(
  config: Config,
  io: Pick<GateIo, 'cwd' | 'workDir' | 'log' | 'warn'>,
): Promise<{
  plan: TestPlan
  dataset?: DatasetBinding
  meta: { title: string; source: string; cloud?: Record<string, unknown> }
  scriptPath: string
  exportPath?: string
}> {
  const spec = await loadSpec(config.openapi, { cwd: io.cwd })
  const plan = buildPlan(config, spec)
  for (const warning of plan.warnings) io.warn(warning)
  io.log(`Planned ${plan.endpoints.length} endpoint(s) of ${spec.endpoints.length} in ${spec.source}; profile ${plan.profile} against ${plan.baseUrl}`)

  mkdirSync(io.workDir, { recursive: true })
  const dataset = config.dataset ? loadDataset(config.dataset, plan.endpoints, { cwd: io.cwd }) : undefined
  for (const warning of dataset?.warnings ?? []) io.warn(warning)
  if (dataset) writeDatasetFile(io.workDir, dataset)
  for (const line of valueLines(plan.endpoints, dataset)) io.log(line)
  const title = `${spec.title} ${spec.version}`.trim()
  const cloud = cloudScriptOptions(config.cloud, title)
  const meta = { title, source: spec.source, ...(cloud ? { cloud } : {}) }
  const scriptPath = path.join(io.workDir, SCRIPT_FILE)
  writeFileSync(scriptPath, renderK6Script(plan, { ...meta, scriptName: SCRIPT_FILE }, dataset))
  const exportPath = await writeExport(config.format, plan, meta, io.workDir)
  return { plan, dataset, meta, scriptPath, exportPath }
}

/**
 * The user's own k6 scripts instead of a generated one: per-endpoint SLIs from k6's name, url and
 * method tags, aggregated while k6 streams its samples, judged by the same SLOs and baselines.
 */
async function runScriptsGate(config: Config, scripts: string[], context: RunContext, io: GateIo): Promise<GateOutcome> {
  const k6 = await io.ensureK6({ version: config.k6Version, log: io.log })
  io.log(`Running ${scripts.length} k6 script(s) with k6 ${k6.version} (${k6.source})`)
  const env: Record<string, string> = config.baseUrl ? { PERF_XI_BASE_URL: config.baseUrl } : {}
  for (const name of config.scriptEnv) if (io.env[name] !== undefined) env[name] = io.env[name] as string
  const startedAt = new Date()
  const measured = await runUserScripts({
    k6Path: k6.path,
    scripts,
    env,
    workDir: io.workDir,
    cwd: io.cwd,
    onOutput: io.k6Output,
    signal: io.signal,
    urgent: io.urgent,
  })
  const finishedAt = new Date()
  for (const warning of measured.warnings) io.warn(warning)
  const { slos, unmatched } = resolveUserScriptSlos(measured.slis, config.slos)
  for (const selector of unmatched) io.warn(`SLO ${JSON.stringify(selector)} matches no endpoint the scripts requested`)
  const verdict = withProfileCriteria(
    evaluateSlos({ slis: measured.slis, total: measured.total, slos, runError: measured.runError }),
    scriptJudgements(measured.runs),
  )
  let results = buildResults({
    context,
    config,
    k6Version: k6.version,
    k6ExitCode: combinedExitCode(measured.runs),
    startedAt,
    finishedAt,
    wallTimeMs: measured.wallTimeMs,
    slis: measured.slis,
    total: measured.total,
    verdict,
    gateFails: gateFails(verdict.status, config.failOn),
  })
  // The scripts are the user's: they are not re-run piecemeal, so a suspect change is judged on one run.
  results = await judgeWithHistory(results, config, io, { confirm: async () => undefined, failures: measured.failures })
  return { results, scriptPath: scripts.join(', '), resultsPath: writeResults(results, config, io) }
}

/**
 * After the verdict: the comparison with the base branch's runs (regressions, change points, SLO
 * recommendations), the diagnosis of what breached or regressed, and on a pull request the optional
 * model-written analysis. Shared by generated runs, the user's scripts and merged shards.
 */
export async function judgeWithHistory(
  results: ResultsFile,
  config: Config,
  io: GateIo,
  run: { confirm: Parameters<typeof compareWithHistory>[3]; failures: EndpointFailures[]; plan?: TestPlan },
): Promise<ResultsFile> {
  const history = io.history && results.verdict !== 'error' ? await io.history() : undefined
  if (history) {
    results = await compareWithHistory(results, history, config, run.confirm)
    results = withSloRecommendations(results, history, { margin: config.sloRecommendations?.margin })
  }
  const diagnosis = diagnosisSection({
    results,
    history: comparableRuns(history, results),
    failures: run.failures,
    ...(run.plan ? { traits: planTraits(run.plan) } : {}),
  })
  if (diagnosis) results = { ...results, diagnosis }
  const summaries = Object.fromEntries((run.plan?.endpoints ?? []).map((p) => [p.endpoint.key, p.endpoint.summary ?? '']))
  return withPullRequestAnalysis(results, summaries, config, io)
}

/**
 * After the verdict, on a pull request: the model-written analysis of what regressed or breached,
 * beside the figures (never changing one). The SDK loads only when there is a key or a fork to note.
 */
async function withPullRequestAnalysis(results: ResultsFile, summaries: Record<string, string>, config: Config, io: GateIo): Promise<ResultsFile> {
  if (!io.pullRequest || !(config.analysis.apiKey || io.pullRequest.fromFork)) return results
  const { pullRequestModelAnalysis } = await import('./analyst/analyse.js')
  const provider = { baseURL: io.env.ANTHROPIC_BASE_URL || undefined, ...io.pullRequest.provider, signal: io.signal }
  const analysis = await pullRequestModelAnalysis(results, { ...io.pullRequest, provider, settings: config.analysis, summaries, log: io.log, warn: io.warn })
  return analysis ? { ...results, analysis } : results
}

/** The results file where the config says (also the capacity mode's, src/capacity-gate.ts). */
export function writeResults(results: ResultsFile, config: Config, io: GateIo): string {
  const resultsPath = path.resolve(io.cwd, config.resultsFile)
  try {
    mkdirSync(path.dirname(resultsPath), { recursive: true })
    writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`)
  } catch (err) {
    throw new UserError(`input results-file: cannot write ${resultsPath}: ${fsReason(err)} (the verdict was ${results.verdict})`)
  }
  return resultsPath
}

export const EXPORT_FILES = { locust: 'perf-xi-locustfile.py', jmeter: 'perf-xi-plan.jmx' } as const

/** The same plan for Locust or JMeter, written next to the k6 script; k6 still runs the gate. */
export async function writeExport(format: Config['format'], plan: TestPlan, meta: { title: string; source: string }, dir: string): Promise<string | undefined> {
  if (format === 'k6') return undefined
  const file = path.join(dir, EXPORT_FILES[format])
  const scriptMeta = { ...meta, scriptName: EXPORT_FILES[format] }
  const text =
    format === 'locust'
      ? (await import('./export/locust.js')).renderLocustfile(plan, scriptMeta)
      : (await import('./export/jmeter.js')).renderJmeterPlan(plan, scriptMeta)
  writeFileSync(file, text)
  return file
}

/** The plan alone (mode plan, --plan): spec, plan and dataset binding, with nothing run. */
export async function planOnly(config: Config, cwd: string): Promise<{ plan: TestPlan; dataset?: DatasetBinding }> {
  const spec = await loadSpec(config.openapi, { cwd })
  const plan = buildPlan(config, spec)
  return { plan, dataset: config.dataset ? loadDataset(config.dataset, plan.endpoints, { cwd }) : undefined }
}

/**
 * mode recommend-slos (CLI --recommend-slos): SLOs proposed from the history, nothing run. The SLOs
 * in force are the plan's, or for your own scripts the config's rules on the endpoints the history
 * measured. A history too short to recommend from is a UserError saying how many runs are needed.
 */
export async function recommendSlosFromHistory(config: Config, cwd: string, history: BaselineHistory): Promise<SloRecommendations> {
  const resolved = config.scripts
    ? resolveUserScriptSlos(measuredEndpoints(history), config.slos).slos
    : new Map((await planOnly(config, cwd)).plan.endpoints.map((p) => [p.endpoint.key, p.slo]))
  const recommendations = recommendSlos({
    history,
    loadShape: loadShapeHash(config),
    inForce: slosInForceFromResolved(resolved),
    endpoints: config.scripts ? undefined : [...resolved.keys()],
    margin: config.sloRecommendations?.margin,
  })
  if (recommendations.status === 'too-few-runs') throw new UserError(recommendations.headline)
  return recommendations
}

async function compareWithHistory(
  results: ResultsFile,
  history: BaselineHistory,
  config: Config,
  remeasure: (endpoints: string[]) => Promise<EndpointSli[] | undefined>,
): Promise<ResultsFile> {
  const options = toRegressionOptions(config.baseline, results.run.profile)
  const { comparable, otherShape } = splitByLoadShape(history.entries, results.run.load_shape)
  if (otherShape > 0) {
    history = {
      ...history,
      entries: comparable,
      notes: [
        ...history.notes,
        `${otherShape} earlier run${otherShape === 1 ? '' : 's'} with another load shape (profile, VUs, duration, endpoints or target) left out: not comparable`,
      ],
    }
  }
  let report = compareWithBaseline(results.slis, history.entries, options)
  const candidates = candidatesForConfirmation(report)
  let confirmed: string[] = []
  if (candidates.length > 0) {
    const confirmation = await remeasure(candidates)
    if (confirmation) {
      report = compareWithBaseline(results.slis, history.entries, { ...options, confirmation })
      confirmed = candidates
    }
  }
  const budgetConfig = toErrorBudgetConfig(config.errorBudget)
  const budget = budgetConfig ? computeErrorBudget(results, history.entries, budgetConfig) : undefined
  return judge(results, {
    baseline: { report, source: history.source, branch: history.branch, notes: history.notes, confirmedWithRerun: confirmed },
    budget,
    failOn: config.failOn,
  })
}

/** The readable earlier runs of this run's load shape. */
function comparableRuns(history: BaselineHistory | undefined, results: ResultsFile): ResultsFile[] {
  return splitByLoadShape(history?.entries ?? [], results.run.load_shape).comparable.filter((e): e is ResultsFile => !isUnreadable(e))
}

/** Earlier runs of another load shape are no baseline; files from before the shape was recorded are kept. */
function splitByLoadShape(entries: HistoryEntry[], shape: string | null): { comparable: HistoryEntry[]; otherShape: number } {
  const comparable = entries.filter((e) => isUnreadable(e) || e.run.load_shape === null || shape === null || e.run.load_shape === shape)
  return { comparable, otherShape: entries.length - comparable.length }
}

/**
 * Profiles judged over time, not only on the whole run: for them k6 also streams its raw samples
 * (`--out json`, which costs k6 CPU for every sample) into a timeline. Other profiles run without
 * it, unless the plan is too large for per-endpoint thresholds (hasPerEndpointThresholds).
 */
const PROFILES_OVER_TIME: ReadonlySet<string> = new Set(['stress', 'spike'])

interface Measurement {
  slis: ReturnType<typeof computeSlis>
  runError?: string
  exitCode: number | null
  wallTimeMs: number
  k6Version?: string
  summary?: K6Summary
  /** The run in windows of time, where asked for. */
  timeline?: Timeline
  /** Failed answers per endpoint by kind, counted by the script (src/analyst/failure-counts.ts). */
  failures: EndpointFailures[]
  /** Each endpoint in windows of time, for the drift judgement. */
  endpointWindows?: EndpointWindows
  /** Whether the run measured what it planned: answers over time and what was found in them. */
  liveness?: NonNullable<ResultsFile['liveness']> & { findings: LivenessFinding[] }
  /** runner cloud-local: the Grafana Cloud k6 run k6 streamed to, from the address it printed. */
  cloudLink?: { testRunId?: string; url?: string }
}

/** One k6 run of a plan's script, read back as SLIs (and, with `timeline`, in windows of time). */
async function measure(
  plan: TestPlan,
  scriptPath: string,
  k6Path: string,
  io: GateIo,
  opts: {
    timeline?: boolean
    drift?: { windowMs?: number }
    outputs?: readonly K6Output[]
    htmlReportPath?: string
    cloudLocal?: boolean
    cloudEnv?: Record<string, string>
  } = {},
): Promise<Measurement> {
  const summaryPath = path.join(io.workDir, SUMMARY_FILE)
  rmSync(summaryPath, { force: true })
  // The histogram modules load only for the runs that read k6's raw samples.
  const timelines = opts.timeline ? await import('./k6/timeline.js') : undefined
  const aggregator = timelines && new timelines.TimelineAggregator(timelines.timelineOptionsFor(totalDurationMs(plan.executor)))
  // Above the cap the script has no per-endpoint thresholds: SLIs come from k6's streamed samples.
  // cloud-local too: its SLIs come from the local stream, beside what k6 sends to Grafana Cloud k6.
  const streaming = hasPerEndpointThresholds(plan) && !opts.cloudLocal ? undefined : await import('./k6/stream-slis.js')
  const streamed =
    streaming &&
    new streaming.SliAggregator({
      maxEndpoints: plan.endpoints.length,
      endpoints: plan.endpoints.map((e) => ({ method: e.endpoint.method, name: e.metricName })),
    })
  const drifts = opts.drift ? await import('./k6/endpoint-windows.js') : undefined
  // Drift windows: soak.window, else as long as the run's timeline windows (at most 360 of them).
  const driftWindowMs = opts.drift && (opts.drift.windowMs ?? (await import('./k6/timeline.js')).timelineOptionsFor(totalDurationMs(plan.executor)).windowMs)
  const windowsAggregator =
    drifts && driftWindowMs !== undefined
      ? new drifts.EndpointWindowAggregator({
          windowMs: driftWindowMs,
          maxWindows: Math.ceil((totalDurationMs(plan.executor) + DRIFT_OVERRUN_MS) / driftWindowMs) + 1,
          endpoints: plan.endpoints.map((e) => ({ key: e.endpoint.key, method: e.endpoint.method, name: e.metricName })),
        })
      : undefined
  const raws = [aggregator, streamed, windowsAggregator].filter((r) => r !== undefined)
  // k6 prints the cloud run's address in its banner (not printed with --quiet).
  const cloudLink = opts.cloudLocal ? cloudLinkWatcher() : undefined
  const { run, series, exitedAtMs } = await runWatched(plan, {
    k6Path,
    scriptPath,
    summaryPath,
    cwd: io.workDir,
    env: {
      ...secretsEnv(plan, io.env),
      ...outputEnv(opts.outputs ?? [], io.env),
      ...opts.cloudEnv,
      ...(opts.htmlReportPath ? htmlReportEnv(opts.htmlReportPath, totalDurationMs(plan.executor)) : {}),
    },
    extraArgs: outputArgs(opts.outputs ?? []),
    onOutput: cloudLink ? (text) => (cloudLink.watch(text), io.k6Output(text)) : io.k6Output,
    quiet: !cloudLink,
    rawOutput: raws.length > 0 ? { path: path.join(io.workDir, RAW_OUTPUT_FILE), onChunk: (chunk) => raws.forEach((r) => r.write(chunk)) } : undefined,
    timeLimitMs: k6RunTimeLimitMs(totalDurationMs(plan.executor), Math.max(...categoryScenarios(plan).map((s) => s.gracefulStopMs))),
    signal: io.signal,
    urgent: io.urgent,
  })
  aggregator?.end()
  streamed?.endRun()
  const timeline = aggregator?.result()
  windowsAggregator?.end()
  const endpointWindows = windowsAggregator?.result()
  for (const warning of endpointWindows?.warnings ?? []) io.warn(warning)
  const streamedSlis = streamed?.result()
  for (const warning of [...(timeline?.warnings ?? []), ...(streamedSlis?.warnings ?? [])]) io.warn(warning)
  const { summary, runError } = readSummary(run, summaryPath)
  const keyed = sliInputs(plan)
  const endpointKeys = keyed.map((e) => e.key)
  return {
    slis:
      streaming && streamedSlis ? streaming.planSlis(streamedSlis, keyed) : computeSlis(summary ?? { format: 'legacy', metrics: {} }, keyed, run.wallTimeMs),
    runError,
    // The script's counters, or, for a plan too large for them and streamed, k6's tags.
    failures: streaming && streamedSlis ? streaming.planFailures(streamedSlis, keyed) : summary ? failuresFromSummary(summary, endpointKeys) : [],
    exitCode: run.exitCode,
    wallTimeMs: run.wallTimeMs,
    k6Version: summary?.k6Version,
    summary,
    timeline,
    endpointWindows,
    liveness: summary && !runError ? judgeRun(plan, run, summary, series, exitedAtMs) : undefined,
    ...(cloudLink ? { cloudLink: cloudLink.link() } : {}),
  }
}

/** Reads k6's console output as it comes until the line with the cloud run's address (the first 64 KiB at most). */
function cloudLinkWatcher(): { watch: (text: string) => void; link: () => { testRunId?: string; url?: string } } {
  let seen = ''
  let found: { testRunId?: string; url?: string } = {}
  return {
    watch: (text) => {
      if (found.testRunId || seen.length > 65_536) return
      seen += text
      // Whole lines only: a chunk may end inside the run's id.
      found = cloudRunLink(seen.slice(0, seen.lastIndexOf('\n') + 1))
    },
    link: () => found,
  }
}

function cloudLocalSection(link: { testRunId?: string; url?: string }): NonNullable<ResultsFile['cloud']> {
  return { runner: 'cloud-local', test_run_id: link.testRunId ?? null, url: link.url ?? null, status: null, result: null, message: null, load_zones: [] }
}

/**
 * k6 with its REST API on a free local port, read while it runs (src/k6/live-counters.ts). The
 * port may be taken between choosing and k6 binding it: k6 then exits 106 at once, and one more
 * port is tried.
 */
async function runWatched(plan: TestPlan, request: K6RunRequest): Promise<{ run: K6RunResult; series: LiveSeries; exitedAtMs: number }> {
  const endpoints = plan.endpoints.map((p) => ({ key: p.endpoint.key, metricName: p.metricName }))
  for (let attempt = 1; ; attempt++) {
    const address = `127.0.0.1:${await freeLocalPort()}`
    const counters = startLiveCounters({ address, endpoints })
    const run = await runK6({ ...request, apiAddress: address })
    const exitedAtMs = Date.now()
    const series = await counters.stop()
    if (run.exitCode !== K6_EXIT_CODES.cannotStartRestApi.code || attempt === 2) return { run, series, exitedAtMs }
  }
}

/** The run's answers over time, ending with k6's own totals, judged against the plan (src/liveness.ts). */
function judgeRun(plan: TestPlan, run: K6RunResult, summary: K6Summary, series: LiveSeries, exitedAtMs: number): NonNullable<Measurement['liveness']> {
  const counts = (filter: string): AnswerCounts => {
    const sent = summary.metrics[`http_reqs${filter}`]?.count ?? 0
    const hops = summary.metrics[`${REDIRECT_METRICS.hops}${filter}`]?.count ?? 0
    return { requests: callsOf(sent, hops), failed: Math.round(sent * (summary.metrics[`http_req_failed${filter}`]?.rate ?? 0)) }
  }
  const final: AnswerSample | undefined =
    series.originEpochMs === undefined
      ? undefined
      : {
          atMs: exitedAtMs - series.originEpochMs,
          total: counts(''),
          ...(series.perEndpoint ? { endpoints: Object.fromEntries(plan.endpoints.map((p) => [p.endpoint.key, counts(`{name:${p.metricName}}`)])) } : {}),
        }
  const errorRateLimits = plan.endpoints.map((p) => p.slo.limits['error-rate']).filter((v): v is number => v !== undefined)
  // k6's test-run duration counts setup(); the plan's duration is the load's.
  const testRunMs = testDurationMs(summary)
  const measuredDurationMs = testRunMs === undefined ? undefined : Math.max(0, testRunMs - series.setupMs)
  const droppedIterations = summary.metrics.dropped_iterations?.count ?? 0
  const findings = judgeLiveness({
    executor: plan.executor,
    samples: series.samples,
    final,
    measuredDurationMs,
    stoppedAtSlo: plan.executor.abortOnFail !== undefined && run.exitCode === K6_EXIT_CODES.thresholdsFailed.code,
    droppedIterations,
    errorRateLimitPct: errorRateLimits.length > 0 ? Math.min(...errorRateLimits) : undefined,
    thinkTimeMs: Object.fromEntries(plan.endpoints.map((p) => [p.endpoint.key, plan.categoryLoad[p.category].thinkTimeMs])),
  })
  return {
    measured_duration_ms: measuredDurationMs ?? null,
    samples: series.samples.length,
    per_endpoint: series.perEndpoint,
    dropped_iterations: droppedIterations,
    findings,
  }
}

/** The stress profile's breaking point and the spike profile's criteria, from the run's timeline; none when k6 did not run properly. */
export function judgeOverTime(
  plan: TestPlan,
  measured: Pick<Measurement, 'timeline' | 'runError'>,
  limits: PhaseLimits,
  io: GateIo,
): { stress?: StressSection; spike?: SpikeSection } {
  if (!measured.timeline || measured.runError) return {}
  if (plan.profile === 'stress') {
    const stress = stressSection(judgeStress(measured.timeline, plan.executor, limits.stress))
    io.log(`Stress: ${stress.reason}; ${stress.recovery.reason}`)
    return { stress }
  }
  if (plan.profile === 'spike') {
    const spike = spikeSection(judgeSpike(measured.timeline, plan.executor, limits.spike))
    io.log(`${spike.spike_errors.reason}; ${spike.recovery.reason}`)
    return { spike }
  }
  return {}
}

/** k6 may run past the plan while iterations finish: drift windows are kept this much longer. */
const DRIFT_OVERRUN_MS = 120_000

function driftCriterion(status: DriftReport['status'], reason: string): ProfileCriterion {
  return { status: status === 'fail' ? 'fail' : status === 'too-few-windows' ? 'no-data' : 'pass', reason }
}

/** The base URL and the auth secrets: the only things the script reads from its environment. */
export function secretsEnv(plan: TestPlan, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = { PERF_XI_BASE_URL: plan.baseUrl }
  for (const name of authEnvNames(plan.auth)) out[name] = env[name] ?? ''
  return out
}

function readSummary(run: K6RunResult, summaryPath: string): { summary?: K6Summary; runError?: string } {
  const runError = run.outcome.ran ? undefined : run.outcome.reason
  if (!existsSync(summaryPath)) {
    return { runError: runError ?? `k6 exited with code ${run.exitCode} but wrote no summary to ${summaryPath}` }
  }
  try {
    return { summary: parseK6Summary(readFileSync(summaryPath, 'utf8'), summaryPath), runError }
  } catch (err) {
    if (err instanceof UserError) return { runError: runError ?? err.toString() }
    throw err
  }
}
