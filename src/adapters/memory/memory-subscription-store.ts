import type { DueSubscriptionQuery, SubscriptionQuery, SubscriptionStore } from '../../core/ports/index.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'
import { copy, copyOrNull, page } from './documents.js'

/** The memory subscriptions, written by compare-and-set on `revision`. */
export class MemorySubscriptionStore implements SubscriptionStore {
  readonly #rows = new Map<string, SubscriptionRecord>()

  async insert(subscription: SubscriptionRecord): Promise<boolean> {
    if (this.#rows.has(subscription.id)) return false
    this.#rows.set(subscription.id, copy(subscription))
    return true
  }
  async get(id: string): Promise<SubscriptionRecord | null> {
    return copyOrNull(this.#rows.get(id))
  }
  async list(query: SubscriptionQuery): Promise<SubscriptionRecord[]> {
    const { customer_id } = query
    return page(
      this.#rows.values(),
      (s) => s.id,
      query,
      (s) => customer_id === undefined || s.customer_id === customer_id,
    )
  }
  async update(subscription: SubscriptionRecord): Promise<boolean> {
    return this.compareAndSet(subscription)
  }
  async listDue(query: DueSubscriptionQuery): Promise<SubscriptionRecord[]> {
    return page(
      this.#rows.values(),
      (s) => s.id,
      query,
      (s) => s.next_invoice_at !== null && s.next_invoice_at <= query.due_by,
    )
  }

  /** `update` without yielding, for the invoice store's one-step create-and-advance. */
  compareAndSet(subscription: SubscriptionRecord): boolean {
    const stored = this.#rows.get(subscription.id)
    if (stored === undefined || stored.revision !== subscription.revision - 1) return false
    this.#rows.set(subscription.id, copy(subscription))
    return true
  }
}
