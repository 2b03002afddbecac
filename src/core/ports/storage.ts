import type { Logger } from '../logger.js'
import type { AlertStore } from './alert-store.js'
import type { ApiKeyStore } from './api-key-store.js'
import type { CustomerStore } from './customer-store.js'
import type { EntitlementStore } from './entitlement-store.js'
import type { EventStore } from './event-store.js'
import type { InvoiceStore } from './invoice-store.js'
import type { MeterStore } from './meter-store.js'
import type { NotificationStore } from './notification-store.js'
import type { PaymentMethodStore } from './payment-method-store.js'
import type { PaymentStore } from './payment-store.js'
import type { PlanStore } from './plan-store.js'
import type { SessionStore } from './session-store.js'
import type { SubscriptionStore } from './subscription-store.js'

/**
 * What a storage can do beyond the port's promises. The shipped suites in `kobometer/testing` read
 * these to decide which tests apply.
 */
export interface StorageCapabilities {
  /**
   * Several OS processes may open the same store at once and every promise of the port still holds
   * across them. SQL storages: true (the cross-process suite runs). The memory storage lives in one
   * process: false.
   */
  readonly sharedAcrossProcesses: boolean
  /**
   * Rollups are also kept by minute (`meters.readRollups` with `grain: 'minute'`), so a window's
   * partial hours cost at most two partial minutes of events. SQLite: true (written by its merge).
   * Absent or false: partial hours are read from events.
   */
  readonly minuteRollups?: boolean
}

/** A page of a list kept in key order: rows with a key strictly after `after`, at most `limit`. */
export interface KeyPageQuery {
  after?: string
  limit: number
}

/**
 * The storage port: the only thing a storage adapter implements. It speaks the domain, one sub-store
 * per aggregate, named like the public namespaces, and each adapter keeps every promise natively
 * (unique keys, `ON CONFLICT`, row locks), not in core. A transaction that spans aggregates lives
 * with the aggregate that owns it (`invoices.create` advances a subscription; `events.closePeriods`
 * closes the event log that appends check).
 *
 * Every method follows one verb rule, so a reader knows its promise from its name:
 * - `get(key)`: the stored record or `null`. Reads committed data only.
 * - `list(query)`: a page in key order: keys strictly after `query.after`, at most `query.limit`,
 *   narrowed by the query's filters.
 * - `insert(record)`: stores a record under the key the caller chose (an id, a code and version).
 *   `true` when this call stored it; `false` when the key was taken, and nothing changed. Of
 *   concurrent inserts of one key, across processes, exactly one returns `true`.
 * - `create(…)`: stores unless a record with the same natural key (not its id) exists, and answers
 *   with what is stored under that key and whether this call created it. Of concurrent creates of
 *   one natural key, across processes, exactly one creates.
 * - `save(record)`: replaces a stored record unconditionally (last write wins). Only for records a
 *   single actor edits (a customer's details, a payment method's detachment).
 * - `update(record)`: compare-and-set on `revision`: writes only when the stored revision is
 *   `record.revision - 1`, and says whether it wrote. Of concurrent writers from one revision
 *   exactly one wins; the others re-read and retry.
 * - `updateDraft`, `finalize`, `transition`: compare-and-set on a status: they change a record only
 *   while its status allows it (a draft, one of `from`), and answer `false`/`null` otherwise. Of
 *   concurrent callers exactly one wins.
 * - `append`: adds to an append-only log, answering per item.
 *
 * The meter rule in every promise: the rollups always equal what `effects` gives for the stored
 * events under the stored meters, whatever runs concurrently.
 *
 * @example
 * const storage = sqliteStorage({ filename: './billing.db' })
 * await storage.migrate()
 * const customer = await storage.customers.get('cus_1')
 */
export interface Storage {
  /** A short name for messages and test titles (`'sqlite'`). */
  readonly name: string
  readonly capabilities: StorageCapabilities

  /**
   * Creates or upgrades the schema. Safe when several processes call it at once: one migrates,
   * the others wait and find it done.
   */
  migrate(): Promise<void>

  /** Releases what this storage opened; leaves alone a pool or database handle the host passed in. */
  close(): Promise<void>

  /** Optional: where the storage reports what it retries (lock conflicts, lost connections). */
  setLogger?(logger: Logger): void

  readonly events: EventStore
  readonly meters: MeterStore
  readonly customers: CustomerStore
  readonly plans: PlanStore
  readonly subscriptions: SubscriptionStore
  readonly invoices: InvoiceStore
  readonly paymentMethods: PaymentMethodStore
  readonly payments: PaymentStore
  readonly entitlements: EntitlementStore
  readonly notifications: NotificationStore
  readonly alerts: AlertStore
  readonly apiKeys: ApiKeyStore
  readonly sessions: SessionStore
}
