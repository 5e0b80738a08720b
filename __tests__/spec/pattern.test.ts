import { conforms } from '../../src/spec/conforms.js'
import { collectUnrunnablePatterns, specPattern, unrunnablePatternsWarning } from '../../src/spec/pattern.js'

describe('spec patterns run in linear time', () => {
  it('answers at once where a backtracking engine would run for ages', () => {
    // (a+)+$ against 40 a's and a '!' is 2^40 steps for a backtracking engine.
    expect(specPattern('^(a+)+$')!.test(`${'a'.repeat(40)}!`)).toBe(false)
    expect(conforms(`${'a'.repeat(40)}!`, { type: 'string', pattern: '^(a+)+$' })).toBe(false)
  })

  it.each([
    { pattern: '^\\d{3}$', text: '123', expected: true },
    { pattern: 'b', text: 'abc', expected: true }, // unanchored: a match anywhere, as RegExp.test
    { pattern: '^(?<year>\\d{4})-\\d{2}$', text: '2024-01', expected: true },
    { pattern: '^\\u00e9$', text: 'é', expected: true },
    { pattern: '^\\p{L}+$', text: 'Ωmega', expected: true },
    { pattern: '^[\\/\\w \\.?&\\%-=]+$', text: 'a/b?c=d', expected: true },
    { pattern: '^[A-Z]{3}$', text: 'EURO', expected: false },
  ])('reads JavaScript syntax as ECMA-262 does: $pattern on $text', ({ pattern, text, expected }) => {
    expect(specPattern(pattern)!.test(text)).toBe(expected)
  })

  it('cannot run lookaround or backreferences: the value counts as matching, and the pattern is reported once', () => {
    const { value, unrunnable } = collectUnrunnablePatterns(() => [
      conforms('no capitals here', { type: 'string', pattern: '^(?=.*[A-Z]).{8,}$' }),
      conforms('abab', { type: 'string', pattern: '^(ab)\\1$' }),
      conforms('again', { type: 'string', pattern: '^(?=.*[A-Z]).{8,}$' }),
    ])
    expect(value).toEqual([true, true, true])
    expect([...unrunnable.keys()]).toEqual(['^(?=.*[A-Z]).{8,}$', '^(ab)\\1$'])
    expect(unrunnablePatternsWarning(unrunnable)).toBe(
      'the spec has 2 patterns Perf-Xi cannot run in linear time (lookaround or backreferences): ' +
        '"^(?=.*[A-Z]).{8,}$" (invalid or unsupported Perl syntax: `(?=`), "^(ab)\\\\1$" (invalid escape sequence: `\\1`); ' +
        'examples and generated values are not checked against them, so the API may refuse some of them',
    )
    expect(unrunnablePatternsWarning(new Map())).toBeUndefined()
  })
})
