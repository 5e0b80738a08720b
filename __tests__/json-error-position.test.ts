import { jsonErrorOffset, lineAndColumn } from '../src/json-error-position.js'

describe('where JSON text stops being valid', () => {
  test.each([
    { what: 'valid JSON', text: '[{"id": 1, "ok": true, "n": null, "x": -1.5e3}]', offset: -1 },
    { what: 'a missing value', text: '{"id": }', offset: 7 },
    { what: 'an unclosed array', text: '[{"id": 1}', offset: 10 },
    { what: 'an unquoted key', text: '{id: 1}', offset: 1 },
    { what: 'a trailing comma', text: '[1, 2,]', offset: 6 },
    { what: 'text after the value', text: '{} x', offset: 3 },
    { what: 'a raw line break inside a string', text: '["a\nb"]', offset: 3 },
  ])('$what', ({ text, offset }) => {
    expect(jsonErrorOffset(text)).toBe(offset)
  })

  test('an offset as line:column, both counted from 1', () => {
    const text = '[\n  {"id": 1},\n  {"id": }\n]'
    expect(lineAndColumn(text, jsonErrorOffset(text))).toBe('3:10')
  })
})
