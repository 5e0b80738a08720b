/**
 * A body the spec declares no media type for (Swagger 2.0 without `consumes`) must go without a
 * Content-Type header from every load generator Perf-Xi writes for: the k6 script run by k6
 * itself, and the Locust and JMeter exports run by the pinned tools. Each runs the plan of
 * no-consumes-2.0.yaml for two seconds against a server that records what arrives.
 */
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderJmeterPlan } from '../../src/export/jmeter.js'
import { renderLocustfile } from '../../src/export/locust.js'
import { ensureK6 } from '../../src/k6/install.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadTools, planFor, run, startEchoServer, toolEnv, type RecordedRequest } from '../export/helpers.js'
import { tempDir } from '../support/temp-dirs.js'

const SPEC = '__tests__/fixtures/specs/no-consumes-2.0.yaml'

type Tool = 'k6' | 'locust' | 'jmeter'

/** The plan for no-consumes-2.0.yaml, run by `tool` for 2 s against an echo server: what it received. */
async function received(tool: Tool): Promise<RecordedRequest[]> {
  const echo = await startEchoServer()
  const dir = tempDir(`perf-xi-unlabelled-${tool}-`)
  try {
    const { plan, meta } = await planFor(SPEC, { 'base-url': echo.url, 'allow-writes': 'true', vus: '1', duration: '2s' })
    const env = toolEnv({ PERF_XI_BASE_URL: echo.url })
    if (tool === 'k6') {
      writeFileSync(path.join(dir, 'script.js'), renderK6Script(plan, meta))
      const k6 = await ensureK6({ log: () => undefined })
      await run(k6.path, ['run', '--quiet', '--no-summary', 'script.js'], { cwd: dir, env })
    } else if (tool === 'locust') {
      writeFileSync(path.join(dir, 'locustfile.py'), renderLocustfile(plan, meta))
      await run(loadTools().locust, ['-f', 'locustfile.py', '--headless', '--only-summary'], { cwd: dir, env })
    } else {
      writeFileSync(path.join(dir, 'plan.jmx'), renderJmeterPlan(plan, meta))
      await run(loadTools().jmeter, ['-n', '-t', 'plan.jmx', '-l', 'results.jtl', '-j', 'jmeter.log'], { cwd: dir, env })
    }
    return echo.requests
  } finally {
    await echo.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The three requests of the plan: the unlabelled JSON body, the declared one, and the optional one (not sent). */
function requestsOf(requests: RecordedRequest[]) {
  const first = (method: string, url: string): RecordedRequest | undefined => requests.find((r) => r.method === method && r.url === url)
  const orders = first('POST', '/orders')
  const labelled = first('POST', '/labelled-orders')
  const optional = first('PATCH', '/orders/1')
  expect(orders && labelled && optional).toBeDefined()
  return { orders: orders!, labelled: labelled!, optional: optional! }
}

/** What must arrive: the unlabelled JSON body without Content-Type, the declared one with it, no body (and no type) for the optional one. */
function expectSentAsDeclared(requests: RecordedRequest[]): void {
  const { orders, labelled, optional } = requestsOf(requests)
  expect({ contentType: orders.headers['content-type'], body: JSON.parse(orders.body) as unknown }).toEqual({
    contentType: undefined,
    body: { petId: 1, quantity: 1 },
  })
  expect(labelled.headers['content-type']).toBe('application/json')
  expect({ contentType: optional.headers['content-type'], body: optional.body }).toEqual({ contentType: undefined, body: '' })
}

/** The bodies byte for byte, per request. */
function bodiesOf(requests: RecordedRequest[]): Record<string, string> {
  const { orders, labelled, optional } = requestsOf(requests)
  return { orders: orders.body, labelled: labelled.body, optional: optional.body }
}

describe('a body the spec declares no media type for is sent as JSON without a Content-Type', () => {
  let k6: RecordedRequest[]
  beforeAll(async () => {
    k6 = await received('k6')
  }, 120_000)

  it('by k6 running the generated script (k6 adds no Content-Type to a string body)', () => {
    expectSentAsDeclared(k6)
  })

  // Each tool would add a Content-Type of its own; the exports keep it from doing so.
  it.each([
    ['locust', "its users' requests take off the application/octet-stream geventhttpclient gives a body without a type"],
    ['jmeter', 'the bodies go from files with no MIME type (Body Data would be text/plain, no body on a PATCH a form)'],
  ] as const)(
    'by %s running its export, with the bytes k6 sends: %s',
    async (tool, _how) => {
      const requests = await received(tool)
      expectSentAsDeclared(requests)
      expect(bodiesOf(requests)).toEqual(bodiesOf(k6))
    },
    120_000,
  )
})
