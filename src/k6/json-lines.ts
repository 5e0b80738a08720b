/**
 * The one reader of k6's raw JSON output (`--out json=…`), which arrives in chunks of any size, cut
 * anywhere. LineSplitter hands each line over as a view of the chunk (no copy, no string) and keeps
 * nothing but the partial line at a chunk's end, so memory stays flat however long the run; a line
 * longer than any k6 writes is dropped (and counted). K6PointReader picks the samples of the wanted
 * metrics from those lines, for the streamed SLIs and the timeline alike.
 */

/** k6 never writes a line this long; a longer one is dropped rather than buffered. */
export const MAX_LINE_BYTES = 1024 * 1024

const EMPTY = Buffer.alloc(0)
const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d

/** One line: bytes start..end of buf, without its newline (nor a carriage return before it). Valid during the call only. */
export type LineHandler = (buf: Buffer, start: number, end: number) => void

export class LineSplitter {
  private rest: Buffer = EMPTY
  private skipping = false
  /** Lines read so far, dropped ones included. */
  lines = 0
  /** Lines longer than MAX_LINE_BYTES, dropped. */
  dropped = 0

  constructor(
    private readonly onLine: LineHandler,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  /** A chunk of output; lines may span chunks. The chunk is not kept after the call. */
  write(chunk: Buffer): void {
    let start = 0
    if (this.skipping) {
      // Inside a line too long to keep: drop bytes up to its end.
      const nl = chunk.indexOf(NEWLINE)
      if (nl === -1) return
      this.skipping = false
      start = nl + 1
    } else if (this.rest.length > 0) {
      // Finish the line the last chunk began: only that line is copied, never the whole chunk.
      const nl = chunk.indexOf(NEWLINE)
      if (nl === -1) {
        if (this.rest.length + chunk.length > this.maxLineBytes) this.dropLongLine()
        else this.rest = Buffer.concat([this.rest, chunk])
        return
      }
      const joined = Buffer.concat([this.rest, chunk.subarray(0, nl)])
      this.rest = EMPTY
      this.line(joined, 0, joined.length)
      start = nl + 1
    }
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.line(chunk, start, nl)
      start = nl + 1
    }
    // Copy the partial last line: holding a view would keep the whole chunk alive.
    this.rest = start < chunk.length ? Buffer.from(chunk.subarray(start)) : EMPTY
  }

  /** The end of the output: a last line without a newline is handed over. */
  end(): void {
    this.skipping = false
    if (this.rest.length === 0) return
    const last = this.rest
    this.rest = EMPTY
    this.line(last, 0, last.length)
  }

  private dropLongLine(): void {
    this.dropped++
    this.lines++
    this.skipping = true
    this.rest = EMPTY
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.lines++
    if (end > start && buf[end - 1] === CARRIAGE_RETURN) end--
    this.onLine(buf, start, end)
  }
}

const QUOTE = 0x22
const POINT_PREFIX = Buffer.from('{"metric":"', 'latin1')

/**
 * Picks k6's sample lines by metric name from the raw bytes, before any decoding: most lines of a
 * run are metrics a reader does not want, and decoding each one would cost more than the reading.
 */
export class MetricFilter {
  private readonly firstBytes: ReadonlySet<number>
  private readonly longest: number
  /** What a wanted metric's line starts with, up to its time: `{"metric":"…","type":"Point","data":{"time":"`. */
  readonly pointPrefix: ReadonlyMap<string, string>

  constructor(readonly wanted: ReadonlySet<string>) {
    this.firstBytes = new Set([...wanted].map((m) => m.charCodeAt(0)))
    this.longest = Math.max(...[...wanted].map((m) => m.length))
    this.pointPrefix = new Map([...wanted].map((m) => [m, `{"metric":"${m}","type":"Point","data":{"time":"`]))
  }

