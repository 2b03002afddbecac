import { describe, expect, it } from 'vitest'
import { codeAndPath } from '../../../test/support/code-and-path.js'
import { assertTimezone } from './timezone.js'

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
