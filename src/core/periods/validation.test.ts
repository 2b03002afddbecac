import { describe, expect, it } from 'vitest'
import { codeAndPath } from '../../../test/support/code-and-path.js'
import {
  addInterval,
  type PeriodSpec,
  periodAt,
  periodContaining,
  periodsBetween,
  trialEnd,
} from './index.js'

const SPEC: PeriodSpec = {
  anchor: Date.UTC(2026, 0, 1),
  interval: 'month',
  interval_count: 1,
  timezone: 'UTC',
}

describe('period spec validation', () => {
  it.each([
    [{ interval: 'fortnight' }, 'INVALID_INTERVAL', 'interval'],
    [{ interval_count: 0 }, 'INVALID_INTERVAL', 'interval_count'],
    [{ interval_count: 366 }, 'INVALID_INTERVAL', 'interval_count'],
    [{ interval_count: 1.5 }, 'INVALID_INTERVAL', 'interval_count'],
    [{ timezone: 'Nowhere/City' }, 'INVALID_TIMEZONE', 'timezone'],
    [{ anchor: Number.NaN }, 'INVALID_TIMESTAMP', 'anchor'],
    [{ anchor: 1.5 }, 'INVALID_TIMESTAMP', 'anchor'],
  ])('rejects %j', (change, code, path) => {
    const spec = { ...SPEC, ...change } as PeriodSpec
    expect(codeAndPath(() => periodAt(spec, 0))).toEqual([code, path])
    expect(codeAndPath(() => periodContaining(spec, SPEC.anchor))).toEqual([code, path])
    expect(codeAndPath(() => periodsBetween(spec, SPEC.anchor, SPEC.anchor + 1))).toEqual([code, path])
  })

  it('accepts 365 as interval_count and a missing timezone as UTC', () => {
    expect(periodAt({ ...SPEC, interval: 'day', interval_count: 365 }, 1).start).toBe(Date.UTC(2027, 0, 1))
    expect(periodAt({ ...SPEC, timezone: undefined as never }, 1).start).toBe(Date.UTC(2026, 1, 1))
  })

  it('rejects bad indexes, instants and limits', () => {
    expect(codeAndPath(() => periodAt(SPEC, -1))).toEqual(['VALIDATION_ERROR', 'index'])
    expect(codeAndPath(() => periodAt(SPEC, 0.5))).toEqual(['VALIDATION_ERROR', 'index'])
    expect(codeAndPath(() => periodAt(SPEC, Number.MAX_SAFE_INTEGER))).toEqual(['VALIDATION_ERROR', 'index'])
    expect(codeAndPath(() => periodContaining(SPEC, Number.NaN))).toEqual(['INVALID_TIMESTAMP', 't'])
    expect(codeAndPath(() => periodsBetween(SPEC, Number.NaN, 0))).toEqual(['INVALID_TIMESTAMP', 'from'])
    expect(codeAndPath(() => periodsBetween(SPEC, 0, Number.POSITIVE_INFINITY))).toEqual([
      'INVALID_TIMESTAMP',
      'to',
    ])
    expect(codeAndPath(() => periodsBetween(SPEC, 0, 1, { limit: 0 }))).toEqual(['VALIDATION_ERROR', 'limit'])
  })
})

describe('trialEnd', () => {
  it('adds local calendar days at the same local time, across DST', () => {
    const start = Date.parse('2026-03-01T00:00:00-05:00')
    expect(trialEnd(start, 14, 'America/New_York')).toBe(Date.parse('2026-03-15T00:00:00-04:00'))
    expect(trialEnd(Date.parse('2026-01-25T10:00:00Z'), 7, 'UTC')).toBe(Date.parse('2026-02-01T10:00:00Z'))
  })

  it('means no trial for 0 or undefined', () => {
    expect(trialEnd(Date.UTC(2026, 0, 1), 0, 'UTC')).toBeNull()
    expect(trialEnd(Date.UTC(2026, 0, 1), undefined, 'UTC')).toBeNull()
  })

  it.each([[-1], [1.5], [3651], [Number.NaN]])('rejects trial_days %j', (days) => {
    expect(codeAndPath(() => trialEnd(Date.UTC(2026, 0, 1), days, 'UTC'))).toEqual([
      'VALIDATION_ERROR',
      'trial_days',
    ])
  })
})

describe('addInterval', () => {
  it('counts calendar units in the zone, clamping month ends', () => {
    expect(addInterval(Date.parse('2026-01-30T23:00:00Z'), 'month', 1, 'Africa/Lagos')).toBe(
      Date.parse('2026-02-27T23:00:00Z'),
    )
    expect(addInterval(Date.parse('2026-03-08T05:00:00Z'), 'day', 1, 'America/New_York')).toBe(
      Date.parse('2026-03-09T04:00:00Z'),
    )
    expect(addInterval(Date.UTC(2026, 2, 31), 'month', -1, 'UTC')).toBe(Date.UTC(2026, 1, 28))
  })

  it('keeps the offset of the starting instant in a fall-back overlap, in both directions', () => {
    const ny = 'America/New_York'
    // 01:30 EDT a week before → the first 01:30 (EDT); 01:30 EST a week after → the second (EST).
    expect(addInterval(Date.parse('2026-10-25T01:30:00-04:00'), 'week', 1, ny)).toBe(
      Date.parse('2026-11-01T01:30:00-04:00'),
    )
    expect(addInterval(Date.parse('2026-11-08T01:30:00-05:00'), 'week', -1, ny)).toBe(
      Date.parse('2026-11-01T01:30:00-05:00'),
    )
  })

  it('rejects bad input', () => {
    expect(codeAndPath(() => addInterval(0, 'hour' as never, 1, 'UTC'))).toEqual([
      'INVALID_INTERVAL',
      'interval',
    ])
    expect(codeAndPath(() => addInterval(0, 'day', 0.5, 'UTC'))).toEqual(['VALIDATION_ERROR', 'amount'])
    expect(codeAndPath(() => addInterval(0, 'year', 1e9, 'UTC'))).toEqual(['VALIDATION_ERROR', 'amount'])
    expect(codeAndPath(() => addInterval(0, 'day', 1, 'Nowhere'))).toEqual(['INVALID_TIMEZONE', 'timezone'])
  })
})
