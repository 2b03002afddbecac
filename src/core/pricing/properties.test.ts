import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal } from '../money/decimal.js'
import { priceCharge } from './price-charge.js'
import type { Charge, Tier } from './types.js'

// Prices in minor units with up to 4 decimals, quantities with up to 3: the shapes real plans use.
const amountArb = fc
  .tuple(fc.nat(100_000), fc.nat(9999))
  .map(([whole, frac]) => (frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(4, '0')}`))
const quantityArb = fc.oneof(
  fc.nat(10_000_000),
  fc.tuple(fc.nat(1_000_000), fc.nat(999)).map(([w, f]) => `${w}.${String(f).padStart(3, '0')}`),
)
const tiersArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 0, maxLength: 5 })
  .chain((bounds) => {
    const upTos = [...bounds.sort((a, b) => a - b), null]
    return fc.tuple(
      ...upTos.map((up_to) =>
        fc.record({
          up_to: fc.constant(up_to),
          unit_amount: amountArb,
          flat_amount: fc.option(amountArb, { nil: undefined }),
        }),
      ),
    )
  })
  .map(
    (tiers) =>
      tiers.map((t) =>
        t.flat_amount === undefined ? { up_to: t.up_to, unit_amount: t.unit_amount } : t,
      ) as Tier[],
  )
const chargeArb: fc.Arbitrary<Charge> = fc.oneof(
  amountArb.map((unit_amount) => ({ model: 'per_unit' as const, unit_amount })),
  fc
    .tuple(fc.integer({ min: 1, max: 10_000 }), amountArb, fc.nat(5000))
    .map(([package_size, package_amount, free_units]) => ({
      model: 'package' as const,
      package_size,
      package_amount,
      free_units,
    })),
  tiersArb.map((tiers) => ({ model: 'graduated' as const, tiers })),
  tiersArb.map((tiers) => ({ model: 'volume' as const, tiers })),
  fc
    .tuple(fc.integer({ min: 1, max: 1_000_000 }), amountArb, fc.option(amountArb, { nil: undefined }))
    .map(([block_size, block_amount, overage]) => ({
      model: 'prepaid_block' as const,
      block_size,
      block_amount,
      ...(overage === undefined ? {} : { overage_unit_amount: overage }),
    })),
  fc
    .tuple(amountArb, amountArb)
    .map(([rate, fixed_amount]) => ({ model: 'percentage' as const, rate, fixed_amount })),
)
const modeArb = fc.constantFrom('half_up' as const, 'half_even' as const)

describe('pricing invariants', () => {
  it('graduated is non-decreasing in quantity', () => {
    fc.assert(
      fc.property(tiersArb, quantityArb, quantityArb, (tiers, a, b) => {
        const [lo, hi] = new Decimal(a).lessThanOrEqualTo(b) ? [a, b] : [b, a]
        const charge: Charge = { model: 'graduated', tiers }
        const low = new Decimal(priceCharge(charge, lo).precise_amount)
        expect(low.lessThanOrEqualTo(priceCharge(charge, hi).precise_amount)).toBe(true)
      }),
    )
  })

  it('a one-tier graduated charge equals per_unit', () => {
    fc.assert(
      fc.property(amountArb, quantityArb, (unit_amount, q) => {
        const graduated = priceCharge({ model: 'graduated', tiers: [{ up_to: null, unit_amount }] }, q)
        const perUnit = priceCharge({ model: 'per_unit', unit_amount }, q)
        expect(graduated.precise_amount).toBe(perUnit.precise_amount)
        expect(graduated.amount).toBe(perUnit.amount)
      }),
    )
  })

  it('volume and graduated agree when there is one tier', () => {
    fc.assert(
      fc.property(
        amountArb,
        fc.option(amountArb, { nil: undefined }),
        quantityArb,
        (unit_amount, flat, q) => {
          const tier: Tier =
            flat === undefined
              ? { up_to: null, unit_amount }
              : { up_to: null, unit_amount, flat_amount: flat }
          const volume = priceCharge({ model: 'volume', tiers: [tier] }, q)
          expect(priceCharge({ model: 'graduated', tiers: [tier] }, q).precise_amount).toBe(
            volume.precise_amount,
          )
        },
      ),
    )
  })

  it('the tier breakdown sums to precise_amount', () => {
    fc.assert(
      fc.property(chargeArb, quantityArb, (charge, q) => {
        const result = priceCharge(charge, q)
        if (result.tiers === undefined) return
        const sum = result.tiers.reduce((acc, t) => acc.plus(t.amount), new Decimal(0))
        expect(sum.toFixed()).toBe(result.precise_amount)
        for (const t of result.tiers) expect(new Decimal(t.units).isNegative()).toBe(false)
      }),
    )
  })

  it('amount is precise_amount rounded under the chosen mode', () => {
    fc.assert(
      fc.property(chargeArb, quantityArb, modeArb, (charge, q, mode) => {
        const result = priceCharge(charge, q, { rounding: mode })
        const rounding = mode === 'half_up' ? Decimal.ROUND_HALF_UP : Decimal.ROUND_HALF_EVEN
        expect(result.amount).toBe(new Decimal(result.precise_amount).toDecimalPlaces(0, rounding).toNumber())
        expect(Number.isSafeInteger(result.amount)).toBe(true)
      }),
    )
  })

  it('max_amount is never exceeded, and applies only when reached', () => {
    fc.assert(
      fc.property(chargeArb, fc.nat(50_000_000), quantityArb, modeArb, (charge, cap, q, mode) => {
        const uncapped = priceCharge(charge, q, { rounding: mode })
        const capped = priceCharge({ ...charge, max_amount: cap }, q, { rounding: mode })
        expect(capped.amount).toBeLessThanOrEqual(cap)
        expect(capped.amount).toBe(Math.min(uncapped.amount, cap))
      }),
    )
  })
})
