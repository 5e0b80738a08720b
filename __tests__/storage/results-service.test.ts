/**
 * The results-service stand-in refuses what the real service would refuse, and records it: without
 * these, the storage tests could pass against a server that accepts anything.
 */
import { createHash, randomBytes } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { CACHE_READ, crc32, readZip, startResultsService, type IssuedToken, type ResultsService } from './results-service.js'

let service: ResultsService
let token: IssuedToken

beforeAll(async () => {
  service = await startResultsService()
})
afterAll(() => service.close())
beforeEach(() => {
  service.clearLog()
  token = service.issueToken()
})

const ARTIFACTS = 'twirp/github.actions.results.api.v1.ArtifactService'
const CACHE = 'twirp/github.actions.results.api.v1.CacheService'

async function twirp(method: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${service.url}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'test', authorization: `Bearer ${token.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function put(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'x-ms-version': '2025-01-05', 'x-ms-blob-type': 'BlockBlob', ...headers },
    body: new Uint8Array(body),
  })
  await res.arrayBuffer()
  return res.status
}

function ids(name = 'a'): Record<string, string> {
  return { workflow_run_backend_id: token.runBackendId, workflow_job_run_backend_id: token.jobBackendId, name }
}

/** A one-file zip built by hand: local header, deflated data, central directory, end record. */
function zipOf(name: string, data: Buffer, crc = crc32(data)): Buffer {
  const packed = deflateRawSync(data)
  const nameBytes = Buffer.from(name)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(8, 8)
  local.writeUInt32LE(crc, 14)
  local.writeUInt32LE(packed.length, 18)
  local.writeUInt32LE(data.length, 22)
  local.writeUInt16LE(nameBytes.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(crc, 16)
  central.writeUInt32LE(packed.length, 20)
  central.writeUInt32LE(data.length, 24)
  central.writeUInt16LE(nameBytes.length, 28)
  central.writeUInt32LE(0, 42)
  const directoryOffset = local.length + nameBytes.length + packed.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + nameBytes.length, 12)
  end.writeUInt32LE(directoryOffset, 16)
  return Buffer.concat([local, nameBytes, packed, central, nameBytes, end])
}

describe('twirp requests', () => {
  it.each([
    ['no Authorization', () => ({ authorization: '' }), 401, 'auth'],
    [
      'a token it did not sign',
      () => ({ authorization: `Bearer ${token.token.split('.').slice(0, 2).join('.')}.${randomBytes(32).toString('base64url')}` }),
      401,
      'auth',
    ],
    ['another content type', () => ({ 'content-type': 'application/protobuf' }), 400, 'header'],
  ])('refuses %s', async (_what, headers, status, kind) => {
    const res = await twirp(`${ARTIFACTS}/CreateArtifact`, { ...ids(), version: 7 }, headers())
    expect(res.status).toBe(status)
    expect(service.violations.map((v) => v.kind)).toEqual([kind])
  })

  it('refuses an expired token', async () => {
    token = service.issueToken({ expiresInSeconds: -10 })
    expect((await twirp(`${ARTIFACTS}/CreateArtifact`, { ...ids(), version: 7 })).body).toEqual({
      code: 'unauthenticated',
      msg: 'the bearer token has expired',
    })
  })

  it.each([
    ['camelCase field names', () => ({ workflowRunBackendId: 'x', version: 7 }), 'malformed', /unknown field workflowRunBackendId/],
    ['a missing required field', () => ({ ...ids() }), 'invalid_argument', /version is required/],
    ['a wrongly typed field', () => ({ ...ids(), version: '7' }), 'malformed', /version is not a valid int32/],
    ['another job’s ids', () => ({ ...ids(), workflow_job_run_backend_id: 'other', version: 7 }), 'permission_denied', /backend ids do not match/],
    ['an expiry in the past', () => ({ ...ids(), version: 7, expires_at: '2020-01-01T00:00:00Z' }), 'invalid_argument', /expires_at is in the past/],
  ])('CreateArtifact refuses %s', async (_what, body, code, msg) => {
    const res = await twirp(`${ARTIFACTS}/CreateArtifact`, body())
    expect(res.body['code']).toBe(code)
    expect(res.body['msg']).toMatch(msg)
    expect(service.violations).toHaveLength(1)
  })

  it('refuses an unknown method', async () => {
    expect((await twirp(`${ARTIFACTS}/MigrateArtifact`, {})).status).toBe(404)
    expect(service.violations.map((v) => v.kind)).toEqual(['route'])
  })
})

describe('artifact upload checks', () => {
  async function create(name: string): Promise<string> {
    const res = await twirp(`${ARTIFACTS}/CreateArtifact`, { ...ids(name), version: 7, mime_type: 'application/zip' })
    expect(res.body['ok']).toBe(true)
    return res.body['signed_upload_url'] as string
  }

  it('finalizes a real zip whose size and hash match, and reads its files', async () => {
    const zip = zipOf('perf-xi-results.json', Buffer.from('{"ok":true}'))
    expect(await put(await create('good'), zip)).toBe(201)
    const res = await twirp(`${ARTIFACTS}/FinalizeArtifact`, {
      ...ids('good'),
      size: String(zip.length),
      hash: `sha256:${createHash('sha256').update(zip).digest('hex')}`,
    })
    expect(res.body).toEqual({ ok: true, artifact_id: expect.stringMatching(/^\d+$/) })
    expect(service.artifacts.find((a) => a.name === 'good')!.files.map((f) => [f.name, f.data.toString()])).toEqual([['perf-xi-results.json', '{"ok":true}']])
    expect(service.violations).toEqual([])
  })

  it.each([
    ['a size that is not what was uploaded', (zip: Buffer) => ({ size: String(zip.length + 1) }), /size \d+ but \d+ bytes were uploaded/],
    ['a hash that is not the upload’s', (zip: Buffer) => ({ size: String(zip.length), hash: 'sha256:00' }), /hash sha256:00 but the upload is sha256:/],
  ])('FinalizeArtifact refuses %s', async (_what, fields, msg) => {
    const zip = zipOf('f.json', Buffer.from('{}'))
    const name = `bad-${Math.random().toString(36).slice(2)}`
    expect(await put(await create(name), zip)).toBe(201)
    const res = await twirp(`${ARTIFACTS}/FinalizeArtifact`, { ...ids(name), ...fields(zip) })
    expect(res.body['msg']).toMatch(msg)
    expect(service.violations.map((v) => v.kind)).toEqual(['content'])
  })

  it('FinalizeArtifact refuses a zip whose entry does not match its CRC-32, and one never uploaded', async () => {
    const zip = zipOf('f.json', Buffer.from('{}'), 12345)
    expect(() => readZip(zip)).toThrow('f.json: CRC-32 mismatch')
    expect(await put(await create('crc'), zip)).toBe(201)
    expect((await twirp(`${ARTIFACTS}/FinalizeArtifact`, { ...ids('crc'), size: String(zip.length) })).body['msg']).toMatch(
      /not a valid zip: f.json: CRC-32 mismatch/,
    )
    await create('empty')
    expect((await twirp(`${ARTIFACTS}/FinalizeArtifact`, { ...ids('empty'), size: '0' })).body['msg']).toMatch(/no blob was committed/)
    expect(service.violations.map((v) => v.kind)).toEqual(['content', 'state'])
  })

  it('blob writes need the issued signature and permissions, x-ms-version, a block blob and staged blocks', async () => {
    const url = await create('blob')
    const body = Buffer.from('abc')
    expect(await put(url.replace(/sig=[^&]+/, 'sig=forged'), body)).toBe(403)
    expect(await put(url.replace(/sp=[^&]+/, 'sp=rcw'), body)).toBe(403)
    const noVersion = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: new Uint8Array(body) })
    expect(noVersion.status).toBe(400)
    expect(await put(url, body, { 'x-ms-blob-type': 'AppendBlob' })).toBe(400)
    const blockList = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><BlockList><Latest>bmV2ZXI=</Latest></BlockList>'
    expect(await put(`${url}&comp=blocklist`, Buffer.from(blockList))).toBe(400)
    expect(service.violations.map((v) => v.kind)).toEqual(['auth', 'auth', 'header', 'header', 'blob'])
    // Reading needs a URL that grants it.
    expect((await fetch(url)).status).toBe(403)
  })

  it('DeleteArtifact frees the name for a re-run’s job, and only within the token’s run', async () => {
    const zip = zipOf('perf-xi-results.json', Buffer.from('{"attempt":1}'))
    expect(await put(await create('replaced'), zip)).toBe(201)
    expect((await twirp(`${ARTIFACTS}/FinalizeArtifact`, { ...ids('replaced'), size: String(zip.length) })).body['ok']).toBe(true)
    const uploader = ids('replaced')
    const id = service.artifacts.find((a) => a.name === 'replaced')!.id

    // A job of the re-run: the same run, another job. It names the uploading job, as ListArtifacts answers it.
    token = service.issueToken({ runBackendId: token.runBackendId })
    expect((await twirp(`${ARTIFACTS}/CreateArtifact`, { ...ids('replaced'), version: 7 })).body['code']).toBe('already_exists')
    expect((await twirp(`${ARTIFACTS}/DeleteArtifact`, { ...uploader, workflow_run_backend_id: 'another-run' })).body).toEqual({
      code: 'permission_denied',
      msg: "DeleteArtifact: workflow run backend id does not match the token's Actions.Results scope",
    })
    expect((await twirp(`${ARTIFACTS}/DeleteArtifact`, { ...uploader, name: 'never-uploaded' })).body['code']).toBe('not_found')
    expect((await twirp(`${ARTIFACTS}/DeleteArtifact`, { ...uploader, name: undefined })).body['msg']).toMatch(/name is required/)
    expect((await twirp(`${ARTIFACTS}/DeleteArtifact`, uploader)).body).toEqual({ ok: true, artifact_id: String(id) })

    expect(service.artifacts.find((a) => a.name === 'replaced')).toBeUndefined()
    expect((await twirp(`${ARTIFACTS}/CreateArtifact`, { ...ids('replaced'), version: 7 })).body['ok']).toBe(true)
    expect(service.violations.map((v) => v.kind)).toEqual(['state', 'body'])
  })
})

describe('cache checks', () => {
  const version = 'a'.repeat(64)

  it('refuses a key with a comma and a version that is not a hash', async () => {
    expect((await twirp(`${CACHE}/CreateCacheEntry`, { key: 'a,b', version })).body['msg']).toMatch(/comma/)
    expect((await twirp(`${CACHE}/GetCacheEntryDownloadURL`, { key: 'a', version: 'v1' })).body['msg']).toMatch(/64-hex-digit/)
    expect(service.violations.map((v) => v.kind)).toEqual(['body', 'body'])
  })

  it('denies writes to a read-only token (a service answer, not a client bug)', async () => {
    token = service.issueToken({ cacheScopes: [{ scope: 'refs/heads/main', permission: CACHE_READ }] })
    expect((await twirp(`${CACHE}/CreateCacheEntry`, { key: 'k', version })).body).toEqual({
      code: 'permission_denied',
      msg: 'cache write denied: the token has no writable cache scope',
    })
    expect(service.violations).toEqual([])
  })

  it('refuses to finalize an upload of the wrong size or that is not a zstd/gzip archive', async () => {
    const { signed_upload_url: url } = (await twirp(`${CACHE}/CreateCacheEntry`, { key: 'plain', version })).body as { signed_upload_url: string }
    expect(await put(url, Buffer.from('not an archive'))).toBe(201)
    expect((await twirp(`${CACHE}/FinalizeCacheEntryUpload`, { key: 'plain', version, size_bytes: '3' })).body['msg']).toMatch(/size_bytes 3 but 14 bytes/)
    expect((await twirp(`${CACHE}/FinalizeCacheEntryUpload`, { key: 'plain', version, size_bytes: '14' })).body['msg']).toMatch(/neither a zstd nor a gzip/)
    expect(service.violations.map((v) => v.kind)).toEqual(['content', 'content'])
  })
})
