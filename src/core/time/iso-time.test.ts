import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoTime } from './iso-time.js'
import { parseTime, timeProblem } from './time-input.js'

// 2026-11-30T10:15:30.123Z
const AT = Date.UTC(2026, 10, 30, 10, 15, 30, 123)
const SECOND = Date.UTC(2026, 10, 30, 10, 15, 30)

describe('parseTime: timestamps as Go and Python write them', () => {
  it.each([
    // Go: json.Marshal(time.Date(2026, 11, 30, 10, 15, 30, 123456789, time.UTC))
    ['2026-11-30T10:15:30.123456789Z', AT],
    // Go: json.Marshal of the same instant in time.FixedZone("", 3600), 100 ns precision
    ['2026-11-30T11:15:30.1234567+01:00', AT],
    // Go: t.Format(time.RFC3339Nano) drops trailing zeros: 123400000 ns
    ['2026-11-30T10:15:30.1234Z', AT],
    // Go: json.Marshal when the nanoseconds are 0: no fraction at all
    ['2026-11-30T10:15:30Z', SECOND],
    // Go: json.Marshal in time.FixedZone("WAT", 3600) with zero nanoseconds
    ['2026-11-30T11:15:30+01:00', SECOND],
    // Go: json.Marshal in time.FixedZone("", -(5*3600+30*60)): a half-hour offset west of UTC
    ['2026-11-30T04:45:30.123456789-05:30', AT],
    // Python: datetime(2026, 11, 30, 10, 15, 30, 123456, tzinfo=timezone.utc).isoformat()
    ['2026-11-30T10:15:30.123456+00:00', AT],
    // Python: the same with microsecond=0: isoformat() drops the fraction
    ['2026-11-30T10:15:30+00:00', SECOND],
    // Python: datetime(..., tzinfo=ZoneInfo('Africa/Lagos')).isoformat()
    ['2026-11-30T11:15:30.123456+01:00', AT],
    // Python: datetime.now(timezone.utc).isoformat(timespec='milliseconds')
    ['2026-11-30T10:15:30.123+00:00', AT],
    // JavaScript: new Date(...).toISOString()
    ['2026-11-30T10:15:30.123Z', AT],
    // RFC 3339 section 5.6 allows a lower-case t and z
    ['2026-11-30t10:15:30.123456789z', AT],
  ])('reads %s', (text, ms) => {
    expect(parseTime(text)).toBe(ms)
  })

  it('truncates below the millisecond toward the past, never rounds', () => {
    expect(parseTime('2026-11-30T10:59:59.999999999Z')).toBe(Date.UTC(2026, 10, 30, 10, 59, 59, 999))
    expect(parseTime('2026-11-30T11:59:59.9999+01:00')).toBe(Date.UTC(2026, 10, 30, 10, 59, 59, 999))
    expect(parseTime('1969-12-31T23:59:59.9999999Z')).toBe(-1)
    expect(parseTime('2026-11-30T10:15:30.0009Z')).toBe(SECOND)
  })

  it('keeps reading the offsets it read before: ±HHMM and ±HH', () => {
    expect(parseTime('2026-11-30T11:15:30.123+0100')).toBe(AT)
    expect(parseTime('2026-11-30T11:15:30.123+01')).toBe(AT)
    expect(parseTime('2026-11-30T10:15:30.123-00:00')).toBe(AT)
  })

  it.each([
    ['2026-02-30T10:00:00Z', 'impossible date'],
    ['2026-11-30T24:00:00Z', 'hour 24'],
    ['2026-11-30T10:15:60Z', 'leap second'],
    ['2026-11-30T10:15:30.1234567890Z', '10 fractional digits'],
    ['2026-11-30T10:15:30.Z', 'empty fraction'],
    ['2026-11-30T10:15:30,123Z', 'comma as decimal sign'],
    ['2026-11-30 10:15:30Z', 'space instead of T'],
    ['2026-11-30T10:15:30+01:60', 'offset minute 60'],
    ['2026-11-30T10:15:30+24:00', 'offset hour 24'],
    ['2026-11-30T10:15:30Z\n', 'trailing newline'],
    [' 2026-11-30T10:15:30Z', 'leading space'],
    ['2026-11-30T10:15:30.123\u0000Z', 'NUL'],
    ['2026-11-30T10:15:30.123\uD800Z', 'lone surrogate'],
    ['２026-11-30T10:15:30Z', 'full-width digit'],
    ['2026-11-30T10:15:30.١٢٣Z', 'Arabic-Indic digits'],
  ])('refuses %j (%s)', (text) => {
    expect(parseTime(text)).toBeUndefined()
  })

  it('refuses a date-time without an offset, and says how to add one', () => {
    // Python: datetime(2026, 11, 30, 10, 15, 30, 123456).isoformat(), a naive datetime
    expect(parseTime('2026-11-30T10:15:30.123456')).toBeUndefined()
    expect(timeProblem('2026-11-30T10:15:30.123456')).toMatch(
      /no UTC offset.*Z.*datetime\.now\(timezone\.utc\)/,
    )
    expect(timeProblem('2026-11-30T10:15:30.1234567890Z')).toMatch(/at most 9 fractional digits/)
    expect(timeProblem('2026-11-30 10:15:30Z')).toMatch(/T between the date and the time/)
    // Python: str(datetime(2026, 11, 30, 10, 15, 30, 123456)), naive and with a space
    expect(timeProblem('2026-11-30 10:15:30.123456')).toMatch(
      /T between the date and the time.*no UTC offset/,
    )
    expect(timeProblem('2026-02-30T10:00:00Z')).toBe('')
    expect(timeProblem(12.5)).toBe('')
  })

  it('reads any instant written with 0 to 9 fractional digits and any offset as its truncated millisecond', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        fc.constantFrom('colon', 'basic', 'Z'),
        (ms, subMs, digits, offsetMin, style) => {
          const offset = style === 'Z' ? 0 : offsetMin
          const wall = new Date(ms + offset * 60_000)
          const nanos = pad(wall.getUTCMilliseconds(), 3) + pad(subMs, 6)
          const fraction = digits === 0 ? '' : `.${nanos.slice(0, digits)}`
          const abs = Math.abs(offset)
          const sep = style === 'colon' ? ':' : ''
          const zone =
            style === 'Z'
              ? 'Z'
              : `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}${sep}${pad(abs % 60, 2)}`
          const text = `${wall.toISOString().slice(0, 19)}${fraction}${zone}`
          const kept = digits >= 3 ? ms : ms - (ms % 10 ** (3 - digits))
          expect(parseTime(text)).toBe(kept)
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('isoTime', () => {
  it('writes every instant as Date does, however often and in whatever order it is asked', () => {
    // A small pool of instants asked again and again (as an invoice run does) among fresh ones, so
    // answers kept from earlier calls are checked as well as new ones.
    const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2199, 11, 31) })
    fc.assert(
      fc.property(
        fc.array(instant, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        (pool, picks) => {
          for (const pick of picks) {
            const ms = pick % 3 === 0 ? pick * 7919 : pool[pick % pool.length]!
            expect(isoTime(ms)).toBe(new Date(ms).toISOString())
          }
        },
      ),
    )
  })
})
