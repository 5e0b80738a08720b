import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveConfig } from '../../src/config/load.js'
import { levelSchedule } from '../../src/capacity/levels.js'
import { mixThinkTimeMs, renderCapacityScript } from '../../src/capacity/script.js'
import { ensureK6 } from '../../src/k6/install.js'
import { inspectK6Script } from '../../src/k6/inspect.js'
import { buildPlan } from '../../src/plan/plan.js'
import { renderK6Script } from '../../src/script/k6.js'
import { loadSpec } from '../../src/spec/load.js'
import { tempDir } from '../support/temp-dirs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

async function planFor(spec: string, extra: Record<string, string> = {}) {
  const config = resolveConfig(
    { openapi: spec, 'base-url': 'http://127.0.0.1:1', 'target-rps': '100', 'target-p95': '1s', ...extra },
    { cwd: root, mode: 'capacity' },
  )
  return buildPlan(config, await loadSpec(config.openapi, { cwd: root }))
}

const meta = { title: 'Shop 1.0', scriptName: 'perf-xi-capacity.js', planScriptName: 'perf-xi-script.js', planHasSetup: false, warmUpMs: 5000 }

describe('the capacity script', () => {
  it('runs one constant-vus scenario per level, back to back, each tagged with its level', async () => {
    const plan = await planFor('examples/sample-api/capacity.openapi.yaml')
    const script = renderCapacityScript(plan, levelSchedule({ levels: [1, 2, 4], levelDurationMs: 30_000 }), meta)
    expect(script).toContain('import { standard } from "./perf-xi-script.js";')
    expect(script).toContain(`    level_2: {
      executor: 'constant-vus',
      exec: 'capacity',
      vus: 2,
      duration: "30s",
      startTime: "30s",
      gracefulStop: "0s",
      tags: { level: "2" },
    },`)
    expect(script.match(/executor: 'constant-vus'/g)).toHaveLength(3)
    expect(script).toContain('const MIX = [standard];')
    expect(script).not.toContain('setup')
    expect(mixThinkTimeMs(plan)).toBe(0)
  })

  it("shares the VUs among the plan's categories and passes setup()'s harvested values on", async () => {
    const plan = await planFor('examples/sample-api/openapi.yaml', { config: 'examples/sample-api/perf-xi.yml' })
    const script = renderCapacityScript(plan, levelSchedule({ levels: [4], levelDurationMs: 10_000 }), { ...meta, planHasSetup: true })
    const mix = /const MIX = \[(.*)\];/.exec(script)![1]!.split(', ')
    expect(new Set(mix).size).toBeGreaterThan(1)
    expect(script).toContain('export { setup } from "./perf-xi-script.js";')
    expect(script).toMatch(/MIX\[\(exec\.vu\.idInTest - 1\) % MIX\.length\]\(data\);/)
  })

  it('is a script k6 accepts, with the levels as its scenarios', async () => {
    const k6 = await ensureK6()
    const plan = await planFor('examples/sample-api/capacity.openapi.yaml')
    const dir = tempDir('perf-xi-capacity-script-')
    writeFileSync(path.join(dir, 'perf-xi-script.js'), renderK6Script(plan, { title: 't', source: 's', scriptName: 'perf-xi-script.js' }))
    writeFileSync(path.join(dir, 'perf-xi-capacity.js'), renderCapacityScript(plan, levelSchedule({ levels: [1, 2, 4], levelDurationMs: 3000 }), meta))
    const inspection = await inspectK6Script({ k6Path: k6.path, scriptPath: path.join(dir, 'perf-xi-capacity.js'), env: {}, cwd: dir })
    expect(inspection).toMatchObject({ ok: true, totalDurationMs: 9000 })
  }, 60_000)
})
