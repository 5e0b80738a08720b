/**
 * Locates templates/ whether Perf-Xi runs from src/ (tests), lib/ (the local CLI) or dist/
 * (the action): each sits at a different depth below the folder that holds templates/.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export function findTemplate(name: string, from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates', name)
    if (existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) throw new Error(`template ${name} not found above ${from}`)
  }
}
