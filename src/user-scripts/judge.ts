/** The SLOs, exit code and judgements of user scripts' runs, from the config's rules and k6's outcomes. */
import type { Config } from '../config/schema.js'
import { mergeSloRules, type ResolvedSlo } from '../plan/plan.js'
import { selectorKind } from '../plan/selector.js'
import type { EndpointSli } from '../sli.js'
import type { ProfileCriterion } from '../verdict.js'
import type { K6Outcome } from '../k6/exit-codes.js'

/** One user script's k6 run, as judging needs it. */
export interface UserScriptRun {
  /** The script as given. */
  script: string
  exitCode: number | null
  outcome: K6Outcome
  /** One line for the user when the script did not run properly: "load/a.js:3:9: the script threw …". */
  error?: string
  wallTimeMs: number
  /** HTTP requests this script made. */
  requests: number
  /** k6's own end-of-test summary export (legacy format) for this script, where k6 wrote one. */
  summaryPath?: string
}

/**
 * The SLO of each endpoint a user script hit, from the config's rules, for evaluateSlos. With no
 * spec there are no tags or operation ids, so a rule matches by "*", by "METHOD name" or by the
 * name alone ("/products/{id}"); where the name is a URL (a request without a name tag) its path
 * matches too, so "GET /health" covers "GET http://127.0.0.1:8080/health". For each limit the most
 * specific rule wins, as in resolveSlo. `unmatched` lists rules that covered no endpoint.
 */
export function resolveUserScriptSlos(
  slis: readonly Pick<EndpointSli, 'endpoint' | 'method'>[],
  rules: Config['slos'],
): { slos: Map<string, ResolvedSlo>; unmatched: string[] } {
  const used = new Set<number>()
  const slos = new Map<string, ResolvedSlo>()
  for (const sli of slis) {
    const name = sli.method && sli.endpoint.startsWith(`${sli.method} `) ? sli.endpoint.slice(sli.method.length + 1) : sli.endpoint
    const names = [name, urlPath(name)].filter((n): n is string => n !== undefined)
    const slo = mergeSloRules(rules, (rule, index) => {
      const hit = ruleMatches(rule.selector, sli.method, names)
      if (hit) used.add(index)
      return hit
    })
    slos.set(sli.endpoint, slo)
  }
  const unmatched = rules.filter((_, index) => !used.has(index)).map((rule) => rule.selector)
  return { slos, unmatched }
}

function ruleMatches(selector: string, method: string, names: readonly string[]): boolean {
  const s = selector.trim()
  switch (selectorKind(s)) {
    case 'all':
      return true
    case 'path':
      return names.includes(s)
    case 'operation': {
      const [selMethod, ...rest] = s.split(/\s+/)
      return selMethod!.toUpperCase() === method && names.includes(rest.join(' '))
    }
    default:
      return false // tag: and operationId: need a spec
  }
}

function urlPath(name: string): string | undefined {
  if (!/^https?:\/\//i.test(name)) return undefined
  try {
    const url = new URL(name)
    return `${url.pathname}${url.search}`
  } catch {
    return undefined
  }
}

/**
 * One k6 exit code for the results file's k6_exit_code: the first script that did not run properly,
 * else that of the first script k6 judged failed (99 thresholds, 110 exec.test.fail()), else 0.
 */
export function combinedExitCode(runs: readonly Pick<UserScriptRun, 'exitCode' | 'outcome'>[]): number | null {
  const failed = runs.find((r) => !r.outcome.ran)
  if (failed) return failed.exitCode
  return runs.find((r) => r.outcome.ran && r.outcome.failed !== false)?.exitCode ?? 0
}

/**
 * The scripts' own judgement as criteria beside the SLOs: a script whose thresholds were crossed
 * (exit 99) or that called exec.test.fail() (exit 110) ran, and failed.
 */
export function scriptJudgements(runs: readonly Pick<UserScriptRun, 'script' | 'outcome'>[]): ProfileCriterion[] {
  return runs.flatMap((r) => {
    if (!r.outcome.ran || r.outcome.failed === false) return []
    const why = r.outcome.failed === 'thresholds' ? "the script's own thresholds were crossed" : 'the script marked the test as failed (exec.test.fail())'
    return [{ status: 'fail' as const, reason: `${r.script}: ${why}` }]
  })
}
