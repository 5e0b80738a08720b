/**
 * `mode: plan` / `--plan`: the test plan as a table, before anything runs. One row per planned
 * endpoint: its category and why, whether auth is sent, its traffic weight, the SLO it will be
 * judged by and the request it will send; then one row per category's scenario: its endpoints,
 * its share of the load, its peak and its think time. Pure functions of the plan and its analysis.
 */
import { analysesFor, type EndpointAnalysis } from '../plan/analysis.js'
import { SKIPPED_LISTED_MAX } from '../results/schema.js'
import type { CategoryScenario } from '../plan/category-scenarios.js'
import { describeDataRequest, type DatasetBinding } from '../plan/dataset.js'
import type { TestPlan } from '../plan/plan.js'
import type { PlannedEndpoint } from '../plan/planned-endpoint.js'
import { peakTarget, type Executor } from '../plan/profiles.js'
import { valueLines } from '../plan/values.js'
import { fmtDuration, fmtLimit, fmtLimitMs } from '../format/numbers.js'
import { mdText, plainText } from './markdown.js'
import { fitSummary } from './summary.js'

export interface PlanTableOptions {
  /** The bound dataset, so data-filled values show as {data:column}. */
  dataset?: DatasetBinding
  /** Console cells longer than this are cut with "…" (Markdown keeps them whole). Default 60. */
  maxCellWidth?: number
}

const HEADER = ['Endpoint', 'Category', 'Why', 'Auth', 'Weight', 'SLO', 'Request'] as const
const LIMIT_ORDER = ['p50', 'p90', 'p95', 'p99', 'max', 'error-rate', 'min-rps'] as const
/** Marks a limit that comes from the category's defaults rather than an SLO of the config. */
const CATEGORY_MARK = '*'

interface Row {
  cells: string[]
  /** Whether any limit of the row came from a category default. */
  categoryLimit: boolean
}

function rows(plan: TestPlan, analysis: readonly EndpointAnalysis[], opts: PlanTableOptions): Row[] {
  const analyses = analysesFor(plan, analysis)
  // A weight is a share of its category's requests: the categories' shares come from their VUs.
  const categoryWeight = (category: string) => plan.endpoints.filter((p) => p.category === category).reduce((sum, p) => sum + p.weight, 0)
  return plan.endpoints.map((planned, i) => {
    const a = analyses[i]!
    const weight = planned.weight
    const { text, categoryLimit } = sloText(planned)
    return {
      cells: [
        planned.endpoint.key,
        a.forcedBy ? `${a.category} (forced)` : a.category,
        a.why,
        a.authRequired ? 'required' : planned.authenticated ? 'sent' : '–',
        `${fmtLimit(weight)}× (${fmtLimit(Math.round((weight / categoryWeight(planned.category)) * 1000) / 10)}%)`,
        text,
        describeDataRequest(planned, opts.dataset),
      ],
      categoryLimit,
    }
  })
}

function sloText(planned: PlannedEndpoint): { text: string; categoryLimit: boolean } {
  const { limits, sources } = planned.slo
  let categoryLimit = false
  const parts: string[] = []
  for (const name of LIMIT_ORDER) {
    const value = limits[name]
    if (value === undefined) continue
    const fromCategory = sources[name]?.selector.startsWith('category:') ?? false
    categoryLimit ||= fromCategory
    const mark = fromCategory ? CATEGORY_MARK : ''
    if (name === 'error-rate') parts.push(`errors < ${fmtLimit(value)}%${mark}`)
    else if (name === 'min-rps') parts.push(`≥ ${fmtLimit(value)} req/s${mark}`)
    else parts.push(`${name} < ${fmtLimitMs(value)}${mark}`)
  }
  return { text: parts.length > 0 ? parts.join(', ') : 'none', categoryLimit }
}

