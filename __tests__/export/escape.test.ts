/**
 * The escaping helpers against hostile strings, each checked by the destination's own parser:
 * Python evaluates the literals, Python's XML parser reads the XML back. (JMeter's own `${...}`
 * evaluation of escaped values is checked end to end by export-equivalence.test.ts.)
 */
import { execFileSync } from 'node:child_process'
import {
  javaHashCode,
  jmeterText,
  jmeterValue,
  pythonComment,
  pythonIdentifier,
  pythonString,
  pythonValue,
  xmlAttribute,
  xmlText,
} from '../../src/export/escape.js'

const HOSTILE = [
  '',
  'plain',
  '"; import os; os.system("touch /tmp/pwned"); "',
  '\'\'\'""" triple quotes',
  'back\\slash \\n not a newline \\',
  'line\nbreak\r\nand\ttab',
  'nul \u0000 bell \u0007 esc \u001b del \u007f c1 \u0085',
  'separators \u2028 \u2029 bom \ufeff',
  'bidi \u202e evil \u2066 isolate \u2069',
  'unicode é ✓ 𝄞 日本',
  'lone surrogates \ud800 and \udfff',
  '${__groovy(System.exit(3))} ${VAR} \\${x} $, \\, \\\\',
  '<tag attr="x"> & &amp; ]]> <!-- -->',
  '{{ handlebars }} {{{ triple }}}',
]

function python(code: string): string {
  return execFileSync('python3', ['-c', code], { encoding: 'utf8' })
}

describe('pythonString', () => {
  it('gives literals Python reads back as exactly the same strings', () => {
    const literals = HOSTILE.map(pythonString)
    const out = python(`import json, sys\nsys.stdout.write(json.dumps([${literals.join(', ')}]))`)
    expect(JSON.parse(out)).toEqual(HOSTILE)
  })

  it('leaves no raw line terminator, control, bidi or lone-surrogate character in the source', () => {
    for (const literal of HOSTILE.map(pythonString)) {
      expect(literal).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]/)
      expect(literal).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
    }
  })

  it('keeps printable text readable', () => {
    expect(pythonString('unicode é ✓ 𝄞')).toBe('"unicode é ✓ 𝄞"')
    expect(pythonString('say "hi"\n')).toBe('"say \\"hi\\"\\n"')
  })
})

describe('pythonValue', () => {
  const values = [
    { productId: 42, quantity: 2, note: 'Leave at the front desk' },
    { nested: { list: [1, 2.5, -0.001, 1e21, true, false, null, 'x'], empty: {}, none: [] }, 'key "quoted"': HOSTILE },
    [],
    null,
    'just a string',
    12345678901234567000,
  ]

  it.each(values)('json.dumps of the literal is JSON.stringify of %j', (value) => {
    const out = python(`import json, sys\nsys.stdout.write(json.dumps(${pythonValue(value)}, separators=(",", ":")))`)
    expect(JSON.parse(out)).toEqual(value)
  })

  it('indents nested data from the given depth', () => {
    expect(pythonValue({ a: [1, { b: null }] }, 4, 1)).toBe(
      '{\n        "a": [\n            1,\n            {\n                "b": None,\n            },\n        ],\n    }',
    )
  })
})

describe('pythonComment', () => {
  it.each(HOSTILE)('cannot end the comment line: %j', (text) => {
    const out = python(`# ${pythonComment(text)}\nimport sys\nsys.stdout.write("ok")`)
    expect(out).toBe('ok')
  })
})

describe('pythonIdentifier', () => {
  it.each([
    { source: 'getAccount', expected: 'get_account' },
    { source: 'get /users/{id}', expected: 'get_users_id' },
    { source: 'HTTPServerStatus', expected: 'http_server_status' },
    { source: '2fa', expected: 'op_2fa' },
    { source: 'class', expected: 'class_op' },
    { source: 'None', expected: 'none' },
    { source: 'host', expected: 'host_op', reserved: ['host'] },
    { source: '__init__', expected: 'init' },
    { source: '¿?', expected: 'operation' },
  ])('$source → $expected', ({ source, expected, reserved }) => {
    expect(pythonIdentifier(source, new Set(), new Set(reserved))).toBe(expected)
  })

  it('numbers collisions', () => {
    const taken = new Set<string>()
    expect(['getUser', 'get_user', 'GetUser'].map((s) => pythonIdentifier(s, taken))).toEqual(['get_user', 'get_user_2', 'get_user_3'])
  })
})

