import { describe, expect, it } from 'vitest'
import { BillingError } from '../errors.js'
import { priceCharge } from './price-charge.js'
import { createPercentageEventPricer } from './price-percentage.js'
import type { Charge } from './types.js'

const tiers = [
  { up_to: 100, unit_amount: '50', flat_amount: '1000' },
  { up_to: 1000, unit_amount: '40', flat_amount: '2000' },
  { up_to: null, unit_amount: '30' },
]

describe('per_unit', () => {
  it('multiplies exactly, with fractional quantities and prices', () => {
    expect(priceCharge({ model: 'per_unit', unit_amount: '0.35' }, '10.5').precise_amount).toBe('3.675')
    expect(priceCharge({ model: 'per_unit', unit_amount: 50 }, 0)).toEqual({ amount: 0, precise_amount: '0' })
  })
})

describe('package', () => {
  const charge: Charge = { model: 'package', package_size: 1000, package_amount: '200', free_units: 500 }
  it.each([
    [0, 0],
    [500, 0],
    [501, 200],
    [1500, 200],
    [1501, 400],
    ['1500.5', 400],
  ])('%s units with 500 free → %i', (q, amount) => {
    expect(priceCharge(charge, q).amount).toBe(amount)
  })
})

describe('graduated', () => {
  it('charges a tier flat_amount once the tier is entered, and not before', () => {
    const charge: Charge = { model: 'graduated', tiers }
    expect(priceCharge(charge, 0).amount).toBe(0)
    expect(priceCharge(charge, 1).amount).toBe(1050) // 1×50 + 1000
    expect(priceCharge(charge, 100).amount).toBe(6000) // 100×50 + 1000
    expect(priceCharge(charge, 101).amount).toBe(8040) // 6000 + 1×40 + 2000
    expect(priceCharge(charge, 1001).amount).toBe(6000 + 36_000 + 2000 + 30)
  })

  it('uses the exact fractional quantity for tier membership', () => {
    const result = priceCharge({ model: 'graduated', tiers }, '100.5')
    expect(result.tiers?.map((t) => t.units)).toEqual(['100', '0.5'])
    expect(result.precise_amount).toBe('8020')
  })
})

describe('volume', () => {
  const charge: Charge = { model: 'volume', tiers }
  it.each([
    [0, 0],
    [1, 1050],
    [100, 6000],
    [101, 101 * 40 + 2000],
    [1000, 1000 * 40 + 2000],
    [1001, 1001 * 30],
  ])('%i units → %i (the containing tier prices every unit)', (q, amount) => {
    expect(priceCharge(charge, q).amount).toBe(amount)
  })

  it('breaks down into the single tier used', () => {
    expect(priceCharge(charge, 150).tiers).toEqual([
      { up_to: 1000, units: '150', unit_amount: '40', flat_amount: '2000', amount: '8000' },
    ])
  })
})

describe('prepaid_block', () => {
  it('bills the block even when unused, and nothing beyond it without an overage price', () => {
    const charge: Charge = { model: 'prepaid_block', block_size: 200_000, block_amount: '5000000' }
    expect(priceCharge(charge, 0).amount).toBe(5_000_000)
    expect(priceCharge(charge, 900_000).amount).toBe(5_000_000)
  })

  it('breaks down into the block and the overage', () => {
    const charge: Charge = {
      model: 'prepaid_block',
      block_size: 100,
      block_amount: '1000',
      overage_unit_amount: '15',
    }
    expect(priceCharge(charge, 110).tiers).toEqual([
      { up_to: 100, units: '100', unit_amount: '0', flat_amount: '1000', amount: '1000' },
      { up_to: null, units: '10', unit_amount: '15', flat_amount: '0', amount: '150' },
    ])
  })
})

describe('percentage', () => {
  const charge: Charge = {
    model: 'percentage',
    rate: '1.5',
    fixed_amount: '10000',
    min_amount: '15000',
    max_amount_per_event: '200000',
  }

  it('prices each event, clamped to [min_amount, max_amount_per_event], and sums', () => {
    // ₦1,000 → 1500 + 10000 = 11500 → min 15000; ₦20,000 → 30000 + 10000 = 40000; ₦1,000,000 → cap 200000
    expect(priceCharge(charge, 100_000).amount).toBe(15_000)
    expect(priceCharge(charge, 2_000_000).amount).toBe(40_000)
    expect(priceCharge(charge, [100_000, 2_000_000, 100_000_000]).amount).toBe(255_000)
  })

  it('exposes the per-event pricer ingestion uses', () => {
    const price = createPercentageEventPricer({ model: 'percentage', rate: '0.75' })
    expect(price(12_345)).toBe('92.5875')
    expect(price('0')).toBe('0')
  })

  it('refuses a list of quantities for models not priced per event', () => {
    expect(() => priceCharge({ model: 'per_unit', unit_amount: 1 }, [1, 2])).toThrow(BillingError)
  })
})

describe('max_amount', () => {
  it('caps the line and says so', () => {
    const result = priceCharge({ model: 'per_unit', unit_amount: '50', max_amount: 100_000 }, 10_000)
    expect(result).toMatchObject({ amount: 100_000, precise_amount: '100000', capped: true })
    expect(
      priceCharge({ model: 'per_unit', unit_amount: '50', max_amount: 100_000 }, 10).capped,
    ).toBeUndefined()
  })
})

describe('rounding', () => {
  it('rounds once, half_up by default, half_even on request', () => {
    const charge: Charge = { model: 'per_unit', unit_amount: '0.5' }
    expect(priceCharge(charge, 5).amount).toBe(3)
    expect(priceCharge(charge, 5, { rounding: 'half_even' }).amount).toBe(2)
    expect(priceCharge(charge, 7, { rounding: 'half_even' }).amount).toBe(4)
  })

  it('refuses an unknown rounding mode', () => {
    expect(() => priceCharge({ model: 'per_unit', unit_amount: 1 }, 1, { rounding: 'up' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ROUNDING_MODE' }),
    )
  })
})
