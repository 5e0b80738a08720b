/**
 * npx tsx bench/httpbin.ts: the gate on a real third-party API nobody tuned Perf-Xi for. httpbin
 * (PyPI, installed by scripts/install-load-tools.sh) runs under gunicorn on 127.0.0.1; its own
 * Swagger description is taken from the running server (/spec.json) and loaded as served, the
 * loader's warnings about it printed.
 * Then a smoke run with real k6, and per endpoint: requests, error rate, p95, and for each
 * endpoint with errors the status httpbin answers its request with and the statuses its
 * description declares, so every error is shown to be the API's own answer.
 *
 * BENCH_DURATION=10s (default) sets the run's length.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { answerTo, servedSpec, startHttpbin } from '../__tests__/support/httpbin.js'
import { runCli } from '../src/cli.js'
import { loadSpec } from '../src/spec/load.js'

const DURATION = process.env.BENCH_DURATION ?? '10s'

const httpbin = await startHttpbin()
const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-bench-httpbin-'))
try {
  const served = await servedSpec(httpbin.url)
  const specFile = path.join(dir, 'httpbin.json')
  writeFileSync(specFile, JSON.stringify(served, null, 2))
  process.stdout.write(`httpbin at ${httpbin.url}, its description from ${httpbin.url}/spec.json\n`)
  const spec = await loadSpec(specFile)
  process.stdout.write(
    `Loaded as served: ${spec.endpoints.length} operations, ${spec.endpoints.filter((e) => e.unusable).length} of them unsendable, ${spec.warnings.length} warnings:\n${spec.warnings.map((w) => `  ${w}`).join('\n')}\n`,
  )

  const outDir = path.join(dir, 'out')
  const { exitCode, outcome } = await runCli({
    argv: ['--openapi', specFile, '--base-url', httpbin.url, '--allowed-hosts', '127.0.0.1', '--duration', DURATION, '--out-dir', outDir],
    cwd: dir,
    env: process.env,
    out: () => {},
    err: (text) => process.stderr.write(text),
  })
  if (!outcome) throw new Error(`the gate did not run (exit code ${exitCode})`)
  const { results } = outcome

  const rows: string[][] = []
  for (const sli of [...results.slis].sort((a, b) => (b.error_rate_pct ?? 0) - (a.error_rate_pct ?? 0) || a.endpoint.localeCompare(b.endpoint))) {
    let answer = ''
    if ((sli.error_rate_pct ?? 0) > 0) {
      const request = results.plan?.endpoints.find((e) => e.endpoint === sli.endpoint)?.request ?? ''
      const declared = spec.endpoints.find((e) => e.key === sli.endpoint)?.successStatuses ?? []
      answer = `${request} → ${await answerTo(httpbin.url, request)}; declared: ${declared.length > 0 ? declared.join(', ') : 'any 2xx/3xx'}`
    }
    rows.push([sli.endpoint, String(sli.requests), `${sli.error_rate_pct ?? '–'}%`, sli.p95_ms === null ? '–' : `${sli.p95_ms} ms`, answer])
  }
  const header = ['Endpoint', 'Requests', 'Errors', 'p95', 'httpbin answers (one request, redirects not followed)']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  process.stdout.write(`\n${results.slis.length} endpoints run, ${results.skipped.length} skipped; ${DURATION} smoke run, verdict ${results.verdict}\n\n`)
  process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`)
  const failing = results.slis.filter((s) => (s.error_rate_pct ?? 0) > 0).length
  process.stdout.write(
    `\n${failing} of ${results.slis.length} endpoints with errors; all requests ${results.summary.requests_total}, errors ${results.summary.error_rate_pct}%\n`,
  )
  process.stdout.write(`Skipped:\n${results.skipped.map((s) => `  ${s.endpoint}: ${s.reason}`).join('\n')}\n`)
} finally {
  await httpbin.close()
  rmSync(dir, { recursive: true, force: true })
}
