/** The SLO rules that apply to endpoints found in k6's output, and the exit code of several scripts. */
import type { SloRule } from '../../src/config/schema.js'
import { combinedExitCode, resolveUserScriptSlos } from '../../src/user-scripts/judge.js'

describe('resolveUserScriptSlos', () => {
  const rule = (selector: string, limits: SloRule['limits'], line: number): SloRule => ({ selector, limits, line })
  const rules = [
    rule('*', { p95: 1000, 'error-rate': 1 }, 2),
    rule('GET /products/{id}', { p95: 300 }, 5),
    rule('/health', { p99: 50 }, 7),
    rule('tag:catalog', { p50: 10 }, 9),
    rule('POST http://127.0.0.1:8080/orders', { max: 2000 }, 11),
  ]
  const slis = [
    { endpoint: 'GET /products/{id}', method: 'GET' },
    { endpoint: 'GET http://127.0.0.1:8080/health', method: 'GET' },
    { endpoint: 'POST http://127.0.0.1:8080/orders', method: 'POST' },
    { endpoint: 'GET ${}/products/${}', method: 'GET' },
  ]
  const { slos, unmatched } = resolveUserScriptSlos(slis, rules)

  it.each([
    { endpoint: 'GET /products/{id}', limits: { p95: 300, 'error-rate': 1 }, p95From: 'GET /products/{id}' },
    { endpoint: 'GET http://127.0.0.1:8080/health', limits: { p95: 1000, 'error-rate': 1, p99: 50 }, p95From: '*' },
    { endpoint: 'POST http://127.0.0.1:8080/orders', limits: { p95: 1000, 'error-rate': 1, max: 2000 }, p95From: '*' },
    { endpoint: 'GET ${}/products/${}', limits: { p95: 1000, 'error-rate': 1 }, p95From: '*' },
  ])('$endpoint', ({ endpoint, limits, p95From }) => {
    expect(slos.get(endpoint)!.limits).toEqual(limits)
    expect(slos.get(endpoint)!.sources.p95?.selector).toBe(p95From)
  })

  it('names the rules that matched nothing (tags and operation ids need a spec)', () => {
    expect(unmatched).toEqual(['tag:catalog'])
  })
})

describe('combinedExitCode', () => {
  const ok = { exitCode: 0, outcome: { ran: true as const, failed: false as const } }
  const crossed = { exitCode: 99, outcome: { ran: true as const, failed: 'thresholds' as const } }
  const markedFailed = { exitCode: 110, outcome: { ran: true as const, failed: 'marked-failed' as const } }
  const threw = { exitCode: 107, outcome: { ran: false as const, reason: 'the script threw an exception (exit code 107)' } }
  it.each([
    { what: 'all ran', runs: [ok, ok], expected: 0 },
    { what: "a script's own thresholds crossed", runs: [ok, crossed], expected: 99 },
    { what: 'a script called exec.test.fail()', runs: [ok, markedFailed, crossed], expected: 110 },
    { what: 'one did not run', runs: [crossed, threw, ok], expected: 107 },
    { what: 'no scripts', runs: [], expected: 0 },
  ])('$what → $expected', ({ runs, expected }) => {
    expect(combinedExitCode(runs)).toBe(expected)
  })
})
