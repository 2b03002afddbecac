import { ValidationError } from '../errors.js'

/**
 * The earliest instant period arithmetic accepts: 1900-01-01T00:00:00.000Z.
 *
 * @example
 * assertInstant(MIN_TIME - 1, 'anchor') // throws INVALID_TIMESTAMP
 */
export const MIN_TIME = -2_208_988_800_000

/**
 * The latest instant period arithmetic accepts: 9999-12-31T23:59:59.999Z.
 *
 * @example
 * new Date(MAX_TIME).toISOString() // '9999-12-31T23:59:59.999Z'
 */
export const MAX_TIME = 253_402_300_799_999

/**
 * Checks that `value` is integer epoch milliseconds between {@link MIN_TIME} and {@link MAX_TIME}
 * and returns it; otherwise throws `ValidationError` `INVALID_TIMESTAMP` naming `path`. The bounds
 * keep every year four-digit and positive, which the zone lookups rely on.
 *
 * @example
 * assertInstant(1767225600000, 'anchor') // 1767225600000
 * assertInstant(Number.NaN, 'anchor')    // throws INVALID_TIMESTAMP, details.path 'anchor'
 */
export function assertInstant(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_TIME && value <= MAX_TIME) {
    return value
  }
  throw new ValidationError(
    'INVALID_TIMESTAMP',
    `${path} must be integer epoch milliseconds between 1900 and 9999`,
    { path },
  )
}
