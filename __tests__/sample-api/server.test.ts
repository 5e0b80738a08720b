import { execFile } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import type { OpenAPIV3 } from 'openapi-types'
import {
  CAPACITY_ROUTES,
  LEAK_ROUTES,
  ORDER_HISTORY_ROUTES,
  PAST_ORDER_COUNT,
  CATALOGUE,
  COOLDOWN_SLOWDOWN,
  SAMPLE_API_ROUTES,
  UNMATCHED_KEY,
  startSampleApi,
  type SampleApi,
} from '../../examples/sample-api/server.js'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SPEC_PATH = fileURLToPath(new URL('../../examples/sample-api/openapi.yaml', import.meta.url))
const CAPACITY_SPEC_PATH = fileURLToPath(new URL('../../examples/sample-api/capacity.openapi.yaml', import.meta.url))
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

interface Res {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the sample API's JSON bodies of many shapes, read in assertions
  body: any
}

async function call(api: SampleApi, path: string, init: RequestInit = {}): Promise<Res> {
  const r = await fetch(api.url + path, init)
  const text = await r.text()
  let body: unknown = text
  if ((r.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text)
  return { status: r.status, headers: r.headers, body }
}

function postOrder(api: SampleApi, body: unknown, contentType: string | null = 'application/json'): Promise<Res> {
  const headers: Record<string, string> = {}
  if (contentType !== null) headers['content-type'] = contentType
  return call(api, '/orders', {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

function expectError(res: Res, status: number): void {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expect(typeof res.body.error).toBe('string')
  expect(typeof res.body.message).toBe('string')
}

/**
 * `SwaggerParser.validate()` in a plain Node child process. @apidevtools/swagger-parser 13 is CommonJS
 * that require()s the ESM-only @apidevtools/json-schema-ref-parser: Node >= 20.19 allows that, jest's
 * module runtime does not ("Must use import to load ES Module"), so it cannot be loaded in-process here.
 * Resolves to the validated, dereferenced document; rejects with the validator's message.
 */
function validateWithSwaggerParser(specPath: string): Promise<OpenAPIV3.Document> {
  const script =
    "import P from '@apidevtools/swagger-parser';" + 'const api = await P.validate(process.argv[1]);' + 'process.stdout.write(JSON.stringify(api));'
  const env = { ...process.env }
  delete env.NODE_OPTIONS // no --experimental-vm-modules noise in the child
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, specPath], { cwd: REPO_ROOT, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`swagger-parser validate() failed: ${stderr || err.message}`))
      else resolve(JSON.parse(stdout) as OpenAPIV3.Document)
    })
  })
}

let api: SampleApi

beforeAll(async () => {
  api = await startSampleApi({ port: 0 })
})

afterAll(async () => {
  await api.close()
})

