/**
 * The question about a capacity run, pinned by a golden file (regenerate after an intended change
 * with UPDATE_GOLDEN=1): figures, endpoint names and operation summaries only, no URL or secret.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { capacityAnalysisSection, capacityRequest, CAPACITY_TOOL } from '../../src/analyst/capacity-analysis.js'
import { toolInputSchema } from '../../src/analyst/model-provider.js'
import { CapacityAnalysisAnswerSchema } from '../../src/results/schema.js'
import { capacityAnalysis, capacityLevels } from './capacity-fixtures.js'

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__', 'capacity-prompt.txt')

function promptText(): string {
  const request = capacityRequest({
    analysis: capacityAnalysis(),
    levels: capacityLevels(),
    summaries: { 'GET /capacity': 'Do a fixed amount of work', 'GET /health': 'Liveness' },
  })
  return [
    `# system`,
    request.system,
    '',
    `# user`,
    request.user,
    '',
    `# tool ${request.tool.name}: ${request.tool.description}`,
    JSON.stringify(toolInputSchema(request.tool.input), null, 2),
    '',
  ].join('\n')
}

describe('capacityRequest', () => {
  it('asks the same question for the same run, byte for byte', () => {
    const text = promptText()
    if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text)
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'))
  })

  it('carries the figures and endpoint names, and no URL, user info or token', () => {
    const text = promptText()
    expect(text).toContain('current capacity: 163 req/s (interpolated, limited by p95, at 11.6 VUs)')
    expect(text).toContain('level 5: 32 VUs, 171 req/s')
    expect(text).toContain('GET /capacity: p95 grows 13.2 ms per VU')
    expect(text).toContain('first failed at level 5 (32 VUs) with 503 × 75')
    expect(text).toContain('GET /capacity: Do a fixed amount of work')
    expect(text).not.toMatch(/https?:\/\//)
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('token=abc')
    expect(text).toContain('Measured against [a URL]')
  })

  it('asks for a summary, ranked bottleneck hypotheses with evidence, and actions', () => {
    const request = capacityRequest({ analysis: capacityAnalysis(), levels: capacityLevels(), summaries: {} })
    expect(request.tool.name).toBe(CAPACITY_TOOL)
    expect(toolInputSchema(request.tool.input)).toMatchObject({ type: 'object', required: ['summary', 'bottlenecks', 'actions'] })
  })
})

describe('capacityAnalysisSection', () => {
  it('keeps a validated answer with the model that wrote it', () => {
    const value = CapacityAnalysisAnswerSchema.parse({
      summary: 'Serves 163 req/s within 100 ms.',
      bottlenecks: [{ hypothesis: 'Contention on a lock.', evidence: ['σ 0.081'] }],
      actions: ['Profile at 16 VUs.'],
    })
    expect(capacityAnalysisSection({ ok: true, value, modelUsed: 'claude-sonnet-5-5', usage: { inputTokens: 900, outputTokens: 120 } })).toEqual({
      kind: 'capacity',
      status: 'written',
      model_used: 'claude-sonnet-5-5',
      input_tokens: 900,
      output_tokens: 120,
      note: null,
      pull_request: null,
      capacity: value,
    })
  })

  it('refuses an answer without evidence for a hypothesis', () => {
    expect(CapacityAnalysisAnswerSchema.safeParse({ summary: 's', bottlenecks: [{ hypothesis: 'h', evidence: [] }], actions: [] }).success).toBe(false)
  })
})
