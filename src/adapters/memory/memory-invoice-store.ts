import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import type {
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  InvoiceStore,
} from '../../core/ports/index.js'
import { copy, copyOrNull, page } from './documents.js'
import type { MemorySubscriptionStore } from './memory-subscription-store.js'

/** The memory invoices: one per (subscription, period end), numbered from in-memory sequences. */
export class MemoryInvoiceStore implements InvoiceStore {
  readonly #rows = new Map<string, Invoice>()
  readonly #byPeriod = new Map<string, string>()
  readonly #sequences = new Map<string, number>()
  readonly #subscriptions: MemorySubscriptionStore

  constructor(subscriptions: MemorySubscriptionStore) {
    this.#subscriptions = subscriptions
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
    this.#rows.set(id, next)
    return copy(next)
  }

  #nextNumber(numbering: InvoiceNumbering): string {
    const value = (this.#sequences.get(numbering.sequence) ?? 0) + 1
    this.#sequences.set(numbering.sequence, value)
    return numbering.format(value)
  }
}
