import { describe, expect, it } from 'vitest'
import { type BillingError, ValidationError } from '../errors.js'
import { assertTimezone } from './timezone.js'

function codeAndPath(run: () => unknown): [string, unknown] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return [(error as BillingError).code, (error as BillingError).details.path]
  }
  throw new Error('expected a ValidationError')
}

describe('assertTimezone', () => {
  it('returns the canonical name, and UTC when none is given', () => {
    expect(assertTimezone('Africa/Lagos')).toBe('Africa/Lagos')
    expect(assertTimezone('africa/lagos')).toBe('Africa/Lagos')
    expect(assertTimezone(undefined)).toBe('UTC')
  })

  it.each([['Mars/Olympus'], [''], [42], [null]])(
    'rejects %j with INVALID_TIMEZONE at the given path',
    (tz) => {
      expect(codeAndPath(() => assertTimezone(tz, 'customer.timezone'))).toEqual([
        'INVALID_TIMEZONE',
        'customer.timezone',
      ])
    },
  )
})
