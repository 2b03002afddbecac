import { ValidationError } from '../errors.js'
import { assertInstant } from '../time/instant.js'
import { assertTimezone } from '../time/timezone.js'
import { addInterval } from './calendar.js'

/**
 * The longest trial accepted, in days: ten years.
 *
 * @example
 * trialEnd(start, MAX_TRIAL_DAYS + 1, 'UTC') // throws VALIDATION_ERROR, details.path 'trial_days'
 */
export const MAX_TRIAL_DAYS = 3650

/**
 * When a trial that starts at `start` ends: `trial_days` calendar days later in `timezone`, at the
 * same local time of day (so 23 or 25 hours may separate two days across a DST change). `0` or
 * `undefined` means no trial: `null`. `trial_days` must be an integer from 0 to
 * {@link MAX_TRIAL_DAYS}, else `ValidationError` `VALIDATION_ERROR` with `details.path` `'trial_days'`.
 *
 * @example
 * trialEnd(Date.parse('2026-03-01T00:00:00-05:00'), 14, 'America/New_York') // Date.parse('2026-03-15T00:00:00-04:00')
 * trialEnd(Date.parse('2026-03-01T00:00:00Z'), 0, 'UTC')                     // null
 */
export function trialEnd(start: number, trial_days: number | undefined, timezone: string): number | null {
  assertInstant(start, 'start')
  const zone = assertTimezone(timezone, 'timezone')
  if (trial_days === undefined || trial_days === 0) return null
  if (!Number.isInteger(trial_days) || trial_days < 0 || trial_days > MAX_TRIAL_DAYS) {
    throw new ValidationError(
      'VALIDATION_ERROR',
      `trial_days must be an integer from 0 to ${MAX_TRIAL_DAYS}`,
      {
        path: 'trial_days',
      },
    )
  }
  return addInterval(start, 'day', trial_days, zone)
}
