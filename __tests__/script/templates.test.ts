/**
 * Templates as the bundle finds them: the build's precompiled copy (dist/precompiled-templates.json)
 * is what renders while it matches the template's text, and a template edited after the build
 * renders from its text, never from the stale copy.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import { compileTemplate, PRECOMPILED_FILE, writePrecompiledTemplates } from '../../src/script/templates.js'
import { tempDir } from '../support/temp-dirs.js'

const NAME = 'k6-script.js.hbs'

function checkout(text: string): { dist: string; template: string } {
  const root = tempDir('perf-xi-templates-')
  mkdirSync(path.join(root, 'templates'))
  mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true })
  const template = path.join(root, 'templates', NAME)
  writeFileSync(template, text)
  return { dist: path.join(root, 'dist'), template }
}

const render = (from: string) => compileTemplate(Handlebars.create(), NAME, from)({ name: 'x' })

describe('compileTemplate', () => {
  it('renders from the precompiled copy the build wrote, also for the CLI bundle one folder below', () => {
    const { dist } = checkout('Hello {{name}}')
    const file = writePrecompiledTemplates(dist, dist)
    expect(render(path.join(dist, 'cli'))).toBe('Hello x')
    // The copy is what renders: altered (its key unchanged), the output follows it.
    writeFileSync(file, readFileSync(file, 'utf8').replace('Hello ', 'Bonjour '))
    expect(render(dist)).toBe('Bonjour x')
    expect(path.basename(file)).toBe(PRECOMPILED_FILE)
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
