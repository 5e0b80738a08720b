/**
 * Shared by the storage tests: a real results file (captured from a real k6 run, see
 * __tests__/fixtures/results) re-labelled as base-branch runs, and the runner environment the
 * @actions libraries read, set and restored around each test.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const FIXTURE = path.join(here, '..', 'fixtures', 'results', 'webhook-sample-results.json')

/** The captured results file as a run on main with the given run id (and p95s scaled by `scale`). */
export function baseBranchRun(runId: string, scale = 1): ResultsFile {
  const results = ResultsFileSchema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')))
  return {
    ...results,
    run: { ...results.run, id: runId, ref: 'refs/heads/main', pr: null, event: 'push', url: `https://github.com/acme/checkout-api/actions/runs/${runId}` },
    slis: results.slis.map((s) => ({ ...s, p95_ms: s.p95_ms === null ? null : Number((s.p95_ms * scale).toFixed(3)) })),
  }
}

/** Every variable the artifact and cache libraries read; cleared before each test, restored after. */
export const RUNNER_ENV = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_CACHE_MODE',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS',
  'GITHUB_SERVER_URL',
  'GITHUB_RETENTION_DAYS',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP',
  'RUNNER_DEBUG',
] as const

export function isolateRunnerEnv(): { set(values: Record<string, string>): void; restore(): void } {
  const saved = Object.fromEntries(RUNNER_ENV.map((name) => [name, process.env[name]]))
  for (const name of RUNNER_ENV) delete process.env[name]
  return {
    set(values) {
      Object.assign(process.env, values)
    },
    restore() {
      for (const name of RUNNER_ENV) {
        const value = saved[name]
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    },
  }
}

/**
 * Captures what the @actions libraries print (they log through @actions/core to stdout), so the
 * tests stay readable and can check the library's own warnings.
 */
export function captureStdout(): { lines(): string[]; restore(): void } {
  const original = process.stdout.write.bind(process.stdout)
  const chunks: string[] = []
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined
    callback?.()
    return true
  }) as typeof process.stdout.write
  return {
    lines: () =>
      chunks
        .join('')
        .split(/\r?\n/)
        .filter((l) => l !== ''),
    restore() {
      process.stdout.write = original
    },
  }
}
