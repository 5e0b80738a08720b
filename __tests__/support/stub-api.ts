/**
 * A stand-in for a large API: an HTTP server on 127.0.0.1 that answers 200 to any method and path
 * at once, and a synthetic OpenAPI description of N GET operations for it. Large plans (hundreds to
 * thousands of endpoints) are measured against these in tests and in bench/large-plans.ts.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StubApi {
  url: string
  /** Requests answered so far, and when k6's first and last arrived (epoch ms; by user agent, so probes before the load do not count). */
  stats(): { requests: number; firstAtMs: number | null; lastAtMs: number | null }
  close(): Promise<void>
}

export async function startStubApi(): Promise<StubApi> {
  let requests = 0
  let firstAtMs: number | null = null
  let lastAtMs: number | null = null
  const body = Buffer.from('{"ok":true}')
  const server = http.createServer((req, res) => {
    requests++
    if (req.headers['user-agent']?.includes('k6/')) {
      lastAtMs = Date.now()
      firstAtMs ??= lastAtMs
    }
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ requests, firstAtMs, lastAtMs }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** An OpenAPI 3.0 description of `count` GET operations, /resources/0000 … , each answering 200. */
export function syntheticSpec(count: number): object {
  const width = String(Math.max(0, count - 1)).length
  const paths: Record<string, object> = {}
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(width, '0')
    paths[`/resources/${id}`] = {
      get: { operationId: `getResource${id}`, responses: { '200': { description: 'ok' } } },
    }
  }
  return { openapi: '3.0.3', info: { title: `Synthetic API of ${count} operations`, version: '1.0.0' }, paths }
}
