import path from 'node:path'
import {
  checksumsFileName,
  defaultCacheDir,
  goPlatform,
  k6BinaryName,
  k6CachePath,
  K6_VERSION,
  parseChecksums,
  parseK6Version,
  redact,
  releaseArchiveName,
  unavailableMessage,
} from '../../src/k6/install.js'

describe('releaseArchiveName', () => {
  test.each([
    { what: 'linux x64', platform: 'linux', arch: 'x64', expected: 'k6-v1.8.1-linux-amd64.tar.gz' },
    { what: 'linux arm64', platform: 'linux', arch: 'arm64', expected: 'k6-v1.8.1-linux-arm64.tar.gz' },
    { what: 'macOS x64', platform: 'darwin', arch: 'x64', expected: 'k6-v1.8.1-macos-amd64.zip' },
    { what: 'macOS arm64', platform: 'darwin', arch: 'arm64', expected: 'k6-v1.8.1-macos-arm64.zip' },
    { what: 'Windows x64', platform: 'win32', arch: 'x64', expected: 'k6-v1.8.1-windows-amd64.zip' },
    { what: 'Windows arm64 (no official archive)', platform: 'win32', arch: 'arm64', expected: undefined },
    { what: 'linux 32-bit arm (no official archive)', platform: 'linux', arch: 'arm', expected: undefined },
    { what: 'FreeBSD (no official archive)', platform: 'freebsd', arch: 'x64', expected: undefined },
  ])('$what', ({ platform, arch, expected }) => {
    expect(releaseArchiveName('1.8.1', platform, arch)).toBe(expected)
  })
})

describe('goPlatform and k6BinaryName', () => {
  test.each([
    { platform: 'linux', arch: 'x64', goPlat: 'linux-amd64', bin: 'k6' },
    { platform: 'linux', arch: 'arm64', goPlat: 'linux-arm64', bin: 'k6' },
    { platform: 'darwin', arch: 'arm64', goPlat: 'darwin-arm64', bin: 'k6' },
    { platform: 'win32', arch: 'x64', goPlat: 'windows-amd64', bin: 'k6.exe' },
    { platform: 'linux', arch: 'ia32', goPlat: 'linux-386', bin: 'k6' },
    { platform: 'freebsd', arch: 'x64', goPlat: 'freebsd-amd64', bin: 'k6' },
  ])('$platform/$arch → $goPlat, $bin', ({ platform, arch, goPlat, bin }) => {
    expect(goPlatform(platform, arch)).toBe(goPlat)
    expect(k6BinaryName(platform)).toBe(bin)
  })
})

test('checksumsFileName follows the release naming', () => {
  expect(checksumsFileName('1.8.1')).toBe('k6-v1.8.1-checksums.txt')
})

describe('parseChecksums', () => {
  const a = 'a'.repeat(64)
  const B = 'B'.repeat(64)
  test.each([
    {
      what: 'sha256sum text mode, several files',
      text: `${a}  k6-v1.8.1-linux-amd64.tar.gz\n${B}  k6-v1.8.1-macos-arm64.zip\n`,
      expected: { 'k6-v1.8.1-linux-amd64.tar.gz': a, 'k6-v1.8.1-macos-arm64.zip': 'b'.repeat(64) },
    },
    { what: 'binary mode marker', text: `${a} *k6-v1.8.1-linux-amd64.tar.gz`, expected: { 'k6-v1.8.1-linux-amd64.tar.gz': a } },
    { what: 'CRLF line endings', text: `${a}  k6.zip\r\n`, expected: { 'k6.zip': a } },
    { what: 'short digest is ignored', text: `abc123  k6.zip\n`, expected: {} },
    { what: 'garbage and blank lines are ignored', text: `\n# comment\nnot a line\n${a}  k6.zip\n\n`, expected: { 'k6.zip': a } },
    { what: 'empty file', text: '', expected: {} },
  ])('$what', ({ text, expected }) => {
    expect(Object.fromEntries(parseChecksums(text))).toEqual(expected)
  })
})

