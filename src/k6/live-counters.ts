/**
 * Answers over time, read from k6's REST API while it runs (k6 run --address): every ~500 ms the
 * run's http_reqs and http_req_failed, and each endpoint's (the submetrics the script's thresholds
 * define, `http_reqs{name:GET /health}`), so a run whose API stops answering can be told from one
 * that ran well (src/liveness.ts judges it); redirect hops are taken off. Only single metrics are read: GET /v1/metrics would
 * compute every trend's percentiles on each poll. A metric k6 has not seen yet answers 404 (0).
 */
import http from 'node:http'
import net from 'node:net'
import type { AnswerCounts, AnswerSample } from '../liveness.js'
import { callsOf, REDIRECT_METRICS } from '../sli.js'

/** Beyond this many endpoints only the run as a whole is polled (each endpoint costs three requests a poll). */
export const LIVE_ENDPOINT_CAP = 50
export const POLL_INTERVAL_MS = 500
/** k6's lib.ExecutionStatusRunning in GET /v1/status: its scenarios started (setup() is 6, before it). */
const EXECUTION_STATUS_RUNNING = 7
/** One poll's request to k6 gives up after this; the next poll tries again. */
const REQUEST_TIMEOUT_MS = 2000

export interface LiveEndpoint {
  key: string
  /** The value of its k6 `name` tag. */
  metricName: string
}

export interface LiveSeries {
  /** Cumulative counts, atMs from the start of the load (after setup()). */
  samples: AnswerSample[]
  /** When the load started, on this process's clock (Date.now()); undefined when no poll was answered. */
  originEpochMs?: number
  /**
   * How long k6's test run went before the load: setup(), which k6 counts in its test-run duration
   * (it starts its clock before setup) but which runs before any scenario. 0 when no poll saw it.
   */
  setupMs: number
  /** Whether endpoints were polled (not beyond LIVE_ENDPOINT_CAP). */
  perEndpoint: boolean
}

export interface LiveCounters {
  /** Stops polling (after the poll under way) and returns what was read. */
  stop: () => Promise<LiveSeries>
}

/** A TCP port free on 127.0.0.1 right now, for k6's REST API. */
export async function freeLocalPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

interface RawPoll {
  /** Midpoint of the poll on this process's clock. */
  atEpochMs: number
  total: AnswerCounts
  endpoints?: Record<string, AnswerCounts>
  /** k6's test-run time at the poll (count / rate of http_reqs), when it had counted a request. */
  k6ElapsedMs?: number
}

