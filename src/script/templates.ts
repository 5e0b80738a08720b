/**
 * Locates templates/ whether Perf-Xi runs from src/ (tests), lib/ (the local CLI) or dist/
 * (the action): each sits at a different depth below the folder that holds templates/.
 * The build also precompiles them into dist/ (PRECOMPILED_FILE): compiling the k6 template costs
 * a tenth of a second of every run. A precompiled template is used only while it matches the text.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Handlebars from 'handlebars'

/** Every template is compiled alike: its helpers escape for the destination, Handlebars does not. */
const COMPILE_OPTIONS = Object.freeze({ noEscape: true, strict: false })
// Handlebars adds its own settings to the options object it is given: each call gets a copy.
const compileOptions = () => ({ ...COMPILE_OPTIONS })
export const PRECOMPILED_FILE = 'precompiled-templates.json'

type Precompiled = Record<string, { key: string; code: string }>

const here = () => path.dirname(fileURLToPath(import.meta.url))

export function findTemplate(name: string, from = here()): string {
  return findAbove(path.join('templates', name), from) ?? fail(`template ${name} not found above ${from}`)
}

/** The template compiled in the environment `hbs` (with its helpers), from the build's precompiled copy where it is current. */
export function compileTemplate(hbs: typeof Handlebars, name: string, from = here()): Handlebars.TemplateDelegate {
  const text = readFileSync(findTemplate(name, from), 'utf8')
  const file = findAbove(PRECOMPILED_FILE, from)
  const entry = file ? (JSON.parse(readFileSync(file, 'utf8')) as Precompiled)[name] : undefined
  if (entry?.key !== precompileKey(text)) return hbs.compile(text, compileOptions())
  // The build's own Handlebars output (what compile() would evaluate itself), not user input.
  return hbs.template(new Function(`return ${entry.code}`)())
}

/** The build step: every template in templates/ precompiled into `dir`/PRECOMPILED_FILE. */
export function writePrecompiledTemplates(dir: string, from = here()): string {
  const templates = path.dirname(findTemplate('k6-script.js.hbs', from))
  const out: Precompiled = {}
  for (const name of readdirSync(templates).filter((n) => n.endsWith('.hbs')).sort()) {
    const text = readFileSync(path.join(templates, name), 'utf8')
    out[name] = { key: precompileKey(text), code: String(Handlebars.precompile(text, compileOptions())) }
  }
  const file = path.join(dir, PRECOMPILED_FILE)
  writeFileSync(file, `${JSON.stringify(out)}\n`)
  return file
}

function precompileKey(text: string): string {
  return createHash('sha256').update(`${Handlebars.VERSION}\0${JSON.stringify(COMPILE_OPTIONS)}\0${text}`).digest('hex')
}

function findAbove(relative: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative)
    if (existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
}

function fail(message: string): never {
  throw new Error(message)
}
