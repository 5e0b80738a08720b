/**
 * runner: cloud. The generated script runs with `k6 cloud run` on Grafana Cloud k6's load zones;
 * the action then follows the test run through Grafana's API until it has completed (its metrics
 * processed), reads each endpoint's figures from it, and judges, stores and reports them like a
 * local run. How a cloud run ends (k6's exit code, Grafana's result) decides an `error` verdict.
 */
import { CLOUD_ENV, cloudEnvOverrides } from './cloud/config.js'
import { CloudApi, CloudApiError, DEFAULT_CLOUD_API_URL, type CloudTestRun } from './cloud/api.js'
import { byName, CLOUD_FIGURES, cloudSlis, type CloudFigures, type FigureKey } from './cloud/figures.js'
import { runCloudTest, type CloudRunResult } from './cloud/run.js'
import type { Config } from './config/schema.js'
import type { RunContext } from './context.js'
import { UserError } from './errors.js'
import { judgeWithHistory, prepareScript, writeResults, type GateIo, type GateOutcome } from './gate.js'
import { K6_EXIT_CODES } from './k6/exit-codes.js'
import { CANCELLED_REASON, k6RunTimeLimitMs } from './k6/run.js'
import { outputEnv } from './outputs/config.js'
import { buildPlanSection } from './plan/plan-section.js'
import { totalDurationMs } from './plan/profiles.js'
import { buildResults } from './results/build.js'
import type { CloudSection } from './results/schema.js'
import { NO_REQUESTS, sliInputs, type RunSli } from './sli.js'
import type { EndpointSli } from './results/schema.js'
import { evaluateSlos, gateFails } from './verdict.js'

export async function runCloudGate(config: Config, context: RunContext, io: GateIo): Promise<GateOutcome> {
  const { plan, dataset, scriptPath, exportPath } = await prepareScript(config, io)
  const authenticated = plan.endpoints.filter((p) => p.authenticated).map((p) => p.endpoint.key)
  if (authenticated.length > 0)
    throw new UserError(
      `runner cloud: ${authenticated.join(', ')} ${authenticated.length === 1 ? 'needs' : 'need'} ${plan.auth.type} auth, whose secret would be written into the test archive uploaded to Grafana Cloud k6; exclude ${authenticated.length === 1 ? 'it' : 'them'} or use runner: cloud-local (k6 here, results streamed to Grafana)`,
    )
  const k6 = await io.ensureK6({ version: config.k6Version, log: io.log })
  io.log(`Running k6 ${k6.version} (${k6.source}) cloud run on Grafana Cloud k6: ${scriptPath}`)
  const startedAt = new Date()
  const plannedMs = totalDurationMs(plan.executor)
  const run = await runCloudTest({
    k6Path: k6.path,
    scriptPath,
    cwd: io.workDir,
    env: { ...outputEnv(['cloud'], io.env), ...cloudEnvOverrides(config.cloud) },
    // The base URL goes into the archive (Grafana's load zones read it from there); it holds no secret.
    scriptEnv: { PERF_XI_BASE_URL: plan.baseUrl },
    onOutput: io.k6Output,
    // Queueing and starting on Grafana's side count too.
    timeLimitMs: k6RunTimeLimitMs(plannedMs) + config.cloud.waitMs,
    signal: io.signal,
    urgent: io.urgent,
  })
  if (run.url) io.log(`Grafana Cloud k6 test run: ${run.url}`)

  const followed = run.testRunId ? await follow(run.testRunId, config, io) : {}
  const finishedAt = new Date()
  const keyed = sliInputs(plan)
  const durationMs = followed.testRun?.execution_duration ? followed.testRun.execution_duration * 1000 : plannedMs
  const slis: { endpoints: EndpointSli[]; total: RunSli } = followed.figures
    ? cloudSlis(followed.figures, keyed, durationMs)
    : { endpoints: [], total: { ...NO_REQUESTS, rps: null, vus_max: null } }
  const runError = cloudRunError(run, followed)
  const verdict = evaluateSlos({
    slis: slis.endpoints,
    total: slis.total,
    slos: new Map(plan.endpoints.map((p) => [p.endpoint.key, p.slo])),
    runError,
  })
  let results = buildResults({
    context,
    config,
    plan,
    k6Version: k6.version,
    k6ExitCode: run.exitCode,
    startedAt,
    finishedAt,
    wallTimeMs: run.wallTimeMs,
    slis: slis.endpoints,
    total: slis.total,
    verdict,
    gateFails: gateFails(verdict.status, config.failOn),
    planSection: buildPlanSection(plan, plan.analysis, { categories: config.categories, dataset }),
  })
  results = { ...results, cloud: cloudSection(run, followed.testRun, config) }
  // Grafana ran the test: a suspect regression cannot be re-measured alone from here.
  results = await judgeWithHistory(results, config, io, { confirm: async () => undefined, failures: [], plan })
  return { results, plan, scriptPath, resultsPath: writeResults(results, config, io), exportPath }
}

