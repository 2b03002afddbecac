import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal } from '../money/decimal.js'
import { pricePrepaidOverage } from './price-prepaid-overage.js'
import type { PrepaidBlockCharge } from './types.js'

// Decimals with up to `places` fractional digits, as strings: the shapes real plans and meters use.
const decimalArb = (maxWhole: number, places: number) =>
  fc
    .tuple(fc.nat(maxWhole), fc.nat(10 ** places - 1))
    .map(([whole, frac]) => (frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(places, '0')}`))

const positiveArb = (maxWhole: number, places: number) =>
  decimalArb(maxWhole, places).filter((d) => new Decimal(d).greaterThan(0))

describe('prepaid_block overage at period end', () => {
  it('prices the overage on its own: block 0.5 units for 4.5, 0.45 beyond, 12,028.72 used → 5413', () => {
    const charge: PrepaidBlockCharge = {
      model: 'prepaid_block',
      block_size: '0.5',
      block_amount: '4.5',
      overage_unit_amount: '0.45',
    }
    expect(pricePrepaidOverage(charge, '12028.72')).toMatchObject({
      amount: 5413,
      precise_amount: '5412.699',
      tiers: [{ from: 0.5, up_to: null, units: '12028.22', unit_amount: '0.45', amount: '5412.699' }],
    })
  })

  it('is round(max(q − block_size, 0) × overage_unit_amount) for any block, price and usage', () => {
    fc.assert(
      fc.property(
        positiveArb(1_000_000, 3),
        decimalArb(10_000_000, 4),
        decimalArb(100_000, 4),
        decimalArb(10_000_000, 3),
        fc.constantFrom('half_up' as const, 'half_even' as const),
        (block_size, block_amount, overage_unit_amount, quantity, rounding) => {
          const charge: PrepaidBlockCharge = {
            model: 'prepaid_block',
            block_size,
            block_amount,
            overage_unit_amount,
          }
          const exact = Decimal.max(0, new Decimal(quantity).minus(block_size)).times(overage_unit_amount)
          const mode = rounding === 'half_up' ? Decimal.ROUND_HALF_UP : Decimal.ROUND_HALF_EVEN
          const line = pricePrepaidOverage(charge, quantity, { rounding })
          expect(line.precise_amount).toBe(exact.toFixed())
          expect(line.amount).toBe(exact.toDecimalPlaces(0, mode).toNumber())
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('bills nothing beyond the block without an overage price', () => {
    const charge: PrepaidBlockCharge = { model: 'prepaid_block', block_size: 100, block_amount: '1000' }
    expect(pricePrepaidOverage(charge, 500)).toMatchObject({ amount: 0, precise_amount: '0', tiers: [] })
  })

  it('under max_amount, bills what the cap leaves beyond the block', () => {
    const charge: PrepaidBlockCharge = {
      model: 'prepaid_block',
      block_size: 100,
      block_amount: '1000.4',
      overage_unit_amount: '15',
      max_amount: 1500,
    }
    expect(pricePrepaidOverage(charge, 200)).toMatchObject({
      amount: 500,
      precise_amount: '499.6',
      capped: true,
    })
  })
})
