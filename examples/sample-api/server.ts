/**
 * Perf-Xi bundled sample API: the system under test for the demo, the tests and CI.
 *
 * A plain `node:http` server (no framework) with fast, slow, flaky and authenticated
 * endpoints over an in-memory catalogue of 100 products. It is the target of real k6
 * runs at thousands of requests per second, so the hot paths serve pre-serialised
 * buffers with pre-built header arrays and allocate as little as possible.
 *
 * The routes here are described exactly by `openapi.yaml` next to this file, except GET /capacity,
 * described by `capacity.openapi.yaml`: an endpoint that degrades with concurrency, for the stress
 * and spike profiles (kept out of the store's spec so its smoke runs and endpoint counts stay as
 * they are); and GET /orders, GET /orders/{order_id}, described by `orders.openapi.yaml`: the order
 * history, whose ids the spec gives no example of (real ids come only from the list); and
 * GET /retained, described by `leak.openapi.yaml`: an endpoint that can leak (for drift). Keep the
 * specs and the routes in step (the tests check it both ways).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SampleApiOptions {
  /** TCP port; 0 (the default) picks a free port. */
  port?: number
  /** Interface to bind; default 127.0.0.1. */
  host?: string
  /** Bearer token GET /account accepts; default 'demo-token'. */
  token?: string
  /** Probability (0..1) that GET /inventory/flaky fails; default 0.02. */
  flakyRate?: number
  /** How GET /inventory/flaky fails: 500 (its backend failed, the default) or 503 (unavailable, no Retry-After). */
  flakyStatus?: 500 | 503
  /** Delay of GET /reports/slow in milliseconds; default 150. */
  slowMs?: number
  /** Seed of the PRNG behind GET /inventory/flaky; default 42 (runs are repeatable). */
  seed?: number
  /** GET /capacity's limits when a request does not carry its own (query parameters of the same names). */
  capacity?: Partial<CapacityLimits>
  /**
   * GET /retained's leak: microseconds its answer takes longer for every request it has served (a
   * cache that keeps everything and scans it). Default 0: no leak, a steady 1 ms.
   */
  leakUs?: number
}

/**
 * GET /capacity: a service of limited capacity. `slots` requests are served at once, each holding
 * its slot for `workMs`; up to `queue` more wait their turn (first come, first served); beyond
 * that a request is refused at once with 503. Latency grows with concurrency as the queue fills,
 * then the error rate does.
 *   contentionMs  each request holds its slot this much longer per request waiting when it starts
 *                 (lock contention, thrashing): throughput falls as load rises
 *   cooldownMs    after a request was refused, every request takes COOLDOWN_SLOWDOWN times as long
 *                 for this long (a backend that needs time to recover from overload)
 */
export interface CapacityLimits {
  slots: number
  queue: number
  workMs: number
  contentionMs: number
  cooldownMs: number
}

export const DEFAULT_CAPACITY: Readonly<CapacityLimits> = Object.freeze({ slots: 8, queue: 32, workMs: 10, contentionMs: 0, cooldownMs: 0 })
/** How much slower GET /capacity serves while it cools down after refusing a request. */
export const COOLDOWN_SLOWDOWN = 5
/** The query parameter of each limit, and its largest value (the spec documents both). */
const CAPACITY_PARAMS: ReadonlyArray<{ key: keyof CapacityLimits; param: string; min: number; max: number }> = [
  { key: 'slots', param: 'slots', min: 1, max: 1000 },
  { key: 'queue', param: 'queue', min: 0, max: 10_000 },
  { key: 'workMs', param: 'work_ms', min: 0, max: 60_000 },
  { key: 'contentionMs', param: 'contention_ms', min: 0, max: 60_000 },
  { key: 'cooldownMs', param: 'cooldown_ms', min: 0, max: 600_000 },
]

export interface SampleApi {
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string
  port: number
  /** Stops listening, closes every keep-alive socket, cancels pending slow responses. */
  close(): Promise<void>
  /**
   * Requests served per route, keyed "METHOD /path-template" (e.g. "GET /products/{id}"),
   * every route present (0 when never hit), plus "UNMATCHED" for requests that matched no
   * route (404 unknown path, 405 known path with another method).
   */
  stats(): Record<string, number>
}

