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

  const TOO_BIG = '9007199254740992'
  const tiers = (tier: object) => [
    { up_to: 10, unit_amount: 1 },
    { up_to: null, unit_amount: 1, ...tier },
  ]
  it.each([
    ['unit_amount', { model: 'per_unit', unit_amount: TOO_BIG }],
    ['unit_amount', { model: 'per_unit', unit_amount: 1e308 }],
    ['max_amount', { model: 'per_unit', unit_amount: 1, max_amount: 1e20 }],
    ['package_amount', { model: 'package', package_size: 1, package_amount: TOO_BIG }],
    ['tiers[1].unit_amount', { model: 'graduated', tiers: tiers({ unit_amount: TOO_BIG }) }],
    ['tiers[1].flat_amount', { model: 'volume', tiers: tiers({ flat_amount: TOO_BIG }) }],
    ['block_amount', { model: 'prepaid_block', block_size: 1, block_amount: TOO_BIG }],
    [
      'overage_unit_amount',
      { model: 'prepaid_block', block_size: 1, block_amount: 1, overage_unit_amount: `${TOO_BIG}.5` },
    ],
    ['fixed_amount', { model: 'percentage', rate: 1, fixed_amount: TOO_BIG }],
    ['min_amount', { model: 'percentage', rate: 1, min_amount: TOO_BIG }],
    ['max_amount_per_event', { model: 'percentage', rate: 1, max_amount_per_event: TOO_BIG }],
  ])('refuses a %s no invoice could carry (above Number.MAX_SAFE_INTEGER minor units)', (path, charge) => {
    expect(rejection(charge)).toEqual({ code: 'AMOUNT_OVERFLOW', path })
  })

  it('accepts amounts up to Number.MAX_SAFE_INTEGER minor units, and fractional prices', () => {
    const max = String(Number.MAX_SAFE_INTEGER)
    expect(() => validateCharge({ model: 'per_unit', unit_amount: max, max_amount: max })).not.toThrow()
    expect(() => validateCharge({ model: 'per_unit', unit_amount: '0.000001' })).not.toThrow()
    expect(() =>
      validateCharge({ model: 'package', package_size: 1e30, package_amount: 1, free_units: 1e30 }),
    ).not.toThrow()
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
