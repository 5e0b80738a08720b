/**
 * Text Perf-Xi did not write (a spec, a config, a results file a fork may have written) made safe
 * for where it lands: Markdown inline text, inline code or a link (GitHub renders GFM plus HTML,
 * links mentions and bare URLs), or one plain line for the log and annotations. And a Markdown
 * document cut to a size limit. A leaf: it imports nothing, so every layer may use it.
 */

/** Characters that would start a new line, move the cursor or reorder text: shown as escapes. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
/** Markdown punctuation that could open markup inline: backslash-escaped. */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]#~|!$]/g
/** Invisible, but breaks a mention (`@org/team`), an email, an issue reference and GFM's autolinks. */
const WORD_BREAK = '\u200d'

function visible(ch: string): string {
  if (ch === '\n') return '\\n'
  if (ch === '\r') return '\\r'
  if (ch === '\t') return '\\t'
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/** Newlines, tabs and other control characters as visible escapes (`\n`, `\u001b`), so text stays on one line. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, visible)
}

/** Mentions, issue references, emails and URLs GitHub would link, broken by an invisible joiner. */
function defuseLinks(text: string): string {
  return text
    .replace(/@/g, `@${WORD_BREAK}`)
    .replace(/#(?=\d)/g, `#${WORD_BREAK}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${WORD_BREAK}`)
    .replace(/(www)\./gi, `$1${WORD_BREAK}.`)
    .replace(/:\/\//g, `${WORD_BREAK}://`)
}

/**
 * Inline Markdown text (a table cell, a list item, a heading, link text): shows exactly `text`,
 * on one line, with no markup, HTML, mention or link of its own. HTML's `<`, `>` and `&` become
 * entities, which GitHub shows as text even inside HTML; block markers that only count at the
 * start of a line (`- `, `1. `, indentation) are escaped there.
 */
export function mdText(text: string): string {
  const escaped = defuseLinks(text)
    .replace(MARKDOWN_PUNCTUATION, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^( +)/, (spaces) => '&#32;'.repeat(spaces.length))
    .replace(/^([-+=])(?=[\s\-+=]|$)/, '\\$1')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
  return oneLine(escaped)
}

/**
 * Inline code: shows `text` literally (no mention, link or HTML is live inside code), on one line.
 * In a table cell GitHub splits at every `|`, even inside code, so there it is escaped.
 */
export function mdCode(text: string, where: 'inline' | 'table' = 'inline'): string {
  let content = oneLine(text)
  if (where === 'table') content = content.replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  // The renderer strips one space either side when both are there: padding keeps a backtick or a
  // space at either end part of the code.
  const pad = content === '' || /^[ `]|[ `]$/.test(content) ? ' ' : ''
  return `${fence}${pad}${content}${pad}${fence}`
}

/**
 * The URL as a link target when it points into the GitHub server this run belongs to (the same
 * origin as GITHUB_SERVER_URL, no credentials, no whitespace), else undefined. Characters that would end a
 * Markdown link destination are percent-encoded.
 */
export function trustedLinkTarget(url: string | null | undefined, serverUrl: string | undefined): string | undefined {
  // The URL parser drops tabs and newlines silently: a URL carrying any is not one Perf-Xi wrote.
  if (!url || !serverUrl || /[\s\u0000-\u001f\u007f]/.test(url)) return undefined
  let target: URL
  let server: URL
  try {
    target = new URL(url)
    server = new URL(serverUrl)
  } catch {
    return undefined
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return undefined
  if (target.origin !== server.origin || target.username !== '' || target.password !== '') return undefined
  return target.href.replace(/[()<>\\\s"'`|]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
}

/** `[label](url)` when the URL is on the run's own GitHub server; otherwise the label and the URL as code, not linked. */
export function mdLink(label: string, url: string, serverUrl: string | undefined): string {
  const target = trustedLinkTarget(url, serverUrl)
  return target ? `[${mdText(label)}](${target})` : `${mdText(label)}: ${mdCode(url)}`
}

/**
 * One line of plain text for the log, the console and annotations: control characters (ANSI
 * escapes, newlines) visible, and no leading `::`, which the runner would take as a workflow command.
 */
export function plainText(text: string): string {
  return oneLine(text).replace(/^(\s*):(?=:)/, `$1:${WORD_BREAK}`)
}

// ---------------------------------------------------------------------------------------------
// Size limits

export interface FitOptions {
  /** The most the result may measure, in the unit of `size`. */
  limit: number
  /** Size of a piece of text; additive over concatenation. Default: UTF-16 code units (`length`). */
  size?: (text: string) => number
  /** The closing note: how many lines were left out, and whether the last kept line was cut. */
  note: (linesLeftOut: number, lineCut: boolean) => string
}

/** Size in UTF-8 bytes: what GitHub counts for a job summary. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

/**
 * Fits a Markdown document into `limit`. One that fits is returned unchanged. Otherwise it keeps
 * whole lines from the head (the verdict first), closes code fences and `<details>` blocks left
 * open, and ends with `note`. Only a first line too long on its own is cut inside, never between
 * the halves of a surrogate pair.
 */
export function fitMarkdown(markdown: string, { limit, size = (t) => t.length, note }: FitOptions): string {
  if (size(markdown) <= limit) return markdown
  const lines = markdown.split('\n')
  const smallest = size(note(lines.length, false))
  if (smallest > limit) throw new RangeError(`a limit of ${limit} cannot hold the note saying what was left out (${smallest})`)

  const blocks = new OpenBlocks()
  let used = 0
  let best: { kept: number; closers: string } | undefined
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k] as string
    used += (k > 0 ? 1 : 0) + size(line)
    if (used > limit) break
    blocks.see(line)
    const closers = blocks.closers()
    if (used + size(closers) + size(note(lines.length - k - 1, false)) <= limit) best = { kept: k + 1, closers }
  }
  if (best !== undefined) return lines.slice(0, best.kept).join('\n') + best.closers + note(lines.length - best.kept, false)

  // Not even the first line fits: cut inside it, by whole code points.
  const tail = `…${note(lines.length - 1, true)}`
  let room = limit - size(tail)
  let kept = ''
  for (const codePoint of lines[0] as string) {
    room -= size(codePoint)
    if (room < 0) break
    kept += codePoint
  }
  return kept + tail
}

/** Tracks Markdown code fences and HTML `<details>` blocks left open by a cut. */
class OpenBlocks {
  private fence: string | undefined
  private details = 0

  see(line: string): void {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (this.fence !== undefined) {
      const closing = fence?.[1]
      if (closing !== undefined && closing[0] === this.fence[0] && closing.length >= this.fence.length && line.trim() === closing) this.fence = undefined
      return
    }
    if (fence) {
      this.fence = fence[1]
      return
    }
    this.details += (line.match(/<details\b/gi) ?? []).length
    this.details = Math.max(0, this.details - (line.match(/<\/details\s*>/gi) ?? []).length)
  }

  closers(): string {
    return (this.fence !== undefined ? `\n${this.fence}` : '') + '\n\n</details>'.repeat(this.details)
  }
}
