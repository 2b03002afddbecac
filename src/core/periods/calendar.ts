import { ValidationError } from '../errors.js'
import { assertInstant } from '../time/instant.js'
import { assertTimezone } from '../time/timezone.js'
import { daysInMonth, utcTime } from '../time/utc-calendar.js'
import { DAY_MS, fromWallClock, MAX_DATE_MS, zoneOffset } from '../time/wall-clock.js'
import { type Interval, isInterval } from './interval.js'

/**
 * Adds `amount` intervals to a wall-clock time (see `time/wall-clock.ts`), keeping the time of day.
 * Months and years keep the day of month, clamped to the target month's length: Jan 31 + 1 month
 * is Feb 28 (Feb 29 in leap years), Feb 29 + 1 year is Feb 28. Clamping is why callers stepping
 * through periods always add to the anchor, never to the previous result.
 *
 * @example
 * addToWallClock(Date.UTC(2026, 0, 31, 9), 'month', 1) // Date.UTC(2026, 1, 28, 9)
 * addToWallClock(Date.UTC(2026, 0, 31, 9), 'month', 2) // Date.UTC(2026, 2, 31, 9)
 */
export function addToWallClock(wall: number, interval: Interval, amount: number): number {
  if (interval === 'day') return wall + amount * DAY_MS
  if (interval === 'week') return wall + amount * 7 * DAY_MS
  const date = new Date(wall)
  const year = date.getUTCFullYear()
  const month0 = date.getUTCMonth()
  const day = date.getUTCDate()
  const timeOfDay = wall - utcTime(year, month0, day)
  const months = year * 12 + month0 + (interval === 'year' ? amount * 12 : amount)
  const targetYear = Math.floor(months / 12)
  const targetMonth0 = months - targetYear * 12
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth0))
  return utcTime(targetYear, targetMonth0, targetDay) + timeOfDay
}

/**
 * Adds `amount` (any integer) intervals to `instant` as a person in `timezone` counts them: same
 * local time of day, calendar days and months, month-end days clamped. Where that local time does
 * not exist or happens twice, the rule of `fromWallClock` applies, preferring `instant`'s own UTC
 * offset in an overlap.
 *
 * @example
 * // Lagos midnight on Jan 31 → Lagos midnight on Feb 28.
 * addInterval(Date.parse('2026-01-30T23:00:00Z'), 'month', 1, 'Africa/Lagos') // Date.parse('2026-02-27T23:00:00Z')
 * // New York midnight across the March DST change: 23 hours later.
 * addInterval(Date.parse('2026-03-08T05:00:00Z'), 'day', 1, 'America/New_York') // Date.parse('2026-03-09T04:00:00Z')
 */
export function addInterval(instant: number, interval: Interval, amount: number, timezone: string): number {
  assertInstant(instant, 'instant')
  if (!isInterval(interval)) {
    throw new ValidationError('INVALID_INTERVAL', "interval must be 'day', 'week', 'month' or 'year'", {
      path: 'interval',
    })
  }
  if (!Number.isSafeInteger(amount)) {
    throw new ValidationError('VALIDATION_ERROR', 'amount must be an integer', { path: 'amount' })
  }
  const zone = assertTimezone(timezone)
  const offset = zoneOffset(instant, zone)
  const result = fromWallClock(addToWallClock(instant + offset, interval, amount), zone, offset)
  if (!(Math.abs(result) <= MAX_DATE_MS)) {
    throw new ValidationError(
      'VALIDATION_ERROR',
      'amount takes the result beyond the dates JavaScript can hold',
      {
        path: 'amount',
      },
    )
  }
  return result
}
