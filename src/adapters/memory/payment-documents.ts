import type { Payment, PaymentMethodRecord } from '../../core/payments/types.js'
import type { PaymentQuery } from '../../core/ports.js'

const copy = <T>(value: T): T => structuredClone(value)

/**
 * Payment methods and payment attempts of the memory storage, copied in and out so callers never
 * share objects with the store.
 */
export class PaymentDocuments {
  #methods = new Map<string, PaymentMethodRecord>()
  #payments = new Map<string, Payment>()
  #byReference = new Map<string, string>()

  insertPaymentMethod(method: PaymentMethodRecord): void {
    this.#methods.set(method.id, copy(method))
  }
  getPaymentMethod(id: string): PaymentMethodRecord | null {
    const m = this.#methods.get(id)
    return m === undefined ? null : copy(m)
  }
  listPaymentMethods(customer_id: string): PaymentMethodRecord[] {
    return [...this.#methods.values()]
      .filter((m) => m.customer_id === customer_id)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(copy)
  }
  savePaymentMethod(method: PaymentMethodRecord): void {
    this.#methods.set(method.id, copy(method))
  }

  createPayment(payment: Payment): { created: boolean; payment: Payment } {
    const existing = this.#byReference.get(payment.reference)
    if (existing !== undefined) return { created: false, payment: copy(this.#payments.get(existing)!) }
    this.#byReference.set(payment.reference, payment.id)
    this.#payments.set(payment.id, copy(payment))
    return { created: true, payment: copy(payment) }
  }
  getPayment(id: string): Payment | null {
    const p = this.#payments.get(id)
    return p === undefined ? null : copy(p)
  }
  getPaymentByReference(reference: string): Payment | null {
    const id = this.#byReference.get(reference)
    return id === undefined ? null : this.getPayment(id)
  }
  listPayments(query: PaymentQuery): Payment[] {
    return [...this.#payments.values()]
      .filter(
        (p) =>
          (query.after === undefined || p.id > query.after) &&
          (query.invoice_id === undefined || p.invoice_id === query.invoice_id) &&
          (query.customer_id === undefined || p.customer_id === query.customer_id),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, query.limit)
      .map(copy)
  }
  updatePayment(payment: Payment): boolean {
    const stored = this.#payments.get(payment.id)
    if (stored === undefined || stored.revision !== payment.revision - 1) return false
    this.#payments.set(payment.id, copy(payment))
    return true
  }
}
