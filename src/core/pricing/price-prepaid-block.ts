import { parseAmount } from '../money/amount.js'
import { Decimal } from '../money/decimal.js'
import type { ModelPricer } from './model-pricer.js'
import type { PrepaidBlockCharge, TierBreakdown } from './types.js'

/**
 * `prepaid_block`: `block_amount` buys `block_size` units each period (billed even when unused);
 * units beyond the block cost `overage_unit_amount` each. Without an overage price, usage beyond the
 * block bills nothing (entitlements block it instead).
 *
 * @example
 * const price = compilePrepaidBlock({ model: 'prepaid_block', block_size: 200_000,
 *   block_amount: '5000000', overage_unit_amount: '30' })
 * price(new Decimal(210_000)).precise.toFixed() // '5300000'
 */
export function compilePrepaidBlock(charge: PrepaidBlockCharge): ModelPricer {
  const size = parseAmount(charge.block_size, 'block_size')
  const blockAmount = parseAmount(charge.block_amount, 'block_amount')
  const overage =
    charge.overage_unit_amount === undefined
      ? undefined
      : parseAmount(charge.overage_unit_amount, 'overage_unit_amount')
  const sizeRaw = size.toNumber()
  return (quantity) => {
    const inBlock = Decimal.min(quantity, size)
    const lines: TierBreakdown[] = [
      {
        up_to: sizeRaw,
        units: inBlock.toFixed(),
        unit_amount: '0',
        flat_amount: blockAmount.toFixed(),
        amount: blockAmount.toFixed(),
      },
    ]
    const beyond = quantity.minus(inBlock)
    if (overage === undefined || beyond.isZero()) return { precise: blockAmount, tiers: lines }
    const overageAmount = beyond.times(overage)
    lines.push({
      up_to: null,
      units: beyond.toFixed(),
      unit_amount: overage.toFixed(),
      flat_amount: '0',
      amount: overageAmount.toFixed(),
    })
    return { precise: blockAmount.plus(overageAmount), tiers: lines }
  }
}
