import { ValidationError } from '../errors.js'
import type { TimeInput } from '../events/types.js'
import { daysInMonth } from './calendar.js'
import { assertInstant, MAX_TIME, MIN_TIME } from './instant.js'
import { assertTimezone } from './timezone.js'
import { fromWallClock, utcTime } from './wall-clock.js'

// YYYY-MM-DD, optionally THH:MM[:SS[.fraction]], optionally Z or ±HH[[:]MM].
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?)?$/

function invalid(): never {
  throw new ValidationError(
    'INVALID_TIMESTAMP',
    'start_at must be a Date, an ISO-8601 date or date-time string, or integer epoch milliseconds',
    { path: 'start_at' },
  )
}

function parseIso(text: string, timezone: string): number {
  const m = ISO.exec(text)
  if (m === null) return invalid()
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) =>
    part === undefined ? 0 : Number(part),
  ) as [number, number, number, number, number, number]
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3))
  const offsetHours = Number(m[10] ?? 0)
  const offsetMinutes = Number(m[11] ?? 0)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return invalid()
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return invalid()
  const wall = utcTime(year, month - 1, day, hour, minute, second, ms)
  if (m[8] === undefined) return fromWallClock(wall, timezone)
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000
  return wall - offset
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
