/** Webhook URLs as shown: tokens in them never appear. */
import { redactUrl } from '../../src/webhook/url.js'

// --- pure helpers ----------------------------------------------------------------------------

describe('redactUrl', () => {
  it.each([
    {
      what: 'a plain URL is unchanged',
      url: 'https://insights360.example.com/api/v1/webhooks/perf-xi',
      expected: 'https://insights360.example.com/api/v1/webhooks/perf-xi',
    },
    { what: 'credentials', url: 'https://user:p%40ss@hooks.example.com/in', expected: 'https://***:***@hooks.example.com/in' },
    {
      what: 'query values, names kept',
      url: 'https://hooks.example.com/in?token=abc123&team=perf',
      expected: 'https://hooks.example.com/in?token=***&team=***',
    },
    { what: 'the fragment', url: 'https://hooks.example.com/in#sig=abc', expected: 'https://hooks.example.com/in#***' },
    {
      what: 'token-like path segments (Slack style)',
      url: 'https://hooks.slack.com/services/T0000AAAA/B0000BBBB/XXXXxxxxXXXX1234abcdWXYZ',
      expected: 'https://hooks.slack.com/services/T0000AAAA/B0000BBBB/***',
    },
    { what: 'an unparsable URL is not echoed', url: 'https://user:pw@:::bad', expected: '<invalid URL>' },
  ])('hides $what', ({ url, expected }) => {
    expect(redactUrl(url)).toBe(expected)
  })
})
