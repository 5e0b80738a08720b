import { SpecProblems, WARNINGS_PER_KIND } from '../../src/spec/problems.js'

describe('warnings about a description', () => {
  it('name each problem with its place, and count what goes beyond the cap of each kind in one line', () => {
    const problems = new SpecProblems((at) => `api.json:${at.join('.')}`)
    for (let i = 0; i < WARNINGS_PER_KIND + 3; i++) problems.warn("'type: int' read as integer", ['paths', i], `'type: int' read as integer`)
    problems.warn('unknown properties ignored', ['info'], "info has unknown property 'foo' (ignored)")
    const warnings = problems.warnings()
    expect(warnings).toHaveLength(WARNINGS_PER_KIND + 2)
    expect(warnings[0]).toBe("api.json:paths.0: 'type: int' read as integer")
    expect(warnings.slice(-2)).toEqual(["… and 3 more: 'type: int' read as integer", "api.json:info: info has unknown property 'foo' (ignored)"])
  })
})
