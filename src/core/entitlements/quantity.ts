import { Decimal } from '../money/decimal.js'

/**
 * An exact quantity as the allowance ledger computes with it: a safe integer while it is one (no
 * allocation, the common case of counts and whole sums), else a decimal. Every operation is exact:
 * an integer result that would leave the safe range is computed as a decimal instead.
 */
export type Quantity = number | Decimal

/** Decimal strings of up to 15 digits without sign or point: safe integers, and so are their sums. */
export const WHOLE = /^\d{1,15}$/

/**
 * A decimal string as a quantity.
 *
 * @example
 * quantityOf('12') // 12
 * quantityOf('0.5') // Decimal 0.5
 */
export function quantityOf(text: string): Quantity {
  return WHOLE.test(text) ? Number(text) : new Decimal(text)
}

/**
 * `a + b`, exactly.
 *
 * @example
 * add(2, quantityOf('0.5')).toString() // '2.5'
 */
export function add(a: Quantity, b: Quantity | string): Quantity {
  const right = typeof b === 'string' ? quantityOf(b) : b
  if (typeof a === 'number' && typeof right === 'number') {
    const sum = a + right
    if (Number.isSafeInteger(sum)) return sum
  }
  return new Decimal(a).plus(right)
}

/**
 * `a - b`, exactly.
 *
 * @example
 * subtract(10, '3') // 7
 */
export function subtract(a: Quantity, b: Quantity | string): Quantity {
  const right = typeof b === 'string' ? quantityOf(b) : b
  if (typeof a === 'number' && typeof right === 'number') {
    const difference = a - right
    if (Number.isSafeInteger(difference)) return difference
  }
  return new Decimal(a).minus(right)
}

/**
 * -1, 0 or 1 as `a` is below, equal to or above `b`.
 *
 * @example
 * compare(3, quantityOf('2.5')) // 1
 */
export function compare(a: Quantity, b: Quantity): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  return new Decimal(a).comparedTo(b)
}

/**
 * Whether the quantity is zero.
 *
 * @example
 * isZero(quantityOf('0.000')) // true
 */
export function isZero(q: Quantity): boolean {
  return typeof q === 'number' ? q === 0 : q.isZero()
}

/**
 * The quantity as a plain decimal string (the form allowances store).
 *
 * @example
 * quantityText(add(1, '0.25')) // '1.25'
 */
export function quantityText(q: Quantity): string {
  return typeof q === 'number' ? String(q) : q.toFixed()
}
