/**
 * The one k6 installer (action, local CLI, tests, CI). `ensureK6` tries, in order, and stops at the
 * first that yields the wanted version: `path` (a k6 on PATH), `cache` (Perf-Xi's cache directory,
 * then the injected {@link ToolCache}), `download` (the official release archive, SHA-256-checked
 * against the release's checksums before a byte touches the disk), `go` (`go install
 * go.k6.io/k6@v<version>`). Every binary is accepted only after `k6 version` reports the wanted
 * version; when everything fails, one `UserError` line names what was tried and why each failed.
 */
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { constants as fsConstants, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { UserError } from '../errors.js'
import { K6_VERSION } from '../k6-version.js'

/** Environment variable that overrides the root of Perf-Xi's cache directory. */
export const CACHE_DIR_ENV = 'PERF_XI_CACHE_DIR'
/** Where the official k6 release assets live: `<base>/v<version>/<asset>`. */
export const K6_RELEASES_URL = 'https://github.com/grafana/k6/releases/download'

export type K6Source = 'path' | 'cache' | 'download' | 'go'

export interface K6Binary {
  /** Absolute path of a k6 executable that reported `version`. */
  path: string
  /** Version reported by `k6 version`, without the leading "v". */
  version: string
  /** Which step produced it. */
  source: K6Source
}

/** A persistent tool cache plugged in by the caller (the action adapts @actions/tool-cache to it). */
export interface ToolCache {
  /** The cached k6 for `version`: the binary itself or the directory holding it; undefined when absent. */
  find(version: string): Promise<string | undefined>
  /** Store the binary at `binaryPath` as `version`; returns the binary or the directory holding it. */
  save(binaryPath: string, version: string): Promise<string>
}

export interface EnsureK6Options {
  /** k6 version to provide, with or without a leading "v". Default: {@link K6_VERSION}. */
  version?: string
  /**
   * Root of Perf-Xi's cache; k6 is stored at `<cacheDir>/k6/<version>/<os>-<arch>/k6`.
   * Default: `$PERF_XI_CACHE_DIR`, else `${XDG_CACHE_HOME or ~/.cache}/perf-xi`.
   */
  cacheDir?: string
  /** Extra cache consulted after `cacheDir` and fed after a download or build. Default: none. */
  toolCache?: ToolCache
  /** Release download base URL (tests point it at 127.0.0.1). Default: {@link K6_RELEASES_URL}. */
  baseUrl?: string
  /** Environment for PATH lookups, cache defaults and child processes. Default: `process.env`. */
  env?: NodeJS.ProcessEnv
  /** Receives one progress line per event. Default: discard. */
  log?: (line: string) => void
  /** Give up on a download when no response headers arrived within this time. Default: 20 000 ms. */
  connectTimeoutMs?: number
  /** Give up on a download whose body takes longer than this. Default: 300 000 ms. */
  downloadTimeoutMs?: number
  /** Give up on `go install` after this time. Default: 900 000 ms. */
  goInstallTimeoutMs?: number
  /**
   * false: look on PATH and in the caches only, and fail when k6 is not there yet (the gate looks
   * while the target is probed, and installs only once the target answered). Default: true.
   */
  installIfMissing?: boolean
}

// ---------------------------------------------------------------------------------------------
// Pure helpers

/** Node's platform/arch in Go's spelling, e.g. `linux-amd64`, `darwin-arm64`, `windows-amd64`. */
export function goPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const goos = platform === 'win32' ? 'windows' : platform
  const goarch = ({ x64: 'amd64', ia32: '386' } as Record<string, string>)[arch] ?? arch
  return `${goos}-${goarch}`
}

/** `k6.exe` on Windows, `k6` elsewhere. */
export function k6BinaryName(platform: string = process.platform): string {
  return platform === 'win32' ? 'k6.exe' : 'k6'
}

