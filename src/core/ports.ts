import type { Customer } from './customers/types.js'
import type { PreparedEvent, StoredEvent } from './events/types.js'
import type { Invoice, InvoiceStatus } from './invoices/types.js'
import type { Logger } from './logger.js'
import type { EffectsFn, MeterWarning } from './meters/meter-effects.js'
import type { Meter, RollupState } from './meters/types.js'
import type { Payment, PaymentMethodRecord } from './payments/types.js'
import type { Plan } from './plans/types.js'
import type { SubscriptionRecord } from './subscriptions/types.js'

/**
 * What a storage can do beyond the port's promises; conformance tests switch on these.
 */
export interface StorageCapabilities {
  /**
   * Several OS processes may open the same store at once and every promise below still holds
   * across them. SQL storages: true. The memory storage lives in one process: false.
   */
  readonly sharedAcrossProcesses: boolean
}

/**
 * The outcome of appending one event. `closed`: its customer has a finalized invoice for a period
 * after its timestamp (see {@link Storage.closePeriods}); it was not stored.
 */
export type AppendOutcome =
  | { status: 'accepted'; warnings: MeterWarning[] }
  | { status: 'duplicate' | 'conflict'; stored_hash: string }
  | { status: 'closed'; closed_before: number }

/** A page of a list kept in key order: rows with a key strictly after `after`, at most `limit`. */
export interface KeyPageQuery {
  after?: string
  limit: number
}

/** A page of invoices, in id (creation) order, narrowed by any of the filters. */
export interface InvoiceQuery extends KeyPageQuery {
  customer_id?: string
  subscription_id?: string
  status?: InvoiceStatus
}

/** Closes one customer's usage before an instant: later appends of earlier events are refused. */
export interface PeriodClose {
  customer_id: string
  before: number
}

/** One invoice to create at a subscription boundary (see {@link Storage.createInvoicesOnce}). */
export interface InvoiceCreation {
  invoice: Invoice
  /** Created final: numbered in the same transaction. */
  final: boolean
  /** The subscription with its next boundary, written by compare-and-set. */
  advance?: SubscriptionRecord
}

/** What creating one invoice did. */
export interface InvoiceCreated {
  created: boolean
  /** The stored invoice: this one when created, else the one that was there. */
  invoice: Invoice
  advanced: boolean
}

/** What `updateInvoiceStatus` may change besides the status: dates and collection state. */
export type InvoiceStatusPatch = Pick<Invoice, 'status' | 'updated_at'> &
  Partial<Pick<Invoice, 'voided_at' | 'paid_at' | 'amount_paid' | 'attempt_count' | 'next_payment_attempt'>>

/** A page of payments, in id (creation) order, of one invoice or customer. */
export interface PaymentQuery extends KeyPageQuery {
  invoice_id?: string
  customer_id?: string
}

/** How a finalized invoice gets its number: the next value of a named gapless sequence, formatted. */
export interface InvoiceNumbering {
  /** The sequence's name (the number prefix): one sequence per name. */
  sequence: string
  format(value: number): string
}

/** A page request over one customer's events, in (timestamp, seq) order. */
export interface EventQuery {
  customer_id: string
  /** Inclusive lower bound, epoch ms. */
  from?: number
  /** Exclusive upper bound, epoch ms. */
  to?: number
  /** Resume strictly after this (timestamp, seq) position. */
  after?: { timestamp: number; seq: number }
  limit: number
}

/** One meter's rollups for one customer over whole buckets `[fromBucket, toBucket)`. */
export interface RollupQuery {
  meter: string
  customer_id: string
  fromBucket: number
  toBucket: number
}

/** Raw events of one customer and event name in `[from, to)`, for windows' partial buckets. */
export interface EdgeQuery {
  customer_id: string
  event_name: string
  from: number
  to: number
}

