import type { Decimal } from '../money/decimal.js'
import { ZERO } from '../money/decimal.js'
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
  // A tier the quantity passes through completely always prices the same: precompute its line, and
  // the running total up to each tier, so pricing only computes the one tier the quantity ends in.
  const starts: Decimal[] = []
  const totalsBefore: Decimal[] = []
  const fullLines: TierBreakdown[] = []
  let start = ZERO
  let total = ZERO
  for (const tier of tiers) {
    starts.push(start)
    totalsBefore.push(total)
    if (tier.upTo === null) break
    const { line, amount } = tierLine(tier, tier.upTo.minus(start))
    fullLines.push(line)
    total = total.plus(amount)
    start = tier.upTo
  }
  return (quantity) => {
    if (quantity.isZero()) return { precise: ZERO, tiers: [] }
    let i = 0
    while (tiers[i]!.upTo !== null && quantity.greaterThan(tiers[i]!.upTo!)) i++
    const lines = fullLines.slice(0, i).map((line) => ({ ...line }))
    const { line, amount } = tierLine(tiers[i]!, quantity.minus(starts[i]!))
    lines.push(line)
    return { precise: totalsBefore[i]!.plus(amount), tiers: lines }
  }
}