/** Every route openapi.yaml describes, as "METHOD /path-template" (same order as the spec); CAPACITY_ROUTES are the others. */
export const SAMPLE_API_ROUTES = [
  'GET /health',
  'GET /products',
  'GET /products/{id}',
  'GET /search',
  'GET /reports/slow',
  'GET /inventory/flaky',
  'GET /account',
  'POST /orders',
] as const
export type SampleApiRoute = (typeof SAMPLE_API_ROUTES)[number]
/** Routes described by capacity.openapi.yaml rather than openapi.yaml. */
export const CAPACITY_ROUTES = ['GET /capacity'] as const
/** Routes described by orders.openapi.yaml: the order history. */
export const ORDER_HISTORY_ROUTES = ['GET /orders', 'GET /orders/{order_id}'] as const
/** Routes described by leak.openapi.yaml: the endpoint that can leak. */
export const LEAK_ROUTES = ['GET /retained'] as const
/** GET /retained's own time before any leak, in ms. */
export const RETAINED_BASE_MS = 1
export const UNMATCHED_KEY = 'UNMATCHED'

export const PRODUCT_COUNT = 100
export const CATEGORIES = ['electronics', 'books', 'home', 'garden', 'toys'] as const
export type Category = (typeof CATEGORIES)[number]

// Route indexes into the counters array (same order as SAMPLE_API_ROUTES).
const R_HEALTH = 0
const R_PRODUCTS = 1
const R_PRODUCT = 2
const R_SEARCH = 3
const R_SLOW = 4
const R_FLAKY = 5
const R_ACCOUNT = 6
const R_ORDERS = 7
const R_CAPACITY = 8
const R_ORDER_LIST = 9
const R_ORDER = 10
const R_RETAINED = 11
const R_UNMATCHED = 12
const ALL_ROUTES: readonly string[] = [...SAMPLE_API_ROUTES, ...CAPACITY_ROUTES, ...ORDER_HISTORY_ROUTES, ...LEAK_ROUTES]

const MAX_BODY_BYTES = 16 * 1024
const SEARCH_PAGE = 20
const SEARCH_CACHE_MAX = 1024
const LIST_CACHE_MAX = 512
const Q_MAX_LENGTH = 100
const NOTE_MAX_LENGTH = 200

// ---------------------------------------------------------------------------
// In-memory catalogue (deterministic: the same 100 products on every start)
// ---------------------------------------------------------------------------

export interface Product {
  id: number
  sku: string
  name: string
  category: Category
  price: number
  currency: 'USD'
  stock: number
  rating: number
  description: string
}

const ADJECTIVES = ['Classic', 'Compact', 'Deluxe', 'Eco', 'Smart', 'Vintage', 'Rugged', 'Premium', 'Mini', 'Ultra'] as const
const NOUNS: Record<Category, readonly string[]> = {
  electronics: ['Headphones', 'Charger', 'Speaker', 'Keyboard'],
  books: ['Cookbook', 'Novel', 'Atlas', 'Notebook'],
  home: ['Lamp', 'Kettle', 'Blanket', 'Mug'],
  garden: ['Shovel', 'Planter', 'Hose', 'Rake'],
  toys: ['Puzzle', 'Robot', 'Kite', 'Yo-yo'],
}

function buildCatalogue(): readonly Product[] {
  const products: Product[] = []
  for (let id = 1; id <= PRODUCT_COUNT; id++) {
    const category = CATEGORIES[(id - 1) % CATEGORIES.length]!
    const round = Math.floor((id - 1) / CATEGORIES.length) // 0..19
    const nouns = NOUNS[category]
    const noun = nouns[round % nouns.length]!
    const adjective = ADJECTIVES[(id * 3 + round) % ADJECTIVES.length]!
    const name = `${adjective} ${noun}`
    products.push({
      id,
      sku: `SKU-${String(id).padStart(4, '0')}`,
      name,
      category,
      price: Math.round((4.99 + ((id * 37) % 200) + (id % 7) * 0.25) * 100) / 100,
      currency: 'USD',
      stock: (id * 13) % 250,
      rating: Math.round((3 + ((id * 7) % 21) / 10) * 10) / 10,
      description: `${name} (${category}), catalogue item ${id} of the Perf-Xi sample store.`,
    })
  }
  return Object.freeze(products.map((p) => Object.freeze(p)))
}

