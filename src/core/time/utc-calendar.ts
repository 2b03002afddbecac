// Proleptic Gregorian calendar arithmetic in UTC: no zones, no validation, just fields and days.

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Days in a month of the proleptic Gregorian calendar (`month0` is 0 for January).
 *
 * @example
 * daysInMonth(2028, 1) // 29
 * daysInMonth(2100, 1) // 28
 */
export function daysInMonth(year: number, month0: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month0 === 1 && leap ? 29 : MONTH_DAYS[month0]!
}

/**
 * Epoch milliseconds of a UTC date-time; unlike `Date.UTC`, years 0–99 are not read as 19xx.
 *
 * @example
 * utcTime(2028, 1, 29) // Date.UTC(2028, 1, 29): 2028-02-29T00:00Z
 */
export function utcTime(
  year: number,
  month0: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month0, day)
  date.setUTCHours(hour, minute, second, ms)
  return date.getTime()
}
