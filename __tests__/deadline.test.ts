/** The deadline behind every request to a remote service: it fires, follows the caller's signal, and stops when cleared. */
import { deadline } from '../src/deadline.js'

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('a deadline', () => {
  it('aborts after its time with a TimeoutError, as AbortSignal.timeout does', async () => {
    const { signal } = deadline(20)
    expect(signal.aborted).toBe(false)
    await wait(60)
    expect(signal.aborted).toBe(true)
    expect((signal.reason as Error).name).toBe('TimeoutError')
  })

  it('aborts a fetch that gets no answer, with the error callers tell a timeout by', async () => {
    const http = await import('node:http')
    const server = http.createServer(() => {})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const { signal, clear } = deadline(50)
    try {
      const error = await fetch(`http://127.0.0.1:${port}/`, { signal }).catch((e: unknown) => e)
      expect((error as Error).name).toBe('TimeoutError')
    } finally {
      clear()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("aborts at once with the caller's signal and its reason", () => {
    const caller = new AbortController()
    const { signal, clear } = deadline(60_000, caller.signal)
    caller.abort(new Error('cancelled'))
    expect(signal.aborted).toBe(true)
    expect((signal.reason as Error).message).toBe('cancelled')
    clear()
    const already = deadline(60_000, caller.signal)
    expect(already.signal.aborted).toBe(true)
    already.clear()
  })

  it('does nothing more once cleared', async () => {
    const caller = new AbortController()
    const { signal, clear } = deadline(20, caller.signal)
    clear()
    await wait(60)
    caller.abort()
    expect(signal.aborted).toBe(false)
  })
})
