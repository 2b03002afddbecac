import type { Payment } from '../payments/types.js'
import type { Outbox } from './notification-store.js'
import type { KeyPageQuery } from './storage.js'

/** A page of payments, in id (creation) order, of one invoice or customer. */
export interface PaymentQuery extends KeyPageQuery {
  invoice_id?: string
  customer_id?: string
}

/** What `payments.create` did: whether this call stored it, and the payment stored under its reference. */
export interface PaymentCreated {
  created: boolean
  payment: Payment
}

/**
 * Payment attempts, one per gateway reference, written by compare-and-set on their `revision`.
 *
 * @example
 * const { created, payment } = await storage.payments.create(attempt)
 */
export interface PaymentStore {
  /**
   * Stores a payment attempt unless one with its `reference` exists. Concurrency: for one reference
   * exactly one call creates, across processes; every call returns the stored payment. `outbox` is
   * given the payment when this call created it.
   */
  create(payment: Payment, outbox?: Outbox<Payment>): Promise<PaymentCreated>
  get(id: string): Promise<Payment | null>
  getByReference(reference: string): Promise<Payment | null>
  list(query: PaymentQuery): Promise<Payment[]>
  /**
   * Compare-and-set on `revision` (as `subscriptions.update`): of several writers from one revision
   * exactly one wins. `outbox` is given the payment when this call wrote it.
   */
  update(payment: Payment, outbox?: Outbox<Payment>): Promise<boolean>
}
