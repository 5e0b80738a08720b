/**
 * The processes a test started, found through /proc (Linux): a test checks that the k6 its run
 * started is gone, never touching k6 processes that other runs on the machine started.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Every process below `rootPid`, with its command name. */
export function descendants(rootPid: number): Array<{ pid: number; comm: string }> {
  const parents = new Map<number, { ppid: number; comm: string }>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const match = /^\d+ \((.*)\) \S+ (\d+) /.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'))
      if (match) parents.set(Number(entry), { ppid: Number(match[2]), comm: match[1]! })
    } catch {
      // The process ended while we looked.
    }
  }
  const below = new Set([rootPid])
  let grew = true
  while (grew) {
    grew = false
    for (const [pid, { ppid }] of parents) {
      if (!below.has(pid) && below.has(ppid)) {
        below.add(pid)
        grew = true
      }
    }
  }
  return [...below].filter((pid) => pid !== rootPid && parents.has(pid)).map((pid) => ({ pid, comm: parents.get(pid)!.comm }))
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return []
  }
}

/** The parent of a process (the process that runs k6 is the parent of k6). */
export function parentOf(pid: number): number {
  return Number(/^\d+ \(.*\) \S+ (\d+) /.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))![1])
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Waits until `k6 run` runs below `rootPid` (and `loadMs` more, so it has measured something): its pid and its parent's. */
export async function k6Below(rootPid: number, opts: { timeoutMs?: number; loadMs?: number } = {}): Promise<{ pid: number; parent: number }> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000)
  for (;;) {
    // `k6 run`, not the `k6 version` the installer runs to check the binary.
    const k6 = descendants(rootPid).find((p) => p.comm === 'k6' && commandLine(p.pid)[1] === 'run')
    if (k6) {
      const found = { pid: k6.pid, parent: parentOf(k6.pid) }
      await new Promise((resolve) => setTimeout(resolve, opts.loadMs ?? 0))
      if (!isAlive(found.pid)) throw new Error(`k6 (${found.pid}) below process ${rootPid} ended within ${opts.loadMs} ms`)
      return found
    }
    if (Date.now() > deadline) throw new Error(`no k6 started below process ${rootPid}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Named pipes (fifos) anywhere under `dir`. */
export function fifosUnder(dir: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFIFO()) found.push(`${entry.parentPath ?? entry.path}/${entry.name}`)
  }
  return found
}
