/**
 * The PR comment and the job summary as a reader sees them on GitHub: rendered as GitHub renders
 * Markdown (GFM) and Mermaid, in headless Chromium, in a comment box 780 px wide with GitHub's
 * styles, then measured in the page: no table scrolls sideways, the chart's endpoint names do not
 * overlap, and every bar stays visible beside one slow endpoint. PERF_XI_SCREENSHOT_DIR keeps the
 * screenshots (PNG); otherwise they go to a temporary folder that is removed.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { renderPrComment } from '../../src/report/comment.js'
import { renderSummaryMarkdown } from '../../src/report/summary.js'
import type { ResultsFile } from '../../src/results/schema.js'
import { findChromium, openReportBrowser, type Box, type PageLayout, type ReportBrowser } from '../support/browser.js'
import { tempDir } from '../support/temp-dirs.js'
import { renderGfm } from './gfm.js'
import { firstRun, sampleWithRegressions, twentyEndpoints } from './layout-cases.js'

const chromium = findChromium()
const INSTALL_HINT = 'install it with `bash scripts/install-load-tools.sh chromium` (Debian package chromium), or name it in PERF_XI_CHROMIUM'

const CASES: Array<{ what: string; file: string; results: () => ResultsFile; render: (r: ResultsFile) => string; bars: number }> = [
  { what: 'the comment on a first run (no baseline)', file: 'comment-first-run.png', results: firstRun, render: comment, bars: 8 },
  {
    what: 'the comment on a first run of 20 endpoints, one of them 100 times slower',
    file: 'comment-first-run-20-endpoints.png',
    results: () => twentyEndpoints({ baseline: false }),
    render: comment,
    bars: 20,
  },
  {
    what: 'the comment on a run with regressions against its baseline',
    file: 'comment-regressions.png',
    results: sampleWithRegressions,
    render: comment,
    bars: 8,
  },
  {
    what: 'the comment on 20 endpoints with regressions against their baseline, one 100 times slower',
    file: 'comment-regressions-20-endpoints.png',
    results: twentyEndpoints,
    render: comment,
    bars: 20,
  },
  {
    what: 'the job summary of 20 endpoints against their baseline',
    file: 'summary-regressions-20-endpoints.png',
    results: twentyEndpoints,
    render: (r) => renderSummaryMarkdown(r),
    bars: 20,
  },
]

function comment(results: ResultsFile): string {
  return renderPrComment(results, { artifactUrl: 'https://github.com/acme/checkout-api/actions/runs/9876543210#artifacts', serverUrl: 'https://github.com' })
}

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

if (!chromium && process.env.CI) {
  it('renders the comment in Chromium, which CI must have', () => {
    throw new Error(`no Chromium found on PATH: ${INSTALL_HINT}`)
  })
} else if (!chromium) {
  console.warn(`Skipping the comment's rendering in Chromium: no Chromium found on PATH (${INSTALL_HINT}). Under CI this fails instead.`)
  it.skip(`renders the comment in Chromium: skipped, no Chromium found on PATH (${INSTALL_HINT})`, () => {})
} else {
  describe("the comment at GitHub's width, in Chromium", () => {
    const screenshots = process.env.PERF_XI_SCREENSHOT_DIR ?? tempDir('perf-xi-screens-')
    let browser: ReportBrowser
    const layouts = new Map<string, PageLayout>()

    beforeAll(async () => {
      mkdirSync(screenshots, { recursive: true })
      browser = await openReportBrowser(chromium)
      for (const c of CASES) layouts.set(c.what, await browser.show(renderGfm(c.render(c.results())), { screenshot: path.join(screenshots, c.file) }))
    }, 120_000)
    afterAll(() => browser?.close())

    describe.each(CASES)('$what', ({ what, bars }) => {
      const layout = () => layouts.get(what)!

      it('has no table wider than the comment: nothing scrolls sideways', () => {
        const { tables, bodyScrollWidth, bodyClientWidth } = layout()
        expect(tables.length).toBeGreaterThan(0)
        for (const table of tables) {
          expect(table.columns).toBeLessThanOrEqual(7)
          expect(table.scrollWidth).toBeLessThanOrEqual(table.clientWidth)
        }
        expect(bodyScrollWidth).toBeLessThanOrEqual(bodyClientWidth)
      })

      it('draws the chart with every endpoint name readable and apart from the others, inside the comment', () => {
        const { charts, chartErrors, bodyClientWidth } = layout()
        expect(chartErrors).toEqual([])
        expect(charts).toHaveLength(1)
        const [chart] = charts
        expect(chart!.endpointLabels).toHaveLength(bars)
        expect(chart!.box.right - chart!.box.left).toBeLessThanOrEqual(bodyClientWidth)
        const labels = chart!.endpointLabels.map((l) => l.box)
        for (const [i, a] of labels.entries()) {
          expect(a.left).toBeGreaterThanOrEqual(chart!.box.left)
          for (const b of labels.slice(i + 1)) expect(overlap(a, b)).toBe(false)
        }
        for (const text of chart!.texts) expect(text.fontPx).toBeGreaterThanOrEqual(11)
      })

      it('keeps every bar visible beside the slowest endpoint', () => {
        const [chart] = layout().charts
        expect(chart!.bars).toHaveLength(bars)
        // Bars all as thick as each other lie across the chart: their width is the value drawn.
        const across = new Set(chart!.bars.map((b) => Math.round(b.bottom - b.top))).size === 1
        for (const bar of chart!.bars) {
          expect(across ? bar.right - bar.left : bar.bottom - bar.top).toBeGreaterThanOrEqual(3)
          expect(across ? bar.bottom - bar.top : bar.right - bar.left).toBeGreaterThanOrEqual(8)
        }
      })
    })
  })
}
