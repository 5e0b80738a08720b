/** The UserError a promise rejects with; anything else (another error, or success) fails the test. */
import { UserError } from '../../src/errors.js'

export async function errorOf(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof UserError) return err
    throw new Error(`expected a UserError, got ${String(err)}`)
  }
  throw new Error('expected a UserError, but loading succeeded')
}
