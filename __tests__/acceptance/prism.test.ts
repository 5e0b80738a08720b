/**
 * Are the generated requests accepted by an API that validates them? Each spec gets one Prism
 * (a real, spec-validating mock server on 127.0.0.1); every operation's request, exactly as the
 * k6 script sends it, goes to it once (see harness.ts for what counts as a rejection).
 *
 * Every rejection that remains is listed below with its cause, and the tests fail on any other:
 * a new rejection is a regression of the generator, and a listed one that stops happening should
 * leave the list.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadSpec } from '../../src/spec/load.js'
import { describeRejections, measureSpec, type AcceptanceReport } from './harness.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixtures = path.join(here, '..', 'fixtures', 'specs')
const oasExamples = path.join(here, '..', '..', 'node_modules', '@readme', 'oas-examples')

async function measure(file: string): Promise<AcceptanceReport> {
  return measureSpec(file, await loadSpec(file), { startTimeoutMs: 60_000 })
}

/** Runs `task` over `items`, `limit` at a time (each Prism start is CPU-bound; the machine has 2 cores). */
async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await task(items[i]!)
      }
    }),
  )
  return out
}

const keys = (results: AcceptanceReport['results']): string[] => results.map((r) => r.key).sort()

describe('the petstores (2.0, 3.0, 3.1)', () => {
  it('are accepted in full', async () => {
    const [v2, v3, v31] = await pool(['petstore-2.0.yaml', 'petstore-expanded-3.0.yaml', 'petstore-3.1.json'], 3, (f) => measure(path.join(fixtures, f)))
    for (const report of [v2!, v3!, v31!]) {
      expect({ spec: report.spec, rejected: describeRejections(report) }).toEqual({ spec: report.spec, rejected: '' })
      expect(report.unanswered).toEqual([])
      expect(report.skipped).toEqual([])
    }
    expect([v2!.total, v3!.total, v31!.total]).toEqual([20, 4, 20])
    // Swagger 2.0 without `consumes`: these bodies go as JSON without a Content-Type (Prism then
    // reads nothing into them; judged as JSON against a copy that declares it, they pass too),
    // and the plan says so.
    const unlabelled = v2!.results.filter((r) => !r.request.headers.some(([n]) => n === 'Content-Type') && r.request.body !== undefined)
    expect(keys(unlabelled)).toEqual(['POST /store/order', 'POST /user', 'POST /user/createWithArray', 'POST /user/createWithList', 'PUT /user/{username}'])
    for (const r of unlabelled)
      expect(r.warnings).toEqual([
        `${r.key}: the spec declares no media type for its body (no consumes); sent as JSON without a Content-Type header — declare consumes to send one`,
      ])
  }, 120_000)
})

