import { ErrorCode, ValidationError } from '../errors.js'
import { requireTime, type TimeInput } from '../time/time-input.js'
import { BUCKET_MS, bucketOf } from './buckets.js'

/** The most hours one series or ranking reads: a year and a day. */
export const MAX_WINDOW_HOURS = 366 * 24

/**
 * The whole hours overlapping `[from, to)`: `from` down to its hour, `to` up to the next, at most
 * {@link MAX_WINDOW_HOURS} of them. `INVALID_WINDOW` when `to` is before `from` or the window is
 * longer.
 *
 * @example
 * hourWindow('2026-01-01T00:30:00Z', '2026-01-01T02:10:00Z') // 00:00 to 03:00, in epoch ms
 */
export function hourWindow(fromInput: TimeInput, toInput: TimeInput): { from: number; to: number } {
  const from = bucketOf(requireTime(fromInput, 'from'))
  const end = requireTime(toInput, 'to')
  const to = end === bucketOf(end) ? end : bucketOf(end) + BUCKET_MS
  if (to < from)
    throw new ValidationError(ErrorCode.INVALID_WINDOW, 'to must not be before from', { path: 'to' })
  if (to - from > MAX_WINDOW_HOURS * BUCKET_MS)
    throw new ValidationError(ErrorCode.INVALID_WINDOW, `a window spans at most ${MAX_WINDOW_HOURS} hours`, {
      path: 'to',
    })
  return { from, to }
}
