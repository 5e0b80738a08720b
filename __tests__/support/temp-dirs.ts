/**
 * Temporary folders for a test file, removed when its tests are done (the hook registers in each
 * test file that imports this), so a test run leaves no perf-xi-* folders in the temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const made: string[] = []

// Benchmarks (bench/) import test helpers that import this; outside jest there is no afterAll.
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
}

/** A new folder in the temp directory, named `<prefix>XXXXXX`, removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}
