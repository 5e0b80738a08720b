/**
 * The plan's load profile in the terms Locust and JMeter share: a number of users over time.
 * Closed model: users are k6's VUs, unchanged. Open model: paced users (each at most `perUserRate`
 * requests a second), as many as the rate needs for requests of up to PACED_ITERATION_MS plus the
 * think time, within maxVUs; a slower API lowers the rate instead of adding users, and thresholds
 * that abort k6 (breakpoint) have no equivalent. The reasoning: docs/export.md ("load-shape.ts").
 */
import type { Executor } from '../plan/profiles.js'

/** A closed-model executor: what users do over time. */
export type ClosedExecutor = Extract<Executor, { type: 'constant-vus' | 'ramping-vus' }>

/** Paced users get enough headroom for iterations of up to this long at the peak rate. */
export const PACED_ITERATION_MS = 200

export interface ExportLoad {
  model: 'closed' | 'open'
  /** The users over time (paced users in the open model). */
  users: ClosedExecutor
  /** Open model: the most requests one user sends a second. */
  perUserRate?: number
  /** One line for comments: the k6 executor this stands for. */
  description: string
}

/** The executor's load as users over time; `thinkTimeMs` is the pause after each request (open model: part of pacing). */
export function exportLoad(executor: Executor, thinkTimeMs = 0): ExportLoad {
  switch (executor.type) {
    case 'constant-vus':
      return { model: 'closed', users: executor, description: `${usersText(executor.vus)} for ${executor.durationMs / 1000} s (k6 constant-vus)` }
    case 'ramping-vus': {
      const peak = Math.max(executor.startVus, ...executor.stages.map((s) => s.target))
      return {
        model: 'closed',
        users: executor,
        description: `${executor.stages.length} stages from ${usersText(executor.startVus)}, peak ${peak} (k6 ramping-vus)`,
      }
    }
    case 'constant-arrival-rate': {
      const users = pacedUsers(executor.rate, executor.maxVus, thinkTimeMs)
      const perUserRate = pacedRate(executor.rate / users, thinkTimeMs)
      return {
        model: 'open',
        users: { type: 'constant-vus', vus: users, durationMs: executor.durationMs },
        perUserRate,
        description: `${executor.rate} requests/s for ${executor.durationMs / 1000} s: ${usersText(users)} at up to ${perUserRate}/s each (k6 constant-arrival-rate)`,
      }
    }
    case 'ramping-arrival-rate': {
      const peakRate = Math.max(executor.startRate, ...executor.stages.map((s) => s.target))
      const peakUsers = pacedUsers(peakRate, executor.maxVus, thinkTimeMs)
      const perUserRate = pacedRate(peakRate / peakUsers, thinkTimeMs)
      const usersFor = (rate: number) => (rate <= 0 ? 0 : Math.min(peakUsers, Math.max(1, Math.round(rate / perUserRate))))
      return {
        model: 'open',
        users: {
          type: 'ramping-vus',
          startVus: usersFor(executor.startRate),
          stages: executor.stages.map((s) => ({ durationMs: s.durationMs, target: usersFor(s.target) })),
        },
        perUserRate,
        description: `${executor.stages.length} stages from ${executor.startRate} to a peak of ${peakRate} requests/s: up to ${usersText(peakUsers)} at up to ${perUserRate}/s each (k6 ramping-arrival-rate)`,
      }
    }
  }
}

function usersText(n: number): string {
  return n === 1 ? '1 user' : `${n} users`
}

function pacedUsers(peakRate: number, maxVus: number, thinkTimeMs: number): number {
  return Math.max(1, Math.min(maxVus, Math.ceil((peakRate * (PACED_ITERATION_MS + thinkTimeMs)) / 1000)))
}

/** Requests a second for one paced user: its share of the rate, but at most one per think time. */
function pacedRate(rate: number, thinkTimeMs: number): number {
  return roundRate(thinkTimeMs > 0 ? Math.min(rate, 1000 / thinkTimeMs) : rate)
}

function roundRate(rate: number): number {
  return Number(rate.toPrecision(6))
}
