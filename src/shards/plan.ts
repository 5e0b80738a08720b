/**
 * The plan every shard and the merge job build from the same config and spec, and its
 * fingerprint: shards whose fingerprints differ ran different tests and must not be merged.
 */
import { createHash } from 'node:crypto'
import type { Config } from '../config/schema.js'
import { buildPlan, type TestPlan } from '../plan/plan.js'
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
  return { plan, dataset, script, fingerprint, warnings: [...plan.warnings, ...(dataset?.warnings ?? [])] }
}
