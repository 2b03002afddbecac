import { parseAmount, parseQuantity, type Quantity } from '../money/amount.js'
import { Decimal, ZERO } from '../money/decimal.js'
import type { PercentageCharge } from './types.js'
import { validateCharge } from './validate-charge.js'

const HUNDRED = new Decimal(100)

/** Prices one event's value under a `percentage` charge, unrounded. */
export type PercentageEventPricer = (value: Decimal) => Decimal

/**
 * Compiles the per-event price of a `percentage` charge:
 * `value × rate / 100 + fixed_amount`, clamped to `[min_amount, max_amount_per_event]`.
 *
 * @example
 * const price = compilePercentageEvent({ model: 'percentage', rate: '1.5', fixed_amount: '10000' })
 * price(new Decimal(2_000_000)).toFixed() // '40000' (₦300 + ₦100 on a ₦20,000 payment)
 */
export function compilePercentageEvent(charge: PercentageCharge): PercentageEventPricer {
  const rate = parseAmount(charge.rate, 'rate').dividedBy(HUNDRED)
  const fixed = charge.fixed_amount === undefined ? ZERO : parseAmount(charge.fixed_amount, 'fixed_amount')
  const min = charge.min_amount === undefined ? undefined : parseAmount(charge.min_amount, 'min_amount')
  const max =
    charge.max_amount_per_event === undefined
      ? undefined
      : parseAmount(charge.max_amount_per_event, 'max_amount_per_event')
  return (value) => {
    let price = value.times(rate).plus(fixed)
    if (min !== undefined && price.lessThan(min)) price = min
    if (max !== undefined && price.greaterThan(max)) price = max
    return price
  }
}

/**
 * The per-event pricer ingestion uses for `percentage` charges: validates the charge once and
 * returns a function from one event's value to its exact, unrounded price as a decimal string.
 *
 * @example
 * const price = createPercentageEventPricer({ model: 'percentage', rate: '1.5', max_amount_per_event: '200000' })
 * price(50_000_000) // '200000' (1.5% of ₦500,000 is ₦7,500, capped at ₦2,000)
 */
export function createPercentageEventPricer(charge: PercentageCharge): (value: Quantity) => string {
  const valid = validateCharge(charge)
  if (valid.model !== 'percentage') throw new Error('unreachable: validated as percentage')
  const price = compilePercentageEvent(valid)
  return (value) => price(parseQuantity(value, 'value')).toFixed()
}
