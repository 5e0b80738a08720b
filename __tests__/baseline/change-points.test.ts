import { readdirSync, readFileSync } from 'node:fs'
import { compareWithBaseline } from '../../src/baseline/regression.js'
import { findHistoryShifts, CHANGE_POINT_MIN_RUNS } from '../../src/baseline/change-points.js'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'

/** Real runs, oldest first: GET /reports/slow at 40 ms in runs 9100–9109, at 70 ms from run 9110 (README in the folder). */
const folder = new URL('../fixtures/change-points/recorded-history/', import.meta.url)
const recorded: ResultsFile[] = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ResultsFileSchema.parse(JSON.parse(readFileSync(new URL(name, folder), 'utf8'))))
  .sort((a, b) => a.run.finished_at.localeCompare(b.run.finished_at))

/** Compare run `id` with the runs before it, newest first, as the gate does. */
function compareRun(id: string) {
  const at = recorded.findIndex((r) => r.run.id === id)
  return compareWithBaseline(recorded[at].slis, recorded.slice(0, at).reverse(), { changePoints: true })
}

const slow = (report: ReturnType<typeof compareRun>, metric: string) =>
  report.comparisons.find((c) => c.endpoint === 'GET /reports/slow' && c.metric === metric)!

describe('change points in recorded histories', () => {
  test('the recorded runs are what the fixture says: 10 at ~40 ms, 7 at ~70 ms', () => {
    const p95 = recorded.map((r) => r.slis.find((s) => s.endpoint === 'GET /reports/slow')!.p95_ms!)
    expect(p95).toHaveLength(17)
    expect(Math.max(...p95.slice(0, 10))).toBeLessThan(50)
    expect(Math.min(...p95.slice(10))).toBeGreaterThan(70)
  })

  test('a steady history (9 runs at 40 ms): no step for the slow report, compared with all of them', () => {
    const report = compareRun('9109-1')
    expect(report.changePoints?.status).toBe('ok')
    expect(report.changePoints?.shifts.filter((s) => s.endpoint === 'GET /reports/slow')).toEqual([])
    expect(slow(report, 'p95_ms')).toMatchObject({ historyRuns: 9, state: 'unchanged' })
  })

  test('a history with a step (10 runs at 40 ms, 6 at 70 ms): the step is found at its commit, the run is compared with the 6 since', () => {
    const report = compareRun('9116-1')
    const shifts = report.changePoints!.shifts.filter((s) => s.endpoint === 'GET /reports/slow')
    expect(shifts.map((s) => [s.metric, s.run.id, s.run.sha?.slice(0, 7), s.runsSince])).toEqual([
      ['p95_ms', '9110-1', '6ee34ae', 6],
      ['rps', '9110-1', '6ee34ae', 6],
    ])
    expect(shifts[0].relativeChange).toBeGreaterThan(0.6)
    // 73 ms against the 70 ms service, not against a 40/70 ms mixture that would call it +35 %.
    expect(slow(report, 'p95_ms')).toMatchObject({ historyRuns: 6, state: 'unchanged' })
    expect(slow(report, 'p95_ms').baseline).toBeGreaterThan(70)
    const whole = compareWithBaseline(recorded[16].slis, recorded.slice(0, 16).reverse())
    expect(slow(whole, 'p95_ms').baseline).toBeLessThan(60)
  })

  test(`fewer than ${CHANGE_POINT_MIN_RUNS} runs: nothing is looked for and the whole history is compared`, () => {
    const report = compareRun('9105-1')
    expect(report.changePoints).toMatchObject({ status: 'too-few', runs: 5, shifts: [] })
    expect(slow(report, 'p95_ms').historyRuns).toBe(5)
  })

  test('without the option the comparison is the one it always was', () => {
    const at = recorded.length - 1
    expect(compareWithBaseline(recorded[at].slis, recorded.slice(0, at).reverse()).changePoints).toBeUndefined()
  })

  test('a series shorter than 6 values in a longer history is not searched', () => {
    const run = { id: 'r', sha: null, finishedAt: '2026-12-01T00:00:00Z' }
    const points = [300, 300, 300, 100, 100].map((value) => ({ run, value }))
    expect(findHistoryShifts(12, [{ endpoint: 'GET /new', metric: 'p95_ms', points }]).shifts).toEqual([])
  })
})
