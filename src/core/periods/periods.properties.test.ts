import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { daysInMonth } from '../time/utc-calendar.js'
import {
  INTERVALS,
  type PeriodSpec,
  periodAt,
  periodContaining,
  periodsBetween,
  resolveStartAt,
} from './index.js'

const ZONES = [
  'UTC',
  'Africa/Lagos',
  'Africa/Nairobi',
  'Asia/Kolkata',
  'America/New_York',
  'Europe/London',
  'Australia/Adelaide',
  'Asia/Kathmandu',
]
const YEAR_MS = 365.2425 * 86_400_000

// Local date parts and UTC offset straight from Intl, independent of the code under test.
const formats = new Map(
  ZONES.map((timeZone) => [
    timeZone,
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }),
  ]),
)

function local(instant: number, timeZone: string) {
  const parts = formats.get(timeZone)!.formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value)
  const millis = ((instant % 1000) + 1000) % 1000
  const timeOfDay = (((get('hour') % 24) * 60 + get('minute')) * 60 + get('second')) * 1000 + millis
  const wall = Date.UTC(get('year'), get('month') - 1, get('day')) + timeOfDay
  return { year: get('year'), month: get('month'), day: get('day'), timeOfDay, offset: wall - instant }
}

// Random anchors in 2000–2100, half of them on a whole local-ish hour so DST gaps get hit often.
const anchorArb = fc
  .tuple(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.boolean())
  .map(([ms, round]) => (round ? ms - (ms % 1_800_000) : ms))
const specArb: fc.Arbitrary<PeriodSpec> = fc.record({
  anchor: anchorArb,
  interval: fc.constantFrom(...INTERVALS),
  interval_count: fc.integer({ min: 1, max: 12 }),
  timezone: fc.constantFrom(...ZONES),
})

function linearScan(spec: PeriodSpec, t: number) {
  for (let k = 0; ; k++) {
    const period = periodAt(spec, k)
    if (t < period.end) return period
  }
}

describe('period properties', () => {
  it('periods are contiguous, strictly increasing, and period 0 starts at the anchor', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const periods = Array.from({ length: 20 }, (_, k) => periodAt(spec, k))
        expect(periods[0]!.start).toBe(spec.anchor)
        periods.forEach((p, k) => {
          expect(p.index).toBe(k)
          expect(p.end).toBeGreaterThan(p.start)
          if (k > 0) expect(p.start).toBe(periods[k - 1]!.end)
        })
      }),
      { numRuns: 100 },
    )
  })

  // The gap hour of each zone's spring-forward change: anchors at these local times hit it yearly.
  const GAP_HOURS = { 'America/New_York': 2, 'Europe/London': 1, 'Australia/Adelaide': 2 }
  const gapSpecArb = fc
    .record({
      zone: fc.constantFrom(...(Object.keys(GAP_HOURS) as (keyof typeof GAP_HOURS)[])),
      day: fc.integer({ min: 0, max: 36_500 }),
      minute: fc.integer({ min: 0, max: 59 }),
    })
    .map(({ zone, day, minute }): PeriodSpec => {
      const date = new Date(Date.UTC(2000, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)
      const time = `${String(GAP_HOURS[zone]).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
      const anchor = resolveStartAt(`${date}T${time}`, zone, 0)
      return { anchor, interval: 'day', interval_count: 1, timezone: zone }
    })

  function expectAnchorTimeOfDay(spec: PeriodSpec, k: number): boolean {
    const { start } = periodAt(spec, k)
    const got = local(start, spec.timezone)
    const wanted = local(spec.anchor, spec.timezone).timeOfDay
    if (got.timeOfDay === wanted) return false
    // Skipped: the offset jumped in the hours before, and the start moved later by the jump.
    const jump = got.offset - local(start - 3 * 3_600_000, spec.timezone).offset
    expect(jump).toBeGreaterThan(0)
    expect(got.timeOfDay - wanted).toBe(jump)
    return true
  }

  it('period starts keep the anchor local time of day, unless a DST gap skipped it', () => {
    fc.assert(
      fc.property(specArb, fc.nat(400), (spec, k) => {
        expectAnchorTimeOfDay(spec, k)
      }),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(gapSpecArb, (spec) => {
        let skipped = 0
        for (let k = 0; k <= 371; k++) if (expectAnchorTimeOfDay(spec, k)) skipped++
        // 371 days always include a spring-forward day, whose gap skips the anchor time (unless
        // the anchor itself fell in a gap and was moved out of the gap hour).
        const anchorHour = Math.floor(local(spec.anchor, spec.timezone).timeOfDay / 3_600_000)
        if (anchorHour === GAP_HOURS[spec.timezone as keyof typeof GAP_HOURS])
          expect(skipped).toBeGreaterThan(0)
      }),
      { numRuns: 20 },
    )
  })

  it('month periods start on day min(anchor day, days in month), counted from the anchor', () => {
    const monthSpec = fc
      .tuple(specArb, fc.constantFrom('month' as const, 'year' as const))
      .map(([spec, interval]) => ({ ...spec, interval }))
    fc.assert(
      fc.property(monthSpec, fc.nat(300), (spec, k) => {
        const anchor = local(spec.anchor, spec.timezone)
        const months =
          anchor.year * 12 + anchor.month - 1 + k * spec.interval_count * (spec.interval === 'year' ? 12 : 1)
        const year = Math.floor(months / 12)
        const month = (months % 12) + 1
        const start = local(periodAt(spec, k).start, spec.timezone)
        expect([start.year, start.month, start.day]).toEqual([
          year,
          month,
          Math.min(anchor.day, daysInMonth(year, month - 1)),
        ])
      }),
      { numRuns: 200 },
    )
  })

  it('periodContaining contains t and agrees with a linear scan', () => {
    fc.assert(
      fc.property(specArb, fc.double({ min: 0, max: 1, noNaN: true }), (spec, fraction) => {
        const t = spec.anchor + Math.floor(fraction * 10 * YEAR_MS)
        const found = periodContaining(spec, t)!
        expect(found.start).toBeLessThanOrEqual(t)
        expect(t).toBeLessThan(found.end)
        expect(found).toEqual(linearScan(spec, t))
        expect(periodContaining(spec, spec.anchor - 1 - Math.floor(fraction * YEAR_MS))).toBeNull()
      }),
      { numRuns: 60 },
    )
  })

  it('periodsBetween returns exactly the periods whose end lies in (from, to]', () => {
    const windowArb = fc.tuple(
      fc.integer({ min: -YEAR_MS, max: 3 * YEAR_MS }),
      fc.integer({ min: 0, max: 2 * YEAR_MS }),
      fc.boolean(),
    )
    fc.assert(
      fc.property(specArb, windowArb, (spec, [offset, length, onBoundary]) => {
        let from = spec.anchor + offset
        if (onBoundary && from >= spec.anchor) from = periodContaining(spec, from)!.start
        const to = from + length
        const expected = []
        for (let k = 0; ; k++) {
          const p = periodAt(spec, k)
          if (p.end > to) break
          if (p.end > from) expected.push(p)
        }
        expect(periodsBetween(spec, from, to, { limit: 100_000 })).toEqual(expected)
      }),
      { numRuns: 60 },
    )
  })
})
