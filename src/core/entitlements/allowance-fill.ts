import { Decimal } from '../money/decimal.js'
import type { AllowanceRecord } from '../ports/index.js'
import { WHOLE } from './quantity.js'

/** The fill stored for an allowance of zero (or less) that is in use: above any ratio asked. */
const OVERFULL = 1e9

/**
 * How full an allowance is: `(used + reserved) / (limit + granted)` as a double, or null when it
 * has no limit. An allowance of zero or less is full (1) while unused and over-full (1e9) once used.
 * Storages keep it beside the document, written in the same statements, to filter and order by.
 *
 * @example
 * allowanceFill({ ...allowance, limit: '100', granted: '0', used: '80', reserved: '5' }) // 0.85
 */
export function allowanceFill(
  allowance: Pick<AllowanceRecord, 'limit' | 'granted' | 'used' | 'reserved'>,
): number | null {
  const { limit, granted, used, reserved } = allowance
  if (limit === null) return null
  // Whole quantities below 10^15 are exact as doubles, and so are their sums: one division, as
  // correctly rounded as the decimal quotient's conversion (the common case, on every append).
  if (WHOLE.test(limit) && WHOLE.test(granted) && WHOLE.test(used) && WHOLE.test(reserved)) {
    const usage = Number(used) + Number(reserved)
    const capacity = Number(limit) + Number(granted)
    if (capacity <= 0) return usage > 0 ? OVERFULL : 1
    return Math.min(usage / capacity, OVERFULL)
  }
  const usage = new Decimal(used).plus(reserved)
  const capacity = new Decimal(limit).plus(granted)
  if (capacity.lte(0)) return usage.gt(0) ? OVERFULL : 1
  return Math.min(usage.div(capacity).toNumber(), OVERFULL)
}
