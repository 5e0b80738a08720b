/**
 * What a run claims before any load: writable outputs, a lock on each, its own work directory.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { UserError } from '../src/errors.js'
import { claimRunFiles, LOCK_SUFFIX } from '../src/run-files.js'
import { tempDir } from './support/temp-dirs.js'

let tmp: string
beforeEach(() => {
  tmp = tempDir('perf-xi-run-files-')
})
afterEach(() => rmSync(tmp, { recursive: true, force: true }))

const claimResults = (results: string, workRoot = path.join(tmp, 'work')) =>
  claimRunFiles({ workRoot, workRootWhat: 'RUNNER_TEMP', outputs: [{ path: results, what: 'input results-file', kind: 'file' }] })

/** A pid that is certainly gone: a child that already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!
}

describe('each run gets its own work directory', () => {
  it('two runs under one root never share a folder', () => {
    const first = claimResults(path.join(tmp, 'a.json'))
    const second = claimResults(path.join(tmp, 'b.json'))
    expect(first.workDir).not.toBe(second.workDir)
    expect(path.dirname(first.workDir)).toBe(path.join(tmp, 'work'))
    first.release({ removeWorkDir: true })
    second.release()
    expect(existsSync(first.workDir)).toBe(false)
    expect(existsSync(second.workDir)).toBe(true)
  })

  it('a run that produced nothing leaves no folder behind, not even the ones made for it', () => {
    const files = claimResults(path.join(tmp, 'out', 'results.json'), path.join(tmp, 'out', 'temp'))
    files.release({ removeWorkDir: true })
    expect(existsSync(path.join(tmp, 'out'))).toBe(false)
  })
})

describe('an output another run is writing is refused before any load', () => {
  it('refuses a results file held by a live run, naming the file, the pid and the lock', () => {
    const results = path.join(tmp, 'results.json')
    const first = claimResults(results)
    const error = (() => {
      try {
        claimResults(results)
      } catch (err) {
        return err
      }
    })()
    expect(error).toBeInstanceOf(UserError)
    expect(String(error)).toBe(
      `input results-file: ${results} is being written by another Perf-Xi run (pid ${process.pid}); give each run its own file, or delete ${results}${LOCK_SUFFIX} if that run is gone`,
    )
    first.release()
    expect(existsSync(`${results}${LOCK_SUFFIX}`)).toBe(false)
    claimResults(results).release()
  })

  it('takes over the lock of a run that died without releasing it', () => {
    const results = path.join(tmp, 'results.json')
    writeFileSync(`${results}${LOCK_SUFFIX}`, JSON.stringify({ pid: deadPid(), host: hostname(), token: 'killed-run' }))
    const files = claimResults(results)
    expect(JSON.parse(readFileSync(`${results}${LOCK_SUFFIX}`, 'utf8')).pid).toBe(process.pid)
    files.release()
    expect(existsSync(`${results}${LOCK_SUFFIX}`)).toBe(false)
  })

  it('does not take over a lock held from another host (a shared disk), and says which', () => {
    const results = path.join(tmp, 'results.json')
    writeFileSync(`${results}${LOCK_SUFFIX}`, JSON.stringify({ pid: 1, host: 'runner-7', token: 'elsewhere' }))
    expect(() => claimResults(results)).toThrow(/is being written by another Perf-Xi run \(pid 1 on runner-7\)/)
  })
})

describe('an output that cannot be written is one line naming it, before any load', () => {
  it.each([
    [
      'a results file under a file',
      (t: string) => path.join(t, 'plain-file', 'results.json'),
      /^input results-file: cannot write in .*plain-file: it is a file, not a folder$/,
    ],
    ['a results file that is a folder', (t: string) => path.join(t, 'folder'), /^input results-file: cannot write .*folder: it is a folder, not a file$/],
    [
      'a results file deep under a file',
      (t: string) => path.join(t, 'plain-file', 'x', 'results.json'),
      /^input results-file: cannot write in .*plain-file\/x: a part of the path is a file, not a folder$/,
    ],
  ])('%s', (_what, resultsPath, expected) => {
    writeFileSync(path.join(tmp, 'plain-file'), '')
    mkdirSync(path.join(tmp, 'folder'))
    expect(() => claimResults(resultsPath(tmp))).toThrow(expected)
    // Nothing is left claimed or created.
    expect(existsSync(path.join(tmp, 'work'))).toBe(false)
  })

  it('a work root that cannot be written, with the results lock given back', () => {
    writeFileSync(path.join(tmp, 'plain-file'), '')
    const results = path.join(tmp, 'results.json')
    expect(() => claimResults(results, path.join(tmp, 'plain-file', 'temp'))).toThrow(
      /^RUNNER_TEMP: cannot write in .*plain-file\/temp: a part of the path is a file, not a folder$/,
    )
    expect(existsSync(`${results}${LOCK_SUFFIX}`)).toBe(false)
  })
})
