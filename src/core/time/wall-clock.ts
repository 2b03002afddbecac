import { utcTime } from './utc-calendar.js'

/*
 * A "wall-clock time" here is a local date and time in some zone, held as the epoch milliseconds
 * of that same reading in UTC: 09:00 on 2026-03-08 in New York is `Date.UTC(2026, 2, 8, 9)`.
 * Calendar arithmetic happens on wall-clock times; only these functions know about zones.
 */

/**
 * Milliseconds in a day of wall-clock time (a zone's real day may be 23 or 25 hours).
 *
 * @example
 * addToWallClock(wall, 'day', 1) === wall + DAY_MS // true
 */
export const DAY_MS = 86_400_000

/**
 * The largest distance from 1970 a JavaScript `Date` can hold, either way.
 *
 * @example
 * new Date(MAX_DATE_MS + 1).getTime() // NaN
 */
export const MAX_DATE_MS = 8.64e15

const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formats.set(timezone, format)
  }
  return format
}

/**
 * How far `timezone` is ahead of UTC at `instant`, in milliseconds (second precision, so historical
 * local mean times come out exact).
 *
 * @example
 * zoneOffset(Date.UTC(2026, 0, 1), 'Africa/Lagos')   // 3_600_000
 * zoneOffset(Date.UTC(2026, 6, 1), 'America/New_York') // -14_400_000
 */
export function zoneOffset(instant: number, timezone: string): number {
  if (timezone === 'UTC') return 0
  const second = instant - (((instant % 1000) + 1000) % 1000)
  // en-US with h23 prints "M/D/YYYY, HH:MM:SS"; reading the digit runs is faster than formatToParts.
  const [month, day, year, hour, minute, sec] = formatFor(timezone).format(second).match(/\d+/g)!.map(Number)
  return utcTime(year!, month! - 1, day!, hour! % 24, minute, sec) - second
}

/**
 * The instant at which clocks in `timezone` read `wall`. Where the zone's offset changes, the
 * reading may not exist or may happen twice; this rule decides (the same as Temporal's
 * `'compatible'` disambiguation, refined by `preferOffset`):
 * - gap (spring forward): the reading is taken with the offset in force before the gap, so it lands
 *   after the gap, later by the gap's length: 02:30 on a New York spring-forward day → 03:30 EDT;
 * - overlap (fall back): the occurrence whose offset is `preferOffset`, when one is; otherwise the
 *   earlier one: 01:30 on a New York fall-back day → 01:30 EDT.
 *
 * Assumes at most one offset change within a day either side of the reading, true of every zone.
 *
 * @example
 * fromWallClock(Date.UTC(2026, 2, 8, 2, 30), 'America/New_York') // Date.UTC(2026, 2, 8, 7, 30): 03:30 EDT
 * fromWallClock(Date.UTC(2026, 10, 1, 1, 30), 'America/New_York', -18_000_000) // 01:30 EST
 */
export function fromWallClock(wall: number, timezone: string, preferOffset?: number): number {
  if (timezone === 'UTC') return wall
  const before = zoneOffset(wall - DAY_MS, timezone)
  const after = zoneOffset(wall + DAY_MS, timezone)
  const candidates: number[] = []
  for (const offset of before === after ? [before] : [before, after]) {
    if (zoneOffset(wall - offset, timezone) === offset) candidates.push(wall - offset)
  }
  if (candidates.length === 0) return wall - before
  if (candidates.length === 1) return candidates[0]!
  const preferred = candidates.find((instant) => wall - instant === preferOffset)
  return preferred ?? Math.min(...candidates)
}
