import { describe, expect, it } from 'vitest'
import { type PeriodSpec, periodAt, periodContaining, periodsBetween, resolveStartAt } from './index.js'

const iso = (ms: number) => new Date(ms).toISOString()
const at = (text: string) => Date.parse(text)

function ends(spec: PeriodSpec, count: number): string[] {
  return Array.from({ length: count }, (_, k) => iso(periodAt(spec, k).end))
}

function utc(anchor: string, interval: PeriodSpec['interval'], interval_count = 1): PeriodSpec {
  return { anchor: at(anchor), interval, interval_count, timezone: 'UTC' }
}

describe('periodAt: worked examples', () => {
  it('clamps a month-end anchor to each month and never drifts (Jan 31 → Feb 28 → Mar 31)', () => {
    expect(ends(utc('2026-01-31T00:00:00Z', 'month'), 5)).toEqual([
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-04-30T00:00:00.000Z',
      '2026-05-31T00:00:00.000Z',
      '2026-06-30T00:00:00.000Z',
    ])
    expect(periodAt(utc('2026-01-31T00:00:00Z', 'month'), 0).start).toBe(at('2026-01-31T00:00:00Z'))
  })

  it('lands on Feb 29 in a leap year', () => {
    expect(ends(utc('2028-01-31T00:00:00Z', 'month'), 2)).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2028-03-31T00:00:00.000Z',
    ])
  })

  it('bills yearly from Feb 29 on Feb 28, and on Feb 29 again in the next leap year', () => {
    expect(ends(utc('2028-02-29T12:00:00Z', 'year'), 4)).toEqual([
      '2029-02-28T12:00:00.000Z',
      '2030-02-28T12:00:00.000Z',
      '2031-02-28T12:00:00.000Z',
      '2032-02-29T12:00:00.000Z',
    ])
  })

  it('bills weekly and every 3 days', () => {
    expect(ends(utc('2026-01-01T09:30:00Z', 'week'), 2)).toEqual([
      '2026-01-08T09:30:00.000Z',
      '2026-01-15T09:30:00.000Z',
    ])
    expect(ends(utc('2026-02-27T00:00:00Z', 'day', 3), 2)).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-05T00:00:00.000Z',
    ])
  })

  it('bills quarterly from Nov 30, clamping in February only', () => {
    expect(ends(utc('2025-11-30T00:00:00Z', 'month', 3), 4)).toEqual([
      '2026-02-28T00:00:00.000Z',
      '2026-05-30T00:00:00.000Z',
      '2026-08-30T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ])
  })

  it('starts a Lagos subscription at Lagos midnight and bills on Lagos month boundaries', () => {
    const anchor = resolveStartAt('2026-01-01', 'Africa/Lagos', 0)
    expect(iso(anchor)).toBe('2025-12-31T23:00:00.000Z')
    const spec: PeriodSpec = { anchor, interval: 'month', interval_count: 1, timezone: 'Africa/Lagos' }
    expect(ends(spec, 2)).toEqual(['2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z'])
  })

  it('keeps New York periods at local midnight across DST, so their lengths differ by an hour', () => {
    const anchor = resolveStartAt('2026-02-01', 'America/New_York', 0)
    const spec: PeriodSpec = { anchor, interval: 'month', interval_count: 1, timezone: 'America/New_York' }
    const hours = (k: number) => {
      const p = periodAt(spec, k)
      return (p.end - p.start) / 3_600_000
    }
    expect(ends(spec, 10)[0]).toBe('2026-03-01T05:00:00.000Z') // EST midnight
    expect(ends(spec, 10)[1]).toBe('2026-04-01T04:00:00.000Z') // EDT midnight
    expect(ends(spec, 10)[9]).toBe('2026-12-01T05:00:00.000Z') // EST again
    expect(hours(1)).toBe(31 * 24 - 1) // March loses the spring-forward hour
    expect(hours(9)).toBe(30 * 24 + 1) // November gains the fall-back hour
  })
})

