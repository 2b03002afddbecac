import { newId } from '../ids.js'
import type { Invoice } from '../invoices/types.js'
import type { Payment } from './types.js'

/** What differs between a gateway charge attempt and an offline payment when it is first stored. */
export type NewPaymentFields = Pick<
  Payment,
  'payment_method_id' | 'gateway' | 'reference' | 'attempt' | 'status' | 'amount' | 'lease_until'
> &
  Partial<Pick<Payment, 'method'>>

/**
 * A payment of `invoice` as first stored: a fresh id, the invoice's customer and currency, nothing
 * refunded, no gateway id or failure yet. The one place such a record is shaped.
 *
 * @example
 * newPayment(invoice, { payment_method_id: 'pm_1', gateway: 'paystack', reference: 'kbm-in_1-1',
 *   attempt: 1, status: 'processing', amount: 500000, lease_until: now + 120_000 }, now)
 */
export function newPayment(invoice: Invoice, fields: NewPaymentFields, now: number): Payment {
  const at = new Date(now).toISOString()
  return {
    id: newId('py', now),
    invoice_id: invoice.id,
    customer_id: invoice.customer_id,
    ...fields,
    currency: invoice.currency,
    gateway_id: null,
    failure_message: null,
    amount_refunded: 0,
    refunds: [],
    created_at: at,
    updated_at: at,
    revision: 0,
  }
}
