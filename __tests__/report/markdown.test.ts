/**
 * Text Perf-Xi did not write, escaped for where it lands. Each Markdown result is rendered the way
 * GitHub does (CommonMark + GFM, raw HTML let through so that any that slipped in shows up as an
 * element) and judged on the HTML: what a reader would see, and what would be live.
 */
import { fitMarkdown, mdCode, mdLink, mdText, oneLine, plainText, utf8Bytes } from '../../src/report/markdown.js'
import { decode, elements, HOSTILE, hrefs, liveReferences, renderGfm, visibleText } from './gfm.js'

describe('mdText', () => {
  it.each([
    ['a pipe, which would end a table cell', 'GET /a|b', 'GET /a\\|b'],
    ['HTML', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['an entity-looking text stays text', 'a &#124; b', 'a &amp;\\#\u200d124; b'],
    ['emphasis and code marks', '*bold* _it_ `code` [link](x) ~', '\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\~'],
    ['a newline, as a visible escape', 'a\nb', 'a\\nb'],
    ['a mention, broken by a joiner', '@octo-org/security', '@\u200docto-org/security'],
    ['a list marker at the start', '- x', '\\- x'],
    ['a path template, unchanged', 'GET /users/{id}', 'GET /users/{id}'],
    ['a version, unchanged', 'k6 1.8.1', 'k6 1.8.1'],
  ])('escapes %s', (_what, input, expected) => {
    expect(mdText(input)).toBe(expected)
  })

  it.each(HOSTILE)('shows %j as it is, on one line, with nothing live, in a list item, a table cell and a heading', (text) => {
    for (const [markdown, inside] of [
      [`- ${mdText(text)}`, ['ul', 'li']],
      [`| a | b |\n|---|---|\n| ${mdText(text)} | x |`, ['table', 'thead', 'tr', 'th', 'tbody', 'td']],
      [`## ${mdText(text)}`, ['h2']],
    ] as const) {
      const html = renderGfm(markdown)
      expect(elements(html).filter((e) => !(inside as readonly string[]).includes(e))).toEqual([])
      expect(liveReferences(html)).toEqual([])
      expect(
        visibleText(html)
          .trim()
          .replace(/\s+x$/, '')
          .replace(/^a\s+b\s+/, ''),
      ).toBe(oneLine(text).trim())
    }
  })
})

describe('mdCode', () => {
  it.each(HOSTILE)('shows %j literally as code, inline and in a table cell', (text) => {
    const inline = renderGfm(`- ${mdCode(text)}`)
    expect(elements(inline)).toEqual(['ul', 'li', 'code'])
    expect(decode(/<code>([\s\S]*)<\/code>/.exec(inline)![1]!)).toBe(oneLine(text))
    const cell = renderGfm(`| a |\n|---|\n| ${mdCode(text, 'table')} |`)
    expect(elements(cell)).toEqual(['table', 'thead', 'tr', 'th', 'tbody', 'tr', 'td', 'code'])
    expect(decode(/<code>([\s\S]*)<\/code>/.exec(cell)![1]!)).toBe(oneLine(text))
  })
})

describe('mdLink', () => {
  const server = 'https://github.com'
  it.each([
    ['a run on the server', 'https://github.com/acme/shop/actions/runs/9', 'https://github.com/acme/shop/actions/runs/9'],
    ['its artifacts', 'https://github.com/acme/shop/actions/runs/9#artifacts', 'https://github.com/acme/shop/actions/runs/9#artifacts'],
    ['parentheses, encoded so they cannot end the link', 'https://github.com/a)(b', 'https://github.com/a%29%28b'],
  ])('links %s', (_what, url, href) => {
    const html = renderGfm(mdLink('Workflow run', url, server))
    expect(hrefs(html)).toEqual([href])
  })

  it.each([
    ['another host', 'https://evil.example/acme/shop/actions/runs/9'],
    ['a look-alike host', 'https://github.com.evil.example/x'],
    ['plain http to the server', 'http://github.com/acme'],
    ['credentials', 'https://user:pw@github.com/acme'],
    ['a script', 'javascript:alert(1)'],
    ['a newline in the URL', 'https://github.com/x)\n## Approved <img src=x>'],
    ['a space in the URL', 'https://github.com/x [y](https://evil.example)'],
    ['no URL at all', 'not a url'],
  ])('shows %s as code, not linked', (_what, url) => {
    const html = renderGfm(mdLink('Workflow run', url, server))
    expect(hrefs(html)).toEqual([])
    expect(elements(html)).toEqual(['p', 'code'])
    expect(decode(/<code>([\s\S]*)<\/code>/.exec(html)![1]!)).toBe(oneLine(url))
  })

  it('links nothing when the server is not known', () => {
    expect(hrefs(renderGfm(mdLink('run', 'https://github.com/acme', undefined)))).toEqual([])
  })

  it('follows the server GITHUB_SERVER_URL names (GitHub Enterprise Server)', () => {
    expect(hrefs(renderGfm(mdLink('run', 'https://ghes.example.com/a/b/actions/runs/1', 'https://ghes.example.com/')))).toEqual([
      'https://ghes.example.com/a/b/actions/runs/1',
    ])
    expect(hrefs(renderGfm(mdLink('run', 'https://github.com/a/b/actions/runs/1', 'https://ghes.example.com')))).toEqual([])
  })
})

describe('plainText', () => {
  it('keeps a line a line, and never a workflow command', () => {
    expect(plainText('::error::pwned\n::add-mask::x')).toBe(':\u200d:error::pwned\\n::add-mask::x')
    expect(plainText('  ::stop-commands::t')).not.toMatch(/^\s*::/)
    expect(plainText('red \u001b[31m')).toBe('red \\u001b[31m')
    expect(plainText('GET /a::b')).toBe('GET /a::b')
  })
})

describe('fitMarkdown', () => {
  const note = (left: number) => `\n\n… ${left} more lines left out`

  it('returns a document that fits unchanged', () => {
    expect(fitMarkdown('a\nb', { limit: 3, note })).toBe('a\nb')
  })

  it('counts UTF-8 bytes when told to, cutting whole lines and saying how many were left out', () => {
    const doc = ['## ❌ head', ...Array.from({ length: 1000 }, (_, i) => `| 🚀 row ${i} |`)].join('\n')
    const fitted = fitMarkdown(doc, { limit: 2000, size: utf8Bytes, note })
    expect(utf8Bytes(fitted)).toBeLessThanOrEqual(2000)
    expect(fitted.length).toBeLessThan(2000) // emoji are 4 bytes but 2 UTF-16 units: bytes were counted
    expect(fitted.startsWith('## ❌ head\n| 🚀 row 0 |')).toBe(true)
    const left = Number(/… (\d+) more lines left out$/.exec(fitted)![1])
    expect(fitted.split('\n').length - 2 + left).toBe(1001)
  })
})
