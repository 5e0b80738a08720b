/**
 * The gate on httpbin (PyPI, scripts/install-load-tools.sh), a real API with its own generated
 * description, with real k6: the description is taken from the running server, the operations it
 * leaves unsendable are skipped with their reason, and every endpoint's error rate is httpbin's
 * own answer to the request Perf-Xi sends. Figures: `npx tsx bench/httpbin.ts`.
 */
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { runCli } from '../../src/cli.js'
import { ensureK6 } from '../../src/k6/install.js'
import { loadSpec } from '../../src/spec/load.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { answerTo, servedSpec, startHttpbin, type Httpbin } from '../support/httpbin.js'
import { tempDir } from '../support/temp-dirs.js'

let httpbin: Httpbin
let dir: string

beforeAll(async () => {
  await ensureK6()
  httpbin = await startHttpbin()
  dir = tempDir('perf-xi-httpbin-')
}, 300_000)

afterAll(async () => {
  await httpbin?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the gate on httpbin', () => {
  it('runs the API’s own description and reports per endpoint what httpbin answers', async () => {
    const specFile = path.join(dir, 'httpbin.json')
    const served = await servedSpec(httpbin.url)
    writeFileSync(specFile, JSON.stringify(served, null, 2))
    // As served: its slips (unknown properties, type: int, OpenAPI 3 parameters...) are warnings.
    const spec = await loadSpec(specFile)
    expect(spec.warnings).toContainEqual(expect.stringMatching(/httpbin\.json:\d+:\d+: the document has unknown property 'protocol' \(ignored\)/))

    // 6 s: httpbin's /drip answers over 3.8 s, and each VU of a category reaches it once before
    // the time-share lets it skip it; the other operations get their turns around it.
    const { outcome } = await runCli({
      argv: ['--openapi', specFile, '--base-url', httpbin.url, '--allowed-hosts', '127.0.0.1', '--duration', '6s', '--out-dir', path.join(dir, 'out')],
      cwd: dir,
      env: process.env,
      out: () => {},
      err: () => {},
    })
    const results = outcome!.results as ResultsFile
    expect({ verdict: results.verdict, reasons: results.verdict === 'error' ? results.reasons : [] }).not.toMatchObject({ verdict: 'error' })
    expect(results.slis.length).toBeGreaterThanOrEqual(40)
    // GET /anything/{anything} and GET /etag/{etag} have no declared path parameter: skipped, the rest runs.
    expect(results.skipped).toContainEqual({
      endpoint: 'GET /etag/{etag}',
      reason: expect.stringMatching(/httpbin\.json:\d+:\d+: path parameter \{etag\} is not declared/),
    })

    for (const sli of results.slis.filter((s) => s.requests > 0)) {
      const request = results.plan!.endpoints.find((e) => e.endpoint === sli.endpoint)!.request!
      const status = await answerTo(httpbin.url, request)
      const declared = spec.endpoints.find((e) => e.key === sli.endpoint)!.successStatuses
      const success = declared.length > 0 ? declared.includes(status) : status >= 200 && status < 400
      // Redirects are followed by k6 and measured hop by hop: their rate is not httpbin's alone.
      if (status >= 300 && status < 400) continue
      expect({ endpoint: sli.endpoint, status, errors: sli.error_rate_pct }).toEqual({ endpoint: sli.endpoint, status, errors: success ? 0 : 100 })
    }
  }, 120_000)
})
