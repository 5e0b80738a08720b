/**
 * The line a merged sharded run adds to the comment and the job summary: how many shards, how far
 * apart they started, that regressions had no confirmation re-run, that drift was not judged (where
 * one runner would have judged it), and each shard that did not run.
 */
import { fmtCount, fmtMs } from '../format/numbers.js'
import type { ResultsFile } from '../results/schema.js'
import { mdCode, mdText } from './markdown.js'

export function renderShardsSection(results: ResultsFile): string[] {
  const shards = results.shards
  if (!shards) return []
  const started = shards.start_skew_ms === null ? 'not all started' : `started within ${fmtMs(shards.start_skew_ms)} of each other`
  const drift = shards.drift_judged === false ? '; drift not judged (shards keep no per-endpoint windows: run soak tests on one runner)' : ''
  const lines = [
    `Sharded run: ${shards.count} shards of plan ${mdCode(shards.plan_fingerprint)}, ${started}, merged exactly from their histograms; regressions judged without a confirmation re-run${drift}.`,
  ]
  for (const s of shards.shards) {
    if (s.status !== 'ok') lines.push(`- Shard ${s.shard} ${s.status}: ${mdText(s.reason ?? '')}`)
  }
  if (lines.length === 1) lines.push('', `<sub>${shards.shards.map((s) => `${s.shard}: ${fmtCount(s.requests)} requests`).join(' · ')}</sub>`)
  return [...lines, '']
}
