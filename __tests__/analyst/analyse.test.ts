/**
 * The model-written analyses end to end: the real SDK against the local Messages API double, the
 * pull request's files from the GitHub API double through the action's client. The analysis sits
 * beside the figures and never changes one.
 */
import { capacityModelAnalysis, pullRequestModelAnalysis, FORK_NOTE, type PullRequestAnalysisIo } from '../../src/analyst/analyse.js'
import { pullRequestChanges } from '../../src/github/pull-request-changes.js'
import type { PullRequestAnalysisAnswer, ResultsFile } from '../../src/results/schema.js'
import { startAnthropicApiServer, type AnthropicApiServer } from '../support/anthropic-api-server.js'
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js'
import { testClient } from '../github/helpers.js'
import { analyseCapacity } from '../../src/capacity/answers.js'
import { uslLevels } from '../support/capacity-levels.js'
import { capacityAnalysis, capacityLevels } from './capacity-fixtures.js'
import { changesWithPlantedInstructions, PLANTED, regressedResults, SUMMARIES } from './fixtures.js'

const KEY = 'sk-ant-api03-analyse-test-7e1d'
const ANSWER: PullRequestAnalysisAnswer = {
  endpoints: [
    {
      endpoint: 'GET /reports/slow',
      causes: [
        {
          cause: 'The report query now scans instead of using its index.',
          evidence: ['p95 78.4 → 153.2 ms with p50 up as much', 'src/reports/query.ts: +4 −9'],
        },
      ],
      check_first: 'The query change in src/reports/query.ts',
    },
  ],
}
const CAPACITY_ANSWER = {
  summary: 'The API serves about 180 req/s within 250 ms.',
  bottlenecks: [{ hypothesis: 'A lock around report generation.', evidence: ['σ 0.08'] }],
  actions: ['Profile GET /reports/slow at 16 VUs.'],
}

let api: AnthropicApiServer
let github: GitHubApiServer
beforeAll(async () => {
  // The double answers the same whatever the prompt says: the test looks at where the prompt puts things.
  api = await startAnthropicApiServer({ apiKeys: [KEY], answer: (body) => (body.tools![0]!.name === 'report_capacity_analysis' ? CAPACITY_ANSWER : ANSWER) })
  github = await startGitHubApiServer()
  const changes = changesWithPlantedInstructions()
  github.state.addPullRequest({
    number: 412,
    title: changes.title,
    body: changes.body,
    files: changes.files.map((f) => ({ ...f, status: f.status as 'modified' })),
  })
})
afterAll(async () => {
  await api.close()
  await github.close()
})
beforeEach(() => {
  api.clearLog()
  github.clearLog()
})
afterEach(() => {
  expect(api.violations).toEqual([])
  expect(github.violations).toEqual([])
})

function io(overrides: Partial<PullRequestAnalysisIo> = {}, lines: { log: string[]; warn: string[] } = { log: [], warn: [] }): PullRequestAnalysisIo {
  return {
    settings: { apiKey: KEY, model: 'claude-haiku-4-5', context: 'diff' },
    summaries: SUMMARIES,
    changes: (patches) => pullRequestChanges(testClient(github), { owner: github.owner, repo: github.repo, number: 412, patches }),
    fromFork: false,
    log: (line) => lines.log.push(line),
    warn: (line) => lines.warn.push(line),
    provider: { baseURL: api.url, maxRetries: 0, timeoutMs: 5_000 },
    ...overrides,
  }
}

/** Everything but the analysis: what the verdict and the figures are. */
const figures = (results: ResultsFile) => JSON.stringify({ ...results, analysis: undefined })

