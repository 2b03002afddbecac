import { Decimal, ZERO } from '../money/decimal.js'
import type { ModelPricer } from './model-pricer.js'
import { compileTiers, tierLine } from './tiers.js'
import type { GraduatedCharge, TierBreakdown } from './types.js'

/**
 * `graduated`: each tier prices the units that fall inside it, `(previous up_to, up_to]`, plus its
 * `flat_amount` once any unit enters the tier.
 *
 * @example
 * const price = compileGraduated({ model: 'graduated', tiers: [
 *   { up_to: 5, unit_amount: 700 }, { up_to: 10, unit_amount: 650 }, { up_to: null, unit_amount: 600 }] })
 * price(new Decimal(6)).precise.toFixed() // '4150'
 */
export function compileGraduated(charge: GraduatedCharge): ModelPricer {
  const tiers = compileTiers(charge.tiers)
  return (quantity) => {
    let total = ZERO
    let previous = ZERO
    const lines: TierBreakdown[] = []
    for (const tier of tiers) {
      if (!quantity.greaterThan(previous)) break
      const top = tier.upTo === null ? quantity : Decimal.min(quantity, tier.upTo)
      const { line, amount } = tierLine(tier, top.minus(previous))
      lines.push(line)
      total = total.plus(amount)
      if (tier.upTo === null) break
      previous = tier.upTo
    }
    return { precise: total, tiers: lines }
  }
}