function describeExecutor(executor: Executor): string {
  const total = (stages: ReadonlyArray<{ durationMs: number }>) => fmtDuration(stages.reduce((sum, s) => sum + s.durationMs, 0))
  const peak = (stages: ReadonlyArray<{ target: number }>) => Math.max(0, ...stages.map((s) => s.target))
  switch (executor.type) {
    case 'constant-vus':
      return `${executor.vus} VUs for ${fmtDuration(executor.durationMs)}`
    case 'ramping-vus':
      return `ramping up to ${peak(executor.stages)} VUs over ${total(executor.stages)}`
    case 'constant-arrival-rate':
      return `${executor.rate} iterations/s for ${fmtDuration(executor.durationMs)} (up to ${executor.maxVus} VUs)`
    case 'ramping-arrival-rate':
      return `ramping up to ${peak(executor.stages)} iterations/s over ${total(executor.stages)} (up to ${executor.maxVus} VUs)`
    default:
      return (executor as { type: string }).type
  }
}

function headline(plan: TestPlan): string {
  const skipped = plan.skipped.length > 0 ? `, ${plan.skipped.length} skipped` : ''
  return `Perf-Xi plan (nothing was run): ${plan.endpoints.length} endpoint${plan.endpoints.length === 1 ? '' : 's'}${skipped}; profile ${plan.profile}, ${describeExecutor(plan.executor)}, against ${plan.baseUrl}`
}

function datasetLine(dataset: DatasetBinding | undefined): string | undefined {
  if (!dataset) return undefined
  const unused = dataset.unusedColumns.length > 0 ? `; unused columns: ${dataset.unusedColumns.join(', ')}` : ''
  return `Dataset ${dataset.file}: ${dataset.rowCount} row${dataset.rowCount === 1 ? '' : 's'} (${dataset.format}), {data:column} values come from it, one row per round of operations${unused}`
}

const VALUES_TITLE = 'Values the spec does not give (harvested in setup() from the API, or invented):'

const CATEGORY_NOTE = `${CATEGORY_MARK} from the category's recommended SLO: no SLO of the config sets this limit.`
const WEIGHT_NOTE = "Weight: the endpoint's share of its category's requests."
const SCENARIOS_TITLE =
  "Load by category: each runs as its own k6 scenario, on a share of the profile's load in proportion to its endpoints (by weight) × VUs per endpoint:"

const SCENARIO_HEADER = ['Scenario', 'Endpoints', 'Share', 'Peak', 'Think time'] as const

/** One row per category's scenario: its endpoints, its share of the load, its peak and think time. */
function scenarioRows(plan: TestPlan): string[][] {
  return plan.scenarios.map((s) => [
    s.name,
    s.endpoints.map((i) => plan.endpoints[i]!.endpoint.key).join(', '),
    `${fmtLimit(Math.round(s.share * 1000) / 10)}% (${s.endpoints.length} × ${s.vusPerEndpoint} VUs${weighted(plan, s) ? ', weighted' : ''})`,
    scenarioPeak(s.executor),
    s.thinkTimeMs === 0 ? 'none' : s.thinkTimeMs < 1000 ? `${s.thinkTimeMs}ms` : fmtDuration(s.thinkTimeMs),
  ])
}

function weighted(plan: TestPlan, scenario: CategoryScenario): boolean {
  return scenario.endpoints.some((i) => plan.endpoints[i]!.weight !== 1)
}

function scenarioPeak(executor: Executor): string {
  if (executor.type === 'constant-vus' || executor.type === 'ramping-vus') {
    const vus = peakTarget(executor)
    return `${vus} VU${vus === 1 ? '' : 's'}`
  }
  return `${peakTarget(executor)} iterations/s (up to ${executor.maxVus} VU${executor.maxVus === 1 ? '' : 's'})`
}

