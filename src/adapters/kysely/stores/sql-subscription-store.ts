import type {
  DueSubscriptionQuery,
  Outbox,
  SubscriptionQuery,
  SubscriptionStore,
} from '../../../core/ports/index.js'
import type { SubscriptionRecord } from '../../../core/subscriptions/types.js'
import { writeReportedScript } from '../notification-scripts.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL subscriptions: JSON documents written by a compare-and-set UPDATE on `revision` (in a
 * transaction with its outbox records when given one).
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
  update(subscription: SubscriptionRecord, outbox?: Outbox<SubscriptionRecord>): Promise<boolean> {
    const { sql, ops, runner } = this.#parts
    // Without an outbox the compare-and-set stays one statement.
    if (outbox === undefined) return ops.changed(sql.subscriptions.update(subscription))
    return runner.write(() =>
      writeReportedScript(sql, sql.subscriptions.update(subscription), outbox, subscription),
    )
  }
  listDue(query: DueSubscriptionQuery): Promise<SubscriptionRecord[]> {
    return this.#parts.ops.all<SubscriptionRecord>(this.#parts.sql.subscriptions.due(query))
  }
}
