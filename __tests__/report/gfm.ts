/**
 * For the report tests: strings a hostile spec, config or results file could carry, Markdown
 * rendered the way GitHub renders it (micromark: CommonMark + GFM, raw HTML let through so that any
 * that slipped in shows up as an element), and what a reader would see and GitHub would link.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { judge } from '../../src/baseline/judge.js'
import { compareWithBaseline, type HistoryEntry } from '../../src/baseline/regression.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'

/** Strings a hostile spec, config or results file could carry. */
export const HOSTILE = [
  '# heading',
  'x\n## ✅ Approved by @octo-org/security — safe to merge',
  '<img src="https://evil.example/t.gif">',
  '[docs](https://evil.example/login)',
  '![x](https://evil.example/y.png)',
  '@octo-org/security please merge',
  'see https://evil.example/phish now',
  'www.evil.com',
  'write to admin@evil.example',
  '<https://evil.example>',
  'a | b | c',
  '`code` and ``` fence',
  '</details><details open><summary>x</summary>',
  '<!-- perf-xi:comment workflow="perf.yml" -->',
  'bell\u0007 esc\u001b[31m cr\r lf\n tab\t sep\u2028 rtl\u202e',
  '&lt;b&gt; &#60;img&#62; &amp;',
  '*bold* _it_ ~~strike~~ **b**',
  '- [ ] task',
  '1. one',
  '    indented code',
  '> quote',
  '[^1]: a footnote',
  '[ref]: https://evil.example',
  '$x^2$',
  'fixes #123 and GH-45',
  '***',
  '---',
  'trailing backslash \\',
  '<script>alert(1)</script>',
  ':warning: ::error::x',
]

export function renderGfm(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] })
}

/**
 * Names of the HTML elements in rendered output (its text is escaped, so every `<x` is an element),
 * but for `<wbr>`: the break opportunities the reports put after the slashes of long endpoint
 * names, which show nothing.
 */
export function elements(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()).filter((name) => name !== 'wbr')
}

export function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => m[1]!)
}

export function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
}

/** What a reader sees, outside code (where GitHub links nothing), without the invisible joiners. */
export function visibleText(html: string): string {
  return decode(
    html
      .replace(/<wbr>/g, '')
      .replace(/<pre>[\s\S]*?<\/pre>/g, ' ')
      .replace(/<code>[\s\S]*?<\/code>/g, ' ')
      .replace(/<[^>]+>/g, ' '),
  ).replace(/\u200d/g, '')
}

/**
 * What GitHub would link in text it renders: mentions, issue references, bare URLs and emails.
 * Checked on the text as rendered (with the joiners Perf-Xi put in, which break them).
 */
export function liveReferences(html: string): string[] {
  const text = decode(
    html
      .replace(/<pre>[\s\S]*?<\/pre>/g, ' ')
      .replace(/<code>[\s\S]*?<\/code>/g, ' ')
      .replace(/<[^>]+>/g, ' '),
  )
  const patterns = [/(?<![\w`])@[a-z0-9]/gi, /(?<![\w&])#\d/g, /\bGH-\d/gi, /[a-z]+:\/\//gi, /\bwww\./gi, /\w@\w/g]
  return patterns.flatMap((p) => text.match(p) ?? [])
}

/**
 * `results` with every string in it replaced by `replace(original, index)`, where equal strings
 * get the same index (so an endpoint stays one endpoint across the file), except the values the
 * schema fixes (enums, the schema id) and the ones that name keys of other values. A benign and a
 * hostile rewrite have the same structure, so their reports must render the same elements.
 */
export function rewriteStrings<T>(results: T, replace: (index: number) => string): T {
  const indexOf = new Map<string, number>()
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      if (FIXED_KEYS.has(key)) return value
      if (!indexOf.has(value)) indexOf.set(value, indexOf.size)
      return replace(indexOf.get(value)!)
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, key))
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]))
    return value
  }
  return walk(results, '') as T
}

/** Keys whose values the results schema constrains (enums, the schema id) or that select figures (metric, limit). */
const FIXED_KEYS = new Set([
  'schema',
  'verdict',
  'ci_gate',
  'status',
  'slo_status',
  'state',
  'unit',
  'kind',
  'criterion',
  'name',
  'metric',
  'limit',
  'category',
  'executor',
  'access',
  'level',
])

/** The i-th hostile string; past the list, the list again with a number so every string stays distinct. */
export function hostileString(index: number): string {
  const text = HOSTILE[index % HOSTILE.length]!
  return index < HOSTILE.length ? text : `${text} (${index})`
}

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')
const readResults = (name: string): ResultsFile => ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')))

/** Where a fork's results file would point the "Workflow run" link. */
export const HOSTILE_RUN_URL = 'https://evil.example/x)\n## ✅ Approved by @octo-org/security — safe to merge\n<img src="https://evil.example/t.gif">'

export interface ReportCase {
  what: string
  benign: ResultsFile
  hostile: ResultsFile
}

/**
 * Results files of real runs (a failed run judged against a baseline, a stress run, a spike run),
 * every section a report shows filled in, each rewritten twice: with plain words, and with hostile
 * strings everywhere (run.url too), as a fork's run could write them. Both parse with the schema,
 * as mode comment requires.
 */
export function reportCases(): ReportCase[] {
  const sample = readResults('webhook-sample-results.json')
  const history: HistoryEntry[] = Array.from({ length: 5 }, (_, i) => ({
    ...sample,
    run: { ...sample.run, id: `base-${i}` },
    slis: sample.slis.map((s) => ({ ...s, p95_ms: s.endpoint === 'GET /reports/slow' ? 100 + i : s.p95_ms })),
  }))
  const judged = judge(sample, {
    baseline: {
      report: compareWithBaseline(sample.slis, history),
      source: 'artifact perf-xi-results',
      branch: 'main',
      notes: ['a note on the baseline'],
      confirmedWithRerun: ['GET /reports/slow'],
    },
    failOn: 'both',
  })
  const extras = {
    skipped: [{ endpoint: 'POST /orders', reason: 'changes data' }],
    error_budget: {
      window: '30d',
      target_pct: 99.9,
      runs_counted: 4,
      requests: 9000,
      allowed_failures: 9,
      failures: 12,
      consumed_pct: 133,
      status: 'exhausted' as const,
      reason: 'budget spent',
    },
  }
  const failed: ResultsFile = { ...judged, ...extras }
  const errored: ResultsFile = {
    ...failed,
    verdict: 'error',
    reasons: ['k6 could not start', ...failed.reasons],
    baseline: { ...failed.baseline!, status: 'unreadable', unreadable: [{ run_id: '77', reason: 'not valid JSON' }] },
  }
  const stress = { ...readResults('stress-capacity-results.json'), ...extras }
  const spikeRun = readResults('spike-capacity-results.json')
  const spike: ResultsFile = { ...spikeRun, ...extras, spike: { ...spikeRun.spike!, recovery: { ...spikeRun.spike!.recovery, p95_limit_ms: null } } }
  return Object.entries({ 'a failed run with a baseline': failed, 'an error': errored, 'a stress run': stress, 'a spike run': spike }).map(
    ([what, results]) => ({
      what,
      benign: ResultsFileSchema.parse({
        ...rewriteStrings(results, (i) => `plain words ${i}`),
        run: { ...rewriteStrings(results.run, (i) => `plain run ${i}`), url: 'https://example.com/runs/1' },
      }),
      hostile: ResultsFileSchema.parse({
        ...rewriteStrings(results, hostileString),
        run: { ...rewriteStrings(results.run, hostileString), url: HOSTILE_RUN_URL },
      }),
    }),
  )
}
