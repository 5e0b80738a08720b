/**
 * k6's output arrives in chunks cut anywhere; its readers get whole lines, and a line longer than
 * any k6 writes is dropped and counted instead of filling memory.
 */
import { K6PointReader, LineSplitter, type PointReaderOptions } from '../../src/k6/json-lines.js'

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

describe("reading k6's samples", () => {
  const time = '2025-01-02T03:04:05.678Z'
  const timeMs = Date.parse(time)
  // Lines as k6 v1.8 writes them with --out json.
  const definition =
    '{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}'
  const point = (metric: string, value: number, tags: string) =>
    `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":{${tags}}}}`
  const getUser =
    '"expected_response":"true","group":"","method":"GET","name":"/users/{id}","proto":"HTTP/1.1","scenario":"default","status":"200","url":"http://127.0.0.1:8080/users/7"'

  function read(lines: readonly string[], options: PointReaderOptions): { points: unknown[][]; reader: K6PointReader } {
    const points: unknown[][] = []
    const reader = new K6PointReader(options, (...args) => points.push(args))
    for (const line of lines) reader.write(Buffer.from(`${line}\n`))
    reader.end()
    return { points, reader }
  }

  it("hands over the wanted metrics' samples with value, time, method and endpoint name, and skips the rest", () => {
    const { points, reader } = read([definition, point('http_reqs', 1, getUser), point('data_sent', 512, getUser), point('http_req_duration', 12.5, getUser)], {
      metrics: new Set(['http_reqs', 'http_req_duration']),
      tags: true,
    })
    expect(points).toEqual([
      ['http_reqs', 1, timeMs, 'GET', '/users/{id}'],
      ['http_req_duration', 12.5, timeMs, 'GET', '/users/{id}'],
    ])
    expect(reader.lines).toBe(4)
    expect(reader.unreadable).toBe(0)
  })

  it('names a request without a name tag by its URL', () => {
    const { points } = read([point('http_reqs', 1, '"method":"POST","url":"http://127.0.0.1:8080/orders"')], { metrics: new Set(['http_reqs']), tags: true })
    expect(points).toEqual([['http_reqs', 1, timeMs, 'POST', 'http://127.0.0.1:8080/orders']])
  })

  it('reads a line k6 wrote with escapes or metadata the same as a plain one', () => {
    const escaped = point('http_reqs', 1, '"method":"GET","name":"/say/\\"hi\\""')
    const withMetadata = `{"metric":"http_reqs","type":"Point","data":{"time":"${time}","value":2,"tags":{"method":"GET","name":"/a"},"metadata":{"trace_id":"x"}}}`
    const { points } = read([escaped, withMetadata], { metrics: new Set(['http_reqs']), tags: true })
    expect(points).toEqual([
      ['http_reqs', 1, timeMs, 'GET', '/say/"hi"'],
      ['http_reqs', 2, timeMs, 'GET', '/a'],
    ])
  })

  it('reads the extra tags asked for, plain lines and escaped ones alike, undefined where absent', () => {
    const level = (tags: string) => point('http_reqs', 1, tags)
    const plain = level('"level":"3","method":"GET","name":"/a","status":"503"')
    const escaped = level('"level":"3","method":"GET","name":"/\\"a\\"","status":"200"')
    const untagged = level('"method":"GET","name":"/a"')
    const { points } = read([plain, escaped, untagged], { metrics: new Set(['http_reqs']), tags: true, extraTags: ['level', 'status'] })
    expect(points).toEqual([
      ['http_reqs', 1, timeMs, 'GET', '/a', undefined, ['3', '503']],
      ['http_reqs', 1, timeMs, 'GET', '/"a"', undefined, ['3', '200']],
      ['http_reqs', 1, timeMs, 'GET', '/a', undefined, [undefined, undefined]],
    ])
  })

  it('reads times only of the metrics asked for, and tags only when asked', () => {
    const lines = [point('http_reqs', 1, getUser), point('vus', 3, '')]
    expect(read(lines, { metrics: new Set(['http_reqs', 'vus']), timed: new Set(['vus']), tags: true }).points).toEqual([
      ['http_reqs', 1, Number.NaN, 'GET', '/users/{id}'],
      ['vus', 3, timeMs, '', ''],
    ])
    expect(read(lines, { metrics: new Set(['http_reqs', 'vus']) }).points).toEqual([
      ['http_reqs', 1, timeMs, '', ''],
      ['vus', 3, timeMs, '', ''],
    ])
  })

  it("counts a wanted metric's line that is not JSON, and reads on", () => {
    const { points, reader } = read(['{"metric":"http_reqs","type":"Point","data":{"time":', point('http_reqs', 1, getUser)], {
      metrics: new Set(['http_reqs']),
    })
    expect(points).toHaveLength(1)
    expect(reader.unreadable).toBe(1)
  })
})
