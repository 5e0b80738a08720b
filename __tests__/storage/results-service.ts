/**
 * A local stand-in, on 127.0.0.1, for the GitHub Actions runner's results service: the twirp JSON
 * API at ACTIONS_RESULTS_URL that `@actions/artifact` (ArtifactService) and `@actions/cache` (cache
 * service v2, CacheService) talk to, plus the Azure-blob-style signed URLs they upload to and
 * download from. The real libraries run unchanged against it.
 *
 * Strict, not a stub. Every request is checked the way the packages' own source (node_modules/
 * @actions/{artifact,cache}/lib, @azure/storage-blob) says it is sent, and anything off is answered
 * with the service's error AND recorded in `violations`:
 * - twirp: POST, `Content-Type: application/json`, a User-Agent, `Authorization: Bearer <jwt>` with a
 *   token this server issued (HMAC-signed, unexpired), a JSON body with exactly the protobuf field
 *   names (snake_case) the generated clients emit, each of the right type, required ones present;
 * - ArtifactService: run/job backend ids equal to the token's `Actions.Results:<run>:<job>` scope,
 *   artifact version 4+, mime type, expiry in the future; Finalize only after the blob is committed,
 *   with `size` equal to the uploaded bytes and `hash` equal to their SHA-256; the blob must be a
 *   zip whose every entry inflates to its recorded size and CRC-32; a name is unique within the run
 *   across its attempts (`already_exists`) until DeleteArtifact, which takes the run's id from the
 *   token and the uploading job's id as ListArtifacts answered it (any job of the run may delete);
 * - CacheService: key (≤ 512 characters, no commas), version (64 hex), scopes from the token's `ac`
 *   claim (read = 1, write = 2, as in the runner's token): reads search every readable scope (the
 *   token's own ref first), writes go to the one writable scope; an existing key+version in that
 *   scope is `already_exists`; Finalize with `size_bytes` equal to the uploaded bytes, a zstd or gzip
 *   archive;
 * - blob URLs: the `sig` this server issued for that blob, `se` not passed, `sp` granting the
 *   operation; Put Block (`comp=block`, base64 block id), Put Block List (`comp=blocklist`, XML of
 *   staged ids), Put Blob (`x-ms-blob-type: BlockBlob`); `x-ms-version` and a Content-Length equal to
 *   the body on every write; GET serves the committed bytes with their Content-Length.
 *
 * `requests` records every request (retries included); `artifacts` and `caches` hold the state.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { inflateRawSync } from 'node:zlib'

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** Bits of a cache scope's permission in the runtime token's `ac` claim. */
export const CACHE_READ = 1
export const CACHE_WRITE = 2

export interface TokenSpec {
  /** Workflow run backend id (first id of the `Actions.Results:<run>:<job>` scope). Default a UUID. */
  runBackendId?: string
  /** Workflow job run backend id. Default a UUID. */
  jobBackendId?: string
  /**
   * Cache scopes, the token's own ref first. Default `[{ scope: 'refs/heads/main', permission: 3 }]`
   * (a push to main). A pull request: `[{ scope: 'refs/pull/7/merge', permission: 3 }, { scope: 'refs/heads/main', permission: 1 }]`.
   */
  cacheScopes?: Array<{ scope: string; permission: number }>
  /** Seconds until the token expires. Default 3600; negative for an expired token. */
  expiresInSeconds?: number
}

export interface IssuedToken {
  token: string
  runBackendId: string
  jobBackendId: string
  /** ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL and ACTIONS_CACHE_SERVICE_V2 for this token. */
  env: Record<string, string>
}

export type ViolationKind = 'route' | 'auth' | 'header' | 'body' | 'state' | 'blob' | 'content'

export interface Violation {
  kind: ViolationKind
  method: string
  /** twirp method (`CreateArtifact`) or the blob path. */
  target: string
  message: string
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  /** twirp method name, or `blob:<operation>` (`blob:put-block`, `blob:put-block-list`, `blob:put-blob`, `blob:get`). */
  operation: string
  /** Parsed JSON for twirp calls; the byte count for blob bodies. */
  body: unknown
  /** Lower-cased headers without `authorization`. */
  headers: Record<string, string>
  status: number
}

export interface ZipEntry {
  name: string
  data: Buffer
}

