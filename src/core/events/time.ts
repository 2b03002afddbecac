import type { TimeInput } from './types.js'

// A date, or a date-time with an explicit zone: a zone-less date-time would silently mean the
// host's local time.
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/

/**
 * Reads a time given as a `Date`, an ISO-8601 string (date, or date-time with `Z` or an offset) or
 * integer epoch milliseconds. Returns `undefined` when it is none of these.
 *
 * @example
 * parseTime('2026-01-01T00:00:00Z') // 1767225600000
 * parseTime('2026-01-01T00:00')     // undefined (no zone)
 */
export function parseTime(input: unknown): number | undefined {
  let ms: number
  if (input instanceof Date) ms = input.getTime()
  else if (typeof input === 'number') ms = Number.isInteger(input) ? input : Number.NaN
  else if (typeof input === 'string' && ISO.test(input)) ms = Date.parse(input)
  else return undefined
  return Number.isFinite(ms) ? ms : undefined
}

/** Epoch milliseconds as the ISO-8601 UTC string every output uses. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}

export type { TimeInput }