describe('pullRequestModelAnalysis', () => {
  it('writes the analysis beside unchanged figures, with the author’s planted instructions only inside their delimiters', async () => {
    const results = regressedResults()
    const before = figures(results)
    const lines = { log: [] as string[], warn: [] as string[] }
    const section = await pullRequestModelAnalysis(results, io({}, lines))
    expect(section).toEqual({
      kind: 'pull-request',
      status: 'written',
      model_used: 'claude-haiku-4-5',
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      note: null,
      pull_request: ANSWER,
      capacity: null,
    })
    expect(figures({ ...results, analysis: section })).toBe(before)
    expect(results.verdict).toBe('fail')
    expect(lines.log).toEqual([expect.stringMatching(/^Claude analysis written by claude-haiku-4-5 \(\d+ input, \d+ output tokens\)$/)])

    const prompt = api.requests[0]!.body
    const user = prompt.messages[0]!.content as string
    expect(JSON.stringify(prompt.system)).not.toContain(PLANTED)
    const outside = user.replace(/<changed_files>[\s\S]*?<\/changed_files>/, '').replace(/<patches>[\s\S]*?<\/patches>/, '')
    expect(user).toContain(PLANTED)
    expect(outside).not.toContain(PLANTED)
    expect(JSON.stringify(api.requests)).not.toContain(KEY)
  })

  it('reads no files and sends none under ai-context: none', async () => {
    await pullRequestModelAnalysis(regressedResults(), io({ settings: { apiKey: KEY, model: 'claude-haiku-4-5', context: 'none' } }))
    expect(github.requests).toHaveLength(0)
    expect(api.requests[0]!.body.messages[0]!.content).not.toContain('src/reports')
  })

  it('asks nothing when nothing regressed or breached', async () => {
    const results = regressedResults()
    results.regressions = []
    results.slo_breaches = []
    expect(await pullRequestModelAnalysis(results, io())).toBeUndefined()
    expect(api.requests).toHaveLength(0)
  })

  it('stays silent without a key, and notes it on a fork’s pull request', async () => {
    const lines = { log: [] as string[], warn: [] as string[] }
    expect(await pullRequestModelAnalysis(regressedResults(), io({ settings: { model: 'claude-haiku-4-5', context: 'files' } }, lines))).toBeUndefined()
    const fork = await pullRequestModelAnalysis(regressedResults(), io({ settings: { model: 'claude-haiku-4-5', context: 'files' }, fromFork: true }, lines))
    expect(fork).toMatchObject({ status: 'skipped', note: FORK_NOTE })
    expect(lines.warn).toEqual([FORK_NOTE])
    expect(api.requests).toHaveLength(0)
  })

  it('turns an overloaded API into one warning and a note, the figures untouched', async () => {
    api.script({ error: 529 })
    const results = regressedResults()
    const before = figures(results)
    const lines = { log: [] as string[], warn: [] as string[] }
    const section = await pullRequestModelAnalysis(results, io({}, lines))
    expect(lines.warn).toEqual(['Claude analysis skipped: the API answered 529 overloaded_error: Overloaded after 1 attempt'])
    expect(section).toMatchObject({ status: 'skipped', model_used: null, note: lines.warn[0] })
    expect(figures(results)).toBe(before)
  })

  it('analyses the figures alone when GitHub refuses the file listing', async () => {
    github.inject({ path: '/repos/{owner}/{repo}/pulls/{pull_number}/files', status: 403 })
    const lines = { log: [] as string[], warn: [] as string[] }
    const section = await pullRequestModelAnalysis(regressedResults(), io({}, lines))
    expect(section?.status).toBe('written')
    expect(lines.warn).toEqual([expect.stringMatching(/^the pull request's changed files could not be read \(.*\); Claude analyses the figures without them$/)])
    expect(api.requests[0]!.body.messages[0]!.content).not.toContain('<changed_files>')
  })
})

describe('capacityModelAnalysis', () => {
  it('adds the model-written section and leaves every capacity figure as it was', async () => {
    const analysis = capacityAnalysis()
    const levels = capacityLevels()
    const before = JSON.stringify({ analysis, levels })
    const section = await capacityModelAnalysis(analysis, levels, { ...io(), settings: { apiKey: KEY, model: 'claude-haiku-4-5', context: 'files' } })
    expect(section).toMatchObject({ kind: 'capacity', status: 'written', capacity: CAPACITY_ANSWER, model_used: 'claude-haiku-4-5' })
    expect(JSON.stringify({ analysis, levels })).toBe(before)
  })

  it('leaves the capacity model’s answers as they are: the same figures with and without the analysis', async () => {
    const levels = uslLevels({
      lambda: 100,
      sigma: 0.02,
      kappa: 0.0005,
      vus: [1, 2, 4, 8, 16, 32, 64],
      endpoints: [
        { name: 'GET /capacity', weight: 3, meanFactor: 1.2 },
        { name: 'GET /health', weight: 1, meanFactor: 0.4 },
      ],
      errors: { fromLevel: 6, rate: 0.03, statuses: { '503': 1 }, endpoint: 'GET /capacity' },
    })
    const targets = { targetRps: 5000, targetP95Ms: 40, replicas: 1, headroom: 0.3, thinkTimeMs: 0, errorRateLimit: 0.01 }
    const without = analyseCapacity(levels, targets)
    const analysed = analyseCapacity(levels, targets)
    const section = await capacityModelAnalysis(analysed, levels, { ...io(), settings: { apiKey: KEY, model: 'claude-haiku-4-5', context: 'files' } })
    expect(section.status).toBe('written')
    expect(analysed).toEqual(without)
    const prompt = api.requests[0]!.body.messages[0]!.content as string
    expect(prompt).toContain(`current capacity: ${Math.round(without.currentCapacityRps)} req/s`)
    expect(prompt).toContain('GET /capacity: p95 grows')
  })

  it('without a key: one warning, and the rule-based recommendations stand alone', async () => {
    const lines = { log: [] as string[], warn: [] as string[] }
    const analysis = capacityAnalysis()
    const section = await capacityModelAnalysis(analysis, capacityLevels(), { ...io({}, lines), settings: { model: 'claude-haiku-4-5', context: 'files' } })
    expect(section).toMatchObject({ kind: 'capacity', status: 'skipped', capacity: null })
    expect(lines.warn).toEqual([expect.stringMatching(/^Claude analysis skipped: no API key/)])
    expect(analysis.recommendations.length).toBeGreaterThan(0)
  })
})
