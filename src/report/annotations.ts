/**
 * Annotations: each SLO breach (error) and near-breach (warning) pinned to the line of its limit
 * in the config file. GitHub shows at most 10 errors and 10 warnings per step (the action's budget,
 * src/action/annotation-budget.ts, counts every one the step emits), so the most severe come first
 * and the rest are summed up in the last slot left rather than silently dropped.
 * Annotations are plain text (the runner escapes them into its command): names are kept on one line.
 */
import type { ResultsFile } from '../results/schema.js'
import { describeCheck, type SloCheck } from '../verdict.js'
import { plainText } from './markdown.js'

export const MAX_PER_LEVEL = 10

export interface Annotation {
  level: 'error' | 'warning'
  title: string
  message: string
  file?: string
  line?: number
}

type Check = ResultsFile['slo_checks'][number]

/**
 * The run's annotations, most severe first, at most `room` per level (the last one counting the
 * rest); with no room at all, every one, for the caller's own budget to count.
 */
export function selectAnnotations(
  results: ResultsFile,
  configFile: string | undefined,
  room: Record<Annotation['level'], number> = { error: MAX_PER_LEVEL, warning: MAX_PER_LEVEL },
): Annotation[] {
  const at = (check: Check) => (configFile && check.line !== null ? { file: configFile, line: check.line } : {})
  const severity = (c: Check) => (c.actual === null ? Infinity : c.limit === 'min-rps' ? c.threshold / Math.max(c.actual, 1e-9) : c.actual / c.threshold)
  const bySeverity = (a: Check, b: Check) => severity(b) - severity(a)

  const errors: Annotation[] = [
    ...results.slo_checks
      .filter((c) => c.status === 'fail' || c.status === 'no-data')
      .sort(bySeverity)
      .map((c) => ({
        level: 'error' as const,
        title: `SLO ${c.status === 'fail' ? 'breached' : 'not measured'}: ${plainText(c.endpoint)}`,
        message: plainText(describeCheck(asCheck(c))),
        ...at(c),
      })),
  ]
  const warnings: Annotation[] = results.slo_checks
    .filter((c) => c.status === 'warn')
    .sort(bySeverity)
    .map((c) => ({
      level: 'warning' as const,
      title: `SLO close to its limit: ${plainText(c.endpoint)}`,
      message: plainText(describeCheck(asCheck(c))),
      ...at(c),
    }))

  // Regressions that fail the gate are errors; the others are warnings. They have no config line.
  for (const r of results.regressions) {
    const entry = { title: `Regression: ${plainText(r.endpoint)}`, message: plainText(`${r.endpoint}: ${r.reason}`) }
    if (results.ci_gate === 'fail' && results.verdict === 'fail') errors.push({ level: 'error', ...entry })
    else warnings.push({ level: 'warning', ...entry })
  }
  return [...capped(errors, 'error', room.error), ...capped(warnings, 'warning', room.warning)]
}

function capped(list: Annotation[], level: Annotation['level'], room: number): Annotation[] {
  if (list.length <= room || room < 1) return list
  const shown = list.slice(0, room - 1)
  const rest = list.length - shown.length
  return [
    ...shown,
    {
      level,
      title: `${rest} more`,
      message: `…and ${rest} more ${level === 'error' ? 'breaches' : 'warnings'}; every one is in the job summary and the results file`,
    },
  ]
}

function asCheck(c: Check): SloCheck {
  return { endpoint: c.endpoint, limit: c.limit as SloCheck['limit'], threshold: c.threshold, actual: c.actual, status: c.status }
}