/** The official release archive for a platform, or undefined when k6 publishes none for it. */
export function releaseArchiveName(version: string, platform: string, arch: string): string | undefined {
  const target = (
    {
      'linux-x64': 'linux-amd64.tar.gz',
      'linux-arm64': 'linux-arm64.tar.gz',
      'darwin-x64': 'macos-amd64.zip',
      'darwin-arm64': 'macos-arm64.zip',
      'win32-x64': 'windows-amd64.zip',
    } as Record<string, string>
  )[`${platform}-${arch}`]
  return target && `k6-v${version}-${target}`
}

/** The release's checksums file, in `sha256sum` format. */
export function checksumsFileName(version: string): string {
  return `k6-v${version}-checksums.txt`
}

/**
 * `sha256sum` output → file name → lower-case hex digest.
 * Grammar per line: `<64 hex> <space> <space or *> <file name>`; other lines are ignored.
 */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+?)\s*$/.exec(line)
    if (m) sums.set(m[2], m[1].toLowerCase())
  }
  return sums
}

/**
 * The version in `k6 version` output, without the "v": `k6 v1.8.1 (go1.26.8, linux/amd64)` → `1.8.1`.
 * Pre-release suffixes are kept (`v1.3.0-dev` → `1.3.0-dev`); undefined when no such line exists.
 */
export function parseK6Version(output: string): string | undefined {
  return /^k6 v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\s|\+|$)/m.exec(output)?.[1]
}

/** Perf-Xi's cache root: `$PERF_XI_CACHE_DIR`, else `${XDG_CACHE_HOME or ~/.cache}/perf-xi`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env[CACHE_DIR_ENV]) return path.resolve(env[CACHE_DIR_ENV])
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || env.USERPROFILE || os.homedir(), '.cache')
  return path.join(path.resolve(base), 'perf-xi')
}

/** Where the cache keeps one k6 build: `<cacheDir>/k6/<version>/<os>-<arch>/k6`. */
export function k6CachePath(cacheDir: string, version: string, platform: string, arch: string): string {
  return path.join(cacheDir, 'k6', version, goPlatform(platform, arch), k6BinaryName(platform))
}

/** Blank out URL credentials and query values, so no token reaches a log line or an error. */
export function redact(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@').replace(/(https?:\/\/[^\s?#]*\?)[^\s#)\]'"]*/gi, '$1***')
}

/** The one line thrown when every step failed. */
export function unavailableMessage(version: string, reasons: string[], goInstalled: boolean): string {
  const tried = reasons.length > 1 ? `${reasons.slice(0, -1).join(', ')}, and ${reasons[reasons.length - 1]}` : reasons.join('')
  const next = goInstalled ? `Install k6 ${version} on PATH.` : `Install k6 ${version} or Go.`
  return `k6 ${version} is not available: ${tried}. ${next}`
}

// ---------------------------------------------------------------------------------------------
// The installer

/** Find or install k6 at the wanted version; see the module comment for the order. */
export async function ensureK6(opts: EnsureK6Options = {}): Promise<K6Binary> {
  const version = normalizeVersion(opts.version ?? K6_VERSION)
  const env = opts.env ?? process.env
  const log = (line: string): void => opts.log?.(redact(line))
  const ctx: Ctx = {
    version,
    env,
    log,
    cachePath: k6CachePath(opts.cacheDir ? path.resolve(opts.cacheDir) : defaultCacheDir(env), version, process.platform, process.arch),
    opts,
  }
  const reasons: string[] = []
  const attempt = async (what: string, step: (c: Ctx) => Promise<K6Binary>): Promise<K6Binary | undefined> => {
    try {
      return await step(ctx)
    } catch (err) {
      const reason = redact(err instanceof StepFailed ? err.message : `${what} failed (${errorText(err)})`)
      reasons.push(reason)
      log(`k6 ${version}: ${reason}`)
      return undefined
    }
  }

  const install = opts.installIfMissing ?? true
  const found =
    (await attempt('PATH lookup', fromPath)) ??
    (await attempt('cache lookup', fromCache)) ??
    (install ? await attempt('download', fromDownload) : undefined) ??
    (install ? await attempt('go install', fromGo) : undefined)
  if (found) {
    log(`k6 ${found.version} (${found.source}): ${found.path}`)
    return found
  }
  const goInstalled = !reasons.includes(NO_GO)
  throw new UserError(unavailableMessage(version, reasons, goInstalled))
}

