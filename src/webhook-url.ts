/** Whether a webhook URL can be used: checked with the config, before any run, and again at delivery. A leaf. */

/** Why a webhook URL cannot be used, or null when it can. The URL itself is never quoted (it may hold tokens). */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'webhook URL is not a valid absolute URL'
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `webhook URL must be http:// or https://, not ${parsed.protocol}//`
  return null
}
