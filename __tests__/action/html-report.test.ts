import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { uploadHtmlReport } from '../../src/action/html-report.js'
import { renderPrComment } from '../../src/report/comment.js'
import { ResultsFileSchema } from '../../src/results/schema.js'
import { captureStdout, isolateRunnerEnv } from '../storage/helpers.js'
import { startResultsService, type ResultsService } from '../storage/results-service.js'
import { tempDir } from '../support/temp-dirs.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results')
let service: ResultsService
let runnerEnv: ReturnType<typeof isolateRunnerEnv>

beforeAll(async () => {
  service = await startResultsService()
  runnerEnv = isolateRunnerEnv()
})

afterAll(async () => {
  runnerEnv?.restore()
  await service?.close()
})

describe('the HTML report (html-report: true)', () => {
  it('is uploaded as the artifact perf-xi-report and linked from the comment', async () => {
    runnerEnv.set(service.issueToken().env)
    const file = path.join(tempDir('perf-xi-html-'), 'perf-xi-report.html')
    writeFileSync(file, '<!DOCTYPE html><html><body>k6 report</body></html>')
    const lines: string[] = []
    const stdout = captureStdout()
    const url = await uploadHtmlReport(file, 'https://github.com/acme/shop/actions/runs/5', {
      info: (l) => lines.push(l),
      warn: (l) => lines.push(`warning: ${l}`),
    }).finally(() => stdout.restore())
    const artifact = service.artifacts.find((a) => a.name === 'perf-xi-report')!
    expect(artifact.finalized).toBe(true)
    expect(artifact.files.map((f) => f.name)).toEqual(['perf-xi-report.html'])
    expect(url).toBe(`https://github.com/acme/shop/actions/runs/5/artifacts/${artifact.id}`)
    expect(lines).toEqual(['HTML report uploaded as artifact perf-xi-report'])

    const results = ResultsFileSchema.parse(JSON.parse(readFileSync(path.join(fixtures, 'webhook-sample-results.json'), 'utf8')))
    expect(renderPrComment(results, { htmlReportUrl: url, serverUrl: 'https://github.com' })).toContain(
      `- [HTML report](${url}) (k6's web dashboard of this run, zipped)`,
    )
    expect(service.violations).toEqual([])
  })

  it('replaces the earlier attempt’s report on a re-run, and the comment links the new one', async () => {
    const io = (lines: string[]) => ({ info: (l: string) => lines.push(l), warn: (l: string) => lines.push(`warning: ${l}`) })
    const runUrl = 'https://github.com/acme/shop/actions/runs/6'
    const file = path.join(tempDir('perf-xi-html-'), 'perf-xi-report.html')
    const first = service.issueToken()
    runnerEnv.set(first.env)
    writeFileSync(file, '<!DOCTYPE html><html><body>attempt 1</body></html>')
    service.clearLog()
    const stdout = captureStdout()
    const firstLines: string[] = []
    const firstUrl = await uploadHtmlReport(file, runUrl, io(firstLines), { attempt: 1 }).finally(() => stdout.restore())
    expect(firstLines).toEqual(['HTML report uploaded as artifact perf-xi-report'])
    // The first attempt makes no extra call.
    expect(service.requests.map((r) => r.operation)).toEqual(['CreateArtifact', 'blob:put-block', 'blob:put-block-list', 'FinalizeArtifact'])

    // A job of the re-run: the same workflow run, a new job run.
    const rerun = service.issueToken({ runBackendId: first.runBackendId })
    runnerEnv.set(rerun.env)
    writeFileSync(file, '<!DOCTYPE html><html><body>attempt 2</body></html>')
    service.clearLog()
    const rerunStdout = captureStdout()
    const lines: string[] = []
    const url = await uploadHtmlReport(file, runUrl, io(lines), { attempt: 2 }).finally(() => rerunStdout.restore())

    expect(lines).toEqual(['HTML report uploaded as artifact perf-xi-report'])
    expect(service.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
      'ListArtifacts 200',
      'DeleteArtifact 200',
      'CreateArtifact 200',
      'blob:put-block 201',
      'blob:put-block-list 201',
      'FinalizeArtifact 200',
    ])
    const reports = service.artifacts.filter((a) => a.runBackendId === first.runBackendId && a.name === 'perf-xi-report')
    expect(reports.map((a) => [a.jobBackendId, a.files.map((f) => f.data.toString())])).toEqual([
      [rerun.jobBackendId, ['<!DOCTYPE html><html><body>attempt 2</body></html>']],
    ])
    expect(url).toBe(`${runUrl}/artifacts/${reports[0]!.id}`)
    expect(url).not.toBe(firstUrl)
    expect(service.violations).toEqual([])
  })

  it('is left out, with a note and the same verdict, where no Actions runtime is', async () => {
    runnerEnv.restore()
    runnerEnv = isolateRunnerEnv()
    const lines: string[] = []
    const file = path.join(tempDir('perf-xi-html-'), 'r.html')
    writeFileSync(file, '<!DOCTYPE html>')
    const stdout = captureStdout()
    const url = await uploadHtmlReport(file, null, { info: (l) => lines.push(l), warn: (l) => lines.push(`warning: ${l}`) }).finally(() => stdout.restore())
    expect(url).toBeUndefined()
    expect(lines).toEqual([expect.stringMatching(/^HTML report not uploaded: the Actions runtime token \(ACTIONS_RUNTIME_TOKEN\) is not set/)])
  })
})
