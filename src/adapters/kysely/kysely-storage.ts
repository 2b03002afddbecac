import type { Kysely } from 'kysely'
import type { Customer } from '../../core/customers/types.js'
import type { PreparedEvent, StoredEvent } from '../../core/events/types.js'
import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import { errorName, type Logger } from '../../core/logger.js'
import type { EffectsFn } from '../../core/meters/meter-effects.js'
import { emptyRollup, RollupAccumulator } from '../../core/meters/rollup.js'
import type { Meter, RollupState } from '../../core/meters/types.js'
import type { Payment, PaymentMethodRecord } from '../../core/payments/types.js'
import type { Plan } from '../../core/plans/types.js'
import type {
  AppendOutcome,
  EdgeQuery,
  EventQuery,
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  KeyPageQuery,
  PaymentQuery,
  PeriodClose,
  RollupQuery,
  Storage,
  StorageCapabilities,
} from '../../core/ports.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'
import { appendScript } from './append-script.js'
import { InterruptedTransaction } from './connection-failures.js'
import { createMeterScript } from './create-meter-script.js'
import type { DialectQuirks } from './dialect-quirks.js'
import { GroupCommit } from './group-commit.js'
import { MetersCache } from './meters-cache.js'
import { migrateSchema } from './migrations.js'
import { withRetries } from './retry.js'
import { toMeter, toRollupState, toStoredEvent } from './row-mappers.js'
import { SqlBillingDocuments } from './sql-billing-documents.js'
import { type PaymentCreated, SqlPaymentDocuments } from './sql-payment-documents.js'
import { type StatementSet, statementSet } from './statement-set.js'
import { storageFailure } from './storage-errors.js'
import type { TransactionRunner } from './transaction-runner.js'

type Effects = (meters: readonly Meter[]) => EffectsFn

/** What a dialect's constructor hands the shared storage. */
export interface KyselyStorageParts {
  /** Shown in messages: `'sqlite'`, `'postgres'`, `'mysql'`. */
  readonly name: string
  /** Used by the migrator; destroyed on close (a host's pool is wrapped so that it survives). */
  readonly db: Kysely<unknown>
  readonly quirks: DialectQuirks
  readonly runner: TransactionRunner
  /** Merge concurrent appends into shared transactions (async drivers). */
  readonly groupCommit: boolean
  /** Texts (the connection's password, in each form) never to appear in an error. */
  readonly secrets?: readonly string[]
}

/**
 * The one SQL implementation of the storage port, for every dialect: the differences live in
 * `quirks` (SQL text) and `runner` (sync or pooled execution). Each method keeps its port promise
 * with the database's own guarantees: a unique key on idempotency keys, upserts merging rollups in
 * SQL, and the meters lock (shared for appends, exclusive for meter creation and period closes).
 * Billing documents are served by `SqlBillingDocuments`, payments by `SqlPaymentDocuments`.
 *
 * @example
 * const storage = new KyselyStorage({ name: 'sqlite', db, quirks: sqliteQuirks, runner, groupCommit: false })
 * await storage.migrate()
 */
export class KyselyStorage implements Storage {
  readonly name: string
  readonly capabilities: StorageCapabilities = Object.freeze({ sharedAcrossProcesses: true })
  readonly #parts: KyselyStorageParts
  readonly #sql: StatementSet
  readonly #meters = new MetersCache()
  readonly #group: GroupCommit | null
  readonly #docs: SqlBillingDocuments
  readonly #payments: SqlPaymentDocuments
  #closing: Promise<void> | null = null

  constructor(parts: KyselyStorageParts) {
    this.name = parts.name
    this.#parts = parts
    this.#sql = statementSet(parts.quirks)
    this.#docs = new SqlBillingDocuments(parts.runner, this.#sql)
    this.#payments = new SqlPaymentDocuments(parts.runner, this.#sql)
    this.#group = parts.groupCommit
      ? new GroupCommit(
          (requests) => parts.runner.write(() => appendScript(this.#sql, this.#meters, requests)),
          (error) => !(error instanceof InterruptedTransaction),
        )
      : null
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
      await this.#group?.idle()
      await this.#parts.db.destroy()
    })
    return this.#closing
  }

