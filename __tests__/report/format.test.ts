import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { verdictHeadline } from '../../src/report/format.js'
import { ResultsFileSchema } from '../../src/results/schema.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')

describe('the headline of a run whose API stopped answering', () => {
  const results = (findings: Array<{ kind: 'silence' | 'collapse' | 'dropped'; endpoint: string | null }>, breaches = 0) =>
    ResultsFileSchema.parse({
      ...JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')),
      verdict: 'fail',
      slo_breaches: Array.from({ length: breaches }, () => ({ endpoint: 'GET /a', limit: 'error-rate', threshold: 1, actual: 30 })),
      liveness: { measured_duration_ms: 6000, samples: 12, per_endpoint: true, dropped_iterations: 0, findings: findings.map((f) => ({ ...f, status: 'fail', reason: 'x' })) },
    })

  it.each([
    { what: 'two silent endpoints, no breach', findings: [{ kind: 'silence', endpoint: 'GET /a' }, { kind: 'silence', endpoint: 'GET /b' }], breaches: 0, expected: 'Perf-Xi: FAIL — 2 endpoints stopped answering' },
    { what: 'the run as a whole, and a breach', findings: [{ kind: 'silence', endpoint: null }], breaches: 1, expected: 'Perf-Xi: FAIL — the API stopped answering, 1 SLO breach' },
    { what: 'a collapse', findings: [{ kind: 'collapse', endpoint: null }], breaches: 0, expected: 'Perf-Xi: FAIL — answers collapsed (1 finding)' },
    { what: 'unsent requests', findings: [{ kind: 'dropped', endpoint: null }], breaches: 0, expected: 'Perf-Xi: FAIL — requests k6 could not send' },
  ] as const)('$what', ({ findings, breaches, expected }) => {
    expect(verdictHeadline(results([...findings], breaches))).toBe(expected)
  })
})
