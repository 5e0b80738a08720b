/**
 * User names and passwords written into URLs (`https://user:pass@host`): the one check the
 * config's base-url and every URL a spec declares share, and the form such a URL is shown in.
 * URLs with such credentials are refused, since each one ends up in scripts, results and logs.
 */

/** `scheme://…@` or `//…@`: an authority with user info, also where the URL does not parse (templates). */
const AUTHORITY_WITH_USER_INFO = /^(?:[a-z][a-z0-9+.-]*:)?[/\\]{2}[^/\\?#]*@/i

/** Whether the URL carries a user name or password. */
export function hasUrlCredentials(value: string): boolean {
  const text = value.trim()
  if (AUTHORITY_WITH_USER_INFO.test(text)) return true
  try {
    // WHATWG parsing also finds them where the regex cannot, e.g. `https:user:pass@host`.
    const url = new URL(text)
    return url.username !== '' || url.password !== ''
  } catch {
    return false
  }
}

/** The URL with any user name and password replaced by `***`, so a message can show where it points. */
export function withoutUrlCredentials(value: string): string {
  const text = value.trim()
  if (!hasUrlCredentials(text)) return text
  const match = AUTHORITY_WITH_USER_INFO.exec(text)
  if (match) return `${match[0].replace(/[/\\]{2}[^/\\?#]*@$/, '//***@')}${text.slice(match[0].length)}`
  try {
    const url = new URL(text)
    url.username = '***'
    url.password = ''
    return url.href
  } catch {
    return '(a URL with a user name or password)'
  }
}