  appendEvents(events: readonly PreparedEvent[], effects: Effects): Promise<AppendOutcome[]> {
    if (events.length === 0) return Promise.resolve([])
    return this.#guard('appendEvents', async () => {
      const request = { events, effects }
      if (this.#group !== null) return this.#group.append(request)
      const [outcomes] = await this.#parts.runner.write(() =>
        appendScript(this.#sql, this.#meters, [request]),
      )
      return outcomes!
    })
  }

  createMeter(meter: Meter, effects: Effects): Promise<boolean> {
    return this.#guard('createMeter', () =>
      this.#parts.runner.write(() => createMeterScript(this.#sql, meter, effects)),
    )
  }

  getMeter(code: string): Promise<Meter | null> {
    return this.#guard('getMeter', async () => {
      const { rows } = await this.#parts.runner.read(this.#sql.meters.get(code))
      return rows[0] === undefined ? null : toMeter(rows[0])
    })
  }

  listMeters(): Promise<Meter[]> {
    return this.#guard('listMeters', async () => {
      const { rows } = await this.#parts.runner.read(this.#sql.meters.list())
      return rows.map(toMeter)
    })
  }

  readRollups(query: RollupQuery): Promise<RollupState> {
    return this.#guard('readRollups', async () => {
      const runner = this.#parts.runner
      const { rows } = await runner.read(this.#sql.rollups.read(query))
      if (rows.length === 0) return emptyRollup()
      const acc = new RollupAccumulator()
      for (const row of rows) acc.add(toRollupState(row))
      // Only unique-count meters record values; skip the read when this process knows the meter.
      const known = this.#meters.known(query.meter)
      if (known === undefined || known.aggregation === 'unique_count') {
        const values = await runner.read(this.#sql.rollups.readValues(query))
        if (values.rows.length > 0)
          acc.add({ ...emptyRollup(), values: values.rows.map((r) => String(r.value)) })
      }
      return acc.result()
    })
  }

  readEdgeEvents(query: EdgeQuery): Promise<StoredEvent[]> {
    return this.#guard('readEdgeEvents', async () => {
      const { rows } = await this.#parts.runner.read(this.#sql.events.edge(query))
      return rows.map(toStoredEvent)
    })
  }

  listEvents(query: EventQuery): Promise<StoredEvent[]> {
    return this.#guard('listEvents', async () => {
      const { rows } = await this.#parts.runner.read(this.#sql.events.page(query))
      return rows.map(toStoredEvent)
    })
  }

  insertCustomer(customer: Customer): Promise<boolean> {
    return this.#guard('insertCustomer', () => this.#docs.insertCustomer(customer))
  }
  getCustomer(id: string): Promise<Customer | null> {
    return this.#guard('getCustomer', () => this.#docs.getCustomer(id))
  }
  saveCustomer(customer: Customer): Promise<void> {
    return this.#guard('saveCustomer', () => this.#docs.saveCustomer(customer))
  }
  listCustomers(query: KeyPageQuery): Promise<Customer[]> {
    return this.#guard('listCustomers', () => this.#docs.listCustomers(query))
  }

  insertPlanVersion(plan: Plan): Promise<boolean> {
    return this.#guard('insertPlanVersion', () => this.#docs.insertPlanVersion(plan))
  }
  getPlanVersions(code: string): Promise<Plan[]> {
    return this.#guard('getPlanVersions', () => this.#docs.getPlanVersions(code))
  }
  listPlans(query: KeyPageQuery): Promise<Plan[]> {
    return this.#guard('listPlans', () => this.#docs.listPlans(query))
  }

  insertSubscription(subscription: SubscriptionRecord): Promise<void> {
    return this.#guard('insertSubscription', () => this.#docs.insertSubscription(subscription))
  }
  getSubscription(id: string): Promise<SubscriptionRecord | null> {
    return this.#guard('getSubscription', () => this.#docs.getSubscription(id))
  }
  listSubscriptions(query: KeyPageQuery & { customer_id?: string }): Promise<SubscriptionRecord[]> {
    return this.#guard('listSubscriptions', () => this.#docs.listSubscriptions(query))
  }
  updateSubscription(subscription: SubscriptionRecord): Promise<boolean> {
    return this.#guard('updateSubscription', () => this.#docs.updateSubscription(subscription))
  }
  listDueSubscriptions(query: KeyPageQuery & { due_by: number }): Promise<SubscriptionRecord[]> {
    return this.#guard('listDueSubscriptions', () => this.#docs.listDueSubscriptions(query))
  }

  createInvoicesOnce(
    items: readonly InvoiceCreation[],
    numbering: InvoiceNumbering,
  ): Promise<InvoiceCreated[]> {
    return this.#guard('createInvoicesOnce', () => this.#docs.createInvoicesOnce(items, numbering))
  }
  getInvoice(id: string): Promise<Invoice | null> {
    return this.#guard('getInvoice', () => this.#docs.getInvoice(id))
  }
  listInvoices(query: InvoiceQuery): Promise<Invoice[]> {
    return this.#guard('listInvoices', () => this.#docs.listInvoices(query))
  }
  updateDraftInvoice(invoice: Invoice): Promise<boolean> {
    return this.#guard('updateDraftInvoice', () => this.#docs.updateDraftInvoice(invoice))
  }
  closePeriods(closes: readonly PeriodClose[]): Promise<void> {
    return this.#guard('closePeriods', () => this.#docs.closePeriods(closes))
  }
  finalizeInvoice(invoice: Invoice, numbering: InvoiceNumbering): Promise<Invoice | null> {
    return this.#guard('finalizeInvoice', () => this.#docs.finalizeInvoice(invoice, numbering))
  }
  updateInvoiceStatus(
    id: string,
    from: readonly InvoiceStatus[],
    patch: InvoiceStatusPatch,
  ): Promise<Invoice | null> {
    return this.#guard('updateInvoiceStatus', () => this.#docs.updateInvoiceStatus(id, from, patch))
  }

  insertPaymentMethod(method: PaymentMethodRecord): Promise<void> {
    return this.#guard('insertPaymentMethod', () => this.#payments.insertPaymentMethod(method))
  }
  getPaymentMethod(id: string): Promise<PaymentMethodRecord | null> {
    return this.#guard('getPaymentMethod', () => this.#payments.getPaymentMethod(id))
  }
  listPaymentMethods(customer_id: string): Promise<PaymentMethodRecord[]> {
    return this.#guard('listPaymentMethods', () => this.#payments.listPaymentMethods(customer_id))
  }
  savePaymentMethod(method: PaymentMethodRecord): Promise<void> {
    return this.#guard('savePaymentMethod', () => this.#payments.savePaymentMethod(method))
  }

  createPayment(payment: Payment): Promise<PaymentCreated> {
    return this.#guard('createPayment', () => this.#payments.createPayment(payment))
  }
  getPayment(id: string): Promise<Payment | null> {
    return this.#guard('getPayment', () => this.#payments.getPayment(id))
  }
  getPaymentByReference(reference: string): Promise<Payment | null> {
    return this.#guard('getPaymentByReference', () => this.#payments.getPaymentByReference(reference))
  }
  listPayments(query: PaymentQuery): Promise<Payment[]> {
    return this.#guard('listPayments', () => this.#payments.listPayments(query))
  }
  updatePayment(payment: Payment): Promise<boolean> {
    return this.#guard('updatePayment', () => this.#payments.updatePayment(payment))
  }

  async #guard<R>(operation: string, fn: () => Promise<R>): Promise<R> {
    try {
      return await fn()
    } catch (error) {
      throw storageFailure(this.name, operation, error, this.#parts.secrets)
    }
  }
}
