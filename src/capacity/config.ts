/**
 * The capacity mode's settings: the `capacity:` block of the config file (levels, level-duration,
 * warm-up, headroom) and the inputs target-rps, target-p95, replicas and replica-cost, resolved into
 * CapacitySettings with every problem named before any load. A config section: leaves only.
 * How the levels step and when `auto` stops: docs/capacity.md.
 */
import { z } from 'zod'
import { durationMs, parseDuration } from '../duration.js'
import { MAX_TEST_DURATION_MS } from '../plan/run-bounds.js'

export const CAPACITY_DEFAULTS = {
  levelDurationMs: 30_000,
  warmUpMs: 5_000,
  /** Share of each instance kept free: 30 %. */
  headroom: 0.3,
  replicas: 1,
} as const

/** `auto` doubles the concurrency from 1; it plans the doubling up to max-vus and stops early (stop rules in src/capacity/levels.ts). */
export const AUTO_LEVELS = 'auto'

export const CapacityConfigShape = {
  capacity: z
    .strictObject({
      /** Increasing concurrency levels (VUs), or auto. */
      levels: z.union([z.literal(AUTO_LEVELS), z.array(z.number().int().positive()).min(1)]).optional(),
      'level-duration': durationMs('level-duration').optional(),
      'warm-up': durationMs('warm-up').optional(),
      /** Percent of each instance's capacity kept free, 0 to 90 (30 or "30%"). */
      headroom: z.union([z.number(), z.string()]).optional(),
    })
    .optional(),
}
export type CapacityFileConfig = NonNullable<z.infer<(typeof CapacityConfigShape)['capacity']>>

export interface CapacitySettings {
  /** The levels to step through (auto: the doubling up to max-vus), increasing, each within max-vus. */
  levels: number[]
  auto: boolean
  levelDurationMs: number
  warmUpMs: number
  /** 0..1 */
  headroom: number
  targetRps: number
  targetP95Ms: number
  replicas: number
  replicaCost?: { amount: number; currency: string }
}

/** The capacity inputs as given (empty = not set). */
export interface CapacityInputs {
  'target-rps'?: string
  'target-p95'?: string
  replicas?: string
  'replica-cost'?: string
}

/** The settings of a capacity run, or undefined with one line per problem pushed to `problems` (each naming the input or key). */
export function resolveCapacitySettings(
  inputs: CapacityInputs,
  file: CapacityFileConfig | undefined,
  opts: { maxVus: number; configFile: string },
  problems: string[],
): CapacitySettings | undefined {
  const before = problems.length
  const targetRps = positiveNumber(inputs['target-rps'])
  if (inputs['target-rps'] === undefined) problems.push('input target-rps: required in capacity mode (the requests per second the API must serve, e.g. 500)')
  else if (targetRps === undefined) problems.push(`input target-rps: expected a number above 0, got ${JSON.stringify(inputs['target-rps'])}`)
  const targetP95Ms = inputs['target-p95'] === undefined ? undefined : parseDuration(inputs['target-p95'])
  if (inputs['target-p95'] === undefined) problems.push('input target-p95: required in capacity mode (the p95 latency to stay within, e.g. 300ms)')
  else if (targetP95Ms === undefined || targetP95Ms <= 0)
    problems.push(`input target-p95: expected a duration such as 300ms or 1.5s, got ${JSON.stringify(inputs['target-p95'])}`)
  let replicas: number = CAPACITY_DEFAULTS.replicas
  if (inputs.replicas !== undefined) {
    if (/^\d+$/.test(inputs.replicas) && Number(inputs.replicas) >= 1) replicas = Number(inputs.replicas)
    else problems.push(`input replicas: expected a whole number of 1 or more (instances serving base-url now), got ${JSON.stringify(inputs.replicas)}`)
  }
  const replicaCost = inputs['replica-cost'] === undefined ? undefined : parseCost(inputs['replica-cost'])
  if (inputs['replica-cost'] !== undefined && replicaCost === undefined)
    problems.push(
      `input replica-cost: expected an amount per instance per month and a currency, such as "52.50 USD", got ${JSON.stringify(inputs['replica-cost'])}`,
    )

  const where = `${opts.configFile}: capacity`
  const levelDurationMs = file?.['level-duration'] ?? CAPACITY_DEFAULTS.levelDurationMs
  const warmUpMs = file?.['warm-up'] ?? CAPACITY_DEFAULTS.warmUpMs
  if (warmUpMs >= levelDurationMs)
    problems.push(`${where}.warm-up: ${warmUpMs} ms is not shorter than level-duration (${levelDurationMs} ms): nothing of a level would be measured`)
  const headroom = parseHeadroom(file?.headroom)
  if (headroom === undefined) problems.push(`${where}.headroom: expected a percentage from 0 to 90 such as 30 or "30%", got ${JSON.stringify(file?.headroom)}`)

  const auto = file?.levels === undefined || file.levels === AUTO_LEVELS
  const levels = auto ? autoLevels(opts.maxVus) : (file.levels as number[])
  if (!auto) {
    const notIncreasing = levels.findIndex((n, i) => i > 0 && n <= levels[i - 1]!)
    if (notIncreasing > 0)
      problems.push(
        `${where}.levels: expected increasing concurrency levels, but ${levels[notIncreasing]} follows ${levels[notIncreasing - 1]} (got ${JSON.stringify(levels)})`,
      )
    const above = levels.find((n) => n > opts.maxVus)
    if (above !== undefined) problems.push(`${where}.levels: ${above} is above the cap of ${opts.maxVus} virtual users; lower it or raise max-vus`)
  }
  const totalMs = levels.length * levelDurationMs
  if (totalMs > MAX_TEST_DURATION_MS)
    problems.push(
      `${where}: ${levels.length} levels of ${levelDurationMs} ms take longer than the longest test (${MAX_TEST_DURATION_MS / 3_600_000} h); shorten level-duration or use fewer levels`,
    )
  if (problems.length > before || targetRps === undefined || targetP95Ms === undefined || headroom === undefined) return undefined
  return { levels, auto, levelDurationMs, warmUpMs, headroom, targetRps, targetP95Ms, replicas, replicaCost }
}

/** 1, 2, 4, … up to the cap, the cap itself last when it is no power of two. */
export function autoLevels(maxVus: number): number[] {
  const levels: number[] = []
  for (let n = 1; n <= maxVus; n *= 2) levels.push(n)
  if (levels.at(-1) !== maxVus) levels.push(maxVus)
  return levels
}

function positiveNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text.trim())) return undefined
  const value = Number(text)
  return value > 0 && Number.isFinite(value) ? value : undefined
}

/** "52.50 USD", "USD 52.50", "52.5 EUR". */
function parseCost(text: string): { amount: number; currency: string } | undefined {
  const match = /^\s*(?:(\d+(?:\.\d+)?)\s*([A-Za-z]{3})|([A-Za-z]{3})\s*(\d+(?:\.\d+)?))\s*$/.exec(text)
  if (!match) return undefined
  const amount = Number(match[1] ?? match[4])
  return Number.isFinite(amount) ? { amount, currency: (match[2] ?? match[3])!.toUpperCase() } : undefined
}

function parseHeadroom(value: number | string | undefined): number | undefined {
  if (value === undefined) return CAPACITY_DEFAULTS.headroom
  const text = String(value).trim().replace(/\s*%$/, '')
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined
  const pct = Number(text)
  return pct >= 0 && pct <= 90 ? pct / 100 : undefined
}
