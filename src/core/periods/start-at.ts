import { ValidationError } from '../errors.js'
import { assertInstant, MAX_TIME, MIN_TIME } from '../time/instant.js'
import { readIsoTime } from '../time/iso-time.js'
import type { TimeInput } from '../time/time-input.js'
import { assertTimezone } from '../time/timezone.js'
import { fromWallClock } from '../time/wall-clock.js'

function invalid(): never {
  throw new ValidationError(
    'INVALID_TIMESTAMP',
    'start_at must be a Date, an ISO-8601 date or date-time string, or integer epoch milliseconds',
    { path: 'start_at' },
  )
}

function parseIso(text: string, timezone: string): number {
  const time = readIsoTime(text)
  if (time === undefined) return invalid()
  return time.offsetMs === null ? fromWallClock(time.wall, timezone) : time.wall - time.offsetMs
}

/**
 * Turns a subscription's `start_at` into epoch ms:
 * - `undefined` → `now` (from the injected clock);
 * - a `Date` or integer epoch ms → that instant;
 * - a date-time with `Z` or an offset (`2026-01-01T09:00:00+01:00`) → that instant; fractions of a
 *   millisecond are dropped;
 * - a date (`2026-01-01`) → midnight of that day in `timezone`, the customer's zone;
 * - a date-time without a zone (`2026-01-01T09:00`) → that local time in `timezone` too. A local
 *   time skipped by a DST change moves forward by the gap; one that happens twice is the first.
 *
 * Anything else, including impossible dates (`2026-02-30`) and instants outside 1900–9999, throws
 * `ValidationError` `INVALID_TIMESTAMP` with `details.path` `'start_at'`; an unknown `timezone`
 * throws `INVALID_TIMEZONE` with `details.path` `'timezone'`.
 *
 * @example
 * resolveStartAt('2026-01-01', 'Africa/Lagos', now)           // Date.parse('2025-12-31T23:00:00Z')
 * resolveStartAt('2026-01-01T00:00:00Z', 'Africa/Lagos', now) // Date.parse('2026-01-01T00:00:00Z')
 * resolveStartAt(undefined, 'UTC', now)                       // now
 */
export function resolveStartAt(input: TimeInput | undefined, timezone: string, now: number): number {
  const zone = assertTimezone(timezone, 'timezone')
  if (input === undefined) return assertInstant(now, 'now')
  let ms: number
  if (input instanceof Date) ms = input.getTime()
  else if (typeof input === 'number') ms = input
  else if (typeof input === 'string') ms = parseIso(input, zone)
  else return invalid()
  return Number.isInteger(ms) && ms >= MIN_TIME && ms <= MAX_TIME ? ms : invalid()
}
