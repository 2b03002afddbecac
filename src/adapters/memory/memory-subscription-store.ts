import { inShard } from '../../core/invoices/run-shard.js'
import type {
  DueSubscriptionQuery,
  Outbox,
  SubscriptionQuery,
  SubscriptionStore,
} from '../../core/ports/index.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'
import { copy, copyOrNull, page } from './documents.js'
import { stage, type WriteOutbox } from './memory-outbox.js'

/** The memory subscriptions, written by compare-and-set on `revision`. */
export class MemorySubscriptionStore implements SubscriptionStore {
  readonly #rows = new Map<string, SubscriptionRecord>()
  readonly #write: WriteOutbox

  constructor(write: WriteOutbox) {
    this.#write = write
  }

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
  async update(subscription: SubscriptionRecord, outbox?: Outbox<SubscriptionRecord>): Promise<boolean> {
    if (!this.canCompareAndSet(subscription)) return false
    const records = stage(outbox, copy(subscription))
    this.compareAndSet(subscription)
    this.#write(records)
    return true
  }
  async listDue(query: DueSubscriptionQuery): Promise<SubscriptionRecord[]> {
    return page(
      this.#rows.values(),
      (s) => s.id,
      query,
      (s) => s.next_invoice_at !== null && s.next_invoice_at <= query.due_by && inShard(query.shard, s.id),
    )
  }

  /** `update` without yielding, for the invoice store's one-step create-and-advance. */
  compareAndSet(subscription: SubscriptionRecord): boolean {
    if (!this.canCompareAndSet(subscription)) return false
    this.#rows.set(subscription.id, copy(subscription))
    return true
  }

  /** Whether {@link compareAndSet} would write `subscription` now. */
  canCompareAndSet(subscription: SubscriptionRecord): boolean {
    return this.#rows.get(subscription.id)?.revision === subscription.revision - 1
  }
}
