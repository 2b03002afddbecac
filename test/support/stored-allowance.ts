import type { AllowanceRecord } from '../../src/core/ports/index.js'

/** January 2027, the period the upgrade tests store allowances in by default. */
export const JAN = Date.UTC(2027, 0, 1)
const DAY = 86_400_000

/**
 * An allowance of `customer_id`'s calls as a store holds it: a limit of 10, enforced, unused, in
 * January 2027, with `more` over it.
 *
 * @example
 * storedAllowance('cus_ada', { used: '9', revision: 3 })
 */
export function storedAllowance(customer_id: string, more: Partial<AllowanceRecord> = {}): AllowanceRecord {
  return {
    customer_id,
    meter: 'calls',
    period_start: JAN,
    period_end: JAN + 31 * DAY,
    limit: '10',
    enforce: true,
    granted: '0',
    used: '0',
    reserved: '0',
    next_expiry: null,
    revision: 1,
    ...more,
  }
}
