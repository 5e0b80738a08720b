/**
 * A server on 127.0.0.1 that answers 200 "ok" to every request and keeps what `record` makes of it
 * (with the whole body read), so a test can check what k6 really sent.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordingServer<T> {
  port: number
  seen: T[]
  close: () => Promise<void>
}

export async function startRecordingServer<T>(record: (req: http.IncomingMessage, body: string) => T): Promise<RecordingServer<T>> {
  const seen: T[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push(record(req, Buffer.concat(chunks).toString('utf8')))
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