export interface ArtifactRecord {
  id: number
  runBackendId: string
  jobBackendId: string
  name: string
  version: number
  mimeType: string | null
  expiresAt: Date | null
  createdAt: Date
  /** Committed blob bytes (the zip), once uploaded. */
  blob: Buffer | null
  blobContentType: string | null
  finalized: boolean
  size: number | null
  hash: string | null
  /** The zip's entries, checked (size and CRC-32) at finalize. */
  files: ZipEntry[]
}

export interface CacheRecord {
  id: number
  scope: string
  key: string
  version: string
  createdAt: Date
  blob: Buffer | null
  finalized: boolean
  sizeBytes: number | null
}

export interface ResultsService {
  /** ACTIONS_RESULTS_URL, ending in `/` as the runner sets it. */
  readonly url: string
  issueToken(spec?: TokenSpec): IssuedToken
  readonly requests: RecordedRequest[]
  readonly violations: Violation[]
  readonly artifacts: ArtifactRecord[]
  readonly caches: CacheRecord[]
  /** Forget recorded requests and violations (state is kept). */
  clearLog(): void
  /** Make a cache entry look older, e.g. to check "newest first". */
  age(cache: CacheRecord, ms: number): void
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService'
const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService'
const STORAGE_ACCOUNT = 'devstoreaccount1'

type FieldType = 'string' | 'int32' | 'int64' | 'bool' | 'timestamp' | 'string[]' | 'object'
interface MethodSpec {
  fields: Record<string, FieldType>
  required: string[]
}

/** Request messages as the generated protobuf-ts clients serialize them (useProtoFieldName, no defaults). */
const METHODS: Record<string, Record<string, MethodSpec>> = {
  [ARTIFACT_SERVICE]: {
    CreateArtifact: {
      fields: {
        workflow_run_backend_id: 'string',
        workflow_job_run_backend_id: 'string',
        name: 'string',
        expires_at: 'timestamp',
        version: 'int32',
        mime_type: 'string',
      },
      required: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name', 'version'],
    },
    FinalizeArtifact: {
      fields: { workflow_run_backend_id: 'string', workflow_job_run_backend_id: 'string', name: 'string', size: 'int64', hash: 'string' },
      required: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name', 'size'],
    },
    // Filters are protobuf wrappers (StringValue, Int64Value): JSON strings.
    ListArtifacts: {
      fields: { workflow_run_backend_id: 'string', workflow_job_run_backend_id: 'string', name_filter: 'string', id_filter: 'int64' },
      required: ['workflow_run_backend_id', 'workflow_job_run_backend_id'],
    },
    GetSignedArtifactURL: {
      fields: { workflow_run_backend_id: 'string', workflow_job_run_backend_id: 'string', name: 'string' },
      required: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name'],
    },
    DeleteArtifact: {
      fields: { workflow_run_backend_id: 'string', workflow_job_run_backend_id: 'string', name: 'string' },
      required: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name'],
    },
  },
  [CACHE_SERVICE]: {
    GetCacheEntryDownloadURL: {
      fields: { metadata: 'object', key: 'string', restore_keys: 'string[]', version: 'string' },
      required: ['key', 'version'],
    },
    CreateCacheEntry: { fields: { metadata: 'object', key: 'string', version: 'string' }, required: ['key', 'version'] },
    FinalizeCacheEntryUpload: {
      fields: { metadata: 'object', key: 'string', size_bytes: 'int64', version: 'string' },
      required: ['key', 'version', 'size_bytes'],
    },
  },
}

/** Twirp error codes and their HTTP statuses. */
const TWIRP_STATUS = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500,
} as const
type TwirpCode = keyof typeof TWIRP_STATUS

class TwirpError extends Error {
  constructor(
    readonly code: TwirpCode,
    message: string,
    readonly kind: ViolationKind | null,
  ) {
    super(message)
  }
}

class BlobError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly kind: ViolationKind | null,
  ) {
    super(message)
  }
}

interface TokenClaims {
  scp: string
  ac: string
  exp: number
  iat: number
}

interface Caller {
  runBackendId: string
  jobBackendId: string
  scopes: Array<{ scope: string; permission: number }>
}

interface BlobSlot {
  sig: string
  expires: number
  permissions: string
  blocks: Map<string, Buffer>
  committed: Buffer | null
  contentType: string | null
  owner: { kind: 'artifact'; record: ArtifactRecord } | { kind: 'cache'; record: CacheRecord }
}

