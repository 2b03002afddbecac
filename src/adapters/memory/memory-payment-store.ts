import type { Payment } from '../../core/payments/types.js'
import type { Outbox, PaymentCreated, PaymentQuery, PaymentStore } from '../../core/ports/index.js'
import { copy, copyOrNull, page } from './documents.js'
import { stage, type WriteOutbox } from './memory-outbox.js'

/**
 * The memory payments: one per reference, written by compare-and-set on `revision`, with their
 * outbox records in the same step.
 */
export class MemoryPaymentStore implements PaymentStore {
  readonly #rows = new Map<string, Payment>()
  readonly #byReference = new Map<string, string>()
  readonly #write: WriteOutbox

  constructor(write: WriteOutbox) {
    this.#write = write
  }

  async create(payment: Payment, outbox?: Outbox<Payment>): Promise<PaymentCreated> {
    const existing = this.#byReference.get(payment.reference)
    if (existing !== undefined) return { created: false, payment: copy(this.#rows.get(existing)!) }
    const records = stage(outbox, copy(payment))
    this.#byReference.set(payment.reference, payment.id)
    this.#rows.set(payment.id, copy(payment))
    this.#write(records)
    return { created: true, payment: copy(payment) }
  }
  async get(id: string): Promise<Payment | null> {
    return copyOrNull(this.#rows.get(id))
  }
  async getByReference(reference: string): Promise<Payment | null> {
    const id = this.#byReference.get(reference)
    return id === undefined ? null : copyOrNull(this.#rows.get(id))
  }
  async list(query: PaymentQuery): Promise<Payment[]> {
    return page(
      this.#rows.values(),
      (p) => p.id,
      query,
      (p) =>
        (query.invoice_id === undefined || p.invoice_id === query.invoice_id) &&
        (query.customer_id === undefined || p.customer_id === query.customer_id),
    )
  }
  async update(payment: Payment, outbox?: Outbox<Payment>): Promise<boolean> {
    const stored = this.#rows.get(payment.id)
    if (stored === undefined || stored.revision !== payment.revision - 1) return false
    const records = stage(outbox, copy(payment))
    this.#rows.set(payment.id, copy(payment))
    this.#write(records)
    return true
  }
}
