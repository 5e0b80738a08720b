/**
 * A signal that aborts after a time or with another signal, whichever comes first. Node 20's
 * AbortSignal.any() may let an AbortSignal.timeout() among its sources be collected before it fires
 * (nodejs/node#57736), leaving a hung request waiting: here the timer holds its controller itself.
 */

export interface Deadline {
  signal: AbortSignal
  /** Stops the timer and lets go of `also`: call it once the work is done. */
  clear: () => void
}

/** Aborts after `ms` with a TimeoutError (as AbortSignal.timeout does), or with `also`'s reason when it aborts first. */
export function deadline(ms: number, also?: AbortSignal): Deadline {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms)
  const follow = () => controller.abort(also?.reason)
  if (also?.aborted) follow()
  else also?.addEventListener('abort', follow, { once: true })
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer)
      also?.removeEventListener('abort', follow)
    },
  }
}
