import { capacityTrend } from '../../src/capacity/section.js'
import type { CapacitySection, ResultsFile } from '../../src/results/schema.js'
import { results } from '../baseline/results-builder.js'

const current = { current_capacity_rps: 1840 } as CapacitySection
function earlier(rps: number | null, startedAt: string, ref = 'refs/heads/main'): ResultsFile {
  const file = results([], { profile: 'capacity' })
  return { ...file, run: { ...file.run, started_at: startedAt, ref }, capacity: { current_capacity_rps: rps } as CapacitySection }
}

describe('the capacity trend', () => {
  it('compares with the latest earlier capacity run, by its date and branch', () => {
    const trend = capacityTrend(current, [earlier(1900, '2026-11-20T10:00:00Z'), earlier(2091, '2026-11-30T09:00:00Z'), results([], {})])
    expect(trend).toEqual({
      previous_rps: 2091,
      previous_at: '2026-11-30T09:00:00Z',
      previous_ref: 'refs/heads/main',
      change_pct: -12.004,
      text: 'capacity 1,840 req/s, 12 % below the run of 2026-11-30 on main (2,091 req/s)',
    })
  })

  it('says above, or the same', () => {
    expect(capacityTrend(current, [earlier(1600, '2026-11-30T09:00:00Z')])!.text).toBe(
      'capacity 1,840 req/s, 15 % above the run of 2026-11-30 on main (1,600 req/s)',
    )
    expect(capacityTrend(current, [earlier(1841, '2026-11-30T09:00:00Z')])!.text).toMatch(/^capacity 1,840 req\/s, the same as the run of 2026-11-30/)
  })

  it('is absent without an earlier figure or without a figure of its own', () => {
    expect(capacityTrend(current, [earlier(null, '2026-11-30T09:00:00Z'), results([], {})])).toBeNull()
    expect(capacityTrend({ current_capacity_rps: null } as CapacitySection, [earlier(1600, '2026-11-30T09:00:00Z')])).toBeNull()
  })
})
