/**
 * For tests that look at a report as a reader does on GitHub: Markdown rendered to HTML (GFM),
 * shown in headless Chromium inside a comment box of GitHub's width with GitHub's Markdown styles,
 * ```mermaid blocks drawn by Mermaid as GitHub draws them, then measured through the page's DOM.
 * Chromium is the system's (Debian's `chromium`, installed by scripts/install-load-tools.sh),
 * driven by puppeteer-core, which downloads no browser of its own.
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import puppeteer, { type Browser } from 'puppeteer-core'

/** A pull-request comment box on github.com; its Markdown body sits inside 16 px of padding. */
export const COMMENT_WIDTH_PX = 780
const COMMENT_PADDING_PX = 16

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']

/** PERF_XI_CHROMIUM, else the first Chromium on PATH; undefined when there is none. */
export function findChromium(): string | undefined {
  if (process.env.PERF_XI_CHROMIUM) return process.env.PERF_XI_CHROMIUM
  for (const name of CHROMIUM_NAMES) {
    try {
      return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' }).trim() || undefined
    } catch {
      // not this one
    }
  }
  return undefined
}

export interface Box {
  left: number
  top: number
  right: number
  bottom: number
}

export interface TableLayout {
  columns: number
  /** The table's content width and the width GitHub gives it (a wider table scrolls sideways). */
  scrollWidth: number
  clientWidth: number
}

export interface ChartLayout {
  /** The chart as drawn, in page pixels. */
  box: Box
  /** Every text in the chart (title, axis titles, tick labels), with its box and font size. */
  texts: Array<{ text: string; box: Box; fontPx: number }>
  /** The tick labels that name the endpoints (the band axis). */
  endpointLabels: Array<{ text: string; box: Box }>
  /** Each bar's box; its length is the value drawn. */
  bars: Box[]
}

export interface PageLayout {
  /** The Markdown body's content width and how wide its content is (wider means something sticks out). */
  bodyClientWidth: number
  bodyScrollWidth: number
  tables: TableLayout[]
  charts: ChartLayout[]
  /** Mermaid's own error text, when a chart failed to parse. */
  chartErrors: string[]
}

export interface ReportBrowser {
  /** Shows `html` (rendered GFM) as a comment; saves a screenshot of it when `screenshot` names a PNG file. */
  show(html: string, opts?: { screenshot?: string }): Promise<PageLayout>
  close(): Promise<void>
}

const require = createRequire(import.meta.url)
const MERMAID_BUNDLE = require.resolve('mermaid/dist/mermaid.min.js')

export async function openReportBrowser(executablePath: string): Promise<ReportBrowser> {
  const browser: Browser = await puppeteer.launch({
    executablePath,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox; the page is our own HTML.
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  })
  return {
    async show(html, opts = {}) {
      const page = await browser.newPage()
      try {
        await page.setViewport({ width: COMMENT_WIDTH_PX + 2 * 24, height: 900, deviceScaleFactor: 1 })
        await page.setContent(pageHtml(html), { waitUntil: 'load' })
        await page.addScriptTag({ path: MERMAID_BUNDLE })
        await page.addScriptTag({ content: PAGE_SCRIPT })
        const chartErrors = (await page.evaluate('perfXiDraw()')) as string[]
        const layout = (await page.evaluate('perfXiMeasure()')) as Omit<PageLayout, 'chartErrors'>
        if (opts.screenshot) await page.screenshot({ path: opts.screenshot as `${string}.png`, fullPage: true })
        return { ...layout, chartErrors }
      } finally {
        await page.close()
      }
    },
    close: () => browser.close(),
  }
}

