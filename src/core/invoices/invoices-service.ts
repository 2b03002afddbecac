import type { BillingContext } from '../context.js'
import { getCustomer } from '../customers/customers-service.js'
import { ConflictError, ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import { type ListQuery, type Page, pageOf, parsePageQuery } from '../paging.js'
import { subscriptionPeriodAt } from '../subscriptions/schedule.js'
import { statusAt } from '../subscriptions/subscription-view.js'
import { isLookupKey } from '../text.js'
import { requireTime } from '../time/time-input.js'
import { computeInvoice } from './compute-invoice.js'
import { invoiceOutbox } from './invoice-notifications.js'
import { draftInvoice } from './invoice-record.js'
import { renderInvoiceHtml } from './render-html.js'
import { renderInvoiceText } from './render-text.js'
import { InvoiceSources } from './sources.js'
import type { Invoice, InvoicePreview, InvoiceStatus } from './types.js'

const STATUSES: readonly InvoiceStatus[] = ['draft', 'open', 'paid', 'void', 'uncollectible']

/** What `billing.invoices.list` takes: a page, narrowed by customer, subscription or status. */
export interface ListInvoicesQuery extends ListQuery {
  customer_id?: string
  subscription_id?: string
  status?: InvoiceStatus
  /**
   * `true`: only invoices past due now (open, with a due date already passed); combine with the
   * other filters. `false` or omitted: no such filter.
   */
  past_due?: boolean
}

/** Whose upcoming invoice `billing.invoices.preview` computes. */
export interface PreviewInvoiceQuery {
  customer_id: string
  /** Which subscription, when the customer has several; default the first that has not ended. */
  subscription_id?: string
}

/** How `billing.invoices.render` prints. */
export interface RenderInvoiceOptions {
  /** Plain text (default) or a self-contained HTML page. */
  format?: 'text' | 'html'
}

/**
 * `billing.invoices.get`, or `NotFoundError`.
 *
 * @example
 * const invoice = await getInvoice(ctx, 'in_…')
 */
export async function getInvoice(ctx: BillingContext, id: string): Promise<Invoice> {
  const invoice = isLookupKey(id) ? await ctx.storage.invoices.get(id) : null
  if (invoice === null) throw new NotFoundError(`invoice ${id} does not exist`, { id, resource: 'invoice' })
  return invoice
}

/**
 * `billing.invoices.list`: in creation order, narrowed by customer, subscription, status, or to
 * those past due now (an index on open invoices' due time finds them without reading the rest).
 *
 * @example
 * const { data } = await listInvoices(ctx, { customer_id: 'cus_123', status: 'open' })
 * const overdue = await listInvoices(ctx, { past_due: true })
 */
export async function listInvoices(
  ctx: BillingContext,
  query: ListInvoicesQuery = {},
): Promise<Page<Invoice>> {
  const { limit, after } = parsePageQuery(query)
  if (query.past_due !== undefined && typeof query.past_due !== 'boolean') {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, 'past_due must be true or false', {
      path: 'past_due',
    })
  }
  if (query.status !== undefined && !STATUSES.includes(query.status)) {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, `status must be one of ${STATUSES.join(', ')}`, {
      path: 'status',
    })
  }
  const rows = await ctx.storage.invoices.list({
    limit: limit + 1,
    ...(after ? { after } : {}),
    ...(query.customer_id !== undefined ? { customer_id: query.customer_id } : {}),
    ...(query.subscription_id !== undefined ? { subscription_id: query.subscription_id } : {}),
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.past_due === true ? { due_before: ctx.now() } : {}),
  })
  return pageOf(rows, limit, (i) => i.id)
}

/**
 * `billing.invoices.void`: a draft, open or uncollectible invoice becomes `void` (kept, numbered if
 * it was, never billed). A paid or already void invoice → `ConflictError` `INVALID_STATE`.
 *
 * @example
 * await voidInvoice(ctx, invoice.id)
 */
export async function voidInvoice(ctx: BillingContext, id: string): Promise<Invoice> {
  const current = await getInvoice(ctx, id)
  const now = new Date(ctx.now()).toISOString()
  const voided = await ctx.storage.invoices.transition(
    id,
    ['draft', 'open', 'uncollectible'],
    { status: 'void', updated_at: now, voided_at: now },
    invoiceOutbox(ctx.now(), 'invoice.voided'),
  )
  if (voided === null) {
    const latest = (await ctx.storage.invoices.get(id)) ?? current
    throw new ConflictError(`invoice ${id} is ${latest.status}: it cannot be voided`, {
      id,
      resource: 'invoice',
      code: ErrorCode.INVALID_STATE,
    })
  }
  return voided
}

/**
 * `billing.invoices.preview`: the invoice of a customer's current period as if it closed now
 * (status `'preview'`, never stored). With several subscriptions, pass `subscription_id`; else the
 * customer's first subscription that has not ended is used.
 *
 * @example
 * const upcoming = await previewInvoice(ctx, { customer_id: 'cus_123' })
 */
export async function previewInvoice(
  ctx: BillingContext,
  query: PreviewInvoiceQuery & { now?: unknown },
): Promise<InvoicePreview> {
  const customer = await getCustomer(ctx, query?.customer_id)
  const now = query.now === undefined ? ctx.now() : requireTime(query.now, 'now')
  const subs = await ctx.storage.subscriptions.list({ customer_id: customer.id, limit: 1000 })
  const sub = subs.find((s) =>
    query.subscription_id !== undefined ? s.id === query.subscription_id : statusAt(s, now) !== 'canceled',
  )
  if (sub === undefined) {
    const what = query.subscription_id ?? `an open subscription of customer ${customer.id}`
    throw new NotFoundError(`${what} does not exist`, {
      id: query.subscription_id ?? customer.id,
      resource: 'subscription',
    })
  }
  const period = subscriptionPeriodAt(sub, Math.max(now, sub.start_at))
  const computed = await computeInvoice(ctx, new InvoiceSources(ctx), sub, period.end, now)
  const draft = draftInvoice('preview', sub, computed, customer, now)
  return { ...draft, status: 'preview' }
}

/**
 * `billing.invoices.render`: a self-contained, printable invoice as plain text or an HTML page. A
 * finalized invoice prints the seller copied onto it at finalization; a draft the configured one.
 *
 * @example
 * console.log(await renderInvoice(ctx, invoice.id, { format: 'text' }))
 */
export async function renderInvoice(
  ctx: BillingContext,
  id: string,
  options: RenderInvoiceOptions = {},
): Promise<string> {
  const format = options.format ?? 'text'
  if (format !== 'text' && format !== 'html') {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, "format must be 'text' or 'html'", {
      path: 'format',
    })
  }
  const stored = await getInvoice(ctx, id)
  // A draft names the seller as configured now; a finalized invoice only the one copied onto it.
  const seller = stored.finalized_at === null ? ctx.invoicing.seller : (stored.seller ?? null)
  const invoice = { ...stored, seller: seller === null ? null : structuredClone(seller) }
  return format === 'html' ? renderInvoiceHtml(invoice) : renderInvoiceText(invoice)
}
