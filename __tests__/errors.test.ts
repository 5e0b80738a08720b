/**
 * What the user reads when something is thrown: one line, naming the file when a file was the problem.
 */
import { readFileSync } from 'node:fs'
import { describeError, UserError } from '../src/errors.js'

describe('describeError', () => {
  it('gives a UserError as file:line: message', () => {
    expect(describeError(new UserError('bad value', { file: 'perf-xi.yml', line: 3 }))).toBe('perf-xi.yml:3: bad value')
  })

  it('turns a file error no stage wrapped into words naming the path, not "unexpected error: ENOENT"', () => {
    const thrown = (() => {
      try {
        readFileSync('/nonexistent/perf-xi/results.json')
      } catch (err) {
        return err
      }
    })()
    expect(describeError(thrown)).toBe('cannot open /nonexistent/perf-xi/results.json: it does not exist')
  })

  it('still calls a real bug what it is, on one line', () => {
    expect(describeError(new Error('boom\n    at somewhere'))).toBe('unexpected error: boom')
  })
})
