/**
 * The plan every shard and the merge job build from the same config and spec, and its
 * fingerprint: shards whose fingerprints differ ran different tests and must not be merged.
 */
import { createHash } from 'node:crypto'
import type { Config } from '../config/schema.js'
import { categoryScenarios } from '../plan/category-scenarios.js'
import { buildPlan, type TestPlan } from '../plan/plan.js'
import { peakTarget } from '../plan/profiles.js'
import { loadDataset, type DatasetBinding } from '../plan/dataset.js'
import { renderK6Script } from '../script/k6.js'
import { loadSpec } from '../spec/load.js'

export const SHARD_SCRIPT_FILE = 'perf-xi-script.js'

export interface ShardPlan {
  plan: TestPlan
  dataset?: DatasetBinding
  script: string
  /** 16 hex digits of SHA-256 over the script, the dataset, the base URL and the shard count. */
  fingerprint: string
  warnings: string[]
}

export async function shardPlan(config: Config, shardCount: number, cwd: string): Promise<ShardPlan> {
  const spec = await loadSpec(config.openapi, { cwd })
  const plan = buildPlan(config, spec)
  const dataset = config.dataset ? loadDataset(config.dataset, plan.endpoints, { cwd }) : undefined
  const meta = { title: `${spec.title} ${spec.version}`.trim(), source: spec.source, scriptName: SHARD_SCRIPT_FILE }
  const script = renderK6Script(plan, meta, dataset)
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([script, dataset ?? null, plan.baseUrl, shardCount]))
    .digest('hex')
    .slice(0, 16)
  return { plan, dataset, script, fingerprint, warnings: [...plan.warnings, ...(dataset?.warnings ?? []), ...idleShardWarnings(plan, shardCount)] }
}

/**
 * k6 splits each scenario's VUs between the shards in whole VUs, so a scenario with fewer VUs than
 * there are shards leaves some shards without any of it, and a shard can run no load at all. The
 * merged figures stay right; the warning is for the shard jobs that wait and measure nothing.
 */
export function idleShardWarnings(plan: TestPlan, shardCount: number): string[] {
  const short = categoryScenarios(plan).flatMap((s) => {
    const vus = s.executor.type === 'constant-vus' || s.executor.type === 'ramping-vus' ? peakTarget(s.executor) : s.executor.maxVus
    return vus < shardCount ? [{ category: s.category, text: `${s.category} ${vus} VU${vus === 1 ? '' : 's'}` }] : []
  })
  if (short.length === 0) return []
  const settings = short.map((s) => `categories.${s.category}.vus`).join(', ')
  return [
    `${shardCount} shards, but k6 splits each scenario in whole VUs and some have fewer (${short.map((s) => s.text).join(', ')}): ` +
      `some shards run none of them, and a shard may send no requests at all; give each at least ${shardCount} (vus, or ${settings}), or use fewer shards`,
  ]
}
