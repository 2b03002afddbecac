import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BillingError, ValidationError } from '../errors.js'
import { parseAmount, parseQuantity } from './amount.js'
import { fromMinorUnits, toMinorUnits } from './convert.js'
import { getCurrency, listCurrencies } from './currencies.js'
import { Decimal } from './decimal.js'
import { formatMoney } from './format.js'
import { roundMinor } from './rounding.js'

function codeOf(fn: () => unknown): { code: string; path: unknown; error: unknown } {
  try {
    fn()
  } catch (error) {
    if (error instanceof BillingError) return { code: error.code, path: error.details.path, error }
    throw error
  }
  throw new Error('expected a BillingError')
}

describe('currencies', () => {
  it.each([
    ['NGN', 2],
    ['GHS', 2],
    ['KES', 2],
    ['ZAR', 2],
    ['EGP', 2],
    ['UGX', 0],
    ['RWF', 0],
    ['XOF', 0],
    ['XAF', 0],
    ['TZS', 2],
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %i minor digits', (code, exponent) => {
    expect(getCurrency(code).exponent).toBe(exponent)
  })

  it('refuses an unknown or lower-case code with UNKNOWN_CURRENCY', () => {
    expect(codeOf(() => getCurrency('XYZ'))).toMatchObject({ code: 'UNKNOWN_CURRENCY', path: 'currency' })
    expect(codeOf(() => getCurrency('ngn')).code).toBe('UNKNOWN_CURRENCY')
    expect(codeOf(() => formatMoney(100, 'NAIRA')).code).toBe('UNKNOWN_CURRENCY')
  })

  it('lists every currency it knows', () => {
    expect(listCurrencies()).toEqual(expect.arrayContaining(['NGN', 'KWD', 'XAF']))
  })
})

describe('parseAmount', () => {
  it.each([
    ['0.2', '0.2'],
    ['1234.50', '1234.5'],
    ['.5', '0.5'],
    [50, '50'],
    [0.1, '0.1'],
    [1e-7, '0.0000001'],
    ['0', '0'],
  ])('parses %j exactly', (input, expected) => {
    expect(parseAmount(input, 'unit_amount').toFixed()).toBe(expected)
  })

  it('converts numbers through their decimal string, never binary arithmetic', () => {
    expect(parseAmount(0.1, 'a').plus(parseAmount(0.2, 'a')).toFixed()).toBe('0.3')
  })

  it.each([
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['abc'],
    ['1.2.3'],
    ['1,000'],
    [' 1'],
    ['1e5'],
    [''],
    [null],
    [true],
    [{}],
  ])('refuses %j with INVALID_AMOUNT and the field path', (input) => {
    const r = codeOf(() => parseAmount(input, 'tiers[1].unit_amount'))
    expect(r).toMatchObject({ code: 'INVALID_AMOUNT', path: 'tiers[1].unit_amount' })
    expect(r.error).toBeInstanceOf(ValidationError)
  })

  it('refuses a negative price unless negatives are allowed', () => {
    expect(codeOf(() => parseAmount('-1', 'unit_amount'))).toMatchObject({ code: 'INVALID_AMOUNT' })
    expect(parseAmount('-1', 'credit', { allowNegative: true }).toFixed()).toBe('-1')
  })

  it('refuses negative or malformed quantities with INVALID_QUANTITY', () => {
    expect(codeOf(() => parseQuantity(-1)).code).toBe('INVALID_QUANTITY')
    expect(codeOf(() => parseQuantity('ten')).code).toBe('INVALID_QUANTITY')
    expect(parseQuantity('1234567.891').toFixed()).toBe('1234567.891')
  })
})