  /** The metric of a line `{"metric":"<name>",…` when it is a wanted one; undefined for any other line. */
  metricOf(buf: Buffer, start: number, end: number): string | undefined {
    // Cheap rejection on single bytes first: the `m` of "metric", its `:`, the name's first letter.
    const nameStart = start + POINT_PREFIX.length
    if (end - nameStart < 8 || buf[start + 2] !== 0x6d || buf[start + 9] !== 0x3a || !this.firstBytes.has(buf[nameStart]!)) return undefined
    const nameEnd = buf.indexOf(QUOTE, nameStart)
    if (nameEnd === -1 || nameEnd > end || nameEnd - nameStart > this.longest) return undefined
    if (buf.compare(POINT_PREFIX, 0, POINT_PREFIX.length, start, nameStart) !== 0) return undefined
    const metric = buf.toString('latin1', nameStart, nameEnd)
    return this.wanted.has(metric) ? metric : undefined
  }
}

const COMMA = 0x2c
const CLOSING_BRACE = 0x7d

/**
 * One sample: its metric and value; its time in epoch ms (NaN when not read or unreadable); with
 * `tags`, the request's method and endpoint name (the `name` tag, which k6 sets to the URL when a
 * script sets none, else the `url` tag), otherwise empty.
 */
export type PointHandler = (
  metric: string,
  value: number,
  timeMs: number,
  method: string,
  name: string,
  failure?: FailureTags,
  extra?: ReadonlyArray<string | undefined>,
) => void

/** k6's `status` ("0" when no answer came) and `error_code` tags of a failed request's sample. */
export interface FailureTags {
  status: string
  errorCode: string
}

export interface PointReaderOptions {
  /** The metrics whose Point lines are read; every other line is skipped on its first bytes. */
  metrics: ReadonlySet<string>
  /** The metrics whose sample time is read (each parse costs); default: all of `metrics`. */
  timed?: ReadonlySet<string>
  /** Also read the method and name tags. */
  tags?: boolean
  /** With `tags`: the metric whose non-zero samples (failed requests) also have their status and error_code read. */
  failureMetric?: string
  /** Also read these tags (their values reach the handler as `extra`, in this order; undefined when absent). */
  extraTags?: readonly string[]
}

/**
 * Samples from k6's JSON output, one grammar (k6 v1; each line one object):
 *   {"type":"Metric","data":{…},"metric":"<name>"}                         a metric's definition: skipped
 *   {"metric":"<name>","type":"Point","data":{"time":"<RFC 3339>","value":<n>,"tags":{…}}}   a sample
 * Lines exactly as k6 writes them are read with string searches (about twice as fast as JSON.parse);
 * anything else (escapes, metadata, another key order) goes through JSON.parse.
 */
export class K6PointReader {
  private readonly splitter = new LineSplitter((buf, start, end) => this.line(buf, start, end))
  private readonly filter: MetricFilter
  private readonly timed: ReadonlySet<string>
  private readonly tags: boolean
  private readonly failureMetric: string | undefined
  private readonly extraNames: readonly string[]
  /** `"<tag>":"` of each extra tag, searched for in a line. */
  private readonly extraKeys: readonly string[]
  private readonly noExtra: ReadonlyArray<string | undefined>
  private badLines = 0
  private lastTimeText = ''
  private lastTimeMs = Number.NaN

  constructor(
    options: PointReaderOptions,
    private readonly onPoint: PointHandler,
  ) {
    this.filter = new MetricFilter(options.metrics)
    this.timed = options.timed ?? options.metrics
    this.tags = options.tags ?? false
    this.failureMetric = options.failureMetric
    this.extraKeys = (options.extraTags ?? []).map((key) => `"${key}":"`)
    this.noExtra = this.extraKeys.map(() => undefined)
    this.extraNames = options.extraTags ?? []
  }

  /** A chunk of output; lines may span chunks. The chunk is not kept after the call. */
  write(chunk: Buffer): void {
    this.splitter.write(chunk)
  }

  /** The end of the output: a last line without a newline is read. */
  end(): void {
    this.splitter.end()
  }

  /** Lines read so far, every metric's. */
  get lines(): number {
    return this.splitter.lines
  }

  /** Lines of a wanted metric that were not JSON, and lines too long to read. */
  get unreadable(): number {
    return this.badLines + this.splitter.dropped
  }

