/**
 * How a webhook URL is shown. Webhook URLs often carry tokens, so every URL that is shown goes
 * through `redactUrl` first; whether one can be used is src/webhook-url.ts (a leaf config reads).
 */

const TOKEN_LIKE_SEGMENT = /^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9._~-]{16,}$/

/**
 * The URL as it may appear in a log: user and password, every query value and the fragment
 * become "***", and so does any path segment that looks like a token (16+ characters mixing
 * letters and digits, as in Slack- or Discord-style hook URLs). An unparsable URL is not echoed.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL
  try {
    parsed = new URL(url.toString())
  } catch {
    return '<invalid URL>'
  }
  if (parsed.username) parsed.username = '***'
  if (parsed.password) parsed.password = '***'
  parsed.pathname = parsed.pathname
    .split('/')
    .map((segment) => (TOKEN_LIKE_SEGMENT.test(decodeSafe(segment)) ? '***' : segment))
    .join('/')
  const query = [...parsed.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=***`).join('&')
  const hash = parsed.hash ? '#***' : ''
  parsed.search = ''
  parsed.hash = ''
  return `${parsed.toString()}${query ? `?${query}` : ''}${hash}`
}

export function decodeSafe(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