describe('XML', () => {
  const representable = HOSTILE.filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udfff](?<![\ud800-\udbff][\udc00-\udfff])/.test(s))

  it('element text and attributes read back exactly through a real XML parser', () => {
    const doc = `<r>${representable.map((s) => `<v a="${xmlAttribute(s)}" b='${xmlAttribute(s)}'>${xmlText(s)}</v>`).join('')}</r>`
    const script =
      'import json, sys, xml.etree.ElementTree as ET\n' +
      'root = ET.fromstring(sys.stdin.buffer.read())\n' +
      'sys.stdout.write(json.dumps([[v.text or "", v.get("a"), v.get("b")] for v in root]))'
    const parsed = JSON.parse(execFileSync('python3', ['-c', script], { input: doc, encoding: 'utf8' }))
    expect(parsed).toEqual(representable.map((s) => [s, s, s]))
  })

  it('refuses characters XML 1.0 cannot carry', () => {
    expect(() => xmlText('a\u0001b')).toThrow('U+0001 cannot be written in XML 1.0')
    expect(() => xmlAttribute('\ud800')).toThrow('U+D800 cannot be written in XML 1.0')
    expect(() => xmlText('\uffff')).toThrow('U+FFFF')
  })
})

describe('jmeterValue', () => {
  it.each([
    { what: 'plain text stays as is', parts: ['GET /products/{id}'], expected: 'GET /products/{id}' },
    { what: 'backslashes and commas without a $ stay as is (JMeter does not evaluate it)', parts: ['a\\b,c'], expected: 'a\\b,c' },
    {
      what: 'a $ alone becomes a function, which makes JMeter evaluate and unescape the rest',
      parts: ['${__groovy(x)} \\ ,'],
      expected: '${__char(36)}{__groovy(x)} \\\\ \\,',
    },
    { what: 'a variable reference makes the literal text escaped', parts: [{ variable: 'BASE_URL' }, '/a$b,c\\d'], expected: '${BASE_URL}/a\\$b\\,c\\\\d' },
    { what: 'characters XML cannot carry become ${__char(N)}', parts: ['a\u0001b\ud800'], expected: 'a${__char(1)}b${__char(55296)}' },
    {
      what: 'a trusted expression passes through',
      parts: ['Bearer ', { trusted: "${__groovy(System.getenv('T'))}" }],
      expected: "Bearer ${__groovy(System.getenv('T'))}",
    },
  ])('$what', ({ parts, expected }) => {
    expect(jmeterValue(parts)).toBe(expected)
  })

  it('never leaves an unescaped ${ from literal text', () => {
    for (const s of HOSTILE) {
      const value = jmeterText(s)
      // Every "${" in the output is one of the escapes it writes itself.
      expect(value.replace(/\$\{__char\(\d+\)\}/g, '')).not.toMatch(/(^|[^\\])(\\\\)*\$\{/)
      expect(() => xmlText(value)).not.toThrow()
    }
  })

  it('refuses bad variable names and trusted text without a function', () => {
    expect(() => jmeterValue([{ variable: 'A}B' }])).toThrow('not a JMeter variable name')
    expect(() => jmeterValue([{ trusted: 'plain' }])).toThrow('must call a function')
  })
})

describe('javaHashCode', () => {
  it.each([
    ['', 0],
    ['200', 49586],
    ['Test Plan', 764597751],
    ['Perf-Xi operations', -155839337],
  ] as const)('%j → %d (as String.hashCode)', (value, hash) => {
    expect(javaHashCode(value)).toBe(hash)
  })
})
