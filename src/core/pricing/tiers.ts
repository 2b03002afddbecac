import { parseAmount } from '../money/amount.js'
import { Decimal, ZERO } from '../money/decimal.js'
import type { Tier, TierBreakdown } from './types.js'

/** A tier with its amounts parsed; `upTo` null means unbounded. */
export interface CompiledTier {
  upToRaw: number | null
  upTo: Decimal | null
  unit: Decimal
  flat: Decimal
  // Pre-rendered once: the breakdown repeats them on every price.
  unitText: string
  flatText: string
}

/**
 * Parses validated tiers into decimals once, so pricing does no string parsing.
 *
 * @example
 * compileTiers([{ up_to: null, unit_amount: '50' }])[0].unit.toFixed() // '50'
 */
export function compileTiers(tiers: readonly Tier[]): CompiledTier[] {
  return tiers.map((tier, i) => {
    const unit = parseAmount(tier.unit_amount, `tiers[${i}].unit_amount`)
    const flat =
      tier.flat_amount === undefined ? ZERO : parseAmount(tier.flat_amount, `tiers[${i}].flat_amount`)
    return {
      upToRaw: tier.up_to,
      upTo: tier.up_to === null ? null : new Decimal(tier.up_to),
      unit,
      flat,
      unitText: unit.toFixed(),
      flatText: flat.toFixed(),
    }
  })
}

/**
 * The breakdown row of `units` priced in one tier, flat amount included.
 *
 * @example
 * tierLine(tier, new Decimal(5)) // { up_to: 5, units: '5', unit_amount: '700', flat_amount: '0', amount: '3500' }
 */
export function tierLine(tier: CompiledTier, units: Decimal): { line: TierBreakdown; amount: Decimal } {
  const product = units.times(tier.unit)
  const amount = tier.flat.isZero() ? product : product.plus(tier.flat)
  return {
    amount,
    line: {
      up_to: tier.upToRaw,
      units: units.toFixed(),
      unit_amount: tier.unitText,
      flat_amount: tier.flatText,
      amount: amount.toFixed(),
    },
  }
}
