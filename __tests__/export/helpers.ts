/**
 * Shared by the export tests: plans built the way the action builds them, the real load tools
 * (installed by scripts/install-load-tools.sh), and an echo server that records what they send.
 */
import { execFile, execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { resolveConfig, type RawInputs } from '../../src/config/load.js'
import { buildPlan, type TestPlan } from '../../src/plan/plan.js'
import type { ScriptMeta } from '../../src/script/k6.js'
import { loadSpec } from '../../src/spec/load.js'
import type { ApiSpec } from '../../src/spec/model.js'
import { tempDir } from '../support/temp-dirs.js'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const golden = path.join(root, '__tests__', 'fixtures', 'golden')

export const SAMPLE = {
  spec: 'examples/sample-api/openapi.yaml',
  inputs: { config: 'examples/sample-api/perf-xi.yml', 'base-url': 'http://127.0.0.1:8080' } as RawInputs,
}

/**
 * The sample API's own config file with some settings added or replaced (e.g. the categories'
 * think time), written as a config file the way a user would have it; returns its path.
 */
export function sampleConfigWith(settings: Record<string, unknown>): string {
  const sample = parse(readFileSync(path.join(root, 'examples/sample-api/perf-xi.yml'), 'utf8')) as Record<string, unknown>
  const file = path.join(tempDir('perf-xi-config-'), 'perf-xi.yml')
  // JSON is YAML.
  writeFileSync(file, JSON.stringify({ ...sample, ...settings }, null, 2))
  return file
}

/** Data-intensive endpoints pause 3 s after each request by default; 0 keeps runs of seconds comparable. */
export const NO_THINK_TIME = { categories: { 'data-intensive': { 'think-time': 0 } } }

export async function planFor(specPath: string, inputs: RawInputs, mutate?: (spec: ApiSpec) => void): Promise<{ plan: TestPlan; meta: ScriptMeta }> {
  const config = resolveConfig({ openapi: specPath, ...inputs }, { cwd: root })
  const spec = await loadSpec(config.openapi, { cwd: root })
  mutate?.(spec)
  return { plan: buildPlan(config, spec), meta: { title: `${spec.title} ${spec.version}`, source: config.openapi, scriptName: 'perf-xi-test' } }
}

/** Sets every endpoint's weight: the given ones by endpoint key, 1 for the others (whatever the plan chose). */
export function withWeights(plan: TestPlan, weights: Record<string, number>): TestPlan {
  return { ...plan, endpoints: plan.endpoints.map((e) => ({ ...e, weight: weights[e.endpoint.key] ?? 1 })) }
}

let tools: { locust: string; jmeter: string } | undefined
/** The pinned Locust and JMeter, installed on first use (about a minute), then found in < 1 s. */
export function loadTools(): { locust: string; jmeter: string } {
  if (tools) return tools
  const out = execFileSync('bash', [path.join(root, 'scripts', 'install-load-tools.sh'), '--print-paths'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const paths = Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  )
  if (!paths.locust || !paths.jmeter) throw new Error(`install-load-tools.sh printed no paths: ${out}`)
  tools = { locust: paths.locust, jmeter: paths.jmeter }
  return tools
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command to completion (never throws on a non-zero exit). */
export function run(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/** The environment of a tool run: PATH and HOME only, plus what the test passes. */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra }
}

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** An HTTP server on 127.0.0.1 that answers 200 to everything and records every request. */
export async function startEchoServer(): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = []
  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Parses a CSV file's text (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  const [header, ...data] = rows
  return data.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ''])))
}
