import { describe, expect, it } from 'vitest'
import { priceCharge } from './price-charge.js'
import type { GraduatedCharge } from './types.js'

describe("Stripe's tiered-pricing example (graduated, cents)", () => {
  const charge: GraduatedCharge = {
    model: 'graduated',
    tiers: [
      { up_to: 5, unit_amount: 700 },
      { up_to: 10, unit_amount: 650 },
      { up_to: null, unit_amount: 600 },
    ],
  }
  it.each([
    [1, 700],
    [5, 3500],
    [6, 4150],
    [20, 12750],
    [25, 15750],
  ])('%i units → %i', (quantity, amount) => {
    expect(priceCharge(charge, quantity).amount).toBe(amount)
  })
})

describe('the published price cards, in kobo', () => {
  it('₦0.50 per request: 1,234 requests → ₦617.00', () => {
    expect(priceCharge({ model: 'per_unit', unit_amount: '50' }, 1234)).toEqual({
      amount: 61_700,
      precise_amount: '61700',
    })
  })

  it('₦2.00 per 1,000 tokens as a package: 1,234,567 tokens → 1,235 packages → ₦2,470.00', () => {
    const charge = { model: 'package', package_size: 1000, package_amount: '200' } as const
    expect(priceCharge(charge, 1_234_567).amount).toBe(247_000)
  })

  it('₦2.00 per 1,000 tokens as per_unit 0.2 kobo: 1,234,567 tokens → ₦2,469.13', () => {
    expect(priceCharge({ model: 'per_unit', unit_amount: '0.2' }, 1_234_567)).toEqual({
      amount: 246_913,
      precise_amount: '246913.4',
    })
  })

  it('first 10k free → ₦0.40 → ₦0.20 (second tier to 100,000): 150,000 calls → ₦46,000.00', () => {
    const result = priceCharge(
      {
        model: 'graduated',
        tiers: [
          { up_to: 10_000, unit_amount: '0' },
          { up_to: 100_000, unit_amount: '40' },
          { up_to: null, unit_amount: '20' },
        ],
      },
      150_000,
    )
    expect(result.amount).toBe(4_600_000)
    expect(result.tiers?.map((t) => [t.units, t.amount])).toEqual([
      ['10000', '0'],
      ['90000', '3600000'],
      ['50000', '1000000'],
    ])
  })

  it('₦50,000 for 200k calls, then ₦0.30 overage: 230,000 calls → ₦59,000.00', () => {
    const charge = {
      model: 'prepaid_block',
      block_size: 200_000,
      block_amount: '5000000',
      overage_unit_amount: '30',
    } as const
    expect(priceCharge(charge, 230_000).amount).toBe(5_900_000)
    expect(priceCharge(charge, 150_000).amount).toBe(5_000_000)
  })
})
