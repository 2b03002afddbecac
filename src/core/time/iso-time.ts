import { daysInMonth, utcTime } from './utc-calendar.js'

/**
 * The most fractional digits of a second a time may carry: nanoseconds, as Go's `time.Time` writes
 * them (Python writes microseconds, JavaScript milliseconds). More is refused rather than guessed at.
 *
 * @example
 * readIsoTime('2026-01-01T00:00:00.123456789Z') // read
 * readIsoTime('2026-01-01T00:00:00.1234567890Z') // undefined
 */
export const MAX_FRACTION_DIGITS = 9

// YYYY-MM-DD, optionally THH:MM[:SS[.fraction]], optionally Z or ±HH[[:]MM]. RFC 3339 (5.6) also
// allows a lower-case t and z. 1 to MAX_FRACTION_DIGITS fractional digits. `$` without the m flag
// is the end of the text, so a trailing newline is refused too.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|([+-])(\d{2})(?::?(\d{2}))?)?)?$/

/** An ISO-8601 string read into its wall-clock time and, when it names one, its UTC offset. */
export interface IsoTime {
  /** The wall-clock fields as if they were UTC, in epoch milliseconds. */
  wall: number
  /** Milliseconds ahead of UTC (`+01:00` → 3,600,000), or null when the string has no zone. */
  offsetMs: number | null
}

/**
 * Reads an ISO-8601 date or date-time, refusing impossible calendar values (`2026-02-30`, `24:00`,
 * a 60th second, a `+25:00` offset) that `Date.parse` would roll over into another day. Leap
 * seconds are refused, not clamped: epoch milliseconds cannot name them, and neither Go's
 * `time.Time` nor Python's `datetime` ever writes one. Fractions beyond the millisecond are
 * truncated toward the past, so `…12.3456789Z` and `…12.345Z` are the same instant.
 *
 * @example
 * readIsoTime('2026-02-28T10:00:00.123456+01:00') // { wall: <10:00:00.123 UTC>, offsetMs: 3600000 }
 * readIsoTime('2026-02-30') // undefined
 */
export function readIsoTime(text: string): IsoTime | undefined {
  const m = ISO.exec(text)
  if (m === null) return undefined
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  const hour = Number(m[4] ?? 0)
  const minute = Number(m[5] ?? 0)
  const second = Number(m[6] ?? 0)
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'))
  const offsetHours = Number(m[10] ?? 0)
  const offsetMinutes = Number(m[11] ?? 0)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return undefined
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined
  const wall = utcTime(year, month - 1, day, hour, minute, second, ms)
  if (m[8] === undefined) return { wall, offsetMs: null }
  return { wall, offsetMs: (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000 }
}

// The strings of the times formatted lately. An invoice run formats the same few instants (the
// period's bounds, the run's clock) for every invoice; a `Date` and its string cost a microsecond.
const recent = new Map<number, string>()
const RECENT_MAX = 64

/**
 * Epoch milliseconds as the ISO-8601 UTC string every output uses.
 *
 * @example
 * isoTime(1767225600000) // '2026-01-01T00:00:00.000Z'
 */
export function isoTime(ms: number): string {
  const known = recent.get(ms)
  if (known !== undefined) return known
  const text = new Date(ms).toISOString()
  if (recent.size >= RECENT_MAX) recent.clear()
  recent.set(ms, text)
  return text
}
