import { executionSegmentArgs, parseShard } from '../../src/shards/shard.js'

describe('the shard input', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 100/100 ', { index: 100, count: 100 }],
  ])('reads %j as shard i of N', (text, shard) => {
    expect(parseShard(text)).toEqual(shard)
  })

  it.each(['0/4', '5/4', '1/101', '2', '2/4/8', 'a/b', '-1/2', '1.5/3', ''])('refuses %j with one line naming the input and the rule', (text) => {
    expect(parseShard(text)).toEqual({
      problem: `input shard: expected i/N with 1 ≤ i ≤ N ≤ 100 (this job runs shard i of N), got ${JSON.stringify(text)}`,
    })
  })
})

describe("k6's execution segment of a shard", () => {
  it('gives every shard its own segment and the same full sequence', () => {
    expect(executionSegmentArgs({ index: 1, count: 3 })).toEqual(['--execution-segment', '0:1/3', '--execution-segment-sequence', '0,1/3,2/3,1'])
    expect(executionSegmentArgs({ index: 3, count: 3 })).toEqual(['--execution-segment', '2/3:1', '--execution-segment-sequence', '0,1/3,2/3,1'])
    expect(executionSegmentArgs({ index: 1, count: 1 })).toEqual(['--execution-segment', '0:1', '--execution-segment-sequence', '0,1'])
  })
})
