/**
 * httpbin (PyPI, installed by scripts/install-load-tools.sh) served by gunicorn on 127.0.0.1: a
 * real third-party API with its own generated Swagger 2.0 description (flasgger's /spec.json).
 * `servedSpec` fetches that description, which Perf-Xi loads as served.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import { ROOT } from './run-action.js'

export interface Httpbin {
  url: string
  close(): Promise<void>
}

/** gunicorn's path from the installer (it installs httpbin first when missing). */
export function installHttpbin(): string {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts', 'install-load-tools.sh'), 'httpbin', '--print-paths'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const gunicorn = /^httpbin=(.+)$/m.exec(out)?.[1]
  if (!gunicorn) throw new Error(`install-load-tools.sh printed no httpbin path: ${out}`)
  return gunicorn
}

/**
 * Starts httpbin on a free port of 127.0.0.1. Threaded workers, so that a slow endpoint
 * (/delay, /drip) holds one thread, not a whole worker, as httpbin.org's deployment does.
 */
export async function startHttpbin(gunicorn = installHttpbin()): Promise<Httpbin> {
  const child = spawn(gunicorn, ['--bind', '127.0.0.1:0', '--workers', '2', '--threads', '16', '--log-level', 'info', 'httpbin:app'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let log = ''
    const timer = setTimeout(() => reject(new Error(`httpbin did not start within 30 s:\n${log}`)), 30_000)
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const listening = /Listening at: (http:\/\/127\.0\.0\.1:\d+)/.exec(log)
      if (listening) {
        clearTimeout(timer)
        resolve(listening[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`httpbin exited with code ${code}:\n${log}`))
    })
  })
  child.stderr!.resume()
  return { url, close: () => stop(child) }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // gunicorn's graceful stop, which also ends its workers.
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** The description the running server serves about itself. */
export async function servedSpec(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/spec.json`)
  if (!res.ok) throw new Error(`${url}/spec.json answered ${res.status}`)
  return (await res.json()) as Record<string, unknown>
}

/**
 * The status httpbin answers one request with ("GET /status/418", as the plan shows it), redirects
 * not followed. Sent with node:http, which adds no Accept header, as k6 adds none (fetch's
 * any-type Accept gets a 406 from GET /image where k6 gets a PNG).
 */
export function answerTo(url: string, request: string): Promise<number> {
  const [method, target] = request.split(' ')
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${target}`, { method, timeout: 15_000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('timeout', () => req.destroy(new Error(`${request}: no answer within 15 s`)))
    req.on('error', reject)
    req.end()
  })
}
