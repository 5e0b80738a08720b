/**
 * ensureK6 end to end, with real k6 and a real HTTP server on 127.0.0.1 playing the GitHub release.
 *
 * The k6 served here is the real binary, obtained once through ensureK6 itself (PATH, cache or
 * `go install` — the latter takes ~2 minutes the first time on a cold Go cache), packed into the
 * official release layout `k6-v<ver>-linux-amd64/k6` next to a `sha256sum` checksums file.
 * Each case gets an empty cache and a PATH holding only tar and gzip, so no k6 or Go leaks in.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { constants as fsConstants, existsSync, promises as fs } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { UserError } from '../../src/errors.js'
import { checksumsFileName, ensureK6, k6CachePath, releaseArchiveName, type K6Binary, type ToolCache } from '../../src/k6/install.js'
import { K6_VERSION } from '../../src/k6-version.js'

const run = promisify(execFile)
const V = K6_VERSION
const ARCHIVE = releaseArchiveName(V, process.platform, process.arch) ?? 'unsupported'
const SUMS = checksumsFileName(V)
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** What the fake release server answers, per URL path; anything else is a 404. */
type Route = Buffer | 'hang'
const routes = new Map<string, Route>()
const hits: string[] = []
let server: http.Server
let origin = ''
let work = ''
let realK6: K6Binary
let tarTools = '' // a directory with only tar and gzip: the PATH of each isolated case

/** Publish a release under `/<name>/v<ver>/`: the archive and a checksums file (built by `sums`). */
function publish(name: string, archive: Buffer, sums: (realSum: string) => string): string {
  routes.set(`/${name}/v${V}/${ARCHIVE}`, archive)
  routes.set(`/${name}/v${V}/${SUMS}`, Buffer.from(sums(sha256(archive))))
  return `${origin}/${name}`
}

/** A checksums file shaped like k6's: every asset of the release, ours among them. */
const sumsFile = (ourSum: string): string =>
  [
    `${'1'.repeat(64)}  k6-v${V}-linux-amd64.deb`,
    `${ourSum}  ${ARCHIVE}`,
    `${'2'.repeat(64)}  k6-v${V}-macos-arm64.zip`,
    `${'3'.repeat(64)}  k6-v${V}-windows-amd64.zip`,
    '',
  ].join('\n')

/** A release-shaped tar.gz whose `k6-v<ver>-linux-amd64/k6` is the given file. */
async function tarball(binary: string, label: string): Promise<Buffer> {
  const root = path.join(work, `pack-${label}`)
  const top = ARCHIVE.replace(/\.tar\.gz$/, '')
  await fs.mkdir(path.join(root, top), { recursive: true })
  await fs.copyFile(binary, path.join(root, top, 'k6'))
  await fs.chmod(path.join(root, top, 'k6'), 0o755)
  const out = path.join(work, `${label}.tar.gz`)
  await run('tar', ['-czf', out, '-C', root, top])
  return fs.readFile(out)
}

async function which(name: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name)
    if (
      await fs.access(file, fsConstants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return file
  }
  throw new Error(`${name} is not on PATH; these tests need it`)
}

/** An empty cache, a HOME of its own and a PATH with only tar and gzip (plus `extraPath`). */
async function isolated(label: string, extraPath: string[] = []): Promise<{ env: NodeJS.ProcessEnv; cacheDir: string }> {
  const dir = await fs.mkdtemp(path.join(work, `${label}-`))
  const cacheDir = path.join(dir, 'cache')
  await fs.mkdir(path.join(dir, 'home'))
  const env = { PATH: [...extraPath, tarTools].join(path.delimiter), HOME: path.join(dir, 'home'), PERF_XI_CACHE_DIR: cacheDir }
  return { env, cacheDir }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => e.name)
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const probe = http.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

async function reportedVersion(binary: string): Promise<string> {
  return (await run(binary, ['version'])).stdout
}

/** The promise's rejection, which must be a UserError. */
async function userError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(UserError)
  return (err as UserError).message
}

const linuxOnly = process.platform === 'linux' && ARCHIVE.endsWith('.tar.gz') ? describe : describe.skip

