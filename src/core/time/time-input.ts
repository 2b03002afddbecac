import { ErrorCode, ValidationError } from '../errors.js'
import { MAX_FRACTION_DIGITS, readIsoTime } from './iso-time.js'

/** A time as callers may give it: a `Date`, an ISO-8601 string, or epoch milliseconds. */
export type TimeInput = Date | string | number

/**
 * Reads a time given as a `Date`, an ISO-8601 string (a date, or a date-time with `Z` or an offset
 * `±HH:MM`, `±HHMM` or `±HH`; 0 to 9 fractional digits, truncated to the millisecond toward the
 * past) or integer epoch milliseconds. Returns `undefined` when it is none of these, or names an
 * impossible date such as 30 February. A zone-less date-time is refused: it would silently mean
 * the host's local time, which for billing is a guess. {@link timeProblem} says what to fix.
 *
 * @example
 * parseTime('2026-01-01T00:00:00Z')           // 1767225600000
 * parseTime('2026-01-01T00:00:00.123456789Z') // 1767225600123
 * parseTime('2026-01-01T01:00:00.123456+01:00') // 1767225600123
 * parseTime('2026-01-01T00:00')               // undefined (no zone)
 * parseTime('2026-02-30T12:00:00Z')           // undefined
 */
export function parseTime(input: unknown): number | undefined {
  let ms: number
  if (input instanceof Date) ms = Date.prototype.getTime.call(input)
  else if (typeof input === 'number') ms = Number.isInteger(input) ? input : Number.NaN
  else if (typeof input === 'string') {
    const time = readIsoTime(input)
    if (time === undefined || (time.offsetMs === null && input.length > 10)) return undefined
    ms = time.wall - (time.offsetMs ?? 0)
  } else return undefined
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined
}

/**
 * Reads a time argument as {@link parseTime} does, refusing what is not one with
 * `ValidationError` `INVALID_TIMESTAMP` naming `path`.
 *
 * @example
 * requireTime('2026-01-01', 'from') // 1767225600000
 * requireTime('soon', 'now')        // throws INVALID_TIMESTAMP, details.path 'now'
 */
export function requireTime(input: unknown, path: string): number {
  const ms = parseTime(input)
  if (ms === undefined) {
    throw new ValidationError(
      ErrorCode.INVALID_TIMESTAMP,
      `${path} must be a Date, an ISO-8601 string with a zone, or integer epoch milliseconds${timeProblem(input)}`,
      { path },
    )
  }
  return ms
}

/**
 * For a time {@link parseTime} refused, the likely mistake and its fix, as `'; …'` to append to a
 * message; `''` when there is nothing more specific to say than "not a time".
 *
 * @example
 * timeProblem('2026-01-01T10:00:00.123456') // '; it has no UTC offset: end it with Z or ±HH:MM …'
 * timeProblem('2026-02-30T10:00:00Z')       // ''
 */
export function timeProblem(input: unknown): string {
  if (typeof input !== 'string') return ''
  const fraction = /\.(\d+)/.exec(input)?.[1]
  if (fraction !== undefined && fraction.length > MAX_FRACTION_DIGITS) {
    return `; it has ${fraction.length} fractional digits: write at most ${MAX_FRACTION_DIGITS} fractional digits`
  }
  if (input[10] === ' ') {
    const withT = `${input.slice(0, 10)}T${input.slice(11)}`
    if (readIsoTime(withT) !== undefined) {
      return `; write T between the date and the time, not a space${timeProblem(withT)}`
    }
  }
  const time = readIsoTime(input)
  if (time !== undefined && time.offsetMs === null && input.length > 10) {
    return '; it has no UTC offset: end it with Z or ±HH:MM (in Python, datetime.now(timezone.utc).isoformat())'
  }
  return ''
}
