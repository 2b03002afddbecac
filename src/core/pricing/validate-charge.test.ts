import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors.js'
import { priceCharge } from './price-charge.js'
import { validateCharge } from './validate-charge.js'

function rejection(charge: unknown, path?: string): { code: string; path: unknown } {
  try {
    validateCharge(charge, path)
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    const e = error as ValidationError
    return { code: e.code, path: e.details.path }
  }
  throw new Error('expected the charge to be refused')
}

describe('validateCharge', () => {
  it.each([
    ['an unknown model', { model: 'flat' }, 'UNKNOWN_CHARGE_MODEL', 'model'],
    ['a missing model', { unit_amount: 1 }, 'UNKNOWN_CHARGE_MODEL', 'model'],
    ['a non-object', 'per_unit', 'INVALID_CHARGE', ''],
    ['a missing unit_amount', { model: 'per_unit' }, 'INVALID_CHARGE', 'unit_amount'],
    [
      'a misspelt field',
      { model: 'per_unit', unit_amount: 1, unit_ammount: 1 },
      'INVALID_CHARGE',
      'unit_ammount',
    ],
    ['a negative price', { model: 'per_unit', unit_amount: '-0.5' }, 'INVALID_AMOUNT', 'unit_amount'],
    ['a price with two points', { model: 'per_unit', unit_amount: '1.2.3' }, 'INVALID_AMOUNT', 'unit_amount'],
    ['a NaN price', { model: 'per_unit', unit_amount: Number.NaN }, 'INVALID_AMOUNT', 'unit_amount'],
    [
      'a zero package size',
      { model: 'package', package_size: 0, package_amount: 1 },
      'INVALID_AMOUNT',
      'package_size',
    ],
    [
      'a negative block size',
      { model: 'prepaid_block', block_size: -5, block_amount: 1 },
      'INVALID_AMOUNT',
      'block_size',
    ],
    ['empty tiers', { model: 'graduated', tiers: [] }, 'INVALID_CHARGE', 'tiers'],
    [
      'a bounded last tier',
      { model: 'graduated', tiers: [{ up_to: 10, unit_amount: 1 }] },
      'INVALID_TIERS',
      'tiers[0].up_to',
    ],
    [
      'an unbounded middle tier',
      {
        model: 'volume',
        tiers: [
          { up_to: null, unit_amount: 1 },
          { up_to: null, unit_amount: 1 },
        ],
      },
      'INVALID_TIERS',
      'tiers[0].up_to',
    ],
    [
      'descending tiers',
      {
        model: 'graduated',
        tiers: [
          { up_to: 10, unit_amount: 1 },
          { up_to: 10, unit_amount: 1 },
          { up_to: null, unit_amount: 1 },
        ],
      },
      'INVALID_TIERS',
      'tiers[1].up_to',
    ],
    [
      'a fractional cap',
      { model: 'per_unit', unit_amount: 1, max_amount: '10.5' },
      'INVALID_AMOUNT',
      'max_amount',
    ],
    [
      'min above max per event',
      { model: 'percentage', rate: '1', min_amount: 10, max_amount_per_event: 5 },
      'INVALID_AMOUNT',
      'min_amount',
    ],
    [
      'a filter that is not a list',
      { model: 'per_unit', unit_amount: 1, filters: { m: 'x' } },
      'INVALID_CHARGE',
      'filters.m',
    ],
  ])('refuses %s', (_what, charge, code, path) => {
    expect(rejection(charge)).toEqual({ code, path })
  })

  it('prefixes paths with where the charge sits', () => {
    expect(rejection({ model: 'per_unit', unit_amount: -1 }, 'charges[2]')).toEqual({
      code: 'INVALID_AMOUNT',
      path: 'charges[2].unit_amount',
    })
  })

  it('lists every issue, not just the first', () => {
    try {
      validateCharge({ model: 'package', package_size: 0, package_amount: 'x' })
    } catch (error) {
      expect((error as ValidationError).details.issues?.map((i) => i.path).sort()).toEqual([
        'package_amount',
        'package_size',
      ])
    }
  })

  it('is applied by priceCharge', () => {
    expect(() => priceCharge({ model: 'per_unit', unit_amount: 'fifty' }, 1)).toThrow(ValidationError)
  })
})