describe('roundMinor', () => {
  it.each([
    ['2.5', 'half_up', 3],
    ['2.5', 'half_even', 2],
    ['3.5', 'half_even', 4],
    ['-2.5', 'half_up', -3],
    ['246913.4', 'half_up', 246913],
    ['0.4999999999999', 'half_up', 0],
  ] as const)('%s under %s → %i', (value, mode, expected) => {
    expect(roundMinor(new Decimal(value), mode)).toBe(expected)
  })

  it('throws AMOUNT_OVERFLOW beyond the safe integer range', () => {
    expect(codeOf(() => roundMinor(new Decimal('9007199254740993'))).code).toBe('AMOUNT_OVERFLOW')
  })

  it('always returns an integer within half a unit of the value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.nat(999_999), (whole, frac) => {
        const value = new Decimal(`${whole}.${String(frac).padStart(6, '0')}`)
        for (const mode of ['half_up', 'half_even'] as const) {
          const n = roundMinor(value, mode)
          expect(Number.isSafeInteger(n)).toBe(true)
          expect(value.minus(n).abs().lessThanOrEqualTo('0.5')).toBe(true)
        }
      }),
    )
  })
})

describe('major ↔ minor conversion', () => {
  it('is exact', () => {
    expect(toMinorUnits('1234.50', 'NGN')).toBe(123450)
    expect(toMinorUnits('0.29', 'NGN')).toBe(29)
    expect(toMinorUnits(0.29, 'NGN')).toBe(29) // 0.29 * 100 is 28.999999999999996 in floats
    expect(toMinorUnits('1000', 'UGX')).toBe(1000)
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234)
    expect(fromMinorUnits(123450, 'NGN')).toBe('1234.50')
    expect(fromMinorUnits(5, 'NGN')).toBe('0.05')
    expect(fromMinorUnits(1500, 'KWD')).toBe('1.500')
    expect(fromMinorUnits(1000, 'XOF')).toBe('1000')
  })

  it('refuses more decimals than the currency has, unless told how to round', () => {
    expect(codeOf(() => toMinorUnits('1.005', 'NGN')).code).toBe('INVALID_AMOUNT')
    expect(codeOf(() => toMinorUnits('10.5', 'UGX')).code).toBe('INVALID_AMOUNT')
    expect(toMinorUnits('1.005', 'NGN', { rounding: 'half_up' })).toBe(101)
    expect(toMinorUnits('1.005', 'NGN', { rounding: 'half_even' })).toBe(100)
  })

  it('round-trips every integer amount in every currency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
        fc.constantFrom(...listCurrencies()),
        (n, c) => {
          expect(toMinorUnits(fromMinorUnits(n, c), c)).toBe(n)
        },
      ),
    )
  })
})

describe('formatMoney', () => {
  it.each([
    [123450, 'NGN', '₦1,234.50'],
    [5, 'NGN', '₦0.05'],
    [0, 'NGN', '₦0.00'],
    [-5000, 'NGN', '-₦50.00'],
    [123456789, 'NGN', '₦1,234,567.89'],
    [1000, 'UGX', 'USh1,000'],
    [1500, 'KWD', 'KD1.500'],
    [99, 'USD', '$0.99'],
  ])('%i %s → %s', (minor, currency, expected) => {
    expect(formatMoney(minor, currency)).toBe(expected)
  })

  it('prints the ISO code on request', () => {
    expect(formatMoney(123450, 'NGN', { display: 'code' })).toBe('NGN 1,234.50')
  })

  it('refuses a fractional minor amount', () => {
    expect(codeOf(() => formatMoney(1.5, 'NGN')).code).toBe('INVALID_AMOUNT')
  })

  it('prints a big-integer sum past 2^53 exactly, and agrees with numbers below it', () => {
    expect(formatMoney(2n ** 53n + 1n, 'NGN')).toBe('₦90,071,992,547,409.93')
    expect(formatMoney(-(10n ** 18n) - 5n, 'KWD')).toBe('-KD1,000,000,000,000,000.005')
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
        fc.constantFrom(...listCurrencies()),
        (n, c) => {
          expect(formatMoney(BigInt(n), c)).toBe(formatMoney(n, c))
        },
      ),
    )
  })
})
