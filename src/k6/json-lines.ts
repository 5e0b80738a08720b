/**
 * k6's raw JSON output (`--out json=…`) arrives in chunks of any size, cut anywhere; its readers
 * want whole lines. LineSplitter hands each line over as a view of the chunk (no copy, no string)
 * and keeps nothing but the partial line at a chunk's end, so memory stays flat however long the
 * run. A line longer than any k6 writes is dropped (and counted) rather than buffered without bound.
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