describe('parseK6Version', () => {
  test.each([
    { what: 'k6 1.x', output: 'k6 v1.8.1 (go1.26.8, linux/amd64)\n', expected: '1.8.1' },
    {
      what: 'k6 0.x with build details',
      output: 'k6 v0.45.0 (2023-06-19T08:40:05+0000/v0.45.0-0-gc3b4587b, go1.20.5, linux/amd64)',
      expected: '0.45.0',
    },
    { what: 'dev build keeps the suffix', output: 'k6 v1.3.0-dev (go1.24.6, linux/amd64)', expected: '1.3.0-dev' },
    { what: 'build metadata', output: 'k6 v1.8.1+abc (go1.26.8, linux/amd64)', expected: '1.8.1' },
    {
      what: 'extension lines after the version',
      output: 'k6 v1.8.1 (go1.26.8, linux/amd64)\nExtensions:\n  github.com/grafana/xk6-faker v0.4.0, k6/x/faker [js]\n',
      expected: '1.8.1',
    },
    { what: 'not k6', output: 'go version go1.26.8 linux/amd64', expected: undefined },
    { what: 'empty', output: '', expected: undefined },
  ])('$what', ({ output, expected }) => {
    expect(parseK6Version(output)).toBe(expected)
  })
})

describe('cache location', () => {
  test.each([
    { what: 'PERF_XI_CACHE_DIR wins', env: { PERF_XI_CACHE_DIR: '/x/cache', XDG_CACHE_HOME: '/xdg', HOME: '/h' }, expected: '/x/cache' },
    { what: 'XDG_CACHE_HOME next', env: { XDG_CACHE_HOME: '/xdg', HOME: '/h' }, expected: '/xdg/perf-xi' },
    { what: 'then ~/.cache', env: { HOME: '/h' }, expected: '/h/.cache/perf-xi' },
    { what: 'empty values are "not set"', env: { PERF_XI_CACHE_DIR: '', XDG_CACHE_HOME: '', HOME: '/h' }, expected: '/h/.cache/perf-xi' },
  ])('$what', ({ env, expected }) => {
    expect(defaultCacheDir(env)).toBe(path.resolve(expected))
  })

  test('one binary per version and platform', () => {
    expect(k6CachePath('/c', K6_VERSION, 'linux', 'x64')).toBe(path.join('/c', 'k6', K6_VERSION, 'linux-amd64', 'k6'))
    expect(k6CachePath('/c', '1.7.0', 'win32', 'x64')).toBe(path.join('/c', 'k6', '1.7.0', 'windows-amd64', 'k6.exe'))
  })
})

describe('redact', () => {
  test.each([
    { what: 'URL credentials', text: 'GET https://user:ghp_secret@mirror.example/k6', expected: 'GET https://***@mirror.example/k6' },
    { what: 'token-only userinfo', text: 'http://ghp_secret@h/x', expected: 'http://***@h/x' },
    { what: 'query strings', text: 'from https://h/k6.tar.gz?X-Amz-Signature=abc&token=def done', expected: 'from https://h/k6.tar.gz?*** done' },
    { what: 'query inside parentheses keeps the ")"', text: 'failed (HTTP 403 from https://h/a?sig=x)', expected: 'failed (HTTP 403 from https://h/a?***)' },
    { what: 'plain text untouched', text: 'getaddrinfo ENOTFOUND github.com', expected: 'getaddrinfo ENOTFOUND github.com' },
  ])('$what', ({ text, expected }) => {
    expect(redact(text)).toBe(expected)
  })
})

describe('unavailableMessage', () => {
  test.each([
    {
      what: 'no Go: suggest k6 or Go',
      reasons: ['not on PATH', 'not cached', 'download failed (getaddrinfo ENOTFOUND github.com)', 'Go is not installed'],
      goInstalled: false,
      expected:
        'k6 1.8.1 is not available: not on PATH, not cached, download failed (getaddrinfo ENOTFOUND github.com), and Go is not installed. Install k6 1.8.1 or Go.',
    },
    {
      what: 'Go failed: suggest k6',
      reasons: ['not on PATH', 'not cached', 'download failed (HTTP 404)', 'go install go.k6.io/k6@v1.8.1 failed (no space left on device)'],
      goInstalled: true,
      expected:
        'k6 1.8.1 is not available: not on PATH, not cached, download failed (HTTP 404), and go install go.k6.io/k6@v1.8.1 failed (no space left on device). Install k6 1.8.1 on PATH.',
    },
  ])('$what', ({ reasons, goInstalled, expected }) => {
    expect(unavailableMessage('1.8.1', reasons, goInstalled)).toBe(expected)
  })
})
