import type { Quantity } from '../money/amount.js'
import { Decimal, ZERO } from '../money/decimal.js'
import { roundMinor } from '../money/rounding.js'
import { type PriceOptions, priceCharge } from './price-charge.js'
import type { Charge, PrepaidBlockCharge, PriceResult } from './types.js'

/**
 * The period-end part of a `prepaid_block` charge: the units beyond the block priced on their own
 * and rounded once, `round(max(q − block_size, 0) × overage_unit_amount)`. The block itself is
 * billed in advance on its own line, so taking the difference of two rounded totals would round
 * twice and could be a minor unit off. Under `max_amount` the overage is what the cap leaves
 * beyond `block_amount`. The breakdown keeps only the overage tier, starting at the block size.
 *
 * @example
 * pricePrepaidOverage({ model: 'prepaid_block', block_size: '0.5', block_amount: '4.5',
 *   overage_unit_amount: '0.45' }, '12028.72')
 * // { amount: 5413, precise_amount: '5412.699', tiers: [{ from: 0.5, up_to: null, units: '12028.22', ... }] }
 */
export function pricePrepaidOverage(
  charge: PrepaidBlockCharge,
  quantity: Quantity,
  options: PriceOptions = {},
): PriceResult {
  const full = priceCharge(charge, quantity, options)
  const [block, ...beyond] = full.tiers ?? []
  let precise = beyond.reduce((sum, tier) => sum.plus(tier.amount), ZERO)
  if (full.capped === true) {
    const left = new Decimal(full.precise_amount).minus(block?.amount ?? 0)
    precise = Decimal.min(precise, Decimal.max(ZERO, left))
  }
  const result: PriceResult = {
    amount: roundMinor(precise, options.rounding ?? 'half_up'),
    precise_amount: precise.toFixed(),
    tiers: beyond.map((tier) => (block?.up_to == null ? tier : { ...tier, from: block.up_to })),
  }
  if (full.capped === true) result.capped = true
  return result
}

/**
 * What a charge adds for a period's quantity of its meter, as its usage line bills it: the price of
 * the quantity, except for a `prepaid_block` (billed in advance), whose usage is its overage alone.
 *
 * @example
 * priceUsage({ model: 'per_unit', unit_amount: '2' }, '500').amount // 1000
 */
export function priceUsage(
  charge: Exclude<Charge, { model: 'percentage' }>,
  quantity: Quantity,
  options: PriceOptions = {},
): PriceResult {
  return charge.model === 'prepaid_block'
    ? pricePrepaidOverage(charge, quantity, options)
    : priceCharge(charge, quantity, options)
}