interface Ctx {
  version: string
  env: NodeJS.ProcessEnv
  log: (line: string) => void
  cachePath: string
  opts: EnsureK6Options
}

/** A step's reason for the final message, already phrased for the user. */
class StepFailed extends Error {}

const NO_GO = 'Go is not installed'

async function fromPath(ctx: Ctx): Promise<K6Binary> {
  const others: string[] = []
  for (const candidate of await onPath(k6BinaryName(), ctx.env)) {
    const got = await versionOf(candidate, ctx.env).catch((err: unknown) => `unusable (${errorText(err)})`)
    if (got === ctx.version) return { path: candidate, version: got, source: 'path' }
    others.push(`${candidate} is ${got}`)
    ctx.log(`k6 on PATH skipped: ${candidate} is ${got}, want ${ctx.version}`)
  }
  throw new StepFailed(others.length ? `not on PATH (${others.join('; ')})` : 'not on PATH')
}

async function fromCache(ctx: Ctx): Promise<K6Binary> {
  let broken = ''
  if (await isExecutable(ctx.cachePath)) {
    try {
      const got = await versionOf(ctx.cachePath, ctx.env)
      if (got === ctx.version) return { path: ctx.cachePath, version: got, source: 'cache' }
      broken = `reports ${got}`
    } catch (err) {
      broken = errorText(err)
    }
    ctx.log(`cached k6 at ${ctx.cachePath} removed: ${broken}`)
    await fs.rm(ctx.cachePath, { force: true })
  }
  const toolCache = ctx.opts.toolCache
  if (toolCache) {
    const hit = await toolCache.find(ctx.version)
    const binary = hit && (await binaryIn(hit))
    if (binary) {
      const got = await versionOf(binary, ctx.env).catch((err: unknown) => `unusable (${errorText(err)})`)
      if (got === ctx.version) return { path: binary, version: got, source: 'cache' }
      broken = `tool cache entry ${binary} is ${got}`
    }
  }
  throw new StepFailed(broken ? `not cached (${broken})` : 'not cached')
}

async function fromDownload(ctx: Ctx): Promise<K6Binary> {
  const { version } = ctx
  const archive = releaseArchiveName(version, process.platform, process.arch)
  if (!archive) throw new StepFailed(`no official k6 archive for ${goPlatform()}`)
  const base = `${(ctx.opts.baseUrl ?? K6_RELEASES_URL).replace(/\/+$/, '')}/v${version}`
  const fetchOpts = { connect: ctx.opts.connectTimeoutMs ?? 20_000, body: ctx.opts.downloadTimeoutMs ?? 300_000 }

  let sums: Map<string, string>
  let bytes: Buffer
  try {
    ctx.log(`downloading ${base}/${archive}`)
    sums = parseChecksums((await fetchBytes(`${base}/${checksumsFileName(version)}`, fetchOpts)).toString('utf8'))
    bytes = await fetchBytes(`${base}/${archive}`, fetchOpts)
  } catch (err) {
    throw new StepFailed(`download failed (${errorText(err)})`)
  }

  // Checked in memory: an archive that does not match is never written anywhere.
  const expected = sums.get(archive)
  if (!expected) throw new StepFailed(`download refused (${checksumsFileName(version)} has no entry for ${archive}; nothing was kept)`)
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== expected) {
    throw new StepFailed(`download refused (SHA-256 mismatch for ${archive}: expected ${expected}, got ${actual}; nothing was kept)`)
  }
  ctx.log(`verified SHA-256 of ${archive}: ${actual}`)

  return withTempDir(async (dir) => {
    const archivePath = path.join(dir, archive)
    await fs.writeFile(archivePath, bytes)
    const member = `${archive.replace(/\.(tar\.gz|zip)$/, '')}/${k6BinaryName()}`
    try {
      await extract(archivePath, member, dir, ctx.env)
    } catch (err) {
      throw new StepFailed(`download unusable (could not extract ${member} from ${archive}: ${errorText(err)})`)
    }
    return store(ctx, path.join(dir, member), 'download')
  })
}