function pageHtml(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>${GITHUB_CSS}</style></head>
<body><div class="comment"><div class="markdown-body">${body}</div></div></body></html>`
}

/**
 * GitHub's Markdown styles for what a report uses (from github-markdown-css, light theme), at the
 * 14 px a comment is set in. Tables are blocks as wide as their content up to 100 %, scrolling
 * sideways beyond: that scroll is what the layout checks look for.
 */
const GITHUB_CSS = `
body { margin: 24px; background: #fff; }
.comment { width: ${COMMENT_WIDTH_PX}px; box-sizing: border-box; padding: ${COMMENT_PADDING_PX}px; border: 1px solid #d1d9e0; border-radius: 6px; }
.markdown-body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  font-size: 14px; line-height: 1.5; color: #1f2328; word-wrap: break-word; }
.markdown-body > *:first-child { margin-top: 0 !important; }
.markdown-body h2 { margin-top: 24px; margin-bottom: 16px; font-weight: 600; line-height: 1.25; padding-bottom: .3em; font-size: 1.5em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body pre, .markdown-body details { margin-top: 0; margin-bottom: 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body code { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces; background-color: #818b981f; border-radius: 6px;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body sub { font-size: 75%; line-height: 0; position: relative; vertical-align: baseline; bottom: -0.25em; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; font-variant: tabular-nums; }
.markdown-body table th { font-weight: 600; }
.markdown-body table th, .markdown-body table td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body table tr { background-color: #fff; border-top: 1px solid #d1d9e0b3; }
.markdown-body table tr:nth-child(2n) { background-color: #f6f8fa; }
.markdown-body details summary { cursor: pointer; display: list-item; }
.markdown-body .mermaid-chart { margin-bottom: 16px; }
`

/**
 * Runs in the page (plain JavaScript, so no compiler helper leaks into it): `perfXiDraw()` replaces
 * each ```mermaid block by its drawing, as GitHub does, and returns Mermaid's errors;
 * `perfXiMeasure()` returns the widths that tell whether anything scrolls sideways, and where each
 * chart's texts and bars are.
 */
/** Mermaid's xychart: the tick labels of the axis that names the endpoints, and the bars. */
const AXIS_LABELS = '.left-axis .label text, .bottom-axis .label text'
const BARS = '.bar-plot-0 rect'

const PAGE_SCRIPT = String.raw`
window.perfXiDraw = async function () {
  // Open every <details>, so folded charts and tables are drawn and measured too.
  for (const details of document.querySelectorAll('details')) details.open = true
  const blocks = Array.from(document.querySelectorAll('pre > code.language-mermaid'))
  for (const code of blocks) {
    const box = document.createElement('div')
    box.className = 'mermaid-chart'
    const pre = document.createElement('pre')
    pre.className = 'mermaid'
    pre.textContent = code.textContent
    box.appendChild(pre)
    code.parentElement.replaceWith(box)
  }
  if (blocks.length === 0) return []
  window.mermaid.initialize({ startOnLoad: false, theme: 'default', securityLevel: 'strict' })
  const errors = []
  try {
    await window.mermaid.run({ querySelector: 'pre.mermaid', suppressErrors: false })
  } catch (err) {
    errors.push(String(err && err.message ? err.message : err))
  }
  for (const pre of document.querySelectorAll('pre.mermaid')) if (!pre.querySelector('svg')) errors.push('not drawn: ' + pre.textContent)
  return errors
}

window.perfXiMeasure = function () {
  const boxOf = (el) => {
    const r = el.getBoundingClientRect()
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }
  }
  const body = document.querySelector('.markdown-body')
  const tables = Array.from(body.querySelectorAll('table')).map((t) => ({
    columns: t.querySelector('tr') ? t.querySelector('tr').children.length : 0,
    scrollWidth: t.scrollWidth,
    clientWidth: t.clientWidth,
  }))
  const charts = Array.from(body.querySelectorAll('pre.mermaid svg')).map((svg) => {
    const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal.width || svg.getBoundingClientRect().width)
    const texts = Array.from(svg.querySelectorAll('text')).map((t) => ({ text: t.textContent, box: boxOf(t), fontPx: parseFloat(getComputedStyle(t).fontSize) * scale }))
    // The axis that names the endpoints: its tick labels are not numbers.
    const bandLabels = Array.from(svg.querySelectorAll('${AXIS_LABELS}')).filter((t) => !/^-?[\d.,]+$/.test(t.textContent.trim())).map((t) => ({ text: t.textContent, box: boxOf(t) }))
    const bars = Array.from(svg.querySelectorAll('${BARS}')).map(boxOf)
    return { box: boxOf(svg), texts, endpointLabels: bandLabels, bars }
  })
  return { bodyClientWidth: body.clientWidth, bodyScrollWidth: body.scrollWidth, tables, charts }
}
`
