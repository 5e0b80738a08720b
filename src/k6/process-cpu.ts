/**
 * k6's own CPU time while it runs, read from /proc/<pid>/stat (utime + stime) twice a second, so a
 * capacity run can tell when the load generator, not the API, was the limit. Linux only: elsewhere
 * (and once k6 has exited) nothing is read and the figure is unknown.
 */
import { readFileSync } from 'node:fs'

/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat on every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100
const SAMPLE_INTERVAL_MS = 500

export interface CpuSample {
  atEpochMs: number
  /** CPU seconds the process used since it started. */
  cpuSeconds: number
}

export interface CpuSampler {
  stop(): CpuSample[]
}

export function startCpuSampler(pid: number, intervalMs = SAMPLE_INTERVAL_MS): CpuSampler {
  const samples: CpuSample[] = []
  const read = () => {
    const cpuSeconds = processCpuSeconds(pid)
    if (cpuSeconds !== undefined) samples.push({ atEpochMs: Date.now(), cpuSeconds })
  }
  read()
  const timer = setInterval(read, intervalMs)
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      return samples
    },
  }
}

/** utime + stime of a process in seconds; undefined where /proc is not there or the process is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS_PER_SECOND : undefined
}

/** Cores the process kept busy on average between two moments (null without two samples spanning them). */
export function coresBetween(samples: readonly CpuSample[], fromEpochMs: number, toEpochMs: number): number | null {
  const inside = samples.filter((s) => s.atEpochMs >= fromEpochMs && s.atEpochMs <= toEpochMs)
  if (inside.length < 2) return null
  const first = inside[0]!
  const last = inside.at(-1)!
  const seconds = (last.atEpochMs - first.atEpochMs) / 1000
  return seconds > 0 ? (last.cpuSeconds - first.cpuSeconds) / seconds : null
}
