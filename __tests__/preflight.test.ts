/**
 * The pre-flight check against real HTTP servers on 127.0.0.1: "unreachable" only when nothing
 * answers; a slow answer is a warning, and the run goes ahead to measure it; once one endpoint has
 * answered with success, the load does not wait for the slow ones; probes only read.
 */
import { rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../src/config/load.js'
import { UserError } from '../src/errors.js'
import { buildPlan } from '../src/plan/plan.js'
import { checkTarget, NO_SAFE_PROBE } from '../src/preflight.js'
import { loadSpec } from '../src/spec/load.js'
import { tempDir } from './support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

async function planFor(baseUrl: string, include = 'GET /health') {
  const config = resolveConfig({ openapi: 'examples/sample-api/openapi.yaml', 'base-url': baseUrl, include }, { cwd: root })
  return buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
}

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

describe('the pre-flight check', () => {
  it('lets a slow target run, with a warning, instead of calling it unreachable', async () => {
    const slow = await listen((_, res) => {
      setTimeout(() => res.end('{"status":"ok"}'), 600)
    })
    try {
      const warnings = await checkTarget(await planFor(slow.url), { env: {}, timeoutMs: 200 })
      expect(warnings).toEqual(['GET /health did not answer a probe request within 0.2 s; the run goes ahead and its latency is judged by the SLOs'])
    } finally {
      await slow.close()
    }
  })

  it('starts the load without waiting for a slow endpoint once another has answered, and says which it left to the load', async () => {
    const timers = new Set<NodeJS.Timeout>()
    const target = await listen((req, res) => {
      // The report takes 3 s; the others answer at once.
      if (req.url?.startsWith('/reports/slow')) timers.add(setTimeout(() => res.end('{}'), 3000))
      else res.end(req.url === '/health' ? '{"status":"ok"}' : '[]')
    })
    try {
      const lines: string[] = []
      const started = Date.now()
      const warnings = await checkTarget(await planFor(target.url, 'GET /health, GET /products, GET /reports/slow'), {
        env: {},
        log: (line) => lines.push(line),
      })
      // Well short of the report's 3 s, even on a busy machine.
      expect(Date.now() - started).toBeLessThan(2000)
      expect(warnings).toEqual([])
      expect(lines).toEqual(['GET /reports/slow still answering its probe after the others had settled the check: left to the load, which measures it'])
    } finally {
      for (const timer of timers) clearTimeout(timer)
      await target.close()
    }
  })

  it('names at most four endpoints it left to the load, and counts the rest', async () => {
    const timers = new Set<NodeJS.Timeout>()
    const target = await listen((req, res) => {
      if (req.url === '/health') res.end('{"status":"ok"}')
      else timers.add(setTimeout(() => res.end('{}'), 3000))
    })
    try {
      const lines: string[] = []
      const plan = await planFor(target.url, 'GET /health, GET /products, GET /products/{id}, GET /search, GET /reports/slow, GET /inventory/flaky')
      expect(await checkTarget(plan, { env: {}, log: (line) => lines.push(line) })).toEqual([])
      const left = plan.endpoints.map((p) => p.endpoint.key).filter((key) => key !== 'GET /health')
      expect(lines).toEqual([
        `${left.slice(0, 4).join(', ')} and 1 more still answering their probes after the others had settled the check: left to the load, which measures them`,
      ])
    } finally {
      for (const timer of timers) clearTimeout(timer)
      await target.close()
    }
  })

  it('still warns of an endpoint that answers an error just after another has answered with success', async () => {
    const target = await listen((req, res) => {
      if (req.url === '/health') res.end('{"status":"ok"}')
      else setTimeout(() => res.writeHead(500).end('{}'), 10)
    })
    try {
      // A grace far longer than the 10 ms: a busy machine's stalls cannot make this test depend on timing.
      const warnings = await checkTarget(await planFor(target.url, 'GET /health, GET /products'), { env: {}, graceMs: 5000 })
      expect(warnings).toEqual(['GET /products answered 500 to a probe request; expect its requests to count as errors'])
    } finally {
      await target.close()
    }
  })

  it('follows a redirect the spec does not declare, as the load does, and judges the last answer', async () => {
    const moved = await listen((req, res) => {
      if (req.url === '/health') res.writeHead(302, { Location: '/health/' }).end()
      else res.end('{"status":"ok"}')
    })
    try {
      expect(await checkTarget(await planFor(moved.url), { env: {}, timeoutMs: 2000 })).toEqual([])
    } finally {
      await moved.close()
    }
  })

  it('calls a target unreachable when nothing listens', async () => {
    const gone = await listen(() => {})
    await gone.close()
    const error = await checkTarget(await planFor(gone.url), { env: {}, timeoutMs: 200 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(String(error)).toMatch(new RegExp(`^base URL ${gone.url} is unreachable \\(connect ECONNREFUSED .*\\); checked before starting any load$`))
  })

  it('calls a target unreachable when it resets every connection', async () => {
    const resets = await listen((req) => req.socket.destroy())
    try {
      const error = await checkTarget(await planFor(resets.url), { env: {}, timeoutMs: 2000 }).catch((e: unknown) => e)
      expect(String(error)).toMatch(new RegExp(`^base URL ${resets.url} is unreachable \\(.+\\); checked before starting any load$`))
    } finally {
      await resets.close()
    }
  })

  describe('with allow-writes', () => {
    let dir: string
    beforeEach(() => {
      dir = tempDir('perf-xi-preflight-')
    })
    afterEach(() => rmSync(dir, { recursive: true, force: true }))

    async function writingPlan(baseUrl: string, operations: string) {
      const spec = path.join(dir, 'openapi.yaml')
      writeFileSync(spec, `openapi: 3.0.3\ninfo: { title: accounts, version: '1' }\npaths:\n  /accounts:\n${operations}`)
      const config = resolveConfig({ openapi: spec, 'base-url': baseUrl, 'allow-writes': 'true' }, { cwd: dir })
      return buildPlan(config, await loadSpec(config.openapi, { cwd: dir }))
    }
    const operation = (method: string, status: number) => `    ${method}:\n      responses:\n        '${status}': { description: ok }\n`

    it('probes only the endpoints that read, never one that creates or deletes', async () => {
      const received: string[] = []
      const target = await listen((req, res) => {
        received.push(req.method ?? '')
        res.end('[]')
      })
      try {
        const plan = await writingPlan(target.url, operation('post', 200) + operation('delete', 200) + operation('get', 200))
        expect(plan.endpoints.map((p) => p.endpoint.key).sort()).toEqual(['DELETE /accounts', 'GET /accounts', 'POST /accounts'])
        const lines: string[] = []
        expect(await checkTarget(plan, { env: {}, log: (line) => lines.push(line) })).toEqual([])
        expect(received).toEqual(['GET'])
        expect(lines).toEqual([])
      } finally {
        await target.close()
      }
    })

    it('sends nothing and says so in one line when no endpoint reads', async () => {
      const received: string[] = []
      const target = await listen((req, res) => {
        received.push(req.method ?? '')
        res.end('{}')
      })
      try {
        const plan = await writingPlan(target.url, operation('post', 201) + operation('delete', 204))
        const lines: string[] = []
        expect(await checkTarget(plan, { env: {}, log: (line) => lines.push(line) })).toEqual([])
        expect(received).toEqual([])
        expect(lines).toEqual([NO_SAFE_PROBE])
      } finally {
        await target.close()
      }
    })
  })
})
