/**
 * Cancellation by the job's runner or the user: GitHub cancels a job with SIGINT, then SIGTERM
 * about 7.5 s later, then kills it; Ctrl-C sends SIGINT. The first signal stops k6 gracefully (it
 * writes its summary, so the partial result is reported); a second one stops it at once.
 */

/**
 * Ctrl-C sends SIGINT to every process of the terminal's group, and npm, npx and tsx each pass the
 * one they got on to their child as well: the same signal again this soon is that one Ctrl-C, not
 * a second. A person pressing twice, or a runner's SIGTERM after its SIGINT, comes later or differs.
 */
export const RELAYED_SIGNAL_MS = 250

export interface SignalCancellation {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal
  /** Aborted on the second. */
  urgent: AbortSignal
  /** Removes the handlers: signals act as they would without them again. */
  dispose(): void
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

export function cancelOnSignals(log: (line: string) => void, target: NodeJS.Process = process, now: () => number = Date.now): SignalCancellation {
  const graceful = new AbortController()
  const urgent = new AbortController()
  let firstAt = 0
  const onSignal = (name: NodeJS.Signals): void => {
    if (!graceful.signal.aborted) {
      log(`${name} received: stopping k6 (it writes its summary) and reporting the run as cancelled`)
      firstAt = now()
      graceful.abort(name)
    } else if (name === graceful.signal.reason && now() - firstAt < RELAYED_SIGNAL_MS) {
      return
    } else if (!urgent.signal.aborted) {
      log(`${name} received again: stopping k6 at once`)
      urgent.abort(name)
    }
  }
  for (const name of SIGNALS) target.on(name, onSignal)
  return {
    signal: graceful.signal,
    urgent: urgent.signal,
    dispose: () => {
      for (const name of SIGNALS) target.off(name, onSignal)
    },
  }
}
