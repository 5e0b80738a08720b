import { z } from 'zod'
import { BaselineConfigSchema, BaselineConfigShape, ErrorBudgetConfigSchema } from '../../src/baseline/config.js'
import { toErrorBudgetConfig, toRegressionOptions } from '../../src/baseline/options.js'

const messages = (schema: z.ZodType, input: unknown): string[] => {
  const result = schema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('baseline settings', () => {
  it('fills every default', () => {
    expect(BaselineConfigSchema.parse({})).toEqual({ history: 5, threshold: 0.1, 'min-history': 3, store: 'artifact' })
  })

  it.each([
    { what: 'a percentage string', input: { threshold: '15%' }, expected: { threshold: 0.15 } },
    { what: 'a percentage with a space', input: { threshold: '7.5 %' }, expected: { threshold: 0.075 } },
    { what: 'a bare number, read as a percentage', input: { threshold: 20 }, expected: { threshold: 0.2 } },
    { what: 'a small percentage written with its sign', input: { threshold: '0.5%' }, expected: { threshold: 0.005 } },
    {
      what: 'every key',
      input: { branch: 'develop', history: 10, 'min-history': 4, store: 'cache' },
      expected: { branch: 'develop', history: 10, 'min-history': 4, store: 'cache' },
    },
  ])('reads $what', ({ input, expected }) => {
    expect(BaselineConfigSchema.parse(input)).toMatchObject(expected)
  })

  it.each([
    { what: 'history of 0', input: { history: 0 }, expected: ['history: history: expected a whole number of base-branch runs from 1 to 50, got 0'] },
    { what: 'history of 51', input: { history: 51 }, expected: ['history: history: expected a whole number of base-branch runs from 1 to 50, got 51'] },
    {
      what: 'a fractional history',
      input: { history: 2.5 },
      expected: ['history: history: expected a whole number of base-branch runs from 1 to 50, got 2.5'],
    },
    {
      what: 'a threshold of 0.1 (ambiguous)',
      input: { threshold: 0.1 },
      expected: [
        'threshold: threshold: a bare number is a percentage, so 0.1 would mean 0.1 %; write 10% if you meant a fraction, or "0.1%" if you really mean 0.1 %',
      ],
    },
    {
      what: 'a threshold that is not a number',
      input: { threshold: 'ten' },
      expected: ['threshold: threshold: expected a percentage above 0 such as 10% or 10, got "ten"'],
    },
    { what: 'a zero threshold', input: { threshold: '0%' }, expected: ['threshold: threshold: expected a percentage above 0 such as 10% or 10, got "0%"'] },
    {
      what: 'min-history above history',
      input: { history: 3, 'min-history': 5 },
      expected: ['min-history: min-history: 5 is more than history (3), so no endpoint could ever be judged; lower min-history or raise history'],
    },
    {
      what: 'an unknown store',
      input: { store: 's3' },
      expected: ['store: store: expected artifact (kept with the workflow run, the default) or cache (evicted after 7 days unused), got "s3"'],
    },
    {
      what: 'an empty branch',
      input: { branch: ' ' },
      expected: ['branch: branch: expected a branch name such as main (leave it out to use the pull request\'s base branch), got " "'],
    },
  ])('refuses $what', ({ input, expected }) => {
    expect(messages(BaselineConfigSchema, input)).toEqual(expected)
  })

  it('reports every problem at once and rejects unknown keys', () => {
    const problems = messages(BaselineConfigSchema, { history: 0, threshold: 'x', treshold: 5 })
    expect(problems).toHaveLength(3)
    expect(problems.join('\n')).toMatch(/treshold/)
  })
})

describe('error-budget settings', () => {
  it('fills every default', () => {
    expect(ErrorBudgetConfigSchema.parse({})).toEqual({ window: '30d', target: 99.9, 'warn-at': 75 })
  })

  it.each([
    { input: { window: '7d', target: '99.5%' }, expected: { window: '7d', target: 99.5 } },
    { input: { window: '1w', target: 99 }, expected: { window: '1w', target: 99 } },
    { input: { 'breach-budget': '8h', 'warn-at': '90%' }, expected: { 'breach-budget': '8h', 'warn-at': 90 } },
  ])('reads $input', ({ input, expected }) => {
    expect(ErrorBudgetConfigSchema.parse(input)).toMatchObject(expected)
  })

  it.each([
    { input: { window: 30 }, expected: ['window: window: expected a duration with its unit such as 30d or 7d (units ms, s, m, h, d, w), got 30'] },
    {
      input: { window: '1 month' },
      expected: ['window: window: expected a duration with its unit such as 30d or 7d (units ms, s, m, h, d, w), got "1 month"'],
    },
    { input: { target: 100 }, expected: ['target: target: 100% allows no failed request at all, so there is no budget to track; use e.g. 99.9%, got 100'] },
    {
      input: { target: 101 },
      expected: ['target: target: expected the percentage of requests that must succeed, above 0 and below 100, such as 99.9%, got 101'],
    },
    {
      input: { 'breach-budget': 28800 },
      expected: ['breach-budget: breach-budget: expected a duration with its unit such as 8h or 28800s (units ms, s, m, h, d, w), got 28800'],
    },
  ])('refuses $input', ({ input, expected }) => {
    expect(messages(ErrorBudgetConfigSchema, input)).toEqual(expected)
  })
})

describe('merging and handing over', () => {
  it('spreads into a strict config-file schema, both blocks optional', () => {
    const file = z.strictObject({ openapi: z.string().optional(), ...BaselineConfigShape })
    expect(file.parse({})).toEqual({})
    expect(file.parse({ baseline: { threshold: '20%' } })).toEqual({ baseline: { history: 5, threshold: 0.2, 'min-history': 3, store: 'artifact' } })
  })

  it('turns the blocks into the comparison options and the budget config', () => {
    expect(toRegressionOptions(BaselineConfigSchema.parse({ threshold: '15%', 'min-history': 4 }), 'load')).toEqual({
      relativeThreshold: 0.15,
      minHistory: 4,
      changePoints: true,
      profile: 'load',
    })
    expect(toRegressionOptions(undefined)).toEqual({ relativeThreshold: 0.1, minHistory: 3, changePoints: true })
    expect(toErrorBudgetConfig(ErrorBudgetConfigSchema.parse({ 'breach-budget': '8h' }))).toEqual({
      window: '30d',
      target: 99.9,
      warnAtPct: 75,
      breachBudget: '8h',
    })
    expect(toErrorBudgetConfig(undefined)).toBeUndefined()
  })
})
