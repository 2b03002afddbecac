import type { Customer } from '../../core/customers/types.js'
import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import type { Plan } from '../../core/plans/types.js'
import type {
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  KeyPageQuery,
  PeriodClose,
} from '../../core/ports.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'

const copy = <T>(value: T): T => structuredClone(value)

function page<T>(
  rows: Iterable<T>,
  keyOf: (row: T) => string,
  query: KeyPageQuery,
  keep: (row: T) => boolean,
) {
  const out: T[] = []
  for (const row of rows)
    if ((query.after === undefined || keyOf(row) > query.after) && keep(row)) out.push(row)
  out.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
  return out.slice(0, query.limit).map(copy)
}

/**
 * Customers, plans, subscriptions and invoices of the memory storage: documents in maps, copied in
 * and out so callers never share objects with the store.
 */
export class BillingDocuments {
  #customers = new Map<string, Customer>()
  #plans = new Map<string, Plan[]>()
  #subscriptions = new Map<string, SubscriptionRecord>()
  #invoices = new Map<string, Invoice>()
  #invoiceKeys = new Map<string, string>()
  #sequences = new Map<string, number>()
  #closed = new Map<string, number>()

  /** The closed-usage mark of a customer, or undefined. */
  closedBefore(customer_id: string): number | undefined {
    return this.#closed.get(customer_id)
  }

  insertCustomer(customer: Customer): boolean {
    if (this.#customers.has(customer.id)) return false
    this.#customers.set(customer.id, copy(customer))
    return true
  }
  getCustomer(id: string): Customer | null {
    const c = this.#customers.get(id)
    return c === undefined ? null : copy(c)
  }
  saveCustomer(customer: Customer): void {
    this.#customers.set(customer.id, copy(customer))
  }
  listCustomers(query: KeyPageQuery): Customer[] {
    return page(
      this.#customers.values(),
      (c) => c.id,
      query,
      () => true,
    )
  }

  insertPlanVersion(plan: Plan): boolean {
    const versions = this.#plans.get(plan.code) ?? []
    if (versions.some((v) => v.version === plan.version)) return false
    this.#plans.set(
      plan.code,
      [...versions, copy(plan)].sort((a, b) => a.version - b.version),
    )
    return true
  }
  getPlanVersions(code: string): Plan[] {
    return (this.#plans.get(code) ?? []).map(copy)
  }
  listPlans(query: KeyPageQuery): Plan[] {
    const latest = [...this.#plans.values()].map((versions) => versions[versions.length - 1]!)
    return page(
      latest,
      (p) => p.code,
      query,
      () => true,
    )
  }

  insertSubscription(subscription: SubscriptionRecord): void {
    this.#subscriptions.set(subscription.id, copy(subscription))
  }
  getSubscription(id: string): SubscriptionRecord | null {
    const s = this.#subscriptions.get(id)
    return s === undefined ? null : copy(s)
  }
  listSubscriptions(query: KeyPageQuery & { customer_id?: string }): SubscriptionRecord[] {
    const { customer_id } = query
    return page(
      this.#subscriptions.values(),
      (s) => s.id,
      query,
      (s) => customer_id === undefined || s.customer_id === customer_id,
    )
  }
  updateSubscription(subscription: SubscriptionRecord): boolean {
    const stored = this.#subscriptions.get(subscription.id)
    if (stored === undefined || stored.revision !== subscription.revision - 1) return false
    this.#subscriptions.set(subscription.id, copy(subscription))
    return true
  }
  listDueSubscriptions(query: KeyPageQuery & { due_by: number }): SubscriptionRecord[] {
    return page(
      this.#subscriptions.values(),
      (s) => s.id,
      query,
      (s) => s.next_invoice_at !== null && s.next_invoice_at <= query.due_by,
    )
  }

  createInvoicesOnce(items: readonly InvoiceCreation[], numbering: InvoiceNumbering): InvoiceCreated[] {
    return items.map(({ invoice, final, advance }) => {
      const advanced = advance === undefined ? false : this.updateSubscription(advance)
      const key = `${invoice.subscription_id}\u0000${invoice.period_end}`
      const existing = this.#invoiceKeys.get(key)
      if (existing !== undefined)
        return { created: false, invoice: copy(this.#invoices.get(existing)!), advanced }
      const stored = final ? { ...invoice, number: this.#nextNumber(numbering) } : invoice
      this.#invoiceKeys.set(key, stored.id)
      this.#invoices.set(stored.id, copy(stored))
      return { created: true, invoice: copy(stored), advanced }
    })
  }
  #nextNumber(numbering: InvoiceNumbering): string {
    const value = (this.#sequences.get(numbering.sequence) ?? 0) + 1
    this.#sequences.set(numbering.sequence, value)
    return numbering.format(value)
  }
  getInvoice(id: string): Invoice | null {
    const i = this.#invoices.get(id)
    return i === undefined ? null : copy(i)
  }
  listInvoices(query: InvoiceQuery): Invoice[] {
    return page(
      this.#invoices.values(),
      (i) => i.id,
      query,
      (i) =>
        (query.customer_id === undefined || i.customer_id === query.customer_id) &&
        (query.subscription_id === undefined || i.subscription_id === query.subscription_id) &&
        (query.status === undefined || i.status === query.status),
    )
  }
  updateDraftInvoice(invoice: Invoice): boolean {
    if (this.#invoices.get(invoice.id)?.status !== 'draft') return false
    this.#invoices.set(invoice.id, copy({ ...invoice, status: 'draft', number: null }))
    return true
  }
  closePeriods(closes: readonly PeriodClose[]): void {
    for (const { customer_id, before } of closes) {
      if ((this.#closed.get(customer_id) ?? Number.NEGATIVE_INFINITY) < before)
        this.#closed.set(customer_id, before)
    }
  }
  finalizeInvoice(invoice: Invoice, numbering: InvoiceNumbering): Invoice | null {
    if (this.#invoices.get(invoice.id)?.status !== 'draft') return null
    const final = { ...copy(invoice), number: this.#nextNumber(numbering) }
    this.#invoices.set(invoice.id, final)
    return copy(final)
  }
  updateInvoiceStatus(id: string, from: readonly InvoiceStatus[], patch: InvoiceStatusPatch): Invoice | null {
    const current = this.#invoices.get(id)
    if (current === undefined || !from.includes(current.status)) return null
    const next = { ...current, ...patch }
    this.#invoices.set(id, next)
    return copy(next)
  }
}
