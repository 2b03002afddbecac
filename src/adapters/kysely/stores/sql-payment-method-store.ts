import type { PaymentMethodRecord } from '../../../core/payments/types.js'
import type { PaymentMethodStore } from '../../../core/ports/index.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL payment methods: JSON documents keyed by id, listed per customer.
 *
 * @example
 * const methods = await new SqlPaymentMethodStore(parts).list('cus_1')
 */
export class SqlPaymentMethodStore implements PaymentMethodStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  insert(method: PaymentMethodRecord): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.paymentMethods.insert(method))
  }
  get(id: string): Promise<PaymentMethodRecord | null> {
    return this.#parts.ops.one<PaymentMethodRecord>(this.#parts.sql.paymentMethods.get(id))
  }
  list(customer_id: string): Promise<PaymentMethodRecord[]> {
    return this.#parts.ops.all<PaymentMethodRecord>(this.#parts.sql.paymentMethods.ofCustomer(customer_id))
  }
  async save(method: PaymentMethodRecord): Promise<void> {
    await this.#parts.ops.write(this.#parts.sql.paymentMethods.save(method))
  }
}