export interface PastOrder {
  id: string
  productId: number
  quantity: number
  total: number
  currency: 'USD'
  status: 'delivered'
  createdAt: string
}

export const PAST_ORDER_COUNT = 12

/** The order history (fixed): ids ord-1001..ord-1012, which no example in the specs gives away. */
function buildOrderHistory(): readonly PastOrder[] {
  const orders: PastOrder[] = []
  for (let i = 1; i <= PAST_ORDER_COUNT; i++) {
    const product = CATALOGUE[(i * 7) % PRODUCT_COUNT]!
    const quantity = 1 + (i % 3)
    orders.push({
      id: `ord-${1000 + i}`,
      productId: product.id,
      quantity,
      total: Math.round(product.price * quantity * 100) / 100,
      currency: 'USD',
      status: 'delivered',
      createdAt: `2024-03-${String(i).padStart(2, '0')}T10:00:00Z`,
    })
  }
  return Object.freeze(orders.map((o) => Object.freeze(o)))
}

/** The catalogue the server serves (frozen; ids 1..100). */
export const CATALOGUE: readonly Product[] = buildCatalogue()
const PRODUCT_JSON: readonly string[] = CATALOGUE.map((p) => JSON.stringify(p))
export const ORDER_HISTORY: readonly PastOrder[] = buildOrderHistory()
const SEARCH_TEXT: readonly string[] = CATALOGUE.map((p) => `${p.name} ${p.description}`.toLowerCase())

// ---------------------------------------------------------------------------
// Pre-serialised responses
// ---------------------------------------------------------------------------

type Headers = readonly string[]
interface Prepared {
  status: number
  body: Buffer
  headers: Headers
}

const JSON_TYPE = 'application/json; charset=utf-8'

function prepare(status: number, body: unknown, extraHeaders: readonly string[] = []): Prepared {
  const buf = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
  return { status, body: buf, headers: ['content-type', JSON_TYPE, 'content-length', String(buf.length), ...extraHeaders] }
}

function errorBody(error: string, message: string): { error: string; message: string } {
  return { error, message }
}

const HEALTH = prepare(200, { status: 'ok' })
const NOT_FOUND_ROUTE = prepare(404, errorBody('not_found', 'no such route'))
const NOT_FOUND_PRODUCT = prepare(404, errorBody('not_found', 'product not found'))
const BAD_PRODUCT_ID = prepare(400, errorBody('bad_request', 'path parameter id must be an integer'))
const EMPTY_LIST = prepare(200, '[]')
const INTERNAL_ERROR = prepare(500, errorBody('internal_error', 'unexpected server error'))
const NOT_FOUND_ORDER = prepare(404, errorBody('not_found', 'order not found'))
const FLAKY_FAILURE = prepare(500, errorBody('inventory_unavailable', 'inventory backend timed out, try again'))
const FLAKY_UNAVAILABLE = prepare(503, errorBody('inventory_unavailable', 'inventory backend is restarting, try again'))
const UNAUTHORIZED = prepare(401, errorBody('unauthorized', 'missing or invalid bearer token'), [
  'www-authenticate',
  'Bearer realm="perf-xi-sample"',
])
const PRODUCT_RESPONSES: readonly Prepared[] = PRODUCT_JSON.map((json) => prepare(200, json))
const ORDER_LIST = prepare(200, { data: ORDER_HISTORY, total: ORDER_HISTORY.length })
const ORDER_RESPONSES: ReadonlyMap<string, Prepared> = new Map(ORDER_HISTORY.map((o) => [o.id, prepare(200, o)]))

