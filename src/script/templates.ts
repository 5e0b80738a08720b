/**
 * The one template compiler: each template in templates/ compiled once, on first use, with its
 * language's helpers on a Handlebars of its own (so `comment` can mean `//` in k6 and `#` in Locust).
 * Nothing is HTML-escaped: every value reaches the output through a helper that escapes it for its
 * destination, or as a number. templates/ is found whether Perf-Xi runs from src/ (tests), lib/ (the
 * local CLI) or dist/ (the action), each at a different depth below it.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Handlebars from 'handlebars'

/** A helper's text goes into the output as it is; Handlebars' options object comes last among `args`. */
export type TemplateHelper = (value: unknown, ...args: unknown[]) => string

export type RenderTemplate = (view: object) => string

/** Renders templates/<name> (found above `from`) with `helpers`; the template is read and compiled on the first call only. */
export function templateRenderer(name: string, helpers: Readonly<Record<string, TemplateHelper>>, from?: string): RenderTemplate {
  let compiled: Handlebars.TemplateDelegate | undefined
  return (view) => {
    if (compiled === undefined) {
      const hbs = Handlebars.create()
      for (const [helperName, helper] of Object.entries(helpers)) {
        hbs.registerHelper(helperName, (value: unknown, ...args: unknown[]) => new hbs.SafeString(helper(value, ...args)))
      }
      compiled = hbs.compile(readFileSync(findTemplate(name, from), 'utf8'), { noEscape: true, strict: false })
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

export function findTemplate(name: string, from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates', name)
    if (existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) throw new Error(`template ${name} not found above ${from}`)
  }
}
