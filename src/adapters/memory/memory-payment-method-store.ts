import type { PaymentMethodRecord } from '../../core/payments/types.js'
import type { PaymentMethodStore } from '../../core/ports/index.js'
import { copy, copyOrNull } from './documents.js'

/** The memory payment methods, by id. */
export class MemoryPaymentMethodStore implements PaymentMethodStore {
  readonly #rows = new Map<string, PaymentMethodRecord>()

  async insert(method: PaymentMethodRecord): Promise<boolean> {
    if (this.#rows.has(method.id)) return false
    this.#rows.set(method.id, copy(method))
    return true
  }
  async get(id: string): Promise<PaymentMethodRecord | null> {
    return copyOrNull(this.#rows.get(id))
  }
  async list(customer_id: string): Promise<PaymentMethodRecord[]> {
    return [...this.#rows.values()]
      .filter((m) => m.customer_id === customer_id)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(copy)
  }
  async save(method: PaymentMethodRecord): Promise<void> {
    this.#rows.set(method.id, copy(method))
  }
}
