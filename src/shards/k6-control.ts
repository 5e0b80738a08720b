/**
 * A paused k6 (`k6 run --paused --address 127.0.0.1:port`) driven through its REST API: wait until
 * its VUs are initialised and it waits to start (status PausedBeforeRun), then resume it at an
 * agreed wall-clock time (PATCH /v1/status {"paused": false}, api/v1/status_routes.go).
 */

/** k6's lib.ExecutionStatusPausedBeforeRun: VUs initialised, waiting for resume. */
const EXECUTION_STATUS_PAUSED_BEFORE_RUN = 4
const POLL_MS = 200
const REQUEST_TIMEOUT_MS = 2000

async function statusOf(address: string): Promise<{ status?: number; paused?: boolean } | undefined> {
  try {
    const res = await fetch(`http://${address}/v1/status`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    if (!res.ok) return undefined
    const body = (await res.json()) as { data?: { attributes?: { status?: number; paused?: boolean } } }
    return body.data?.attributes
  } catch {
    // Not listening yet (k6 is still starting) or busy: the next poll asks again.
    return undefined
  }
}

/** Resolves true once k6 is initialised and paused; false when `gaveUp` resolves first (k6 exited, the bound passed). */
export async function waitUntilPaused(address: string, gaveUp: () => boolean): Promise<boolean> {
  for (;;) {
    if (gaveUp()) return false
    const status = await statusOf(address)
    if (status?.paused === true && status.status === EXECUTION_STATUS_PAUSED_BEFORE_RUN) return true
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** Starts the paused test; rejects when k6 refuses. */
export async function resume(address: string): Promise<void> {
  const res = await fetch(`http://${address}/v1/status`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { paused: false } } }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  if (!res.ok) throw new Error(`k6 did not resume: its API answered ${res.status} ${await res.text()}`)
}
