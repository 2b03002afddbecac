import { inShard } from '../../core/invoices/run-shard.js'
import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import type {
  AllowanceKey,
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  InvoiceStore,
  InvoiceTotal,
  InvoiceTotalsQuery,
  OneOffCreated,
  Outbox,
} from '../../core/ports/index.js'
import { topUpGrantOf } from '../../core/top-ups/top-up-grant.js'
import { copy, copyOrNull, page } from './documents.js'
import { memoryInvoiceTotals } from './memory-dashboard-queries.js'
import { stage, type WriteOutbox } from './memory-outbox.js'
import type { MemorySubscriptionStore } from './memory-subscription-store.js'

/** Adds to an open allowance's `granted` at once (no await: it shares the caller's atomic step). */
export type GrantNow = (key: AllowanceKey, quantity: string, now: number) => void

/**
 * The memory invoices: one per (subscription, period end), numbered from in-memory sequences. Each
 * change is planned, its outbox records staged, and only then made, so an outbox that throws
 * changes nothing.
 */
export class MemoryInvoiceStore implements InvoiceStore {
  readonly #rows = new Map<string, Invoice>()
  readonly #byPeriod = new Map<string, string>()
  readonly #sequences = new Map<string, number>()
  readonly #subscriptions: MemorySubscriptionStore
  readonly #grant: GrantNow
  readonly #write: WriteOutbox

  constructor(subscriptions: MemorySubscriptionStore, grant: GrantNow, write: WriteOutbox) {
    this.#subscriptions = subscriptions
    this.#grant = grant
    this.#write = write
  }

  async create(
    items: readonly InvoiceCreation[],
    numbering: InvoiceNumbering,
    outbox?: Outbox<InvoiceCreated>,
  ): Promise<InvoiceCreated[]> {
    let value = this.#sequences.get(numbering.sequence) ?? 0
    const taken = new Map<string, Invoice>()
    const planned = items.map(({ invoice, final, advance }): InvoiceCreated => {
      const advanced = advance !== undefined && this.#subscriptions.canCompareAndSet(advance)
      const key = `${invoice.subscription_id}\u0000${invoice.period_end}`
      const existing = taken.get(key) ?? this.#rows.get(this.#byPeriod.get(key) ?? '')
      if (existing !== undefined) return { created: false, invoice: copy(existing), advanced }
      const stored = final ? { ...invoice, number: numbering.format(++value) } : copy(invoice)
      taken.set(key, stored)
      return { created: true, invoice: stored, advanced }
    })
    const records = planned.flatMap((result) => (result.created ? stage(outbox, copy(result)) : []))
    for (const [k, { advance }] of items.entries()) {
      planned[k]!.advanced = advance !== undefined && this.#subscriptions.compareAndSet(advance)
    }
    for (const [key, stored] of taken) {
      this.#byPeriod.set(key, stored.id)
      this.#rows.set(stored.id, copy(stored))
    }
    this.#sequences.set(numbering.sequence, value)
    this.#write(records)
    return planned.map(copy)
  }
  async createOneOff(
    invoice: Invoice,
    key: string,
    numbering: InvoiceNumbering,
    outbox?: Outbox<Invoice>,
  ): Promise<OneOffCreated> {
    // A NUL can be in neither a period end nor a key's prefix: the two kinds never share a slot.
    const slot = `${invoice.subscription_id}\u0000\u0000${key}`
    const existing = this.#byPeriod.get(slot)
    if (existing !== undefined) return { created: false, invoice: copy(this.#rows.get(existing)!) }
    const value = (this.#sequences.get(numbering.sequence) ?? 0) + 1
    const stored = { ...invoice, number: numbering.format(value) }
    const records = stage(outbox, copy(stored))
    this.#sequences.set(numbering.sequence, value)
    this.#byPeriod.set(slot, stored.id)
    this.#rows.set(stored.id, copy(stored))
    this.#write(records)
    return { created: true, invoice: copy(stored) }
  }
  async get(id: string): Promise<Invoice | null> {
    return copyOrNull(this.#rows.get(id))
  }
  async list(query: InvoiceQuery): Promise<Invoice[]> {
    return page(
      this.#rows.values(),
      (i) => i.id,
      query,
      (i) =>
        (query.customer_id === undefined || i.customer_id === query.customer_id) &&
        (query.subscription_id === undefined || i.subscription_id === query.subscription_id) &&
        (query.status === undefined || i.status === query.status) &&
        inShard(query.shard, i.subscription_id) &&
        (query.due_before === undefined ||
          (i.status === 'open' && i.due_at !== null && Date.parse(i.due_at) < query.due_before)),
    )
  }
  async updateDraft(invoice: Invoice): Promise<boolean> {
    if (this.#rows.get(invoice.id)?.status !== 'draft') return false
    this.#rows.set(invoice.id, copy({ ...invoice, status: 'draft', number: null }))
    return true
  }
  async finalize(
    invoice: Invoice,
    numbering: InvoiceNumbering,
    outbox?: Outbox<Invoice>,
  ): Promise<Invoice | null> {
    if (this.#rows.get(invoice.id)?.status !== 'draft') return null
    const value = (this.#sequences.get(numbering.sequence) ?? 0) + 1
    const final = { ...copy(invoice), number: numbering.format(value) }
    const records = stage(outbox, copy(final))
    this.#sequences.set(numbering.sequence, value)
    this.#rows.set(invoice.id, final)
    this.#write(records)
    return copy(final)
  }
  async transition(
    id: string,
    from: readonly InvoiceStatus[],
    patch: InvoiceStatusPatch,
    outbox?: Outbox<Invoice>,
  ): Promise<Invoice | null> {
    const current = this.#rows.get(id)
    if (current === undefined || !from.includes(current.status)) return null
    const next = { ...current, ...patch }
    const records = stage(outbox, copy(next))
    const grant = topUpGrantOf(current, next.status)
    this.#rows.set(id, next)
    if (grant !== null) this.#grant(grant.key, grant.quantity, Date.parse(next.updated_at))
    this.#write(records)
    return copy(next)
  }
  async totals(query: InvoiceTotalsQuery): Promise<InvoiceTotal[]> {
    return memoryInvoiceTotals(this.#rows.values(), query)
  }
}