describe('bodies the spec declares no media type for, and bodies no value satisfies', () => {
  it('no-consumes-2.0.yaml: a required body goes as JSON without Content-Type, an optional one stays home', async () => {
    const report = await measure(path.join(fixtures, 'no-consumes-2.0.yaml'))
    const sent = Object.fromEntries(
      report.results.map((r) => [r.key, [r.request.headers.find(([n]) => n === 'Content-Type')?.[1] ?? 'no Content-Type', r.request.body ?? 'no body']]),
    )
    expect(sent).toEqual({
      'POST /labelled-orders': ['application/json', '{"petId":1,"quantity":1}'],
      'POST /orders': ['no Content-Type', '{"petId":1,"quantity":1}'],
      'PATCH /orders/{id}': ['no Content-Type', 'no body'],
      'POST /receipts': ['application/x-www-form-urlencoded', 'orderId=1&note=string'],
    })
    // formData without consumes keeps the form type formData stands for (no server reads form
    // fields without it); Prism wants consumes and refuses it, and the plan warns.
    expect(report.rejected.map((r) => `${r.key} [${r.verdict.status}] ${r.verdict.reasons.join('; ')}`)).toEqual([
      'POST /receipts [415] INVALID_CONTENT_TYPE: No supported content types, but request included a non-empty body',
    ])
    expect(report.results.find((r) => r.key === 'POST /receipts')?.warnings).toEqual([
      'POST /receipts: the spec declares no media type for its formData parameters (no consumes); sent as application/x-www-form-urlencoded, which formData stands for — validators that require consumes (Prism) refuse it: declare consumes',
    ])
    expect(report.accepted).toBe(3)
  }, 60_000)

  it('judges a body sent without Content-Type as JSON too, since Prism does not look inside it', async () => {
    const file = path.join(fixtures, 'no-consumes-2.0.yaml')
    const spec = await loadSpec(file)
    const orders = spec.endpoints.find((e) => e.key === 'POST /orders')!
    orders.body = { ...orders.body!, value: { petId: 1, quantity: 0 } } // below its minimum of 1
    const report = await measureSpec(file, spec, { startTimeoutMs: 60_000 })
    expect(report.results.find((r) => r.key === 'POST /orders')?.verdict).toMatchObject({
      accepted: false,
      reasons: ['as JSON: body.quantity: Request body property quantity must be >= 1'],
    })
  }, 60_000)

  it('form-objects-3.0.yaml: required objects of a deepObject form body travel with one property each, and are accepted', async () => {
    const report = await measure(path.join(fixtures, 'form-objects-3.0.yaml'))
    expect(describeRejections(report)).toBe('')
    expect(report.results.map((r) => r.request.body)).toEqual(['business_profile%5Bheadline%5D=string&features%5Binvoice_history%5D%5Benabled%5D=true'])
  }, 60_000)

  it('unsatisfiable-bodies-3.0.yaml: what no value satisfies is skipped; what only a strict oneOf refuses is sent, with a warning', async () => {
    const report = await measure(path.join(fixtures, 'unsatisfiable-bodies-3.0.yaml'))
    expect(report.skipped).toEqual([
      {
        key: 'POST /events',
        reason: 'its request body admits no value: the oneOf branches Approved and Denied of the body are identical, so every value matches more than one',
      },
      { key: 'PUT /quantities', reason: 'its request body admits no value: allOf requires both string and integer' },
      { key: 'POST /trees', reason: 'its request body admits no value: TreeNode requires parent, itself a TreeNode: no finite value exists' },
    ])
    // Sent and refused by Prism, as the plan warns: the branches are identical, told apart only by the discriminator's value.
    expect(report.rejected.map((r) => [r.key, r.verdict.reasons, r.warnings.map((w) => w.replace(/^.*will reject this body: /, ''))])).toEqual([
      [
        'POST /tagged-events',
        ['body: Request body must match exactly one schema in oneOf'],
        ['Approved and Denied both accept it, told apart only by the discriminator kind'],
      ],
    ])
    // A Cat carrying a bark Dog refuses is no Dog: accepted, with a warning for APIs that reject unknown properties.
    expect(report.results.find((r) => r.key === 'PATCH /pets')?.request.body).toBe('{"pet_type":"Cat","bark":"no"}')
    expect(report.results.find((r) => r.key === 'PATCH /pets')?.warnings).toEqual([
      'PATCH /pets: its body carries "bark": "no" so that it matches only Cat, as JSON Schema\'s oneOf (exactly one branch) requires; ' +
        "an API that rejects unknown properties will refuse it — give each branch's pet_type an enum to tell them apart",
    ])
    // Hard-looking but satisfiable, and an optional body no value satisfies (sent without it): accepted.
    expect(keys(report.results.filter((r) => r.verdict.accepted))).toEqual(['PATCH /pets', 'POST /codes', 'POST /drafts', 'POST /folders', 'PUT /settings'])
    expect(report.results.find((r) => r.key === 'POST /drafts')?.request.body).toBeUndefined()
  }, 60_000)
})

