/** How signals cancel a run: the first stops k6 gracefully, a real second one at once, and one Ctrl-C passed on by npm, npx or tsx counts once. */
import { EventEmitter } from 'node:events'
import { cancelOnSignals, RELAYED_SIGNAL_MS } from '../src/cancel-on-signals.js'

function setUp() {
  const target = new EventEmitter()
  const lines: string[] = []
  let clock = 1_000
  const cancellation = cancelOnSignals(
    (line) => lines.push(line),
    target as unknown as NodeJS.Process,
    () => clock,
  )
  return { target, lines, cancellation, advance: (ms: number) => (clock += ms) }
}

describe('cancelling on signals', () => {
  it('stops k6 gracefully on the first SIGINT and at once on a second pressed later', () => {
    const { target, lines, cancellation, advance } = setUp()
    target.emit('SIGINT', 'SIGINT')
    expect([cancellation.signal.aborted, cancellation.urgent.aborted]).toEqual([true, false])
    advance(RELAYED_SIGNAL_MS + 500)
    target.emit('SIGINT', 'SIGINT')
    expect(cancellation.urgent.aborted).toBe(true)
    expect(lines).toEqual([
      'SIGINT received: stopping k6 (it writes its summary) and reporting the run as cancelled',
      'SIGINT received again: stopping k6 at once',
    ])
  })

  it('takes the same SIGINT passed on by a parent process right after the terminal sent it as one Ctrl-C', () => {
    const { target, lines, cancellation, advance } = setUp()
    target.emit('SIGINT', 'SIGINT')
    advance(5)
    target.emit('SIGINT', 'SIGINT')
    expect([cancellation.signal.aborted, cancellation.urgent.aborted]).toEqual([true, false])
    expect(lines).toHaveLength(1)
  })

  it('stops k6 at once on a SIGTERM after the SIGINT, however soon (as a runner escalates)', () => {
    const { target, cancellation, advance } = setUp()
    target.emit('SIGINT', 'SIGINT')
    advance(1)
    target.emit('SIGTERM', 'SIGTERM')
    expect(cancellation.urgent.aborted).toBe(true)
  })

  it('lets signals act as they would once disposed', () => {
    const { target, cancellation } = setUp()
    cancellation.dispose()
    expect(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM')).toBe(0)
  })
})
