import { Decimal, ZERO } from '../money/decimal.js'
import { type RoundingMode, roundMinor } from '../money/rounding.js'
import type { InvoiceLine } from './types.js'

const HUNDRED = new Decimal(100)

/**
 * Adds one tax line per rate, each computed once on the subtotal (the sum of the rounded lines) and
 * rounded once, and returns the totals: `total = subtotal + tax`.
 *
 * @example
 * withTax([{ type: 'fixed', description: 'Fee', amount: 500000, precise_amount: '500000' }],
 *   [{ name: 'VAT', percent: '7.5' }], 'half_up')
 * // { lines: [fee, { type: 'tax', description: 'VAT (7.5%)', amount: 37500, ... }], subtotal: 500000, tax: 37500, total: 537500 }
 */
export function withTax(
  lines: readonly InvoiceLine[],
  rates: ReadonlyArray<{ name: string; percent: string }>,
  rounding: RoundingMode,
): { lines: InvoiceLine[]; subtotal: number; tax: number; total: number } {
  // Sums are checked too: lines each within range may add up beyond it (AMOUNT_OVERFLOW).
  const subtotal = roundMinor(
    lines.reduce((sum, line) => sum.plus(line.amount), ZERO),
    rounding,
  )
  const out = [...lines]
  let tax = ZERO
  for (const rate of rates) {
    const precise = new Decimal(subtotal).times(rate.percent).dividedBy(HUNDRED)
    const amount = roundMinor(precise, rounding)
    tax = tax.plus(amount)
    out.push({
      type: 'tax',
      description: `${rate.name} (${new Decimal(rate.percent).toFixed()}%)`,
      amount,
      precise_amount: precise.toFixed(),
      tax_percent: new Decimal(rate.percent).toFixed(),
    })
  }
  return {
    lines: out,
    subtotal,
    tax: roundMinor(tax, rounding),
    total: roundMinor(tax.plus(subtotal), rounding),
  }
}
