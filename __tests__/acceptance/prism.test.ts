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
      expect(report.rate).toBeGreaterThanOrEqual(99)
      expect(report.unanswered).toEqual([])
    }
    expect([v2!.total, v3!.total, v31!.total]).toEqual([15, 4, 20])
    // Swagger 2.0 without `consumes`: Prism refuses every body of these operations, and their
    // absence too (the body parameter is required), so no request can pass. Perf-Xi sends JSON.
    expect(keys(v2!.validatorUnsatisfiable)).toEqual(['POST /store/order', 'POST /user', 'POST /user/createWithArray', 'POST /user/createWithList', 'PUT /user/{username}'])
  }, 120_000)
})

describe('the Perf-Xi fixtures for composition, security and styles', () => {
  it('composition-3.0.yaml: discriminators, oneOf told apart, readOnly/writeOnly, AND/OR security: all accepted', async () => {
    const report = await measure(path.join(fixtures, 'composition-3.0.yaml'))
    expect(describeRejections(report)).toBe('')
    expect(report.total).toBe(11)
    // Which alternative each operation got, with one credential per declared scheme configured.
    const chosen = Object.fromEntries(report.results.map((r) => [r.key, r.request.security.kind === 'satisfied' ? r.request.security.schemes.join('+') : r.request.security.kind]))
    expect(chosen).toMatchObject({ 'GET /events': 'apiKeyHeader', 'GET /exports': 'apiKeyHeader+apiKeyQuery', 'GET /reports': 'apiKeyCookie', 'GET /feed': 'oauth', 'GET /me': 'oidc', 'GET /health': 'anonymous' })
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
 * Rejections no request could avoid, by spec (checked by hand; each schema is quoted in the reason).
 * "Ambiguous oneOf": every value one branch accepts, another accepts too, so a validator that does
 * not read discriminators (Prism, like plain JSON Schema) accepts none; an API that dispatches on
 * the discriminator accepts the value Perf-Xi sends, whose discriminator names the chosen branch.
 */
const KNOWN_REJECTIONS: Record<string, Record<string, string>> = {
  '2.0/json/schema-circular.json': {
    'POST /post': 'Swagger 2.0 body without consumes: Prism refuses any body (this one is optional, so an absent body passes; Perf-Xi sends one)',
  },
  '3.0/json/circular-request-bodies.json': {
    'POST /direct': 'TreeNode requires parent, itself a TreeNode: no finite value exists',
  },
  '3.0/json/discriminators.json': {
    'PATCH /discriminator-with-mapping': 'ambiguous oneOf: OptionOneNoDisc and OptionTwoNoDisc both only require discrim',
    'PATCH /discriminator-with-no-mapping': 'ambiguous oneOf: as above',
    'PATCH /embedded-discriminator': 'ambiguous oneOf: Cat and Dog both only require pet_type',
    'PATCH /mapping-of-schema-names': 'ambiguous oneOf: as above',
    'PATCH /mapping-with-duplicate-schemas': 'ambiguous oneOf: three branches that only require discrim',
    'PATCH /oneof-allof-top-level-disc': 'ambiguous oneOf: CatNoDisc and DogNoDisc both only require pet_type',
    'POST /potentially-undefined-formData': 'ambiguous oneOf: two identical allOf wrappers of the same schema',
  },
  '3.0/json/polymorphism.json': {
    'PATCH /pets': 'ambiguous oneOf: Cat and Dog both only require pet_type',
    'POST /anything/one-of-object': 'ambiguous oneOf: object1 and object2 have no required property',
    'POST /anything/one-of-object-ref': 'ambiguous oneOf: as above, through $refs',
  },
  '3.0/json/schema-types.json': {
    'PATCH /anything/quirks/polymorphism': 'allOf [string, integer]: no value is both',
    'PUT /anything/quirks/polymorphism': 'allOf [string, integer]: no value is both',
  },
  '3.1/json/schema-types.json': {
    'PATCH /anything/quirks/polymorphism': 'allOf [string, integer]: no value is both',
    'PUT /anything/quirks/polymorphism': 'allOf [string, integer]: no value is both',
  },
}

describe('the edge-case documents of @readme/oas-examples', () => {
  const files = ['2.0', '3.0', '3.1'].flatMap((v) =>
    readdirSync(path.join(oasExamples, v, 'json'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${v}/json/${f}`),
  )

  it('are accepted, apart from rejections no request could avoid', async () => {
    const loadable = files.filter((f) => !(f in PRISM_CANNOT_LOAD))
    expect(loadable.length).toBeGreaterThan(50)
    const reports = await pool(loadable, 3, (f) => measure(path.join(oasExamples, f)))
    let judged = 0
    let accepted = 0
    let avoidable = 0
    let unanswered = 0
    let noRequestCanPass = 0
    const unexpected: string[] = []
    for (const [i, report] of reports.entries()) {
      const file = loadable[i]!
      const known = KNOWN_REJECTIONS[file] ?? {}
      judged += report.total
      accepted += report.accepted
      unanswered += report.unanswered.length
      noRequestCanPass += report.validatorUnsatisfiable.length
      for (const r of report.rejected) {
        if (r.key in known) continue
        avoidable++
        unexpected.push(`${file}: ${r.key} [${r.verdict.status}] ${r.verdict.reasons.join('; ')}`)
      }
      // A listed rejection that no longer happens is good news: take it off the list.
      for (const key of Object.keys(known)) {
        const result = report.results.find((r) => r.key === key)
        if (result?.verdict.accepted) unexpected.push(`${file}: ${key} is accepted now; remove it from KNOWN_REJECTIONS`)
      }
    }
    expect(unexpected).toEqual([])
    const knownCount = Object.values(KNOWN_REJECTIONS).reduce((n, k) => n + Object.keys(k).length, 0)
    // Raw: every judged request; avoidable: leaving out those no request could get through.
    const raw = (accepted / judged) * 100
    const ofAvoidable = (accepted / (judged - knownCount)) * 100
    console.log(
      `@readme/oas-examples (${loadable.length} documents): ${accepted}/${judged} accepted by Prism (${raw.toFixed(1)} %); ` +
        `${ofAvoidable.toFixed(1)} % of the ${judged - knownCount} a request could pass; ` +
        `not judged: ${unanswered} (Prism crashed or could not answer), ${noRequestCanPass} (Prism accepts no request: body without consumes)`,
    )
    expect(avoidable).toBe(0)
    expect(ofAvoidable).toBeGreaterThanOrEqual(99)
  }, 300_000)
})