describe('the Perf-Xi fixtures for composition, security and styles', () => {
  it('composition-3.0.yaml: discriminators, oneOf told apart, readOnly/writeOnly, AND/OR security: all accepted', async () => {
    const report = await measure(path.join(fixtures, 'composition-3.0.yaml'))
    expect(describeRejections(report)).toBe('')
    expect(report.total).toBe(11)
    // Which alternative each operation got, with one credential per declared scheme configured.
    const chosen = Object.fromEntries(
      report.results.map((r) => [r.key, r.request.security.kind === 'satisfied' ? r.request.security.schemes.join('+') : r.request.security.kind]),
    )
    expect(chosen).toMatchObject({
      'GET /events': 'apiKeyHeader',
      'GET /exports': 'apiKeyHeader+apiKeyQuery',
      'GET /reports': 'apiKeyCookie',
      'GET /feed': 'oauth',
      'GET /me': 'oidc',
      'GET /health': 'anonymous',
    })
  }, 60_000)

  it('styles-3.0.yaml: every style accepted except where Prism itself is wrong', async () => {
    const report = await measure(path.join(fixtures, 'styles-3.0.yaml'))
    // Prism 5.14 deviates from the specification's style tables here (request.test.ts pins what the specification says):
    expect(keys(report.rejected)).toEqual([
      'GET /path/label-explode/{p}/{a}/{o}', // splits an exploded label object on ',' instead of '.'
      'POST /forms/multipart', // reads every part as a string: a JSON object part, repeated parts for an array
    ])
    // ...and crashes (the whole server, restarted by the harness) on these: its URI template
    // matching hands the style deserializers a non-string for comma-separated path values.
    expect(report.unanswered.map((r) => `${r.key}: ${r.verdict.notes.join('; ')}`).sort()).toEqual([
      'GET /path/label/{p}/{a}/{o}: Prism crashed: TypeError: parameters[name].startsWith is not a function',
      'GET /path/matrix/{p}/{a}/{o}: Prism crashed: TypeError: parameters[name].startsWith is not a function',
      'GET /path/simple-explode/{p}/{a}/{o}: Prism crashed: TypeError: value.split is not a function',
      'GET /path/simple/{p}/{a}/{o}: Prism crashed: TypeError: value.split is not a function',
    ])
    expect(report.accepted).toBe(11)
  }, 60_000)
})

/** @readme/oas-examples documents Prism cannot load at all. */
const PRISM_CANNOT_LOAD: Record<string, string> = {
  '3.1/json/webhooks.json': 'webhooks only: Prism stops with "No operations found in the current file"',
}

/**
 * Rejections that remain, by spec, each with its cause (checked by hand; the schema is quoted).
 * All are "ambiguous oneOf": the value sent matches more than one branch, so a validator applying
 * JSON Schema's oneOf (exactly one branch), as Prism does, refuses it, while an API that
 * dispatches on the discriminator, or takes the first branch that fits, accepts it. Branches that
 * JSON Schema can tell apart are (a Cat carrying `"bark": "no"` is no Dog: see disambiguate.ts);
 * these it cannot: no value matches one without the other. The plan warns about every one of
 * them (`bodyWarnings`), which the test checks.
 */
const KNOWN_REJECTIONS: Record<string, Record<string, string>> = {
  '3.0/json/discriminators.json': {
    'POST /potentially-undefined-formData': 'ambiguous oneOf: two identical allOf wrappers of the same schema, told apart by the discriminator event_type',
  },
}

/**
 * Operations skipped as the plan skips them: their required body admits no value
 * (`unsatisfiableBodyReason`), or no credential the harness configures (one per declared scheme)
 * satisfies their security.
 */
