import type { InvoiceRunShard } from '../invoices/run-shard.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import type { Outbox } from './notification-store.js'
import type { KeyPageQuery } from './storage.js'

/** A page of subscriptions in id order, optionally of one customer. */
export interface SubscriptionQuery extends KeyPageQuery {
  customer_id?: string
}

/** A page of subscriptions whose next boundary is due, in id order. */
export interface DueSubscriptionQuery extends KeyPageQuery {
  /** Subscriptions with `next_invoice_at <= due_by`. */
  due_by: number
  /**
   * Only subscriptions whose id falls in this shard (`shardOf(id, count) === index`), filtered
   * where the rows are read so each worker of a sharded run reads its own. A SQL storage also
   * returns rows whose hash it never stored (written by a release before `0018_shard_hash`):
   * callers keep their own with `inShard`.
   */
  shard?: InvoiceRunShard
}

/**
 * Subscriptions, written by compare-and-set on their `revision`.
 *
 * @example
 * const won = await storage.subscriptions.update({ ...sub, status: 'paused', revision: sub.revision + 1 })
 */
export interface SubscriptionStore {
  /** Stores a new subscription. Concurrency: for one id exactly one call returns `true`. */
  insert(subscription: SubscriptionRecord): Promise<boolean>
  get(id: string): Promise<SubscriptionRecord | null>
  list(query: SubscriptionQuery): Promise<SubscriptionRecord[]>
  /**
   * Compare-and-set: replaces the stored subscription only if its `revision` is
   * `subscription.revision - 1`. Concurrency: of several writers from one revision exactly one wins
   * (`true`); the others get `false`, re-read and retry. `outbox` is given the subscription when
   * this call wrote it.
   */
  update(subscription: SubscriptionRecord, outbox?: Outbox<SubscriptionRecord>): Promise<boolean>
  /** Subscriptions with `next_invoice_at <= due_by`, in id order. */
  listDue(query: DueSubscriptionQuery): Promise<SubscriptionRecord[]>
}
