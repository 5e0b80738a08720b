/**
 * The action's inputs: what the code reads (src/config/load.ts INPUT_NAMES, and the inputs
 * src/main.ts reads itself) is exactly what action.yml declares, so no input is ignored and none
 * is read that the runner never passes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { INPUT_NAMES } from '../src/config/load.js'
import { ROOT } from './support/run-action.js'

const declared = Object.keys((parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs)

/** Every `core.getInput(...)` call under src/, by file: its argument as written. */
function getInputCalls(): Array<{ file: string; argument: string }> {
  const calls: Array<{ file: string; argument: string }> = []
  for (const entry of readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const file = path.relative(ROOT, path.join(entry.parentPath, entry.name))
    for (const match of readFileSync(path.join(ROOT, file), 'utf8').matchAll(/\bgetInput\(([^)]*)\)/g)) calls.push({ file, argument: match[1].trim() })
  }
  return calls
}

describe("the action's inputs", () => {
  const calls = getInputCalls()

  it('are read only in src/main.ts: by name from INPUT_NAMES, or as a literal name', () => {
    expect(calls.length).toBeGreaterThan(0)
    for (const call of calls) {
      expect(call.file).toBe(path.join('src', 'main.ts'))
      expect(call.argument).toMatch(/^(name|'[a-z0-9-]+')$/)
    }
  })

  it('that the code reads are exactly those action.yml declares', () => {
    const literal = calls.filter((c) => c.argument.startsWith("'")).map((c) => c.argument.slice(1, -1))
    const read = new Set<string>([...INPUT_NAMES, ...literal])
    expect([...read].sort()).toEqual([...declared].sort())
    // One list read twice would hide an input the other list lacks.
    expect(literal.filter((name) => (INPUT_NAMES as readonly string[]).includes(name))).toEqual([])
  })
})
