/**
 * Templates as every generator renders them: helpers' output as it is, each template with its own
 * helpers, compiled once. As the bundle finds them: the build's precompiled copy
 * (dist/precompiled-templates.json) renders while it matches the template's text, and a template
 * edited after the build renders from its text, never from the stale copy.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { findTemplate, identifierHelper, PRECOMPILED_FILE, templateRenderer, writePrecompiledTemplates } from '../../src/script/templates.js'
import { tempDir } from '../support/temp-dirs.js'

describe('templateRenderer', () => {
  let root: string
  let below: string
  beforeEach(() => {
    root = tempDir('perf-xi-templates-')
    mkdirSync(path.join(root, 'templates'))
    below = path.join(root, 'lib', 'script')
    mkdirSync(below, { recursive: true })
  })

  const write = (name: string, text: string) => writeFileSync(path.join(root, 'templates', name), text)

  it('puts helper output and plain values in as they are, never HTML-escaped', () => {
    write('t.hbs', 'const a = {{json value}} // {{comment note}}\n{{raw}}')
    const render = templateRenderer('t.hbs', { json: (v) => JSON.stringify(v), comment: (v) => String(v).replace(/\n/g, ' ') }, below)
    expect(render({ value: '<a & "b">', note: 'one\ntwo', raw: '<&>' })).toBe('const a = "<a & \\"b\\">" // one two\n<&>')
  })

  it("passes a helper its arguments without Handlebars' options object getting in the way of the first ones", () => {
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

  it("keeps each template's helpers to itself", () => {
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

describe("templateRenderer with the build's precompiled copy", () => {
  const NAME = 'k6-script.js.hbs'

  function checkout(text: string): { dist: string; template: string } {
    const root = tempDir('perf-xi-templates-')
    mkdirSync(path.join(root, 'templates'))
    mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true })
    const template = path.join(root, 'templates', NAME)
    writeFileSync(template, text)
    return { dist: path.join(root, 'dist'), template }
  }

  const render = (from: string) => templateRenderer(NAME, { shout: (v) => String(v).toUpperCase() }, from)({ name: 'x' })

  it('renders from the precompiled copy the build wrote, also for the CLI bundle one folder below', () => {
    const { dist } = checkout('Hello {{name}}')
    const file = writePrecompiledTemplates(dist, dist)
    expect(render(path.join(dist, 'cli'))).toBe('Hello x')
    // The copy is what renders: altered (its key unchanged), the output follows it.
    writeFileSync(file, readFileSync(file, 'utf8').replace('Hello ', 'Bonjour '))
    expect(render(dist)).toBe('Bonjour x')
    expect(path.basename(file)).toBe(PRECOMPILED_FILE)
  })

  it("calls the template's helpers from the precompiled copy, unescaped", () => {
    const { dist } = checkout('Hello {{shout name}} <{{name}}>')
    const file = writePrecompiledTemplates(dist, dist)
    writeFileSync(file, readFileSync(file, 'utf8').replace('Hello ', 'Hi '))
    expect(render(dist)).toBe('Hi X <x>')
  })

  it('renders from the text when the template changed after the build', () => {
    const { dist, template } = checkout('Hello {{name}}')
    writePrecompiledTemplates(dist, dist)
    writeFileSync(template, 'Hi {{name}}')
    expect(render(dist)).toBe('Hi x')
  })

  it('renders from the text where no build ran (tests, tsx)', () => {
    const { dist } = checkout('Hello {{name}}')
    expect(render(dist)).toBe('Hello x')
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
