/**
 * SLO annotations fit the room the step has left: the most severe first, the last slot counting the
 * rest, so a step that already warned (probes) never pushes a breach past what GitHub shows.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { selectAnnotations } from '../../src/report/annotations.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')
const sample = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')))

function withBreaches(breaches: number, warnings: number): ResultsFile {
  const check = (endpoint: string, actual: number, status: 'fail' | 'warn') => ({ endpoint, limit: 'p95', threshold: 100, actual, status, line: 7 })
  return {
    ...sample,
    slo_checks: [
      ...Array.from({ length: breaches }, (_, i) => check(`GET /e${i}`, 101 + i, 'fail')),
      ...Array.from({ length: warnings }, (_, i) => check(`GET /w${i}`, 91 + i, 'warn')),
    ] as ResultsFile['slo_checks'],
    regressions: [],
  }
}

describe('SLO annotations', () => {
  it('fit the room left: 12 breaches in 8 error slots are the 7 worst and a line counting 5 more', () => {
    const errors = selectAnnotations(withBreaches(12, 0), '.github/perf-xi.yml', { error: 8, warning: 9 }).filter((a) => a.level === 'error')
    expect(errors.map((a) => a.title)).toEqual([...[11, 10, 9, 8, 7, 6, 5].map((i) => `SLO breached: GET /e${i}`), '5 more'])
    expect(errors[7]!.message).toBe('…and 5 more breaches; every one is in the job summary and the results file')
  })

  it('leave every one to the step budget when no room is left (17 probe warnings came first)', () => {
    const warnings = selectAnnotations(withBreaches(0, 3), '.github/perf-xi.yml', { error: 8, warning: 0 }).filter((a) => a.level === 'warning')
    expect(warnings).toHaveLength(3)
  })
})