interface Followed {
  testRun?: CloudTestRun
  figures?: CloudFigures
  /** The API's failure, one line with Grafana's message. */
  apiError?: string
}

/** The test run followed until Grafana has completed it, then its figures; an API failure is kept as the run's error. */
async function follow(testRunId: string, config: Config, io: GateIo): Promise<Followed> {
  const api = new CloudApi({
    baseUrl: io.env.K6_CLOUD_HOST_V6 || io.env[CLOUD_ENV.host] || DEFAULT_CLOUD_API_URL,
    token: io.env[CLOUD_ENV.token] ?? '',
    stackId: io.env[CLOUD_ENV.stackId] ?? '',
    signal: io.signal,
    log: io.log,
  })
  let testRun: CloudTestRun | undefined
  try {
    testRun = await api.waitForCompletion(testRunId, {
      timeoutMs: config.cloud.waitMs,
      onStatus: (r) => io.log(`Grafana Cloud k6 test run ${testRunId}: ${r.status}${r.result ? ` (${r.result})` : ''}`),
    })
    if (testRun.status !== 'completed' || testRun.result === 'error') return { testRun }
    return { testRun, figures: await readFigures(api, testRunId) }
  } catch (err) {
    if (err instanceof CloudApiError) return { testRun, apiError: err.message }
    throw err
  }
}

async function readFigures(api: CloudApi, id: string): Promise<CloudFigures> {
  const figures = {} as Record<FigureKey, CloudFigures[FigureKey]>
  for (const { key, metric, query } of CLOUD_FIGURES) {
    const perName = await api.aggregate(id, byName(query), metric)
    const total = await api.aggregate(id, query, metric)
    figures[key] = {
      byName: new Map(perName.filter((s) => s.labels.name !== undefined).map((s) => [s.labels.name!, s.value])),
      total: total[0]?.value ?? null,
    }
  }
  return figures
}

/** Grafana's own words on how the run ended. */
function grafanaMessage(testRun: CloudTestRun | undefined): string | undefined {
  return testRun?.result_details?.message ?? testRun?.status_details?.extra?.message ?? undefined
}

/** Why the run cannot be judged on its figures, or undefined when it can. */
export function cloudRunError(run: CloudRunResult, followed: Followed): string | undefined {
  const message = grafanaMessage(followed.testRun)
  const withMessage = (text: string) => (message && !text.includes(message) ? `${text}: ${message}` : text)
  if (!run.outcome.ran && run.outcome.reason === CANCELLED_REASON) return withMessage('Grafana Cloud k6: cancelled')
  if (!run.outcome.ran) {
    // 97 and 98 are Grafana's verdicts on the run, not k6's: its own message says more than k6's.
    const code = run.exitCode === K6_EXIT_CODES.cloudTestRunFailed.code || run.exitCode === K6_EXIT_CODES.cloudFailedToGetProgress.code
    return `Grafana Cloud k6: ${withMessage(code ? `${K6_EXIT_CODES[run.exitCode === 97 ? 'cloudTestRunFailed' : 'cloudFailedToGetProgress'].meaning} (exit code ${run.exitCode})` : run.outcome.reason)}`
  }
  if (!run.testRunId) return 'Grafana Cloud k6: k6 printed no test run address, so its figures cannot be read'
  if (followed.apiError) return followed.apiError
  if (followed.testRun?.status === 'aborted') return withMessage(`Grafana Cloud k6 aborted test run ${run.testRunId}`)
  if (followed.testRun?.result === 'error') return withMessage(`Grafana Cloud k6 ended test run ${run.testRunId} with an error`)
  return undefined
}

function cloudSection(run: CloudRunResult, testRun: CloudTestRun | undefined, config: Config): CloudSection {
  return {
    runner: 'cloud',
    test_run_id: run.testRunId ?? null,
    url: run.url ?? null,
    status: testRun?.status ?? null,
    result: testRun?.result ?? null,
    message: grafanaMessage(testRun) ?? null,
    load_zones: (testRun?.distribution?.length ? testRun.distribution : config.cloud.loadZones.map((z) => ({ load_zone: z.zone, percent: z.percent }))).map(
      (d) => ({
        zone: d.load_zone,
        percent: d.percent,
      }),
    ),
  }
}
