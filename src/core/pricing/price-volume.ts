import { ZERO } from '../money/decimal.js'
import type { ModelPricer } from './model-pricer.js'
import { compileTiers, tierLine } from './tiers.js'
import type { VolumeCharge } from './types.js'

/**
 * `volume`: the one tier that contains q prices all q units, plus that tier's `flat_amount`.
 * Nothing is charged for q = 0.
 *
 * @example
 * const price = compileVolume({ model: 'volume', tiers: [
 *   { up_to: 100, unit_amount: 50 }, { up_to: null, unit_amount: 30 }] })
 * price(new Decimal(150)).precise.toFixed() // '4500'
 */
export function compileVolume(charge: VolumeCharge): ModelPricer {
  const tiers = compileTiers(charge.tiers)
  return (quantity) => {
    if (quantity.isZero()) return { precise: ZERO, tiers: [] }
    // Validation guarantees the last tier is unbounded, so a tier always matches.
    const tier = tiers.find((t) => t.upTo === null || quantity.lessThanOrEqualTo(t.upTo)) ?? tiers.at(-1)!
    const { line, amount } = tierLine(tier, quantity)
    return { precise: amount, tiers: [line] }
  }
}
