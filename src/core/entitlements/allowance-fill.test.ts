import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal } from '../money/decimal.js'
import { allowanceFill } from './allowance-fill.js'

const allowance = (limit: string | null, used: string, reserved = '0', granted = '0') => ({
  limit,
  used,
  reserved,
  granted,
})

describe('allowanceFill', () => {
  it('is (used + reserved) / (limit + granted), exactly where a double can say it', () => {
    expect(allowanceFill(allowance('100', '80'))).toBe(0.8)
    expect(allowanceFill(allowance('100', '80', '5'))).toBe(0.85)
    expect(allowanceFill(allowance('100', '80', '0', '100'))).toBe(0.4)
    expect(allowanceFill(allowance('0.3', '0.1', '0.2'))).toBe(1)
    expect(allowanceFill(allowance('10', '25'))).toBe(2.5)
  })

  it('is null without a limit, 1 for an unused allowance of zero, above any ratio once used', () => {
    expect(allowanceFill(allowance(null, '5'))).toBeNull()
    expect(allowanceFill(allowance('0', '0'))).toBe(1)
    expect(allowanceFill(allowance('0', '1'))).toBe(1e9)
    expect(allowanceFill(allowance('1', '1e20'))).toBe(1e9)
  })

  it('gives whole quantities the double of the exact decimal quotient', () => {
    const whole = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 10 ** 15 - 1 }))
    fc.assert(
      fc.property(whole, whole, whole, whole, (limit, used, reserved, granted) => {
        const capacity = new Decimal(limit).plus(granted)
        const usage = new Decimal(used).plus(reserved)
        const exact = capacity.isZero()
          ? usage.gt(0)
            ? 1e9
            : 1
          : Math.min(usage.div(capacity).toNumber(), 1e9)
        expect(allowanceFill(allowance(String(limit), String(used), String(reserved), String(granted)))).toBe(
          exact,
        )
      }),
      { numRuns: 2000 },
    )
  })
})
