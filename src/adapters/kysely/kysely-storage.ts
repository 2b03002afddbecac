import type { Kysely } from 'kysely'
import { errorName, type Logger } from '../../core/logger.js'
import type {
  AlertStore,
  ApiKeyStore,
  CustomerStore,
  EntitlementStore,
  EventStore,
  InvoiceStore,
  MeterStore,
  NotificationStore,
  PaymentMethodStore,
  PaymentStore,
  PlanStore,
  SessionStore,
  Storage,
  StorageCapabilities,
  SubscriptionStore,
} from '../../core/ports/index.js'
import type { DialectQuirks } from './dialect-quirks.js'
import type { GroupCommitOptions } from './group-commit.js'
import { MetersCache } from './meters-cache.js'
import { migrateSchema } from './migrations/index.js'
import { withRetries } from './retry.js'
import { statementSet } from './statement-set.js'
import { storageFailure } from './storage-errors.js'
import { DocumentOps } from './stores/document-ops.js'
import { guarded } from './stores/guarded.js'
import { SqlAlertStore } from './stores/sql-alert-store.js'
import { SqlApiKeyStore } from './stores/sql-api-key-store.js'
import { SqlCustomerStore } from './stores/sql-customer-store.js'
import { SqlEntitlementStore } from './stores/sql-entitlement-store.js'
import { SqlEventStore } from './stores/sql-event-store.js'
import { SqlInvoiceStore } from './stores/sql-invoice-store.js'
import { SqlMeterStore } from './stores/sql-meter-store.js'
import { SqlNotificationStore } from './stores/sql-notification-store.js'
import { SqlPaymentMethodStore } from './stores/sql-payment-method-store.js'
import { SqlPaymentStore } from './stores/sql-payment-store.js'
import { SqlPlanStore } from './stores/sql-plan-store.js'
import { SqlSessionStore } from './stores/sql-session-store.js'
import type { SqlStoreParts } from './stores/sql-store-parts.js'
import { SqlSubscriptionStore } from './stores/sql-subscription-store.js'
import type { TransactionRunner } from './transaction-runner.js'

/** What a dialect's constructor hands the shared storage. */
export interface KyselyStorageParts {
  /** Shown in messages: `'sqlite'`, `'postgres'`, `'mysql'`. */
  readonly name: string
  /** Used by the migrator; destroyed on close (a host's pool is wrapped so that it survives). */
  readonly db: Kysely<unknown>
  readonly quirks: DialectQuirks
  readonly runner: TransactionRunner
  /** How concurrent appends are merged into shared transactions (group commit). */
  readonly groupCommit: GroupCommitOptions
  /** Texts (the connection's password, in each form) never to appear in an error. */
  readonly secrets?: readonly string[]
  /**
   * Run by `close()` after `db.destroy()`: what the storage opened besides kysely's driver. kysely
   * opens its driver on first use and destroys only a driver it opened, so a storage whose runner
   * never goes through kysely (SQLite without `migrate()`) would otherwise never release it.
   * Must be safe to run after the driver's own close.
   */
  readonly release?: () => void | Promise<void>
}

/**
 * The one SQL implementation of the storage port, for every dialect: the differences live in
 * `quirks` (SQL text) and `runner` (sync or pooled execution). Each sub-store (`stores/`) keeps its
 * promises with the database's own guarantees: a unique key on idempotency keys, upserts merging
 * rollups in SQL, and the meters lock (shared for appends, exclusive for meter creation and period
 * closes). Every failure leaves as a typed `STORAGE_UNAVAILABLE`/`STORAGE_ERROR` naming its
 * operation, without secrets.
 *
 * @example
 * const storage = new KyselyStorage({ name: 'sqlite', db, quirks: sqliteQuirks, runner, groupCommit: { gatherWhenBusy: true } })
 * await storage.migrate()
 */
export class KyselyStorage implements Storage {
  readonly name: string
  readonly capabilities: StorageCapabilities
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
  readonly #parts: KyselyStorageParts
  readonly #events: SqlEventStore
  #closing: Promise<void> | null = null

  constructor(parts: KyselyStorageParts) {
    this.name = parts.name
    this.#parts = parts
    this.capabilities = Object.freeze({
      sharedAcrossProcesses: true,
      // The deferred merge writes them; elsewhere nothing does.
      minuteRollups: parts.quirks.deferredMerge !== null,
    })
    const store: SqlStoreParts = {
      runner: parts.runner,
      sql: statementSet(parts.quirks),
      ops: new DocumentOps(parts.runner),
    }
    const meters = new MetersCache()
    const fail = (operation: string, error: unknown) => this.#fail(operation, error)
    this.#events = new SqlEventStore(store, meters, { groupCommit: parts.groupCommit })
    this.events = guarded('events', this.#events, fail)
    this.meters = guarded('meters', new SqlMeterStore(store, meters), fail)
    this.customers = guarded('customers', new SqlCustomerStore(store), fail)
    this.plans = guarded('plans', new SqlPlanStore(store), fail)
    this.subscriptions = guarded('subscriptions', new SqlSubscriptionStore(store), fail)
    this.invoices = guarded('invoices', new SqlInvoiceStore(store), fail)
    this.paymentMethods = guarded('paymentMethods', new SqlPaymentMethodStore(store), fail)
    this.payments = guarded('payments', new SqlPaymentStore(store), fail)
    this.entitlements = guarded('entitlements', new SqlEntitlementStore(store), fail)
    this.notifications = guarded('notifications', new SqlNotificationStore(store), fail)
    this.alerts = guarded('alerts', new SqlAlertStore(store), fail)
    this.apiKeys = guarded('apiKeys', new SqlApiKeyStore(store), fail)
    this.sessions = guarded('sessions', new SqlSessionStore(store), fail)
  }

  /** Reports each transaction or read retried after a lock conflict or a lost connection (`warn`). */
  setLogger(logger: Logger): void {
    const storage = this.name
    this.#parts.runner.onRetry = (attempt, error) =>
      logger.warn('storage retry', { storage, attempt, error: errorName(error) })
  }

  migrate(): Promise<void> {
    const { db, quirks, runner } = this.#parts
    // A second process migrating the same SQLite file may hit SQLITE_BUSY outside the migrator's
    // transaction (creating its bookkeeping tables): retry until the first one is done.
    const policy = { attempts: 20, baseDelayMs: 10, maxDelayMs: 500 }
    return this.#guard('migrate', () =>
      runner.exclusively(() => withRetries(() => migrateSchema(db, quirks), quirks.isRetryable, policy)),
    )
  }

  close(): Promise<void> {
    this.#closing ??= this.#guard('close', async () => {
      await this.#events.idle()
      await this.#parts.db.destroy()
      await this.#parts.release?.()
    })
    return this.#closing
  }

  async #guard<R>(operation: string, fn: () => Promise<R>): Promise<R> {
    try {
      return await fn()
    } catch (error) {
      throw this.#fail(operation, error)
    }
  }

  /** Every failure of this storage, typed and without secrets, naming its operation. */
  #fail(operation: string, error: unknown) {
    return storageFailure(this.name, operation, error, this.#parts.secrets)
  }
}
