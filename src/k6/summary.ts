/**
 * Reads k6's end-of-test summary export in either format:
 *   legacy            k6 v1's default: { metrics: { "<name>": { "p(95)": ..., "count": ... } } }
 *   machine-readable  k6 v1 with --new-machine-readable-summary, the default from k6 v2:
 *                     { version, config, metadata, results: { metrics: [{ name, type, values }] } }
 * The machine-readable format reports a fixed set of trend statistics (no p99, no count),
 * so statistics it lacks stay undefined rather than being guessed.
 */
import { z } from 'zod'
import { UserError } from '../errors.js'

export type SummaryFormat = 'legacy' | 'machine-readable'

/** One metric's values with k6's names normalized: p(95) → p95, med → p50, rate-metric matches/total. */
export interface MetricValues {
  avg?: number
  min?: number
  max?: number
  p50?: number
  p90?: number
  p95?: number
  p99?: number
  count?: number
  rate?: number
  matches?: number
  total?: number
  value?: number
}

export interface K6Summary {
  format: SummaryFormat
  k6Version?: string
  /** Test duration as k6 measured it (machine-readable format only). */
  durationMs?: number
  metrics: Record<string, MetricValues>
}

const numbers = z.record(z.string(), z.unknown())

const LegacySchema = z.object({ metrics: z.record(z.string(), numbers) })

const MachineReadableSchema = z.object({
  version: z.string(),
  config: z.object({ duration: z.number().optional() }).loose().optional(),
  metadata: z.object({ k6_version: z.string().optional() }).loose().optional(),
  results: z.object({
    metrics: z.array(z.object({ name: z.string(), type: z.string().optional(), values: numbers })),
  }),
})

export function parseK6Summary(text: string, file: string): K6Summary {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new UserError(`k6 summary is not valid JSON (${(err as Error).message})`, { file })
  }
  const machine = MachineReadableSchema.safeParse(raw)
  if (machine.success) {
    const metrics: Record<string, MetricValues> = {}
    for (const metric of machine.data.results.metrics) metrics[metric.name] = normalize(metric.values, metric.type)
    const seconds = machine.data.config?.duration
    return {
      format: 'machine-readable',
      k6Version: machine.data.metadata?.k6_version,
      durationMs: seconds === undefined ? undefined : seconds * 1000,
      metrics,
    }
  }
  const legacy = LegacySchema.safeParse(raw)
  if (legacy.success) {
    const metrics: Record<string, MetricValues> = {}
    for (const [name, values] of Object.entries(legacy.data.metrics)) metrics[name] = normalize(values)
    return { format: 'legacy', metrics }
  }
  throw new UserError('not a k6 summary export (neither the legacy nor the machine-readable format)', { file })
}

const STAT_NAMES: Record<string, keyof MetricValues> = {
  avg: 'avg',
  min: 'min',
  max: 'max',
  med: 'p50',
  'p(50)': 'p50',
  p50: 'p50',
  'p(90)': 'p90',
  p90: 'p90',
  'p(95)': 'p95',
  p95: 'p95',
  'p(99)': 'p99',
  p99: 'p99',
  count: 'count',
  rate: 'rate',
  matches: 'matches',
  total: 'total',
  value: 'value',
}

function normalize(values: Record<string, unknown>, type?: string): MetricValues {
  const out: MetricValues = {}
  for (const [stat, value] of Object.entries(values)) {
    const name = STAT_NAMES[stat]
    if (name && typeof value === 'number' && Number.isFinite(value)) out[name] = value
  }
  // Legacy rate metrics: "passes" counts samples that were true (for http_req_failed: failed requests),
  // "value" is the rate. Machine-readable ones already say matches/total/rate.
  if ('passes' in values && 'fails' in values && type === undefined) {
    const passes = Number(values.passes)
    const fails = Number(values.fails)
    out.matches = passes
    out.total = passes + fails
    out.rate = out.total > 0 ? passes / out.total : 0
    delete out.value
  }
  return out
}
