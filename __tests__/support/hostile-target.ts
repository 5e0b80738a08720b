/**
 * An API on 127.0.0.1 that answers well, then turns hostile a while after k6's first request (the
 * gate's preflight probe does not start the clock): it hangs (never answers), turns slow, resets
 * every connection, or dies (closes its listener and its connections). Its OpenAPI description
 * has two read-only operations, GET /health and GET /items, for the gate to plan.
 */
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

export type HostileBehaviour = 'hang' | 'slow' | 'reset' | 'die'

export interface HostileTarget {
  url: string
  /** When k6's first request arrived (Date.now()), if it has. */
  firstLoadAt?: number
  /** Requests answered before the switch, and after it (slow answers only). */
  answered: number
  /** Writes the target's OpenAPI description into `dir` and returns its path. */
  writeSpec: (dir: string) => string
  close: () => Promise<void>
}

export const SLOW_ANSWER_MS = 10_000

const SPEC = `openapi: 3.0.3
info: { title: Hostile target, version: '1.0' }
paths:
  /health:
    get:
      operationId: health
      responses: { '200': { description: ok } }
  /items:
    get:
      operationId: listItems
      responses: { '200': { description: ok } }
`

export async function startHostileTarget(behaviour: HostileBehaviour, afterMs: number): Promise<HostileTarget> {
  const pending = new Set<http.ServerResponse>()
  const timers = new Set<NodeJS.Timeout>()
  let switched = false
  const target: HostileTarget = {
    url: '',
    answered: 0,
    writeSpec: (dir) => {
      const file = path.join(dir, 'hostile-target.yaml')
      writeFileSync(file, SPEC)
      return file
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      for (const res of pending) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))
    },
  }
  const answer = (res: http.ServerResponse) => {
    target.answered++
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  }
  const server = http.createServer((req, res) => {
    if (target.firstLoadAt === undefined && /k6/i.test(req.headers['user-agent'] ?? '')) {
      target.firstLoadAt = Date.now()
      timers.add(setTimeout(turn, afterMs))
    }
    if (!switched) return answer(res)
    switch (behaviour) {
      case 'hang':
        pending.add(res)
        return
      case 'slow': {
        const timer = setTimeout(() => (timers.delete(timer), answer(res)), SLOW_ANSWER_MS)
        timers.add(timer)
        return
      }
      case 'reset':
        req.socket.destroy()
        return
      case 'die':
        req.socket.destroy()
        return
    }
  })
  function turn() {
    switched = true
    if (behaviour === 'die') {
      server.close()
      server.closeAllConnections()
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  target.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return target
}
