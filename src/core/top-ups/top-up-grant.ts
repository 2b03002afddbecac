import type { Invoice, InvoiceStatus } from '../invoices/types.js'
import type { AllowanceKey } from '../ports/index.js'

/** What paying a top-up invoice adds to an allowance. */
export interface TopUpGrant {
  key: AllowanceKey
  /** A decimal string. */
  quantity: string
}

/**
 * The grant a status change of an invoice carries: a top-up invoice moving into `paid` from any
 * other status grants its quantity to the allowance of the period it was bought in; anything else
 * grants nothing. Storage adapters apply it in the transaction that writes the status, so a
 * payment seen twice (a redelivered webhook) grants once.
 *
 * @example
 * const grant = topUpGrantOf(openTopUp, 'paid')
 * // { key: { customer_id: 'cus_1', meter: 'api_calls', period_start: 1767225600000 }, quantity: '200000' }
 */
export function topUpGrantOf(current: Invoice, next: InvoiceStatus): TopUpGrant | null {
  if (current.top_up === undefined || next !== 'paid' || current.status === 'paid') return null
  return {
    key: {
      customer_id: current.customer_id,
      meter: current.top_up.meter,
      period_start: Date.parse(current.period_start),
    },
    quantity: current.top_up.quantity,
  }
}
