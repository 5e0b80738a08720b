/**
 * The files one gate run owns, claimed before any load: its own work directory (script, data,
 * k6's summary), and a lock on each output it will write (the results file; the CLI's out-dir).
 * So a run is never lost to an unwritable path found at its end, and two gates on one machine
 * (matrix jobs of a self-hosted runner sharing RUNNER_TEMP and a workspace) share no file: the
 * second one to claim an output refuses at once, naming the run that holds it.
 */
import { hostname } from 'node:os'
import { linkSync, mkdtempSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fsReason, UserError } from './errors.js'
import { ensureWritableDir, ensureWritableFile } from './files.js'

export interface OutputClaim {
  /** The file (or folder) this run writes. */
  path: string
  /** The setting that names it, for messages: "input results-file", "--out-dir". */
  what: string
  kind: 'file' | 'dir'
}

export interface RunFiles {
  /** This run's own folder, made for it alone. */
  workDir: string
  /** Gives the outputs back; removes the work directory too when the run produced nothing worth keeping. */
  release(opts?: { removeWorkDir?: boolean }): void
}

export const LOCK_SUFFIX = '.perf-xi-lock'

/**
 * Checks every output for writability, locks them, and makes the run's work directory under
 * `workRoot`. Throws a UserError (and holds nothing) when any of it fails.
 */
export function claimRunFiles(opts: { workRoot: string; workRootWhat: string; outputs: OutputClaim[] }): RunFiles {
  const locks: Lock[] = []
  // Folders made here, removed again (when still empty) by a run that produced nothing.
  const created: string[] = []
  const removeCreated = () => {
    for (const dir of created.reverse()) removeIfEmpty(dir)
  }
  try {
    for (const output of opts.outputs) {
      const made = output.kind === 'file' ? ensureWritableFile(output.path, output.what) : ensureWritableDir(output.path, output.what)
      created.push(...made.created)
      locks.push(claimLock(output))
    }
    const made = ensureWritableDir(opts.workRoot, opts.workRootWhat)
    created.push(...made.created)
    const workDir = mkdtempSync(path.join(path.resolve(opts.workRoot), 'perf-xi-run-'))
    return {
      workDir,
      release: ({ removeWorkDir = false } = {}) => {
        if (removeWorkDir) rmSync(workDir, { recursive: true, force: true })
        for (const lock of locks) lock.release()
        if (removeWorkDir) removeCreated()
      },
    }
  } catch (err) {
    for (const lock of locks) lock.release()
    removeCreated()
    throw err
  }
}

/** Removes `dir` if nothing is in it (another run's work folder may be). */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // Not empty (or already gone): it stays as it is.
  }
}

interface Lock {
  release(): void
}

interface LockOwner {
  pid: number
  host: string
  token: string
}

/**
 * An exclusive lock file next to the output, holding the owner's pid and host. It appears whole
 * (written aside, then hard-linked into place, which fails if one exists). A lock whose process is
 * gone (a killed run) is taken over; one held by a live process, or by another host, is not.
 */
function claimLock(output: OutputClaim): Lock {
  const target = path.resolve(output.path)
  const lockPath = output.kind === 'dir' ? path.join(target, LOCK_SUFFIX) : `${target}${LOCK_SUFFIX}`
  const me: LockOwner = { pid: process.pid, host: hostname(), token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}` }
  const staging = `${lockPath}.${me.token}`
  writeFileSync(staging, JSON.stringify(me))
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        placeLock(staging, lockPath, me)
        return { release: () => releaseLock(lockPath, me.token) }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`${output.what}: cannot lock ${target}: ${fsReason(err)}`)
      }
      const holder = readOwner(lockPath)
      if (holder && isAlive(holder)) {
        const where = holder.host === me.host ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`
        throw new UserError(
          `${output.what}: ${target} is being written by another Perf-Xi run (${where}); give each run its own ${output.kind === 'dir' ? 'folder' : 'file'}, or delete ${lockPath} if that run is gone`,
        )
      }
      takeOverStale(lockPath, holder)
    }
    throw new UserError(`${output.what}: could not lock ${target}: other runs keep claiming it`)
  } finally {
    rmSync(staging, { force: true })
  }
}

/** A hard link appears whole or not at all; where the file system has none, an exclusive create does nearly as well. */
function placeLock(staging: string, lockPath: string, me: LockOwner): void {
  try {
    linkSync(staging, lockPath)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err
    writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx' })
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as LockOwner
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : undefined
  } catch {
    return undefined
  }
}

/** A process on this host that still exists (EPERM: it exists, owned by someone else); another host's lock is always live. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true
  try {
    process.kill(owner.pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Moves the dead run's lock aside; if another run replaced it in the meantime, puts that one back. */
function takeOverStale(lockPath: string, stale: LockOwner | undefined): void {
  const aside = `${lockPath}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`
  try {
    renameSync(lockPath, aside)
  } catch {
    return
  }
  const moved = readOwner(aside)
  if (moved && stale && moved.token !== stale.token) {
    try {
      linkSync(aside, lockPath)
    } catch {
      // A third run claimed it meanwhile: it holds the lock now.
    }
  }
  rmSync(aside, { force: true })
}

function releaseLock(lockPath: string, token: string): void {
  if (readOwner(lockPath)?.token === token) rmSync(lockPath, { force: true })
}
