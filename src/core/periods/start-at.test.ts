import { describe, expect, it } from 'vitest'
import { codeAndPath } from '../../../test/support/code-and-path.js'
import { resolveStartAt } from './index.js'

const NOW = Date.parse('2026-05-05T10:00:00Z')
const iso = (input: Parameters<typeof resolveStartAt>[0], timezone = 'Africa/Lagos') =>
  new Date(resolveStartAt(input, timezone, NOW)).toISOString()

describe('resolveStartAt', () => {
  it('defaults to now', () => {
    expect(resolveStartAt(undefined, 'Africa/Lagos', NOW)).toBe(NOW)
  })

  it('reads a date as local midnight in the customer zone', () => {
    expect(iso('2026-01-01')).toBe('2025-12-31T23:00:00.000Z')
    expect(iso('2026-01-01', 'Asia/Kathmandu')).toBe('2025-12-31T18:15:00.000Z')
    expect(iso('2026-01-01', 'UTC')).toBe('2026-01-01T00:00:00.000Z')
  })

  it('reads a date-time with Z or an offset as that exact instant', () => {
    expect(iso('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00.000Z')
    expect(iso('2026-01-01T09:30:00+05:30')).toBe('2026-01-01T04:00:00.000Z')
    expect(iso('2026-01-01T09:30:00-0200')).toBe('2026-01-01T11:30:00.000Z')
    expect(iso('2026-01-01T09:30-02')).toBe('2026-01-01T11:30:00.000Z')
    expect(iso('2026-01-01T00:00:00.123456789Z')).toBe('2026-01-01T00:00:00.123Z')
    expect(iso('2026-01-01T00:00:00.5Z')).toBe('2026-01-01T00:00:00.500Z')
  })

  it('reads a date-time without a zone as local time in the customer zone', () => {
    expect(iso('2026-01-01T09:00')).toBe('2026-01-01T08:00:00.000Z')
    expect(iso('2026-07-01T09:00:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z')
  })

  it('moves a local time in a DST gap forward by the gap, and takes the first of a repeated one', () => {
    expect(iso('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z') // 03:30 EDT
    expect(iso('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z') // 01:30 EDT
  })

  it('takes Dates and epoch milliseconds as they are', () => {
    expect(iso(new Date('2026-02-03T04:05:06.789Z'))).toBe('2026-02-03T04:05:06.789Z')
    expect(iso(Date.parse('2026-02-03T04:05:06.789Z'))).toBe('2026-02-03T04:05:06.789Z')
  })

  it.each([
    ['2026-02-30'],
    ['2027-02-29'],
    ['2026-13-01'],
    ['2026-1-1'],
    ['2026-01-01T24:00'],
    ['2026-01-01T10:60'],
    ['2026-01-01 10:00'],
    ['2026-01-01T10:00+25:00'],
    ['yesterday'],
    [''],
    ['1899-12-31T23:59:59Z'],
    [1.5],
    [Number.NaN],
    [new Date(Number.NaN)],
    [null],
    [{}],
  ])('rejects %j with INVALID_TIMESTAMP at start_at', (input) => {
    expect(codeAndPath(() => resolveStartAt(input as never, 'UTC', NOW))).toEqual([
      'INVALID_TIMESTAMP',
      'start_at',
    ])
  })

  it('rejects an unknown zone with INVALID_TIMEZONE', () => {
    expect(codeAndPath(() => resolveStartAt('2026-01-01', 'Mars/Olympus', NOW))).toEqual([
      'INVALID_TIMEZONE',
      'timezone',
    ])
  })
})