const INVENTORY_OK = prepare(200, {
  status: 'ok',
  warehouses: [
    { id: 'ams-1', region: 'eu-west', units: CATALOGUE.reduce((n, p) => n + (p.id % 2 === 0 ? p.stock : 0), 0) },
    { id: 'iad-1', region: 'us-east', units: CATALOGUE.reduce((n, p) => n + (p.id % 2 === 1 ? p.stock : 0), 0) },
  ],
  totalUnits: CATALOGUE.reduce((n, p) => n + p.stock, 0),
})

const ACCOUNT_OK = prepare(200, {
  id: 'acct_1001',
  name: 'Demo Customer',
  email: 'demo@example.com',
  plan: 'pro',
  createdAt: '2024-01-15T09:30:00.000Z',
})

function buildReport(slowMs: number): Prepared {
  const rows = CATEGORIES.map((category) => {
    const items = CATALOGUE.filter((p) => p.category === category)
    const stock = items.reduce((n, p) => n + p.stock, 0)
    const value = Math.round(items.reduce((n, p) => n + p.price * p.stock, 0) * 100) / 100
    return { category, products: items.length, unitsInStock: stock, stockValue: value }
  })
  return prepare(200, { report: 'inventory-by-category', currency: 'USD', computeMs: slowMs, rows })
}

function methodNotAllowed(allow: string): Prepared {
  return prepare(405, errorBody('method_not_allowed', `use ${allow}`), ['allow', allow])
}

const ALLOW_GET = methodNotAllowed('GET')
const OVER_CAPACITY = prepare(503, errorBody('over_capacity', 'every slot is busy and the queue is full, try again'), ['retry-after', '1'])
const ALLOW_GET_POST = methodNotAllowed('GET, POST')

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** mulberry32: tiny, fast, good enough for a failure-injection coin. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DIGITS = /^[0-9]{1,9}$/

/** Parses a non-negative decimal integer string (no sign, no spaces); NaN when not one. */
function parseUint(s: string | null): number {
  return s !== null && DIGITS.test(s) ? Number(s) : Number.NaN
}

function send(res: http.ServerResponse, p: Prepared): void {
  res.writeHead(p.status, p.headers as string[])
  res.end(p.body)
}

function sendJson(res: http.ServerResponse, status: number, json: string, closeConnection = false): void {
  const body = Buffer.from(json)
  const headers = ['content-type', JSON_TYPE, 'content-length', String(body.length)]
  if (closeConnection) headers.push('connection', 'close')
  res.writeHead(status, headers)
  res.end(body)
}

function badRequest(res: http.ServerResponse, message: string, closeConnection = false): void {
  sendJson(res, 400, JSON.stringify(errorBody('bad_request', message)), closeConnection)
}

function isJsonContentType(ct: string | undefined): boolean {
  if (ct === undefined) return false
  const semi = ct.indexOf(';')
  const mime = (semi === -1 ? ct : ct.slice(0, semi)).trim().toLowerCase()
  return mime === 'application/json'
}

const ORDER_KEYS = new Set(['productId', 'quantity', 'note'])

/** Returns an error message, or undefined when the order body is valid. */
function validateOrder(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object'
  const o = body as Record<string, unknown>
  for (const k of Object.keys(o)) if (!ORDER_KEYS.has(k)) return `unknown property '${k}'`
  const { productId, quantity, note } = o
  if (productId === undefined) return 'productId is required'
  if (typeof productId !== 'number' || !Number.isInteger(productId) || productId < 1 || productId > PRODUCT_COUNT)
    return `productId must be an integer from 1 to ${PRODUCT_COUNT}`
  if (quantity === undefined) return 'quantity is required'
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 10)
    return 'quantity must be an integer from 1 to 10'
  if (note !== undefined && (typeof note !== 'string' || note.length > NOTE_MAX_LENGTH))
    return `note must be a string of at most ${NOTE_MAX_LENGTH} characters`
  return undefined
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

