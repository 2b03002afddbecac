import type { NotificationData, NotificationType } from '../notifications/types.js'
import type { KeyPageQuery } from './storage.js'

/**
 * A notification as stored: written once per `key` (the change it reports, e.g.
 * `invoice.finalized:in_1`), in the same transaction as that change wherever the change has one.
 */
export interface NotificationRecord {
  /** `ntf_…`, derived by the writer from `key` (one id per key); stable. */
  id: string
  /** What makes it exactly once: a second record with the same key is never stored. */
  key: string
  type: NotificationType
  customer_id: string | null
  /** Epoch ms. */
  created_at: number
  data: NotificationData
}

/**
 * The notifications a change reports, built from the change as the storage made it (an invoice with
 * its number, a payment as written). A store method that takes one writes them in the same
 * transaction as the change, and only when the change happens (a lost compare-and-set writes
 * nothing); a record whose `key` is stored already is skipped, as by {@link NotificationStore.add}.
 *
 * @example
 * const outbox: Outbox<Invoice> = (invoice) => [record('invoice.paid', invoice)]
 */
export type Outbox<T> = (result: T) => readonly NotificationRecord[]

/** A page of notifications in the order they were stored, narrowed by type and customer. */
export interface NotificationQuery extends KeyPageQuery {
  type?: NotificationType
  customer_id?: string
  /** Newest first: `after` then names a notification stored later than the page. Default false. */
  newest_first?: boolean
}

/** One notification leased to a destination for delivery. */
export interface DeliveryClaim {
  notification: NotificationRecord
  /** 1 for the first try. */
  attempt: number
}

/** What a delivery attempt came to. */
export type DeliveryOutcome =
  | { delivered: true }
  /** Failed; tried again from `retry_at`, or parked as `failed` when it is null. */
  | { delivered: false; error: string; retry_at: number | null }

/** One attempt's outcome, as `settle` records it. */
export interface Settlement {
  notification_id: string
  outcome: DeliveryOutcome
}

/** Where a notification stands at one destination. */
export interface DeliveryState {
  notification_id: string
  destination: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt_at: number | null
  last_error: string | null
}

/**
 * The outbox: notifications written with the changes they report, and their delivery to each
 * destination (the handler, each webhook) at least once, in order per customer.
 *
 * @example
 * const [stored] = await storage.notifications.add([record])
 */
export interface NotificationStore {
  /**
   * Stores each record unless one with its `key` exists, in input order (the storage order that
   * `list` and delivery follow); answers per record whether this call stored it. Concurrency: of
   * concurrent adds of one key, across processes, exactly one stores. Writers add one record per
   * transaction; batches that overlap in different orders may deadlock (and be retried).
   */
  add(records: readonly NotificationRecord[]): Promise<boolean[]>

  /**
   * A page in storage order (`newest_first`: the reverse): records stored strictly after (before)
   * the one with id `after`.
   */
  list(query: NotificationQuery): Promise<NotificationRecord[]>

  /**
   * Leases, for `leaseMs`, up to `limit` notifications due at `destination` at `now` (never
   * delivered there, not parked, past their retry time), oldest first, at most one per customer at a
   * time and never one whose customer has an older notification not yet delivered there (a parked
   * one holds its customer's later ones back until it is redelivered). Notifications without a
   * customer are not ordered. A destination first claiming sees every stored notification.
   * Concurrency: a notification leased by one caller is not leased by another until the lease ends.
   */
  claim(destination: string, now: number, leaseMs: number, limit: number): Promise<DeliveryClaim[]>

  /** Records attempts' outcomes at `destination` and ends their leases, in one transaction. */
  settle(destination: string, settlements: readonly Settlement[]): Promise<void>

  /** Puts parked (`failed`) notifications of a destination back to `pending`, due at `now`; answers how many. */
  redeliver(destination: string, now: number, ids?: readonly string[]): Promise<number>

  /** Where one notification stands at each destination it was tried at. */
  deliveries(notification_id: string): Promise<DeliveryState[]>
}
