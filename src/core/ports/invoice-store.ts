import type { InvoiceRunShard } from '../invoices/run-shard.js'
import type { Invoice, InvoiceStatus } from '../invoices/types.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import type { InvoiceTotal, InvoiceTotalsQuery } from './dashboard-queries.js'
import type { Outbox } from './notification-store.js'
import type { KeyPageQuery } from './storage.js'

/** A page of invoices, in id (creation) order, narrowed by any of the filters. */
export interface InvoiceQuery extends KeyPageQuery {
  customer_id?: string
  subscription_id?: string
  status?: InvoiceStatus
  /** Only open invoices due before this instant (epoch ms): past due at it. */
  due_before?: number
  /**
   * Only invoices whose `subscription_id` falls in this shard (`shardOf(subscription_id, count)
   * === index`), filtered where the rows are read so each worker of a sharded run reads its own.
   * A SQL storage also returns rows whose hash it never stored (written by a release before
   * `0018_shard_hash`): callers keep their own with `inShard`.
   */
  shard?: InvoiceRunShard
}

/** One invoice to create at a subscription boundary (see {@link InvoiceStore.create}). */
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

/** What creating a one-off invoice did (see {@link InvoiceStore.createOneOff}). */
export interface OneOffCreated {
  created: boolean
  /** The stored invoice: this one, numbered, when created, else the one stored under the key. */
  invoice: Invoice
}

/** What `transition` may change besides the status: dates and collection state. */
export type InvoiceStatusPatch = Pick<Invoice, 'status' | 'updated_at'> &
  Partial<Pick<Invoice, 'voided_at' | 'paid_at' | 'amount_paid' | 'attempt_count' | 'next_payment_attempt'>>

/** How a finalized invoice gets its number: the next value of a named gapless sequence, formatted. */
export interface InvoiceNumbering {
  /** The sequence's name (the number prefix): one sequence per name. */
  sequence: string
  format(value: number): string
}

/**
 * Invoices: one per (subscription, period end), numbered gaplessly when finalized.
 *
 * @example
 * const [{ created }] = await storage.invoices.create([{ invoice, final: false }], numbering)
 */
export interface InvoiceStore {
  /**
   * Stores each invoice unless one exists for its (subscription_id, period_end), all in one
   * transaction: a `final` invoice that is created takes the next number of `numbering` (numbers
   * follow the order of `items`), and `advance` is a compare-and-set of the subscription (as
   * `subscriptions.update`), tried whether or not the invoice was created. Returns, per
   * item, whether it was created, the stored invoice and whether the subscription advanced.
   * Concurrency: of any number of calls for one key, across processes, exactly one creates.
   * `outbox` is given each item this call created (numbered when final), in `items` order, and its
   * records are written in the same transaction.
   */
  create(
    items: readonly InvoiceCreation[],
    numbering: InvoiceNumbering,
    outbox?: Outbox<InvoiceCreated>,
  ): Promise<InvoiceCreated[]>
  /**
   * Stores a final invoice that closes no period (a top-up) unless one exists for its
   * (subscription_id, `key`), numbering it from `numbering` in the same transaction. `key` is at
   * most 100 characters; it never meets the period ends of `create`. Returns whether it was created
   * and the stored invoice. Concurrency: of any number of calls for one key, across processes,
   * exactly one creates, and only that one takes a number. `outbox` is given the numbered invoice
   * when this call created it.
   */
  createOneOff(
    invoice: Invoice,
    key: string,
    numbering: InvoiceNumbering,
    outbox?: Outbox<Invoice>,
  ): Promise<OneOffCreated>
  get(id: string): Promise<Invoice | null>
  list(query: InvoiceQuery): Promise<Invoice[]>
  /** Replaces a draft's content; `false` (and no change) once it is no longer a draft. */
  updateDraft(invoice: Invoice): Promise<boolean>
  /**
   * Turns a draft into the given final invoice with the next number of `numbering.sequence`, in one
   * transaction: numbers are gapless and unique across processes. Returns null, changing nothing,
   * when the invoice is no longer a draft (another caller finalized or voided it). `outbox` is given
   * the numbered invoice when this call finalized it.
   */
  finalize(invoice: Invoice, numbering: InvoiceNumbering, outbox?: Outbox<Invoice>): Promise<Invoice | null>
  /**
   * Moves an invoice whose status is one of `from` to `patch` (status and dates). Returns the
   * updated invoice, or null when its status was not in `from`. Concurrency: one caller wins.
   * A top-up invoice (`top_up` set) that this call moves to `paid` from another status also adds
   * `top_up.quantity` to the `granted` of its allowance (the customer's `top_up.meter` for the period
   * starting at the invoice's `period_start`, as `entitlements.grant`) in the same transaction:
   * however often it is paid, it grants once. An allowance that is not open is left alone.
   * `outbox` is given the updated invoice when this call moved it.
   */
  transition(
    id: string,
    from: readonly InvoiceStatus[],
    patch: InvoiceStatusPatch,
    outbox?: Outbox<Invoice>,
  ): Promise<Invoice | null>
  /**
   * Finalized invoices (open, paid, uncollectible) whose `finalized_at` is in `[from, to)`, counted
   * and their totals summed per currency and status, ordered by currency then status. Costs
   * O(invoices finalized in the window), read by an index.
   */
  totals(query: InvoiceTotalsQuery): Promise<InvoiceTotal[]>
}
