/**
 * The one check base-url and a spec's URLs share: a user name or password in a URL is found in
 * every form a URL parser accepts, templates included, and shown as `***`.
 */
import { hasUrlCredentials, withoutUrlCredentials } from '../src/url-credentials.js'

describe('credentials in a URL', () => {
  it.each([
    ['user and password', 'https://deploy:hunter2@api.example.com/v1', 'https://***@api.example.com/v1'],
    ['a user name only (a token as user)', 'http://ghp_abc123@api.example.com', 'http://***@api.example.com'],
    ['a template the URL parser rejects', 'https://{user}:{password}@{host}/v1', 'https://***@{host}/v1'],
    ['a scheme-relative URL', '//me:pw@api.example.com', '//***@api.example.com'],
    ['a special scheme without slashes', 'https:me:pw@api.example.com/v1', 'https://***@api.example.com/v1'],
    ['an @ in the password', 'https://me:p@ss@api.example.com', 'https://***@api.example.com'],
  ])('are found: %s', (_what, url, shown) => {
    expect(hasUrlCredentials(url)).toBe(true)
    expect(withoutUrlCredentials(url)).toBe(shown)
  })

  it.each([
    ['a plain URL', 'https://api.example.com/v1'],
    ['an @ in the path', 'https://api.example.com/users/@me'],
    ['an @ in the query', 'https://api.example.com/search?q=a@b'],
    ['a relative URL', '/v1/users/@me'],
    ['not a URL', 'api.example.com'],
  ])('are not seen where there are none: %s', (_what, url) => {
    expect(hasUrlCredentials(url)).toBe(false)
    expect(withoutUrlCredentials(url)).toBe(url)
  })
})
