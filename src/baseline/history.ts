/** The base branch's earlier runs as the gate compares with them, from GitHub (src/action/history.ts) or a local folder (src/baseline/local-history.ts). */
import type { HistoryEntry } from './regression.js'

/** Earlier runs of the base branch to compare with, where they come from, and what was noticed on the way. */
export interface BaselineHistory {
  entries: HistoryEntry[]
  source: string
  branch: string | null
  notes: string[]
}
