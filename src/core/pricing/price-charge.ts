import { ErrorCode, ValidationError } from '../errors.js'
import { parseAmount, parseQuantity, type Quantity } from '../money/amount.js'
import { type Decimal, ZERO } from '../money/decimal.js'
import { assertRoundingMode, type RoundingMode, roundMinor } from '../money/rounding.js'
import type { ModelPricer } from './model-pricer.js'
import { compileGraduated } from './price-graduated.js'
import { compilePackage } from './price-package.js'
import { compilePerUnit } from './price-per-unit.js'
import { compilePercentageEvent } from './price-percentage.js'
import { compilePrepaidBlock } from './price-prepaid-block.js'
import { compileVolume } from './price-volume.js'
import type { Charge, PriceResult } from './types.js'
import { validateCharge } from './validate-charge.js'

/** Options of {@link priceCharge}. */
export interface PriceOptions {
  /** How the precise amount becomes integer minor units. Default `half_up`. */
  rounding?: RoundingMode
}

interface CompiledCharge {
  /** Prices one quantity (for `percentage`: one event's value). */
  price: ModelPricer
  perEvent: boolean
  cap: Decimal | undefined
}

// Charges are plan data: defined once, priced millions of times. Validating and parsing each charge
// object once (keyed by identity) keeps the hot path to decimal arithmetic. Charge objects are
// therefore treated as immutable once priced: price a changed charge as a new object.
const compiled = new WeakMap<object, CompiledCharge>()

function compile(charge: Charge): CompiledCharge {
  const cap = charge.max_amount === undefined ? undefined : parseAmount(charge.max_amount, 'max_amount')
  switch (charge.model) {
    case 'per_unit':
      return { price: compilePerUnit(charge), perEvent: false, cap }
    case 'package':
      return { price: compilePackage(charge), perEvent: false, cap }
    case 'graduated':
      return { price: compileGraduated(charge), perEvent: false, cap }
    case 'volume':
      return { price: compileVolume(charge), perEvent: false, cap }
    case 'prepaid_block':
      return { price: compilePrepaidBlock(charge), perEvent: false, cap }
    case 'percentage': {
      const perEvent = compilePercentageEvent(charge)
      return { price: (value) => ({ precise: perEvent(value) }), perEvent: true, cap }
    }
  }
}

function compiledFor(charge: Charge): CompiledCharge {
  let entry = compiled.get(charge)
  if (entry === undefined) {
    entry = compile(validateCharge(charge))
    compiled.set(charge, entry)
  }
  return entry
}

/**
 * Prices one charge for one quantity: the exact amount, the amount rounded once to integer minor
 * units, and the tier breakdown for tiered and block models. `max_amount` caps the amount.
 * For `percentage`, `quantity` is one event's value, or an array of event values priced one by one
 * and summed.
 *
 * @example
 * priceCharge({ model: 'per_unit', unit_amount: '0.2' }, 1_234_567)
 * // { amount: 246913, precise_amount: '246913.4' }
 * priceCharge({ model: 'graduated', tiers: [
 *   { up_to: 10_000, unit_amount: '0' }, { up_to: 100_000, unit_amount: '40' }, { up_to: null, unit_amount: '20' },
 * ] }, 150_000).amount // 4600000 (₦46,000)
 */
export function priceCharge(
  charge: Charge,
  quantity: Quantity | readonly Quantity[],
  options: PriceOptions = {},
): PriceResult {
  const rounding = options.rounding ?? 'half_up'
  if (options.rounding !== undefined) assertRoundingMode(rounding, 'options.rounding')
  const entry = compiledFor(charge)
  let precise: Decimal
  let tiers: PriceResult['tiers']
  if (Array.isArray(quantity)) {
    if (!entry.perEvent) {
      throw new ValidationError(
        ErrorCode.INVALID_QUANTITY,
        `quantity must be a single number or decimal string for a ${charge.model} charge`,
        { path: 'quantity' },
      )
    }
    precise = ZERO
    quantity.forEach((value, i) => {
      precise = precise.plus(entry.price(parseQuantity(value, `quantity[${i}]`)).precise)
    })
  } else {
    const priced = entry.price(parseQuantity(quantity))
    precise = priced.precise
    tiers = priced.tiers
  }
  return finish(entry, precise, tiers, rounding)
}

/**
 * Completes a charge's price from an exact amount computed elsewhere (the invoice's percentage
 * totals): applies `max_amount` and rounds once, as {@link priceCharge} does.
 *
 * @example
 * finishPrice(charge, new Decimal('1234.5'), 'half_up') // { amount: 1235, precise_amount: '1234.5' }
 */
export function finishPrice(charge: Charge, precise: Decimal, rounding: RoundingMode): PriceResult {
  return finish(compiledFor(charge), precise, undefined, rounding)
}

function finish(
  entry: CompiledCharge,
  exact: Decimal,
  tiers: PriceResult['tiers'],
  rounding: RoundingMode,
): PriceResult {
  let precise = exact
  const capped = entry.cap !== undefined && precise.greaterThan(entry.cap)
  if (capped) precise = entry.cap as Decimal
  const text = precise.toFixed()
  // A whole amount needs no rounding: read it from the string already made (one conversion, not two).
  const whole = text.includes('.') ? Number.NaN : Number(text)
  const amount = Number.isSafeInteger(whole) ? whole + 0 : roundMinor(precise, rounding)
  const result: PriceResult = { amount, precise_amount: text }
  if (tiers !== undefined) result.tiers = tiers
  if (capped) result.capped = true
  return result
}
