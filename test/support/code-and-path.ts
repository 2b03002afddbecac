import { expect } from 'vitest'
import { type BillingError, ValidationError } from '../../src/core/errors.js'

/**
 * Runs `run`, which must throw a `ValidationError`, and answers its code and offending field.
 *
 * @example
 * expect(codeAndPath(() => assertTimezone('Mars/Base'))).toEqual(['INVALID_TIMEZONE', 'timezone'])
 */
export function codeAndPath(run: () => unknown): [string, unknown] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return [(error as BillingError).code, (error as BillingError).details.path]
  }
  throw new Error('expected a ValidationError')
}