async function fromGo(ctx: Ctx): Promise<K6Binary> {
  const [go] = await onPath(process.platform === 'win32' ? 'go.exe' : 'go', ctx.env)
  if (!go) throw new StepFailed(NO_GO)
  const module = `go.k6.io/k6@v${ctx.version}`
  return withTempDir(async (gobin) => {
    ctx.log(`building k6 with "go install ${module}" (about 2 minutes on a cold Go cache)`)
    const goEnv: NodeJS.ProcessEnv = { ...ctx.env, GOBIN: gobin, CGO_ENABLED: '0' }
    delete goEnv.GOOS // a cross-compiling GOOS/GOARCH cannot install into GOBIN
    delete goEnv.GOARCH
    try {
      await run(go, ['install', module], goEnv, ctx.opts.goInstallTimeoutMs ?? 900_000)
    } catch (err) {
      throw new StepFailed(`go install ${module} failed (${errorText(err)})`)
    }
    return store(ctx, path.join(gobin, k6BinaryName()), 'go')
  })
}

/** Check a fresh binary, move it into the cache (atomically), feed the tool cache. */
async function store(ctx: Ctx, binary: string, source: K6Source): Promise<K6Binary> {
  await fs.chmod(binary, 0o755)
  const got = await versionOf(binary, ctx.env).catch((err: unknown): never => {
    throw new StepFailed(`${source} produced a k6 that does not run (${errorText(err)})`)
  })
  if (got !== ctx.version) throw new StepFailed(`${source} produced k6 ${got}, not ${ctx.version}`)

  await fs.mkdir(path.dirname(ctx.cachePath), { recursive: true })
  const partial = `${ctx.cachePath}.partial-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await fs.copyFile(binary, partial)
    await fs.chmod(partial, 0o755)
    await fs.rename(partial, ctx.cachePath)
  } catch (err) {
    await fs.rm(partial, { force: true })
    throw new StepFailed(`${source} succeeded but the cache is not writable (${errorText(err)})`)
  }
  ctx.log(`cached k6 ${got} at ${ctx.cachePath}`)

  if (ctx.opts.toolCache) {
    await ctx.opts.toolCache.save(ctx.cachePath, ctx.version).catch((err: unknown) => {
      ctx.log(`tool cache not updated: ${errorText(err)}`) // the binary is usable; the next run just rebuilds the tool cache
    })
  }
  return { path: ctx.cachePath, version: got, source }
}

// ---------------------------------------------------------------------------------------------
// I/O edges

function normalizeVersion(raw: string): string {
  const version = raw.trim().replace(/^v/, '')
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new UserError(`k6 version "${raw}" is not a release version like ${K6_VERSION}`)
  }
  return version
}

/** Every executable `name` on the env's PATH, in PATH order, without duplicates. */
async function onPath(name: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH')
  const dirs = (key ? (env[key] ?? '') : '').split(path.delimiter).filter((d) => d !== '')
  const found: string[] = []
  for (const dir of dirs) {
    const candidate = path.resolve(dir, name)
    if (!found.includes(candidate) && (await isExecutable(candidate))) found.push(candidate)
  }
  return found
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.X_OK)
    return (await fs.stat(file)).isFile()
  } catch {
    return false
  }
}

/** A tool cache hit is either the binary or a directory holding it. */
async function binaryIn(hit: string): Promise<string | undefined> {
  const stat = await fs.stat(hit).catch(() => undefined)
  if (!stat) return undefined
  return stat.isDirectory() ? path.join(hit, k6BinaryName()) : hit
}

/** The version `k6 version` reports; throws when it does not run or prints something else. */
async function versionOf(binary: string, env: NodeJS.ProcessEnv): Promise<string> {
  const out = await run(binary, ['version'], env, 30_000)
  const version = parseK6Version(out)
  if (!version) throw new Error(`"k6 version" printed ${JSON.stringify(out.trim().split('\n')[0].slice(0, 80))}`)
  return version
}

/** Extract one member of a release archive into `dir`: tar for .tar.gz, unzip (or bsdtar) for .zip. */
async function extract(archive: string, member: string, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const exe = (name: string): string => (process.platform === 'win32' ? `${name}.exe` : name)
  const [tar] = await onPath(exe('tar'), env)
  if (archive.endsWith('.zip')) {
    const [unzip] = await onPath(exe('unzip'), env)
    if (unzip) await run(unzip, ['-q', '-o', archive, member, '-d', dir], env, 120_000)
    else if (tar)
      await run(tar, ['-xf', archive, '-C', dir, member], env, 120_000) // bsdtar reads zip
    else throw new Error('neither unzip nor tar is on PATH')
    return
  }
  if (!tar) throw new Error('tar is not on PATH')
  await run(tar, ['-xzf', archive, '-C', dir, member], env, 120_000)
}

/** GET a URL into memory with a connect (headers) timeout and a body timeout. */
async function fetchBytes(url: string, timeouts: { connect: number; body: number }): Promise<Buffer> {
  const controller = new AbortController()
  let phase: 'connect' | 'body' = 'connect'
  let timer = setTimeout(() => controller.abort(), timeouts.connect)
  const host = safeHost(url)
  try {
    const res = await fetch(url, { signal: controller.signal, redirect: 'follow' })
    if (!res.ok) {
      await res.body?.cancel()
      throw new Error(`HTTP ${res.status} from ${redact(url)}`)
    }
    clearTimeout(timer)
    phase = 'body'
    timer = setTimeout(() => controller.abort(), timeouts.body)
    return Buffer.from(await res.arrayBuffer())
  } catch (err) {
    if (controller.signal.aborted) {
      throw new Error(
        phase === 'connect'
          ? `no response from ${host} within ${timeouts.connect / 1000} s`
          : `download from ${host} took longer than ${timeouts.body / 1000} s`,
      )
    }
    throw err
  } finally {
    clearTimeout(timer)
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the download server'
  }
}

/** Run a program without a shell; resolves to stdout, rejects with the most telling line. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout)
      if (err.killed) return reject(new Error(`${path.basename(file)} timed out after ${timeoutMs / 1000} s`))
      reject(new Error(lastLine(stderr) || lastLine(stdout) || err.message))
    })
  })
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'perf-xi-k6-'))
  try {
    return await fn(dir)
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .pop() ?? ''
  )
}

/**
 * One line from anything thrown; fetch hides the real cause (`getaddrinfo ENOTFOUND …`) in `cause`,
 * sometimes inside an AggregateError. Duck-typed: errors from another realm (vm, jest) fail `instanceof`.
 */
function errorText(err: unknown): string {
  type Thrown = { message?: unknown; cause?: unknown; errors?: unknown; code?: unknown; name?: unknown }
  const isThrown = (x: unknown): x is Thrown => typeof x === 'object' && x !== null && 'message' in x
  if (!isThrown(err)) return String(err)
  let root = err
  while (isThrown(root.cause)) root = root.cause
  if (Array.isArray(root.errors) && isThrown(root.errors[0])) root = root.errors[0]
  return lastLine(String(root.message ?? '')) || String(root.code ?? root.name ?? 'unknown error')
}
