import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import type {
  AllowanceKey,
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  InvoiceStore,
  OneOffCreated,
} from '../../core/ports/index.js'
import { topUpGrantOf } from '../../core/top-ups/top-up-grant.js'
import { copy, copyOrNull, page } from './documents.js'
import type { MemorySubscriptionStore } from './memory-subscription-store.js'

/** Adds to an open allowance's `granted` at once (no await: it shares the caller's atomic step). */
export type GrantNow = (key: AllowanceKey, quantity: string, now: number) => void

/** The memory invoices: one per (subscription, period end), numbered from in-memory sequences. */
export class MemoryInvoiceStore implements InvoiceStore {
  readonly #rows = new Map<string, Invoice>()
  readonly #byPeriod = new Map<string, string>()
  readonly #sequences = new Map<string, number>()
  readonly #subscriptions: MemorySubscriptionStore
  readonly #grant: GrantNow

  constructor(subscriptions: MemorySubscriptionStore, grant: GrantNow) {
    this.#subscriptions = subscriptions
    this.#grant = grant
  }

  async create(items: readonly InvoiceCreation[], numbering: InvoiceNumbering): Promise<InvoiceCreated[]> {
    return items.map(({ invoice, final, advance }) => {
      const advanced = advance === undefined ? false : this.#subscriptions.compareAndSet(advance)
      const key = `${invoice.subscription_id}\u0000${invoice.period_end}`
      const existing = this.#byPeriod.get(key)
      if (existing !== undefined)
        return { created: false, invoice: copy(this.#rows.get(existing)!), advanced }
      const stored = final ? { ...invoice, number: this.#nextNumber(numbering) } : invoice
      this.#byPeriod.set(key, stored.id)
      this.#rows.set(stored.id, copy(stored))
      return { created: true, invoice: copy(stored), advanced }
    })
  }
  async createOneOff(invoice: Invoice, key: string, numbering: InvoiceNumbering): Promise<OneOffCreated> {
    // A NUL can be in neither a period end nor a key's prefix: the two kinds never share a slot.
    const slot = `${invoice.subscription_id}\u0000\u0000${key}`
    const existing = this.#byPeriod.get(slot)
    if (existing !== undefined) return { created: false, invoice: copy(this.#rows.get(existing)!) }
    const stored = { ...invoice, number: this.#nextNumber(numbering) }
    this.#byPeriod.set(slot, stored.id)
    this.#rows.set(stored.id, copy(stored))
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
        (query.status === undefined || i.status === query.status),
    )
  }
  async updateDraft(invoice: Invoice): Promise<boolean> {
    if (this.#rows.get(invoice.id)?.status !== 'draft') return false
    this.#rows.set(invoice.id, copy({ ...invoice, status: 'draft', number: null }))
    return true
  }
  async finalize(invoice: Invoice, numbering: InvoiceNumbering): Promise<Invoice | null> {
    if (this.#rows.get(invoice.id)?.status !== 'draft') return null
    const final = { ...copy(invoice), number: this.#nextNumber(numbering) }
    this.#rows.set(invoice.id, final)
    return copy(final)
  }
  async transition(
    id: string,
    from: readonly InvoiceStatus[],
    patch: InvoiceStatusPatch,
  ): Promise<Invoice | null> {
    const current = this.#rows.get(id)
    if (current === undefined || !from.includes(current.status)) return null
    const next = { ...current, ...patch }
    const grant = topUpGrantOf(current, next.status)
    this.#rows.set(id, next)
    if (grant !== null) this.#grant(grant.key, grant.quantity, Date.parse(next.updated_at))
    return copy(next)
  }

  #nextNumber(numbering: InvoiceNumbering): string {
    const value = (this.#sequences.get(numbering.sequence) ?? 0) + 1
    this.#sequences.set(numbering.sequence, value)
    return numbering.format(value)
  }
}
