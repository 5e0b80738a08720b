/**
 * The pre-flight check against real HTTP servers on 127.0.0.1: "unreachable" only when nothing
 * answers; a slow answer is a warning, and the run goes ahead to measure it.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../src/config/load.js'
import { UserError } from '../src/errors.js'
import { buildPlan } from '../src/plan/plan.js'
import { checkTarget } from '../src/preflight.js'
import { loadSpec } from '../src/spec/load.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

async function planFor(baseUrl: string) {
  const config = resolveConfig({ openapi: 'examples/sample-api/openapi.yaml', 'base-url': baseUrl, include: 'GET /health' }, { cwd: root })
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
})
