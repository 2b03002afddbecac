import { ValidationError } from '../errors.js'

/**
 * The zone used when a customer has none.
 *
 * @example
 * assertTimezone(undefined) === DEFAULT_TIMEZONE // true
 */
export const DEFAULT_TIMEZONE = 'UTC'

// Validating builds an Intl.DateTimeFormat, which is slow; names are few, so remember them.
const canonical = new Map<string, string>()

/**
 * Checks that `timezone` is an IANA time zone name the runtime knows and returns its canonical
 * spelling (`'africa/lagos'` → `'Africa/Lagos'`); `undefined` means {@link DEFAULT_TIMEZONE}.
 * Anything else throws `ValidationError` `INVALID_TIMEZONE` with `details.path` = `path`.
 *
 * @example
 * assertTimezone('Africa/Lagos')         // 'Africa/Lagos'
 * assertTimezone(undefined)              // 'UTC'
 * assertTimezone('Mars/Olympus', 'customer.timezone') // throws INVALID_TIMEZONE
 */
export function assertTimezone(timezone: unknown, path = 'timezone'): string {
  if (timezone === undefined) return DEFAULT_TIMEZONE
  if (typeof timezone === 'string' && timezone !== '') {
    const known = canonical.get(timezone)
    if (known !== undefined) return known
    try {
      const resolved = new Intl.DateTimeFormat(undefined, { timeZone: timezone }).resolvedOptions().timeZone
      canonical.set(timezone, resolved)
      return resolved
    } catch {
      // RangeError: unknown zone; reported below.
    }
  }
  throw new ValidationError(
    'INVALID_TIMEZONE',
    `${path} must be an IANA time zone name such as 'Africa/Lagos'`,
    {
      path,
    },
  )
}
