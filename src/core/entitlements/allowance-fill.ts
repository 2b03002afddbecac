import { Decimal } from '../money/decimal.js'
import type { AllowanceRecord } from '../ports/index.js'

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
  if (allowance.limit === null) return null
  const usage = new Decimal(allowance.used).plus(allowance.reserved)
  const capacity = new Decimal(allowance.limit).plus(allowance.granted)
  if (capacity.lte(0)) return usage.gt(0) ? OVERFULL : 1
  return Math.min(usage.div(capacity).toNumber(), OVERFULL)
}
