/**
 * The recorded base-branch histories under __tests__/fixtures/slo-history/, read as the CLI reads a
 * --baseline-dir: steady (8 smoke runs of the sample API, spreads of 5–10 %), short (3 runs) and
 * damaged (a truncated file, a k6 summary, a run of another load shape, a run that did not run).
 */
import { copyFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readLocalHistory } from '../../src/baseline/local-history.js'
import type { BaselineHistory } from '../../src/baseline/history.js'
import { tempDir } from '../support/temp-dirs.js'

export const FIXTURE_SHAPE = '5f0c3a9e2b7d4c11'
export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/slo-history')

/** The named fixture folders copied into one fresh folder, as one history folder. */
export function historyFolder(...folders: Array<'steady' | 'short' | 'damaged'>): string {
  const dir = tempDir('perf-xi-slo-history-')
  for (const folder of folders) {
    for (const name of readdirSync(path.join(fixturesDir, folder))) copyFileSync(path.join(fixturesDir, folder, name), path.join(dir, name))
  }
  return dir
}

export function history(...folders: Array<'steady' | 'short' | 'damaged'>): BaselineHistory {
  return readLocalHistory(historyFolder(...folders), 20)
}
