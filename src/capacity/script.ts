/**
 * The capacity run's k6 script: a small module beside the plan's own script that imports its
 * scenario functions and steps them through the levels, one `constant-vus` scenario per level with
 * its `startTime` and a `level` tag (templates/k6-capacity.js.hbs). Deterministic, like the plan's script.
 */
import { categoryScenarios } from '../plan/category-scenarios.js'
import type { TestPlan } from '../plan/plan.js'
import { weightedSchedule } from '../plan/profiles.js'
import { k6Duration, SUMMARY_TREND_STATS } from '../script/k6.js'
import { identifierHelper, templateRenderer } from '../script/templates.js'
import { LEVEL_GRACEFUL_STOP_MS, type ScheduledLevel } from './levels.js'

/** The custom metric each level's first iteration writes: the level's start, epoch ms. */
export const LEVEL_START_METRIC = 'perf_xi_level_start'
/** The tag every sample of a level carries. */
export const LEVEL_TAG = 'level'

export interface CapacityScriptMeta {
  title: string
  scriptName: string
  /** The plan's script, next to this one. */
  planScriptName: string
  /** Whether the plan's script exports setup() (it harvests values). */
  planHasSetup: boolean
  warmUpMs: number
}

export function renderCapacityScript(plan: TestPlan, schedule: readonly ScheduledLevel[], meta: CapacityScriptMeta): string {
  const scenarios = categoryScenarios(plan)
  const functions = scenarios.map((s) => s.name)
  const mix = weightedSchedule(
    scenarios.map((s) => s.share),
    20,
  ).map((i) => functions[i]!)
  return render({
    title: meta.title,
    scriptName: meta.scriptName,
    planScript: meta.planScriptName,
    planScriptImport: `./${meta.planScriptName}`,
    setup: meta.planHasSetup,
    warmUp: k6Duration(meta.warmUpMs),
    functions,
    mix,
    summaryTrendStats: SUMMARY_TREND_STATS,
    levels: schedule.map((l) => ({
      name: `level_${l.level}`,
      level: String(l.level),
      vus: l.vus,
      duration: k6Duration(l.durationMs),
      startTime: k6Duration(l.startMs),
      gracefulStop: k6Duration(LEVEL_GRACEFUL_STOP_MS),
    })),
  })
}

/** The think time of the run's mix (Little's law's Z): the categories' think times by their share. */
export function mixThinkTimeMs(plan: TestPlan): number {
  return categoryScenarios(plan).reduce((sum, s) => sum + s.share * s.thinkTimeMs, 0)
}

const render = templateRenderer('k6-capacity.js.hbs', {
  json: (value) =>
    JSON.stringify(value ?? null)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  comment: (value) => String(value ?? '').replace(/[\r\n\u2028\u2029]+/g, ' '),
  ident: identifierHelper(/^[A-Za-z_$][\w$]*$/, 'JavaScript'),
})
