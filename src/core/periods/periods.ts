import { ValidationError } from '../errors.js'
import { assertInstant } from '../time/instant.js'
import { DAY_MS, fromWallClock, MAX_DATE_MS, zoneOffset } from '../time/wall-clock.js'
import { addToWallClock } from './calendar.js'
import type { Interval } from './interval.js'
import { type Period, type PeriodSpec, validatePeriodSpec } from './period-spec.js'

/**
 * How many periods {@link periodsBetween} returns unless told otherwise.
 *
 * @example
 * periodsBetween(spec, from, to).length <= DEFAULT_PERIODS_LIMIT // true
 */
export const DEFAULT_PERIODS_LIMIT = 1000

// Mean lengths in the Gregorian calendar: good enough to guess an index within one or two.
const MEAN_MS: Record<Interval, number> = {
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30.436875 * DAY_MS,
  year: 365.2425 * DAY_MS,
}

type StartOf = (index: number) => number

// Every boundary is computed from the anchor, never from the previous boundary, so month-end
// clamping (Jan 31 → Feb 28 → Mar 31) and DST shifts never accumulate.
function boundaries(spec: PeriodSpec): StartOf {
  const offset = zoneOffset(spec.anchor, spec.timezone)
  const wall = spec.anchor + offset
  return (index) => {
    if (index === 0) return spec.anchor
    const shifted = addToWallClock(wall, spec.interval, index * spec.interval_count)
    const start = fromWallClock(shifted, spec.timezone, offset)
    if (!(Math.abs(start) <= MAX_DATE_MS)) {
      throw new ValidationError('VALIDATION_ERROR', 'index is beyond the dates JavaScript can hold', {
        path: 'index',
      })
    }
    return start
  }
}

// Guesses the index from mean lengths, then steps: DST and month lengths put the guess off by at
// most a couple of periods, whatever the distance from the anchor.
function locate(spec: PeriodSpec, startOf: StartOf, t: number): Period {
  let index = Math.max(0, Math.floor((t - spec.anchor) / (MEAN_MS[spec.interval] * spec.interval_count)))
  let start = startOf(index)
  while (start > t) start = startOf(--index)
  let end = startOf(index + 1)
  while (end <= t) {
    start = end
    end = startOf(++index + 1)
  }
  return { index, start, end }
}

/**
 * Period number `index` (0 starts at the anchor) of a subscription.
 *
 * @example
 * const spec = { anchor: Date.UTC(2026, 0, 31), interval: 'month', interval_count: 1, timezone: 'UTC' } as const
 * periodAt(spec, 1) // { index: 1, start: Date.UTC(2026, 1, 28), end: Date.UTC(2026, 2, 31) }
 */
export function periodAt(spec: PeriodSpec, index: number): Period {
  const valid = validatePeriodSpec(spec)
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new ValidationError('VALIDATION_ERROR', 'index must be a non-negative integer', { path: 'index' })
  }
  const startOf = boundaries(valid)
  return { index, start: startOf(index), end: startOf(index + 1) }
}

/**
 * The period that contains `t` (`start <= t < end`), or `null` when `t` is before the anchor: no
 * period contains it. Costs a few boundary computations whatever the distance from the anchor.
 *
 * @example
 * const spec = { anchor: Date.UTC(2026, 0, 31), interval: 'month', interval_count: 1, timezone: 'UTC' } as const
 * periodContaining(spec, Date.UTC(2026, 2, 31)) // { index: 2, start: Date.UTC(2026, 2, 31), end: Date.UTC(2026, 3, 30) }
 * periodContaining(spec, Date.UTC(2025, 0, 1))  // null
 */
export function periodContaining(spec: PeriodSpec, t: number): Period | null {
  const valid = validatePeriodSpec(spec)
  assertInstant(t, 't')
  if (t < valid.anchor) return null
  return locate(valid, boundaries(valid), t)
}

/**
 * The periods whose `end` lies in `(from, to]`, oldest first: for an invoice run, every period that
 * ended since the previous run at `from`. Returns at most `limit` (default
 * {@link DEFAULT_PERIODS_LIMIT}, at most 100,000) periods, the oldest; when the result is full, call
 * again with `from` = the last returned `end` for the rest. `to <= from` gives `[]`.
 *
 * @example
 * const spec = { anchor: Date.UTC(2026, 0, 1), interval: 'week', interval_count: 1, timezone: 'UTC' } as const
 * periodsBetween(spec, Date.UTC(2026, 0, 8), Date.UTC(2026, 0, 22))
 * // [{ index: 1, start: Date.UTC(2026, 0, 8), end: Date.UTC(2026, 0, 15) },
 * //  { index: 2, start: Date.UTC(2026, 0, 15), end: Date.UTC(2026, 0, 22) }]
 */
export function periodsBetween(
  spec: PeriodSpec,
  from: number,
  to: number,
  options: { limit?: number } = {},
): Period[] {
  const valid = validatePeriodSpec(spec)
  assertInstant(from, 'from')
  assertInstant(to, 'to')
  const limit = options.limit ?? DEFAULT_PERIODS_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    throw new ValidationError('VALIDATION_ERROR', 'limit must be an integer from 1 to 100000', {
      path: 'limit',
    })
  }
  const periods: Period[] = []
  // Every end is after the anchor, so nothing can end by `to` unless `to` is after it.
  if (to <= from || to <= valid.anchor) return periods
  const startOf = boundaries(valid)
  let period =
    from < valid.anchor ? { index: 0, start: valid.anchor, end: startOf(1) } : locate(valid, startOf, from)
  while (period.end <= to && periods.length < limit) {
    periods.push(period)
    period = { index: period.index + 1, start: period.end, end: startOf(period.index + 2) }
  }
  return periods
}
