import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal } from '../money/decimal.js'
import { add, compare, isZero, quantityOf, quantityText, subtract } from './quantity.js'

// Whole strings around the edge of the safe integers, and decimals.
const text = fc.oneof(
  fc.bigInt({ min: 0n, max: 999_999_999_999_999n }).map(String),
  fc.bigInt({ min: 9_007_199_254_740_000n, max: 9_007_199_254_742_000n }).map(String),
  fc.constantFrom('0', '0.5', '0.000000000000000000000000000001', '123456789012345678901234567890.25'),
)

describe('quantities', () => {
  it('add, subtract and compare exactly as decimals do, across the safe-integer edge', () => {
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const [x, y, z] = [new Decimal(a), new Decimal(b), new Decimal(c)]
        const sum = add(add(quantityOf(a), b), quantityOf(c))
        expect(quantityText(sum)).toBe(x.plus(y).plus(z).toFixed())
        const difference = subtract(quantityOf(a), b)
        expect(quantityText(difference)).toBe(x.minus(y).toFixed())
        expect(compare(sum, difference)).toBe(x.plus(y).plus(z).comparedTo(x.minus(y)))
        expect(compare(quantityOf(a), quantityOf(b))).toBe(x.comparedTo(y))
        expect(isZero(subtract(quantityOf(a), a))).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })

  it('stay integers while safe and become decimals past 2^53 - 1', () => {
    expect(add(9_007_199_254_740_990, 1)).toBe(9_007_199_254_740_991)
    const past = add(9_007_199_254_740_991, '1')
    expect(typeof past).toBe('object')
    expect(quantityText(past)).toBe('9007199254740992')
    expect(quantityText(add(past, -1))).toBe('9007199254740991')
    expect(quantityOf('1000000000000000')).toBeInstanceOf(Decimal)
  })
})
