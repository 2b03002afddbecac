import type { BillingContext } from '../context.js'
import type { Page } from '../paging.js'
import type { InvoiceTotal } from '../ports/index.js'
import { runInvoices } from './invoice-run.js'
import { type InvoiceTotalsInput, invoiceTotals } from './invoice-totals.js'
import {
  getInvoice,
  type ListInvoicesQuery,
  listInvoices,
  type PreviewInvoiceQuery,
  previewInvoice,
  type RenderInvoiceOptions,
  renderInvoice,
  voidInvoice,
} from './invoices-service.js'
import { type InvoiceRunOptions, readInvoiceRunOptions } from './run-options.js'
import type { Invoice, InvoicePreview, InvoiceRunResult } from './types.js'

/** `billing.invoices`: periods closed into drafts, then numbered, final invoices. */
export interface InvoicesApi {
  /** Closes every period that has ended: drafts, then finalized invoices after the grace period. */
  run(options?: InvoiceRunOptions): Promise<InvoiceRunResult>
  /** The invoice of a customer's current period as if it closed now; never stored. */
  preview(query: PreviewInvoiceQuery): Promise<InvoicePreview>
  /** An invoice by id, or `NotFoundError`. */
  get(id: string): Promise<Invoice>
  /** Invoices in creation order, narrowed by customer, subscription or status. */
  list(query?: ListInvoicesQuery): Promise<Page<Invoice>>
  /** A draft, open or uncollectible invoice becomes `void`; a paid or void one → `ConflictError`. */
  void(id: string): Promise<Invoice>
  /** A printable invoice: plain text (default) or a self-contained HTML page. */
  render(id: string, options?: RenderInvoiceOptions): Promise<string>
  /** Invoices finalized in `[from, to)` (open, paid, uncollectible): count and total per currency and status. */
  totals(input: InvoiceTotalsInput): Promise<InvoiceTotal[]>
}

/**
 * The `invoices` namespace of a billing instance on `ctx`.
 *
 * @example
 * const invoices = invoicesNamespace(ctx)
 * const { created, finalized } = await invoices.run()
 */
export function invoicesNamespace(ctx: BillingContext): InvoicesApi {
  return {
    run: async (options) => runInvoices(ctx, ...readInvoiceRunOptions(ctx, options)),
    preview: (query) => previewInvoice(ctx, query),
    get: (id) => getInvoice(ctx, id),
    list: (query) => listInvoices(ctx, query),
    void: (id) => voidInvoice(ctx, id),
    render: (id, options) => renderInvoice(ctx, id, options),
    totals: (input) => invoiceTotals(ctx, input),
  }
}
