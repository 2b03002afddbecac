import { Decimal as DecimalJs } from 'decimal.js'

/**
 * The one decimal.js configuration kobometer computes with: 80 significant digits, so sums of
 * numeric properties (at most 20 integer and 30 fractional digits each, summing to 35 integer
 * digits) and their products with prices stay exact; plain notation so strings never use exponents.
 * Rounding to money happens only in `rounding.ts`, with an explicit mode.
 */
export const Decimal = DecimalJs.clone({
  precision: 80,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -100,
  toExpPos: 100,
})

/** A decimal value of kobometer's configuration. */
export type Decimal = InstanceType<typeof Decimal>

export const ZERO: Decimal = new Decimal(0)

/** decimal.js rounding constants (`Decimal.ROUND_HALF_UP`, …). */
export type DecimalRounding = DecimalJs.Rounding
