/**
 * A folder of earlier results files as the baseline store, for local runs (the CLI and
 * npm run demo): each run adds its results; later runs compare with the newest ones.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ResultsFileSchema, type ResultsFile } from '../results/schema.js'
import type { BaselineHistory } from './history.js'
import type { HistoryEntry } from './regression.js'

export function readLocalHistory(dir: string, limit: number): BaselineHistory {
  const entries: Array<{ finished: string; entry: HistoryEntry }> = []
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const runId = name.replace(/\.json$/, '')
      try {
        const parsed = ResultsFileSchema.safeParse(JSON.parse(readFileSync(path.join(dir, name), 'utf8')))
        if (parsed.success) entries.push({ finished: parsed.data.run.finished_at, entry: parsed.data })
        else
          entries.push({
            finished: '',
            entry: { unreadable: true, runId, reason: `${name} is not a Perf-Xi results file (${parsed.error.issues[0]?.message})` },
          })
      } catch (err) {
        entries.push({ finished: '', entry: { unreadable: true, runId, reason: `${name} is not valid JSON (${(err as Error).message})` } })
      }
    }
  }
  entries.sort((a, b) => b.finished.localeCompare(a.finished))
  return { entries: entries.slice(0, limit).map((e) => e.entry), source: `folder ${dir}`, branch: null, notes: [] }
}

export function saveToLocalHistory(dir: string, results: ResultsFile): string {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${results.run.finished_at.replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  return file
}