/** Starts polling k6's REST API at `address` (host:port); connection refusals (k6 starting or gone) are skipped. */
export function startLiveCounters(opts: { address: string; endpoints: readonly LiveEndpoint[]; intervalMs?: number }): LiveCounters {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
  const perEndpoint = opts.endpoints.length <= LIVE_ENDPOINT_CAP
  const endpoints = perEndpoint ? opts.endpoints : []
  const interval = opts.intervalMs ?? POLL_INTERVAL_MS
  const polls: RawPoll[] = []
  let runningSeenAt: number | undefined
  // Until k6 reports its scenarios running: the last poll that saw setup() still under way, and the first that did not.
  let setupSeenAt: number | undefined
  let loadSeenAt: number | undefined
  let stopped = false
  let wake: (() => void) | undefined

  const get = (path: string) => getJson(agent, opts.address, path)
  const metric = (name: string) => get(`/v1/metrics/${encodeURIComponent(name)}`)
  // Redirect hops the script followed are no answers of their own and never failed (src/sli.ts).
  const counts = async (filter: string): Promise<AnswerCounts & { rate?: number; sent: number }> => {
    const [reqs, failed, hops] = await Promise.all([
      metric(`http_reqs${filter}`),
      metric(`http_req_failed${filter}`),
      metric(`${REDIRECT_METRICS.hops}${filter}`),
    ])
    const sent = sampleOf(reqs).count ?? 0
    return { requests: callsOf(sent, sampleOf(hops).count ?? 0), failed: Math.round(sent * (sampleOf(failed).rate ?? 0)), rate: sampleOf(reqs).rate, sent }
  }

  const poll = async (): Promise<void> => {
    const before = Date.now()
    if (loadSeenAt === undefined) {
      const status = (await get('/v1/status')) as { data?: { attributes?: { running?: boolean; status?: number } } } | undefined
      const attributes = status?.data?.attributes
      if (!attributes?.running) return
      runningSeenAt ??= before
      if (attributes.status !== undefined && attributes.status < EXECUTION_STATUS_RUNNING) {
        setupSeenAt = before
        return
      }
      loadSeenAt = before
    }
    const total = await counts('')
    const perKey: Record<string, AnswerCounts> = {}
    for (let i = 0; i < endpoints.length; i += 4) {
      const batch = endpoints.slice(i, i + 4)
      const read = await Promise.all(batch.map((e) => counts(`{name:${e.metricName}}`)))
      batch.forEach((e, k) => (perKey[e.key] = { requests: read[k]!.requests, failed: read[k]!.failed }))
    }
    const atEpochMs = (before + Date.now()) / 2
    const k6ElapsedMs = total.sent > 0 && total.rate !== undefined && total.rate > 0 ? (total.sent / total.rate) * 1000 : undefined
    polls.push({ atEpochMs, total: { requests: total.requests, failed: total.failed }, ...(perEndpoint ? { endpoints: perKey } : {}), k6ElapsedMs })
  }

  const loop = (async () => {
    while (!stopped) {
      const started = Date.now()
      try {
        await poll()
      } catch {
        // k6 not listening yet, or already gone: the next poll (or the summary) has the counts.
      }
      const wait = Math.max(0, interval - (Date.now() - started))
      if (!stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait)
          wake = () => (clearTimeout(timer), resolve())
        })
      }
    }
  })()

  return {
    stop: async () => {
      stopped = true
      wake?.()
      await loop
      agent.destroy()
      const loadStartedAt = setupSeenAt !== undefined && loadSeenAt !== undefined ? (setupSeenAt + loadSeenAt) / 2 : undefined
      return toSeries(polls, runningSeenAt, loadStartedAt, perEndpoint)
    },
  }
}

/**
 * The series from the start of the load. k6's counter rate is count / test-run time, so each poll
 * tells when the test started; the earliest such estimate is used (after the run ends k6's clock
 * stops and later estimates drift late). Without any request counted: when k6 first said it was
 * running. When polls saw setup() under way, the load starts between the last of them and the
 * first poll after (within half a poll interval): setup() can take seconds (harvesting values), and
 * counting it as load would read as answers that collapsed at the start.
 */
function toSeries(polls: readonly RawPoll[], runningSeenAt: number | undefined, loadStartedAt: number | undefined, perEndpoint: boolean): LiveSeries {
  const estimates = polls.filter((p) => p.k6ElapsedMs !== undefined).map((p) => p.atEpochMs - p.k6ElapsedMs!)
  const testStart = estimates.length > 0 ? Math.min(...estimates) : runningSeenAt
  if (testStart === undefined) return { samples: [], perEndpoint, setupMs: 0 }
  const origin = loadStartedAt !== undefined && loadStartedAt > testStart ? loadStartedAt : testStart
  const samples = polls.map((p) => ({
    atMs: Math.max(0, Math.round(p.atEpochMs - origin)),
    total: p.total,
    ...(p.endpoints ? { endpoints: p.endpoints } : {}),
  }))
  return { samples, originEpochMs: origin, perEndpoint, setupMs: Math.round(origin - testStart) }
}

function sampleOf(body: unknown): { count?: number; rate?: number } {
  const sample = (body as { data?: { attributes?: { sample?: Record<string, unknown> } } } | undefined)?.data?.attributes?.sample
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
  return { count: num(sample?.count), rate: num(sample?.rate) }
}

/** GET on k6's API: the parsed body, undefined for 404 (a metric not seen yet); rejects when k6 does not answer. */
function getJson(agent: http.Agent, address: string, path: string): Promise<unknown> {
  const [host, port] = splitAddress(address)
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => {
        if (res.statusCode === 404) return resolve(undefined)
        if (res.statusCode !== 200) return reject(new Error(`k6 API answered ${res.statusCode} for ${path}`))
        try {
          resolve(JSON.parse(body))
        } catch (err) {
          reject(err)
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error(`k6 API did not answer ${path} in time`)))
    req.on('error', reject)
  })
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':')
  return [address.slice(0, at), Number(address.slice(at + 1))]
}
