import type { PaymentMethodRecord } from '../payments/types.js'

/**
 * Customers' reusable payment methods (gateway authorizations).
 *
 * @example
 * const methods = await storage.paymentMethods.list('cus_1') // detached ones included, oldest first
 */
export interface PaymentMethodStore {
  /** Stores a new payment method. Concurrency: for one id exactly one call returns `true`. */
  insert(method: PaymentMethodRecord): Promise<boolean>
  get(id: string): Promise<PaymentMethodRecord | null>
  /** A customer's payment methods, detached ones included, in id order (creation order: ids are time-ordered). */
  list(customer_id: string): Promise<PaymentMethodRecord[]>
  /** Replaces a stored payment method (detaching it). */
  save(method: PaymentMethodRecord): Promise<void>
}
