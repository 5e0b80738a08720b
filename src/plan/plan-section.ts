/**
 * The `plan` section of the results file (declared in src/results/schema.ts): every planned
 * endpoint with its category, why, SLO and where it came from, request, data and values; skipped
 * endpoints up to SKIPPED_LISTED_MAX; the categories' defaults and scenarios; the dataset. In the
 * file's snake_case. Pure: the plan and its analyses in, the section out.
 */
import type { SloLimits } from '../slo-config.js'
import { SKIPPED_LISTED_MAX, type EndpointCategory, type PlanSection } from '../results/schema.js'
import type { EndpointAnalysis } from './analysis.js'
import type { CategoriesConfig } from './categories-config.js'
import { categoryDefaults } from './category-defaults.js'
import type { CategoryScenario } from './category-scenarios.js'
import { describeDataRequest, type DatasetBinding } from './dataset.js'
import type { PlannedEndpoint, SkippedEndpoint } from './planned-endpoint.js'
import { peakTarget, peakVus } from './profiles.js'
import { describeSource, describeValue, valuesBesideDataset } from './values.js'

export interface PlanSectionOptions {
  categories?: CategoriesConfig
  dataset?: DatasetBinding
}

export function buildPlanSection(
  plan: { endpoints: readonly PlannedEndpoint[]; skipped: readonly SkippedEndpoint[]; scenarios: readonly CategoryScenario[] },
  analysis: readonly EndpointAnalysis[],
  opts: PlanSectionOptions = {},
): PlanSection {
  const planned = new Map(plan.endpoints.map((p) => [p.endpoint.key, p]))
  const skipped = new Map(plan.skipped.map((s) => [s.key, s.reason]))
  // Every planned endpoint is listed; skipped ones up to a cap, in the spec's order.
  let skippedListed = 0
  const listed = analysis.filter((a) => planned.has(a.key) || ++skippedListed <= SKIPPED_LISTED_MAX)
  const defaults = (c: EndpointCategory) => {
    const d = categoryDefaults(c, opts.categories)
    return { vus: d.vus, think_time_ms: d.thinkTimeMs, slo: definedLimits(d.slo) }
  }
  return {
    categories: { standard: defaults('standard'), critical: defaults('critical'), 'data-intensive': defaults('data-intensive') },
    scenarios: plan.scenarios.map((s) => {
      const open = s.executor.type.endsWith('arrival-rate')
      return {
        name: s.name,
        category: s.category,
        endpoints: s.endpoints.map((i) => plan.endpoints[i]!.endpoint.key),
        vus_per_endpoint: s.vusPerEndpoint,
        demand: s.demand,
        share: Number(s.share.toPrecision(6)),
        executor: s.executor.type,
        peak_vus: peakVus(s.executor),
        peak_rate: open ? peakTarget(s.executor) : null,
        think_time_ms: s.thinkTimeMs,
      }
    }),
    endpoints: listed.map((a) => {
      const p = planned.get(a.key)
      return {
        endpoint: a.key,
        method: a.method,
        path: a.path,
        category: a.category,
        forced_by: a.forcedBy ?? null,
        why: a.why,
        access: a.access,
        critical: a.critical.map((m) => `${m.keyword} (${m.fields.join(', ')})`),
        data_intensive: [...a.dataIntensive.map((m) => `${m.keyword} (${m.fields.join(', ')})`), ...a.dataSignals],
        auth_required: a.authRequired,
        complexity: {
          score: a.complexity.score,
          level: a.complexity.level,
          params: a.complexity.params,
          path_depth: a.complexity.pathDepth,
          body_bytes: a.complexity.bodyBytes,
          body_depth: a.complexity.bodyDepth,
        },
        weight: p?.weight ?? null,
        planned: p !== undefined,
        skipped_reason: p ? null : (skipped.get(a.key) ?? 'not planned'),
        auth_sent: p?.authenticated ?? false,
        slo: p ? definedLimits(p.slo.limits) : null,
        slo_from: p ? Object.fromEntries(Object.entries(p.slo.sources).map(([limit, source]) => [limit, source!.selector])) : null,
        request: p ? describeDataRequest(p, opts.dataset) : null,
        data: (opts.dataset?.endpoints[a.key] ?? []).map((v) => ({ name: v.name, in: v.in, column: v.column })),
        values: valuesBesideDataset(p?.values, opts.dataset?.endpoints[a.key] ?? []).map((v) => ({
          name: v.name,
          in: v.in,
          source: v.origin.kind,
          from: v.origin.kind === 'harvested' ? describeSource(v.origin.source) : null,
          why: v.origin.kind === 'invented' ? v.origin.why : null,
          note: describeValue(a.key, v),
        })),
      }
    }),
    dataset: opts.dataset
      ? {
          file: opts.dataset.file,
          format: opts.dataset.format,
          rows: opts.dataset.rowCount,
          columns: opts.dataset.columns,
          unused_columns: opts.dataset.unusedColumns,
        }
      : null,
    skipped_not_listed: analysis.length - listed.length,
  }
}

function definedLimits(limits: SloLimits): Record<string, number> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Record<string, number>
}