const SKIPPED: Record<string, Record<string, string>> = {
  '3.0/json/response-http-behavior.json': {
    'GET /cache': 'needs api_key (not declared)',
    'GET /status/204': 'needs api_key (not declared)',
    'GET /status/302': 'needs api_key (not declared)',
  },
  '3.0/json/security-multiple.json': {
    'POST /anything/and': 'needs apiKey_header (api key in header X-API-KEY) + basic (basic) + oauth2 (bearer token)',
  },
  '3.1/json/security.json': {
    'POST /anything/mutualTLS': 'needs mutualTLS (unsupported scheme)',
  },
  '3.0/json/schema-types.json': {
    'PATCH /anything/quirks/polymorphism': 'its request body admits no value: allOf requires both string and integer',
    'PUT /anything/quirks/polymorphism': 'its request body admits no value: allOf requires both string and integer',
  },
  '3.1/json/schema-types.json': {
    'PATCH /anything/quirks/polymorphism': 'its request body admits no value: allOf requires both string and integer',
    'PUT /anything/quirks/polymorphism': 'its request body admits no value: allOf requires both string and integer',
  },
}

describe('the edge-case documents of @readme/oas-examples', () => {
  const files = ['2.0', '3.0', '3.1'].flatMap((v) =>
    readdirSync(path.join(oasExamples, v, 'json'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${v}/json/${f}`),
  )

  it('are accepted, apart from oneOfs only a discriminator tells apart; bodies no value satisfies are skipped', async () => {
    const loadable = files.filter((f) => !(f in PRISM_CANNOT_LOAD))
    expect(loadable.length).toBeGreaterThan(50)
    const reports = await pool(loadable, 3, (f) => measure(path.join(oasExamples, f)))
    let judged = 0
    let accepted = 0
    let avoidable = 0
    let unanswered = 0
    const skipped: Record<string, Record<string, string>> = {}
    const unexpected: string[] = []
    for (const [i, report] of reports.entries()) {
      const file = loadable[i]!
      const known = KNOWN_REJECTIONS[file] ?? {}
      judged += report.total
      accepted += report.accepted
      unanswered += report.unanswered.length
      for (const s of report.skipped) (skipped[file] ??= {})[s.key] = s.reason
      for (const r of report.rejected) {
        if (!(r.key in known)) {
          avoidable++
          unexpected.push(`${file}: ${r.key} [${r.verdict.status}] ${r.verdict.reasons.join('; ')}`)
        } else if (!r.warnings.some((w) => w.includes("a validator applying JSON Schema's oneOf (exactly one branch) will reject this body"))) {
          unexpected.push(`${file}: ${r.key} is rejected without the plan warning about it`)
        }
      }
      // A listed rejection that no longer happens is good news: take it off the list.
      for (const key of Object.keys(known)) {
        const result = report.results.find((r) => r.key === key)
        if (result?.verdict.accepted) unexpected.push(`${file}: ${key} is accepted now; remove it from KNOWN_REJECTIONS`)
      }
    }
    expect(unexpected).toEqual([])
    expect(skipped).toEqual(SKIPPED)
    const knownCount = Object.values(KNOWN_REJECTIONS).reduce((n, k) => n + Object.keys(k).length, 0)
    const reasons = Object.values(SKIPPED).flatMap((k) => Object.values(k))
    const noValue = reasons.filter((r) => r.startsWith('its request body admits no value')).length
    // Raw: every judged request; avoidable: leaving out those only a discriminator tells apart.
    const raw = (accepted / judged) * 100
    const ofAvoidable = (accepted / (judged - knownCount)) * 100
    console.log(
      `@readme/oas-examples (${loadable.length} documents): ${accepted}/${judged} accepted by Prism (${raw.toFixed(1)} %); ` +
        `${ofAvoidable.toFixed(1)} % of the ${judged - knownCount} whose oneOfs JSON Schema can tell apart; ` +
        `skipped: ${noValue} (required body admits no value), ${reasons.length - noValue} (security no configured credential satisfies); ` +
        `not judged: ${unanswered} (Prism crashed or could not answer)`,
    )
    expect(avoidable).toBe(0)
    expect(raw).toBeGreaterThanOrEqual(98)
    expect(ofAvoidable).toBeGreaterThanOrEqual(99)
  }, 300_000)
})
