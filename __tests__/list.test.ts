import { splitList } from '../src/list.js'

describe('splitList', () => {
  it.each([
    { what: 'nothing given', value: undefined, expected: [] },
    { what: 'an empty input', value: '', expected: [] },
    { what: 'one item', value: 'load/a.js', expected: ['load/a.js'] },
    { what: 'commas, spaces trimmed', value: 'GET /users, POST /orders ,tag:admin', expected: ['GET /users', 'POST /orders', 'tag:admin'] },
    { what: 'one item per line, Windows line ends too', value: 'a\r\nb\nc\n', expected: ['a', 'b', 'c'] },
    { what: 'commas and lines mixed, blanks dropped', value: 'a,\n\n , b,,c', expected: ['a', 'b', 'c'] },
  ])('$what', ({ value, expected }) => {
    expect(splitList(value)).toEqual(expected)
  })
})
