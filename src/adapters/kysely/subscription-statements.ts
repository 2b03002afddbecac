import { shardHash } from '../../core/invoices/run-shard.js'
import type { DueSubscriptionQuery, KeyPageQuery } from '../../core/ports/index.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { keysetPage, type PageFilter, SHARD_HASH_COLUMN, shardCondition } from './keyset-page.js'
import type { SqlOp } from './sql-script.js'

/**
 * The SQL of subscriptions: a JSON document per id, with the columns the scheduler filters on
 * (`customer_id`, `next_invoice_at`, the id's `shard_hash`) and the compare-and-set `revision`
 * broken out.
 *
 * @example
 * const subscriptions = new SubscriptionStatements(mysqlQuirks)
 * subscriptions.update(next) // UPDATE … WHERE id = ? AND revision = ?: 1 row changed when it won
 */
export class SubscriptionStatements {
  readonly #q: DialectQuirks

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
  }

  /** Inserts a subscription unless its id is taken: the changed-row count (0 or 1) tells which. */
  insert(s: SubscriptionRecord): SqlOp {
    const columns = `id, customer_id, next_invoice_at, revision, doc, ${SHARD_HASH_COLUMN}`
    return {
      sql: this.#q.insertSkippingExisting(this.#q.tables.subscriptions, columns, valuesRow(this.#q, 6), 'id'),
      params: [s.id, s.customer_id, s.next_invoice_at, s.revision, JSON.stringify(s), shardHash(s.id)],
    }
  }

  get(id: string): SqlOp {
    const q = this.#q
    return { sql: `SELECT doc FROM ${q.tables.subscriptions} WHERE id = ${q.placeholder(1)}`, params: [id] }
  }

  /**
   * Replaces the document only if the stored revision is the one `s` was derived from. The new
   * revision always differs from the old, so the changed-row count is 1 exactly when it won (even
   * where MySQL counts changed rather than matched rows).
   */
  update(s: SubscriptionRecord): SqlOp {
    const p = this.#q.placeholder
    return {
      sql:
        `UPDATE ${this.#q.tables.subscriptions} SET doc = ${p(1)}, next_invoice_at = ${p(2)}, revision = ${p(3)}` +
        ` WHERE id = ${p(4)} AND revision = ${p(5)}`,
      params: [JSON.stringify(s), s.next_invoice_at, s.revision, s.id, s.revision - 1],
    }
  }

  page(query: KeyPageQuery & { customer_id?: string }): SqlOp {
    const filters: PageFilter[] = []
    if (query.customer_id !== undefined) filters.push(['customer_id', '=', query.customer_id])
    return this.#page(filters, query)
  }

  /** Subscriptions with `next_invoice_at <= due_by` (NULL never is), of the query's shard, in id order. */
  due(query: DueSubscriptionQuery): SqlOp {
    return this.#page([['next_invoice_at', '<=', query.due_by]], query, shardCondition(query.shard))
  }

  #page(filters: readonly PageFilter[], query: KeyPageQuery, where: readonly string[] = []): SqlOp {
    return keysetPage(this.#q, `SELECT doc FROM ${this.#q.tables.subscriptions}`, 'id', filters, query, where)
  }
}
