/**
 * Where JSON text stops being valid, as an offset and as line:column. JSON.parse's messages do not
 * always say where, and differ between Node versions; this scanner follows RFC 8259's grammar.
 */
const JSON_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y

/** The offset where JSON text stops being valid, or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const fail = (): never => {
    throw new JsonStop(i)
  }
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const string = () => {
    i++
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail()
      i += text[i] === '\\' ? 2 : 1
    }
    if (i >= text.length) fail()
    i++
  }
  const value = (): void => {
    ws()
    const c = text[i]
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++
      ws()
      if (text[i] === close) {
        i++
        return
      }
      for (;;) {
        if (c === '{') {
          ws()
          if (text[i] !== '"') fail()
          string()
          ws()
          if (text[i] !== ':') fail()
          i++
        }
        value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === close) {
          i++
          return
        } else fail()
      }
    }
    if (c === '"') return string()
    JSON_LITERAL.lastIndex = i
    const match = JSON_LITERAL.exec(text)
    if (!match) fail()
    i += match![0].length
  }
  try {
    value()
    ws()
    if (i < text.length) fail()
    return -1
  } catch (err) {
    if (err instanceof JsonStop) return err.offset
    throw err
  }
}

class JsonStop {
  constructor(readonly offset: number) {}
}

/** "line:column" (both from 1) of an offset in the text. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return `${line}:${offset - (before.lastIndexOf('\n') + 1) + 1}`
}
