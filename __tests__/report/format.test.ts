import { escapeMarkdown } from '../../src/report/format.js'

describe('text in Markdown reports', () => {
  it.each([
    ['a pipe, which would end a table cell', 'GET /a|b', 'GET /a\\|b'],
    ['HTML', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['an entity-looking text stays text', 'a &#124; b', 'a &amp;\\#124; b'],
    ['emphasis and code marks', '*bold* _it_ `code` [link](x) # ~', '\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\# \\~'],
    ['a path template', 'GET /users/{id}', 'GET /users/{id}'],
  ])('escapes %s', (_what, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected)
  })
})
