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
