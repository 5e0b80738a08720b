/**
 * k6's output arrives in chunks cut anywhere; its readers get whole lines, and a line longer than
 * any k6 writes is dropped and counted instead of filling memory.
 */
import { LineSplitter } from '../../src/k6/json-lines.js'

function split(chunks: readonly string[], maxLineBytes?: number): { lines: string[]; splitter: LineSplitter } {
  const lines: string[] = []
  const splitter = new LineSplitter((buf, start, end) => lines.push(buf.toString('utf8', start, end)), maxLineBytes)
  for (const chunk of chunks) splitter.write(Buffer.from(chunk))
  splitter.end()
  return { lines, splitter }
}

describe('splitting k6 output into lines', () => {
  it('joins a line cut across chunks, and hands over the last line without a newline at the end', () => {
    const { lines, splitter } = split(['{"a"', ':1}\n{"b":2}\n{"c', '":3}'])
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}'])
    expect(splitter.lines).toBe(3)
  })

  it('drops the carriage return of CRLF line ends, keeps empty lines for the reader to skip', () => {
    expect(split(['x\r\n\r\ny\n']).lines).toEqual(['x', '', 'y'])
  })

  it('drops a line longer than the limit, counts it, and reads on after it', () => {
    const { lines, splitter } = split(['ok\n', 'x'.repeat(10), 'x'.repeat(10), 'x'.repeat(10), '\nafter\n'], 16)
    expect(lines).toEqual(['ok', 'after'])
    expect(splitter.dropped).toBe(1)
    expect(splitter.lines).toBe(3)
  })

  it('is the same line by line whatever the chunking, multi-byte characters included', () => {
    const text = '{"name":"GET /café"}\n{"name":"POST /größe"}\n'
    const whole = split([text]).lines
    const bytes = Buffer.from(text)
    const lines: string[] = []
    const splitter = new LineSplitter((buf, start, end) => lines.push(buf.toString('utf8', start, end)))
    for (let i = 0; i < bytes.length; i++) splitter.write(bytes.subarray(i, i + 1))
    splitter.end()
    expect(lines).toEqual(whole)
    expect(whole).toEqual(['{"name":"GET /café"}', '{"name":"POST /größe"}'])
  })
})
