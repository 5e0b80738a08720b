import { resolveConfig } from '../../src/config/load.js'
import { shardPlan } from '../../src/shards/plan.js'

const cwd = process.cwd()

/** The sample API's plan, split into `shards`, with `vus` at the peak. */
async function planned(vus: string, shards: number) {
  const config = resolveConfig({ config: 'examples/sample-api/perf-xi.yml', 'base-url': 'http://127.0.0.1:9', vus, shard: `1/${shards}` }, { cwd })
  return shardPlan(config, shards, cwd)
}

describe('the plan a shard runs', () => {
  it('warns before any load when a scenario has fewer VUs than there are shards, naming it', async () => {
    const { plan, warnings } = await planned('3', 2)
    // Three categories, one VU each: k6 gives each of them to one of the two shards.
    expect(new Set(plan.endpoints.map((e) => e.category)).size).toBe(3)
    expect(warnings).toContainEqual(
      expect.stringMatching(/^2 shards, but k6 splits each scenario in whole VUs and some have fewer \(.*critical 1 VU.*\): some shards run none of them/),
    )
  })

  it('names only the scenarios short of VUs, with the setting that raises each', async () => {
    const { warnings } = await planned('12', 2)
    // The slow report's category runs on one VU per endpoint's worth of weight: still 1 of 12.
    expect(warnings).toContainEqual(expect.stringMatching(/\(data-intensive 1 VU\):.* give each at least 2 \(vus, or categories\.data-intensive\.vus\)/))
  })

  it('says nothing when every scenario has a VU for every shard', async () => {
    const { warnings } = await planned('40', 2)
    expect(warnings.filter((w) => w.includes('shards, but'))).toEqual([])
  })

  it('gives every shard of one test the same fingerprint, and another shard count another', async () => {
    const [a, b, c] = await Promise.all([planned('12', 2), planned('12', 2), planned('12', 3)])
    expect(a.fingerprint).toBe(b.fingerprint)
    expect(a.fingerprint).not.toBe(c.fingerprint)
  })
})
