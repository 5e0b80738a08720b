/**
 * CLI entry for the Perf-Xi sample API.
 *
 *   npx tsx examples/sample-api/main.ts [--port 8080] [--host 127.0.0.1] [--seed 42]
 *                                       [--flaky-rate 0.02] [--flaky-status 500] [--slow-ms 150] [--token demo-token]
 *                                       [--capacity-slots 8] [--capacity-queue 32] [--capacity-work-ms 10]
 *                                       [--capacity-contention-ms 0] [--capacity-cooldown-ms 0] [--leak-us 0]
 *
 * The --capacity-* flags set GET /capacity's limits for requests that do not carry their own
 * (query parameters slots, queue, work_ms, contention_ms, cooldown_ms; see capacity.openapi.yaml).
 * --leak-us makes GET /retained (leak.openapi.yaml) that many microseconds slower per request served.
 *
 * Port: --port, else the PORT environment variable, else 8080. The bearer token can also come
 * from SAMPLE_API_TOKEN. Prints the base URL on stdout; stops on SIGINT/SIGTERM and prints the
 * per-route request counts on stderr.
 */
import { startSampleApi, type CapacityLimits, type SampleApiOptions } from './server.js'

/** --capacity-* flags and the limit each sets. */
const CAPACITY_FLAGS: ReadonlyArray<[string, keyof CapacityLimits]> = [
  ['capacity-slots', 'slots'],
  ['capacity-queue', 'queue'],
  ['capacity-work-ms', 'workMs'],
  ['capacity-contention-ms', 'contentionMs'],
  ['capacity-cooldown-ms', 'cooldownMs'],
]

const USAGE =
  'usage: main.ts [--port N] [--host H] [--token T] [--flaky-rate 0..1] [--flaky-status 500|503] [--slow-ms N] [--seed N]\n' +
  '               [--capacity-slots N] [--capacity-queue N] [--capacity-work-ms N] [--capacity-contention-ms N] [--capacity-cooldown-ms N]\n' +
  '               [--leak-us N]\n' +
  '       (port defaults to $PORT, then 8080; token to $SAMPLE_API_TOKEN, then demo-token)'

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): SampleApiOptions {
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '-h' || arg === '--help') {
      console.log(USAGE)
      process.exit(0)
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'`)
    const eq = arg.indexOf('=')
    if (eq !== -1) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1))
    } else {
      const value = argv[i + 1]
      if (value === undefined) throw new Error(`${arg} needs a value`)
      flags.set(arg.slice(2), value)
      i++
    }
  }
  const known = new Set(['port', 'host', 'token', 'flaky-rate', 'flaky-status', 'slow-ms', 'seed', 'leak-us', ...CAPACITY_FLAGS.map(([flag]) => flag)])
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}`)

  const num = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined || raw === '') return undefined
    const n = Number(raw)
    if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got '${raw}'`)
    return n
  }
  const opts: SampleApiOptions = {
    port: num('--port / PORT', flags.get('port') ?? env.PORT) ?? 8080,
  }
  const host = flags.get('host')
  if (host !== undefined) opts.host = host
  const token = flags.get('token') ?? env.SAMPLE_API_TOKEN
  if (token !== undefined && token !== '') opts.token = token
  const flakyRate = num('--flaky-rate', flags.get('flaky-rate'))
  if (flakyRate !== undefined) opts.flakyRate = flakyRate
  const flakyStatus = num('--flaky-status', flags.get('flaky-status'))
  if (flakyStatus !== undefined) {
    if (flakyStatus !== 500 && flakyStatus !== 503) throw new Error(`--flaky-status must be 500 or 503, got '${flakyStatus}'`)
    opts.flakyStatus = flakyStatus
  }
  const slowMs = num('--slow-ms', flags.get('slow-ms'))
  if (slowMs !== undefined) opts.slowMs = slowMs
  const seed = num('--seed', flags.get('seed'))
  if (seed !== undefined) opts.seed = seed
  const leakUs = num('--leak-us', flags.get('leak-us'))
  if (leakUs !== undefined) opts.leakUs = leakUs
  const capacity: Partial<CapacityLimits> = {}
  for (const [flag, key] of CAPACITY_FLAGS) {
    const value = num(`--${flag}`, flags.get(flag))
    if (value !== undefined) capacity[key] = value
  }
  if (Object.keys(capacity).length > 0) opts.capacity = capacity
  return opts
}

async function main(): Promise<void> {
  let opts: SampleApiOptions
  try {
    opts = parseArgs(process.argv.slice(2), process.env)
  } catch (err) {
    console.error(`sample-api: ${(err as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  const api = await startSampleApi(opts)
  console.log(api.url)
  console.error(`sample-api: listening on ${api.url} (Ctrl-C to stop)`)

  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    console.error(`sample-api: ${signal}, shutting down`)
    api
      .close()
      .then(() => {
        console.error(`sample-api: requests served ${JSON.stringify(api.stats())}`)
        process.exit(0)
      })
      .catch((err: unknown) => {
        console.error(`sample-api: close failed: ${(err as Error).message}`)
        process.exit(1)
      })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(`sample-api: ${(err as Error).message}`)
  process.exit(1)
})