export async function startSampleApi(opts: SampleApiOptions = {}): Promise<SampleApi> {
  const port = opts.port ?? 0
  const host = opts.host ?? '127.0.0.1'
  const token = opts.token ?? 'demo-token'
  const flakyRate = opts.flakyRate ?? 0.02
  const slowMs = opts.slowMs ?? 150
  const seed = opts.seed ?? 42
  const flakyFailure = (opts.flakyStatus ?? 500) === 503 ? FLAKY_UNAVAILABLE : FLAKY_FAILURE
  const leakUs = opts.leakUs ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer 0..65535, got ${port}`)
  if (!(flakyRate >= 0 && flakyRate <= 1)) throw new RangeError(`flakyRate must be within 0..1, got ${flakyRate}`)
  if (!(slowMs >= 0 && Number.isFinite(slowMs))) throw new RangeError(`slowMs must be a finite number >= 0, got ${slowMs}`)
  if (opts.flakyStatus !== undefined && opts.flakyStatus !== 500 && opts.flakyStatus !== 503) throw new RangeError(`flakyStatus must be 500 or 503, got ${opts.flakyStatus}`)
  if (!(leakUs >= 0 && Number.isFinite(leakUs))) throw new RangeError(`leakUs must be a finite number >= 0, got ${leakUs}`)
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`)
  if (token.length === 0) throw new RangeError('token must not be empty')
  const capacityDefaults: CapacityLimits = { ...DEFAULT_CAPACITY, ...opts.capacity }
  for (const { key, min, max } of CAPACITY_PARAMS) {
    const v = capacityDefaults[key]
    if (!(Number.isInteger(v) && v >= min && v <= max)) throw new RangeError(`capacity.${key} must be an integer ${min}..${max}, got ${v}`)
  }

  const expectedAuth = `bearer ${token}`
  const random = mulberry32(seed)
  const counters = new Float64Array(ALL_ROUTES.length + 1)
  const pendingSlow = new Set<NodeJS.Timeout>()
  const report = buildReport(slowMs)
  const listCache = new Map<number, Prepared>()
  const searchCache = new Map<string, Prepared>()
  let nextOrderId = 1
  // GET /capacity: requests being served, requests waiting, and until when it is cooling down.
  let capacityBusy = 0
  const capacityQueue: Array<{ res: http.ServerResponse; limits: CapacityLimits; queuedAt: number }> = []
  let capacityCoolUntil = 0

  function listProducts(res: http.ServerResponse, qs: string): void {
    let limit = 20
    let offset = 0
    if (qs.length > 0) {
      const params = new URLSearchParams(qs)
      const l = params.get('limit')
      const o = params.get('offset')
      if (l !== null) {
        limit = parseUint(l)
        if (!(limit >= 1 && limit <= 100)) return badRequest(res, 'query parameter limit must be an integer from 1 to 100')
      }
      if (o !== null) {
        offset = parseUint(o)
        if (!(offset >= 0)) return badRequest(res, 'query parameter offset must be an integer >= 0')
      }
    }
    if (offset >= PRODUCT_COUNT) return send(res, EMPTY_LIST)
    const key = limit * 1000 + offset
    let p = listCache.get(key)
    if (p === undefined) {
      p = prepare(200, `[${PRODUCT_JSON.slice(offset, offset + limit).join(',')}]`)
      if (listCache.size < LIST_CACHE_MAX) listCache.set(key, p)
    }
    send(res, p)
  }

  function search(res: http.ServerResponse, qs: string): void {
    const params = new URLSearchParams(qs)
    const q = params.get('q')
    if (q === null || q.length === 0) return badRequest(res, 'query parameter q is required (at least 1 character)')
    if (q.length > Q_MAX_LENGTH) return badRequest(res, `query parameter q must be at most ${Q_MAX_LENGTH} characters`)
    const category = params.get('category')
    if (category !== null && !(CATEGORIES as readonly string[]).includes(category))
      return badRequest(res, `query parameter category must be one of ${CATEGORIES.join(', ')}`)
    const key = `${category ?? ''}\u0000${q}`
    let p = searchCache.get(key)
    if (p === undefined) {
      const needle = q.toLowerCase()
      const hits: string[] = []
      let total = 0
      for (let i = 0; i < PRODUCT_COUNT; i++) {
        if (category !== null && CATALOGUE[i]!.category !== category) continue
        if (!SEARCH_TEXT[i]!.includes(needle)) continue
        total++
        if (hits.length < SEARCH_PAGE) hits.push(PRODUCT_JSON[i]!)
      }
      p = prepare(
        200,
        `{"query":${JSON.stringify(q)},"category":${category === null ? 'null' : JSON.stringify(category)},"total":${total},"items":[${hits.join(',')}]}`,
      )
      if (searchCache.size < SEARCH_CACHE_MAX) searchCache.set(key, p)
    }
    send(res, p)
  }

  function slowReport(res: http.ServerResponse): void {
    const timer = setTimeout(() => {
      pendingSlow.delete(timer)
      if (!res.destroyed) send(res, report)
    }, slowMs)
    pendingSlow.add(timer)
  }

  /** GET /retained: 1 ms, plus leakUs for every request it served before (the leak). */
  function retained(res: http.ServerResponse): void {
    const served = counters[R_RETAINED]!++
    const body = prepare(200, `{"retained":${served + 1}}`)
    const timer = setTimeout(
      () => {
        pendingSlow.delete(timer)
        if (!res.destroyed) send(res, body)
      },
      RETAINED_BASE_MS + (served * leakUs) / 1000,
    )
    pendingSlow.add(timer)
  }

  function capacity(res: http.ServerResponse, qs: string): void {
    let limits = capacityDefaults
    if (qs.length > 0) {
      const params = new URLSearchParams(qs)
      limits = { ...capacityDefaults }
      for (const { key, param, min, max } of CAPACITY_PARAMS) {
        const raw = params.get(param)
        if (raw === null) continue
        const v = parseUint(raw)
        if (!(v >= min && v <= max)) return badRequest(res, `query parameter ${param} must be an integer from ${min} to ${max}`)
        limits[key] = v
      }
    }
    const now = Date.now()
    if (capacityBusy < limits.slots) return serveCapacity(res, limits, now)
    if (capacityQueue.length < limits.queue) {
      capacityQueue.push({ res, limits, queuedAt: now })
      return
    }
    if (limits.cooldownMs > 0) capacityCoolUntil = Math.max(capacityCoolUntil, now + limits.cooldownMs)
    send(res, OVER_CAPACITY)
  }

  function serveCapacity(res: http.ServerResponse, limits: CapacityLimits, queuedAt: number): void {
    capacityBusy++
    const now = Date.now()
    const cooling = now < capacityCoolUntil
    const workMs = limits.workMs * (cooling ? COOLDOWN_SLOWDOWN : 1) + limits.contentionMs * capacityQueue.length
    const timer = setTimeout(() => {
      pendingSlow.delete(timer)
      capacityBusy--
      if (!res.destroyed) {
        sendJson(res, 200, `{"slots":${limits.slots},"waitedMs":${now - queuedAt},"workMs":${workMs},"cooling":${cooling}}`)
      }
      // The next in line whose client is still there takes the slot.
      for (let next = capacityQueue.shift(); next !== undefined; next = capacityQueue.shift()) {
        if (next.res.destroyed) continue
        serveCapacity(next.res, next.limits, next.queuedAt)
        break
      }
    }, workMs)
    pendingSlow.add(timer)
  }

  function createOrder(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!isJsonContentType(req.headers['content-type'])) {
      req.resume()
      return badRequest(res, 'content-type must be application/json')
    }
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        tooLarge = true
        chunks.length = 0
        // Answer now and drop the connection rather than read an oversized upload.
        badRequest(res, `body must be at most ${MAX_BODY_BYTES} bytes`, true)
        res.once('finish', () => req.socket.destroy())
        return
      }
      chunks.push(chunk)
    })
    req.on('error', () => {
      /* client went away mid-body: nothing to answer */
    })
    req.on('end', () => {
      if (tooLarge || res.headersSent) return
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'))
      } catch {
        return badRequest(res, 'body is not valid JSON')
      }
      const problem = validateOrder(body)
      if (problem !== undefined) return badRequest(res, problem)
      const o = body as { productId: number; quantity: number; note?: string }
      const product = CATALOGUE[o.productId - 1]!
      const order = {
        id: nextOrderId++,
        productId: o.productId,
        quantity: o.quantity,
        ...(o.note !== undefined ? { note: o.note } : {}),
        unitPrice: product.price,
        total: Math.round(product.price * o.quantity * 100) / 100,
        currency: product.currency,
        status: 'created',
        createdAt: new Date().toISOString(),
      }
      sendJson(res, 201, JSON.stringify(order))
    })
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/'
    const qi = url.indexOf('?')
    const path = qi === -1 ? url : url.slice(0, qi)
    const qs = qi === -1 ? '' : url.slice(qi + 1)
    const isGet = req.method === 'GET'

    switch (path) {
      case '/health':
        if (!isGet) break
        counters[R_HEALTH]!++
        return send(res, HEALTH)
      case '/products':
        if (!isGet) break
        counters[R_PRODUCTS]!++
        return listProducts(res, qs)
      case '/search':
        if (!isGet) break
        counters[R_SEARCH]!++
        return search(res, qs)
      case '/reports/slow':
        if (!isGet) break
        counters[R_SLOW]!++
        return slowReport(res)
      case '/inventory/flaky':
        if (!isGet) break
        counters[R_FLAKY]!++
        return send(res, random() < flakyRate ? flakyFailure : INVENTORY_OK)
      case '/account': {
        if (!isGet) break
        counters[R_ACCOUNT]!++
        const auth = req.headers.authorization
        const ok = auth !== undefined && auth.length === expectedAuth.length && auth.slice(0, 7).toLowerCase() === 'bearer ' && auth.slice(7) === token
        return send(res, ok ? ACCOUNT_OK : UNAUTHORIZED)
      }
      case '/retained':
        if (!isGet) break
        return retained(res)
      case '/capacity':
        if (!isGet) break
        counters[R_CAPACITY]!++
        return capacity(res, qs)
      case '/orders':
        if (isGet) {
          counters[R_ORDER_LIST]!++
          return send(res, ORDER_LIST)
        }
        if (req.method !== 'POST') break
        counters[R_ORDERS]!++
        return createOrder(req, res)
      default:
        if (path.startsWith('/orders/') && path.indexOf('/', 8) === -1 && path.length > 8) {
          if (!isGet) break
          counters[R_ORDER]!++
          return send(res, ORDER_RESPONSES.get(path.slice(8)) ?? NOT_FOUND_ORDER)
        }
        if (path.startsWith('/products/') && path.indexOf('/', 10) === -1 && path.length > 10) {
          if (!isGet) break
          counters[R_PRODUCT]!++
          const id = parseUint(path.slice(10))
          if (Number.isNaN(id)) return send(res, BAD_PRODUCT_ID)
          return send(res, id >= 1 && id <= PRODUCT_COUNT ? PRODUCT_RESPONSES[id - 1]! : NOT_FOUND_PRODUCT)
        }
        counters[R_UNMATCHED]!++
        req.resume()
        return send(res, NOT_FOUND_ROUTE)
    }
    // Known path, other method.
    counters[R_UNMATCHED]!++
    req.resume()
    send(res, path === '/orders' ? ALLOW_GET_POST : ALLOW_GET)
  }

  const server = http.createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    try {
      handle(req, res)
    } catch {
      // Never crash on bad input: answer 500 if we still can.
      if (!res.headersSent) send(res, INTERNAL_ERROR)
      else res.destroy()
    }
  })
  server.keepAliveTimeout = 30_000
  server.headersTimeout = 35_000
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
    else socket.destroy()
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })

  const actualPort = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host
  let closing: Promise<void> | undefined

  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close(): Promise<void> {
      if (closing === undefined) {
        closing = new Promise<void>((resolve, reject) => {
          for (const t of pendingSlow) clearTimeout(t)
          pendingSlow.clear()
          server.close((err) => (err ? reject(err) : resolve()))
          server.closeAllConnections()
        })
      }
      return closing
    },
    stats(): Record<string, number> {
      const out: Record<string, number> = {}
      ALL_ROUTES.forEach((route, i) => {
        out[route] = counters[i]!
      })
      out[UNMATCHED_KEY] = counters[R_UNMATCHED]!
      return out
    },
  }
}