describe('periodAt across DST: the local time of day is kept', () => {
  const ny = (anchor: string, interval: PeriodSpec['interval'] = 'day'): PeriodSpec => ({
    anchor: at(anchor),
    interval,
    interval_count: 1,
    timezone: 'America/New_York',
  })

  it('moves a start in the spring-forward gap later by the gap, then returns to the anchor time', () => {
    const spec = ny('2026-03-07T02:30:00-05:00')
    expect(iso(periodAt(spec, 1).start)).toBe('2026-03-08T07:30:00.000Z') // 03:30 EDT: 02:30 does not exist
    expect(iso(periodAt(spec, 2).start)).toBe('2026-03-09T06:30:00.000Z') // 02:30 EDT
  })

  it('in the fall-back overlap picks the occurrence with the anchor offset', () => {
    expect(iso(periodAt(ny('2026-10-31T01:30:00-04:00'), 1).start)).toBe('2026-11-01T05:30:00.000Z') // EDT
    expect(iso(periodAt(ny('2026-10-31T01:30:00-04:00'), 2).start)).toBe('2026-11-02T06:30:00.000Z') // EST
    // An anchor in the second 01:30 (EST) keeps EST wherever both exist.
    const second = ny('2025-11-02T01:30:00-05:00', 'year')
    expect(periodAt(second, 0).start).toBe(at('2025-11-02T01:30:00-05:00'))
    expect(iso(periodAt(second, 1).start)).toBe('2026-11-02T06:30:00.000Z')
  })

  it('handles the London spring-forward gap at 01:00', () => {
    const spec: PeriodSpec = {
      anchor: at('2026-01-29T01:30:00Z'),
      interval: 'month',
      interval_count: 1,
      timezone: 'Europe/London',
    }
    expect(iso(periodAt(spec, 2).start)).toBe('2026-03-29T01:30:00.000Z') // 02:30 BST: 01:30 GMT does not exist
    expect(iso(periodAt(spec, 3).start)).toBe('2026-04-29T00:30:00.000Z') // 01:30 BST
  })
})

describe('periodContaining', () => {
  const spec = utc('2026-01-31T00:00:00Z', 'month')

  it('treats periods as half-open: an instant at a period end belongs to the next period', () => {
    expect(periodContaining(spec, at('2026-02-28T00:00:00Z'))).toEqual({
      index: 1,
      start: at('2026-02-28T00:00:00Z'),
      end: at('2026-03-31T00:00:00Z'),
    })
    expect(periodContaining(spec, at('2026-02-27T23:59:59.999Z'))?.index).toBe(0)
    expect(periodContaining(spec, spec.anchor)?.index).toBe(0)
  })

  it('returns null before the anchor', () => {
    expect(periodContaining(spec, spec.anchor - 1)).toBeNull()
  })

  it('finds a daily period decades out without scanning', () => {
    const daily = utc('2000-01-01T00:00:00Z', 'day')
    expect(periodContaining(daily, at('2099-12-31T12:00:00Z'))?.index).toBe(36_524)
  })
})

describe('periodsBetween', () => {
  const spec = utc('2026-01-01T00:00:00Z', 'week')

  it('returns the periods that ended in (from, to]', () => {
    const got = periodsBetween(spec, at('2026-01-08T00:00:00Z'), at('2026-01-22T00:00:00Z'))
    expect(got.map((p) => [p.index, iso(p.end)])).toEqual([
      [1, '2026-01-15T00:00:00.000Z'],
      [2, '2026-01-22T00:00:00.000Z'],
    ])
  })

  it('returns nothing before the first period ends, or for an empty window', () => {
    expect(periodsBetween(spec, 0, at('2026-01-07T23:59:59Z'))).toEqual([])
    expect(periodsBetween(spec, at('2026-03-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toEqual([])
  })

  it('returns at most `limit` periods, the oldest, and resumes from the last end', () => {
    const daily = utc('2026-01-01T00:00:00Z', 'day')
    const first = periodsBetween(daily, 0, at('2026-12-31T00:00:00Z'), { limit: 100 })
    expect(first.map((p) => p.index)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    const rest = periodsBetween(daily, first.at(-1)!.end, at('2026-12-31T00:00:00Z'), { limit: 1000 })
    expect(rest[0]?.index).toBe(100)
    expect(rest.at(-1)?.end).toBe(at('2026-12-31T00:00:00Z'))
  })
})
