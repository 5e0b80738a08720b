/**
 * The harness sends what the k6 script sends: here the one place where the two could part, a
 * spec parameter with the same name as a header or cookie the configured credentials send.
 * The credentials win in the script, as in the harness.
 */
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../../src/config/load.js'
import { buildPlan } from '../../src/plan/plan.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadSpec } from '../../src/spec/load.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

async function script(auth: string): Promise<string> {
  const dir = tempDir('perf-xi-auth-')
  try {
    const configFile = path.join(dir, 'perf-xi.yml')
    writeFileSync(configFile, `auth:\n${auth}`)
    const config = resolveConfig(
      { openapi: '__tests__/fixtures/specs/features-3.0.yaml', config: configFile, 'base-url': 'http://127.0.0.1:8080' },
      { cwd: root },
    )
    const spec = await loadSpec(config.openapi, { cwd: root })
    return renderK6Script(buildPlan(config, spec), { title: spec.title, source: config.openapi, scriptName: 'perf-xi-script.js' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The params block of one operation: from its variable to the next blank line. */
function operation(text: string, variable: string): string {
  const start = text.indexOf(`const ${variable} = {`)
  if (start < 0) throw new Error(`no operation ${variable} in the script`)
  return text.slice(start, text.indexOf('\n\n', start))
}

describe('credentials and same-named spec parameters in the script', () => {
  it('a required Authorization header parameter gives way to the configured bearer token', async () => {
    const op = operation(await script('  type: bearer\n  token-env: API_TOKEN\n'), 'listItems')
    expect(op).toContain('headers: { ...AUTH_HEADERS, "X-Request-Id": "3fa85f64-5717-4562-b3fc-2c963f66afa6" }')
    expect(op).not.toContain('"Authorization"')
  })

  it('leaves out operations the configured credentials cannot satisfy, saying what they need', async () => {
    const text = await script('  type: cookie\n  name: session\n  value-env: SESSION\n')
    expect(text).not.toContain('const listItems = {')
  })
})
