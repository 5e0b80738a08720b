/**
 * k6 driven through its REST API (`k6 run --address 127.0.0.1:port`, api/v1/status_routes.go): a
 * paused k6 waited for until its VUs are initialised (status PausedBeforeRun) and resumed at an
 * agreed time (PATCH /v1/status {"paused": false}), or a running test stopped ({"stopped": true}).
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
  await patchStatus(address, { paused: false }, 'resume')
}

/** Ends the test as if it had reached its end (k6 exits with 103); rejects when k6 refuses. */
export async function stopTest(address: string): Promise<void> {
  await patchStatus(address, { stopped: true }, 'stop')
}

async function patchStatus(address: string, attributes: { paused?: boolean; stopped?: boolean }, what: string): Promise<void> {
  const res = await fetch(`http://${address}/v1/status`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { type: 'status', id: 'default', attributes } }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  if (!res.ok) throw new Error(`k6 did not ${what}: its API answered ${res.status} ${await res.text()}`)
}