/** The plan for the console: an aligned plain-text table, then skipped endpoints, the dataset and warnings. */
export function renderPlanTable(plan: TestPlan, analysis: readonly EndpointAnalysis[], opts: PlanTableOptions = {}): string {
  const max = opts.maxCellWidth ?? 60
  const table = rows(plan, analysis, opts)
  const cut = (raw: string) => {
    const text = plainText(raw)
    return text.length > max ? `${text.slice(0, max - 1)}…` : text
  }
  const cells = table.map((r) => r.cells.map(cut))
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  const out = [plainText(headline(plan)), '', line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)]
  out.push('')
  if (table.some((r) => r.categoryLimit)) out.push(CATEGORY_NOTE)
  const scenarios = scenarioRows(plan).map((row) => row.map(cut))
  const scenarioWidths = SCENARIO_HEADER.map((h, i) => Math.max(h.length, ...scenarios.map((c) => c[i]!.length)))
  const scenarioLine = (row: readonly string[]) =>
    row
      .map((c, i) => c.padEnd(scenarioWidths[i]!))
      .join('  ')
      .trimEnd()
  out.push(
    WEIGHT_NOTE,
    '',
    SCENARIOS_TITLE,
    scenarioLine(SCENARIO_HEADER),
    scenarioLine(scenarioWidths.map((w) => '-'.repeat(w))),
    ...scenarios.map(scenarioLine),
  )
  const data = datasetLine(opts.dataset)
  if (data) out.push('', plainText(data))
  const values = valueLines(plan.endpoints, opts.dataset)
  if (values.length > 0) out.push('', VALUES_TITLE, ...values.map((v) => `  ${plainText(v)}`))
  if (plan.skipped.length > 0) {
    out.push('', 'Skipped:')
    for (const s of plan.skipped) out.push(`  ${plainText(`${s.key}: ${s.reason}`)}`)
  }
  const warnings = [...plan.warnings, ...(opts.dataset?.warnings ?? [])]
  if (warnings.length > 0) {
    out.push('', 'Warnings:')
    for (const w of warnings) out.push(`  ${plainText(w)}`)
  }
  return out.join('\n')
}

/**
 * The same plan as Markdown (job summary): every cell escaped for GitHub, skipped endpoints named
 * up to a cap and then counted, the whole within the job summary's size limit.
 */
export function renderPlanMarkdown(plan: TestPlan, analysis: readonly EndpointAnalysis[], opts: PlanTableOptions = {}): string {
  const table = rows(plan, analysis, opts)
  const out = [`## 🗺️ ${mdText(headline(plan))}`, '']
  out.push(`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`)
  for (const r of table) out.push(`| ${r.cells.map(mdText).join(' | ')} |`)
  out.push('')
  if (table.some((r) => r.categoryLimit)) out.push(mdText(CATEGORY_NOTE), '')
  out.push(mdText(WEIGHT_NOTE), '', mdText(SCENARIOS_TITLE), '', `| ${SCENARIO_HEADER.join(' | ')} |`, `|${SCENARIO_HEADER.map(() => '---').join('|')}|`)
  for (const row of scenarioRows(plan)) out.push(`| ${row.map(mdText).join(' | ')} |`)
  out.push('')
  const data = datasetLine(opts.dataset)
  if (data) out.push(mdText(data), '')
  const values = valueLines(plan.endpoints, opts.dataset)
  if (values.length > 0) out.push(mdText(VALUES_TITLE), '', ...values.map((v) => `- ${mdText(v)}`), '')
  if (plan.skipped.length > 0) {
    out.push(`<details><summary>Skipped ${plan.skipped.length} endpoint${plan.skipped.length === 1 ? '' : 's'}</summary>`, '')
    for (const s of plan.skipped.slice(0, SKIPPED_LISTED_MAX)) out.push(`- ${mdText(s.key)}: ${mdText(s.reason)}`)
    if (plan.skipped.length > SKIPPED_LISTED_MAX) out.push(`- and ${plan.skipped.length - SKIPPED_LISTED_MAX} more`)
    out.push('', '</details>', '')
  }
  const warnings = [...plan.warnings, ...(opts.dataset?.warnings ?? [])]
  if (warnings.length > 0) {
    for (const w of warnings) out.push(`- ⚠️ ${mdText(w)}`)
    out.push('')
  }
  return fitSummary(out.join('\n'))
}
