/** Shared by the webhook tests: the sample results, a signed delivery, and a real receiver on 127.0.0.1. */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'
import type { DeliverOptions, DeliveryResult } from '../../src/webhook/deliver.js'
import { buildDelivery, WEBHOOK_HEADERS, type Delivery } from '../../src/webhook/payload.js'

export const here = path.dirname(fileURLToPath(import.meta.url))
export const FIXTURE = path.join(here, '..', 'fixtures', 'results', 'webhook-sample-results.json')
export const SECRET = 'whsec_9c1f2e7a4b6d8c0e3f5a7b9d1c3e5f70'
export const NOW = new Date('2025-06-03T10:15:42Z')
export const NOW_S = Math.floor(NOW.getTime() / 1000)

export const results: ResultsFile = ResultsFileSchema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')))

export function delivery(overrides: Partial<{ secret: string; now: Date; deliveryId: string }> = {}): Delivery {
  return buildDelivery(results, { secret: SECRET, now: NOW, deliveryId: randomUUID(), ...overrides })
}

// --- a real receiver ------------------------------------------------------------------------

export interface Received {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: Buffer
}
export type Reply = (req: Received, res: http.ServerResponse, index: number) => void

export interface Receiver {
  url: string
  requests: Received[]
  close: () => Promise<void>
}

export const open: Receiver[] = []

export async function startReceiver(reply: Reply): Promise<Receiver> {
  const requests: Received[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
      requests.push(received)
      reply(received, res, requests.length - 1)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/perf-xi`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  open.push(receiver)
  return receiver
}

/** Answers each request with the next status in the list (the last one repeats). */
export const statuses =
  (...codes: Array<number | { status: number; headers?: Record<string, string>; body?: string }>): Reply =>
  (_req, res, index) => {
    const step = codes[Math.min(index, codes.length - 1)]
    const { status, headers = {}, body = '' } = typeof step === 'number' ? { status: step } : step
    res.writeHead(status, headers).end(body)
  }

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Injected sleep and jitter; every log line kept, so each test can check none leaks a secret. */
export function harness(extra: DeliverOptions = {}) {
  const waits: number[] = []
  const logs: string[] = []
  const opts: DeliverOptions = {
    sleep: async (ms) => {
      waits.push(ms)
    },
    random: () => 0.5,
    log: (line) => logs.push(line),
    redact: [SECRET],
    ...extra,
  }
  return { waits, logs, opts }
}

export function expectNoSecrets(d: Delivery, result: DeliveryResult, logs: string[]) {
  const signature = d.headers[WEBHOOK_HEADERS.signature]
  for (const text of [result.reason ?? '', ...logs]) {
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(signature.slice('sha256='.length))
  }
}

/** Closes the receivers a test started (call from afterEach). */
export async function closeReceivers(): Promise<void> {
  await Promise.all(open.splice(0).map((r) => r.close()))
}