  private line(buf: Buffer, start: number, end: number): void {
    const metric = this.filter.metricOf(buf, start, end)
    if (metric === undefined) return
    const text = buf.toString('utf8', start, end)
    if (!this.fastLine(text, metric)) this.slowLine(text, metric)
  }

  /** {"metric":"…","type":"Point","data":{"time":"…","value":N,"tags":{"k":"v",…}}} with no escape sequence and no metadata; false for anything else. */
  private fastLine(text: string, metric: string): boolean {
    const prefix = this.filter.pointPrefix.get(metric)!
    if (!text.startsWith(prefix)) return false
    const timeEnd = text.indexOf('"', prefix.length)
    if (timeEnd === -1 || !text.startsWith('","value":', timeEnd)) return false
    const valueStart = timeEnd + 10
    let valueEnd = valueStart
    while (valueEnd < text.length && text.charCodeAt(valueEnd) !== COMMA && text.charCodeAt(valueEnd) !== CLOSING_BRACE) valueEnd++
    const raw = text.slice(valueStart, valueEnd)
    const value = Number(raw)
    if (raw === '' || !Number.isFinite(value)) return false
    let method = ''
    let name = ''
    let failure: FailureTags | undefined
    let extra = this.noExtra
    if (this.tags) {
      if (!text.startsWith(',"tags":{', valueEnd) || !text.endsWith('}}}')) return false
      const tagsStart = valueEnd + 9
      if (text.includes('\\', tagsStart) || text.includes('"metadata":', tagsStart)) return false
      // Without escapes every quote is structural, so `"name":"` can only be that key.
      method = tagValue(text, '"method":"', tagsStart) ?? ''
      name = tagValue(text, '"name":"', tagsStart) || tagValue(text, '"url":"', tagsStart) || ''
      // Only failed requests pay for two more searches.
      if (value !== 0 && metric === this.failureMetric) {
        failure = { status: tagValue(text, '"status":"', tagsStart) ?? '', errorCode: tagValue(text, '"error_code":"', tagsStart) ?? '' }
      }
      if (this.extraKeys.length > 0) extra = this.extraKeys.map((key) => tagValue(text, key, tagsStart))
    }
    let timeMs = Number.NaN
    if (this.timed.has(metric)) {
      // A request's samples share one time: parse it once.
      const timeText = text.slice(prefix.length, timeEnd)
      if (timeText !== this.lastTimeText) {
        this.lastTimeText = timeText
        this.lastTimeMs = Date.parse(timeText)
      }
      if (!Number.isFinite(this.lastTimeMs)) return false
      timeMs = this.lastTimeMs
    }
    if (this.extraKeys.length > 0) this.onPoint(metric, value, timeMs, method, name, failure, extra)
    else this.onPoint(metric, value, timeMs, method, name, failure)
    return true
  }

  private slowLine(line: string, metric: string): void {
    let sample: unknown
    try {
      sample = JSON.parse(line)
    } catch {
      this.badLines++
      return
    }
    const point = sample as { type?: unknown; data?: { time?: unknown; value?: unknown; tags?: unknown } }
    if (point.type !== 'Point' || typeof point.data?.value !== 'number') return
    const timeMs = this.timed.has(metric) && typeof point.data.time === 'string' ? Date.parse(point.data.time) : Number.NaN
    const tags = this.tags ? ((point.data.tags ?? {}) as Record<string, string | undefined>) : {}
    const failure =
      this.tags && point.data.value !== 0 && metric === this.failureMetric
        ? { status: String(tags.status ?? ''), errorCode: String(tags.error_code ?? '') }
        : undefined
    const args = [metric, point.data.value, timeMs, tags.method ?? '', tags.name || tags.url || '', failure] as const
    if (this.extraNames.length > 0)
      this.onPoint(
        ...args,
        this.extraNames.map((key) => tags[key]),
      )
    else this.onPoint(...args)
  }
}

function tagValue(text: string, key: string, from: number): string | undefined {
  const at = text.indexOf(key, from)
  if (at === -1) return undefined
  const valueEnd = text.indexOf('"', at + key.length)
  return valueEnd === -1 ? undefined : text.slice(at + key.length, valueEnd)
}
