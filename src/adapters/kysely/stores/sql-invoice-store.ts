import type { Invoice, InvoiceStatus } from '../../../core/invoices/types.js'
import type {
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
} from '../../../core/ports/index.js'
import {
  createInvoicesOnceScript,
  createOneOffScript,
  finalizeInvoiceScript,
  updateInvoiceStatusScript,
} from '../invoice-scripts.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL invoices: a unique key on (subscription, period end), gapless numbers from a sequence row
 * locked inside the numbering transaction, and status changes as guarded UPDATEs.
 *
 * @example
 * const [{ created }] = await new SqlInvoiceStore(parts).create([{ invoice, final: false }], numbering)
 */
export class SqlInvoiceStore implements InvoiceStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  create(
    items: readonly InvoiceCreation[],
    numbering: InvoiceNumbering,
    outbox?: Outbox<InvoiceCreated>,
  ): Promise<InvoiceCreated[]> {
    return this.#parts.runner.write(() => createInvoicesOnceScript(this.#parts.sql, items, numbering, outbox))
  }
  createOneOff(
    invoice: Invoice,
    key: string,
    numbering: InvoiceNumbering,
    outbox?: Outbox<Invoice>,
  ): Promise<OneOffCreated> {
    return this.#parts.runner.write(() =>
      createOneOffScript(this.#parts.sql, invoice, key, numbering, outbox),
    )
  }
  get(id: string): Promise<Invoice | null> {
    return this.#parts.ops.one<Invoice>(this.#parts.sql.invoices.get(id))
  }
  list(query: InvoiceQuery): Promise<Invoice[]> {
    return this.#parts.ops.all<Invoice>(this.#parts.sql.invoices.page(query))
  }
  updateDraft(invoice: Invoice): Promise<boolean> {
    // A draft stays a draft without a number, whatever the caller's copy says (as in memory).
    const doc = JSON.stringify({ ...invoice, status: 'draft', number: null } satisfies Invoice)
    return this.#parts.ops.changed(this.#parts.sql.invoices.updateDraft(invoice.id, doc))
  }
  finalize(invoice: Invoice, numbering: InvoiceNumbering, outbox?: Outbox<Invoice>): Promise<Invoice | null> {
    return this.#parts.runner.write(() => finalizeInvoiceScript(this.#parts.sql, invoice, numbering, outbox))
  }
  async transition(
    id: string,
    from: readonly InvoiceStatus[],
    patch: InvoiceStatusPatch,
    outbox?: Outbox<Invoice>,
  ): Promise<Invoice | null> {
    if (from.length === 0) return null
    return this.#parts.runner.write(() => updateInvoiceStatusScript(this.#parts.sql, id, from, patch, outbox))
  }

  async totals(query: InvoiceTotalsQuery): Promise<InvoiceTotal[]> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.invoices.totals(query))
    return rows.map((row) => ({
      currency: String(row.currency),
      status: String(row.status) as InvoiceTotal['status'],
      count: Number(row.count),
      total: Number(row.total),
    }))
  }
}
