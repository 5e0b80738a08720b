import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findTemplate, identifierHelper, templateRenderer } from '../../src/script/templates.js'

describe('templateRenderer', () => {
  let root: string
  let below: string
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'perf-xi-templates-'))
    mkdirSync(path.join(root, 'templates'))
    below = path.join(root, 'lib', 'script')
    mkdirSync(below, { recursive: true })
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  const write = (name: string, text: string) => writeFileSync(path.join(root, 'templates', name), text)

  it('puts helper output and plain values in as they are, never HTML-escaped', () => {
    write('t.hbs', 'const a = {{json value}} // {{comment note}}\n{{raw}}')
    const render = templateRenderer('t.hbs', { json: (v) => JSON.stringify(v), comment: (v) => String(v).replace(/\n/g, ' ') }, below)
    expect(render({ value: '<a & "b">', note: 'one\ntwo', raw: '<&>' })).toBe('const a = "<a & \\"b\\">" // one two\n<&>')
  })

  it('passes a helper its arguments without Handlebars\' options object getting in the way of the first ones', () => {
    write('t.hbs', '{{pad value 3}}')
    const render = templateRenderer('t.hbs', { pad: (v, width) => String(v).padStart(width as number, '0') }, below)
    expect(render({ value: 7 })).toBe('007')
  })

  it('reads the template once: later edits of the file do not change what it renders', () => {
    write('t.hbs', 'first {{x}}')
    const render = templateRenderer('t.hbs', {}, below)
    expect(render({ x: 1 })).toBe('first 1')
    write('t.hbs', 'second {{x}}')
    expect(render({ x: 2 })).toBe('first 2')
  })

  it('keeps each template\'s helpers to itself', () => {
    write('js.hbs', '{{comment x}}')
    write('py.hbs', '{{comment x}}')
    const js = templateRenderer('js.hbs', { comment: (v) => `// ${String(v)}` }, below)
    const py = templateRenderer('py.hbs', { comment: (v) => `# ${String(v)}` }, below)
    expect([js({ x: 'a' }), py({ x: 'a' })]).toEqual(['// a', '# a'])
  })

  it('names the template it cannot find', () => {
    expect(() => templateRenderer('missing.hbs', {}, below)({})).toThrow(/template missing\.hbs not found/)
  })
})

describe('identifierHelper', () => {
  const ident = identifierHelper(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Python')
  it('lets an identifier through unchanged', () => expect(ident('get_users_2')).toBe('get_users_2'))
  it.each(['2users', 'a-b', 'x; import os', ''])('refuses %j, naming the language', (value) => {
    expect(() => ident(value)).toThrow(`not a Python identifier: ${value}`)
  })
})

describe('findTemplate', () => {
  it("finds the repository's templates from the source tree", () => {
    expect(findTemplate('k6-script.js.hbs')).toMatch(/templates[\\/]k6-script\.js\.hbs$/)
  })
})
