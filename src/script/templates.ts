/**
 * The one template compiler: each template in templates/ compiled once, on first use, with its
 * language's helpers on a Handlebars of its own (so `comment` can mean `//` in k6 and `#` in Locust).
 * Nothing is HTML-escaped: every value reaches the output through a helper that escapes it for its
 * destination, or as a number. templates/ is found from src/ (tests), lib/ (the local CLI) or dist/
 * (the action). The build precompiles them into dist/ (PRECOMPILED_FILE), because compiling the k6
 * template costs a tenth of a second of every run; that copy is used only while it matches the text.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Handlebars from 'handlebars'

/** A helper's text goes into the output as it is; Handlebars' options object comes last among `args`. */
export type TemplateHelper = (value: unknown, ...args: unknown[]) => string

export type RenderTemplate = (view: object) => string

/** Every template is compiled alike: its helpers escape for the destination, Handlebars does not. */
const COMPILE_OPTIONS = Object.freeze({ noEscape: true, strict: false })
// Handlebars adds its own settings to the options object it is given: each call gets a copy.
const compileOptions = () => ({ ...COMPILE_OPTIONS })
export const PRECOMPILED_FILE = 'precompiled-templates.json'

type Precompiled = Record<string, { key: string; code: string }>

const here = () => path.dirname(fileURLToPath(import.meta.url))

/**
 * Renders templates/<name> (found above `from`) with `helpers`; the template is read and compiled
 * (or taken from the build's precompiled copy) on the first call only.
 */
export function templateRenderer(name: string, helpers: Readonly<Record<string, TemplateHelper>>, from = here()): RenderTemplate {
  let compiled: Handlebars.TemplateDelegate | undefined
  return (view) => {
    if (compiled === undefined) {
      const hbs = Handlebars.create()
      for (const [helperName, helper] of Object.entries(helpers)) {
        hbs.registerHelper(helperName, (value: unknown, ...args: unknown[]) => new hbs.SafeString(helper(value, ...args)))
      }
      compiled = compileTemplate(hbs, name, from)
    }
    return compiled(view)
  }
}

/** The `ident` helper: a name put into code bare, refused unless it is an identifier of `language`. */
export function identifierHelper(pattern: RegExp, language: string): TemplateHelper {
  return (value) => {
    if (typeof value !== 'string' || !pattern.test(value)) throw new Error(`not a ${language} identifier: ${String(value)}`)
    return value
  }
}

export function findTemplate(name: string, from = here()): string {
  return findAbove(path.join('templates', name), from) ?? fail(`template ${name} not found above ${from}`)
}

/** The build step: every template in templates/ precompiled into `dir`/PRECOMPILED_FILE. */
export function writePrecompiledTemplates(dir: string, from = here()): string {
  const templates = path.dirname(findTemplate('k6-script.js.hbs', from))
  const out: Precompiled = {}
  for (const name of readdirSync(templates)
    .filter((n) => n.endsWith('.hbs'))
    .sort()) {
    const text = readFileSync(path.join(templates, name), 'utf8')
    out[name] = { key: precompileKey(text), code: String(Handlebars.precompile(text, compileOptions())) }
  }
  const file = path.join(dir, PRECOMPILED_FILE)
  writeFileSync(file, `${JSON.stringify(out)}\n`)
  return file
}

/** The template compiled in the environment `hbs` (with its helpers), from the build's precompiled copy where it is current. */
function compileTemplate(hbs: typeof Handlebars, name: string, from: string): Handlebars.TemplateDelegate {
  const text = readFileSync(findTemplate(name, from), 'utf8')
  const file = findAbove(PRECOMPILED_FILE, from)
  const entry = file ? (JSON.parse(readFileSync(file, 'utf8')) as Precompiled)[name] : undefined
  if (entry?.key !== precompileKey(text)) return hbs.compile(text, compileOptions())
  // The build's own Handlebars output (what compile() would evaluate itself), not user input.
  return hbs.template(new Function(`return ${entry.code}`)())
}

function precompileKey(text: string): string {
  return createHash('sha256')
    .update(`${Handlebars.VERSION}\0${JSON.stringify(COMPILE_OPTIONS)}\0${text}`)
    .digest('hex')
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
