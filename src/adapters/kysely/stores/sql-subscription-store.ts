import type { DueSubscriptionQuery, SubscriptionQuery, SubscriptionStore } from '../../../core/ports/index.js'
import type { SubscriptionRecord } from '../../../core/subscriptions/types.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL subscriptions: JSON documents written by a compare-and-set UPDATE on `revision`.
 *
 * @example
 * const won = await new SqlSubscriptionStore(parts).update({ ...sub, revision: sub.revision + 1 })
 */
export class SqlSubscriptionStore implements SubscriptionStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  insert(subscription: SubscriptionRecord): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.subscriptions.insert(subscription))
  }
  get(id: string): Promise<SubscriptionRecord | null> {
    return this.#parts.ops.one<SubscriptionRecord>(this.#parts.sql.subscriptions.get(id))
  }
  list(query: SubscriptionQuery): Promise<SubscriptionRecord[]> {
    return this.#parts.ops.all<SubscriptionRecord>(this.#parts.sql.subscriptions.page(query))
  }
  update(subscription: SubscriptionRecord): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.subscriptions.update(subscription))
  }
  listDue(query: DueSubscriptionQuery): Promise<SubscriptionRecord[]> {
    return this.#parts.ops.all<SubscriptionRecord>(this.#parts.sql.subscriptions.due(query))
  }
}