export async function startResultsService(): Promise<ResultsService> {
  const secret = randomBytes(32)
  const requests: RecordedRequest[] = []
  const violations: Violation[] = []
  const artifacts: ArtifactRecord[] = []
  const caches: CacheRecord[] = []
  const blobs = new Map<string, BlobSlot>()
  let nextId = 1000
  let baseUrl = ''

  const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

  function issueToken(spec: TokenSpec = {}): IssuedToken {
    const runBackendId = spec.runBackendId ?? randomUUID()
    const jobBackendId = spec.jobBackendId ?? randomUUID()
    const scopes = spec.cacheScopes ?? [{ scope: 'refs/heads/main', permission: CACHE_READ | CACHE_WRITE }]
    const now = Math.floor(Date.now() / 1000)
    const claims: TokenClaims = {
      scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
      ac: JSON.stringify(scopes.map((s) => ({ Scope: s.scope, Permission: s.permission }))),
      iat: now,
      exp: now + (spec.expiresInSeconds ?? 3600),
    }
    const unsigned = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`
    const token = `${unsigned}.${b64url(createHmac('sha256', secret).update(unsigned).digest())}`
    return {
      token,
      runBackendId,
      jobBackendId,
      env: { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: baseUrl, ACTIONS_CACHE_SERVICE_V2: 'true' },
    }
  }

  function authenticate(header: string | undefined): Caller {
    const match = /^Bearer (\S+)$/.exec(header ?? '')
    if (!match) throw new TwirpError('unauthenticated', 'Authorization: expected "Bearer <ACTIONS_RUNTIME_TOKEN>"', 'auth')
    const parts = match[1]!.split('.')
    if (parts.length !== 3) throw new TwirpError('unauthenticated', 'the bearer token is not a JWT', 'auth')
    const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest()
    const given = Buffer.from(parts[2]!, 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new TwirpError('unauthenticated', 'the bearer token was not issued by this service', 'auth')
    }
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims
    if (claims.exp < Date.now() / 1000) throw new TwirpError('unauthenticated', 'the bearer token has expired', 'auth')
    const results = claims.scp
      .split(' ')
      .find((s) => s.startsWith('Actions.Results:'))!
      .split(':')
    const scopes = (JSON.parse(claims.ac) as Array<{ Scope: string; Permission: number }>).map((s) => ({ scope: s.Scope, permission: s.Permission }))
    return { runBackendId: results[1]!, jobBackendId: results[2]!, scopes }
  }

  function checkBody(method: string, spec: MethodSpec, body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TwirpError('malformed', `${method}: the body is not a JSON object`, 'body')
    const message = body as Record<string, unknown>
    for (const [field, value] of Object.entries(message)) {
      const type = spec.fields[field]
      if (!type) throw new TwirpError('malformed', `${method}: unknown field ${field}`, 'body')
      const ok =
        type === 'string'
          ? typeof value === 'string'
          : type === 'int32'
            ? Number.isInteger(value)
            : type === 'int64'
              ? typeof value === 'string' && /^-?\d+$/.test(value)
              : type === 'bool'
                ? typeof value === 'boolean'
                : type === 'timestamp'
                  ? typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)
                  : type === 'string[]'
                    ? Array.isArray(value) && value.every((v) => typeof v === 'string')
                    : typeof value === 'object' && value !== null
      if (!ok) throw new TwirpError('malformed', `${method}: field ${field} is not a valid ${type}: ${JSON.stringify(value)}`, 'body')
    }
    for (const field of spec.required) {
      if (message[field] === undefined || message[field] === '') throw new TwirpError('invalid_argument', `${method}: ${field} is required`, 'body')
    }
    return message
  }

  function signedUrl(
    pathName: string,
    slot: Omit<BlobSlot, 'sig' | 'expires' | 'permissions' | 'blocks' | 'committed' | 'contentType'>,
    permissions: string,
  ): string {
    const sig = randomBytes(24).toString('base64')
    const expires = Date.now() + 10 * 60_000
    const existing = blobs.get(pathName)
    blobs.set(pathName, {
      blocks: new Map(),
      committed: existing?.committed ?? null,
      contentType: existing?.contentType ?? null,
      ...slot,
      sig,
      expires,
      permissions,
    })
    const query = new URLSearchParams({ sv: '2025-01-05', sr: 'b', sp: permissions, se: new Date(expires).toISOString(), sig })
    return `${baseUrl}${pathName.slice(1)}?${query}`
  }

  // ---------- ArtifactService ----------

  function artifactCall(method: string, caller: Caller, body: Record<string, unknown>): unknown {
    if (method === 'ListArtifacts' || method === 'GetSignedArtifactURL') return artifactReadCall(method, caller, body)
    if (method === 'DeleteArtifact') return artifactDeleteCall(caller, body)
    if (body['workflow_run_backend_id'] !== caller.runBackendId || body['workflow_job_run_backend_id'] !== caller.jobBackendId) {
      throw new TwirpError('permission_denied', `${method}: workflow run/job backend ids do not match the token's Actions.Results scope`, 'state')
    }
    const name = body['name'] as string
    const existing = artifacts.find((a) => a.runBackendId === caller.runBackendId && a.name === name)
    if (method === 'CreateArtifact') {
      const version = body['version'] as number
      if (version < 4) throw new TwirpError('invalid_argument', `CreateArtifact: version ${version} is not supported (4 or later)`, 'body')
      // A name already used in this run is refused (that is the service's answer, not a client bug).
      if (existing) throw new TwirpError('already_exists', `an artifact with this name already exists on the workflow run`, null)
      const expiresAt = body['expires_at'] === undefined ? null : new Date(body['expires_at'] as string)
      if (expiresAt && expiresAt.getTime() <= Date.now()) throw new TwirpError('invalid_argument', 'CreateArtifact: expires_at is in the past', 'body')
      const record: ArtifactRecord = {
        id: nextId++,
        runBackendId: caller.runBackendId,
        jobBackendId: caller.jobBackendId,
        name,
        version,
        mimeType: (body['mime_type'] as string | undefined) ?? null,
        expiresAt,
        createdAt: new Date(),
        blob: null,
        blobContentType: null,
        finalized: false,
        size: null,
        hash: null,
        files: [],
      }
      artifacts.push(record)
      const url = signedUrl(
        `/${STORAGE_ACCOUNT}/actions-results/${caller.runBackendId}/workflow-job-run-${caller.jobBackendId}/artifacts/${record.id}.zip`,
        { owner: { kind: 'artifact', record } },
        'cw',
      )
      return { ok: true, signed_upload_url: url }
    }
    // FinalizeArtifact
    if (!existing) throw new TwirpError('not_found', `FinalizeArtifact: no artifact ${name} was created in this run`, 'state')
    if (existing.jobBackendId !== caller.jobBackendId)
      throw new TwirpError('permission_denied', 'FinalizeArtifact: the artifact was created by another job', 'state')
    if (existing.finalized) throw new TwirpError('failed_precondition', `FinalizeArtifact: ${name} is already finalized`, 'state')
    if (!existing.blob) throw new TwirpError('failed_precondition', `FinalizeArtifact: no blob was committed for ${name}`, 'state')
    const size = Number(body['size'])
    if (size !== existing.blob.length)
      throw new TwirpError('invalid_argument', `FinalizeArtifact: size ${size} but ${existing.blob.length} bytes were uploaded`, 'content')
    const hash = body['hash'] as string | undefined
    const actual = `sha256:${createHash('sha256').update(existing.blob).digest('hex')}`
    if (hash !== undefined && hash !== actual) throw new TwirpError('invalid_argument', `FinalizeArtifact: hash ${hash} but the upload is ${actual}`, 'content')
    if (existing.mimeType === 'application/zip') {
      try {
        existing.files = readZip(existing.blob)
      } catch (error) {
        throw new TwirpError('invalid_argument', `FinalizeArtifact: the upload is not a valid zip: ${(error as Error).message}`, 'content')
      }
    }
    existing.finalized = true
    existing.size = size
    existing.hash = hash ?? null
    return { ok: true, artifact_id: String(existing.id) }
  }

  /** Reading the run's artifacts: any job of the run may, including artifacts other jobs uploaded (download-artifact's case). */
  function artifactReadCall(method: string, caller: Caller, body: Record<string, unknown>): unknown {
    if (body['workflow_run_backend_id'] !== caller.runBackendId) {
      throw new TwirpError('permission_denied', `${method}: workflow run backend id does not match the token's Actions.Results scope`, 'state')
    }
    const finalized = artifacts.filter((a) => a.runBackendId === caller.runBackendId && a.finalized)
    if (method === 'ListArtifacts') {
      if (body['workflow_job_run_backend_id'] !== caller.jobBackendId)
        throw new TwirpError('permission_denied', 'ListArtifacts: workflow job backend id does not match the token', 'state')
      const listed = finalized.filter(
        (a) => (body['name_filter'] === undefined || a.name === body['name_filter']) && (body['id_filter'] === undefined || String(a.id) === body['id_filter']),
      )
      return {
        artifacts: listed.map((a) => ({
          workflow_run_backend_id: a.runBackendId,
          workflow_job_run_backend_id: a.jobBackendId,
          database_id: String(a.id),
          name: a.name,
          size: String(a.size ?? 0),
          created_at: a.createdAt.toISOString(),
          ...(a.hash ? { digest: a.hash.replace(/^sha256:/, '') } : {}),
        })),
      }
    }
    // GetSignedArtifactURL names the job that uploaded the artifact.
    const found = finalized.find((a) => a.name === body['name'] && a.jobBackendId === body['workflow_job_run_backend_id'])
    if (!found) throw new TwirpError('not_found', `GetSignedArtifactURL: no finalized artifact ${String(body['name'])} of that job in this run`, null)
    const url = signedUrl(
      `/${STORAGE_ACCOUNT}/actions-results/${found.runBackendId}/workflow-job-run-${found.jobBackendId}/artifacts/${found.id}.zip`,
      { owner: { kind: 'artifact', record: found } },
      'r',
    )
    return { signed_url: url }
  }

  /**
   * Deleting one of the run's artifacts (upload-artifact's `overwrite`, a re-run replacing an earlier
   * attempt's): any job of the run may; the request names the job that uploaded it, as ListArtifacts
   * answered. The name is free again and the artifact's signed URLs stop working.
   */
  function artifactDeleteCall(caller: Caller, body: Record<string, unknown>): unknown {
    if (body['workflow_run_backend_id'] !== caller.runBackendId) {
      throw new TwirpError('permission_denied', `DeleteArtifact: workflow run backend id does not match the token's Actions.Results scope`, 'state')
    }
    const index = artifacts.findIndex(
      (a) => a.runBackendId === caller.runBackendId && a.jobBackendId === body['workflow_job_run_backend_id'] && a.name === body['name'],
    )
    if (index < 0) throw new TwirpError('not_found', `DeleteArtifact: no artifact ${String(body['name'])} of that job in this run`, null)
    const [deleted] = artifacts.splice(index, 1) as [ArtifactRecord]
    for (const [blobPath, slot] of blobs) if (slot.owner.record === deleted) blobs.delete(blobPath)
    return { ok: true, artifact_id: String(deleted.id) }
  }

  // ---------- CacheService ----------

  function checkKey(method: string, key: string): void {
    if (key.length > 512) throw new TwirpError('invalid_argument', `${method}: key longer than 512 characters`, 'body')
    if (key.includes(',')) throw new TwirpError('invalid_argument', `${method}: key contains a comma`, 'body')
  }

  function cacheCall(method: string, caller: Caller, body: Record<string, unknown>): unknown {
    const key = body['key'] as string
    const version = body['version'] as string
    checkKey(method, key)
    if (!/^[0-9a-f]{64}$/.test(version)) throw new TwirpError('invalid_argument', `${method}: version is not a 64-hex-digit hash`, 'body')
    if (method === 'GetCacheEntryDownloadURL') {
      const restoreKeys = (body['restore_keys'] as string[] | undefined) ?? []
      restoreKeys.forEach((k) => checkKey(method, k))
      if (1 + restoreKeys.length > 10) throw new TwirpError('invalid_argument', 'GetCacheEntryDownloadURL: at most 10 keys', 'body')
      const readable = caller.scopes.filter((s) => (s.permission & CACHE_READ) !== 0).map((s) => s.scope)
      if (readable.length === 0) throw new TwirpError('permission_denied', 'cache read denied: the token has no readable cache scope', null)
      const newest = (match: (c: CacheRecord) => boolean): CacheRecord | undefined =>
        caches.filter((c) => c.finalized && c.version === version && match(c)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]
      for (const scope of readable) {
        const inScope = (c: CacheRecord): boolean => c.scope === scope
        const found =
          newest((c) => inScope(c) && c.key === key) ??
          newest((c) => inScope(c) && c.key.startsWith(key)) ??
          restoreKeys.map((prefix) => newest((c) => inScope(c) && c.key.startsWith(prefix))).find((c) => c !== undefined)
        if (found) {
          const url = signedUrl(blobPathOf(found), { owner: { kind: 'cache', record: found } }, 'r')
          return { ok: true, signed_download_url: url, matched_key: found.key }
        }
      }
      return { ok: false }
    }
    const writable = caller.scopes.filter((s) => (s.permission & CACHE_WRITE) !== 0)
    if (writable.length !== 1) throw new TwirpError('permission_denied', 'cache write denied: the token has no writable cache scope', null)
    const scope = writable[0]!.scope
    const existing = caches.find((c) => c.scope === scope && c.key === key && c.version === version)
    if (method === 'CreateCacheEntry') {
      if (existing) throw new TwirpError('already_exists', 'cache entry with the same key, version, and scope already exists', null)
      const record: CacheRecord = { id: nextId++, scope, key, version, createdAt: new Date(), blob: null, finalized: false, sizeBytes: null }
      caches.push(record)
      return { ok: true, signed_upload_url: signedUrl(blobPathOf(record), { owner: { kind: 'cache', record } }, 'cw') }
    }
    // FinalizeCacheEntryUpload
    if (!existing) throw new TwirpError('not_found', `FinalizeCacheEntryUpload: no cache entry ${key} was reserved`, 'state')
    if (existing.finalized) throw new TwirpError('failed_precondition', `FinalizeCacheEntryUpload: ${key} is already finalized`, 'state')
    if (!existing.blob) throw new TwirpError('failed_precondition', `FinalizeCacheEntryUpload: nothing was uploaded for ${key}`, 'state')
    const size = Number(body['size_bytes'])
    if (size !== existing.blob.length)
      throw new TwirpError('invalid_argument', `FinalizeCacheEntryUpload: size_bytes ${size} but ${existing.blob.length} bytes were uploaded`, 'content')
    const zstd = existing.blob.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))
    const gzip = existing.blob.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))
    if (!zstd && !gzip) throw new TwirpError('invalid_argument', 'FinalizeCacheEntryUpload: the upload is neither a zstd nor a gzip archive', 'content')
    existing.finalized = true
    existing.sizeBytes = size
    return { ok: true, entry_id: String(existing.id) }
  }

  function blobPathOf(record: CacheRecord): string {
    return `/${STORAGE_ACCOUNT}/actions-cache/${createHash('sha256').update(`${record.scope}\n${record.key}\n${record.version}`).digest('hex')}.cache`
  }

  // ---------- blob endpoint ----------

  function blobCall(req: IncomingMessage, url: URL, body: Buffer): { operation: string; status: number; headers: Record<string, string>; body?: Buffer } {
    const slot = blobs.get(url.pathname)
    const q = url.searchParams
    if (!slot) throw new BlobError(404, 'ResourceNotFound', `no signed URL was issued for ${url.pathname}`, 'blob')
    const sig = q.get('sig')
    if (sig === null || sig !== slot.sig)
      throw new BlobError(403, 'AuthenticationFailed', 'the sig parameter is missing or not the one issued for this blob', 'auth')
    const se = q.get('se')
    if (se === null || Date.parse(se) !== slot.expires || slot.expires < Date.now())
      throw new BlobError(403, 'AuthenticationFailed', 'the se parameter is missing, altered or passed', 'auth')
    if (q.get('sp') !== slot.permissions) throw new BlobError(403, 'AuthenticationFailed', 'the sp parameter was altered', 'auth')
    const common = { 'x-ms-request-id': randomUUID(), 'x-ms-version': '2025-01-05', date: new Date().toUTCString() }

    if (req.method === 'GET') {
      if (!slot.permissions.includes('r')) throw new BlobError(403, 'AuthorizationPermissionMismatch', 'this URL does not grant read', 'auth')
      if (!slot.committed) throw new BlobError(404, 'BlobNotFound', 'the blob does not exist', 'state')
      return {
        operation: 'blob:get',
        status: 200,
        headers: {
          ...common,
          'content-type': slot.contentType ?? 'application/octet-stream',
          'content-length': String(slot.committed.length),
          'x-ms-blob-type': 'BlockBlob',
        },
        body: slot.committed,
      }
    }
    if (req.method !== 'PUT') throw new BlobError(405, 'UnsupportedHttpVerb', `${req.method} is not used by the upload clients`, 'route')
    if (!slot.permissions.includes('w')) throw new BlobError(403, 'AuthorizationPermissionMismatch', 'this URL does not grant write', 'auth')
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(req.headers['x-ms-version'] ?? '')))
      throw new BlobError(400, 'MissingRequiredHeader', 'x-ms-version is missing', 'header')
    const length = req.headers['content-length']
    if (length === undefined || Number(length) !== body.length)
      throw new BlobError(400, 'InvalidHeaderValue', `Content-Length ${length} does not match the ${body.length} bytes sent`, 'header')
    if (slot.owner.record.finalized === true) throw new BlobError(409, 'BlobImmutable', 'the blob was already finalized', 'state')
    const comp = q.get('comp')
    const created = {
      ...common,
      etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
      'last-modified': new Date().toUTCString(),
      'x-ms-request-server-encrypted': 'true',
    }
    if (comp === 'block') {
      const id = q.get('blockid')
      if (!id || !/^[A-Za-z0-9+/]+=*$/.test(id)) throw new BlobError(400, 'InvalidQueryParameterValue', 'blockid is missing or not base64', 'blob')
      if (body.length === 0) throw new BlobError(400, 'InvalidBlobOrBlock', 'empty block', 'blob')
      slot.blocks.set(id, body)
      return {
        operation: 'blob:put-block',
        status: 201,
        headers: { ...common, 'content-md5': createHash('md5').update(body).digest('base64'), 'x-ms-request-server-encrypted': 'true' },
      }
    }
    if (comp === 'blocklist') {
      const xml = body.toString('utf8')
      if (!/^(<\?xml[^>]*\?>)?\s*<BlockList>[\s\S]*<\/BlockList>\s*$/.test(xml))
        throw new BlobError(400, 'InvalidXmlDocument', 'the body is not a <BlockList>', 'blob')
      const ids = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2]!)
      if (ids.length === 0) throw new BlobError(400, 'InvalidBlockList', 'the block list is empty', 'blob')
      const missing = ids.filter((id) => !slot.blocks.has(id))
      if (missing.length > 0) throw new BlobError(400, 'InvalidBlockList', `blocks never staged: ${missing.join(', ')}`, 'blob')
      commit(slot, Buffer.concat(ids.map((id) => slot.blocks.get(id)!)), req)
      return { operation: 'blob:put-block-list', status: 201, headers: created }
    }
    if (comp !== null) throw new BlobError(400, 'InvalidQueryParameterValue', `comp=${comp} is not used by the upload clients`, 'route')
    if (req.headers['x-ms-blob-type'] !== 'BlockBlob') throw new BlobError(400, 'MissingRequiredHeader', 'Put Blob needs x-ms-blob-type: BlockBlob', 'header')
    commit(slot, body, req)
    return { operation: 'blob:put-blob', status: 201, headers: { ...created, 'content-md5': createHash('md5').update(body).digest('base64') } }
  }

  function commit(slot: BlobSlot, data: Buffer, req: IncomingMessage): void {
    slot.committed = data
    slot.blocks.clear()
    slot.contentType = (req.headers['x-ms-blob-content-type'] as string | undefined) ?? null
    if (slot.owner.kind === 'artifact') {
      slot.owner.record.blob = data
      slot.owner.record.blobContentType = slot.contentType
    } else {
      slot.owner.record.blob = data
    }
  }

  // ---------- HTTP ----------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', baseUrl)
    const headers = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([k]) => k !== 'authorization')
        .map(([k, v]) => [k, String(v)]),
    )
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      operation: '',
      body: undefined,
      headers,
      status: 0,
    }
    requests.push(record)

    const twirp = /^\/twirp\/([^/]+)\/([^/]+)$/.exec(url.pathname)
    if (twirp) {
      const [, service, method] = twirp as unknown as [string, string, string]
      record.operation = method
      let status = 200
      let answer: unknown
      try {
        const spec = METHODS[service]?.[method]
        if (!spec) throw new TwirpError('bad_route', `no method ${service}/${method}`, 'route')
        if (req.method !== 'POST') throw new TwirpError('bad_route', `twirp needs POST, got ${req.method}`, 'route')
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
          throw new TwirpError('malformed', 'Content-Type must be application/json', 'header')
        if (!req.headers['user-agent']) throw new TwirpError('malformed', 'no User-Agent', 'header')
        const caller = authenticate(req.headers['authorization'])
        let body: unknown
        try {
          body = JSON.parse(raw.toString('utf8'))
        } catch {
          throw new TwirpError('malformed', `${method}: the body is not JSON`, 'body')
        }
        record.body = body
        const message = checkBody(method, spec, body)
        answer = service === ARTIFACT_SERVICE ? artifactCall(method, caller, message) : cacheCall(method, caller, message)
      } catch (error) {
        const e = error instanceof TwirpError ? error : new TwirpError('internal', `test service error: ${(error as Error).stack}`, 'content')
        if (e.kind) violations.push({ kind: e.kind, method: req.method ?? '', target: method, message: e.message })
        status = TWIRP_STATUS[e.code]
        answer = { code: e.code, msg: e.message }
      }
      record.status = status
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
      return
    }

    if (url.pathname.startsWith(`/${STORAGE_ACCOUNT}/`)) {
      record.body = raw.length
      try {
        const answer = blobCall(req, url, raw)
        record.operation = answer.operation
        record.status = answer.status
        res.writeHead(answer.status, answer.headers).end(answer.body)
      } catch (error) {
        const e = error instanceof BlobError ? error : new BlobError(500, 'InternalError', `test service error: ${(error as Error).stack}`, 'content')
        if (e.kind) violations.push({ kind: e.kind, method: req.method ?? '', target: url.pathname, message: e.message })
        record.operation = 'blob:error'
        record.status = e.status
        const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${e.code}</Code><Message>${e.message.replace(/[<&]/g, ' ')}</Message></Error>`
        res.writeHead(e.status, { 'content-type': 'application/xml', 'x-ms-error-code': e.code }).end(xml)
      }
      return
    }

    violations.push({ kind: 'route', method: req.method ?? '', target: url.pathname, message: 'neither a twirp method nor a blob URL' })
    record.status = 404
    res.writeHead(404).end()
  }

  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push({ kind: 'content', method: req.method ?? '', target: req.url ?? '', message: `test service error: ${String(error)}` })
      if (!res.headersSent) res.writeHead(500).end()
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

  return {
    url: baseUrl,
    issueToken,
    requests,
    violations,
    artifacts,
    caches,
    clearLog() {
      requests.length = 0
      violations.length = 0
    },
    age(cache, ms) {
      cache.createdAt = new Date(cache.createdAt.getTime() - ms)
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Zip reading (central directory, stored or deflated entries, sizes and CRC-32 checked)
// ---------------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

export function crc32(data: Buffer): number {
  let crc = 0xffffffff
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** Reads every entry of a zip and checks its size and CRC-32; throws on anything malformed. */
export function readZip(zip: Buffer): ZipEntry[] {
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('no end-of-central-directory record')
  const count = zip.readUInt16LE(eocd + 10)
  let offset = zip.readUInt32LE(eocd + 16)
  const entries: ZipEntry[] = []
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`central directory entry ${n + 1} has a bad signature`)
    const method = zip.readUInt16LE(offset + 10)
    const crc = zip.readUInt32LE(offset + 16)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const size = zip.readUInt32LE(offset + 24)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const local = zip.readUInt32LE(offset + 42)
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8')
    offset += 46 + nameLength + extraLength + commentLength
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${name}: bad local header signature`)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const stored = zip.subarray(start, start + compressedSize)
    if (name.endsWith('/')) continue
    const data = method === 0 ? Buffer.from(stored) : method === 8 ? inflateRawSync(stored) : null
    if (!data) throw new Error(`${name}: compression method ${method} is not stored or deflate`)
    if (data.length !== size) throw new Error(`${name}: ${data.length} bytes, the directory says ${size}`)
    if (crc32(data) !== crc) throw new Error(`${name}: CRC-32 mismatch`)
    entries.push({ name, data })
  }
  return entries
}
