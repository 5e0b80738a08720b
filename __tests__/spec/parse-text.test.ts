/**
 * Spec text (the spec's own, or a file a $ref reads) parses as JSON or YAML; a malformed one
 * says what is wrong and where, and never quotes the text (JSON.parse's own message does).
 */
import { MalformedTextError, parseSpecText } from '../../src/spec/parse-text.js'

const SECRET = 'ghp_0123456789abcdefSECRET'

function failureOf(text: string): MalformedTextError {
  try {
    parseSpecText(text)
  } catch (err) {
    if (err instanceof MalformedTextError) return err
    throw err
  }
  throw new Error('expected a MalformedTextError, but parsing succeeded')
}

describe('spec text', () => {
  it('reads JSON and YAML alike, dates as strings, merge keys merged, a byte-order mark skipped', () => {
    expect(parseSpecText('\ufeff{"a": [1, "2024-01-01"]}')).toEqual({ a: [1, '2024-01-01'] })
    expect(parseSpecText('base: &b {x: 1}\nderived: {<<: *b, y: 2024-01-01}\n')).toEqual({ base: { x: 1 }, derived: { x: 1, y: '2024-01-01' } })
  })

  it.each([
    ['JSON', `{"token": "${SECRET}" "next": 1}`, 'malformed JSON: missed comma between flow collection entries (1:40)'],
    ['YAML', `token: ${SECRET}\n  indented: wrong\n`, 'malformed YAML: bad indentation of a mapping entry (2:11)'],
    ['YAML with a tab', `a:\n\t- ${SECRET}\n`, /^malformed YAML: [^\n]+ \(2:1\)$/],
  ])('malformed %s: the reason and the position, nothing of the text', (_format, text, expected) => {
    const err = failureOf(text)
    if (typeof expected === 'string') expect(err.message).toBe(expected)
    else expect(err.message).toMatch(expected)
    expect(err.message).not.toContain(SECRET)
  })
})
