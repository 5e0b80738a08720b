/**
 * Snappy's block format, decoded: what k6's Prometheus remote-write output and its Grafana Cloud k6
 * metrics push compress with. The test doubles read the bodies k6 sends with it.
 */
/** A varint length, then literals and back-references. */
export function unsnappy(data: Buffer): Buffer {
  let pos = 0
  let length = 0
  for (let shift = 0; ; shift += 7) {
    const b = data[pos++]!
    length += (b & 0x7f) * 2 ** shift
    if (b < 0x80) break
  }
  const out = Buffer.alloc(length)
  let o = 0
  while (pos < data.length) {
    const tag = data[pos++]!
    const kind = tag & 3
    if (kind === 0) {
      let len = tag >> 2
      if (len >= 60) {
        const bytes = len - 59
        len = data.readUIntLE(pos, bytes)
        pos += bytes
      }
      len += 1
      data.copy(out, o, pos, pos + len)
      pos += len
      o += len
      continue
    }
    let len: number
    let offset: number
    if (kind === 1) {
      len = ((tag >> 2) & 7) + 4
      offset = ((tag >> 5) << 8) | data[pos++]!
    } else if (kind === 2) {
      len = (tag >> 2) + 1
      offset = data.readUInt16LE(pos)
      pos += 2
    } else {
      len = (tag >> 2) + 1
      offset = data.readUInt32LE(pos)
      pos += 4
    }
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset]!
  }
  return out
}
