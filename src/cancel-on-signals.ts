/**
 * Cancellation by the job's runner or the user: GitHub cancels a job with SIGINT, then SIGTERM
 * about 7.5 s later, then kills it; Ctrl-C sends SIGINT. The first signal stops k6 gracefully (it
 * writes its summary, so the partial result is reported); a second one stops it at once.
 */

export interface SignalCancellation {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal
  /** Aborted on the second. */
  urgent: AbortSignal
  /** Removes the handlers: signals act as they would without them again. */
  dispose(): void
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

export function cancelOnSignals(log: (line: string) => void, target: NodeJS.Process = process): SignalCancellation {
  const graceful = new AbortController()
  const urgent = new AbortController()
  const onSignal = (name: NodeJS.Signals): void => {
    if (!graceful.signal.aborted) {
      log(`${name} received: stopping k6 (it writes its summary) and reporting the run as cancelled`)
      graceful.abort(name)
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