describe('startSampleApi', () => {
  test('listens on a free port of 127.0.0.1 and reports its URL', () => {
    expect(api.port).toBeGreaterThan(0)
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`)
  })

  test('rejects bad options', async () => {
    await expect(startSampleApi({ flakyRate: 1.5 })).rejects.toThrow(RangeError)
    await expect(startSampleApi({ slowMs: -1 })).rejects.toThrow(RangeError)
    await expect(startSampleApi({ port: 70000 })).rejects.toThrow(RangeError)
    await expect(startSampleApi({ token: '' })).rejects.toThrow(RangeError)
    await expect(startSampleApi({ capacity: { slots: 0 } })).rejects.toThrow('capacity.slots must be an integer 1..1000, got 0')
    await expect(startSampleApi({ capacity: { workMs: 2.5 } })).rejects.toThrow(RangeError)
  })

  test('rejects when the port is taken', async () => {
    await expect(startSampleApi({ port: api.port })).rejects.toThrow(/EADDRINUSE/)
  })
})

describe('GET /health', () => {
  test('200 {status: ok} as JSON', async () => {
    const res = await call(api, '/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.body).toEqual({ status: 'ok' })
  })
})

describe('GET /products', () => {
  test('defaults to the first 20 products', async () => {
    const res = await call(api, '/products')
    expect(res.status).toBe(200)
    expect(res.body).toHaveLength(20)
    expect(res.body.map((p: { id: number }) => p.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(res.body[0]).toEqual(CATALOGUE[0])
  })

  test('limit and offset page through the catalogue', async () => {
    expect((await call(api, '/products?limit=5&offset=10')).body.map((p: { id: number }) => p.id)).toEqual([11, 12, 13, 14, 15])
    expect((await call(api, '/products?limit=100')).body).toHaveLength(100)
    expect((await call(api, '/products?offset=95&limit=10')).body).toHaveLength(5)
    expect((await call(api, '/products?offset=100')).body).toEqual([])
    expect((await call(api, '/products?offset=123456')).body).toEqual([])
    // the same page twice (cached) is identical
    expect((await call(api, '/products?limit=5&offset=10')).body).toEqual((await call(api, '/products?offset=10&limit=5')).body)
  })

  test.each(['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'limit=', 'limit=-3', 'offset=-1', 'offset=x', 'offset=1e3'])(
    '400 on invalid query %s',
    async (query) => {
      expectError(await call(api, `/products?${query}`), 400)
    },
  )
})

describe('GET /products/{id}', () => {
  test('200 with the product', async () => {
    const res = await call(api, '/products/42')
    expect(res.status).toBe(200)
    expect(res.body).toEqual(CATALOGUE[41])
    expect(res.body.id).toBe(42)
    expect((await call(api, '/products/1')).body.id).toBe(1)
    expect((await call(api, '/products/100')).body.id).toBe(100)
  })

  test.each(['0', '101', '99999'])('404 for id %s', async (id) => {
    expectError(await call(api, `/products/${id}`), 404)
  })

  test.each(['abc', '-1', '4.2', '%20'])('400 for non-integer id %s', async (id) => {
    expectError(await call(api, `/products/${id}`), 400)
  })

  test('404 for deeper paths', async () => {
    expectError(await call(api, '/products/42/reviews'), 404)
    expectError(await call(api, '/products/'), 404)
  })
})

describe('GET /search', () => {
  test('finds products by substring, case-insensitively', async () => {
    const res = await call(api, '/search?q=LAMP')
    expect(res.status).toBe(200)
    expect(res.body.query).toBe('LAMP')
    expect(res.body.category).toBeNull()
    expect(res.body.total).toBeGreaterThan(0)
    expect(res.body.items.length).toBe(res.body.total)
    for (const item of res.body.items) expect(item.name.toLowerCase()).toContain('lamp')
  })

  test('filters by category', async () => {
    const home = await call(api, '/search?q=lamp&category=home')
    expect(home.status).toBe(200)
    expect(home.body.category).toBe('home')
    expect(home.body.total).toBeGreaterThan(0)
    for (const item of home.body.items) expect(item.category).toBe('home')
    const books = await call(api, '/search?q=lamp&category=books')
    expect(books.body).toEqual({ query: 'lamp', category: 'books', total: 0, items: [] })
  })

  test('caps items at 20 but reports the total', async () => {
    const res = await call(api, '/search?q=catalogue')
    expect(res.body.total).toBe(100)
    expect(res.body.items).toHaveLength(20)
  })

  test('decodes the query', async () => {
    const name = CATALOGUE[41]!.name
    const res = await call(api, `/search?q=${encodeURIComponent(name)}`)
    expect(res.body.items.map((p: { id: number }) => p.id)).toContain(42)
  })

  test.each(['', 'q=', 'category=home', 'q=lamp&category=furniture', `q=${'x'.repeat(101)}`])('400 on query "%s"', async (query) => {
    expectError(await call(api, `/search?${query}`), 400)
  })
})

describe('GET /reports/slow', () => {
  test('takes at least slowMs', async () => {
    const started = performance.now()
    const res = await call(api, '/reports/slow')
    const elapsed = performance.now() - started
    expect(res.status).toBe(200)
    expect(res.body.report).toBe('inventory-by-category')
    expect(res.body.rows).toHaveLength(5)
    expect(elapsed).toBeGreaterThanOrEqual(149) // timers may round down by < 1 ms
  })

  test('slowMs is configurable and concurrent requests do not queue', async () => {
    const slow = await startSampleApi({ slowMs: 300 })
    try {
      const started = performance.now()
      const all = await Promise.all(Array.from({ length: 20 }, () => call(slow, '/reports/slow')))
      const elapsed = performance.now() - started
      expect(all.every((r) => r.status === 200)).toBe(true)
      expect(elapsed).toBeGreaterThanOrEqual(299)
      expect(elapsed).toBeLessThan(3000) // 20 queued requests would take 6 s
    } finally {
      await slow.close()
    }
  })
})

describe('GET /inventory/flaky', () => {
  async function statuses(target: SampleApi, n: number): Promise<number[]> {
    const out: number[] = []
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, async () => (await fetch(`${target.url}/inventory/flaky`)).status))
      out.push(...batch)
    }
    return out
  }

  test('fails at roughly flakyRate over 2,000 requests', async () => {
    const flaky = await startSampleApi({ flakyRate: 0.1, seed: 7 })
    try {
      const got = await statuses(flaky, 2000)
      const failures = got.filter((s) => s === 500).length
      expect(got.filter((s) => s === 200).length + failures).toBe(2000)
      // expected 200, sd ~13.4: a wide band that a correct PRNG always meets
      expect(failures).toBeGreaterThan(140)
      expect(failures).toBeLessThan(260)
      expect(flaky.stats()['GET /inventory/flaky']).toBe(2000)
    } finally {
      await flaky.close()
    }
  }, 30_000)

  test('with flakyStatus 503 fails with 503 unavailable, without Retry-After, and the same sequence', async () => {
    const unavailable = await startSampleApi({ flakyRate: 0.3, seed: 7, flakyStatus: 503 })
    try {
      const res = await Promise.all(Array.from({ length: 50 }, () => fetch(`${unavailable.url}/inventory/flaky`)))
      const failed = res.filter((r) => r.status !== 200)
      expect(failed.length).toBeGreaterThan(0)
      for (const r of failed) {
        expect(r.status).toBe(503)
        expect(r.headers.get('retry-after')).toBeNull()
        expect(await r.json()).toMatchObject({ error: 'inventory_unavailable' })
      }
    } finally {
      await unavailable.close()
    }
    await expect(startSampleApi({ flakyStatus: 502 as 503 })).rejects.toThrow(RangeError)
  })

  test('the default rate is about 2 %', async () => {
    const failures = (await statuses(api, 2000)).filter((s) => s === 500).length
    expect(failures).toBeGreaterThan(15)
    expect(failures).toBeLessThan(70)
  }, 30_000)

  test('the same seed gives the same sequence', async () => {
    const sequence = async (seed: number): Promise<string> => {
      const s = await startSampleApi({ flakyRate: 0.3, seed })
      try {
        const out: number[] = []
        for (let i = 0; i < 100; i++) out.push((await fetch(`${s.url}/inventory/flaky`)).status)
        return out.map((x) => (x === 500 ? 'x' : '.')).join('')
      } finally {
        await s.close()
      }
    }
    const a = await sequence(1234)
    expect(await sequence(1234)).toBe(a)
    expect(await sequence(4321)).not.toBe(a)
  })

  test('rate 0 never fails, rate 1 always fails with a JSON error', async () => {
    const never = await startSampleApi({ flakyRate: 0 })
    const always = await startSampleApi({ flakyRate: 1 })
    try {
      expect((await statuses(never, 200)).every((s) => s === 200)).toBe(true)
      expect((await statuses(always, 50)).every((s) => s === 500)).toBe(true)
      expectError(await call(always, '/inventory/flaky'), 500)
      const ok = await call(never, '/inventory/flaky')
      expect(ok.body.status).toBe('ok')
      expect(ok.body.totalUnits).toBe(CATALOGUE.reduce((n, p) => n + p.stock, 0))
    } finally {
      await Promise.all([never.close(), always.close()])
    }
  })
})

describe('GET /account', () => {
  test('401 without or with a wrong bearer token', async () => {
    const none = await call(api, '/account')
    expectError(none, 401)
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /)
    for (const authorization of [
      'Bearer wrong',
      'Basic ZGVtbzpkZW1v',
      'Bearer',
      'demo-token',
      'Bearer  demo-token',
      'Bearer demo-token2',
      'Bearer DEMO-TOKEN',
    ]) {
      expectError(await call(api, '/account', { headers: { authorization } }), 401)
    }
  })

  test('200 with the token (scheme is case-insensitive)', async () => {
    for (const authorization of ['Bearer demo-token', 'bearer demo-token']) {
      const res = await call(api, '/account', { headers: { authorization } })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ id: 'acct_1001', plan: 'pro' })
    }
  })

  test('the token is configurable', async () => {
    const custom = await startSampleApi({ token: 's3cret' })
    try {
      expect((await call(custom, '/account', { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200)
      expect((await call(custom, '/account', { headers: { authorization: 'Bearer demo-token' } })).status).toBe(401)
    } finally {
      await custom.close()
    }
  })
})

describe('POST /orders', () => {
  test('201 with the order', async () => {
    const res = await postOrder(api, { productId: 42, quantity: 2, note: 'Leave at the front desk' })
    expect(res.status).toBe(201)
    const product = CATALOGUE[41]!
    expect(res.body).toMatchObject({
      productId: 42,
      quantity: 2,
      note: 'Leave at the front desk',
      unitPrice: product.price,
      total: Math.round(product.price * 2 * 100) / 100,
      currency: 'USD',
      status: 'created',
    })
    expect(Number.isInteger(res.body.id)).toBe(true)
    expect(Number.isNaN(Date.parse(res.body.createdAt))).toBe(false)
    const next = await postOrder(api, { productId: 1, quantity: 10 }, 'application/json; charset=utf-8')
    expect(next.status).toBe(201)
    expect(next.body.id).toBe(res.body.id + 1)
    expect(next.body).not.toHaveProperty('note')
    expect((await postOrder(api, { productId: 100, quantity: 1, note: 'n'.repeat(200) })).status).toBe(201)
  })

  test.each([
    ['missing productId', { quantity: 1 }],
    ['missing quantity', { productId: 1 }],
    ['productId 0', { productId: 0, quantity: 1 }],
    ['productId 101', { productId: 101, quantity: 1 }],
    ['productId 1.5', { productId: 1.5, quantity: 1 }],
    ['productId as string', { productId: '42', quantity: 1 }],
    ['quantity 0', { productId: 1, quantity: 0 }],
    ['quantity 11', { productId: 1, quantity: 11 }],
    ['quantity null', { productId: 1, quantity: null }],
    ['note too long', { productId: 1, quantity: 1, note: 'n'.repeat(201) }],
    ['note not a string', { productId: 1, quantity: 1, note: 5 }],
    ['unknown property', { productId: 1, quantity: 1, coupon: 'FREE' }],
    ['an array', [{ productId: 1, quantity: 1 }]],
    ['null', null],
    ['a number', 42],
    ['invalid JSON', '{"productId": 1,'],
    ['empty body', ''],
  ])('400 on %s', async (_name, body) => {
    const res = await postOrder(api, body)
    expectError(res, 400)
    expect(res.body.message.length).toBeGreaterThan(0)
  })

  test('400 on a wrong or missing content-type', async () => {
    const body = { productId: 1, quantity: 1 }
    expectError(await postOrder(api, body, 'text/plain'), 400)
    expectError(await postOrder(api, body, 'application/x-www-form-urlencoded'), 400)
    expectError(await postOrder(api, JSON.stringify(body), null), 400)
    expect((await postOrder(api, body, 'text/plain')).body.message).toMatch(/content-type/)
  })

  test('400 on an oversized body, and the server keeps serving', async () => {
    const res = await postOrder(api, { productId: 1, quantity: 1, note: 'x'.repeat(100_000) })
    expectError(res, 400)
    expect((await call(api, '/health')).status).toBe(200)
  })
})

describe('GET /capacity', () => {
  interface Served {
    status: number
    ms: number
    body: { slots?: number; waitedMs?: number; workMs?: number; cooling?: boolean; error?: string }
    retryAfter: string | null
  }

  async function timed(target: SampleApi, query = ''): Promise<Served> {
    const started = performance.now()
    const r = await fetch(`${target.url}/capacity${query}`)
    const body = (await r.json()) as Served['body']
    return { status: r.status, ms: performance.now() - started, body, retryAfter: r.headers.get('retry-after') }
  }

  test('serves `slots` requests at once, queues `queue` more in turn, and refuses the rest at once with 503', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, () => timed(api, '?slots=2&queue=3&work_ms=150')))
    const served = all.filter((r) => r.status === 200).sort((a, b) => a.ms - b.ms)
    const refused = all.filter((r) => r.status === 503)
    expect(served).toHaveLength(5)
    expect(refused).toHaveLength(5)
    for (const r of refused) {
      expect(r.body.error).toBe('over_capacity')
      expect(r.retryAfter).toBe('1')
      expect(r.ms).toBeLessThan(served[0]!.ms) // at once, not after a turn
    }
    // Two at once, then the three that waited, two and one at a time.
    expect(served.map((r) => Math.round(r.body.waitedMs! / 150))).toEqual([0, 0, 1, 1, 2])
    expect(served.every((r) => r.body.workMs === 150 && r.body.slots === 2 && r.body.cooling === false)).toBe(true)
    expect(served.at(-1)!.ms).toBeGreaterThanOrEqual(449)
  })

  test("takes its limits from the server's settings when a request carries none", async () => {
    const small = await startSampleApi({ capacity: { slots: 1, queue: 0, workMs: 100 } })
    try {
      const all = await Promise.all([timed(small), timed(small), timed(small)])
      expect(all.map((r) => r.status).sort()).toEqual([200, 503, 503])
      expect(all.find((r) => r.status === 200)!.body).toMatchObject({ slots: 1, workMs: 100 })
    } finally {
      await small.close()
    }
  })

  test('with contention_ms, a request holds its slot longer for each one waiting: throughput falls as load rises', async () => {
    const all = await Promise.all(Array.from({ length: 4 }, () => timed(api, '?slots=1&queue=10&work_ms=20&contention_ms=30')))
    const work = all.map((r) => r.body.workMs!).sort((a, b) => a - b)
    // The first starts before the others arrive; each later one starts with those still waiting.
    expect(work[0]).toBe(20)
    expect(work.every((w) => (w - 20) % 30 === 0)).toBe(true)
    expect(work.at(-1)).toBeGreaterThan(20)
  })

  test(`with cooldown_ms, a refusal leaves it ${COOLDOWN_SLOWDOWN}× slower for that long`, async () => {
    const cooling = await startSampleApi({ capacity: { slots: 1, queue: 0, workMs: 20, cooldownMs: 400 } })
    try {
      const before = await timed(cooling)
      expect(before.body).toMatchObject({ workMs: 20, cooling: false })
      const pair = await Promise.all([timed(cooling), timed(cooling)])
      expect(pair.map((r) => r.status).sort()).toEqual([200, 503])
      const after = await timed(cooling)
      expect(after.body).toMatchObject({ workMs: 20 * COOLDOWN_SLOWDOWN, cooling: true })
      await new Promise((resolve) => setTimeout(resolve, 450))
      expect((await timed(cooling)).body).toMatchObject({ workMs: 20, cooling: false })
    } finally {
      await cooling.close()
    }
  })

  test.each(['slots=0', 'slots=1001', 'slots=two', 'queue=-1', 'queue=1.5', 'work_ms=60001', 'contention_ms=x', 'cooldown_ms=600001'])(
    '400 on %s, naming the parameter and its range',
    async (query) => {
      const res = await call(api, `/capacity?${query}`)
      expectError(res, 400)
      expect(res.body.message).toMatch(new RegExp(`^query parameter ${query.split('=')[0]} must be an integer from \\d+ to \\d+$`))
    },
  )
})

describe('routing and robustness', () => {
  test('unknown routes answer 404 JSON', async () => {
    for (const path of ['/', '/nope', '/health/', '/HEALTH', '/orders/1/x', '/reports', '/inventory']) {
      expectError(await call(api, path), 404)
    }
    expectError(await call(api, '/nope', { method: 'DELETE' }), 404)
  })

  test('known paths with another method answer 405 with Allow', async () => {
    const putOrders = await call(api, '/orders', { method: 'PUT', body: '{}' })
    expectError(putOrders, 405)
    expect(putOrders.headers.get('allow')).toBe('GET, POST')
    const postHealth = await call(api, '/health', { method: 'POST', body: '{}' })
    expectError(postHealth, 405)
    expect(postHealth.headers.get('allow')).toBe('GET')
    expectError(await call(api, '/products/1', { method: 'DELETE' }), 405)
  })

  test('stats count requests per route template', async () => {
    const s = await startSampleApi()
    try {
      await call(s, '/products/1')
      await call(s, '/products/2')
      await call(s, '/products/999')
      await call(s, '/products?limit=abc')
      await postOrder(s, { productId: 1, quantity: 1 })
      await call(s, '/nowhere')
      await call(s, '/orders', { method: 'PUT', body: '{}' })
      await call(s, '/orders')
      await call(s, '/orders/ord-1001')
      const stats = s.stats()
      expect(Object.keys(stats).sort()).toEqual([...SAMPLE_API_ROUTES, ...CAPACITY_ROUTES, ...ORDER_HISTORY_ROUTES, ...LEAK_ROUTES, UNMATCHED_KEY].sort())
      expect(stats).toMatchObject({
        'GET /products/{id}': 3,
        'GET /products': 1,
        'POST /orders': 1,
        'GET /health': 0,
        'GET /orders': 1,
        'GET /orders/{order_id}': 1,
        [UNMATCHED_KEY]: 2,
      })
    } finally {
      await s.close()
    }
  })

  test('malformed HTTP gets a 400 and does not crash the server', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(api.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'))
      let data = ''
      socket.on('data', (d) => (data += d.toString()))
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
    })
    expect(reply).toMatch(/^HTTP\/1\.1 400/)
    expect((await call(api, '/health')).status).toBe(200)
  })

  test('keeps connections alive', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const ports = new Set<number>()
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve, reject) => {
          http
            .get(`${api.url}/health`, { agent }, (res) => {
              expect(res.headers.connection).toBe('keep-alive')
              ports.add(res.socket.localPort!)
              res.resume()
              res.on('end', resolve)
            })
            .on('error', reject)
        })
      }
      expect(ports.size).toBe(1)
    } finally {
      agent.destroy()
    }
  })

  test('close() ends promptly with idle keep-alive sockets and pending slow requests', async () => {
    const s = await startSampleApi({ slowMs: 10_000 })
    const agent = new http.Agent({ keepAlive: true })
    try {
      await new Promise<void>((resolve, reject) => {
        http.get(`${s.url}/health`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject)
      })
      const pending = fetch(`${s.url}/reports/slow`).catch((e: unknown) => e)
      await new Promise((r) => setTimeout(r, 50))
      const started = performance.now()
      await s.close()
      expect(performance.now() - started).toBeLessThan(1000)
      // fetch rejects (its TypeError comes from another realm, so no toBeInstanceOf)
      expect(String(await pending)).toMatch(/fetch failed/)
      await s.close() // idempotent
    } finally {
      agent.destroy()
    }
  })
})

describe('openapi.yaml', () => {
  let spec: OpenAPIV3.Document
  let specServer: SampleApi

  beforeAll(async () => {
    // validate() checks the document against the OpenAPI 3.0 schema and resolves every $ref.
    spec = await validateWithSwaggerParser(SPEC_PATH)
    specServer = await startSampleApi({ flakyRate: 0 })
  })

  afterAll(async () => {
    await specServer.close()
  })

  function operations(): Array<{ key: string; path: string; method: string; op: OpenAPIV3.OperationObject }> {
    const out = []
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of METHODS) {
        const op = item?.[method]
        if (op) out.push({ key: `${method.toUpperCase()} ${path}`, path, method, op })
      }
    }
    return out
  }

  function exampleOf(p: OpenAPIV3.ParameterObject): unknown {
    return p.example ?? (p.schema as OpenAPIV3.SchemaObject | undefined)?.example
  }

  async function request(path: string, method: string, op: OpenAPIV3.OperationObject, auth = true): Promise<Res> {
    let url = path
    const query = new URLSearchParams()
    for (const p of (op.parameters ?? []) as OpenAPIV3.ParameterObject[]) {
      const value = exampleOf(p)
      expect(value).toBeDefined()
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)))
      else if (p.in === 'query') query.set(p.name, String(value))
    }
    const headers: Record<string, string> = {}
    if (auth && op.security?.some((s) => 'bearerAuth' in s)) headers.authorization = 'Bearer demo-token'
    let body: string | undefined
    const json = (op.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json']
    if (json) {
      expect(json.example).toBeDefined()
      body = JSON.stringify(json.example)
      headers['content-type'] = 'application/json'
    }
    const qs = query.toString()
    return call(specServer, qs ? `${url}?${qs}` : url, { method: method.toUpperCase(), headers, body })
  }

  test('the validator really rejects an invalid document', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = await mkdtemp(join(tmpdir(), 'perf-xi-spec-'))
    try {
      const bad = join(dir, 'bad.yaml')
      await writeFile(bad, 'openapi: 3.0.3\ninfo: {title: x}\npaths:\n  /x:\n    get:\n      responses: {}\n')
      await expect(validateWithSwaggerParser(bad)).rejects.toThrow(/swagger-parser validate\(\) failed/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('is OpenAPI 3.0.3 with the expected metadata', () => {
    expect(spec.openapi).toBe('3.0.3')
    expect(spec.info.title).toBeTruthy()
    expect(spec.servers).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:8080' })])
    expect(spec.tags?.map((t) => t.name)).toEqual(['catalog', 'search', 'reports', 'inventory', 'account', 'orders'])
    expect(spec.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(spec.security).toBeUndefined()
  })

  test('every operation has a unique operationId, a known tag and declared responses', () => {
    const ids = operations().map((o) => o.op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    const tags = new Set(spec.tags?.map((t) => t.name))
    for (const { op } of operations()) {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/)
      expect(op.tags?.length).toBe(1)
      expect(tags.has(op.tags![0]!)).toBe(true)
      expect(Object.keys(op.responses).length).toBeGreaterThan(0)
    }
  })

  test('only GET /account uses bearerAuth', () => {
    const secured = operations()
      .filter((o) => o.op.security?.some((s) => 'bearerAuth' in s))
      .map((o) => o.key)
    expect(secured).toEqual(['GET /account'])
  })

  test('the spec describes exactly the routes the server serves', () => {
    const fromSpec = operations()
      .map((o) => o.key)
      .sort()
    expect(fromSpec).toEqual([...SAMPLE_API_ROUTES].sort())
    // The server's other routes are capacity.openapi.yaml's, orders.openapi.yaml's and leak.openapi.yaml's (checked below).
    const others: readonly string[] = [...CAPACITY_ROUTES, ...ORDER_HISTORY_ROUTES, ...LEAK_ROUTES]
    const fromStats = Object.keys(specServer.stats()).filter((k) => k !== UNMATCHED_KEY && !others.includes(k))
    expect(fromSpec).toEqual(fromStats.sort())
  })

  test('every operation answers its declared success status for the example values', async () => {
    for (const { key, path, method, op } of operations()) {
      const before = specServer.stats()[key]!
      const res = await request(path, method, op)
      const success = Object.keys(op.responses).find((s) => s.startsWith('2'))
      expect({ key, status: res.status }).toEqual({ key, status: Number(success) })
      expect(specServer.stats()[key]).toBe(before + 1)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    }
  })

  test('the error statuses the server produces are the ones the spec declares', async () => {
    const cases: Array<[string, () => Promise<Res>]> = [
      ['GET /products', () => call(specServer, '/products?limit=0')],
      ['GET /products/{id}', () => call(specServer, '/products/0')],
      ['GET /products/{id}', () => call(specServer, '/products/x')],
      ['GET /search', () => call(specServer, '/search')],
      ['GET /account', () => call(specServer, '/account')],
      ['POST /orders', () => postOrder(specServer, { productId: 1 })],
      ['POST /orders', () => postOrder(specServer, { productId: 1, quantity: 1 }, 'text/plain')],
    ]
    const declared = new Map(operations().map((o) => [o.key, Object.keys(o.op.responses)]))
    for (const [key, run] of cases) {
      const res = await run()
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect({ key, declared: declared.get(key)!.includes(String(res.status)) }).toEqual({ key, declared: true })
    }
    expect(declared.get('GET /inventory/flaky')).toEqual(['200', '500', '503'])
    // without the token, GET /account answers 401 as declared
    const account = operations().find((o) => o.key === 'GET /account')!
    expect((await request(account.path, account.method, account.op, false)).status).toBe(401)
  })

  test('the example order is a valid order and the example search finds something', async () => {
    const orders = operations().find((o) => o.key === 'POST /orders')!
    const res = await request(orders.path, orders.method, orders.op)
    expect(res.status).toBe(201)
    const search = operations().find((o) => o.key === 'GET /search')!
    expect((await request(search.path, search.method, search.op)).body.total).toBeGreaterThan(0)
  })
})

describe('capacity.openapi.yaml', () => {
  let spec: OpenAPIV3.Document

  beforeAll(async () => {
    spec = await validateWithSwaggerParser(CAPACITY_SPEC_PATH)
  })

  test('describes exactly the routes the store spec leaves out', () => {
    const keys = Object.entries(spec.paths).flatMap(([path, item]) => METHODS.filter((m) => item?.[m]).map((m) => `${m.toUpperCase()} ${path}`))
    expect(keys).toEqual([...CAPACITY_ROUTES])
    expect(spec.servers).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:8080' })])
  })

  test("documents every limit as an optional query parameter without an example, so a generated test leaves the server's settings in force", () => {
    const op = spec.paths['/capacity']!.get!
    const params = (op.parameters ?? []) as OpenAPIV3.ParameterObject[]
    expect(params.map((p) => p.name)).toEqual(['slots', 'queue', 'work_ms', 'contention_ms', 'cooldown_ms'])
    for (const p of params) {
      expect({ name: p.name, in: p.in, required: p.required }).toEqual({ name: p.name, in: 'query', required: false })
      expect(p.example).toBeUndefined()
      expect((p.schema as OpenAPIV3.SchemaObject).default).toBeUndefined()
    }
  })

  test('declares the statuses the endpoint answers: 200, 400 and 503', async () => {
    const declared = Object.keys(spec.paths['/capacity']!.get!.responses).sort()
    expect(declared).toEqual(['200', '400', '503'])
    const statuses = await Promise.all([
      call(api, '/capacity'),
      call(api, '/capacity?slots=0'),
      ...Array.from({ length: 3 }, () => call(api, '/capacity?slots=1&queue=0&work_ms=50')),
    ])
    expect([...new Set(statuses.map((r) => String(r.status)))].sort()).toEqual(declared)
  })
})

describe('orders.openapi.yaml: the order history', () => {
  const ORDERS_SPEC_PATH = fileURLToPath(new URL('../../examples/sample-api/orders.openapi.yaml', import.meta.url))
  let target: SampleApi

  beforeAll(async () => {
    target = await startSampleApi()
  })
  afterAll(async () => {
    await target.close()
  })

  test('describes exactly the order history routes, with no example of an order id', async () => {
    const spec = await validateWithSwaggerParser(ORDERS_SPEC_PATH)
    const keys = Object.entries(spec.paths).flatMap(([p, item]) => Object.keys(item!).map((m) => `${m.toUpperCase()} ${p}`))
    expect(keys.sort()).toEqual([...ORDER_HISTORY_ROUTES].sort())
    expect(JSON.stringify(spec)).not.toContain('ord-10')
  })

  test('lists the past orders under data, and answers each by its id', async () => {
    const list = await call(target, '/orders')
    expect(list.status).toBe(200)
    expect(list.body.total).toBe(PAST_ORDER_COUNT)
    const ids = list.body.data.map((o: { id: string }) => o.id)
    expect(ids).toHaveLength(PAST_ORDER_COUNT)
    for (const id of ids) expect((await call(target, `/orders/${id}`)).body.id).toBe(id)
  })

  test('answers 404 for an id it never gave, such as the value a generator would invent', async () => {
    for (const id of ['string', '1', '3fa85f64-5717-4562-b3fc-2c963f66afa6']) expectError(await call(target, `/orders/${id}`), 404)
  })
})

describe('GET /retained and leak.openapi.yaml: an endpoint that can leak', () => {
  const LEAK_SPEC_PATH = fileURLToPath(new URL('../../examples/sample-api/leak.openapi.yaml', import.meta.url))

  async function timeOf(target: SampleApi): Promise<number> {
    const started = performance.now()
    const r = await call(target, '/retained')
    expect(r.status).toBe(200)
    return performance.now() - started
  }

  test('with a leak, each answer takes longer by the leak times the requests served before', async () => {
    const leaky = await startSampleApi({ leakUs: 20_000 })
    try {
      for (let i = 0; i < 5; i++) await call(leaky, '/retained')
      // The sixth answer carries 5 × 20 ms of leak on its 1 ms.
      expect(await timeOf(leaky)).toBeGreaterThanOrEqual(100)
      expect((await call(leaky, '/retained')).body).toEqual({ retained: 7 })
    } finally {
      await leaky.close()
    }
  })

  test('without a leak it stays as fast however many it served', async () => {
    const steady = await startSampleApi()
    try {
      for (let i = 0; i < 50; i++) await call(steady, '/retained')
      expect(await timeOf(steady)).toBeLessThan(50)
    } finally {
      await steady.close()
    }
  })

  test('refuses a negative leak', async () => {
    await expect(startSampleApi({ leakUs: -1 })).rejects.toThrow(/leakUs/)
  })

  test('describes exactly GET /retained, answering 200', async () => {
    const spec = await validateWithSwaggerParser(LEAK_SPEC_PATH)
    const keys = Object.entries(spec.paths).flatMap(([p, item]) => METHODS.filter((m) => item?.[m]).map((m) => `${m.toUpperCase()} ${p}`))
    expect(keys).toEqual([...LEAK_ROUTES])
    expect(Object.keys(spec.paths['/retained']!.get!.responses)).toEqual(['200'])
  })
})