linuxOnly('ensureK6 (real k6, release server on 127.0.0.1)', () => {
  let goodUrl = ''

  beforeAll(async () => {
    // The one slow step on a fresh machine: real k6 from PATH, the shared cache or `go install`.
    realK6 = await ensureK6({ log: (line) => process.stderr.write(`[k6 setup] ${line}\n`) })
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'perf-xi-k6-install-test-'))
    tarTools = path.join(work, 'tools')
    await fs.mkdir(tarTools)
    for (const tool of ['tar', 'gzip']) await fs.symlink(await which(tool), path.join(tarTools, tool))

    server = http.createServer((req, res) => {
      hits.push(req.url ?? '')
      const route = routes.get(req.url ?? '')
      if (route === 'hang') return // headers never come
      if (!route) {
        res.writeHead(404).end('Not Found')
        return
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(route)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    const good = await tarball(realK6.path, 'good')
    goodUrl = publish('good', good, sumsFile)
  }, 300_000)

  afterAll(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
    if (work) await fs.rm(work, { recursive: true, force: true })
  })

  beforeEach(() => {
    hits.length = 0
  })

  test('the setup got the pinned k6 for real', async () => {
    expect(realK6.version).toBe(V)
    expect(await reportedVersion(realK6.path)).toMatch(new RegExp(`^k6 v${V.replace(/\./g, '\\.')} `))
  })

  test('downloads, verifies, extracts and caches the release; a second call is a cache hit', async () => {
    const { env, cacheDir } = await isolated('download')
    const lines: string[] = []
    const first = await ensureK6({ env, baseUrl: goodUrl, log: (l) => lines.push(l) })

    expect(first).toEqual({ path: k6CachePath(cacheDir, V, process.platform, process.arch), version: V, source: 'download' })
    expect(await reportedVersion(first.path)).toContain(`k6 v${V}`)
    expect(hits).toEqual([`/good/v${V}/${SUMS}`, `/good/v${V}/${ARCHIVE}`])
    expect(lines).toContain(`verified SHA-256 of ${ARCHIVE}: ${sha256(routes.get(`/good/v${V}/${ARCHIVE}`) as Buffer)}`)
    expect(await filesUnder(cacheDir)).toEqual(['k6']) // no partial files or archives left behind

    hits.length = 0
    const second = await ensureK6({ env, baseUrl: `${origin}/missing` })
    expect(second).toEqual({ ...first, source: 'cache' })
    expect(hits).toEqual([])
  })

  test('a k6 on PATH with the pinned version is used as is', async () => {
    const bin = path.join(work, 'path-hit')
    await fs.mkdir(bin)
    await fs.symlink(realK6.path, path.join(bin, 'k6'))
    const { env, cacheDir } = await isolated('path-hit', [bin])

    expect(await ensureK6({ env, baseUrl: `${origin}/missing` })).toEqual({ path: path.join(bin, 'k6'), version: V, source: 'path' })
    expect(await filesUnder(cacheDir)).toEqual([])
    expect(hits).toEqual([])
  })

  test('looking only (installIfMissing false) never downloads: it finds an installed k6 or fails', async () => {
    const { env } = await isolated('look-only')
    const message = await userError(ensureK6({ env, baseUrl: goodUrl, installIfMissing: false }))
    expect(message).toBe(`k6 ${V} is not available: not on PATH, and not cached. Install k6 ${V} on PATH.`)
    expect(hits).toEqual([])

    await ensureK6({ env, baseUrl: goodUrl })
    hits.length = 0
    expect((await ensureK6({ env, baseUrl: goodUrl, installIfMissing: false })).source).toBe('cache')
    expect(hits).toEqual([])
  })

  test('a k6 on PATH with another version is skipped and named in the error', async () => {
    const bin = path.join(work, 'path-old')
    await fs.mkdir(bin)
    await fs.writeFile(path.join(bin, 'k6'), '#!/bin/sh\necho "k6 v1.3.0 (go1.24.6, linux/amd64)"\n', { mode: 0o755 })
    const { env } = await isolated('path-old', [bin])

    const message = await userError(ensureK6({ env, baseUrl: `${origin}/missing` }))
    expect(message.startsWith(`k6 ${V} is not available: not on PATH (${bin}/k6 is 1.3.0), not cached, `)).toBe(true)
  })

  test.each([
    {
      what: 'wrong checksum',
      make: async () => publish('bad-sum', await fs.readFile(path.join(work, 'good.tar.gz')), () => sumsFile('0'.repeat(64))),
      reason: (archive: Buffer) => `download refused (SHA-256 mismatch for ${ARCHIVE}: expected ${'0'.repeat(64)}, got ${sha256(archive)}; nothing was kept)`,
    },
    {
      what: 'no checksum entry for the archive',
      make: async () => publish('no-entry', await fs.readFile(path.join(work, 'good.tar.gz')), () => `${'1'.repeat(64)}  k6-v${V}-linux-amd64.deb\n`),
      reason: () => `download refused (${SUMS} has no entry for ${ARCHIVE}; nothing was kept)`,
    },
    {
      what: 'corrupt archive (checksum matches the corrupt bytes)',
      make: async () => publish('corrupt', Buffer.from('this is not a gzip stream'.repeat(100)), sumsFile),
      reason: () => `download unusable (could not extract k6-v${V}-linux-amd64/k6 from ${ARCHIVE}: `,
    },
    {
      what: 'archive holding another k6 version',
      make: async () => {
        const fake = path.join(work, 'fake-k6')
        await fs.writeFile(fake, '#!/bin/sh\necho "k6 v1.3.0 (go1.24.6, linux/amd64)"\n', { mode: 0o755 })
        return publish('old-k6', await tarball(fake, 'old'), sumsFile)
      },
      reason: () => `download produced k6 1.3.0, not ${V}`,
    },
  ])('refused: $what → UserError, nothing cached', async ({ make, reason }) => {
    const baseUrl = await make()
    const archive = routes.get(`${new URL(baseUrl).pathname}/v${V}/${ARCHIVE}`) as Buffer
    const { env, cacheDir } = await isolated('refused')

    const message = await userError(ensureK6({ env, baseUrl }))
    expect(message).toContain(`not on PATH, not cached, ${reason(archive)}`)
    expect(message).toMatch(/, and Go is not installed\. Install k6 1\.8\.1 or Go\.$/)
    expect(await filesUnder(cacheDir)).toEqual([])
  })

  test('HTTP 404: the one-line error names every step', async () => {
    const { env } = await isolated('404')
    expect(await userError(ensureK6({ env, baseUrl: `${origin}/missing` }))).toBe(
      `k6 ${V} is not available: not on PATH, not cached, download failed (HTTP 404 from ${origin}/missing/v${V}/${SUMS}), ` +
        `and Go is not installed. Install k6 ${V} or Go.`,
    )
  })

  test('connection refused fails fast with the network reason', async () => {
    const port = await closedPort()
    const { env } = await isolated('refused-conn')

    expect(await userError(ensureK6({ env, baseUrl: `http://127.0.0.1:${port}` }))).toContain(`download failed (connect ECONNREFUSED 127.0.0.1:${port})`)
  })

  test('a server that never answers hits the connect timeout', async () => {
    routes.set(`/hang/v${V}/${SUMS}`, 'hang')
    const { env } = await isolated('hang')
    const started = Date.now()

    expect(await userError(ensureK6({ env, baseUrl: `${origin}/hang`, connectTimeoutMs: 300 }))).toContain(
      `download failed (no response from 127.0.0.1:${new URL(origin).port} within 0.3 s)`,
    )
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  test('credentials in the base URL never reach the log or the error', async () => {
    const { env } = await isolated('secret')
    const lines: string[] = []
    const baseUrl = goodUrl.replace('http://', 'http://perfxi:s3cret-token@')

    const outcome = await ensureK6({ env, baseUrl, log: (l) => lines.push(l) }).then(
      (k6) => JSON.stringify(k6),
      (err: unknown) => String(err),
    )
    const everything = [...lines, outcome].join('\n')
    expect(everything).not.toContain('s3cret-token')
    expect(everything).toContain('http://***@127.0.0.1')
  })

  test('a broken cached binary is removed and replaced', async () => {
    const { env, cacheDir } = await isolated('broken-cache')
    const cached = k6CachePath(cacheDir, V, process.platform, process.arch)
    await fs.mkdir(path.dirname(cached), { recursive: true })
    await fs.writeFile(cached, 'truncated', { mode: 0o755 })
    const lines: string[] = []

    const k6 = await ensureK6({ env, baseUrl: goodUrl, log: (l) => lines.push(l) })
    expect(k6).toEqual({ path: cached, version: V, source: 'download' })
    expect(lines.some((l) => l.startsWith(`cached k6 at ${cached} removed: `))).toBe(true)
    expect(await reportedVersion(cached)).toContain(`k6 v${V}`)
  })

  test('an injected ToolCache is fed after a download and consulted before downloading', async () => {
    const store = path.join(work, 'tool-cache')
    const saved: string[] = []
    const toolCache: ToolCache = {
      async find(version) {
        const dir = path.join(store, version)
        return (await fs.stat(dir).catch(() => undefined)) ? dir : undefined
      },
      async save(binaryPath, version) {
        saved.push(version)
        await fs.mkdir(path.join(store, version), { recursive: true })
        await fs.copyFile(binaryPath, path.join(store, version, 'k6'))
        return path.join(store, version)
      },
    }

    const first = await isolated('tool-cache-1')
    expect((await ensureK6({ env: first.env, baseUrl: goodUrl, toolCache })).source).toBe('download')
    expect(saved).toEqual([V])

    hits.length = 0
    const second = await isolated('tool-cache-2') // empty directory cache: only the tool cache has it
    expect(await ensureK6({ env: second.env, baseUrl: `${origin}/missing`, toolCache })).toEqual({
      path: path.join(store, V, 'k6'),
      version: V,
      source: 'cache',
    })
    expect(hits).toEqual([])
  })

  test('an invalid version is refused before anything runs', async () => {
    const { env } = await isolated('bad-version')
    expect(await userError(ensureK6({ env, version: '1.8.1; rm -rf /' }))).toBe(`k6 version "1.8.1; rm -rf /" is not a release version like ${V}`)
  })
})

// `go install` from the Go module proxy: ~4 s on a warm Go build cache, ~2 minutes cold.
const goOnPath = (process.env.PATH ?? '')
  .split(path.delimiter)
  .map((dir) => path.join(dir, 'go'))
  .find((file) => path.isAbsolute(file) && existsSync(file))

const describeWithGo = process.platform === 'linux' && goOnPath ? describe : describe.skip

describeWithGo('ensureK6 go install fallback', () => {
  test('download fails and Go is on PATH: go install, checked, cached as source "go"', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'perf-xi-k6-go-test-'))
    try {
      const bin = path.join(dir, 'bin') // only go: no k6 can come from PATH
      await fs.mkdir(bin)
      await fs.symlink(goOnPath as string, path.join(bin, 'go'))
      const cacheDir = path.join(dir, 'cache')
      const env = { ...process.env, PATH: bin, PERF_XI_CACHE_DIR: cacheDir } // HOME etc. kept: Go's caches
      const lines: string[] = []
      const started = Date.now()

      const port = await closedPort()
      const k6 = await ensureK6({ env, baseUrl: `http://127.0.0.1:${port}`, log: (l) => lines.push(l) })
      process.stderr.write(`[k6 go test] go install path took ${((Date.now() - started) / 1000).toFixed(1)} s\n`)

      expect(k6).toEqual({ path: k6CachePath(cacheDir, V, process.platform, process.arch), version: V, source: 'go' })
      expect(await reportedVersion(k6.path)).toContain(`k6 v${V}`)
      expect(lines).toContain(`k6 ${V}: download failed (connect ECONNREFUSED 127.0.0.1:${port})`)
      expect(await filesUnder(cacheDir)).toEqual(['k6'])
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
