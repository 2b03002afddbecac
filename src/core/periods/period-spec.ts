import { ValidationError } from '../errors.js'
import { assertInstant } from '../time/instant.js'
import { assertTimezone } from '../time/timezone.js'
import { type Interval, isInterval } from './interval.js'

/**
 * The largest `interval_count` accepted: a year of days.
 *
 * @example
 * periodAt({ ...spec, interval: 'day', interval_count: MAX_INTERVAL_COUNT }, 0) // one 365-day period
 */
export const MAX_INTERVAL_COUNT = 365

/**
 * How a subscription's periods fall: period `k` is
 * `[anchor + k·interval_count intervals, anchor + (k+1)·interval_count intervals)` counted in
 * `timezone`'s calendar.
 *
 * @example
 * const quarterly: PeriodSpec = {
 *   anchor: Date.parse('2026-01-01T00:00:00+01:00'), interval: 'month', interval_count: 3, timezone: 'Africa/Lagos',
 * }
 */
export interface PeriodSpec {
  /** Start of period 0, epoch ms: `start_at`, or the trial end when there is a trial. */
  anchor: number
  interval: Interval
  /** Whole intervals per period, 1–365. */
  interval_count: number
  /** IANA zone whose calendar the periods follow. */
  timezone: string
}

/**
 * One billing period: half-open `[start, end)` in epoch ms; `index` 0 starts at the anchor.
 *
 * @example
 * const first: Period = { index: 0, start: Date.UTC(2026, 0, 31), end: Date.UTC(2026, 1, 28) }
 */
export interface Period {
  index: number
  start: number
  end: number
}

/**
 * Checks a {@link PeriodSpec} and returns a copy with the canonical zone name. Throws
 * `ValidationError`: `INVALID_TIMESTAMP` (anchor), `INVALID_INTERVAL` (interval, interval_count),
 * `INVALID_TIMEZONE` (timezone), each with `details.path` naming the field.
 *
 * @example
 * validatePeriodSpec({ anchor: 0, interval: 'month', interval_count: 0, timezone: 'UTC' })
 * // throws INVALID_INTERVAL, details.path 'interval_count'
 */
export function validatePeriodSpec(spec: PeriodSpec): PeriodSpec {
  if (typeof spec !== 'object' || spec === null) {
    throw new ValidationError('VALIDATION_ERROR', 'period spec must be an object', { path: '' })
  }
  const anchor = assertInstant(spec.anchor, 'anchor')
  if (!isInterval(spec.interval)) {
    throw new ValidationError('INVALID_INTERVAL', "interval must be 'day', 'week', 'month' or 'year'", {
      path: 'interval',
    })
  }
  const count = spec.interval_count
  if (!Number.isInteger(count) || count < 1 || count > MAX_INTERVAL_COUNT) {
    throw new ValidationError(
      'INVALID_INTERVAL',
      `interval_count must be an integer from 1 to ${MAX_INTERVAL_COUNT}`,
      {
        path: 'interval_count',
      },
    )
  }
  const timezone = assertTimezone(spec.timezone, 'timezone')
  return { anchor, interval: spec.interval, interval_count: count, timezone }
}