/**
 * The storage port: the only thing a storage adapter implements. It speaks the domain, and each
 * adapter keeps every promise natively (unique keys, `ON CONFLICT`, row locks), not in core.
 *
 * The meter rule in every promise: the rollups always equal what `effects` gives for the stored
 * events under the stored meters, whatever runs concurrently.
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

  /**
   * Stores events and their rollup deltas in one transaction, and resolves only once it is
   * durably committed. Keys in `events` are distinct.
   *
   * Concurrency: for each idempotency key, exactly one call ever stores it, across all callers and
   * processes; every later call gets `duplicate` (same payload hash) or `conflict` (different),
   * with the stored hash, and changes nothing. The deltas of an event are applied exactly when it is
   * stored, computed by `effects` under the meters current inside that transaction (a meter being
   * created concurrently either sees the event in its backfill or counts it here, never both).
   * A new key whose customer's usage is closed at or after its timestamp is not stored: `closed`.
   * A stored key is `duplicate`/`conflict` even when its period has since closed.
   */
  appendEvents(
    events: readonly PreparedEvent[],
    effects: (meters: readonly Meter[]) => EffectsFn,
  ): Promise<AppendOutcome[]>

  /**
   * Creates a meter and backfills its rollups from every stored event, atomically with respect to
   * `appendEvents`. Concurrency: for one code, exactly one call creates it (returns `true`); the
   * others return `false` and change nothing.
   */
  createMeter(meter: Meter, effects: (meters: readonly Meter[]) => EffectsFn): Promise<boolean>

  /** A meter by code, or null. */
  getMeter(code: string): Promise<Meter | null>

  /** Every meter, by creation order. */
  listMeters(): Promise<Meter[]>

  /**
   * The merged rollup state of one meter and customer over whole buckets. Costs O(rows read), never
   * O(events). Reads only committed data.
   */
  readRollups(query: RollupQuery): Promise<RollupState>

  /** One customer's events of one name in `[from, to)`: the partial buckets at a window's edges. */
  readEdgeEvents(query: EdgeQuery): Promise<StoredEvent[]>

  /** A page of one customer's events in (timestamp, seq) order. */
  listEvents(query: EventQuery): Promise<StoredEvent[]>

  /** Stores a customer. Concurrency: for one id exactly one call returns `true`; the others `false`. */
  insertCustomer(customer: Customer): Promise<boolean>
  getCustomer(id: string): Promise<Customer | null>
  /** Replaces a stored customer (last write wins). */
  saveCustomer(customer: Customer): Promise<void>
  /** Customers in id order. */
  listCustomers(query: KeyPageQuery): Promise<Customer[]>

  /**
   * Stores one plan version. Concurrency: for one (code, version) exactly one call returns `true`;
   * the others `false` and change nothing.
   */
  insertPlanVersion(plan: Plan): Promise<boolean>
  /** Every version of a plan, oldest first; empty when there is no such plan. */
  getPlanVersions(code: string): Promise<Plan[]>
  /** The latest version of each plan, in code order. */
  listPlans(query: KeyPageQuery): Promise<Plan[]>

  /** Stores a new subscription (its id is fresh). */
  insertSubscription(subscription: SubscriptionRecord): Promise<void>
  getSubscription(id: string): Promise<SubscriptionRecord | null>
  /** Subscriptions in id order, optionally of one customer. */
  listSubscriptions(query: KeyPageQuery & { customer_id?: string }): Promise<SubscriptionRecord[]>
  /**
   * Compare-and-set: replaces the stored subscription only if its `revision` is
   * `subscription.revision - 1`. Concurrency: of several writers from one revision exactly one wins
   * (`true`); the others get `false`, re-read and retry.
   */
  updateSubscription(subscription: SubscriptionRecord): Promise<boolean>
  /** Subscriptions with `next_invoice_at <= due_by`, in id order. */
  listDueSubscriptions(query: KeyPageQuery & { due_by: number }): Promise<SubscriptionRecord[]>

  /**
   * Stores each invoice unless one exists for its (subscription_id, period_end), all in one
   * transaction: a `final` invoice that is created takes the next number of `numbering` (numbers
   * follow the order of `items`), and `advance` is a compare-and-set of the subscription (as
   * {@link Storage.updateSubscription}), tried whether or not the invoice was created. Returns, per
   * item, whether it was created, the stored invoice and whether the subscription advanced.
   * Concurrency: of any number of calls for one key, across processes, exactly one creates.
   */
  createInvoicesOnce(
    items: readonly InvoiceCreation[],
    numbering: InvoiceNumbering,
  ): Promise<InvoiceCreated[]>
  getInvoice(id: string): Promise<Invoice | null>
  listInvoices(query: InvoiceQuery): Promise<Invoice[]>
  /** Replaces a draft's content; `false` (and no change) once it is no longer a draft. */
  updateDraftInvoice(invoice: Invoice): Promise<boolean>
  /**
   * Raises each customer's closed-usage mark to `before` (never lowers it). When this resolves, every
   * append that could still store an event of that customer before `before` has committed, and every
   * later one answers `closed`: usage read afterwards is final.
   */
  closePeriods(closes: readonly PeriodClose[]): Promise<void>
  /**
   * Turns a draft into the given final invoice with the next number of `numbering.sequence`, in one
   * transaction: numbers are gapless and unique across processes. Returns null, changing nothing,
   * when the invoice is no longer a draft (another caller finalized or voided it).
   */
  finalizeInvoice(invoice: Invoice, numbering: InvoiceNumbering): Promise<Invoice | null>
  /**
   * Moves an invoice whose status is one of `from` to `patch` (status and dates). Returns the
   * updated invoice, or null when its status was not in `from`. Concurrency: one caller wins.
   */
  updateInvoiceStatus(
    id: string,
    from: readonly InvoiceStatus[],
    patch: InvoiceStatusPatch,
  ): Promise<Invoice | null>

  /** Stores a new payment method (its id is fresh). */
  insertPaymentMethod(method: PaymentMethodRecord): Promise<void>
  getPaymentMethod(id: string): Promise<PaymentMethodRecord | null>
  /** A customer's payment methods, detached ones included, oldest first. */
  listPaymentMethods(customer_id: string): Promise<PaymentMethodRecord[]>
  /** Replaces a stored payment method (detaching it). */
  savePaymentMethod(method: PaymentMethodRecord): Promise<void>

  /**
   * Stores a payment attempt unless one with its `reference` exists. Concurrency: for one reference
   * exactly one call creates, across processes; every call returns the stored payment.
   */
  createPayment(payment: Payment): Promise<{ created: boolean; payment: Payment }>
  getPayment(id: string): Promise<Payment | null>
  getPaymentByReference(reference: string): Promise<Payment | null>
  listPayments(query: PaymentQuery): Promise<Payment[]>
  /**
   * Compare-and-set on `revision` (as {@link Storage.updateSubscription}): of several writers from
   * one revision exactly one wins.
   */
  updatePayment(payment: Payment): Promise<boolean>
}
